# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The customer's contact details in the portal: a change is written to the
archive (an archive-change entry) and to the contact log, where his rep
sees it"""
import datetime as dt

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import without_check_access

from .exceptions import ProfileError

TYPES = ['phone', 'mobile', 'email', 'fax', 'other']


def mechanisms(party):
    pool = Pool()
    Mechanism = pool.get('party.contact_mechanism')
    return Mechanism.search([
            ('party', '=', party.id),
            ('type', 'in', TYPES),
            ], order=[('sequence', 'ASC NULLS LAST'), ('id', 'ASC')])


def update(user, form):
    """Write the changed values of the party's contact mechanisms and the
    new one; return the descriptions of the changes"""
    pool = Pool()
    Mechanism = pool.get('party.contact_mechanism')
    party = user.party
    changes, to_write = [], []
    for mechanism in mechanisms(party):
        value = form.get(f'value-{mechanism.id}')
        if value is None:
            continue
        value = value.strip()[:200]
        if value != (mechanism.value or ''):
            if not value:
                raise ProfileError(
                    gettext('crm_fruit_portal.msg_profile_empty'))
            changes.append(gettext('crm_fruit_portal.msg_profile_changed',
                    type=_type_name(mechanism.type), old=mechanism.value,
                    new=value))
            to_write.extend([[mechanism], {'value': value}])
    new_type, new_value = form.get('new_type'), form.get(
        'new_value', '').strip()[:200]
    if new_value and new_type not in TYPES:
        raise ProfileError(gettext('crm_fruit_portal.msg_profile_type'))
    with without_check_access():
        try:
            if to_write:
                Mechanism.write(*to_write)
            if new_value:
                Mechanism.create([{
                            'party': party.id, 'type': new_type,
                            'value': new_value}])
                changes.append(gettext('crm_fruit_portal.msg_profile_added',
                        type=_type_name(new_type), new=new_value))
        except UserError as e:
            # e.g. a phone number the party module finds invalid
            raise ProfileError(e.message) from e
        if changes:
            _record(user, changes)
    return changes


def _type_name(type_):
    pool = Pool()
    Mechanism = pool.get('party.contact_mechanism')
    return dict(Mechanism.fields_get(['type'])['type']['selection']).get(
        type_, type_)


def _record(user, changes):
    "The archive change and the contact log entry the rep sees"
    pool = Pool()
    ArchiveChange = pool.get('party.archive_change')
    Contact = pool.get('crm.contact')
    party = user.party
    text = '\n'.join(changes)
    ArchiveChange.create([{
                'party': party.id,
                'description': gettext('crm_fruit_portal.msg_profile_archive',
                    email=user.email, changes=text),
                }])
    employee = party.sales_rep or party.second_contact
    if employee:
        Contact.create([{
                    'company': user.company.id,
                    'date': dt.datetime.now(),
                    'channel': 'portal', 'direction': 'in',
                    'party': party.id, 'employee': employee.id,
                    'contact_person': user.email,
                    'subject': gettext(
                        'crm_fruit_portal.msg_profile_contact_subject'),
                    'notes': text,
                    }])
