# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
from decimal import Decimal
from unittest.mock import patch

from sql import Column, Table

from trytond import backend
from trytond.exceptions import UserError
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, create_employee, set_company)
from trytond.modules.crm_fruit_customer.tests import create_old_singleton
from trytond.modules.crm_fruit_service.sla import (
    CALENDAR_DAY_TABLE, CARE_HOLIDAY_TABLE)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction


def create_around_the_clock(company):
    pool = Pool()
    Calendar = pool.get('service.calendar')
    calendar, = Calendar.create([{
                'name': "24/7",
                'company': company.id,
                'timezone': 'Asia/Shanghai',
                'observe_holidays': False,
                'hours': [('create', [{
                                'weekday': str(d),
                                'start': dt.time(0),
                                'end': dt.time(0),
                                } for d in range(7)])],
                }])
    return calendar


class InboundEmail:
    "Stands for an inbound.email record"

    def __init__(self, **data):
        self.data = data

    def as_dict(self):
        return self.data


class CrmFruitServiceTestCase(CompanyTestMixin, ModuleTestCase):
    "Test crm_fruit_service module"
    module = 'crm_fruit_service'

    def _ticket_setup(self, company):
        pool = Pool()
        Party = pool.get('party.party')
        Type = pool.get('service.ticket.type')
        SLA = pool.get('service.sla')
        customer, = Party.create([{'name': "Customer"}])
        type_, = Type.search([('kind', '=', 'complaint')])
        SLA.create([{
                    'company': company.id,
                    'calendar': create_around_the_clock(company).id,
                    'first_response_time': dt.timedelta(hours=2),
                    'resolution_time': dt.timedelta(hours=10),
                    'sequence': 1,
                    }])
        return customer, type_

    def _create_tickets(self, company, customer, type_, hours_ago):
        pool = Pool()
        Ticket = pool.get('service.ticket')
        now = dt.datetime.now()
        return Ticket.create([{
                    'company': company.id,
                    'party': customer.id,
                    'type': type_.id,
                    'subject': "Soft cherries",
                    'date': now - dt.timedelta(hours=h),
                    } for h in hours_ago])

    @with_transaction()
    def test_round_robin(self):
        "Members of a team receive tickets in turn"
        pool = Pool()
        Team = pool.get('service.team')
        company = create_company()
        with set_company(company):
            employees = [create_employee(company, n) for n in 'ABC']
            team, = Team.create([{
                        'name': "Fruit", 'code': 'f', 'company': company.id,
                        'members': [('add', [e.id for e in employees])],
                        }])
            first = Team.next_members(team, 2)
            second = Team.next_members(team, 2)
        self.assertEqual(first + second, employees + employees[:1])
        self.assertEqual(team.last_member, employees[0])

    @with_transaction()
    def test_dispatch_without_fit_refused(self):
        "Dispatching a ticket no rule nor member fits says so; new stay new"
        pool = Pool()
        Ticket = pool.get('service.ticket')
        Team = pool.get('service.team')
        company = create_company()
        with set_company(company):
            customer, type_ = self._ticket_setup(company)
            type_.team = None
            type_.save()
            ticket, = self._create_tickets(company, customer, type_, [0])
            with self.assertRaisesRegex(UserError, ticket.rec_name):
                Ticket.dispatch([ticket])
            self.assertEqual(
                Ticket.auto_dispatch([ticket]), [ticket])
            self.assertEqual(ticket.state, 'new')

            member = create_employee(company, "周敏")
            team, = Team.create([{
                        'name': "Fruit", 'code': 'f', 'company': company.id,
                        'members': [('add', [member.id])],
                        }])
            ticket.team = team
            ticket.save()
            Ticket.dispatch([ticket])
            self.assertEqual(
                (ticket.state, ticket.assignee), ('assigned', member))

    @with_transaction()
    def test_ticket_number_per_company(self):
        "Each company numbers its tickets from its own sequence if it has one"
        pool = Pool()
        Configuration = pool.get('service.configuration')
        ConfigurationSequence = pool.get('service.configuration.sequence')
        Sequence = pool.get('ir.sequence')
        SequenceType = pool.get('ir.sequence.type')
        ModelData = pool.get('ir.model.data')
        first = create_company()
        second = create_company("Second")
        type_ticket = SequenceType(ModelData.get_id(
                'crm_fruit_service', 'sequence_type_ticket'))
        own, = Sequence.create([{
                    'name': "Second's tickets", 'prefix': 'B-',
                    'sequence_type': type_ticket.id,
                    'company': second.id,
                    }])
        with set_company(second):
            configuration = Configuration(1)
            configuration.ticket_sequence = own
            configuration.save()
        self.assertEqual(ConfigurationSequence.search_count(
                [('company', '=', second.id)]), 1)
        numbers = {}
        for company in [first, second]:
            with set_company(company):
                customer, type_ = self._ticket_setup(company)
                ticket, = self._create_tickets(company, customer, type_, [0])
                numbers[company] = ticket.number
        self.assertTrue(numbers[second].startswith('B-'), numbers)
        self.assertFalse(numbers[first].startswith('B-'), numbers)
        with set_company(first):
            self.assertNotEqual(Configuration(1).ticket_sequence, own)

    @with_transaction()
    def test_ticket_sequence_migrated_from_configuration(self):
        "The sequence of a configuration column serves every company"
        pool = Pool()
        Configuration = pool.get('service.configuration')
        ConfigurationSequence = pool.get('service.configuration.sequence')
        Sequence = pool.get('ir.sequence')
        ModelData = pool.get('ir.model.data')
        default = Sequence(ModelData.get_id(
                'crm_fruit_service', 'sequence_ticket'))
        old = Sequence.copy([default], {'name': "Before 8.0"})[0]
        module = 'crm_fruit_service'
        configuration_h = Configuration.__table_handler__(module)
        configuration_h.add_column('ticket_sequence', 'INTEGER')
        configuration = Configuration.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*configuration.insert(
                [configuration.id, configuration.ticket_sequence,
                    configuration.tolerance, configuration.periodic_days],
                [[1, old.id, Decimal('0.05'), 90]]))
        ConfigurationSequence.delete(ConfigurationSequence.search([]))

        ConfigurationSequence._migrate_configuration_column(module)

        value, = ConfigurationSequence.search([])
        self.assertEqual((value.company, value.ticket_sequence), (None, old))
        self.assertFalse(configuration_h.column_exist('ticket_sequence'))
        with set_company(create_company()):
            self.assertEqual(Configuration(1).ticket_sequence, old)

    @with_transaction()
    def test_survey_configuration_merged(self):
        "The survey configuration of before is part of the configuration"
        pool = Pool()
        Configuration = pool.get('service.configuration')
        Configuration.create([{}])
        table = create_old_singleton('service.survey.configuration', {
                'tolerance': Decimal('0.10'), 'periodic_days': 30})

        Configuration._merge_singletons()

        configuration, = Configuration.search([])
        self.assertEqual(
            (configuration.tolerance, configuration.periodic_days),
            (Decimal('0.10'), 30))
        self.assertFalse(backend.TableHandler.table_exist(table))

    @with_transaction()
    def test_calendar_follows_holidays(self):
        "A calendar stops on the CRM's holidays, at once after a change"
        pool = Pool()
        Calendar = pool.get('service.calendar')
        Holiday = pool.get('crm.holiday')
        company = create_company()
        office, hotline = Calendar.create([{
                    'name': name, 'company': company.id,
                    'timezone': 'Asia/Shanghai',
                    'observe_holidays': observe,
                    } for name, observe in [
                    ("Office", True), ("Hotline", False)]])
        labour_day, saturday = dt.date(2040, 5, 1), dt.date(2040, 5, 5)
        self.assertNotIn(labour_day, office.get_working_calendar().holidays)
        Holiday.create([
                {'date': labour_day, 'name': "Labour Day"},
                {'date': saturday, 'name': "Worked", 'kind': 'workday'}])
        calendar = office.get_working_calendar()
        self.assertIn(labour_day, calendar.holidays)
        self.assertEqual(calendar.workdays & {saturday}, {saturday})
        calendar = hotline.get_working_calendar()
        self.assertEqual(
            (calendar.holidays, calendar.workdays),
            (frozenset(), frozenset()))

    def _create_old_table(self, name, columns, rows):
        "Create the table of a removed model as it was, with rows"
        cursor = Transaction().connection.cursor()
        cursor.execute(f'CREATE TABLE "{name}" ('
            + ', '.join(f'"{c}" {t}' for c, t in columns) + ')')
        table = Table(name)
        cursor.execute(*table.insert(
                [Column(table, c) for c, _ in columns], rows))

    @with_transaction()
    def test_calendar_days_migrated_to_holidays(self):
        "The days of the calendars merge into crm.holiday, holiday wins"
        pool = Pool()
        Calendar = pool.get('service.calendar')
        Holiday = pool.get('crm.holiday')
        with_days, without_days = Calendar.create([
                {'name': "Office", 'timezone': 'Asia/Shanghai'},
                {'name': "Hotline", 'timezone': 'Asia/Shanghai'}])
        existing, = Holiday.create([{
                    'date': dt.date(2040, 1, 1), 'name': "New Year"}])
        self._create_old_table(CALENDAR_DAY_TABLE, [
                ('id', 'INTEGER'), ('calendar', 'INTEGER'),
                ('date', 'DATE'), ('name', 'VARCHAR'), ('kind', 'VARCHAR')], [
                (1, with_days.id, dt.date(2040, 1, 1), "元旦", 'holiday'),
                (2, with_days.id, dt.date(2040, 2, 4), "调休", 'workday'),
                (3, with_days.id, dt.date(2040, 2, 5), "Worked", 'workday'),
                (4, without_days.id + 100, dt.date(2040, 2, 5), "Off",
                    'holiday'),
                (5, with_days.id, dt.date(2040, 3, 1), None, 'holiday'),
                ])

        Calendar.__register__('crm_fruit_service')
        Transaction().cache.clear()

        holidays = Holiday.search([('date', '>=', dt.date(2040, 1, 1))],
            order=[('date', 'ASC')])
        self.assertEqual(
            [(h.date, h.name, h.kind) for h in holidays], [
                (dt.date(2040, 1, 1), "New Year", 'holiday'),
                (dt.date(2040, 2, 4), "调休", 'workday'),
                (dt.date(2040, 2, 5), "Off", 'holiday'),
                (dt.date(2040, 3, 1), "2040-03-01", 'holiday'),
                ])
        self.assertEqual(holidays[0], existing)
        self.assertEqual(
            [c.observe_holidays for c in Calendar.browse(
                    [with_days, without_days])],
            [True, False])
        self.assertIn(
            dt.date(2040, 3, 1), with_days.get_working_calendar().holidays)
        self.assertFalse(
            backend.TableHandler.table_exist(CALENDAR_DAY_TABLE))

    @with_transaction()
    def test_care_holidays_migrated_to_holidays(self):
        "The festival days merge into crm.holiday, the tasks keep their key"
        pool = Pool()
        Holiday = pool.get('crm.holiday')
        Task = pool.get('service.care.task')
        Party = pool.get('party.party')
        installed, = Holiday.search([('date', '=', dt.date(2026, 9, 25))])
        labour_day, = Holiday.search([('date', '=', dt.date(2026, 5, 1))])
        self._create_old_table(CARE_HOLIDAY_TABLE, [
                ('id', 'INTEGER'), ('name', 'VARCHAR'), ('kind', 'VARCHAR'),
                ('date', 'DATE')], [
                (7, "Mid-Autumn", 'mid_autumn', dt.date(2026, 9, 25)),
                (8, "Labour Day", 'other', dt.date(2026, 5, 1)),
                (9, "Dragon Boat", 'other', dt.date(2040, 6, 16)),
                ])
        company = create_company()
        party, = Party.create([{'name': "烟台果品"}])
        task, = Task.create([{
                    'company': company.id, 'party': party.id,
                    'date': dt.date(2026, 9, 15), 'key': 'holiday:9'}])

        Task.__register__('crm_fruit_service')
        Transaction().cache.clear()

        dragon_boat, = Holiday.search([('date', '=', dt.date(2040, 6, 16))])
        self.assertEqual(
            (dragon_boat.name, dragon_boat.kind, dragon_boat.festival),
            ("Dragon Boat", 'holiday', 'other'))
        installed, labour_day = Holiday.browse([installed, labour_day])
        self.assertEqual(
            (installed.name, installed.festival),
            ("Mid-Autumn Festival", 'mid_autumn'))
        self.assertEqual(
            (labour_day.name, labour_day.festival), ("Labour Day", 'other'))
        self.assertEqual(Task(task.id).key, f'holiday:{dragon_boat.id}')
        self.assertFalse(
            backend.TableHandler.table_exist(CARE_HOLIDAY_TABLE))

    @with_transaction()
    def test_sla_and_team_searched_once_per_pattern(self):
        "SLA and dispatch rule are searched once per pattern, again on change"
        pool = Pool()
        SLA = pool.get('service.sla')
        Rule = pool.get('service.dispatch.rule')
        Team = pool.get('service.team')
        company = create_company()
        with set_company(company):
            customer, type_ = self._ticket_setup(company)
            first, second = self._create_tickets(
                company, customer, type_, [0, 1])
            fruit, vegetable = Team.create([{
                        'name': name, 'code': name[0], 'company': company.id,
                        } for name in ["Fruit", "Vegetable"]])
            rule, = Rule.create([{
                        'company': company.id, 'type': type_.id,
                        'team': fruit.id,
                        }])
            sla = SLA.find(first)
            self.assertEqual(Rule.find_team(first), fruit)
            with patch.object(SLA, 'search', wraps=SLA.search) as slas, \
                    patch.object(Rule, 'search', wraps=Rule.search) as rules:
                self.assertEqual(SLA.find(second), sla)
                self.assertEqual(Rule.find_team(second), fruit)
                self.assertEqual((slas.call_count, rules.call_count), (0, 0))

            rule.team = vegetable
            rule.save()
            sla.active = False
            sla.save()
            self.assertEqual(Rule.find_team(second), vegetable)
            self.assertNotEqual(SLA.find(second), sla)

    @with_transaction()
    def test_ticket_deadlines(self):
        "Deadlines follow the SLA and are computed again on priority change"
        pool = Pool()
        Ticket = pool.get('service.ticket')
        SLA = pool.get('service.sla')
        company = create_company()
        with set_company(company):
            customer, type_ = self._ticket_setup(company)
            ticket, = self._create_tickets(company, customer, type_, [0])
            self.assertTrue(ticket.number)
            self.assertEqual(
                ticket.response_deadline - ticket.date,
                dt.timedelta(hours=2))
            self.assertEqual(
                ticket.resolution_risk_date - ticket.date,
                dt.timedelta(hours=7.5))
            urgent, = SLA.search([('priority', '=', '3')])
            urgent.sequence = 0
            urgent.save()
            Ticket.write([ticket], {'priority': '3'})
            self.assertEqual(ticket.sla, urgent)

    @with_transaction()
    def test_escalate_idempotent(self):
        "Escalation marks late tickets once"
        pool = Pool()
        Ticket = pool.get('service.ticket')
        company = create_company()
        with set_company(company):
            customer, type_ = self._ticket_setup(company)
            late, risky, fresh = self._create_tickets(
                company, customer, type_, [11, 8, 0])
            Ticket.escalate()
            Ticket.escalate()
            self.assertEqual(
                [(t.response_escalation, t.resolution_escalation)
                    for t in [late, risky, fresh]],
                [('breached', 'breached'), ('breached', 'at_risk'),
                    (None, None)])
            self.assertEqual(
                len([h for h in late.history if h.note]), 2)

    @with_transaction()
    def test_reopen_restarts_sla(self):
        "Reopening starts the SLA again from the reopen time"
        pool = Pool()
        Ticket = pool.get('service.ticket')
        company = create_company()
        with set_company(company):
            customer, type_ = self._ticket_setup(company)
            ticket, = self._create_tickets(company, customer, type_, [30])
            Ticket.escalate()
            ticket.resolution = "Replaced"
            ticket.save()
            Ticket.resolve([ticket])
            Ticket.reopen([ticket])
            ticket = Ticket(ticket.id)
            reopen = ticket.history[-1]
            Ticket.escalate()
            ticket = Ticket(ticket.id)

        self.assertEqual(
            (reopen.from_state, reopen.to_state), ('resolved', 'in_progress'))
        self.assertEqual(
            reopen.note, "Reopened: the SLA deadlines start again from now")
        self.assertEqual((ticket.state, ticket.reopened), ('in_progress', 1))
        self.assertEqual(
            ticket.response_deadline, reopen.date + dt.timedelta(hours=2))
        self.assertEqual(
            ticket.resolution_deadline, reopen.date + dt.timedelta(hours=10))
        self.assertEqual(
            ticket.resolution_risk_date,
            reopen.date + dt.timedelta(hours=7.5))
        self.assertEqual(
            (ticket.response_date, ticket.resolution_date), (None, None))
        self.assertEqual(
            (ticket.response_escalation, ticket.resolution_escalation),
            (None, None))

    @with_transaction()
    def test_reopen_pauses_after_reopen(self):
        "Waiting after a reopen moves the new deadline by the pause"
        pool = Pool()
        Ticket = pool.get('service.ticket')
        company = create_company()
        with set_company(company):
            customer, type_ = self._ticket_setup(company)
            ticket, = self._create_tickets(company, customer, type_, [30])
            ticket.resolution = "Replaced"
            ticket.save()
            Ticket.resolve([ticket])
            Ticket.close([ticket])
            Ticket.reopen([ticket])
            Ticket.wait([ticket])
            Ticket.resume([ticket])
            ticket = Ticket(ticket.id)
            reopen, wait, resume = ticket.history[-3:]

        self.assertEqual(reopen.from_state, 'closed')
        self.assertEqual(
            ticket.resolution_deadline,
            reopen.date + dt.timedelta(hours=10) + (resume.date - wait.date))
        # Asking the customer answered him in the new cycle
        self.assertTrue(reopen.date <= ticket.response_date <= wait.date)

    @with_transaction()
    def test_sla_compliance(self):
        "SLA compliance counts met and missed targets"
        pool = Pool()
        Ticket = pool.get('service.ticket')
        Compliance = pool.get('service.ticket.sla_compliance')
        company = create_company()
        with set_company(company):
            customer, type_ = self._ticket_setup(company)
            met, missed, open_late = self._create_tickets(
                company, customer, type_, [5, 30, 12])
            Ticket.write([met], {
                    'response_date': met.date + dt.timedelta(hours=1),
                    }, [missed], {
                    'response_date': missed.date + dt.timedelta(hours=3),
                    'resolution_date': missed.date + dt.timedelta(hours=9),
                    })
            with Transaction().set_context(company=company.id):
                row, = Compliance.search([])
        self.assertEqual(row.tickets, 3)
        self.assertEqual((row.response_met, row.response_breached), (1, 2))
        self.assertEqual(
            (row.resolution_met, row.resolution_breached), (1, 1))
        self.assertAlmostEqual(row.response_rate, 1 / 3)

    @with_transaction()
    def test_backlog(self):
        "Backlog counts the open tickets by age"
        pool = Pool()
        Ticket = pool.get('service.ticket')
        Backlog = pool.get('service.ticket.backlog')
        company = create_company()
        with set_company(company):
            customer, type_ = self._ticket_setup(company)
            tickets = self._create_tickets(
                company, customer, type_, [1, 30, 50, 100, 200, 300])
            Ticket.write(tickets[-1:], {'state': 'closed'})
            with Transaction().set_context(company=company.id):
                row, = Backlog.search([])
        self.assertEqual(
            (row.tickets, row.age_1, row.age_3, row.age_7, row.age_older),
            (5, 1, 2, 1, 1))
        self.assertEqual(row.breached, 4)

    @with_transaction()
    def test_inbound_email(self):
        "An e-mail opens a ticket, a reply with its token adds a message"
        pool = Pool()
        Party = pool.get('party.party')
        Ticket = pool.get('service.ticket')
        Email = pool.get('ir.email')
        company = create_company()
        with set_company(company):
            customer, = Party.create([{
                        'name': "Xinfadi",
                        'contact_mechanisms': [('create', [{
                                        'type': 'email',
                                        'value': 'buyer@xinfadi.example',
                                        }])],
                        }])
            ticket = Ticket.from_inbound_email(InboundEmail(**{
                        'from': 'Buyer@Xinfadi.example',
                        'subject': "Price of Fuji apples",
                        'text': "Your price for 80 size?",
                        'attachments': [{
                                'filename': 'order.pdf',
                                'data': b'%PDF-1.4\n'}],
                        }), None)
            self.assertEqual(
                (ticket.party, ticket.channel, ticket.kind),
                (customer, 'email', 'inquiry'))
            message, = ticket.messages
            self.assertEqual(
                [a.name for a in message.attachments], ['order.pdf'])

            reply = Ticket.from_inbound_email(InboundEmail(**{
                        'from': 'buyer@xinfadi.example',
                        'subject': (f"Re: {ticket.number} Price "
                            f"[#{ticket.number}:{ticket.reply_token}]"),
                        'text': "And for 90 size?",
                        }), None)
            stranger = Ticket.from_inbound_email(InboundEmail(**{
                        'from': 'someone@else.example',
                        'subject': f"Re: {ticket.number} Price",
                        'text': "Hello",
                        }), None)
            # The acknowledgement
            acknowledgement, = Email.search([])
        self.assertEqual(reply, ticket)
        self.assertEqual(
            [m.body for m in ticket.messages][-1], "And for 90 size?")
        self.assertIsNone(stranger)
        self.assertEqual(Ticket.search([], count=True), 1)
        self.assertEqual(acknowledgement.recipients, 'buyer@xinfadi.example')

    @with_transaction()
    def test_handover_models(self):
        "The open tickets move with the handover"
        pool = Pool()
        Handover = pool.get('crm.handover', type='wizard')
        self.assertIn(
            ('service.ticket', 'assignee',
                [('state', 'not in', ['resolved', 'closed'])]),
            Handover._handover_models())


del ModuleTestCase
