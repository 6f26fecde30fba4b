# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""A demo-like database for the access tests, built once and committed.

Three customers stand for the three scopes a record can be in, seen from
the sales rep of the fruit department (role ``rep``):

- ``own``: his own customer (fruit department, sales rep = him),
- ``other``: a customer of the other fruit rep (same department),
- ``dept``: a customer of the vegetable department.

Records that belong to no customer, employee or department are of class
``global``. Every record a model needs is made by one *factory*
``FACTORIES[model](fixture, klass, me)`` returning the create values of a
record of ``klass`` (``me``: the employee of the user who creates it). The
fixture creates its records with the same factories (as root), and the
access matrix tries to create with them as each role, so both stay in step.
"""
import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from trytond.modules.company.tests import (
    create_company, create_employee, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, activate_module
from trytond.transaction import Transaction, without_check_access

MODULES = ['crm_fruit_customer', 'crm_fruit_service', 'crm_fruit_portal']
OUR_MODULES = set(MODULES)
CLASSES = ('own', 'other', 'dept')
TODAY = dt.date.today()
NOW = dt.datetime.now().replace(microsecond=0)

C = 'crm_fruit_customer'
S = 'crm_fruit_service'
P = 'crm_fruit_portal'
# The context key of the portal's logged-in web.user (crm_fruit_portal/ir.py)
PORTAL_USER = '_portal_web_user'
PORTAL_PARTIES = '_portal_parties'

# role: (groups as (module, xml id), employee key)
ROLES = {
    'rep': ([(C, 'group_crm_sales_rep'), ('sale', 'group_sale')],
        'rep_fruit1'),
    'dept_manager': ([(C, 'group_crm_department_manager'),
            ('sale', 'group_sale'), ('sale', 'group_sale_admin')],
        'mgr_fruit'),
    'crm_manager': ([(C, 'group_crm_manager'), ('sale', 'group_sale'),
            ('sale', 'group_sale_admin')], 'crm_manager'),
    'analyst': ([(C, 'group_crm_analyst')], 'analyst'),
    # the demo's service1
    'agent': ([(S, 'group_service_agent'), (C, 'group_crm_analyst')],
        'service1'),
    'agent_only': ([(S, 'group_service_agent')], 'agent2'),
    'service_manager': ([(S, 'group_service_manager')], 'service_mgr'),
    'no_crm': ([('sale', 'group_sale')], 'no_crm'),
    # the portal's technical user (crm_fruit_portal's, not created) as its
    # pages run it for the portal user of the `own` customer
    'portal': ([(P, 'group_portal')], None),
    }
# roles played by an existing user: role -> (module, xml id of the res.user)
EXISTING_USERS = {'portal': (P, 'user_portal')}
# a role's user in another context: variant -> (role, context keys left out);
# the matrix checks that a variant reads nothing (test_access_matrix)
VARIANTS = {
    # the portal's pages without a logged-in portal user
    'portal_no_web_user': ('portal', [PORTAL_USER]),
    }

# employee key -> scope class (for records attributed to an employee)
EMPLOYEE_CLASS = {
    'rep_fruit1': 'own',
    'rep_fruit2': 'other',
    'mgr_fruit': 'other',
    'rep_veg1': 'dept',
    'mgr_veg': 'dept',
    }
# the sales rep owning the customer of each class
CLASS_REP = {'own': 'rep_fruit1', 'other': 'rep_fruit2', 'dept': 'rep_veg1'}
CLASS_DEPARTMENT = {'own': 'fruit', 'other': 'fruit', 'dept': 'vegetable'}


class Fixture:
    "Ids of the fixture records (plain ints: valid across transactions)"

    def __init__(self):
        self.company = None
        self.employees = {}     # key -> id
        self.users = {}         # role -> id
        self.contexts = {}      # role -> RPC context (preferences)
        self.departments = {}   # 'fruit'/'vegetable' -> id
        self.customers = {}     # class -> party id
        self.non_customers = []  # party ids
        self.records = {}       # (model, class) -> id
        self.refs = {}          # free-form ids (product, accounts, ...)
        self.building = True
        self._seq = 0

    def seq(self):
        "A new number for the unique values of each created record"
        self._seq += 1
        return self._seq

    def rec(self, model, klass='global'):
        return self.records[model, klass]

    def klass_of_party(self, party_id):
        for klass, id_ in self.customers.items():
            if id_ == party_id:
                return klass
        return 'global'

    def klass_of_employee(self, employee_id):
        for key, id_ in self.employees.items():
            if id_ == employee_id:
                return EMPLOYEE_CLASS.get(key, 'global')
        return 'global'

    def klass_of_department(self, department_id):
        for key, id_ in self.departments.items():
            if id_ == department_id:
                return 'other' if key == 'fruit' else 'dept'
        return 'global'


def _ref(module, xml_id):
    return Pool().get('ir.model.data').get_id(module, xml_id)


# ---------------------------------------------------------------- factories
# Each returns the values to create one record of `klass`; `me` is the
# employee id of the creating user (None for root).

def _emp(f, klass):
    return f.employees[CLASS_REP[klass]]


def _dept(f, klass):
    return f.departments[CLASS_DEPARTMENT[klass]]


def party_values(f, klass, me):
    if klass == 'global':
        return {'name': "Supplier Cold Chain Ltd"}
    return {
        'name': f"Customer {klass} {f.seq()}",
        'sales_rep': _emp(f, klass),
        'departments': [('add', [_dept(f, klass)])],
        'grade': f.refs['grade'],
        'categories': [('add', [f.refs['party_category']])],
        }


def _party(f, klass):
    return f.customers[klass]


def _posted_invoice(f, klass):
    "A new posted invoice of the customer due in a week (one per extension)"
    pool = Pool()
    Invoice = pool.get('account.invoice')
    transaction = Transaction()
    with transaction.set_user(0), without_check_access():
        revenue = pool.get('account.account').search([
                ('type.revenue', '=', True), ('closed', '!=', True),
                ('company', '=', f.company)], limit=1)[0]
        journal, = pool.get('account.journal').search(
            [('code', '=', 'REV')], limit=1)
        invoice, = Invoice.create([{
                    **SCOPED['account.invoice'](f, klass, None),
                    'journal': journal.id,
                    'payment_term_date': TODAY + dt.timedelta(days=7),
                    'lines': [('create', [{
                                    'type': 'line', 'description': "Pears",
                                    'account': revenue.id, 'quantity': 1,
                                    'unit_price': Decimal(100),
                                    'company': f.company,
                                    'currency': f.refs['currency'],
                                    }])],
                    }])
        Invoice.post([invoice])
    return invoice.id


def _question(f):
    "A new question of the sales rep questionnaire (one per answer)"
    Question = Pool().get('crm.credit.questionnaire.question')
    with Transaction().set_user(0), without_check_access():
        question, = Question.create([{
                    'kind': 'sales_rep', 'text': f"Question {f.seq()}"}])
    return question.id


def _receivable_line(f, klass):
    "A new posted-to-be receivable line of the customer (one per dunning)"
    pool = Pool()
    revenue = pool.get('account.account').search([
            ('type.revenue', '=', True), ('closed', '!=', True),
            ('company', '=', f.company)], limit=1)[0]
    move = pool.get('account.move')(_draft_move(f, [
                {'account': revenue.id, 'credit': Decimal(100)},
                {'account': f.refs['receivable'], 'debit': Decimal(100),
                    'party': _party(f, klass), 'maturity_date': TODAY}]))
    line, = [line for line in move.lines if line.debit]
    return line.id


def _draft_move(f, lines=()):
    "A new draft move of the lines (none: for a line of its own)"
    pool = Pool()
    journal, = pool.get('account.journal').search(
        [('code', '=', 'REV')], limit=1)
    move, = pool.get('account.move').create([{
                'journal': journal.id, 'date': TODAY, 'company': f.company,
                'lines': [('create', list(lines))]}])
    return move.id


def _address(f, klass):
    return f.rec('party.address', klass)


SCOPED = {
    # model: factory of a record of a customer's class
    'party.address': lambda f, k, me: {
        'party': _party(f, k), 'city': "烟台", 'country': f.refs['country'],
        'subdivision': f.refs['subdivision']},
    'party.contact_mechanism': lambda f, k, me: {
        'party': _party(f, k), 'type': 'phone', 'value': '+8613800138000'},
    # a third department, managed by nobody: the row does not change the
    # scope of the customer
    'party.party-crm.department': lambda f, k, me: {
        'party': _party(f, k), 'department': f.rec('crm.department')},
    'party.party.export_market': lambda f, k, me: {
        'party': _party(f, k), 'country': f.refs['country']},
    'party.party-main-product.category': lambda f, k, me: {
        'party': _party(f, k), 'category': f.refs['category']},
    'party.yearly_result': lambda f, k, me: {
        'party': _party(f, k), 'year': 2100 + f.seq(),
        'currency': f.refs['currency']},
    'party.archive_change': lambda f, k, me: {
        'party': _party(f, k), 'description': "New legal representative"},
    'crm.contact': lambda f, k, me: {
        'party': _party(f, k), 'channel': 'phone', 'direction': 'out',
        'subject': "Price of Fuji apples", 'employee': me or _emp(f, k),
        'department': _dept(f, k),
        'date': NOW - dt.timedelta(days=60), 'company': f.company},
    'crm.visit': lambda f, k, me: {
        'party': _party(f, k), 'employee': me or _emp(f, k),
        'department': _dept(f, k),
        'date': TODAY - dt.timedelta(days=1), 'means': 'visit',
        'company': f.company},
    'crm.classification.snapshot': lambda f, k, me: {
        'party': _party(f, k), 'company': f.company, 'value_class': 'A',
        'lifecycle_stage': 'stability',
        'period': TODAY.replace(day=1) if f.building
        else dt.date(2030, 1, 1) + dt.timedelta(days=f.seq())},
    'sale.sale': lambda f, k, me: {
        'party': _party(f, k), 'company': f.company,
        'currency': f.refs['currency'], 'sale_date': TODAY,
        'invoice_address': _address(f, k),
        'shipment_address': _address(f, k)},
    'sale.line': lambda f, k, me: {
        'sale': f.rec('sale.sale', k), 'type': 'line',
        'product': f.refs['product'], 'quantity': 10, 'unit': f.refs['unit'],
        'unit_price': Decimal('8.6'), 'description': "Fuji apples"},
    'sale.opportunity': lambda f, k, me: {
        'party': _party(f, k), 'company': f.company,
        'currency': f.refs['currency'], 'start_date': TODAY,
        'description': "Cherries", 'employee': me or _emp(f, k)},
    'sale.opportunity.line': lambda f, k, me: {
        'opportunity': f.rec('sale.opportunity', k),
        'product': f.refs['product'], 'quantity': 10,
        'unit': f.refs['unit']},
    'account.invoice': lambda f, k, me: {
        'type': 'out', 'party': _party(f, k), 'company': f.company,
        'currency': f.refs['currency'], 'invoice_address': _address(f, k),
        'account': f.refs['receivable'], 'invoice_date': TODAY},
    'account.invoice.line': lambda f, k, me: {
        'invoice': f.rec('account.invoice', k), 'type': 'comment',
        'description': "Fuji apples", 'company': f.company,
        'currency': f.refs['currency']},
    'stock.shipment.out': lambda f, k, me: {
        'customer': _party(f, k), 'delivery_address': _address(f, k),
        'company': f.company, 'warehouse': f.refs['warehouse'],
        'warehouse_output': f.refs['output'],
        'warehouse_storage': f.refs['storage']},
    'stock.shipment.out.return': lambda f, k, me: {
        'customer': _party(f, k), 'company': f.company,
        'warehouse': f.refs['warehouse'],
        'warehouse_input': f.refs['input'],
        'warehouse_storage': f.refs['storage']},
    'stock.lot': lambda f, k, me: {
        'number': f"LOT-{k}-{f.seq()}", 'product': f.refs['product']},
    'stock.move': lambda f, k, me: {
        'product': f.refs['product'], 'unit': f.refs['unit'],
        'quantity': 5, 'from_location': f.refs['output'],
        'to_location': f.refs['customer_location'], 'company': f.company,
        'unit_price': Decimal('8.6'), 'currency': f.refs['currency'],
        'lot': f.rec('stock.lot', k),
        'shipment': 'stock.shipment.out,%s' % f.rec('stock.shipment.out', k),
        },
    'sale.complaint': lambda f, k, me: {
        'customer': _party(f, k), 'company': f.company,
        'type': f.refs['complaint_type'],
        'origin': 'sale.sale,%s' % f.refs['confirmed_sale', k]},
    'sale.complaint.action': lambda f, k, me: {
        'complaint': f.rec('sale.complaint', k), 'action': 'sale_return'},
    'service.ticket': lambda f, k, me: {
        'party': _party(f, k), 'company': f.company,
        'subject': "Bruised apples", 'description': "Half the boxes",
        'type': _ref(S, 'ticket_type_complaint')},
    'service.ticket.message': lambda f, k, me: {
        'ticket': f.rec('service.ticket', k), 'kind': 'note',
        'body': "Called the customer"},
    'service.ticket.history': lambda f, k, me: {
        'ticket': f.rec('service.ticket', k), 'date': NOW,
        'from_state': 'new', 'to_state': 'assigned'},
    'service.ticket.compensation': lambda f, k, me: {
        'ticket': f.rec('service.ticket', k), 'kind': 'replacement',
        'sale_line': f.refs['confirmed_line', k], 'quantity': 2,
        'reason': "Bruised"},
    'service.ticket-service.ticket.tag': lambda f, k, me: {
        'ticket': f.rec('service.ticket', k),
        'tag': f.rec('service.ticket.tag')},
    'service.survey': lambda f, k, me: {
        'party': _party(f, k), 'company': f.company, 'kind': 'periodic'},
    'service.survey.answer': lambda f, k, me: {
        'survey': f.rec('service.survey', k), 'dimension': 'freshness',
        'expected': 4, 'perceived': 5},
    'crm.archive.access': lambda f, k, me: {
        'company': f.company, 'date': TODAY - dt.timedelta(days=f.seq()),
        'user': f.users['rep'], 'employee': _emp(f, k),
        'party': _party(f, k)},
    'service.care.task': lambda f, k, me: {
        'party': _party(f, k), 'company': f.company, 'date': TODAY},
    # records of an employee of the class
    'crm.delegation': lambda f, k, me: {
        'company': f.company, 'employee': _emp(f, k),
        'delegate': f.employees[
            {'own': 'rep_fruit2', 'other': 'rep_fruit1',
                'dept': 'rep_veg2'}[k]],
        'start_date': TODAY, 'end_date': TODAY + dt.timedelta(days=10)},
    'crm.receivable.target': lambda f, k, me: {
        'company': f.company, 'employee': _emp(f, k),
        'department': _dept(f, k),
        'month': dt.date(2020, 1, 1) + relativedelta(months=f.seq()),
        'collection_target': Decimal(50000)},
    'crm.handover.log': lambda f, k, me: {
        'company': f.company, 'date': TODAY, 'kind': 'transfer',
        'employee': _emp(f, k), 'successor': f.employees[
            {'own': 'rep_fruit2', 'other': 'rep_fruit1',
                'dept': 'rep_veg2'}[k]]},
    'crm.handover.log.line': lambda f, k, me: {
        'log': f.rec('crm.handover.log', k), 'model': 'party.party',
        'field': 'sales_rep', 'count': 1},
    'crm.handover.log.party': lambda f, k, me: {
        'log': f.rec('crm.handover.log', k), 'party': _party(f, k),
        'handover_date': TODAY, 'watch_start': TODAY,
        'watch_end': TODAY + dt.timedelta(days=90)},
    # the credit workflow: a draft application, a draft agreement
    'crm.credit.application': lambda f, k, me: {
        'party': _party(f, k), 'company': f.company,
        'employee': me or _emp(f, k), 'amount': Decimal(800000),
        'payment_term': f.refs['payment_term'],
        'reason': "Weekly orders of Fuji apples"},
    'crm.credit.agreement': lambda f, k, me: {
        'party': _party(f, k), 'company': f.company,
        'amount': Decimal(700000), 'payment_term': f.refs['payment_term']},
    'crm.credit.guarantee': lambda f, k, me: {
        'agreement': f.rec('crm.credit.agreement', k), 'kind': 'pledge',
        'description': "Cold-store stock of apples"},
    'crm.credit.statement': lambda f, k, me: {
        'party': _party(f, k), 'company': f.company,
        'currency': Pool().get('company.company')(f.company).currency.id,
        'year': 1900 + f.seq(), **dict.fromkeys([
                'cash', 'inventory', 'current_assets', 'total_assets',
                'current_liabilities', 'total_liabilities', 'revenue',
                'cost_of_sales', 'net_profit'], Decimal(1000))},
    'crm.credit.evaluation': lambda f, k, me: {
        'party': _party(f, k), 'company': f.company},
    'crm.credit.evaluation.score': lambda f, k, me: {
        'evaluation': f.rec('crm.credit.evaluation', k),
        'item': f.rec('crm.credit.scorecard.item'), 'points': '2'},
    'crm.credit.incident': lambda f, k, me: {
        'party': _party(f, k), 'company': f.company, 'kind': 'accident',
        'description': "Cold store fire"},
    # asked one question: the answers' factory answers another
    'crm.credit.questionnaire': lambda f, k, me: {
        'party': _party(f, k), 'company': f.company, 'kind': 'sales_rep',
        'answers': [('create', [{
                        'question': _ref(C, 'question_sales_rep_outlook')}])]},
    'crm.credit.questionnaire.answer': lambda f, k, me: {
        'questionnaire': f.rec('crm.credit.questionnaire', k),
        'question': _question(f), 'answer': "Clean cold store, two forklifts"},
    'bank.account': lambda f, k, me: {
        'owners': [('add', [_party(f, k)])],
        'numbers': [('create', [{
                        'type': 'other',
                        'number': f"6228 4800 {f.seq():08d}"}])]},
    'bank.account.number': lambda f, k, me: {
        'account': f.rec('bank.account', k), 'type': 'other',
        'number': f"6217 0000 {f.seq():08d}"},
    'bank.account-party.party': lambda f, k, me: {
        'account': f.rec('bank.account', k), 'owner': _party(f, k)},
    'crm.credit.extension': lambda f, k, me: {
        'party': _party(f, k), 'company': f.company,
        'invoice': _posted_invoice(f, k),
        'new_due_date': TODAY + dt.timedelta(days=30),
        'reason': "Typhoon closed the port"},
    'account.dunning': lambda f, k, me: {
        'company': f.company, 'line': _receivable_line(f, k),
        'procedure': _ref(C, 'dunning_procedure_ladder'),
        'level': _ref(C, 'dunning_level_ladder_warning')},
    'crm.credit.block': lambda f, k, me: {
        'party': _party(f, k), 'company': f.company,
        'kind': 'stop_shipping', 'reason': "Two weeks overdue"},
    # extended for the receivable ageing's indexes
    'account.move.line': lambda f, k, me: {
        'move': _draft_move(f), 'account': f.refs['receivable'],
        'debit': Decimal(100), 'party': _party(f, k),
        'maturity_date': TODAY},
    'account.invoice-account.move.line': lambda f, k, me: {
        'invoice': _posted_invoice(f, k), 'line': _receivable_line(f, k)},
    # the customer's portal user (crm_fruit_portal) and what hangs on it
    'web.user': lambda f, k, me: {
        'email': f"buyer{f.seq()}@{k}.example", 'party': _party(f, k),
        'company': f.company, 'email_valid': True},
    'web.user-party.party.secondary': lambda f, k, me: {
        'user': f.rec('web.user', k), 'party': _party(f, k)},
    'web.user.session': lambda f, k, me: {'user': f.rec('web.user', k)},
    }

GLOBAL = {
    # model: factory of the one record of class 'global'
    'party.party': party_values,
    'crm.department': lambda f, k, me: {
        'name': "Flowers", 'code': f"flowers{f.seq()}",
        'company': f.company},
    'crm.department-company.employee': lambda f, k, me: {
        'department': f.departments['vegetable'],
        'employee': f.employees['no_crm']},
    'crm.department-product.category': lambda f, k, me: {
        'department': f.departments['fruit'],
        'category': f.refs['category']},
    'crm.customer.grade': lambda f, k, me: {
        'name': "Z", 'code': f"Z{f.seq()}", 'contact_interval': 30},
    'crm.holiday': lambda f, k, me: {
        'name': "Company day",
        'date': dt.date(2040, 6, 1) + dt.timedelta(days=f.seq())},
    'account.dunning.level': lambda f, k, me: {
        'procedure': _ref(C, 'dunning_procedure_ladder'),
        'sequence': 50 + f.seq(), 'overdue': dt.timedelta(days=60)},
    'crm.credit.class': lambda f, k, me: {
        'code': f'{9 + f.seq()}A',
        'minimum': Decimal(9000000 + 100000 * f.seq())},
    'crm.credit.scorecard.item': lambda f, k, me: {
        'category': 'self', 'characteristic': "Outward Impression",
        'name': f"Aspect {f.seq()}"},
    'crm.credit.questionnaire.question': lambda f, k, me: {
        'kind': 'dealer', 'text': f"Question {f.seq()}"},
    'crm.credit.grade.band': lambda f, k, me: {
        'grade': '6', 'minimum_score': Decimal(f.seq()) / 100,
        'limit_factor': Decimal(0)},
    'crm.credit.capital.band': lambda f, k, me: {
        'minimum_value': Decimal(100 + f.seq()),
        'percentage': Decimal(40)},
    'crm.season': lambda f, k, me: {
        'category': f.refs['category'],
        'month': '1' if f.building else '2'},
    'crm.visit.frequency': lambda f, k, me: {
        'department': f.departments[
            'fruit' if f.building else 'vegetable'],
        'grade': f.rec('crm.customer.grade'),
        'means': 'phone', 'visits_per_month': Decimal(1)},
    'company.employee': lambda f, k, me: {
        'company': f.company, 'party': f.refs['employee_party']},
    'service.calendar': lambda f, k, me: {
        'name': "Office hours", 'timezone': 'Asia/Shanghai'},
    'service.calendar.hours': lambda f, k, me: {
        'calendar': f.rec('service.calendar'), 'weekday': '5',
        'start': dt.time(9), 'end': dt.time(12)},
    'service.sla': lambda f, k, me: {
        'calendar': f.rec('service.calendar'), 'company': f.company,
        'first_response_time': dt.timedelta(hours=4),
        'resolution_time': dt.timedelta(days=2)},
    'service.team': lambda f, k, me: {
        'name': "Export team", 'code': f"export{f.seq()}",
        'company': f.company},
    'service.team-company.employee': lambda f, k, me: {
        'team': f.rec('service.team'), 'employee': f.employees['agent2']},
    'service.dispatch.rule': lambda f, k, me: {
        'team': f.rec('service.team'), 'company': f.company},
    'service.ticket.tag': lambda f, k, me: {
        'name': f"urgent{f.seq()}"},
    'service.ticket.cause': lambda f, k, me: {
        'name': f"Cold chain {f.seq()}"},
    'service.ticket.type': lambda f, k, me: {
        'name': "Packaging", 'kind': 'quality', 'default_priority': '1'},
    'service.care.rule': lambda f, k, me: {
        'name': "After delivery", 'kind': 'after_delivery', 'days': 3,
        'company': f.company},
    'service.care.rule-product.category': lambda f, k, me: {
        'rule': f.rec('service.care.rule'), 'category': f.refs['category']},
    'service.knowledge.category': lambda f, k, me: {'name': "Storage"},
    'service.knowledge.article': lambda f, k, me: {
        'title': "Keeping Fuji apples", 'company': f.company,
        'category': f.rec('service.knowledge.category'),
        'body': "0-1 °C, 90 % humidity"},
    'service.knowledge.article-product.product': lambda f, k, me: {
        'article': f.rec('service.knowledge.article'),
        'product': f.refs['product2']},
    'service.knowledge.article-product.category': lambda f, k, me: {
        'article': f.rec('service.knowledge.article'),
        'category': f.refs['category2']},
    'service.knowledge.article.version': lambda f, k, me: {
        'article': f.rec('service.knowledge.article'),
        'version': 100 + f.seq()},
    'service.knowledge.article.use': lambda f, k, me: {
        'article': f.rec('service.knowledge.article'), 'kind': 'solved',
        'date': TODAY},
    'service.knowledge.search.log': lambda f, k, me: {
        'company': f.company, 'date': TODAY},
    'service.configuration.sequence': lambda f, k, me: {
        'company': f.company,
        'ticket_sequence': Pool().get('ir.model.data').get_id(
            'crm_fruit_service', 'sequence_ticket')},
    'service.survey.question': lambda f, k, me: {
        'text': "How fresh?", 'dimension': 'freshness', 'usage': 'all'},
    'web.user.authenticate.attempt': lambda f, k, me: {
        'login': f"nobody{f.seq()}@example.com"},
    }

# Singletons: read and written, never created (one record exists)
SINGLETONS = ['crm.configuration', 'service.configuration']


def _confirm_sales(f):
    """Complaints and compensations are made on confirmed sales: one more
    sale per class, confirmed (the probed sale.sale and sale.line stay
    draft so that their lines can be added and deleted)"""
    Sale = Pool().get('sale.sale')
    for klass in CLASSES:
        values = SCOPED['sale.sale'](f, klass, None)
        sale, = Sale.create([values])
        line_values = SCOPED['sale.line'](f, klass, None)
        line_values['sale'] = sale.id
        Sale.write([sale], {'lines': [('create', [line_values])]})
        Sale.write([sale], {'state': 'confirmed'})
        f.refs['confirmed_sale', klass] = sale.id
        f.refs['confirmed_line', klass] = sale.lines[0].id


def _answer_surveys(f):
    "The satisfaction analyses read answered surveys: one more per class"
    pool = Pool()
    Survey = pool.get('service.survey')
    Answer = pool.get('service.survey.answer')
    for klass in CLASSES:
        survey, = Survey.create([SCOPED['service.survey'](f, klass, None)])
        values = SCOPED['service.survey.answer'](f, klass, None)
        values['survey'] = survey.id
        Answer.create([values])
        Survey.write([survey], {'state': 'answered'})
        f.refs['answered_survey', klass] = survey.id


def _win_opportunities(f):
    "The conversion analyses count won opportunities: one more per class"
    Opportunity = Pool().get('sale.opportunity')
    for klass in CLASSES:
        opportunity, = Opportunity.create(
            [SCOPED['sale.opportunity'](f, klass, None)])
        Opportunity.write([opportunity], {
                'state': 'won', 'end_date': TODAY,
                'amount': Decimal(100)})
        f.refs['won_opportunity', klass] = opportunity.id


def _approve_evaluations(f):
    "The evaluations approved, once scored: the grade movements' rows"
    Evaluation = Pool().get('crm.credit.evaluation')
    Evaluation.write(Evaluation.browse(
            [f.rec('crm.credit.evaluation', k) for k in CLASSES]), {
            'state': 'approved', 'grade': '3'})


# called once all the records of a model are created
AFTER = {
    'crm.credit.evaluation.score': _approve_evaluations,
    'sale.opportunity.line': _win_opportunities,
    'sale.line': _confirm_sales,
    'service.survey.answer': _answer_surveys,
    }

# Creation order of the scoped records (parents first)
SCOPED_ORDER = list(SCOPED)
GLOBAL_ORDER = list(GLOBAL)


def factory(model):
    if model in SCOPED:
        return SCOPED[model]
    if model in GLOBAL:
        return GLOBAL[model]
    return None


# ------------------------------------------------------------------ builder

def _base(f):
    from trytond.modules.account.tests import create_chart

    company = create_company()
    f.company = company.id
    f.refs['currency'] = company.currency.id
    with set_company(company):
        create_chart(company)
        _base_company(f, company)
    return company


def _base_company(f, company):
    pool = Pool()
    Country = pool.get('country.country')
    Category = pool.get('product.category')
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    Location = pool.get('stock.location')
    Party = pool.get('party.party')
    Department = pool.get('crm.department')
    Grade = pool.get('crm.customer.grade')
    ComplaintType = pool.get('sale.complaint.type')
    IrModel = pool.get('ir.model')
    User = pool.get('res.user')
    country, = Country.create([{'name': "Malaysia", 'code': 'MY'}])
    f.refs['country'] = country.id
    subdivision, = pool.get('country.subdivision').create([{
                'country': country.id, 'name': "Selangor", 'code': 'MY-10',
                'type': 'state'}])
    f.refs['subdivision'] = subdivision.id
    cat, cat2 = Category.create([{'name': "Apples"}, {'name': "Garlic"}])
    f.refs['category'], f.refs['category2'] = cat.id, cat2.id
    party_category, = pool.get('party.category').create([{'name': "VIP"}])
    f.refs['party_category'] = party_category.id
    unit, = Uom.search([('symbol', '=', 'kg')], limit=1) or Uom.search(
        [], limit=1)
    f.refs['unit'] = unit.id
    templates = Template.create([{
                'name': name, 'type': 'goods', 'default_uom': unit.id,
                'list_price': Decimal('8.6'), 'salable': True,
                'categories': [('add', [cat.id])],
                'sale_uom': unit.id,
                'products': [('create', [{}])],
                } for name in ["Fuji apple", "Garlic"]])
    f.refs['product'] = templates[0].products[0].id
    f.refs['product2'] = templates[1].products[0].id
    warehouse, = Location.search([('type', '=', 'warehouse')], limit=1)
    f.refs['warehouse'] = warehouse.id
    f.refs['output'] = warehouse.output_location.id
    f.refs['input'] = warehouse.input_location.id
    f.refs['storage'] = warehouse.storage_location.id
    customer_location, = Location.search([('type', '=', 'customer')],
        limit=1)
    f.refs['customer_location'] = customer_location.id
    ctype, = ComplaintType.create([{
                'name': "Sale",
                'origin': IrModel.search([('name', '=', 'sale.sale')])[0].id,
                }])
    f.refs['complaint_type'] = ctype.id
    grades = Grade.search([], limit=1)
    if not grades:
        grades = Grade.create([{
                    'name': 'A', 'code': 'A', 'contact_interval': 30}])
    f.refs['grade'] = grades[0].id

    keys = ['rep_fruit1', 'rep_fruit2', 'rep_veg1', 'rep_veg2', 'mgr_fruit',
        'mgr_veg', 'crm_manager', 'analyst', 'service1', 'agent2',
        'service_mgr', 'no_crm']
    for key in keys:
        f.employees[key] = create_employee(company, key).id
    employee_party, = Party.create([{'name': "New hire"}])
    f.refs['employee_party'] = employee_party.id
    for key, xml_id in [('fruit', 'department_fruit'),
            ('vegetable', 'department_vegetable')]:
        f.departments[key] = _ref(C, xml_id)
    fruit, vegetable = Department.browse(
        [f.departments['fruit'], f.departments['vegetable']])
    Department.write([fruit], {
            'manager': f.employees['mgr_fruit'], 'company': company.id,
            'members': [('add', [
                        f.employees['rep_fruit1'],
                        f.employees['rep_fruit2']])],
            }, [vegetable], {
            'manager': f.employees['mgr_veg'], 'company': company.id,
            'members': [('add', [
                        f.employees['rep_veg1'], f.employees['rep_veg2']])],
            })
    for role, (groups, key) in ROLES.items():
        if role in EXISTING_USERS:
            f.users[role] = _ref(*EXISTING_USERS[role])
            continue
        user, = User.create([{
                    'login': role, 'name': role,
                    'groups': [('add', [_ref(*g) for g in groups])],
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    'employees': [('add', [f.employees[key]])],
                    'employee': f.employees[key],
                    }])
        f.users[role] = user.id


def _fiscalyear(company):
    from trytond.modules.account.tests import get_fiscalyear
    from trytond.modules.account_invoice.tests import set_invoice_sequences
    fiscalyear = set_invoice_sequences(get_fiscalyear(company))
    fiscalyear.save()
    Pool().get('account.fiscalyear').create_period([fiscalyear])


def _payment_term():
    term, = Pool().get('account.invoice.payment_term').create([{
                'name': "30 days",
                'lines': [('create', [{'type': 'remainder'}])],
                }])
    return term.id


def _receivable(f):
    pool = Pool()
    Configuration = pool.get('account.configuration')
    config = Configuration(1)
    account = config.get_multivalue(
        'default_account_receivable', company=f.company)
    return account.id if account else None


def build():
    """Activate the modules, build the fixture as root and commit it.

    Returns the Fixture."""
    from trytond.tests.test_tryton import drop_db
    from trytond.transaction import TransactionError
    # a fresh database: the fixture is committed, and must not meet rows
    # committed by an earlier test of the same process
    drop_db()
    activate_module(MODULES)
    extras = {}
    while True:
        try:
            return _build(extras)
        except TransactionError as e:
            e.fix(extras)


def _registered():
    "Names of the models of the pool (a factory may outlive its model)"
    return {name for name, _ in Pool().iterobject()}


def _build(extras):
    f = Fixture()
    with Transaction().start(DB_NAME, 0, **extras) as transaction:
        pool = Pool()
        Party = pool.get('party.party')
        company = _base(f)
        with set_company(company):
            f.refs['receivable'] = _receivable(f)
            f.refs['payment_term'] = _payment_term()
            _fiscalyear(company)
            for klass in CLASSES:
                party, = Party.create([party_values(f, klass, None)])
                f.customers[klass] = party.id
                f.records['party.party', klass] = party.id
            f.non_customers = [
                company.party.id, f.refs['employee_party'],
                ] + [e.party.id for e in pool.get('company.employee').browse(
                    [f.employees['crm_manager']])]
            for model in GLOBAL_ORDER:
                if model not in _registered():
                    continue
                Model = pool.get(model)
                if model == 'party.party':
                    record, = Model.create([GLOBAL[model](f, 'global', None)])
                    f.non_customers.append(record.id)
                    continue
                record, = Model.create([GLOBAL[model](f, 'global', None)])
                f.records[model, 'global'] = record.id
            for model in SINGLETONS:
                if model not in _registered():
                    continue
                Model = pool.get(model)
                record = Model.get_singleton() or Model(1)
                if record.id is None or record.id < 0:
                    record.save()
                f.records[model, 'global'] = record.id
            for model in SCOPED_ORDER:
                if model not in _registered():
                    continue
                Model = pool.get(model)
                for klass in CLASSES:
                    record, = Model.create([SCOPED[model](f, klass, None)])
                    f.records[model, klass] = record.id
                if model in AFTER:
                    AFTER[model](f)
        User = pool.get('res.user')
        for role, uid in f.users.items():
            with transaction.set_user(uid), transaction.reset_context():
                f.contexts[role] = User.get_preferences(context_only=True)
        f.contexts['portal'] = portal_context(f.rec('web.user', 'own'))
        for variant, (role, keys) in VARIANTS.items():
            f.users[variant] = f.users[role]
            f.contexts[variant] = {k: v for k, v in f.contexts[role].items()
                if k not in keys}
        transaction.commit()
    f.building = False
    return f


def portal_context(web_user_id):
    """The context of the portal's pages for the portal user web_user_id,
    as page._in_transaction sets it (the preferences of the technical user
    play no part; no JSON-RPC, which would strip the `_` keys)"""
    WebUser = Pool().get('web.user')
    web_user = WebUser(web_user_id)
    company = web_user.company.id if web_user.company else None
    return {
        'language': web_user.language,
        PORTAL_USER: web_user.id,
        PORTAL_PARTIES: WebUser.portal_parties(web_user.id),
        '_companies': (company,) if company else (),
        'company': company,
        }


def employee_of(fixture, role):
    "The employee id of the role's user (None for a technical user)"
    key = ROLES[role][1]
    return fixture.employees[key] if key else None


# ------------------------------------------------------------ the RPC path

def rpc_context(fixture, role):
    """The context a JSON-RPC call of `role` runs with: the client sends the
    user's preferences; the dispatcher adds ``_check_access`` (for the
    portal: the context of its pages, which check access too)"""
    context = dict(fixture.contexts[role])
    context['_check_access'] = True
    return context


class rpc_transaction:
    """One JSON-RPC call: a new transaction as the user with the context of
    the dispatcher (``RPC.convert``), always rolled back."""

    def __init__(self, fixture, role, context=None, **extras):
        self.user = fixture.users[role] if role else 0
        self.context = rpc_context(fixture, role) if role else {}
        if context:
            self.context.update(context)
        self.extras = extras

    def __enter__(self):
        self._manager = Transaction().start(
            DB_NAME, self.user, context=self.context, **self.extras)
        self.transaction = self._manager.__enter__()
        return self.transaction

    def __exit__(self, *exc):
        self.transaction.rollback()
        return self._manager.__exit__(*exc)


ALLOWED, DENIED, CRASH = 'allowed', 'denied', 'crash'


def rpc_call(fixture, role, model, call, context=None):
    """outcome() of call(Model) made as role through the RPC path, retried
    like the dispatcher does when a table lock is needed"""
    from trytond.transaction import TransactionError
    extras = {}
    while True:
        with rpc_transaction(fixture, role, context, **extras):
            Model = Pool().get(model)
            try:
                return outcome(lambda: call(Model), reraise=TransactionError)
            except TransactionError as e:
                error = e
        error.fix(extras)


def outcome(call, reraise=()):
    """Run call() and say what a JSON-RPC client would see:
    (ALLOWED, None), (DENIED, message) for a UserError (access errors and
    guards: translated refusals), (CRASH, text) for anything else but a
    database integrity error (which means the access checks were passed)."""
    from trytond import backend
    from trytond.exceptions import UserError
    try:
        call()
    except reraise:
        raise
    except UserError as e:
        return DENIED, f"{type(e).__name__}: {e.message}"
    except backend.DatabaseIntegrityError as e:
        return ALLOWED, f"integrity: {e}"
    except Exception as e:
        return CRASH, f"{type(e).__name__}: {e}"
    return ALLOWED, None


def model_names_of(modules):
    "Storable models registered by modules, mapped to their module"
    pool = Pool()
    IrModel = pool.get('ir.model')
    return {m.name: m.module for m in IrModel.search([])
        if m.module in modules}


def storable(name):
    from trytond.model import ModelStorage
    try:
        Model = Pool().get(name)
    except KeyError:
        return False
    return issubclass(Model, ModelStorage)


def is_table_query(name):
    Model = Pool().get(name)
    return bool(getattr(Model, '_is_table_query', lambda: False)())


def extended_by_us(name):
    "The model has a class of one of our modules in its MRO"
    Model = Pool().get(name)
    return any(c.__module__.startswith(tuple(
                f'trytond.modules.{m}.' for m in OUR_MODULES))
        for c in Model.__mro__)
