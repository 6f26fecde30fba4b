# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .credit_block import KINDS, standing_block

_states = {
    'readonly': Eval('state') == 'cancelled',
    }


class ShipmentOut(metaclass=PoolMeta):
    "Export documents of a customer shipment"
    __name__ = 'stock.shipment.out'

    container_number = fields.Char(
        "Container No.", states=_states,
        help="The ISO 6346 number of the container the goods are loaded in.")
    bill_of_lading = fields.Char(
        "B/L No.", states=_states,
        help="The number of the bill of lading issued by the shipping line.")
    eta = fields.Date(
        "ETA", states=_states,
        help="The estimated time of arrival at the port of destination.")
    customer_credit_block = fields.Function(fields.Selection(
            [(None, "")] + KINDS, "Credit Block"),
        'on_change_with_customer_credit_block')
    customer_credit_block_reason = fields.Function(
        fields.Char("Block Reason"),
        'on_change_with_customer_credit_block_reason')

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//group[@id="credit_block"]', 'states', {
                    'invisible': ~Eval('customer_credit_block'),
                    }),
            ]

    @fields.depends('customer', 'company')
    def on_change_with_customer_credit_block(self, name=None):
        "The customer's block, shown to whoever picks and ships his goods"
        kind, _ = standing_block(self.customer, self.company)
        return kind

    @fields.depends('customer', 'company')
    def on_change_with_customer_credit_block_reason(self, name=None):
        _, reason = standing_block(self.customer, self.company)
        return reason

    @classmethod
    def check_credit_block(cls, shipments, state):
        "No goods leave for a customer whose shipping is stopped"
        Party = Pool().get('party.party')
        for shipment in shipments:
            if shipment.state != state:
                Party.check_credit_block(
                    [shipment.customer], shipment.company)

    @classmethod
    def pick(cls, shipments):
        cls.check_credit_block(shipments, 'picked')
        super().pick(shipments)

    @classmethod
    def pack(cls, shipments):
        cls.check_credit_block(shipments, 'packed')
        super().pack(shipments)

    @classmethod
    def do(cls, shipments):
        cls.check_credit_block(shipments, 'done')
        super().do(shipments)
