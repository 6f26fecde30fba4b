# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access


class Address(metaclass=PoolMeta):
    __name__ = 'party.address'

    @classmethod
    def fields_get(cls, fields_names=None, level=0):
        definition = super().fields_get(
            fields_names=fields_names, level=level)
        if not cls._postal_codes_loaded():
            # The client asks the suggestions of each such field, in a
            # blocking call, at every display of an address: two on each
            # customer form, always empty without postal codes
            for name in cls._postal_code_suggested_fields():
                if name in definition:
                    definition[name]['autocomplete'] = []
        return definition

    @classmethod
    def _postal_code_suggested_fields(cls):
        "The fields suggested from Tryton's postal codes"
        return ['postal_code', 'city']

    @classmethod
    def _postal_codes_loaded(cls):
        PostalCode = Pool().get('country.postal_code')
        with without_check_access():
            return bool(PostalCode.search([], limit=1))
