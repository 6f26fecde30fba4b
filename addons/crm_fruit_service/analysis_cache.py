# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"The grouped rows of an analysis, computed once for the client's calls"
import datetime as dt

from sql import Cast, Column, Literal, Select, Values

from trytond import backend
from trytond.cache import Cache
from trytond.transaction import Transaction

# The search, count and read of one page arrive within a second; a view
# opened again later shows figures at most this old (ticket changes clear it).
DURATION = dt.timedelta(seconds=60)
# Beyond this many groups the rows are not kept: sending them back as a
# VALUES list would cost more than grouping again.
ROWS_LIMIT = 2000

_TOO_MANY = False


class AnalysisRowsCache:
    """Keep the rows of a table_query analysis for the client's next calls

    The web client shows a page of an analysis with a search, sometimes a
    count, then a read of the page: each runs the table_query, so the
    tickets of the period were grouped two or three times.  The first call
    keeps the grouped rows (per user and context) and the later ones query
    them as a VALUES list.  Only for analyses with a bounded number of
    groups (teams, departments, types, periods) and on PostgreSQL, where
    the data is large; SQLite groups every time."""
    __slots__ = ()
    _analysis_rows = Cache(
        'crm_fruit_service.analysis_rows', duration=DURATION,
        # The client adds it to the search but not to the read
        context_ignored_keys={'context_model'})

    @classmethod
    def __table__(cls):
        query = super().__table__()
        if backend.name != 'postgresql' or not cls._is_table_query():
            return query
        transaction = Transaction()
        key = (cls.__name__, transaction.user)
        cached = cls._analysis_rows.get(key)
        if cached is None:
            cached = cls._analysis_rows.set(key, cls._analysis_fetch(query))
        if cached is _TOO_MANY:
            return query
        names, rows = cached
        return cls._analysis_values(names, rows)

    @classmethod
    def _analysis_fetch(cls, query):
        cursor = Transaction().connection.cursor()
        cursor.execute(*query)
        rows = cursor.fetchmany(ROWS_LIMIT + 1)
        if len(rows) > ROWS_LIMIT:
            return _TOO_MANY
        names = [d[0] for d in cursor.description]
        return names, [tuple(r) for r in rows]

    @classmethod
    def _analysis_values(cls, names, rows):
        types = [cls._analysis_sql_type(n) for n in names]
        if not rows:
            return Select([
                    (Cast(Literal(None), t) if t else Literal(None)).as_(n)
                    for n, t in zip(names, types)],
                where=Literal(False))
        values = Values([list(r) for r in rows])
        columns = [Column(values, 'column%d' % i)
            for i in range(1, len(names) + 1)]
        return values.select(*[
                (Cast(c, t) if t else c).as_(n)
                for c, n, t in zip(columns, names, types)])

    @classmethod
    def _analysis_sql_type(cls, name):
        field = cls._fields.get(name)
        sql_type = field.sql_type() if field else None
        return sql_type.base if sql_type else None


def clear_analysis_rows():
    AnalysisRowsCache._analysis_rows.clear()


class ClearAnalysisRows:
    "Any change of these records may change the figures of the analyses"
    __slots__ = ()

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        clear_analysis_rows()
