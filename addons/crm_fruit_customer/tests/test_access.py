# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import base64
import datetime as dt
import unittest
from contextlib import contextmanager
from types import SimpleNamespace
from unittest.mock import patch

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import create_company, create_employee
from trytond.modules.crm_fruit_customer.tests.test_module import create_user
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction
from trytond.transaction import Transaction, check_access

PNG = base64.b64decode(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9Q'
    'DwADhgGAWjR9awAAAABJRU5ErkJggg==')


class AccessTestCase(unittest.TestCase):
    "Test the access hardening of the customer archive (issue 9)"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_customer')

    def _setup(self):
        pool = Pool()
        Department = pool.get('crm.department')
        ModelData = pool.get('ir.model.data')
        Party = pool.get('party.party')

        def group(name, module='crm_fruit_customer'):
            return ModelData.get_id(module, name)

        def department(name):
            return Department(ModelData.get_id('crm_fruit_customer', name))

        sale, sale_admin = group('group_sale', 'sale'), group(
            'group_sale_admin', 'sale')
        company = create_company()
        fruit, vegetable = (
            department('department_fruit'), department('department_vegetable'))
        staff = {n: create_employee(company, n) for n in [
                'fruit_rep', 'fruit_manager', 'vegetable_rep',
                'vegetable_manager', 'manager', 'plain']}
        fruit.manager = staff['fruit_manager']
        fruit.members = [staff['fruit_rep']]
        fruit.save()
        vegetable.manager = staff['vegetable_manager']
        vegetable.members = [staff['vegetable_rep']]
        vegetable.save()
        rep, dept = group('group_crm_sales_rep'), group(
            'group_crm_department_manager')
        users = {
            login: create_user(login, groups, staff[employee])
            for login, groups, employee in [
                ('fruit_rep', [rep, sale], 'fruit_rep'),
                ('vegetable_rep', [rep, sale], 'vegetable_rep'),
                ('fruit_manager', [dept, sale, sale_admin], 'fruit_manager'),
                ('vegetable_manager', [dept, sale, sale_admin],
                    'vegetable_manager'),
                ('manager', [group('group_crm_manager'), sale, sale_admin],
                    'manager'),
                ('analyst', [group('group_crm_analyst')], 'manager'),
                ('rep_analyst', [rep, sale, group('group_crm_analyst')],
                    'fruit_rep'),
                ('plain', [sale], 'plain'),
                ]}
        apple, garlic = Party.create([{
                    'name': "Apple Wholesaler",
                    'departments': [('add', [fruit.id])],
                    'sales_rep': staff['fruit_rep'].id,
                    }, {
                    'name': "Garlic Importer",
                    'departments': [('add', [vegetable.id])],
                    'sales_rep': staff['vegetable_rep'].id,
                    }])
        return SimpleNamespace(
            company=company, fruit=fruit, vegetable=vegetable, staff=staff,
            users=users, apple=apple, garlic=garlic)

    @contextmanager
    def as_user(self, s, login):
        user = s.users[login]
        with Transaction().set_user(user.id), check_access(), \
                Transaction().set_context(
                    company=s.company.id, employee=user.employee.id):
            yield

    def _visit(self, s, party, employee, **values):
        Visit = Pool().get('crm.visit')
        visit = Visit(
            company=s.company, party=party, employee=employee,
            date=values.pop('date', dt.date.today()), **values)
        visit.save()
        return visit

    # finding 2: delegations
    @with_transaction()
    def test_delegation_scope_in_model(self):
        "A department manager delegates only his members, to someone else"
        pool = Pool()
        Delegation = pool.get('crm.delegation')
        s = self._setup()
        today = dt.date.today()
        with self.as_user(s, 'fruit_manager'):
            # the other department's manager, to himself, until 2099
            with self.assertRaises(UserError):
                Delegation.create([{
                            'company': s.company.id,
                            'employee': s.staff['vegetable_manager'].id,
                            'delegate': s.staff['fruit_manager'].id,
                            'start_date': today,
                            'end_date': dt.date(2099, 12, 31),
                            }])
            with self.assertRaises(UserError):
                Delegation.create([{
                            'company': s.company.id,
                            'employee': s.staff['vegetable_rep'].id,
                            'delegate': s.staff['fruit_manager'].id,
                            'start_date': today,
                            'end_date': today + dt.timedelta(5),
                            }])
            # a member of his department, but for too long
            with self.assertRaises(UserError):
                Delegation.create([{
                            'company': s.company.id,
                            'employee': s.staff['fruit_rep'].id,
                            'delegate': s.staff['fruit_manager'].id,
                            'start_date': today,
                            'end_date': today + dt.timedelta(91),
                            }])
            delegation, = Delegation.create([{
                        'company': s.company.id,
                        'employee': s.staff['fruit_rep'].id,
                        'delegate': s.staff['fruit_manager'].id,
                        'start_date': today,
                        'end_date': today + dt.timedelta(10),
                        }])
            Delegation.confirm([delegation])
            for values in [
                    {'delegate': s.staff['vegetable_rep'].id},
                    {'employee': s.staff['vegetable_rep'].id},
                    {'start_date': today - dt.timedelta(30)},
                    {'end_date': today + dt.timedelta(20)},
                    {'state': 'draft'},
                    ]:
                with self.assertRaises(UserError, msg=values):
                    Delegation.write([delegation], values)
            Delegation.write([delegation], {
                    'end_date': today + dt.timedelta(3)})
            self.assertEqual(
                Delegation(delegation.id).end_date, today + dt.timedelta(3))

        Log = pool.get('crm.handover.log')
        log, = Log.search([('delegation', '=', delegation.id)])
        self.assertEqual(
            (log.kind, log.employee, log.successor),
            ('delegation', s.staff['fruit_rep'], s.staff['fruit_manager']))

    @with_transaction()
    def test_delegation_rules(self):
        "A department manager sees only his departments' delegations"
        pool = Pool()
        Delegation = pool.get('crm.delegation')
        s = self._setup()
        today = dt.date.today()
        vegetable, = Delegation.create([{
                    'company': s.company.id,
                    'employee': s.staff['vegetable_rep'].id,
                    'delegate': s.staff['vegetable_manager'].id,
                    'start_date': today, 'end_date': today,
                    }])
        with self.as_user(s, 'fruit_manager'):
            self.assertEqual(Delegation.search([]), [])
            with self.assertRaises(AccessError):
                Delegation.write([vegetable], {'end_date': today})
        with self.as_user(s, 'manager'):
            self.assertEqual(Delegation.search([]), [vegetable])

    @with_transaction()
    def test_delegation_configurable_maximum(self):
        "The maximum duration of a delegation is configurable"
        pool = Pool()
        Configuration = pool.get('crm.configuration')
        Delegation = pool.get('crm.delegation')
        s = self._setup()
        self.assertEqual(Configuration(1).delegation_max_days, 90)
        Configuration.write([Configuration(1)], {'delegation_max_days': 5})
        today = dt.date.today()
        with self.as_user(s, 'manager'), self.assertRaises(UserError):
            Delegation.create([{
                        'company': s.company.id,
                        'employee': s.staff['vegetable_manager'].id,
                        'delegate': s.staff['fruit_manager'].id,
                        'start_date': today,
                        'end_date': today + dt.timedelta(6),
                        }])

    # finding 4: children of foreign customers
    @with_transaction()
    def test_create_on_foreign_customer(self):
        "A rep cannot log a contact, a visit or a result on another's customer"
        pool = Pool()
        Contact = pool.get('crm.contact')
        Visit = pool.get('crm.visit')
        YearlyResult = pool.get('party.yearly_result')
        Party = pool.get('party.party')
        s = self._setup()
        rep = s.staff['fruit_rep']
        with self.as_user(s, 'fruit_rep'):
            with self.assertRaises(UserError):
                Contact.create([{
                            'company': s.company.id,
                            'date': dt.datetime.now(),
                            'channel': 'phone', 'direction': 'out',
                            'party': s.garlic.id, 'employee': rep.id,
                            'subject': "Fake",
                            }])
            with self.assertRaises(UserError):
                Visit.create([{
                            'company': s.company.id, 'party': s.garlic.id,
                            'employee': rep.id, 'date': dt.date.today(),
                            }])
            with self.assertRaises(UserError):
                YearlyResult.create([{
                            'party': s.garlic.id, 'year': 2025,
                            'currency': s.company.currency.id,
                            }])
            visit, = Visit.create([{
                        'company': s.company.id, 'party': s.apple.id,
                        'employee': rep.id, 'date': dt.date.today(),
                        }])
            with self.assertRaises(UserError):
                Visit.write([visit], {'party': s.garlic.id})
            # his own customer's links
            Party.write([Party(s.apple.id)], {
                    'export_markets': [('add', [])]})
        self.assertIsNone(Party(s.garlic.id).last_contact_date)

    @with_transaction()
    def test_relation_rows_on_foreign_customer(self):
        "A rep cannot add a department or market to another's customer"
        pool = Pool()
        PartyDepartment = pool.get('party.party-crm.department')
        s = self._setup()
        with self.as_user(s, 'fruit_rep'):
            with self.assertRaises(UserError):
                PartyDepartment.create([{
                            'party': s.garlic.id,
                            'department': s.fruit.id,
                            }])

    @with_transaction()
    def test_visit_rec_name_hides_foreign_customer(self):
        "The name of a visit does not reveal a customer the user cannot read"
        pool = Pool()
        Visit = pool.get('crm.visit')
        s = self._setup()
        visit = self._visit(s, s.garlic, s.staff['fruit_rep'])
        with self.as_user(s, 'fruit_rep'):
            rec_name, = Visit.read([visit.id], ['rec_name'])
            self.assertNotIn("Garlic", rec_name['rec_name'])
            self.assertEqual(
                Visit.search([('rec_name', 'ilike', '%Garlic%')]), [])
            with self.assertRaises(AccessError):
                Visit.read([visit.id], ['party.rec_name'])
        with self.as_user(s, 'manager'):
            rec_name, = Visit.read([visit.id], ['rec_name'])
            self.assertIn("Garlic", rec_name['rec_name'])
            self.assertEqual(
                Visit.search([('rec_name', 'ilike', '%Garlic%')]), [visit])

    # finding 5: computed and workflow fields
    @with_transaction()
    def test_computed_fields_not_written(self):
        "A rep cannot write the classification and the last contact date"
        pool = Pool()
        Party = pool.get('party.party')
        s = self._setup()
        with self.as_user(s, 'fruit_rep'):
            apple = Party(s.apple.id)
            for values in [
                    {'value_class': 'A'}, {'core_customer': True},
                    {'last_contact_date': dt.date.today()},
                    {'lifecycle_stage': 'maturity'},
                    ]:
                with self.assertRaises(UserError, msg=values):
                    Party.write([apple], values)
            Party.write([apple], {'legal_representative': "Zhang"})

    @with_transaction()
    def test_visit_workflow_fields_not_written(self):
        "A rep cannot write the state or the done-by of a visit"
        pool = Pool()
        Visit = pool.get('crm.visit')
        s = self._setup()
        visit = self._visit(
            s, s.apple, s.staff['fruit_rep'],
            date=dt.date.today() - dt.timedelta(3))
        Visit.miss([visit])
        with self.as_user(s, 'fruit_rep'):
            for values in [
                    {'state': 'done'},
                    {'done_by': s.staff['manager'].id},
                    {'done_date': dt.datetime.now()},
                    {'contact': None},
                    ]:
                with self.assertRaises(UserError, msg=values):
                    Visit.write([Visit(visit.id)], values)
        self.assertEqual(Visit(visit.id).state, 'missed')

    @with_transaction()
    def test_future_visit_not_done(self):
        "A visit dated in the future cannot be marked done"
        pool = Pool()
        Visit = pool.get('crm.visit')
        s = self._setup()
        visit = self._visit(
            s, s.apple, s.staff['fruit_rep'],
            date=dt.date.today() + dt.timedelta(2),
            outcome='positive', result="Talked")
        with self.as_user(s, 'fruit_rep'), self.assertRaises(UserError):
            Visit.do([Visit(visit.id)])
        self.assertEqual(Visit(visit.id).state, 'planned')

    @with_transaction()
    def test_archive_change_by_code_only(self):
        "Nobody forges an entry of the major changes"
        pool = Pool()
        ArchiveChange = pool.get('party.archive_change')
        Party = pool.get('party.party')
        s = self._setup()
        for login in ['fruit_rep', 'fruit_manager', 'manager']:
            with self.as_user(s, login), self.assertRaises(AccessError):
                ArchiveChange.create([{
                            'party': s.apple.id,
                            'description': "Forged",
                            }])
        with self.as_user(s, 'fruit_rep'):
            Party.write([Party(s.apple.id)], {'legal_representative': "Li"})
        change, = ArchiveChange.search([('party', '=', s.apple.id)])
        with self.as_user(s, 'manager'), self.assertRaises(AccessError):
            ArchiveChange.delete([change])

    # finding 6: reports
    @with_transaction()
    def test_handover_log_by_code_only(self):
        "A manager cannot forge a handover log"
        pool = Pool()
        Log = pool.get('crm.handover.log')
        s = self._setup()
        for login in ['fruit_manager', 'manager']:
            with self.as_user(s, login), self.assertRaises(AccessError):
                Log.create([{
                            'company': s.company.id,
                            'date': dt.date.today(),
                            'kind': 'transfer',
                            'employee': s.staff['vegetable_rep'].id,
                            'successor': s.staff['fruit_manager'].id,
                            'parties': [('create', [{
                                            'party': s.garlic.id,
                                            'watch_start': dt.date.today(),
                                            'handover_date': dt.date.today(),
                                            'watch_end': dt.date.today(),
                                            }])],
                            }])

    @with_transaction()
    def test_handover_watch_scope(self):
        "The handover watch shows only the customers of the manager's scope"
        pool = Pool()
        Log = pool.get('crm.handover.log')
        Watch = pool.get('crm.handover.watch')
        s = self._setup()
        today = dt.date.today()
        Log.create([{
                    'company': s.company.id, 'date': today,
                    'kind': 'transfer', 'employee': rep.id,
                    'successor': s.staff['manager'].id,
                    'parties': [('create', [{
                                    'party': party.id,
                                    'watch_start': today - dt.timedelta(9),
                                    'handover_date': today,
                                    'watch_end': today + dt.timedelta(9),
                                    }])],
                    } for party, rep in [
                    (s.apple, s.staff['fruit_rep']),
                    (s.garlic, s.staff['vegetable_rep'])]])

        def parties(login):
            with self.as_user(s, login), Transaction().set_context(
                    all_=True, date=today):
                return {w.party for w in Watch.search([])}
        self.assertEqual(parties('fruit_manager'), {s.apple})
        self.assertEqual(parties('vegetable_manager'), {s.garlic})
        self.assertEqual(parties('manager'), {s.apple, s.garlic})
        self.assertEqual(parties('analyst'), {s.apple, s.garlic})

    @with_transaction()
    def test_visit_reports_scope(self):
        "Weekly visits and workload show only the manager's departments"
        pool = Pool()
        Visit = pool.get('crm.visit')
        EmployeeWeek = pool.get('crm.visit.reporting.employee_week')
        Workload = pool.get('crm.visit.workload')
        s = self._setup()
        today = dt.date.today()
        for party, rep, department in [
                (s.apple, s.staff['fruit_rep'], s.fruit),
                (s.garlic, s.staff['vegetable_rep'], s.vegetable)]:
            self._visit(s, party, rep, department=department)

        def visible(login):
            with self.as_user(s, login), Transaction().set_context(
                    from_date=today - dt.timedelta(7),
                    to_date=today + dt.timedelta(7)):
                return (
                    {w.employee for w in EmployeeWeek.search([])},
                    {w.department for w in Workload.search([])})
        self.assertEqual(
            visible('fruit_manager'), ({s.staff['fruit_rep']}, {s.fruit}))
        self.assertEqual(visible('manager'), (
                {s.staff['fruit_rep'], s.staff['vegetable_rep']},
                {s.fruit, s.vegetable}))
        self.assertEqual(visible('analyst'), visible('manager'))

    @with_transaction()
    def test_not_contacted_scope(self):
        "The not-contacted list never lists a customer the user cannot read"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        NotContacted = pool.get('crm.visit.not_contacted')
        Party = pool.get('party.party')
        s = self._setup()
        grade = ModelData.get_id('crm_fruit_customer', 'grade_a')
        Party.write([s.apple, s.garlic], {'grade': grade})
        # a customer of the vegetable department served by a fruit rep
        both, = Party.create([{
                    'name': "Onion Trader", 'grade': grade,
                    'departments': [('add', [s.vegetable.id])],
                    'sales_rep': s.staff['vegetable_rep'].id,
                    }])

        def visible(login):
            with self.as_user(s, login):
                return {r.party for r in NotContacted.search([])}
        self.assertEqual(visible('fruit_manager'), {s.apple})
        self.assertEqual(visible('fruit_rep'), {s.apple})
        self.assertEqual(visible('vegetable_manager'), {s.garlic, both})
        self.assertEqual(visible('manager'), {s.apple, s.garlic, both})

    @with_transaction()
    def test_classification_stage_scope(self):
        "The customers per stage count only the manager's departments"
        pool = Pool()
        Snapshot = pool.get('crm.classification.snapshot')
        Stage = pool.get('crm.classification.stage')
        s = self._setup()
        period = dt.date.today().replace(day=1)
        Snapshot.create([{
                    'company': s.company.id, 'period': period,
                    'party': p.id, 'lifecycle_stage': 'formation',
                    'value_class': 'B',
                    } for p in [s.apple, s.garlic]])

        def customers(login):
            with self.as_user(s, login), Transaction().set_context(
                    period=period):
                return sum(r.customers for r in Stage.search([]))
        self.assertEqual(customers('fruit_manager'), 1)
        self.assertEqual(customers('manager'), 2)
        self.assertEqual(customers('analyst'), 2)

    # finding 7: parties
    @with_transaction()
    def test_non_customer_party_read_only(self):
        "Reps and department managers read but do not write staff parties"
        pool = Pool()
        Party = pool.get('party.party')
        s = self._setup()
        staff_party = s.staff['manager'].party
        for login in ['fruit_rep', 'fruit_manager']:
            with self.as_user(s, login):
                self.assertEqual(
                    Party(staff_party.id).rec_name, staff_party.rec_name)
                with self.assertRaises(AccessError):
                    Party.write([Party(staff_party.id)], {'name': "Hacked"})
                with self.assertRaises(AccessError):
                    Party.create([{
                                'name': "Supplier", 'sales_rep': None,
                                'departments': []}])
        with self.as_user(s, 'manager'):
            Party.write([Party(staff_party.id)], {'name': "Manager"})

    @with_transaction()
    def test_customer_not_taken_out_of_scope(self):
        "A rep cannot empty or give away his customer"
        pool = Pool()
        Party = pool.get('party.party')
        s = self._setup()
        pear, = Party.create([{
                    'name': "Pear Grower",
                    'departments': [('add', [s.fruit.id])],
                    'sales_rep': s.staff['fruit_rep'].id,
                    }])
        with self.as_user(s, 'fruit_rep'):
            apple = Party(s.apple.id)
            Party.write([apple], {'active': False})
            with self.assertRaises(AccessError):
                Party.delete([Party(pear.id)])
            # (a refused write is rolled back by the request, not here)
            with self.assertRaises(AccessError):
                Party.write([apple], {
                        'sales_rep': None,
                        'departments': [('remove', [s.fruit.id])]})
            with self.assertRaises(AccessError):
                Party.write([Party(pear.id)], {
                        'sales_rep': s.staff['vegetable_rep'].id})
        with self.as_user(s, 'fruit_manager'):
            Party.delete([Party(pear.id)])

    @with_transaction()
    def test_no_crm_user_cannot_reassign(self):
        "A user in no CRM group cannot write our customer fields"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Party = pool.get('party.party')
        PartyDepartment = pool.get('party.party-crm.department')
        s = self._setup()
        grade = ModelData.get_id('crm_fruit_customer', 'grade_a')
        with self.as_user(s, 'plain'):
            for values in [
                    {'sales_rep': s.staff['plain'].id},
                    {'second_contact': s.staff['plain'].id},
                    {'departments': [('add', [s.vegetable.id])]},
                    {'grade': grade},
                    ]:
                with self.assertRaises(AccessError, msg=values):
                    Party.write([Party(s.apple.id)], values)
            with self.assertRaises(AccessError):
                PartyDepartment.create([{
                            'party': s.apple.id,
                            'department': s.vegetable.id,
                            }])

    # finding 8: analyst
    @with_transaction()
    def test_analyst_rule_groups_read_only(self):
        "Every rule group of the analyst grants reading only"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        RuleGroup = pool.get('ir.rule.group')
        analyst = ModelData.get_id('crm_fruit_customer', 'group_crm_analyst')
        groups = RuleGroup.search([('groups', '=', analyst)])
        self.assertTrue(groups)
        for group in groups:
            if group.perm_read:
                self.assertFalse(
                    group.perm_write or group.perm_create
                    or group.perm_delete, msg=group.name)

    @with_transaction()
    def test_rep_analyst_writes_own_only(self):
        "A rep who is also analyst still writes only his own records"
        pool = Pool()
        Visit = pool.get('crm.visit')
        Contact = pool.get('crm.contact')
        s = self._setup()
        visit = self._visit(s, s.garlic, s.staff['vegetable_rep'])
        contact, = Contact.create([{
                    'company': s.company.id, 'date': dt.datetime.now(),
                    'channel': 'phone', 'direction': 'out',
                    'party': s.garlic.id,
                    'employee': s.staff['vegetable_rep'].id,
                    'subject': "Call",
                    }])
        with self.as_user(s, 'rep_analyst'):
            self.assertEqual(len(Visit.search([])), 1)
            with self.assertRaises(AccessError):
                Visit.write([Visit(visit.id)], {'purpose': "Mine"})
            with self.assertRaises(AccessError):
                Contact.write([Contact(contact.id)], {'subject': "Mine"})

    # finding 10: bounds and photo
    @with_transaction()
    def test_visit_plan_weeks_bounded(self):
        "The visit plan wizard refuses too many weeks"
        pool = Pool()
        VisitPlan = pool.get('crm.visit.plan', type='wizard')
        s = self._setup()
        with self.as_user(s, 'manager'):
            session_id, _, _ = VisitPlan.create()
            wizard = VisitPlan(session_id)
            wizard.start.weeks = 1000
            wizard.start.employees = []
            with self.assertRaises(UserError):
                wizard.do_generate({})

    @with_transaction()
    def test_visit_plan_manager_own_departments(self):
        "A department manager plans only his departments' reps"
        pool = Pool()
        Visit = pool.get('crm.visit')
        VisitPlan = pool.get('crm.visit.plan', type='wizard')
        s = self._setup()
        with self.as_user(s, 'fruit_manager'):
            session_id, _, _ = VisitPlan.create()
            wizard = VisitPlan(session_id)
            wizard.start.weeks = 2
            wizard.start.employees = [s.staff['vegetable_rep']]
            with self.assertRaises(UserError):
                wizard.do_generate({})
        with patch_generate(Visit) as calls, \
                self.as_user(s, 'fruit_manager'):
            wizard.start.employees = []
            wizard.do_generate({})
        self.assertEqual(calls, [[s.staff['fruit_rep']]])

    @with_transaction()
    def test_weekly_report_range_bounded(self):
        "The weekly visit report refuses a period of more than a year"
        pool = Pool()
        EmployeeWeek = pool.get('crm.visit.reporting.employee_week')
        s = self._setup()
        today = dt.date.today()
        with self.as_user(s, 'manager'), Transaction().set_context(
                from_date=today - dt.timedelta(days=4000), to_date=today), \
                self.assertRaises(UserError):
            EmployeeWeek.search([])

    @with_transaction()
    def test_visit_photo_validated(self):
        "The photo of a visit report must be an image of a bounded size"
        pool = Pool()
        Visit = pool.get('crm.visit')
        s = self._setup()
        visit = self._visit(s, s.apple, s.staff['fruit_rep'])
        with self.as_user(s, 'fruit_rep'):
            with self.assertRaises(UserError):
                Visit.write([Visit(visit.id)], {
                        'photo': b'<html><script>x</script></html>',
                        'photo_name': 'shop.html'})
            Visit.write([Visit(visit.id)], {
                    'photo': PNG, 'photo_name': '../shop front.png'})
        visit = Visit(visit.id)
        self.assertEqual(bytes(visit.photo), PNG)
        self.assertNotIn('/', visit.photo_name)

    @with_transaction()
    def test_recompute_classification_manager_only(self):
        "Only the CRM manager recomputes the classification"
        pool = Pool()
        Configuration = pool.get('crm.configuration')
        Party = pool.get('party.party')
        s = self._setup()
        configuration, = Configuration.create([{}])
        calls = []
        with patch.object(
                Party, 'classify_customers', lambda: calls.append(1)):
            for login in ['analyst', 'rep_analyst', 'fruit_manager']:
                with self.as_user(s, login):
                    for records in [[], [configuration]]:
                        with self.assertRaises(UserError, msg=login):
                            Configuration.recompute(records)
            self.assertEqual(calls, [])
            with self.as_user(s, 'manager'):
                Configuration.recompute([configuration])
            self.assertEqual(calls, [1])

    @with_transaction()
    def test_no_crm_user_reads_customers_only(self):
        "A user in no CRM group changes no customer, only other parties"
        pool = Pool()
        Address = pool.get('party.address')
        Party = pool.get('party.party')
        s = self._setup()
        supplier, = Party.create([{'name': "Supplier"}])
        with self.as_user(s, 'plain'):
            apple = Party(s.apple.id)
            self.assertEqual(apple.rec_name, s.apple.rec_name)
            with self.assertRaises(AccessError):
                Party.write([apple], {'name': "Hacked"})
            with self.assertRaises(AccessError):
                Party.delete([apple])
            with self.assertRaises(AccessError):
                Address.create([{'party': apple.id, 'street': "Rue 1"}])
            Party.write([Party(supplier.id)], {'name': "Supplier Ltd"})
            Address.create([{'party': supplier.id, 'street': "Rue 2"}])

    @with_transaction()
    def test_party_created_by_rep_is_his_customer(self):
        "A party a rep or department manager creates is his own customer"
        pool = Pool()
        Party = pool.get('party.party')
        s = self._setup()
        for login, employee in [
                ('fruit_rep', 'fruit_rep'), ('fruit_manager', 'fruit_manager')]:
            with self.as_user(s, login):
                party, = Party.create([{'name': "New Shop"}])
                with self.assertRaises(AccessError, msg=login):
                    Party.create([{
                                'name': "Supplier", 'sales_rep': None,
                                'departments': []}])
            self.assertEqual(party.sales_rep, s.staff[employee])


@contextmanager
def patch_generate(Visit):
    calls = []

    def generate(employees=None, weeks=None, start=None):
        calls.append(list(employees) if employees is not None else None)
    with patch.object(Visit, 'generate_plans', generate):
        yield calls
