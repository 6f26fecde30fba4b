# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"Server-side guards shared by the service desk models"
from trytond.i18n import gettext
from trytond.model import Model as _Model
from trytond.modules.crm_fruit_customer.scope import (  # noqa: F401
    CheckedSingleton)
from trytond.pool import Pool
from trytond.transaction import Transaction

from .exceptions import ServiceAccessError


def in_group(xml_id, module='crm_fruit_service'):
    "Tell whether the user is in the group (root always is)"
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    User = pool.get('res.user')
    if not Transaction().user:
        return True
    return ModelData.get_id(module, xml_id) in User.get_groups()


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
