# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import PoolMeta

from .exceptions import ReceiptError


class ShipmentOut(metaclass=PoolMeta):
    "The customer's receipt of a delivery (签收), confirmed in the portal"
    __name__ = 'stock.shipment.out'

    received = fields.Timestamp("Received", readonly=True,
        help="When the customer confirmed the receipt in the portal.")
    received_by = fields.Many2One('web.user', "Received By", readonly=True,
        ondelete='RESTRICT',
        help="The portal user who confirmed the receipt.")

    @classmethod
    def copy(cls, shipments, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('received')
        default.setdefault('received_by')
        return super().copy(shipments, default=default)

    @classmethod
    def check_modification(cls, mode, shipments, values=None, external=False):
        super().check_modification(
            mode, shipments, values=values, external=external)
        # Only the portal confirms (not a client's write on read-only fields)
        if mode == 'write' and external and (
                {'received', 'received_by'} & set(values)):
            raise ReceiptError(gettext('crm_fruit_portal.msg_receipt_portal'))

    @property
    def receivable(self):
        "Whether the customer can confirm the receipt now"
        return self.state == 'done' and not self.received

    @classmethod
    def confirm_receipt(cls, shipments, web_user):
        "Record that web_user received shipments (ownership checked before)"
        cls.write([s for s in shipments if s.receivable], {
                'received': dt.datetime.now(),
                'received_by': web_user.id,
                })
