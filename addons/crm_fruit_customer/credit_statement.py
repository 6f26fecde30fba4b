# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.transaction import without_check_access

from .credit_document import CreditDocumentMixin
from .exceptions import CreditStatementError

_RATIO = (16, 4)
_PERCENT = (16, 2)

# the lines the statement may never be below zero
_NON_NEGATIVE = [
    'cash', 'inventory', 'current_assets', 'total_assets',
    'current_liabilities', 'total_liabilities', 'revenue', 'cost_of_sales']


def _divide(numerator, denominator, factor=1):
    "numerator / denominator, None without both or when it is zero"
    if numerator is None or not denominator:
        return None
    return Decimal(numerator) * factor / Decimal(denominator)


class Statement(CreditDocumentMixin, ModelSQL, ModelView):
    """The key lines of a customer's three financial statements of a year
    (balance sheet, income statement, cash flow: seed 004) and the ratios
    the credit control reads from them"""
    __name__ = 'crm.credit.statement'
    __string__ = "Financial Statement"

    year = fields.Integer(
        "Year", required=True,
        domain=[('year', '>=', 1900), ('year', '<=', 2999)],
        help="The financial year the statements close.")
    currency = fields.Many2One(
        'currency.currency', "Currency", required=True,
        help="The currency the statements are written in.")
    source = fields.Char(
        "Source",
        help="Where the figures come from: audited accounts, the tax "
        "return, the customer's own statements.")

    cash = Monetary(
        "Cash", currency='currency', digits='currency', required=True,
        help="Cash and bank balances.")
    inventory = Monetary(
        "Inventory", currency='currency', digits='currency', required=True)
    current_assets = Monetary(
        "Current Assets", currency='currency', digits='currency',
        required=True, help="Including the cash and the inventory.")
    total_assets = Monetary(
        "Total Assets", currency='currency', digits='currency',
        required=True)
    current_liabilities = Monetary(
        "Current Liabilities", currency='currency', digits='currency',
        required=True, help="The debts due within a year.")
    total_liabilities = Monetary(
        "Total Liabilities", currency='currency', digits='currency',
        required=True)
    equity = fields.Function(Monetary(
            "Equity", currency='currency', digits='currency',
            help="Total assets less total liabilities."),
        'on_change_with_equity')
    working_capital = fields.Function(Monetary(
            "Working Capital", currency='currency', digits='currency',
            help="Current assets less current liabilities."),
        'on_change_with_working_capital')

    revenue = Monetary(
        "Revenue", currency='currency', digits='currency', required=True)
    cost_of_sales = Monetary(
        "Cost of Sales", currency='currency', digits='currency',
        required=True)
    net_profit = Monetary(
        "Net Profit", currency='currency', digits='currency', required=True,
        help="Negative for a loss.")

    operating_cash_flow = Monetary(
        "Operating Cash Flow", currency='currency', digits='currency')
    investing_cash_flow = Monetary(
        "Investing Cash Flow", currency='currency', digits='currency')
    financing_cash_flow = Monetary(
        "Financing Cash Flow", currency='currency', digits='currency')

    current_ratio = fields.Function(fields.Numeric(
            "Current Ratio", digits=_RATIO,
            help="Current assets / current liabilities."),
        'on_change_with_current_ratio')
    quick_ratio = fields.Function(fields.Numeric(
            "Quick Ratio", digits=_RATIO,
            help="(Current assets - inventory) / current liabilities."),
        'on_change_with_quick_ratio')
    cash_ratio = fields.Function(fields.Numeric(
            "Cash Ratio", digits=_RATIO,
            help="Cash / current liabilities."),
        'on_change_with_cash_ratio')
    cash_flow_ratio = fields.Function(fields.Numeric(
            "Cash Flow Ratio", digits=_RATIO,
            help="Operating cash flow / current liabilities."),
        'on_change_with_cash_flow_ratio')
    debt_ratio = fields.Function(fields.Numeric(
            "Debt Ratio (%)", digits=_PERCENT,
            help="Total liabilities / total assets."),
        'on_change_with_debt_ratio')
    stock_turnover = fields.Function(fields.Numeric(
            "Stock Turnover", digits=_RATIO,
            help="Cost of sales / inventory: how many times a year the "
            "stock is sold."),
        'on_change_with_stock_turnover')
    gross_margin = fields.Function(fields.Numeric(
            "Gross Margin (%)", digits=_PERCENT,
            help="(Revenue - cost of sales) / revenue."),
        'on_change_with_gross_margin')
    profit_margin = fields.Function(fields.Numeric(
            "Profit Margin (%)", digits=_PERCENT,
            help="Net profit / revenue."),
        'on_change_with_profit_margin')
    cost_profit_ratio = fields.Function(fields.Numeric(
            "Cost Profit Ratio (%)", digits=_PERCENT,
            help="Net profit / cost of sales."),
        'on_change_with_cost_profit_ratio')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('year', 'DESC'),
            ('id', 'DESC'),
            ]
        table = cls.__table__()
        cls._sql_constraints += [
            ('party_year_unique',
                Unique(table, table.company, table.party, table.year),
                'crm_fruit_customer.msg_credit_statement_year_unique'),
            ]
        for name in _NON_NEGATIVE:
            getattr(cls, name).domain = [(name, '>=', 0)]

    @classmethod
    def default_currency(cls):
        pool = Pool()
        Company = pool.get('company.company')
        if company := cls.default_company():
            return Company(company).currency.id

    @classmethod
    def default_year(cls):
        return Pool().get('ir.date').today().year - 1

    @fields.depends('total_assets', 'total_liabilities')
    def on_change_with_equity(self, name=None):
        if self.total_assets is not None and (
                self.total_liabilities is not None):
            return self.total_assets - self.total_liabilities

    @fields.depends('current_assets', 'current_liabilities')
    def on_change_with_working_capital(self, name=None):
        if self.current_assets is not None and (
                self.current_liabilities is not None):
            return self.current_assets - self.current_liabilities

    @fields.depends('current_assets', 'current_liabilities')
    def on_change_with_current_ratio(self, name=None):
        return self._round(_divide(
                self.current_assets, self.current_liabilities), _RATIO)

    @fields.depends('current_assets', 'inventory', 'current_liabilities')
    def on_change_with_quick_ratio(self, name=None):
        if self.current_assets is not None and self.inventory is not None:
            return self._round(_divide(
                    self.current_assets - self.inventory,
                    self.current_liabilities), _RATIO)

    @fields.depends('cash', 'current_liabilities')
    def on_change_with_cash_ratio(self, name=None):
        return self._round(
            _divide(self.cash, self.current_liabilities), _RATIO)

    @fields.depends('operating_cash_flow', 'current_liabilities')
    def on_change_with_cash_flow_ratio(self, name=None):
        return self._round(_divide(
                self.operating_cash_flow, self.current_liabilities), _RATIO)

    @fields.depends('total_liabilities', 'total_assets')
    def on_change_with_debt_ratio(self, name=None):
        return self._round(_divide(
                self.total_liabilities, self.total_assets, 100), _PERCENT)

    @fields.depends('cost_of_sales', 'inventory')
    def on_change_with_stock_turnover(self, name=None):
        return self._round(
            _divide(self.cost_of_sales, self.inventory), _RATIO)

    @fields.depends('revenue', 'cost_of_sales')
    def on_change_with_gross_margin(self, name=None):
        if self.revenue is not None and self.cost_of_sales is not None:
            return self._round(_divide(
                    self.revenue - self.cost_of_sales, self.revenue, 100),
                _PERCENT)

    @fields.depends('net_profit', 'revenue')
    def on_change_with_profit_margin(self, name=None):
        return self._round(
            _divide(self.net_profit, self.revenue, 100), _PERCENT)

    @fields.depends('net_profit', 'cost_of_sales')
    def on_change_with_cost_profit_ratio(self, name=None):
        return self._round(
            _divide(self.net_profit, self.cost_of_sales, 100), _PERCENT)

    @staticmethod
    def _round(value, digits):
        if value is not None:
            return value.quantize(Decimal(1).scaleb(-digits[1]))

    def _rec_name_detail(self):
        return str(self.year)

    @classmethod
    def validate_fields(cls, statements, field_names):
        super().validate_fields(statements, field_names)
        cls.check_parts(statements)

    @classmethod
    def check_parts(cls, statements):
        "A part is never larger than its whole"
        for statement in statements:
            for part, whole in [
                    ('cash', 'current_assets'),
                    ('inventory', 'current_assets'),
                    ('current_assets', 'total_assets'),
                    ('current_liabilities', 'total_liabilities'),
                    ]:
                if getattr(statement, part) > getattr(statement, whole):
                    strings = cls.fields_get([part, whole])
                    raise CreditStatementError(gettext(
                            'crm_fruit_customer.msg_credit_statement_part',
                            statement=statement.rec_name,
                            part=strings[part]['string'],
                            whole=strings[whole]['string']))

    @classmethod
    def check_modification(
            cls, mode, statements, values=None, external=False):
        super().check_modification(
            mode, statements, values=values, external=external)
        if mode in {'write', 'delete'}:
            cls.check_not_evaluated(statements)

    @classmethod
    def check_not_evaluated(cls, statements):
        "The statements an evaluation rests on stay as they were evaluated"
        pool = Pool()
        Evaluation = pool.get('crm.credit.evaluation')
        with without_check_access():
            evaluations = Evaluation.search([
                    ('statement', 'in', [s.id for s in statements]),
                    ('state', 'in', ['evaluated', 'approved']),
                    ], limit=1)
        if evaluations:
            evaluation, = evaluations
            raise CreditStatementError(gettext(
                    'crm_fruit_customer.msg_credit_statement_evaluated',
                    statement=evaluation.statement.rec_name,
                    evaluation=evaluation.rec_name))
