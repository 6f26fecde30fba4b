# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt

from sql import Literal, Null
from sql.aggregate import Count, Sum
from sql.conditionals import Case, Coalesce

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .reporting_context import CompanyContextMixin


class WatchContext(CompanyContextMixin, ModelView):
    __name__ = 'crm.handover.watch.context'
    __string__ = "Handover Watch Context"

    date = fields.Date(
        "Date", required=True,
        help="Show the customers watched on this day.")
    all_ = fields.Boolean(
        "All", help="Show also the customers whose orders did not drop.")

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()


class Watch(ModelSQL, ModelView):
    __name__ = 'crm.handover.watch'
    __string__ = "Handed-over Customer Watch"

    company = fields.Many2One('company.company', "Company")
    party = fields.Many2One(
        'party.party', "Customer",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    employee = fields.Many2One('company.employee', "Previous Employee")
    successor = fields.Many2One('company.employee', "Successor")
    handover_date = fields.Date("Handover Date")
    watch_end = fields.Date("Watch End")
    orders_before = fields.Integer("Orders Before")
    orders_after = fields.Integer("Orders After")
    amount_before = fields.Numeric("Amount Before", digits=(16, 2))
    amount_after = fields.Numeric("Amount After", digits=(16, 2))
    drop = fields.Function(
        fields.Float("Drop", digits=(1, 4)), 'get_drop')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('handover_date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Configuration = pool.get('crm.configuration')
        tables = cls._tables()
        columns = cls._columns(tables)
        keys = [
            'id', 'company', 'party', 'employee', 'successor',
            'handover_date', 'watch_end']
        query = cls._from_item(tables).select(
            *(c.as_(n) for n, c in columns.items()),
            where=cls._where(tables),
            group_by=[columns[k] for k in keys])
        if not Transaction().context.get('all_'):
            drop = Literal(1 - Configuration(1).watch_drop)
            query.having = (
                columns['amount_after'] < columns['amount_before'] * drop)
        return query

    @classmethod
    def _tables(cls):
        pool = Pool()
        return {
            'log_party': pool.get('crm.handover.log.party').__table__(),
            'log': pool.get('crm.handover.log').__table__(),
            'sale': pool.get('sale.sale').__table__(),
            'line': pool.get('sale.line').__table__(),
            }

    @classmethod
    def _from_item(cls, tables):
        log_party, log = tables['log_party'], tables['log']
        sale, line = tables['sale'], tables['line']
        before, after = cls._periods(tables)
        return (log_party
            .join(log, condition=log_party.log == log.id)
            .join(sale, 'LEFT', condition=(sale.party == log_party.party)
                & (sale.company == log.company)
                & sale.state.in_(cls._sale_states())
                & (before | after))
            .join(line, 'LEFT', condition=(line.sale == sale.id)
                & (line.type == 'line')))

    @classmethod
    def _periods(cls, tables):
        """Return the conditions of a sale before and after the handover

        Both periods are as long as the time elapsed since the handover up to
        the watch date, so that early in the watch a customer is not compared
        with more days of orders than he has had since."""
        log_party, sale = tables['log_party'], tables['sale']
        date = cls._watch_date()
        before = ((sale.sale_date >= cls._before_start(tables, date))
            & (sale.sale_date < log_party.handover_date))
        after = ((sale.sale_date >= log_party.handover_date)
            & (sale.sale_date <= date))
        return before, after

    @classmethod
    def _before_start(cls, tables, date):
        "Return the start of the period before, per handover date"
        log_party = tables['log_party']
        cursor = Transaction().connection.cursor()
        cursor.execute(*log_party.select(log_party.handover_date,
                where=(log_party.handover_date <= date)
                & (log_party.watch_end >= date),
                group_by=[log_party.handover_date]))
        whens = [
            (log_party.handover_date == h, h - (date - h) - dt.timedelta(1))
            for h, in cursor]
        if not whens:
            return log_party.watch_start
        return Case(*whens, else_=log_party.watch_start)

    @classmethod
    def _columns(cls, tables):
        log_party, log = tables['log_party'], tables['log']
        sale, line = tables['sale'], tables['line']
        before, after = cls._periods(tables)
        amount = Coalesce(line.quantity, 0) * Coalesce(line.unit_price, 0)
        return {
            'id': log_party.id,
            'company': log.company,
            'party': log_party.party,
            'employee': log.employee,
            'successor': log.successor,
            'handover_date': log_party.handover_date,
            'watch_end': log_party.watch_end,
            'orders_before': Count(
                Case((before, sale.id), else_=Null), distinct=True),
            'orders_after': Count(
                Case((after, sale.id), else_=Null), distinct=True),
            'amount_before': Sum(Case((before, amount), else_=0)),
            'amount_after': Sum(Case((after, amount), else_=0)),
            }

    @classmethod
    def _where(cls, tables):
        "Select the customers watched on the watch date"
        log_party, log = tables['log_party'], tables['log']
        date = cls._watch_date()
        return ((log.company == Transaction().context.get('company', -1))
            & (log_party.handover_date <= date)
            & (log_party.watch_end >= date))

    @classmethod
    def _watch_date(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        return Transaction().context.get('date') or Date.today()

    @classmethod
    def _sale_states(cls):
        return ['confirmed', 'processing', 'done']

    def get_drop(self, name):
        if self.amount_before:
            return float(
                (self.amount_before - (self.amount_after or 0))
                / self.amount_before)
