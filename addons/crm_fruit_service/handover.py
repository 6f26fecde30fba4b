# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.pool import PoolMeta


class Handover(metaclass=PoolMeta):
    __name__ = 'crm.handover'

    @classmethod
    def _handover_models(cls):
        return super()._handover_models() + [
            ('service.ticket', 'assignee',
                [('state', 'not in', ['resolved', 'closed'])]),
            ]
