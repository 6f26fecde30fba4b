# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.model import fields
from trytond.pool import PoolMeta

STEPS = [
    (None, ""),
    ('reminder', "Reminder"),
    ('warning', "Warning"),
    ('escalation', "Escalation"),
    ('blacklist', "Blacklist"),
    ]


class Level(metaclass=PoolMeta):
    """A level of the receivable ladder: what the CRM does when an unpaid
    invoice reaches it (the credit-management paper's steps)"""
    __name__ = 'account.dunning.level'

    crm_step = fields.Selection(STEPS, "CRM Step", sort=False,
        help="Reminder: the rep agrees the payment date with the customer. "
        "Warning: the rep warns the customer; the late payment is on his "
        "record. Escalation: the department managers decide whether to "
        "stop shipping. Blacklist: the customer is blacklisted, the rep "
        "checks on site and every department is warned.")

    def test(self, line, date):
        # a ladder level applies until the next one does: an invoice the
        # ladder first sees a month overdue goes straight to the blacklist,
        # and a second run the same day finds nothing more to do
        applies = super().test(line, date)
        if applies and self.crm_step:
            levels = list(self.procedure.levels)
            later = levels[levels.index(self) + 1:]
            applies = not any(
                level.overdue is not None
                and (date - line.maturity_date) >= level.overdue
                for level in later)
        return applies
