# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from .document import DocumentReport


class DeliveryNote(DocumentReport):
    """The delivery note of a customer shipment as a PDF: what left the cold
    store, lot by lot, the export papers, the customer's receipt"""
    __name__ = 'crm_fruit_portal.delivery_note'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['delivered'] = cls.delivered
        return context

    @staticmethod
    def delivered(shipment):
        "The outgoing moves of shipment that were not cancelled"
        return [m for m in shipment.outgoing_moves if m.state != 'cancelled']
