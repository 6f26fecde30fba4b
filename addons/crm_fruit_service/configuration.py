# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from decimal import Decimal

from sql import Null

from trytond import backend
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.modules.company.model import (
    CompanyMultiValueMixin, CompanyValueMixin)
from trytond.modules.crm_fruit_customer.configuration import (
    MergedSingletonsMixin)
from trytond.pool import Pool
from trytond.pyson import Eval, Id
from trytond.transaction import Transaction

from .access import CheckedSingleton


class Configuration(
        MergedSingletonsMixin, CheckedSingleton, ModelSingleton, ModelSQL,
        ModelView, CompanyMultiValueMixin):
    __name__ = 'service.configuration'
    _merged_singletons = ('service.survey.configuration',)

    # Tickets
    ticket_sequence = fields.MultiValue(fields.Many2One(
            'ir.sequence', "Ticket Sequence", required=True,
            domain=[
                ('company', 'in',
                    [Eval('context', {}).get('company', -1), None]),
                ('sequence_type', '=',
                    Id('crm_fruit_service', 'sequence_type_ticket')),
                ]))

    # Surveys
    tolerance = fields.Numeric(
        "Tolerance", digits=(16, 2), required=True,
        domain=[('tolerance', '>=', 0), ('tolerance', '<', 1)],
        help="How far from 1 the index C may be and still count as "
        "neutral.")
    periodic_days = fields.Integer(
        "Periodic Survey Days", required=True,
        domain=[('periodic_days', '>', 0)],
        help="A customer who bought in this many days and was not surveyed "
        "in them gets a periodic survey.")

    @classmethod
    def multivalue_model(cls, field):
        pool = Pool()
        if field == 'ticket_sequence':
            return pool.get('service.configuration.sequence')
        return super().multivalue_model(field)

    @classmethod
    def default_ticket_sequence(cls, **pattern):
        return cls.multivalue_model(
            'ticket_sequence').default_ticket_sequence()

    @classmethod
    def default_tolerance(cls):
        return Decimal('0.05')

    @classmethod
    def default_periodic_days(cls):
        return 90


class ConfigurationSequence(ModelSQL, CompanyValueMixin):
    "The ticket sequence of a company (or of every company without one)"
    __name__ = 'service.configuration.sequence'

    ticket_sequence = fields.Many2One(
        'ir.sequence', "Ticket Sequence", required=True,
        domain=[
            ('company', 'in', [Eval('company', -1), None]),
            ('sequence_type', '=',
                Id('crm_fruit_service', 'sequence_type_ticket')),
            ])

    @classmethod
    def __register__(cls, module):
        exist = backend.TableHandler.table_exist(cls._table)
        super().__register__(module)
        if not exist:
            cls._migrate_configuration_column(module)

    @classmethod
    def _migrate_configuration_column(cls, module):
        "The sequence was a column of the configuration, for every company"
        pool = Pool()
        Configuration = pool.get('service.configuration')
        configuration_h = Configuration.__table_handler__(module)
        if not configuration_h.column_exist('ticket_sequence'):
            return
        configuration = Configuration.__table__()
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.insert(
                [table.ticket_sequence],
                configuration.select(configuration.ticket_sequence,
                    where=configuration.ticket_sequence != Null)))
        configuration_h.drop_column('ticket_sequence')

    @classmethod
    def default_ticket_sequence(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('crm_fruit_service', 'sequence_ticket')
        except KeyError:
            return None
