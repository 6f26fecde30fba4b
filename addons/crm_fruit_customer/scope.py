# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Scope helpers: the records of a model the current user may reach

Record rules guard only the records of the model they are defined on and are
evaluated with the access checks on. Validation, check_modification and
Function fields run without them (security.md), so these helpers evaluate
the rule domain of the user explicitly."""
from trytond import backend
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import (
    Transaction, check_access, inactive_records, without_check_access)

from .exceptions import ComputedFieldError, CustomerScopeError


def in_group(xml_id, module='crm_fruit_customer'):
    "Tell whether the user is in the group (root always is)"
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    User = pool.get('res.user')
    if not Transaction().user:
        return True
    return ModelData.get_id(module, xml_id) in User.get_groups()


def default_department():
    """The department whose customers the reports of a department manager
    or a rep open on: the context's, else the one he manages, else the first
    he belongs to"""
    pool = Pool()
    Department = pool.get('crm.department')
    User = pool.get('res.user')
    transaction = Transaction()
    if 'department' in transaction.context:
        return transaction.context['department']
    user = transaction.user
    if (not user or in_group('group_crm_manager')
            or in_group('group_crm_analyst')):
        return None
    employees = [e.id for e in User(user).employees]
    for field in ['manager', 'members']:
        departments = Department.search(
            [(field, 'in', employees)], order=[('id', 'ASC')], limit=1)
        if departments:
            return departments[0].id


def ids_in_scope(model_name, ids, mode='read'):
    "Return the ids among ids that the user may access in mode"
    pool = Pool()
    Model = pool.get(model_name)
    Rule = pool.get('ir.rule')
    transaction = Transaction()
    ids = {int(i) for i in ids if i is not None and int(i) >= 0}
    if not transaction.user or not ids:
        return ids
    with check_access():
        domain = Rule.domain_get(model_name, mode=mode)
    if not domain:
        return ids
    allowed = set()
    with transaction.set_user(0), without_check_access(), \
            inactive_records():
        for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS):
            allowed.update(map(int, Model.search(
                        [('id', 'in', list(sub_ids)), domain], order=[])))
    return allowed


def rule_query(model_name, mode='read'):
    """Return a query of the ids the user may access in mode
    or None when his rules do not restrict the model"""
    pool = Pool()
    Model = pool.get(model_name)
    Rule = pool.get('ir.rule')
    transaction = Transaction()
    if not transaction.user:
        return None
    with check_access():
        domain = Rule.domain_get(model_name, mode=mode)
    if not domain:
        return None
    with transaction.set_user(0), without_check_access(), \
            inactive_records():
        return Model.search(domain, order=[], query=True)


def check_customers(Model, parties, mode='write'):
    "Refuse records of Model for customers outside the user's scope in mode"
    ids = {int(p) for p in parties if p is not None}
    if ids - ids_in_scope('party.party', ids, mode=mode):
        raise CustomerScopeError(gettext(
                'crm_fruit_customer.msg_customer_scope',
                model=Model.__names__()['model']))


def check_customer_scope(
        Model, mode, records, values, field='party', scope='write'):
    """Refuse a record created or moved for a customer the user may not
    access in scope"""
    if mode == 'create':
        check_customers(
            Model, {getattr(r, field).id for r in records}, mode=scope)
    elif mode == 'write' and values.get(field) is not None:
        check_customers(Model, {values[field]}, mode=scope)


def check_system_fields(Model, mode, records, values, names):
    "Refuse a write from outside to the fields that only the system writes"
    if mode == 'write':
        written = names & set(values or {})
    elif mode == 'create':
        written = {n for n in names for r in records
            if getattr(r, n, None) not in {None, False}}
    else:
        return
    if written:
        name = sorted(written)[0]
        raise ComputedFieldError(gettext(
                'crm_fruit_customer.msg_computed_field_write',
                field=Model.fields_get([name])[name]['string'],
                model=Model.__names__()['model']))


def check_created_state(Model, records, state, field='state'):
    "Refuse records created from outside in another state than state"
    if any(getattr(r, field) != state for r in records):
        check_system_fields(Model, 'write', records, {field}, {field})


class CustomerScopeMixin:
    """Records of a customer share its scope: created, changed or deleted
    from outside only for a customer the user may write"""
    __slots__ = ()
    _customer_field = 'party'

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if external:
            field = cls._customer_field
            parties = {getattr(r, field) for r in records}
            if values and values.get(field) is not None:
                parties.add(values[field])
            check_customers(cls, parties)


class CheckedSingleton:
    """A singleton whose delete is checked even when it was never saved
    (ModelSingleton.delete then deletes nothing and checks nothing)
    and whose buttons check their groups when called with no record
    (ModelSingleton.read of no id crashes before the button's group check)"""
    __slots__ = ()

    @classmethod
    def read(cls, ids, fields_names):
        if not ids:
            return []
        return super().read(ids, fields_names)

    @classmethod
    def delete(cls, records):
        Pool().get('ir.model.access').check(cls.__name__, 'delete')
        super().delete(records)


class CustomerRecordNameMixin:
    """The name of a record of a customer: the customer's and a detail of
    the record, the customer hidden from whoever may not read him"""
    __slots__ = ()

    def _rec_name_detail(self):
        "What tells the record from the customer's others"
        raise NotImplementedError

    @classmethod
    def get_rec_name(cls, records, name):
        # computed without access checks: never name a customer the user
        # may not read
        readable = ids_in_scope('party.party', {r.party.id for r in records})
        hidden = gettext('crm_fruit_customer.msg_hidden_customer')
        return {r.id: '%s · %s' % (
                r.party.rec_name if r.party.id in readable else hidden,
                r._rec_name_detail()) for r in records}

    @classmethod
    def search_rec_name(cls, name, clause):
        domain = [('party.rec_name',) + tuple(clause[1:])]
        if (readable := rule_query('party.party')) is not None:
            domain.append(('party', 'where', [('id', 'in', readable)]))
        return domain
