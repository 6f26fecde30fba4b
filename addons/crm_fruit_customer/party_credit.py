# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
import fnmatch
import re
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Sum

from trytond import backend
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction, without_check_access

GRADES = [
    (None, ""),
    ('1', "1 — excellent"),
    ('2', "2 — good"),
    ('3', "3 — fair"),
    ('4', "4 — weak"),
    ('5', "5 — poor"),
    ('6', "6 — bad"),
    ]


class Party(metaclass=PoolMeta):
    """The customer's credit rating: the class of his credit limit
    (account_credit_limit) and his characteristic grade, written together
    as 3A2"""
    __name__ = 'party.party'

    credit_grade = fields.Selection(GRADES, "Credit Grade", sort=False,
        help="The characteristic grade of the customer's credit, from 1 "
        "(best) to 6.")
    credit_class = fields.Function(fields.Many2One(
            'crm.credit.class', "Credit Class",
            help="The band the customer's credit limit is in."),
        'get_credit_rating', searcher='search_credit_class')
    credit_rating = fields.Function(fields.Char("Credit Rating",
            help="The credit class and the grade, e.g. 3A2 for a limit of "
            "600,000 to 1,000,000 and grade 2."),
        'get_credit_rating', searcher='search_credit_rating')
    credit_key_customer = fields.Function(fields.Boolean(
            "Key Credit Customer",
            help="Last year's sales to the customer reach the key customer "
            "sales of the CRM configuration: his credit data is kept "
            "first."),
        'get_credit_key_customer', searcher='search_credit_key_customer')
    credit_review_date = fields.Function(fields.Date(
            "Credit Review Date",
            help="When the credit data of the customer is to be collected "
            "again: six months after his last approved evaluation."),
        'get_credit_review_date')
    credit_on_time_rate = fields.Function(fields.Float(
            "Paid Early or on Time %", digits=(16, 1),
            help="The share of the amounts that fell due in the last year "
            "the customer paid early or on time: the credit reward of his "
            "grade."),
        'get_credit_on_time_rate')

    @classmethod
    def _default_credit_limit(cls):
        "The limit of a customer without one of his own in the company"
        pool = Pool()
        Configuration = pool.get('account.configuration')
        return Configuration(1).get_multivalue('default_credit_limit_amount',
            company=Transaction().context.get('company'))

    @classmethod
    def credit_limits(cls, parties):
        """{party id: credit limit amount} in the context's company (the
        default of the accounting configuration without one of his own)"""
        pool = Pool()
        Limit = pool.get('party.party.credit_limit_amount')
        company = Transaction().context.get('company')
        default = cls._default_credit_limit()
        limit = Limit.__table__()
        cursor = Transaction().connection.cursor()
        result = {p.id: default for p in parties}
        for sub in grouped_slice([p.id for p in parties],
                backend.MAX_QUERY_PARAMS):
            cursor.execute(*limit.select(limit.party,
                    limit.credit_limit_amount,
                    where=reduce_ids(limit.party, sub)
                    & (limit.company == company)))
            result.update(cursor)
        return result

    @classmethod
    def get_credit_rating(cls, parties, names):
        pool = Pool()
        CreditClass = pool.get('crm.credit.class')
        bands = CreditClass.bands()
        limits = cls.credit_limits(parties)
        result = {name: {} for name in names}
        for party in parties:
            class_ = CreditClass.of_amount(limits[party.id], bands)
            if 'credit_class' in names:
                result['credit_class'][party.id] = (
                    class_.id if class_ else None)
            if 'credit_rating' in names:
                result['credit_rating'][party.id] = (
                    class_.code + (party.credit_grade or '') if class_
                    else None)
        return result

    @classmethod
    def key_customers(cls, party_ids=None):
        """The ids of the customers, among party_ids, whose sales of last
        year in the context's company reach the key customer sales"""
        Configuration = Pool().get('crm.configuration')
        threshold = Configuration(1).key_customer_sales
        if threshold is None:
            return set()
        return {p for p, total in cls.last_year_sales(party_ids).items()
            if total >= threshold}

    @classmethod
    def last_year_sales(cls, party_ids=None):
        """{party id: his confirmed sales of last year in the context's
        company, in its currency} of the customers among party_ids"""
        pool = Pool()
        Company = pool.get('company.company')
        Currency = pool.get('currency.currency')
        Sale = pool.get('sale.sale')
        Line = pool.get('sale.line')
        company_id = Transaction().context.get('company')
        if not company_id:
            return {}
        company = Company(company_id)
        year = pool.get('ir.date').today().year - 1
        end = dt.date(year, 12, 31)
        sale, line = Sale.__table__(), Line.__table__()
        where = ((sale.company == company_id)
            & sale.state.in_(['confirmed', 'processing', 'done'])
            & (sale.sale_date >= dt.date(year, 1, 1))
            & (sale.sale_date <= end)
            & (line.type == 'line'))
        totals = defaultdict(Decimal)
        cursor = Transaction().connection.cursor()
        for sub in ([None] if party_ids is None
                else grouped_slice(party_ids, backend.MAX_QUERY_PARAMS)):
            sub_where = where if sub is None else (
                where & reduce_ids(sale.party, list(sub)))
            cursor.execute(*line.join(sale, condition=line.sale == sale.id
                    ).select(sale.party, sale.currency,
                    Sum(line.quantity * line.unit_price),
                    where=sub_where, group_by=[sale.party, sale.currency]))
            with Transaction().set_context(date=end):
                for party, currency, amount in cursor.fetchall():
                    totals[party] += Currency.compute(
                        Currency(currency), Decimal(str(amount or 0)),
                        company.currency, round=False)
        return dict(totals)

    @classmethod
    def get_credit_key_customer(cls, parties, name):
        keys = cls.key_customers([p.id for p in parties])
        return {p.id: p.id in keys for p in parties}

    @classmethod
    def search_credit_key_customer(cls, name, clause):
        _, operator, value = clause[:3]
        positive = (operator == '=') == bool(value)
        if operator not in {'=', '!='}:
            return [('id', '=', -1)]
        return [('id', 'in' if positive else 'not in',
                list(cls.key_customers()))]

    @classmethod
    def get_credit_review_date(cls, parties, name):
        pool = Pool()
        Evaluation = pool.get('crm.credit.evaluation')
        company = Transaction().context.get('company')
        result = dict.fromkeys([p.id for p in parties])
        if company:
            # the customer's grade is read by whoever reads him, so is the
            # date it is to be reviewed
            with without_check_access():
                latest = Evaluation.latest_approved(parties, company)
            result.update(
                (p, e.review_date) for p, e in latest.items())
        return result

    @classmethod
    def get_credit_on_time_rate(cls, parties, name):
        PaymentRecord = Pool().get('crm.credit.payment')
        result = dict.fromkeys([p.id for p in parties])
        if not Transaction().context.get('company'):
            return result
        # read with the customer, like his grade
        with without_check_access():
            summary = PaymentRecord.summary(parties)
        for party, (due, good, _) in summary.items():
            if due:
                result[party] = round(good * 100 / due, 1)
        return result

    @classmethod
    def _credit_class_domain(cls, minimum, upper, default):
        """The parties whose credit limit is in [minimum, upper), default
        the limit of those without one"""
        company = Transaction().context.get('company')
        amount = [('credit_limit_amount', '>=', minimum)]
        if upper is not None:
            amount.append(('credit_limit_amount', '<', upper))
        domain = ['OR', ('credit_limit_amounts', 'where', [
                    ('company', '=', company), *amount])]
        if default is not None and default >= minimum and (
                upper is None or default < upper):
            domain.append(('credit_limit_amounts', 'not where', [
                        ('company', '=', company)]))
        return domain

    @classmethod
    def search_credit_class(cls, name, clause):
        pool = Pool()
        CreditClass = pool.get('crm.credit.class')
        name, operator, value, *extra = clause
        if '.' in name:
            target = name.split('.', 1)[1]
        else:
            target = 'rec_name' if isinstance(value, str) else 'id'
        wanted = {c.id for c in CreditClass.search(
                [(target, operator, value, *extra)])}
        default = cls._default_credit_limit()
        domains = [cls._credit_class_domain(minimum, upper, default)
            for minimum, upper, c in CreditClass.bands() if c.id in wanted]
        return ['OR', *domains] if domains else [('id', '=', -1)]

    @classmethod
    def search_credit_rating(cls, name, clause):
        "The ratings (class × grade) the clause matches, as their domains"
        pool = Pool()
        CreditClass = pool.get('crm.credit.class')
        _, operator, value = clause[:3]
        default = cls._default_credit_limit()
        domains = []
        for minimum, upper, class_ in CreditClass.bands():
            for grade, _ in GRADES:
                rating = class_.code + (grade or '')
                if _matches(rating, operator, value):
                    domains.append([
                            cls._credit_class_domain(minimum, upper, default),
                            ('credit_grade', '=', grade)])
        return ['OR', *domains] if domains else [('id', '=', -1)]


def _matches(rating, operator, value):
    "Whether the rating satisfies the clause (=, !=, in, not in, like)"
    if operator in {'=', '!='}:
        return (rating == value) == (operator == '=')
    if operator in {'in', 'not in'}:
        return (rating in (value or [])) == (operator == 'in')
    if operator.endswith('like'):
        pattern = fnmatch.translate(
            (value or '').replace('%', '*').replace('_', '?'))
        flags = re.IGNORECASE if 'ilike' in operator else 0
        found = bool(re.match(pattern, rating, flags))
        return found != operator.startswith('not')
    return False
