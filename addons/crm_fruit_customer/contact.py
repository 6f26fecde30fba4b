# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime

from sql.aggregate import Max

from trytond import backend
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .archive_input import InputCheckMixin
from .direct_write import written
from .scope import CustomerScopeMixin

CHANNELS = [
    ('visit', "Visit"),
    ('phone', "Phone"),
    ('letter', "Letter"),
    ('fax', "Fax"),
    ('email', "E-mail"),
    ('wechat', "WeChat"),
    ('meeting', "Meeting"),
    ]
DIRECTIONS = [
    ('out', "Outgoing"),
    ('in', "Incoming"),
    ]


class Contact(InputCheckMixin, CustomerScopeMixin, ModelSQL, ModelView):
    __name__ = 'crm.contact'
    __string__ = "Contact Log Entry"
    _rec_name = 'subject'

    company = fields.Many2One('company.company', "Company", required=True)
    date = fields.DateTime(
        "Date",
        states={
            'required': Eval('id', -1) >= 0,
            },
        help="Leave empty to log the time the entry is saved.")
    channel = fields.Selection(CHANNELS, "Channel", required=True)
    direction = fields.Selection(
        DIRECTIONS, "Direction", required=True,
        help="Whether we contacted the customer or the customer us.")
    party = fields.Many2One(
        'party.party', "Customer", required=True, ondelete='CASCADE',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    contact_person = fields.Char(
        "Contact Person", help="The person spoken to at the customer.")
    employee = fields.Many2One(
        'company.employee', "Employee", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    department = fields.Many2One(
        'crm.department', "Department",
        domain=[
            If(Eval('party_departments'),
                ('id', 'in', Eval('party_departments', [])),
                ()),
            ])
    party_departments = fields.Function(fields.Many2Many(
            'crm.department', None, None, "Customer Departments"),
        'on_change_with_party_departments')
    subject = fields.Char("Subject", required=True)
    notes = fields.Text("Notes")
    follow_up_date = fields.Date(
        "Follow-up Date", help="When the customer must be contacted again.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t,
                    (t.party, Index.Range()),
                    (t.date, Index.Range(order='DESC'))),
                Index(t, (t.follow_up_date, Index.Range())),
                })
        cls._order = [
            ('date', 'DESC'),
            ('id', 'DESC'),
            ]

    @classmethod
    def _input_sizes(cls):
        return super()._input_sizes() | {
            'subject': 200,
            'contact_person': 100,
            'notes': 10000,
            }

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        # A default would be the time the client opened the form
        if mode == 'create' and not values.get('date'):
            values['date'] = datetime.datetime.now().replace(microsecond=0)
        return values

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_direction(cls):
        return 'out'

    @classmethod
    def default_employee(cls):
        return Transaction().context.get('employee')

    @fields.depends('party', '_parent_party.departments')
    def on_change_with_party_departments(self, name=None):
        return self.party.departments if self.party else []

    @fields.depends('party', '_parent_party.departments', 'department')
    def on_change_party(self):
        if self.party and self.party.departments:
            if self.department not in self.party.departments:
                self.department = self.party.departments[0]

    @classmethod
    def on_write(cls, contacts, values):
        callbacks = super().on_write(contacts, values)
        if 'party' in values:
            parties = {c.party.id for c in contacts}
            callbacks.append(
                lambda: cls.update_last_contact_date(parties))
        return callbacks

    @classmethod
    def on_modification(cls, mode, contacts, field_names=None):
        super().on_modification(mode, contacts, field_names=field_names)
        if mode == 'create' or (
                mode == 'write' and field_names & {'date', 'party'}):
            cls.update_last_contact_date({c.party.id for c in contacts})

    @classmethod
    def on_delete(cls, contacts):
        callbacks = super().on_delete(contacts)
        parties = {c.party.id for c in contacts}
        callbacks.append(lambda: cls.update_last_contact_date(parties))
        return callbacks

    @classmethod
    def update_last_contact_date(cls, party_ids):
        "Store the date of the latest contact on the parties"
        pool = Pool()
        Party = pool.get('party.party')
        party = Party.__table__()
        contact = cls.__table__()
        transaction = Transaction()
        cursor = transaction.connection.cursor()

        # The cast goes inside the sub-query: PostgreSQL cannot bind a
        # sub-query as a CAST parameter.
        last_date = contact.select(
            Party.last_contact_date.sql_cast(Max(contact.date)),
            where=contact.party == party.id)
        for sub_ids in grouped_slice(party_ids, backend.MAX_QUERY_PARAMS):
            cursor.execute(*party.update(
                    [party.last_contact_date], [last_date],
                    where=fields.SQL_OPERATORS['in'](party.id, sub_ids)))
        written(Party, 'write', party_ids, ['last_contact_date'])
