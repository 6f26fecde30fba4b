# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"Access hardening of the service desk (issue 9)"
import datetime as dt
import unittest
from contextlib import contextmanager
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.model import ModelStorage
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.company.tests import (
    create_company, create_employee, set_company)
from trytond.modules.crm_fruit_customer.tests.test_module import create_user
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction
from trytond.transaction import Transaction, check_access


@contextmanager
def acting(user):
    "Run as user through the access checks, as a JSON-RPC call does"
    with Transaction().set_user(user.id), check_access(), \
            Transaction().set_context(company=user.company.id):
        yield


class ServiceAccessTestCase(unittest.TestCase):
    "Test who may read and change what on the service desk"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_service')

    def _setup(self):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Department = pool.get('crm.department')
        Party = pool.get('party.party')
        Team = pool.get('service.team')
        Ticket = pool.get('service.ticket')
        Type = pool.get('service.ticket.type')
        Sale = pool.get('sale.sale')

        def group(name, module='crm_fruit_customer'):
            return ModelData.get_id(module, name)

        def record(Model, module, name):
            return Model(ModelData.get_id(module, name))

        company = create_company()
        staff = {n: create_employee(company, n) for n in [
                'fruit_rep', 'vegetable_rep', 'fruit_manager', 'manager',
                'fruit_agent', 'vegetable_agent', 'service_manager',
                'nobody', 'sale_admin']}
        fruit = record(Department, 'crm_fruit_customer', 'department_fruit')
        vegetable = record(
            Department, 'crm_fruit_customer', 'department_vegetable')
        fruit.manager = staff['fruit_manager']
        fruit.members = [staff['fruit_rep']]
        fruit.save()
        vegetable.members = [staff['vegetable_rep']]
        vegetable.save()
        fruit_team = record(Team, 'crm_fruit_service', 'team_fruit')
        fruit_team.members = [staff['fruit_agent']]
        fruit_team.save()
        vegetable_team = record(Team, 'crm_fruit_service', 'team_vegetable')
        vegetable_team.members = [staff['vegetable_agent']]
        vegetable_team.save()

        sale, sale_admin = group('group_sale', 'sale'), group(
            'group_sale_admin', 'sale')
        agent = group('group_service_agent', 'crm_fruit_service')
        users = {login: create_user(login, groups, staff[employee])
            for login, groups, employee in [
                ('nobody', [], 'nobody'),
                ('sale_admin', [sale, sale_admin], 'sale_admin'),
                ('fruit_rep', [group('group_crm_sales_rep'), sale],
                    'fruit_rep'),
                ('vegetable_rep', [group('group_crm_sales_rep'), sale],
                    'vegetable_rep'),
                ('fruit_manager', [
                        group('group_crm_department_manager'), sale,
                        sale_admin], 'fruit_manager'),
                ('manager', [group('group_crm_manager'), sale, sale_admin],
                    'manager'),
                ('analyst', [group('group_crm_analyst')], 'manager'),
                ('fruit_agent', [agent], 'fruit_agent'),
                ('analyst_agent', [agent, group('group_crm_analyst')],
                    'fruit_agent'),
                ('vegetable_agent', [agent], 'vegetable_agent'),
                ('service_manager', [group(
                            'group_service_manager', 'crm_fruit_service')],
                    'service_manager'),
                ]}
        apple, garlic = Party.create([{
                    'name': "Apple Wholesaler",
                    'departments': [('add', [fruit.id])],
                    'sales_rep': staff['fruit_rep'].id,
                    'addresses': [('create', [{'city': "烟台"}])],
                    }, {
                    'name': "Garlic Importer",
                    'departments': [('add', [vegetable.id])],
                    'sales_rep': staff['vegetable_rep'].id,
                    'addresses': [('create', [{'city': "Kuala Lumpur"}])],
                    }])
        type_, = Type.search([('kind', '=', 'quality')])
        with set_company(company):
            apple_sale, garlic_sale = Sale.create([{
                        'company': company.id,
                        'currency': company.currency.id,
                        'party': p.id,
                        'sale_date': dt.date(2026, 5, 4),
                        'invoice_address': p.addresses[0].id,
                        'shipment_address': p.addresses[0].id,
                        'lines': [('create', [{
                                        'type': 'line',
                                        'description': "Fuji apples",
                                        'quantity': 100,
                                        'unit_price': Decimal(5),
                                        }])],
                        } for p in [apple, garlic]])
            apple_ticket, garlic_ticket = Ticket.create([{
                        'company': company.id,
                        'party': p.id,
                        'type': type_.id,
                        'subject': "Soft fruit",
                        'department': d.id,
                        'team': t.id,
                        'assignee': a.id,
                        'sale': s.id,
                        'sale_line': s.lines[0].id,
                        } for p, d, t, a, s in [
                        (apple, fruit, fruit_team, staff['fruit_agent'],
                            apple_sale),
                        (garlic, vegetable, vegetable_team,
                            staff['vegetable_agent'], garlic_sale)]])
        return {
            'company': company, 'users': users, 'staff': staff,
            'apple': apple, 'garlic': garlic,
            'apple_ticket': apple_ticket, 'garlic_ticket': garlic_ticket,
            }

    @with_transaction()
    def test_models_closed_without_group(self):
        "No model of the module is open to a user in no group of ours"
        pool = Pool()
        IrModel = pool.get('ir.model')
        ModelAccess = pool.get('ir.model.access')
        data = self._setup()
        names = [m.name for m in IrModel.search(
                [('module', '=', 'crm_fruit_service')])]
        names = [n for n in names
            if issubclass(pool.get(n), ModelStorage)]
        self.assertGreater(len(names), 40)
        checked, open_ = 0, []
        for login in ['nobody', 'sale_admin']:
            with acting(data['users'][login]):
                for name, access in ModelAccess.get_access(names).items():
                    checked += 1
                    if any(access.values()):
                        open_.append((login, name, access))
        print(f"\n{checked} model accesses checked")
        self.maxDiff = None
        self.assertEqual(open_, [])

    @with_transaction()
    def test_children_follow_parent(self):
        "Answers, versions and uses are read through their parent only"
        pool = Pool()
        Answer = pool.get('service.survey.answer')
        Version = pool.get('service.knowledge.article.version')
        Use = pool.get('service.knowledge.article.use')
        Survey = pool.get('service.survey')
        Article = pool.get('service.knowledge.article')
        data = self._setup()
        with set_company(data['company']):
            survey = Survey(party=data['apple'])
            survey.save()
            article = Article(title="Cherries", body="Keep them at 0 °C")
            article.save()
            Article.publish([article])
            Article.solved([article])
        with acting(data['users']['fruit_rep']):
            for Model in [Answer, Version, Use]:
                with self.assertRaises(AccessError):
                    Model.search([])
            with self.assertRaises(AccessError):
                Answer.write(
                    [Answer(survey.answers[0].id)], {'perceived': 5})
        with acting(data['users']['fruit_agent']):
            self.assertEqual(len(Answer.search([])), len(survey.answers))
            self.assertEqual(len(Version.search([])), 1)
            self.assertEqual(len(Use.search([])), 1)

    @with_transaction()
    def test_analyst_agent_writes_own_team_only(self):
        "An agent who is also analyst reads every ticket, writes his team's"
        pool = Pool()
        Ticket = pool.get('service.ticket')
        Compensation = pool.get('service.ticket.compensation')
        data = self._setup()
        apple_ticket, garlic_ticket = (
            data['apple_ticket'], data['garlic_ticket'])
        with acting(data['users']['analyst_agent']):
            self.assertEqual(
                set(Ticket.search([])), {apple_ticket, garlic_ticket})
            Ticket.write([Ticket(apple_ticket.id)], {'subject': "Soft"})
            with self.assertRaises(AccessError):
                Ticket.write([Ticket(garlic_ticket.id)], {'subject': "Mine"})
            with self.assertRaises(AccessError):
                Compensation.create([{
                            'ticket': garlic_ticket.id,
                            'kind': 'return',
                            'sale_line': garlic_ticket.sale_line.id,
                            'reason': "Rotten",
                            }])
        with acting(data['users']['analyst']):
            with self.assertRaises(AccessError):
                Ticket.write([Ticket(apple_ticket.id)], {'subject': "Mine"})

    @with_transaction()
    def test_ticket_workflow_fields(self):
        "State, SLA and audit fields of a ticket change through buttons only"
        pool = Pool()
        Ticket = pool.get('service.ticket')
        History = pool.get('service.ticket.history')
        Message = pool.get('service.ticket.message')
        data = self._setup()
        ticket = data['apple_ticket']
        now = dt.datetime.now()
        forged = {
            'state': 'resolved',
            'response_date': now,
            'response_deadline': now + dt.timedelta(days=30),
            'response_risk_date': now + dt.timedelta(days=30),
            'response_escalation': None,
            'resolution_date': now,
            'resolution_deadline': now + dt.timedelta(days=30),
            'resolution_risk_date': now + dt.timedelta(days=30),
            'resolution_escalation': 'at_risk',
            'reopened': 0,
            'sla': None,
            'number': 'X1',
            'reply_token': 'guessed',
            }
        with acting(data['users']['fruit_agent']):
            for name, value in forged.items():
                with self.subTest(field=name):
                    with self.assertRaises(AccessError):
                        Ticket.write([Ticket(ticket.id)], {name: value})
            with self.assertRaises(AccessError):
                Ticket.create([{
                            'company': data['company'].id,
                            'party': data['apple'].id,
                            'type': ticket.type.id,
                            'subject': "Forged",
                            'state': 'closed',
                            }])
            with self.assertRaises(AccessError):
                History.create([{
                            'ticket': ticket.id, 'date': now,
                            'from_state': 'in_progress', 'to_state': 'waiting',
                            }])
            with self.assertRaises(AccessError):
                Ticket.write([Ticket(ticket.id)], {'history': [('create', [{
                                    'date': now, 'to_state': 'waiting'}])]})
            with self.assertRaises(AccessError):
                History.delete(History.search([]))

            note, = Message.create([{
                        'ticket': ticket.id, 'body': "Call the driver"}])
            for values in [
                    {'kind': 'reply'}, {'date': now - dt.timedelta(days=2)},
                    {'author': data['users']['manager'].id}]:
                with self.subTest(values=values):
                    with self.assertRaises(AccessError):
                        Message.write([note], values)
            with self.assertRaises(AccessError):
                Message.create([{
                            'ticket': ticket.id, 'body': "Forged",
                            'author': data['users']['manager'].id}])

            # The buttons and the ordinary fields still work
            Ticket.write([Ticket(ticket.id)], {
                    'subject': "Soft cherries", 'priority': '2'})
            Ticket.start([Ticket(ticket.id)])
            # A reply dated back does not date back the first response
            Message.create([{
                        'ticket': ticket.id, 'kind': 'reply',
                        'date': now - dt.timedelta(days=2),
                        'body': "We send new cherries."}])
            self.assertGreaterEqual(
                Ticket(ticket.id).response_date, now - dt.timedelta(hours=1))
            Ticket.write([Ticket(ticket.id)], {'resolution': "Replaced"})
            Ticket.resolve([Ticket(ticket.id)])
            Ticket.reopen([Ticket(ticket.id)])
        ticket = Ticket(ticket.id)
        self.assertEqual(ticket.state, 'in_progress')
        self.assertEqual(ticket.reopened, 1)
        self.assertGreaterEqual(len(ticket.history), 4)

    @with_transaction()
    def test_ticket_number_and_token_not_chosen(self):
        "A ticket created from outside gets the desk's number and token"
        pool = Pool()
        Ticket = pool.get('service.ticket')
        data = self._setup()
        ticket = data['apple_ticket']
        with acting(data['users']['fruit_agent']):
            created, = Ticket.create([{
                        'company': data['company'].id,
                        'party': data['apple'].id,
                        'type': ticket.type.id,
                        'subject': "Chosen number",
                        'number': ticket.number,
                        'reply_token': ticket.reply_token or 'guessed',
                        }])
        created = Ticket(created.id)
        self.assertNotEqual(created.number, ticket.number)
        self.assertTrue(created.reply_token)
        self.assertNotIn(created.reply_token, {ticket.reply_token, 'guessed'})

    def _compensation(self, data, **values):
        pool = Pool()
        Compensation = pool.get('service.ticket.compensation')
        ticket = data['apple_ticket']
        values.setdefault('quantity', 10)
        compensation = Compensation(
            ticket=ticket, kind='replacement', sale_line=ticket.sale_line,
            reason="Soft", **values)
        compensation.save()
        return compensation

    @with_transaction()
    def test_compensation_frozen_once_requested(self):
        "A compensation waiting for approval cannot be changed nor approved"
        pool = Pool()
        Compensation = pool.get('service.ticket.compensation')
        data = self._setup()
        with set_company(data['company']):
            compensation = self._compensation(data)
        with acting(data['users']['fruit_agent']):
            Compensation.write(
                [Compensation(compensation.id)], {'quantity': 20})
            Compensation.request([Compensation(compensation.id)])
            for values in [
                    {'quantity': 100}, {'reason': "Everything"},
                    {'state': 'approved'}, {'state': 'draft'}]:
                with self.subTest(values=values):
                    with self.assertRaises(AccessError):
                        Compensation.write(
                            [Compensation(compensation.id)], values)
            with self.assertRaises(AccessError):
                Compensation.create([{
                            'ticket': data['apple_ticket'].id,
                            'kind': 'return', 'state': 'approved',
                            'sale_line': data['apple_ticket'].sale_line.id,
                            'reason': "Forged",
                            }])
            with self.assertRaises(UserError):
                Compensation.approve([Compensation(compensation.id)])
        self.assertEqual(Compensation(compensation.id).quantity, 20)
        self.assertEqual(Compensation(compensation.id).state, 'requested')

    @with_transaction()
    def test_compensation_approved_by_service_manager_only(self):
        "Approving checks the service manager group also when called by code"
        pool = Pool()
        Compensation = pool.get('service.ticket.compensation')
        data = self._setup()
        with set_company(data['company']):
            compensation = self._compensation(data)
            Compensation.request([compensation])
        # Without the button's check (code running as the agent)
        with Transaction().set_user(data['users']['fruit_agent'].id), \
                set_company(data['company']):
            with self.assertRaises(AccessError):
                Compensation.approve([Compensation(compensation.id)])
        self.assertEqual(Compensation(compensation.id).state, 'requested')

    @with_transaction()
    def test_replacement_quantity_bounded(self):
        "A replacement or return is at most the quantity of the sale line"
        data = self._setup()
        with set_company(data['company']):
            with self.assertRaises(ValidationError):
                self._compensation(data, quantity=101)
            self.assertEqual(self._compensation(data, quantity=100).state,
                'draft')

    @with_transaction()
    def test_article_published_by_manager_only(self):
        "Agents write drafts; publishing and making public are the manager's"
        pool = Pool()
        Article = pool.get('service.knowledge.article')
        Version = pool.get('service.knowledge.article.version')
        Use = pool.get('service.knowledge.article.use')
        data = self._setup()
        with acting(data['users']['fruit_agent']):
            article, = Article.create([{
                        'title': "Cherries", 'body': "Keep them at 0 °C"}])
            Article.write([article], {'body': "Keep them at 0-1 °C"})
            for values in [{'state': 'published'}, {'public': True}]:
                with self.subTest(values=values):
                    with self.assertRaises(AccessError):
                        Article.write([Article(article.id)], values)
            with self.assertRaises(AccessError):
                Article.create([{
                            'title': "Garlic", 'state': 'published',
                            'public': True}])
            version, = Version.search([('article', '=', article.id)],
                order=[('version', 'ASC')], limit=1)
            with self.assertRaises(AccessError):
                Version.write([version], {'body': "Forged"})
            with self.assertRaises(AccessError):
                Version.create([{'article': article.id, 'version': 9}])
            with self.assertRaises(AccessError):
                Version.delete([version])
            with self.assertRaises(UserError):
                Article.publish([Article(article.id)])
        with acting(data['users']['fruit_agent']):
            with self.assertRaises(UserError):
                Article.make_public([Article(article.id)])
        with acting(data['users']['service_manager']):
            with self.assertRaises(AccessError):
                Article.write([Article(article.id)], {'public': True})
            Article.publish([Article(article.id)])
            Article.make_public([Article(article.id)])
        with acting(data['users']['fruit_agent']):
            with self.assertRaises(AccessError):
                Article.write([Article(article.id)], {'body': "Live edit"})
            Article.solved([Article(article.id)])
            self.assertEqual(Article(article.id).solved_count, 1)
            with self.assertRaises(AccessError):
                Use.delete(Use.search([]))
            with self.assertRaises(AccessError):
                Use.create([{'article': article.id, 'kind': 'solved',
                            'date': dt.date.today()}])
        article = Article(article.id)
        self.assertEqual((article.state, article.public), ('published', True))

    @with_transaction()
    def test_answered_survey_immutable(self):
        "Answers of an answered survey cannot be changed through the API"
        pool = Pool()
        Survey = pool.get('service.survey')
        Answer = pool.get('service.survey.answer')
        data = self._setup()
        with set_company(data['company']):
            survey = Survey(party=data['apple'])
            survey.save()
        with acting(data['users']['fruit_agent']):
            Answer.write(list(map(Answer, survey.answers)),
                {'expected': 4, 'perceived': 3})
            Survey.answer([Survey(survey.id)])
            answer = Answer(survey.answers[0].id)
            for Model, record, values in [
                    (Answer, answer, {'perceived': 5}),
                    (Survey, Survey(survey.id), {'comment': "Very happy"}),
                    (Survey, Survey(survey.id), {'state': 'open'}),
                    ]:
                with self.subTest(model=Model.__name__, values=values):
                    with self.assertRaises(AccessError):
                        Model.write([record], values)
            with self.assertRaises(AccessError):
                Answer.delete([answer])
            with self.assertRaises(AccessError):
                Answer.create([{'survey': survey.id, 'dimension': 'freshness',
                            'expected': 1, 'perceived': 5}])
        self.assertEqual(Answer(answer.id).perceived, 3)

    @with_transaction()
    def test_complaint_scope(self):
        "Reps create and delete complaints of their own customers only"
        pool = Pool()
        Complaint = pool.get('sale.complaint')
        ModelData = pool.get('ir.model.data')
        data = self._setup()
        type_ = ModelData.get_id('crm_fruit_service', 'complaint_type_sale_line')
        with set_company(data['company']):
            apple_complaint, garlic_complaint = Complaint.create([{
                        'company': data['company'].id,
                        'customer': p.id, 'type': type_,
                        } for p in [data['apple'], data['garlic']]])

        def complaint(party):
            return {
                'company': data['company'].id, 'customer': party.id,
                'type': type_}
        with acting(data['users']['manager']):
            self.assertEqual(len(Complaint.search([])), 2)
        with acting(data['users']['analyst_agent']):
            self.assertEqual(len(Complaint.search([])), 2)
            with self.assertRaises(AccessError):
                Complaint.write([apple_complaint], {'reference': "Mine"})
        with acting(data['users']['fruit_rep']):
            self.assertEqual(Complaint.search([]), [apple_complaint])
            Complaint.create([complaint(data['apple'])])
            with self.assertRaises(AccessError):
                Complaint.create([complaint(data['garlic'])])
            with self.assertRaises(AccessError):
                Complaint.delete([Complaint(garlic_complaint.id)])
        with acting(data['users']['fruit_manager']):
            with self.assertRaises(AccessError):
                Complaint.create([complaint(data['garlic'])])

    @with_transaction()
    def test_complaint_approved_by_service_manager(self):
        "A sales administrator cannot approve or forge a complaint's approval"
        pool = Pool()
        Complaint = pool.get('sale.complaint')
        ModelData = pool.get('ir.model.data')
        data = self._setup()
        type_ = ModelData.get_id('crm_fruit_service', 'complaint_type_sale_line')
        with set_company(data['company']):
            complaint, = Complaint.create([{
                        'company': data['company'].id,
                        'customer': data['apple'].id, 'type': type_,
                        }])
        for login in ['manager', 'sale_admin']:
            with self.subTest(login=login):
                with acting(data['users'][login]):
                    Complaint.wait([Complaint(complaint.id)])
                    with self.assertRaises(AccessError):
                        Complaint.approve([Complaint(complaint.id)])
                    for state in ['approved', 'done']:
                        with self.assertRaises(AccessError):
                            Complaint.write(
                                [Complaint(complaint.id)], {'state': state})
                    Complaint.draft([Complaint(complaint.id)])
        with acting(data['users']['service_manager']):
            Complaint.wait([Complaint(complaint.id)])
            Complaint.approve([Complaint(complaint.id)])
        self.assertIn(Complaint(complaint.id).state, {'approved', 'done'})

    @with_transaction()
    def test_knowledge_search_bounded(self):
        "The knowledge search refuses too many terms or too long a query"
        pool = Pool()
        Article = pool.get('service.knowledge.article')
        data = self._setup()
        with acting(data['users']['fruit_agent']):
            Article.search([('full_text', '=', ' '.join(['苹果'] * 10))])
            Article.search([('full_text', '=', '苹' * 200)])
            for query in [' '.join(['苹果'] * 11), '苹' * 201]:
                with self.subTest(query=query):
                    with self.assertRaises(UserError) as cm:
                        Article.search([('full_text', '=', query)])
                    self.assertIn('10', cm.exception.message)

    @with_transaction()
    def test_workflow_state_not_written(self):
        "No non-admin role writes the state of a Workflow model of ours"
        pool = Pool()
        IrModel = pool.get('ir.model')
        Survey = pool.get('service.survey')
        Article = pool.get('service.knowledge.article')
        Task = pool.get('service.care.task')
        from trytond.model import Workflow
        data = self._setup()
        with set_company(data['company']):
            survey = Survey(party=data['apple'])
            article = Article(title="Cherries", body="0 °C")
            task = Task(party=data["apple"], description="Call")
            Survey.save([survey])
            Article.save([article])
            Task.save([task])
            records = {
                'service.ticket': data['apple_ticket'],
                'service.ticket.compensation': self._compensation(data),
                'service.survey': survey,
                'service.knowledge.article': article,
                'service.care.task': task,
                }
        names = {m.name for m in IrModel.search(
                    [('module', '=', 'crm_fruit_service')])}
        workflows = {n for n in names if issubclass(pool.get(n), Workflow)}
        self.assertEqual(workflows, set(records))
        logins = [l for l in data['users'] if l != 'nobody']
        cells = 0
        for name, record in records.items():
            Model = pool.get(name)
            states = [s for s, _ in Model.fields_get(['state'])['state'][
                    'selection'] if s != record.state]
            for login in logins:
                for state in states:
                    with self.subTest(model=name, login=login, state=state):
                        with acting(data['users'][login]):
                            with self.assertRaises(AccessError):
                                Model.write(
                                    [Model(record.id)], {'state': state})
                    cells += 1
        print(f"\n{cells} state writes refused")

    @with_transaction()
    def test_configuration_not_deleted(self):
        "Deleting a configuration is refused even before it is saved"
        pool = Pool()
        data = self._setup()
        Configuration = pool.get('service.configuration')
        with acting(data['users']['fruit_agent']):
            with self.assertRaises(AccessError):
                Configuration.delete([Configuration(1)])

    @with_transaction()
    def test_search_log_by_code_only(self):
        "The knowledge search log is written by the search only, and kept"
        pool = Pool()
        SearchLog = pool.get('service.knowledge.search.log')
        data = self._setup()
        with set_company(data['company']):
            log = SearchLog(query="樱桃", results=0)
            log.save()
        for login in ['fruit_agent', 'service_manager']:
            with self.subTest(login=login), acting(data['users'][login]):
                with self.assertRaises(AccessError):
                    SearchLog.write([SearchLog(log.id)], {'results': 9})
                with self.assertRaises(AccessError):
                    SearchLog.create([{'query': "Forged", 'results': 1,
                                'date': dt.date.today() - dt.timedelta(7)}])
                with self.assertRaises(AccessError):
                    SearchLog.delete([SearchLog(log.id)])
            self.assertEqual(SearchLog(log.id).results, 0)

    def _service_screens(self, user):
        "Return the models of the service desk menus the user sees"
        pool = Pool()
        Menu = pool.get('ir.ui.menu')
        ModelData = pool.get('ir.model.data')
        root = ModelData.get_id('crm_fruit_service', 'menu_service')
        with acting(user):
            menus = Menu.search([('parent', 'child_of', [root])])
            names = {ModelData.search([
                        ('model', '=', 'ir.ui.menu'),
                        ('db_id', '=', m.id)])[0].fs_id for m in menus}
            actions = [m.action for m in menus
                if m.action and m.action.type == 'ir.action.act_window']
        return names, {a.res_model: a for a in actions}

    def _read_views(self, user, Model, action):
        "Read the records as the views of the action would show them"
        with acting(user):
            for view in action.act_window_views:
                view = Model.fields_view_get(view_id=view.view.id)
                names = set(view['fields'])
                names |= {f'{n}.rec_name' for n, f in view['fields'].items()
                    if f['type'] in {'many2one', 'reference'}}
                Model.search_read([], limit=20, fields_names=list(names))

    @with_transaction()
    def test_crm_manager_reads_service_desk(self):
        "The CRM manager sees the service desk and reads it, changes nothing"
        pool = Pool()
        Article = pool.get('service.knowledge.article')
        Survey = pool.get('service.survey')
        Task = pool.get('service.care.task')
        Search = pool.get('service.knowledge.search', type='wizard')
        data = self._setup()
        manager = data['users']['manager']
        with set_company(data['company']):
            article = Article(title="Cherries", body="Keep them at 0 °C")
            article.save()
            Article.publish([article])
            survey = Survey(party=data['apple'])
            survey.save()
            task = Task(party=data['apple'], date=dt.date.today())
            task.save()
        menus, screens = self._service_screens(manager)
        self.assertLessEqual({
                'menu_service', 'menu_ticket_form', 'menu_knowledge',
                'menu_knowledge_article_form', 'menu_knowledge_search',
                'menu_survey_form', 'menu_care_task_form', 'menu_reporting',
                'menu_satisfaction_dimension', 'menu_feedback_rate',
                'menu_complaint_product', 'menu_complaint_cause',
                'menu_knowledge_usage', 'menu_ticket_sla_compliance',
                }, menus)
        self.assertFalse(menus & {
                'menu_configuration', 'menu_ticket_fast_entry',
                'menu_care_rule_form'}, menus)
        for model, action in screens.items():
            with self.subTest(model=model):
                self._read_views(manager, pool.get(model), action)
        with acting(manager):
            self.assertEqual(Article.search([]), [article])
            session_id, _, _ = Search.create()
            result = Search.execute(session_id, {
                    'start': {'query': "Cherries", 'public_only': False}},
                'search')
            (action, _), = result['actions']
            self.assertIn(str(article.id), action['pyson_domain'])
            self.assertEqual(len(Survey.search([])), 1)
            for Model, records, values in [
                    (Article, [article], {'tags': "cold"}),
                    (Survey, [survey], {'comment': "Fine"}),
                    (Task, [task], {'result': "Called"}),
                    ]:
                with self.subTest(model=Model.__name__):
                    with self.assertRaises(AccessError):
                        Model.write(records, values)
