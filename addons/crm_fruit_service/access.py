# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"Server-side guards shared by the service desk models"
from trytond.i18n import gettext
from trytond.model import Model as _Model
from trytond.modules.crm_fruit_customer.scope import (  # noqa: F401
    CheckedSingleton, in_group)

from .exceptions import ServiceAccessError


def check_workflow_fields(Model, records, values, names):
    """Refuse a change from outside of the fields that the workflow sets:
    readonly and states are only enforced by the client"""
    changed = sorted(set(values or {}) & set(names))
    if changed and records:
        raise ServiceAccessError(gettext(
                'crm_fruit_service.msg_workflow_field',
                field=Model.__names__(changed[0])['field'],
                record=records[0].rec_name))


def check_created_defaults(Model, records, defaults):
    """Refuse records created from outside with workflow fields that differ
    from their defaults (check_modification gets no values on create)"""
    for record in records:
        for name, default in defaults.items():
            value = getattr(record, name)
            if isinstance(value, _Model):
                value = value.id
            if value not in default:
                raise ServiceAccessError(gettext(
                        'crm_fruit_service.msg_workflow_field',
                        field=Model.__names__(name)['field'],
                        record=record.rec_name))
