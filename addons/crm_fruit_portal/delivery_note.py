# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.pool import Pool
from trytond.report import Report


class DeliveryNote(Report):
    """The delivery note of a customer shipment as a PDF: what left the cold
    store, lot by lot, the export papers, the customer's receipt"""
    __name__ = 'crm_fruit_portal.delivery_note'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Lang = pool.get('ir.lang')
        context = super().get_context(records, header, data)
        context['lang'] = Lang.get()
        context['delivered'] = cls.delivered
        return context

    @staticmethod
    def delivered(shipment):
        "The outgoing moves of shipment that were not cancelled"
        return [m for m in shipment.outgoing_moves if m.state != 'cancelled']
