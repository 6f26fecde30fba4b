# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .upload import sanitize_filename, validate_upload


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.domain.help += (
            '\n- "employees" as list of employee ids from the current user')

    @classmethod
    def _get_cache_key(cls, model_names):
        pool = Pool()
        User = pool.get('res.user')
        key = super()._get_cache_key(model_names)
        return (*key, User.get_employees(), cls._delegated_employees(),
            tuple(sorted(cls._department_members())))

    @classmethod
    def _get_context(cls, model_name):
        pool = Pool()
        User = pool.get('res.user')
        context = super()._get_context(model_name)
        employees = list(User.get_employees())
        # The delegates see what their delegators see (crm.delegation)
        delegated = cls._delegated_employees()
        context['delegated_employees'] = list(delegated)
        context['employees'] = employees + [
            e for e in delegated if e not in employees]
        context['department_members'] = sorted(cls._department_members())
        return context

    @classmethod
    def _department_members(cls):
        pool = Pool()
        Department = pool.get('crm.department')
        User = pool.get('res.user')
        return Department.managed_members(User.get_employees())

    @classmethod
    def _delegated_employees(cls):
        pool = Pool()
        Delegation = pool.get('crm.delegation')
        User = pool.get('res.user')
        return Delegation.delegators(User.get_employees())


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('crm.delegation|close_expired', "Close Expired Delegations"),
                ('party.party|classify_customers', "Classify Customers"),
                ('crm.visit|generate_plans_cron', "Generate Visit Plans"),
                ('crm.archive.access|check_alerts',
                    "Check Customer Archive Access"),
                ('crm.credit.agreement|expire_agreements',
                    "Expire Credit Agreements"),
                ('account.dunning|run_receivable_ladder',
                    "Run the Receivable Ladder"),
                ('crm.credit.evaluation|remind_reviews',
                    "Remind Credit Reviews"),
                ])


class Attachment(metaclass=PoolMeta):
    __name__ = 'ir.attachment'

    @classmethod
    def create(cls, vlist):
        if cls._check_upload():
            vlist = [cls._validate_upload_values(v) for v in vlist]
        return super().create(vlist)

    @classmethod
    def write(cls, *args):
        if cls._check_upload():
            actions = iter(args)
            args = []
            for records, values in zip(actions, actions):
                args.extend((records, cls._validate_upload_write(
                            records, values)))
        super().write(*args)

    @staticmethod
    def _check_upload():
        "Only what comes from outside is limited, not the modules' own files"
        transaction = Transaction()
        return bool(transaction.user and transaction.check_access)

    @classmethod
    def _validate_upload_values(cls, values):
        values = values.copy()
        if values.get('type', cls.default_type()) == 'data':
            values['name'] = validate_upload(
                values.get('name'), values.get('data'))
        elif 'name' in values:
            values['name'] = sanitize_filename(values['name'])
        return values

    @classmethod
    def _validate_upload_write(cls, records, values):
        if 'data' in values and 'name' in values:
            return cls._validate_upload_values(values)
        values = values.copy()
        if 'name' in values:
            values['name'] = sanitize_filename(values['name'])
        if {'name', 'data'} & values.keys():
            for record in records:
                if values.get('type', record.type) == 'data':
                    validate_upload(
                        values.get('name', record.name),
                        values['data'] if 'data' in values else record.data)
        return values
