# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval

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
