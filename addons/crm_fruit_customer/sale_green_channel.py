# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import GreenChannelError
from .scope import check_system_fields

GREEN_CHANNELS = [
    (None, ""),
    ('group', "Group Purchase"),
    ('project', "Project Sale"),
    ('government', "Government Purchase"),
    ]


class Sale(metaclass=PoolMeta):
    """The green channel of seed 004: an urgent group, project or
    government order is shipped first, before the credit is granted, on the
    marketing head's approval"""
    __name__ = 'sale.sale'

    _green = {
        'readonly': (~Eval('state').in_(['draft', 'quotation'])
            | Bool(Eval('green_channel_approved_by'))),
        }

    green_channel = fields.Selection(
        GREEN_CHANNELS, "Green Channel", sort=False, states=_green,
        help="An urgent group, project or government order: once approved, "
        "it is confirmed whatever the customer's credit limit.")
    green_channel_reason = fields.Char(
        "Green Channel Reason",
        states={
            'readonly': _green['readonly'],
            'required': Bool(Eval('green_channel')),
            'invisible': ~Eval('green_channel'),
            },
        help="Why the order cannot wait for the credit.")
    green_channel_approved_by = fields.Many2One(
        'company.employee', "Green Channel Approved By", readonly=True,
        states={
            'invisible': ~Eval('green_channel'),
            })
    green_channel_approved_date = fields.Date(
        "Green Channel Approved On", readonly=True,
        states={
            'invisible': ~Eval('green_channel_approved_by'),
            })

    del _green

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'approve_green_channel': {
                    'invisible': (~Eval('green_channel')
                        | Bool(Eval('green_channel_approved_by'))
                        | ~Eval('state').in_(['draft', 'quotation'])),
                    'icon': 'tryton-ok',
                    'depends': ['green_channel', 'green_channel_approved_by',
                        'state'],
                    },
                })

    @classmethod
    def _green_channel_system_fields(cls):
        return {'green_channel_approved_by', 'green_channel_approved_date'}

    def must_check_credit_limit(self):
        # shipped first: the credit is seen to after
        if self.green_channel and self.green_channel_approved_by:
            return False
        return super().must_check_credit_limit()

    @classmethod
    def check_modification(cls, mode, sales, values=None, external=False):
        super().check_modification(
            mode, sales, values=values, external=external)
        if external:
            check_system_fields(
                cls, mode, sales, values, cls._green_channel_system_fields())
        if external and mode == 'write' and (
                {'green_channel', 'green_channel_reason'} & values.keys()):
            for sale in sales:
                if sale.green_channel_approved_by:
                    raise GreenChannelError(gettext(
                            'crm_fruit_customer.msg_green_channel_approved',
                            sale=sale.rec_name))

    @classmethod
    def copy(cls, sales, default=None):
        default = default.copy() if default is not None else {}
        for name in cls._green_channel_system_fields():
            default.setdefault(name)
        return super().copy(sales, default=default)

    @classmethod
    def draft(cls, sales):
        super().draft(sales)
        # back to draft, the order is asked for again
        approved = [s for s in cls.browse(sales)
            if s.state == 'draft' and s.green_channel_approved_by]
        if approved:
            with without_check_access():
                cls.write(approved, dict.fromkeys(
                        cls._green_channel_system_fields()))

    @classmethod
    @ModelView.button
    def approve_green_channel(cls, sales):
        pool = Pool()
        User = pool.get('res.user')
        employee = User(Transaction().user).employee
        for sale in sales:
            if not sale.green_channel or not sale.green_channel_reason:
                raise GreenChannelError(gettext(
                        'crm_fruit_customer.msg_green_channel_missing',
                        sale=sale.rec_name))
            if not employee or employee.company != sale.company:
                raise GreenChannelError(gettext(
                        'crm_fruit_customer.msg_green_channel_employee',
                        sale=sale.rec_name))
        if not sales:
            return
        cls.write(sales, {
                'green_channel_approved_by': employee.id,
                'green_channel_approved_date': pool.get('ir.date').today(),
                })
