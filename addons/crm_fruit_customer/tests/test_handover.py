# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
import unittest
from decimal import Decimal

import trytond.config as config
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.crm_fruit_customer.tests.tools import queued_messages
from trytond.modules.crm_fruit_customer.exceptions import (
    EmployeeOwnerError, EmployeeOwnerWarning, HandoverScopeError,
    HandoverSuccessorError)
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder, PYSONEncoder
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction
from trytond.transaction import Transaction


def text(msg):
    return msg.get_body(('plain',)).get_content()


class HandoverTestCase(unittest.TestCase):
    "Test the handover of an employee's customers"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_customer')

    def _employees(self, company, *names):
        pool = Pool()
        Party = pool.get('party.party')
        Employee = pool.get('company.employee')
        employees = []
        for name in names:
            party = Party(name=name)
            party.save()
            employee = Employee(party=party, company=company)
            employee.save()
            employees.append(employee)
        return employees

    def _customers(self, rep, *names, **values):
        pool = Pool()
        Party = pool.get('party.party')
        parties = [Party(name=n, sales_rep=rep, **values) for n in names]
        Party.save(parties)
        return parties

    def _run(self, employee, successor, **values):
        "Run the handover wizard for employee and return the log"
        pool = Pool()
        Handover = pool.get('crm.handover', type='wizard')
        Log = pool.get('crm.handover.log')
        session_id, _, _ = Handover.create()
        handover = Handover(session_id)
        handover.start.company = employee.company
        handover.start.employee = employee
        handover.start.successor = successor
        handover.start.kind = values.pop('kind', 'transfer')
        handover.start.start_date = values.pop('start_date', None)
        handover.start.end_date = values.pop('end_date', None)
        handover.start.notify = values.pop('notify', False)
        action = {'views': []}
        action, _ = handover.do_handover(action)
        log, = Log.browse(action['res_id'])
        return log

    @with_transaction()
    def test_hook_lists_open_records_only(self):
        "The hook selects only open opportunities and planned visits"
        Handover = Pool().get('crm.handover', type='wizard')
        models = {(m, f): d for m, f, d in Handover._handover_models()}
        self.assertEqual(models[('party.party', 'sales_rep')], [])
        self.assertEqual(models[('party.party', 'second_contact')], [])
        self.assertEqual(
            models[('sale.opportunity', 'employee')],
            [('state', 'in', ['lead', 'opportunity'])])
        self.assertEqual(
            models[('crm.visit', 'employee')], [('state', '=', 'planned')])

    @with_transaction()
    def test_transfer_moves_customers_and_logs_counts(self):
        "Transfer moves both contact roles and logs the counts per model"
        pool = Pool()
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            old, new, other = self._employees(company, "Old", "New", "Other")
            first, second = self._customers(old, "Apple Ltd", "Pear Ltd")
            third, = self._customers(other, "Garlic Ltd", second_contact=old)

            log = self._run(old, new)

            self.assertEqual(
                Party.search([('sales_rep', '=', new.id)]), [first, second])
            self.assertEqual(third.second_contact, new)
            self.assertEqual(third.sales_rep, other)
            self.assertFalse(Party.search(['OR',
                        ('sales_rep', '=', old.id),
                        ('second_contact', '=', old.id),
                        ]))
            counts = {(l.model, l.field): l.count for l in log.lines}
            self.assertEqual(counts[('party.party', 'sales_rep')], 2)
            self.assertEqual(counts[('party.party', 'second_contact')], 1)
            self.assertEqual(
                {p.party for p in log.parties}, {first, second, third})

    @with_transaction()
    def test_log_lines_show_field_labels(self):
        "The log shows the label of the transferred field, not its name"
        pool = Pool()
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            old, new = self._employees(company, "Old", "New")
            self._customers(old, "Apple Ltd")
            log = self._run(old, new)
            line, = [l for l in log.lines if l.field == 'sales_rep']
            label = Party.fields_get(['sales_rep'])['sales_rep']['string']
            self.assertEqual(line.field_label, label)
            self.assertNotEqual(line.field_label, 'sales_rep')

    @with_transaction()
    def test_confirm_button_labelled_by_kind(self):
        "The wizard confirms a transfer or a delegation, named as such"
        Handover = Pool().get('crm.handover', type='wizard')
        buttons = {
            b.state: b for b in Handover.states['start'].buttons}
        transfer = buttons['confirm_transfer']
        delegation = buttons['confirm_delegation']
        self.assertEqual(transfer.string, "Confirm Transfer")
        self.assertEqual(delegation.string, "Confirm Delegation")
        for kind, visible in [
                ('transfer', transfer), ('delegation', delegation)]:
            decoder = PYSONDecoder({'kind': kind})
            for button in [transfer, delegation]:
                invisible = decoder.decode(
                    PYSONEncoder().encode(button.states['invisible']))
                self.assertEqual(invisible, button is not visible)
        session_id, _, _ = Handover.create()
        handover = Handover(session_id)
        self.assertEqual(handover.transition_confirm_transfer(), 'handover')
        self.assertEqual(
            handover.transition_confirm_delegation(), 'handover')

    @with_transaction()
    def test_transfer_watch_period(self):
        "Transferred customers are watched N days around the handover"
        pool = Pool()
        Configuration = pool.get('crm.configuration')
        Date = pool.get('ir.date')
        company = create_company()
        with set_company(company):
            Configuration(1, watch_days=30).save()
            old, new = self._employees(company, "Old", "New")
            self._customers(old, "Apple Ltd")

            log = self._run(old, new)

            line, = log.parties
            today = Date.today()
            self.assertEqual(line.handover_date, today)
            self.assertEqual(line.watch_start, today - dt.timedelta(30))
            self.assertEqual(line.watch_end, today + dt.timedelta(30))

    @with_transaction()
    def test_transfer_refuses_successor_already_other_contact(self):
        "A successor cannot become both contacts of one customer"
        pool = Pool()
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            old, new = self._employees(company, "Old", "New")
            customer, = self._customers(old, "Apple Ltd", second_contact=new)

            with self.assertRaises(HandoverSuccessorError):
                self._run(old, new)
            self.assertEqual(Party(customer.id).sales_rep, old)

    @with_transaction()
    def test_department_manager_scope(self):
        "A department manager hands over only members of his departments"
        pool = Pool()
        Department = pool.get('crm.department')
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        company = create_company()
        with set_company(company):
            boss, member, stranger, new = self._employees(
                company, "Boss", "Member", "Stranger", "New")
            Department.create([{
                        'name': "Fruit 2", 'code': 'fruit2',
                        'manager': boss.id,
                        'members': [('add', [member.id, new.id])],
                        }])
            group = ModelData.get_id(
                'crm_fruit_customer', 'group_crm_department_manager')
            user, = User.create([{
                        'login': 'boss', 'groups': [('add', [group])],
                        'companies': [('add', [company.id])],
                        'company': company.id,
                        'employees': [('add', [boss.id])],
                        'employee': boss.id,
                        }])
            customer, = self._customers(member, "Apple Ltd")

            with Transaction().set_user(user.id):
                with self.assertRaises(HandoverScopeError):
                    self._run(stranger, new)
                self._run(member, new)
            self.assertEqual(customer.sales_rep, new)

    @with_transaction()
    def test_delegation_keeps_owner_and_grants_period(self):
        "Delegation changes no owner and is confirmed for the period"
        pool = Pool()
        Party = pool.get('party.party')
        Date = pool.get('ir.date')
        company = create_company()
        with set_company(company):
            old, new = self._employees(company, "Old", "New")
            customer, = self._customers(old, "Apple Ltd")
            today = Date.today()

            log = self._run(
                old, new, kind='delegation',
                start_date=today, end_date=today + dt.timedelta(6))

            self.assertEqual(Party(customer.id).sales_rep, old)
            self.assertEqual(log.delegation.state, 'confirmed')
            self.assertEqual(log.delegation.delegate, new)
            self.assertEqual(log.parties, ())

    @with_transaction()
    def test_delegators_follow_the_calendar(self):
        "Delegators are granted only from start to end date, without cron"
        pool = Pool()
        Delegation = pool.get('crm.delegation')
        company = create_company()
        with set_company(company):
            old, new = self._employees(company, "Old", "New")
            start = dt.date(2026, 3, 2)
            delegation = Delegation(
                employee=old, delegate=new,
                start_date=start, end_date=start + dt.timedelta(4))
            delegation.save()
            self.assertEqual(Delegation.delegators([new.id], start), ())
            Delegation.confirm([delegation])

            for day, expected in [
                    (-1, ()), (0, (old.id,)), (4, (old.id,)), (5, ())]:
                date = start + dt.timedelta(day)
                with self.subTest(day=day):
                    self.assertEqual(
                        Delegation.delegators([new.id], date), expected)
            self.assertEqual(Delegation.delegators([old.id], start), ())

    @with_transaction()
    def test_rule_context_includes_delegators(self):
        "The rule context adds the delegators to the user's employees"
        pool = Pool()
        Delegation = pool.get('crm.delegation')
        Rule = pool.get('ir.rule')
        User = pool.get('res.user')
        Date = pool.get('ir.date')
        company = create_company()
        with set_company(company):
            old, new = self._employees(company, "Old", "New")
            user = User(login='new', employees=[new], employee=new)
            user.save()
            delegation = Delegation(
                employee=old, delegate=new,
                start_date=Date.today(), end_date=Date.today())
            delegation.save()

            with Transaction().set_user(user.id):
                context = Rule._get_context('party.party')
                key_before = Rule._get_cache_key({'party.party'})
            self.assertEqual(context['employees'], [new.id])

            Delegation.confirm([delegation])
            with Transaction().set_user(user.id):
                context = Rule._get_context('party.party')
                key_after = Rule._get_cache_key({'party.party'})
            self.assertEqual(context['employees'], [new.id, old.id])
            self.assertEqual(context['delegated_employees'], [old.id])
            self.assertNotEqual(key_before, key_after)

    @with_transaction()
    def test_close_expired(self):
        "The cron closes only the delegations whose end date has passed"
        pool = Pool()
        Delegation = pool.get('crm.delegation')
        Date = pool.get('ir.date')
        company = create_company()
        with set_company(company):
            old, new = self._employees(company, "Old", "New")
            today = Date.today()
            expired, running = Delegation.create([{
                        'employee': old.id, 'delegate': new.id,
                        'start_date': today - dt.timedelta(9),
                        'end_date': today - dt.timedelta(1),
                        }, {
                        'employee': old.id, 'delegate': new.id,
                        'start_date': today - dt.timedelta(1),
                        'end_date': today,
                        }])
            Delegation.confirm([expired, running])

            Delegation.close_expired()

            self.assertEqual(expired.state, 'done')
            self.assertEqual(running.state, 'confirmed')

    @with_transaction()
    def test_notify_customers_in_their_language(self):
        "Customers with an e-mail get the notice in their language"
        pool = Pool()
        Lang = pool.get('ir.lang')
        Email = pool.get('ir.email')
        company = create_company()
        with set_company(company):
            old, new = self._employees(company, "Wang Wei", "Li Na")
            english, = Lang.search([('code', '=', 'en')])
            customer, silent = self._customers(old, "Fresh Co", "Mute Co")
            customer.lang = english
            customer.contact_mechanisms = [
                {'type': 'email', 'value': 'buyer@fresh.example'}]
            customer.save()

            log = self._run(old, new, notify=True)

            self.assertEqual(log.notified, 1)
            msg, = queued_messages()
            self.assertEqual(msg['To'], 'buyer@fresh.example')
            self.assertIn("Li Na", text(msg))
            self.assertIn("Wang Wei", text(msg))
            self.assertIn("new contact", msg['Subject'])
            email, = Email.search([('resource', '=', str(customer))])
            self.assertEqual(email.recipients, 'buyer@fresh.example')
            self.assertFalse(Email.search([('resource', '=', str(silent))]))

    @with_transaction()
    def test_notify_delegation_with_period(self):
        "A delegation notice names the delegate and the period"
        pool = Pool()
        Lang = pool.get('ir.lang')
        company = create_company()
        with set_company(company):
            old, new = self._employees(company, "Wang Wei", "Li Na")
            customer, = self._customers(old, "Fresh Co")
            customer.contact_mechanisms = [
                {'type': 'email', 'value': 'buyer@fresh.example'}]
            customer.save()
            start, end = dt.date(2026, 12, 1), dt.date(2026, 12, 7)

            log = self._run(
                old, new, kind='delegation', notify=True,
                start_date=start, end_date=end)

            self.assertEqual(log.notified, 1)
            msg, = queued_messages()
            # a customer without language reads the database's one
            lang = Lang.get(config.get('database', 'language'))
            for date in [start, end]:
                self.assertIn(lang.strftime(date), msg['Subject'])
                self.assertIn(lang.strftime(date), text(msg))
            self.assertIn("while Wang Wei is away", text(msg))

    @with_transaction()
    def test_end_date_refused_while_owning(self):
        "Ending the employment of an owner is refused until handed over"
        pool = Pool()
        Employee = pool.get('company.employee')
        Date = pool.get('ir.date')
        company = create_company()
        with set_company(company):
            old, new = self._employees(company, "Old", "New")
            self._customers(old, "Apple Ltd")
            today = Date.today()

            with self.assertRaises(EmployeeOwnerError):
                Employee.write([old], {'end_date': today})
            with self.assertRaises(EmployeeOwnerWarning):
                Employee.write([old], {'end_date': today + dt.timedelta(30)})

            self._run(old, new)
            Employee.write([old], {'end_date': today})
            tomorrow = today + dt.timedelta(1)
            with Transaction().set_context(date=tomorrow):
                self.assertFalse(Employee(old.id).active)

    @with_transaction()
    def test_watch_lists_customers_buying_less(self):
        "The watch list shows transferred customers whose orders drop"
        pool = Pool()
        Watch = pool.get('crm.handover.watch')
        Date = pool.get('ir.date')
        company = create_company()
        with set_company(company):
            old, new = self._employees(company, "Old", "New")
            loyal, leaving = self._customers(old, "Loyal Co", "Leaving Co")
            self._run(old, new)
            today = Date.today()
            for party, date, amount in [
                    (loyal, today - dt.timedelta(10), 100),
                    (loyal, today, 100),
                    (leaving, today - dt.timedelta(10), 100),
                    (leaving, today, 20),
                    ]:
                self._sale(party, date, amount)

            with Transaction().set_context(company=company.id):
                first_day = Watch.search([])
            later = today + dt.timedelta(10)
            with Transaction().set_context(company=company.id, date=later):
                watched = Watch.search([])
            with Transaction().set_context(
                    company=company.id, date=later, all_=True):
                everyone = Watch.search([])
            self.assertEqual(first_day, [])
            self.assertEqual([w.party for w in watched], [leaving])
            row, = watched
            self.assertEqual(row.amount_before, Decimal(100))
            self.assertEqual(row.amount_after, Decimal(20))
            self.assertAlmostEqual(row.drop, 0.8)
            self.assertEqual(
                {w.party for w in everyone}, {loyal, leaving})

    def _sale(self, party, date, amount):
        "Insert a confirmed sale line of amount without the sale workflow"
        pool = Pool()
        Address = pool.get('party.address')
        Company = pool.get('company.company')
        Sale = pool.get('sale.sale')
        Line = pool.get('sale.line')
        company = Company(Transaction().context['company'])
        address, = Address.create([{'party': party.id}])
        sale, = Sale.create([{
                    'invoice_address': address.id,
                    'shipment_address': address.id,
                    'company': company.id,
                    'currency': company.currency.id,
                    'party': party.id,
                    'sale_date': date,
                    }])
        Line.create([{
                    'sale': sale.id, 'type': 'line', 'quantity': 1,
                    'unit_price': Decimal(amount), 'description': "Fruit",
                    }])
        Sale.write([sale], {'state': 'confirmed'})
