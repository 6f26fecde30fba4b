# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"Checks of the values users type into the customer archive"
import re
from decimal import Decimal

from trytond.i18n import gettext

from .exceptions import ArchiveInputError

# Control characters (PostgreSQL rejects NUL later, the others hide in a
# list) and the bidi overrides and isolates that make a text read unlike
# it is stored; texts keep their line breaks and tabs
_FORBIDDEN_IN_CHAR = re.compile(
    '[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]')
_FORBIDDEN_IN_TEXT = re.compile(
    '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]')
_NUMBER_TYPES = {'integer': int, 'float': float, 'numeric': Decimal}


class InputCheckMixin:
    "Refuse unreadable, oversized or non-numeric input before it is stored"
    __slots__ = ()

    @classmethod
    def _input_sizes(cls):
        "Return the maximum number of characters of the free-text fields"
        return {}

    @classmethod
    def _input_bounds(cls):
        "Return the (minimum, maximum) of the number fields, None for open"
        return {}

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        for name, size in cls._input_sizes().items():
            if values.get(name) is not None:
                cls._check_input_text(name, values[name], size)
        for name, (minimum, maximum) in cls._input_bounds().items():
            if values.get(name) is not None:
                values[name] = cls._check_input_number(
                    name, values[name], minimum, maximum)
        return values

    @classmethod
    def _input_error(cls, message, name, **kwargs):
        field = cls.fields_get([name])[name]['string']
        return ArchiveInputError(gettext(
                'crm_fruit_customer.%s' % message, field=field, **kwargs))

    @classmethod
    def _check_input_text(cls, name, value, size):
        if not isinstance(value, str):
            raise cls._input_error('msg_input_not_text', name)
        forbidden = (_FORBIDDEN_IN_CHAR if cls._fields[name]._type == 'char'
            else _FORBIDDEN_IN_TEXT)
        if forbidden.search(value):
            raise cls._input_error('msg_input_control_characters', name)
        if len(value) > size:
            raise cls._input_error(
                'msg_input_too_long', name, size=size, length=len(value))

    @classmethod
    def _check_input_number(cls, name, value, minimum, maximum):
        "Return value as the field's type or raise a translated error"
        try:
            number = _to_number(_NUMBER_TYPES[cls._fields[name]._type], value)
        except (ValueError, TypeError, ArithmeticError):
            raise cls._input_error(
                'msg_input_not_number', name, value=str(value)[:50])
        if minimum is not None and number < minimum:
            raise cls._input_error(
                'msg_input_too_small', name, value=number, minimum=minimum)
        if maximum is not None and number > maximum:
            raise cls._input_error(
                'msg_input_too_large', name, value=number, maximum=maximum)
        return number


def _to_number(type_, value):
    if isinstance(value, bool):
        raise TypeError
    if isinstance(value, str):
        value = value.strip()
    elif isinstance(value, float) and type_ is Decimal:
        value = repr(value)
    number = type_(value)
    # NaN and infinities (a JSON client sends them) compare with nothing;
    # int() would silently cut the decimals the user typed
    if (not Decimal(number).is_finite()
            or (type_ is int and number != Decimal(value))):
        raise ValueError
    return number
