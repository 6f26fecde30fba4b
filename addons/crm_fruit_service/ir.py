# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('service.ticket|escalate', "Escalate Service Tickets"),
                ('service.survey|cron_create_periodic',
                    "Create Periodic Surveys"),
                ('service.care.rule|cron_generate',
                    "Create Customer Care Tasks"),
                ])
