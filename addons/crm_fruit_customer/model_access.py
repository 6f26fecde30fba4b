# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .scope import in_group

#: Tryton's sale and opportunity analyses sum every customer's lines in SQL:
#: a row of most of them mixes departments, so no record rule can narrow it.
ANALYSIS_PREFIXES = ('sale.reporting.', 'sale.opportunity.reporting.')
#: The analyses of which a row is one customer or one employee: the record
#: rules give a department manager those of his department.
DEPARTMENT_ANALYSES = {
    'sale.reporting.customer',
    'sale.reporting.customer.time_series',
    'sale.opportunity.reporting.conversion.employee',
    'sale.opportunity.reporting.conversion.employee.time_series',
    }


class ModelAccess(metaclass=PoolMeta):
    __name__ = 'ir.model.access'

    @classmethod
    def get_access(cls, models):
        # Reps and department managers are sale users of core, which reads
        # every analysis: without this their menus opened empty reports.
        access = super().get_access(cls._models_to_answer(models))
        hidden = cls._analyses_out_of_crm_scope(access.keys())
        return {
            model: dict(rights, read=False) if model in hidden else rights
            for model, rights in access.items()}

    @classmethod
    def _models_to_answer(cls, models):
        "Return the models of which a client's question gets the access"
        # The web client asks, by a blocking call, for the 100 models around
        # the first one a view needs in the list ordered by module, and keeps
        # every answer: the customer form made one call per module it shows
        # (party, sale, complaint, opportunity). Each user group's access is
        # cached, so one answer for all models costs no more than two.
        if len(models) > 1 and '_request' in Transaction().context:
            return [name for name, _ in Pool().iterobject()]
        return models

    @classmethod
    def _analyses_out_of_crm_scope(cls, models):
        "Return the analyses among models the user's CRM role may not read"
        pool = Pool()
        analyses = {m for m in models if m.startswith(ANALYSIS_PREFIXES)
            and callable(getattr(pool.get(m), 'table_query', None))}
        if not analyses:
            return set()
        if in_group('group_crm_manager') or in_group('group_crm_analyst'):
            return set()
        if in_group('group_crm_department_manager'):
            return analyses - DEPARTMENT_ANALYSES
        if in_group('group_crm_sales_rep'):
            return analyses
        return set()
