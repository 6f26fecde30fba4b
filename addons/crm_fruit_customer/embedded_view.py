# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"Lighter and shared definitions of forms that embed lists"
from contextlib import contextmanager, nullcontext

from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

#: The keys of a user's context that name his employee: Tryton caches a
#: view per context, so a form built without them serves his colleagues
EMPLOYEE_KEYS = {'employee', 'employee.rec_name'}


class EmbeddedListsMixin:
    """A form view whose embedded x2many lists leave out the definitions of
    their columns' targets, built once for the users of the same groups

    Tryton puts the first view of every x2many field inside the form's
    definition and builds list views at level 1: each many2one column of an
    embedded list brings the whole ``fields_get`` of its target (a party,
    a company, a user). The web client reads those ``relation_fields`` only
    to parse the search bar of a list, and an embedded list has none: the
    search bar of a tab fetches its own list view. On the customer form they
    were 550 of its 660 kB, sent and parsed at every first opening. The
    options of selection fields are filled in, as for those targets.
    """
    __slots__ = ()

    @classmethod
    def fields_view_get(cls, view_id=None, view_type='form', level=None):
        with cls._form_view_context(view_type):
            definition = super().fields_view_get(
                view_id=view_id, view_type=view_type, level=level)
        if definition['type'] != 'form':
            return definition
        # The definition is the cached one, shared with other callers:
        # it is copied along the changed paths, never modified
        return _light_form(definition)

    @classmethod
    def _form_view_context(cls, view_type):
        """Return the context to build the view in

        A form does not depend on the employee of the user, yet each rep
        had the customer form built for him at his first opening (half a
        second in every worker). The lists it embeds do depend on the user
        when he chose their optional columns: he keeps his own."""
        transaction = Transaction()
        if (view_type != 'form'
                or not EMPLOYEE_KEYS & transaction.context.keys()
                or _has_optional_columns(transaction.user)):
            return nullcontext()
        context = {k: v for k, v in transaction.context.items()
            if k not in EMPLOYEE_KEYS}
        return _reset_context(transaction, context)


@contextmanager
def _reset_context(transaction, context):
    "Run in exactly context"
    with transaction.reset_context(), transaction.set_context(context):
        yield


def _has_optional_columns(user):
    ViewTreeOptional = Pool().get('ir.ui.view_tree_optional')
    with without_check_access():
        return bool(ViewTreeOptional.search([('user', '=', user)], limit=1))


def _light_form(form):
    return {**form, 'fields': _light_fields(form, embedded=False)}


def _light_fields(view, embedded):
    """Return the fields of view with their selections filled in and, if it
    is embedded, without the definitions of their targets"""
    Model = Pool().get(view['model'])
    fields = {}
    for name, field in view['fields'].items():
        field = _with_selection(Model, field)
        if embedded and 'relation_fields' in field:
            field = {k: v for k, v in field.items() if k != 'relation_fields'}
        if field.get('views'):
            field = {**field, 'views': {
                    key: {**sub_view,
                        'fields': _light_fields(sub_view, embedded=True)}
                    for key, sub_view in field['views'].items()}}
        fields[name] = field
    return fields


def _with_selection(Model, field):
    """Return the field with the options its selection method gives

    The client asked each such method in a call of its own before it read
    the record (three on the customer form). Tryton fills them in the same
    way for the fields of a list's targets; the view is built in the
    context of the call, as the method would have been."""
    selection = field.get('selection')
    if (not isinstance(selection, str)
            or field.get('selection_change_with')):
        return field
    return {**field, 'selection': getattr(Model, selection)()}
