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
    """Write the changes of the form to the party's contact mechanisms and
    addresses and add the new ones; return the descriptions of the changes.

    Only the party's own records are read from the form, by their ids: an
    id the form names that is not his is never looked at."""
    pool = Pool()
    Address = pool.get('party.address')
    Mechanism = pool.get('party.contact_mechanism')
    party = user.party
    changes = []
    mechanism_writes = _mechanism_changes(party, form, changes)
    address_writes = _address_changes(party, form, changes)
    new_mechanism = _new_mechanism(party, form, changes)
    new_address = _new_address(party, form, changes)
    with without_check_access():
        try:
            if mechanism_writes:
                Mechanism.write(*mechanism_writes)
            if address_writes:
                Address.write(*address_writes)
            if new_mechanism:
                Mechanism.create([new_mechanism])
            if new_address:
                Address.create([new_address])
        except UserError as e:
            # e.g. a phone number the party module finds invalid
            raise ProfileError(e.message) from e
        if changes:
            _record(user, changes)
    return changes


def _text(form, name, size=200):
    value = form.get(name)
    return None if value is None else value.strip()[:size]


def _mechanism_changes(party, form, changes):
    "The write arguments of the changed contact mechanisms"
    writes = []
    for mechanism in mechanisms(party):
        value = _text(form, f'value-{mechanism.id}')
        name = _text(form, f'name-{mechanism.id}', 100)
        values = {}
        if value is not None and value != (mechanism.value or ''):
            if not value:
                raise ProfileError(
                    gettext('crm_fruit_portal.msg_profile_empty'))
            values['value'] = value
            changes.append(gettext('crm_fruit_portal.msg_profile_changed',
                    type=_type_name(mechanism.type), old=mechanism.value,
                    new=value))
        if name is not None and name != (mechanism.name or ''):
            values['name'] = name
            changes.append(gettext('crm_fruit_portal.msg_profile_person',
                    type=_type_name(mechanism.type),
                    value=values.get('value', mechanism.value),
                    old=mechanism.name or '—', new=name or '—'))
        if values:
            writes.extend([[mechanism], values])
    return writes


def _new_mechanism(party, form, changes):
    "The create values of the new contact mechanism, if one is given"
    type_ = form.get('new_type')
    value = _text(form, 'new_value') or ''
    name = _text(form, 'new_name', 100) or ''
    if not value:
        return None
    if type_ not in TYPES:
        raise ProfileError(gettext('crm_fruit_portal.msg_profile_type'))
    changes.append(gettext('crm_fruit_portal.msg_profile_added',
            type=_type_name(type_), new=' '.join(filter(None, [value, name]))))
    return {'party': party.id, 'type': type_, 'value': value, 'name': name}


ADDRESS_FIELDS = ['street', 'postal_code', 'city']


def _address_line(values):
    return ', '.join(filter(None, (
                (values.get('street') or '').replace('\n', ' '),
                ' '.join(filter(None, [
                            values.get('postal_code'), values.get('city')])),
                ))) or '—'


def _address_changes(party, form, changes):
    "The write arguments of the changed addresses"
    writes = []
    for address in party.addresses:
        old = {f: getattr(address, f) or '' for f in ADDRESS_FIELDS}
        new = {f: _text(form, f'address-{address.id}-{f}', 400)
            for f in ADDRESS_FIELDS}
        values = {f: v for f, v in new.items()
            if v is not None and v != old[f]}
        if not values:
            continue
        if not {**old, **values}['street']:
            raise ProfileError(
                gettext('crm_fruit_portal.msg_profile_street'))
        writes.extend([[address], values])
        changes.append(gettext('crm_fruit_portal.msg_profile_address',
                old=_address_line(old), new=_address_line({**old, **values})))
    return writes


def _new_address(party, form, changes):
    "The create values of the new address, if one is given"
    values = {f: _text(form, f'new_address_{f}', 400) or ''
        for f in ADDRESS_FIELDS}
    if not any(values.values()):
        return None
    if not values['street']:
        raise ProfileError(gettext('crm_fruit_portal.msg_profile_street'))
    changes.append(gettext('crm_fruit_portal.msg_profile_address_added',
            new=_address_line(values)))
    return {'party': party.id, **values}


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
