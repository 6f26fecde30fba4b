# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Tell CRM users of a record: one notification each, in his language"""
import json

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction


def users_of(employees):
    "The active users of the employees (records or ids)"
    User = Pool().get('res.user')
    employees = [getattr(e, 'id', e) for e in employees if e]
    if not employees:
        return set()
    return set(User.search([
                ('employees', 'in', employees),
                ('active', '=', True),
                ]))


class UsersOf:
    "users_of, each set of employees looked up once"

    def __init__(self):
        self._users = {}

    def __call__(self, employees):
        key = frozenset(getattr(e, 'id', e) for e in employees if e)
        if key not in self._users:
            self._users[key] = users_of(employees)
        return self._users[key]


def notifications(users, label, description, values, record,
        icon='tryton-info'):
    """The unsaved notifications of each user of record (or of the records
    of a list, of one model) with the messages label and description of the
    module, values() giving the latter's values in his language"""
    Notification = Pool().get('res.notification')
    records = record if isinstance(record, list) else [record]
    result = []
    for user in users:
        language = user.language.code if user.language else None
        with Transaction().set_context(language=language):
            result.append(Notification(
                    user=user, icon=icon,
                    label=gettext(f'crm_fruit_customer.{label}'),
                    description=gettext(
                        f'crm_fruit_customer.{description}', **values()),
                    model=records[0].__name__,
                    records=json.dumps([r.id for r in records])))
    return result


def notify(users, label, description, values, record, icon='tryton-info'):
    "Notify each user of record (see notifications)"
    Notification = Pool().get('res.notification')
    Notification.save(notifications(
            users, label, description, values, record, icon=icon))
