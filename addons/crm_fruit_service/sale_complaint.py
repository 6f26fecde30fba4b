# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.i18n import gettext
from trytond.pool import PoolMeta

from .access import check_created_defaults, check_workflow_fields, in_group
from .exceptions import ServiceAccessError


class Complaint(metaclass=PoolMeta):
    __name__ = 'sale.complaint'

    @classmethod
    def check_modification(cls, mode, complaints, values=None, external=False):
        super().check_modification(
            mode, complaints, values=values, external=external)
        fields = {
            'state', 'submitted_by', 'approved_by', 'rejected_by',
            'cancelled_by'}
        if external and mode == 'create':
            check_created_defaults(cls, complaints, {
                    f: (None,) for f in fields - {'state'}}
                | {'state': ('draft',)})
        elif external and mode == 'write':
            check_workflow_fields(cls, complaints, values, fields)

    @classmethod
    def approve(cls, complaints):
        # Its actions (credit notes, returns) compensate the customer: the
        # service manager decides, directly or through a compensation
        if complaints and not in_group('group_service_manager', 'crm_fruit_service'):
            raise ServiceAccessError(gettext(
                    'crm_fruit_service.msg_complaint_approve_service_manager',
                    complaint=complaints[0].rec_name))
        super().approve(complaints)
