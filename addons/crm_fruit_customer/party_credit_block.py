# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.fields import SQL_OPERATORS
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .credit_block import KINDS
from .exceptions import CreditBlockError


class Party(metaclass=PoolMeta):
    "The customer's credit blocks, shown wherever he is and enforced"
    __name__ = 'party.party'

    credit_block = fields.Function(fields.Selection(
            [(None, "")] + KINDS, "Credit Block",
            help="The customer is blacklisted or his shipping stopped: his "
            "sales are not confirmed nor his goods shipped."),
        'get_credit_block', searcher='search_credit_block')
    credit_block_reason = fields.Function(fields.Char("Block Reason"),
        'get_credit_block')

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//group[@id="credit_block"]', 'states', {
                    'invisible': ~Eval('credit_block'),
                    }),
            ]

    @classmethod
    def get_credit_block(cls, parties, names):
        Block = Pool().get('crm.credit.block')
        blocks = Block.active_blocks([p.id for p in parties])
        result = {name: {} for name in names}
        for party in parties:
            first = blocks[party.id][0] if blocks[party.id] else None
            if 'credit_block' in names:
                result['credit_block'][party.id] = first and first.kind
            if 'credit_block_reason' in names:
                result['credit_block_reason'][party.id] = (
                    first and first.reason)
        return result

    @classmethod
    def search_credit_block(cls, name, clause):
        "The customers with (or without) an active block of the kinds asked"
        Block = Pool().get('crm.credit.block')
        _, operator, value = clause[:3]
        block = Block.__table__()
        where = ((block.state == 'active')
            & (block.company == Transaction().context.get('company')))
        if value is None:
            in_ = 'not in' if operator == '=' else 'in'
        else:
            in_ = 'in'
            where &= SQL_OPERATORS[operator](block.kind, value)
        return [('id', in_, block.select(block.party, where=where))]

    @classmethod
    def check_credit_block(cls, parties, company):
        "Refuse to sell or ship on credit to a blocked customer"
        Block = Pool().get('crm.credit.block')
        blocks = Block.active_blocks([p.id for p in parties], company.id)
        for party in parties:
            if blocks[party.id]:
                block = blocks[party.id][0]
                raise CreditBlockError(gettext(
                        'crm_fruit_customer.msg_credit_blocked',
                        customer=party.rec_name, block=block.rec_name,
                        reason=block.reason))
