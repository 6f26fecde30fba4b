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
        return (*key, User.get_employees())

    @classmethod
    def _get_context(cls, model_name):
        pool = Pool()
        User = pool.get('res.user')
        context = super()._get_context(model_name)
        context['employees'] = list(User.get_employees())
        return context


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
