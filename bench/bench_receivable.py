# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The receivable ageing's first page against its SQL floor.

The first page of *Receivable Ageing* (crm.receivable.ageing, 80 rows, the
most overdue first) as the web client loads it, a search then a read of the
list's columns, as root on the day the data set ends; the floor is
hand-written PostgreSQL the same way: the page's customers from the two sums
it is sorted on (every customer who owes summed), then their bands; same
rows, compared row by row. Both are measured in turns, REPEAT times each,
medians kept.
"""
import datetime as dt

from bench.bench_service import _median

PAGE_SIZE = 80
REPEAT = 5
FIELDS = ['customer', 'balance', 'not_due', 'overdue_30', 'overdue_60',
    'overdue_90', 'overdue_more', 'overdue']

# the lines of moves dated after the day are left out by a join to the
# move, needed only when there are such moves (see LATER)
OPEN_LINES = """
    SELECT l.id, l.party, l.debit - l.credit AS amount, l.maturity_date,
        l.move
    FROM account_move_line l
    JOIN account_account a ON a.id = l.account
    JOIN account_account_type t ON t.id = a.type
    {join}
    WHERE {where} AND l.party IS NOT NULL AND t.receivable
        AND a.company = %(company)s {move_date} {parties}"""

MOVE_JOIN = "JOIN account_move m ON m.id = l.move"
MOVE_DATE = "AND m.date <= %(date)s"
PAGE_PARTIES = "AND l.party = ANY(%(parties)s)"

LATER = """
SELECT 1 FROM account_move WHERE company = %(company)s AND date > %(date)s
LIMIT 1
"""

# a payment line without maturity is dated by the invoice it pays, else by
# its move (in a union's part: computed once, not once per band)
DATED = """
WITH open_lines AS ({unreconciled} UNION ALL {reconciled_after}),
dated AS (
    SELECT party, amount, maturity_date AS due FROM open_lines
    WHERE maturity_date IS NOT NULL
    UNION ALL
    SELECT o.party, o.amount, COALESCE(
        (SELECT MIN(d.maturity_date)
            FROM "account_invoice-account_move_line" p
            JOIN account_invoice i ON i.id = p.invoice
            JOIN account_move_line d ON d.move = i.move
                AND d.account = i.account AND d.maturity_date IS NOT NULL
            WHERE p.line = o.id),
        (SELECT m.date FROM account_move m WHERE m.id = o.move))
    FROM open_lines o
    WHERE o.maturity_date IS NULL)
"""

# the page's customers from the two sums it is sorted on, every customer
# who owes summed; then their bands, for those customers alone
RANK = """
SELECT party FROM dated
GROUP BY party
HAVING SUM(amount) <> 0
ORDER BY SUM(CASE WHEN due < %(date)s THEN amount ELSE 0 END) DESC,
    SUM(amount) DESC, party
LIMIT %(limit)s
"""

PAGE = """
SELECT party, party, SUM(amount) AS balance,
    SUM(CASE WHEN due >= %(date)s THEN amount ELSE 0 END),
    SUM(CASE WHEN due BETWEEN %(d30)s AND %(d1)s THEN amount ELSE 0 END),
    SUM(CASE WHEN due BETWEEN %(d60)s AND %(d31)s THEN amount ELSE 0 END),
    SUM(CASE WHEN due BETWEEN %(d90)s AND %(d61)s THEN amount ELSE 0 END),
    SUM(CASE WHEN due < %(d90)s THEN amount ELSE 0 END),
    SUM(CASE WHEN due < %(date)s THEN amount ELSE 0 END) AS overdue
FROM dated
GROUP BY party
"""


def _dated_statement(later, parties=''):
    move = dict(join=MOVE_JOIN if later else '',
        move_date=MOVE_DATE if later else '', parties=parties)
    return DATED.format(
        unreconciled=OPEN_LINES.format(
            where='l.reconciliation IS NULL', **move),
        reconciled_after=OPEN_LINES.format(**dict(move,
                join=('JOIN account_move_reconciliation r '
                    'ON r.id = l.reconciliation ' + move['join']),
                where='r.date > %(date)s')))


def _parameters(date, company):
    days = {f'd{n}': date - dt.timedelta(days=n)
        for n in [1, 30, 31, 60, 61, 90]}
    return dict(days, date=date, company=company, limit=PAGE_SIZE)


def _floor(cursor, parameters):
    cursor.execute(LATER, parameters)
    later = cursor.fetchone() is not None
    cursor.execute(_dated_statement(later) + RANK, parameters)
    parties = [p for p, in cursor.fetchall()]
    cursor.execute(_dated_statement(later, PAGE_PARTIES) + PAGE,
        dict(parameters, parties=parties))
    rows = {r[0]: tuple(r) for r in cursor.fetchall()}
    return [rows[p] for p in parties]


def _first_page(Ageing, transaction, date):
    with transaction.set_context(date=date):
        ids = [r.id for r in Ageing.search([], limit=PAGE_SIZE)]
        values = {r['id']: r for r in Ageing.read(ids, FIELDS)}
    return [tuple(values[i][f] for f in ['id'] + FIELDS) for i in ids]


def _as_of(cursor):
    "The last day of the data set's invoices, as the credit officer's today"
    cursor.execute("SELECT MAX(invoice_date) FROM account_invoice")
    date, = cursor.fetchone()
    return date


def run(ctx):
    with ctx.transaction() as transaction:
        Ageing = ctx.pool.get('crm.receivable.ageing')
        company = transaction.context['company']
        cursor = transaction.connection.cursor()
        date = _as_of(cursor)
        if date is None:
            return []
        parameters = _parameters(date, company)
        _floor(cursor, parameters)  # warm the caches
        _first_page(Ageing, transaction, date)
        ours, floors = [], []
        for _ in range(REPEAT):
            floors.append(ctx.measure(_floor, cursor, parameters))
            ours.append(ctx.measure(_first_page, Ageing, transaction, date))
        ours, floor = _median(ours), _median(floors)
        if ours.value != floor.value:
            raise AssertionError(
                "the ageing's first page differs from the floor: "
                f"{ours.value[:3]} != {floor.value[:3]}")
        cursor.execute(
            "SELECT COUNT(*) FROM account_move_line WHERE party IS NOT NULL")
        lines, = cursor.fetchone()
    return [ctx.entry('receivable_ageing_first_page', ours, floor, lines,
            repeat=REPEAT, as_of=str(date))]
