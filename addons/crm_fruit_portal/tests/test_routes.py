# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The portal's pages through trytond's WSGI application: two customers,
each with a portal user and orders; what one sees of the other's"""
import datetime as dt
import io
import pathlib
import re
import unittest
from decimal import Decimal
from http.cookies import SimpleCookie
from unittest.mock import patch

from trytond import backend
from trytond.model.exceptions import AccessError
from trytond.modules.account.tests import create_chart, get_fiscalyear
from trytond.modules.account_invoice.tests import set_invoice_sequences
from trytond.modules.company.tests import (
    create_company, create_employee, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import (
    Transaction, TransactionError, check_access, inactive_records)

PASSWORD = 'Longkou apples 9'


def jpeg_with_gps():
    "A phone photo: JPEG with EXIF (GPS position, camera) and a tail"
    from PIL import Image
    image = Image.new('RGB', (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = 'PhoneMaker'
    exif[0x8825] = {1: 'N', 2: (37.0, 39.0, 0.0)}
    output = io.BytesIO()
    image.save(output, 'JPEG', exif=exif)
    return output.getvalue() + b'<script>alert(1)</script>'


CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def create_accounting(company):
    "The chart, a fiscal year around today, the revenue category"
    pool = Pool()
    Account = pool.get('account.account')
    Category = pool.get('product.category')
    FiscalYear = pool.get('account.fiscalyear')
    create_chart(company)
    today = dt.date.today()
    fiscalyear = set_invoice_sequences(get_fiscalyear(company,
            start_date=today - dt.timedelta(days=200),
            end_date=today + dt.timedelta(days=160)))
    fiscalyear.save()
    FiscalYear.create_period([fiscalyear])
    revenue, = Account.search([
            ('type.revenue', '=', True), ('closed', '!=', True),
            ], limit=1)
    category = Category(name="水果", accounting=True,
        account_revenue=revenue)
    category.save()
    return category


def create_cash_on_delivery():
    pool = Pool()
    PaymentTerm = pool.get('account.invoice.payment_term')
    term = PaymentTerm(name="货到付款",
        lines=[{'type': 'remainder', 'relativedeltas': [{}]}])
    term.save()
    return term


def post_invoices(sale, days_ago):
    "Post the invoices of sale dated days_ago, due the same day"
    pool = Pool()
    Invoice = pool.get('account.invoice')
    invoices = list(sale.invoices)
    Invoice.write(invoices, {
            'invoice_date': dt.date.today() - dt.timedelta(days=days_ago)})
    # as root: no warning that the due date is past
    with Transaction().set_user(0):
        Invoice.post(invoices)


def in_locking_transaction(user, func, commit=True):
    """Call func in a transaction of user that starts again with the tables
    the chart and the posting lock, as the RPC dispatcher does"""
    extras = {}
    while True:
        try:
            with Transaction().start(DB_NAME, user, **extras) as transaction:
                func()
                if not commit:
                    transaction.rollback()
            return
        except TransactionError as e:
            e.fix(extras)


def create_mailing_lists(*lists):
    "The mailing lists of the (name, language code) given"
    pool = Pool()
    EmailList = pool.get('marketing.email.list')
    Lang = pool.get('ir.lang')
    languages = {lang.code: lang.id for lang in Lang.search([
                ('code', 'in', [code for _, code in lists]),
                ])}
    return EmailList.create([{'name': name, 'language': languages[code]}
            for name, code in lists])


def create_customer_sale(company, name, email, product, term, done=True,
        role='buyer'):
    "A customer with a portal user and a sale shipped and delivered"
    pool = Pool()
    Party = pool.get('party.party')
    Sale = pool.get('sale.sale')
    Shipment = pool.get('stock.shipment.out')
    User = pool.get('web.user')
    party = Party(name=name, addresses=[{'street': "港城大道1号"}])
    party.save()
    user = User(email=email, party=party, company=company,
        email_valid=True, password=PASSWORD, portal_role=role)
    user.save()
    address, = party.addresses
    sale = Sale(party=party, company=company, reference=f"PO-{name}",
        invoice_address=address, shipment_address=address,
        payment_term=term,
        invoice_method='order', shipment_method='order',
        sale_date=dt.date.today() - dt.timedelta(days=5),
        lines=[{'product': product, 'quantity': 120, 'unit': product.sale_uom,
                'unit_price': Decimal('8.50')}])
    sale.save()
    Sale.quote([sale])
    Sale.confirm([sale])
    Sale.process([sale])
    if done:
        shipments = list(sale.shipments)
        Shipment.assign_force(shipments)
        Shipment.pick(shipments)
        Shipment.pack(shipments)
        Shipment.ship(shipments)
        Shipment.do(shipments)
    return user, sale


class PagerTestCase(unittest.TestCase):
    "The pages of a list keep its filters"

    def render(self, number, pages):
        from types import SimpleNamespace

        from trytond.modules.crm_fruit_portal.page import (
            _environment, portal_path)
        page = SimpleNamespace(
            url=lambda target='', **params: portal_path(
                'crm', target, **params))
        return _environment.from_string(
            '{% from "pager.html" import pager with context %}'
            '{{ pager(page, "orders", number, pages, {"q": "苹果"}) }}'
            ).render(page=page, number=number, pages=pages,
                _=lambda text, **variables: f'{text}{variables or ""}')

    def test_middle_page(self):
        html = self.render(2, 3)
        orders = 'href="/crm/portal/orders?page='
        self.assertIn(f'rel="prev" {orders}1&amp;q=', html)
        self.assertIn(f'rel="next" {orders}3&amp;q=', html)
        self.assertIn('%E8%8B%B9%E6%9E%9C', html)

    def test_ends(self):
        self.assertNotIn('rel="prev"', self.render(1, 3))
        self.assertNotIn('rel="next"', self.render(3, 3))
        self.assertNotIn('<nav', self.render(1, 1))


# the checkout's tests/artifacts (none when the module runs installed)
CHECKOUT = pathlib.Path(__file__).resolve().parents[3]


class PortalRoutesTestCase(RouteTestCase):
    "The portal's pages"
    module = 'crm_fruit_portal'
    # the universal chart of accounts comes with English
    language = 'en'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')
        company = create_company()
        with set_company(company):
            category = create_accounting(company)
            term = create_cash_on_delivery()
            kg, = Uom.search([('symbol', '=', 'kg')])
            template, = Template.create([{
                        'name': "红富士苹果",
                        'type': 'goods',
                        'salable': True,
                        'default_uom': kg.id,
                        'sale_uom': kg.id,
                        'list_price': Decimal('8.50'),
                        'account_category': category.id,
                        'products': [('create', [{}])],
                        }])
            product, = template.products
            cls.user_a, cls.sale_a = create_customer_sale(
                company, "烟台果品<script>alert(1)</script>",
                'buyer@yantai.example', product, term)
            cls.user_b, cls.sale_b = create_customer_sale(
                company, "广州江南市场", 'buyer@jiangnan.example', product,
                term)
            User = Pool().get('web.user')
            accountant = User(email='finance@yantai.example',
                party=cls.sale_a.party, company=company, email_valid=True,
                password=PASSWORD, portal_role='accountant')
            accountant.save()

            cls.user_a_id, cls.user_b_id = cls.user_a.id, cls.user_b.id
            cls.sale_a_party_id = cls.sale_a.party.id
            cls.sale_a_id, cls.sale_b_id = cls.sale_a.id, cls.sale_b.id
            cls.shipment_a_id, = [s.id for s in cls.sale_a.shipments]
            cls.shipment_b_id, = [s.id for s in cls.sale_b.shipments]
            post_invoices(cls.sale_a, 45)
            post_invoices(cls.sale_b, 5)
            cls.invoice_a_number, = [i.number for i in cls.sale_a.invoices]
            cls.invoice_b_number, = [i.number for i in cls.sale_b.invoices]

    @classmethod
    def setUpClass(cls):
        # as RouteTestCase but the data in a transaction that starts again
        # with the tables the chart and the posting lock
        super(RouteTestCase, cls).setUpClass()
        in_locking_transaction(1, cls.setUpDatabase)

    def url(self, page=''):
        return f'/{DB_NAME}/portal/{page}'

    def csrf(self, client, page='login'):
        response = client.get(self.url(page))
        return CSRF.search(response.text).group(1)

    def login(self, client, email='buyer@yantai.example', password=PASSWORD):
        token = self.csrf(client)
        return client.post(self.url('login'), data={
                'csrf': token, 'email': email, 'password': password,
                'next': self.url()})

    def logged_in(self, email='buyer@yantai.example'):
        client = self.client()
        response = self.login(client, email)
        self.assertEqual(response.status_code, 303, response.text)
        return client

    def cookie(self, response, name):
        for header in response.headers.getlist('Set-Cookie'):
            cookie = SimpleCookie(header)
            if name in cookie:
                return cookie[name]

    def test_login_page_headers(self):
        "The login page is private, framed by nobody, scripted by nobody"
        response = self.client().get(self.url('login'))
        self.assertEqual(response.status_code, 200)
        headers = response.headers
        self.assertIn("default-src 'self'", headers['Content-Security-Policy'])
        self.assertIn("frame-ancestors 'none'",
            headers['Content-Security-Policy'])
        self.assertEqual(headers['X-Content-Type-Options'], 'nosniff')
        self.assertEqual(headers['Cache-Control'], 'no-store')
        self.assertIn('Referrer-Policy', headers)
        self.assertIn('Log in', response.text)

    def test_login_session_cookie(self):
        "A login gives a new HttpOnly, SameSite=Lax cookie on the portal path"
        client = self.client()
        client.set_cookie('crm_portal', 'planted-by-an-attacker',
            path=self.url())
        response = self.login(client)
        self.assertEqual(response.status_code, 303)
        cookie = self.cookie(response, 'crm_portal')
        self.assertNotEqual(cookie.value, 'planted-by-an-attacker')
        self.assertTrue(cookie['httponly'])
        self.assertEqual(cookie['samesite'], 'Lax')
        self.assertEqual(cookie['path'], self.url())
        self.assertFalse(cookie['secure'])

    def test_secure_cookie_behind_tls(self):
        "Over TLS the cookies are Secure"
        response = self.client().get(
            self.url('login'), base_url='https://portal.example')
        self.assertTrue(self.cookie(response, 'crm_portal_csrf')['secure'])

    def test_login_without_csrf(self):
        "A login POST without the form's token is refused"
        client = self.client()
        response = client.post(self.url('login'), data={
                'email': 'buyer@yantai.example', 'password': PASSWORD})
        self.assertEqual(response.status_code, 403)
        self.assertIsNone(self.cookie(response, 'crm_portal'))

    def test_login_failures_then_429(self):
        "Wrong passwords answer 401 without sleeping, then 429; committed"
        client = self.client()
        email = 'nobody-%s@jiangnan.example' % id(self)
        with patch('time.sleep') as sleep:
            codes = [self.login(client, email, 'guess').status_code
                for _ in range(8)]
        sleep.assert_not_called()
        self.assertEqual(codes[0], 401)
        self.assertEqual(codes[-1], 429)
        with Transaction().start(DB_NAME, 0):
            Attempt = Pool().get('web.user.authenticate.attempt')
            self.assertGreaterEqual(Attempt.count(email), 6)

    def test_orders_are_the_customers_own(self):
        "The order list shows the customer's orders, not the other's"
        client = self.logged_in()
        response = client.get(self.url('orders'))
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'orders/{self.sale_a_id}"', response.text)
        self.assertNotIn(f'orders/{self.sale_b_id}"', response.text)
        self.assertNotIn('PO-广州江南市场', response.text)
        with Transaction().start(DB_NAME, 0):
            total = Pool().get('sale.sale')(self.sale_a_id).total_amount
        self.assertTrue(total)
        self.assertIn(f'{total:.2f}</td>', response.text)

    def test_other_order_as_missing(self):
        "Another customer's order answers as one that does not exist"
        client = self.logged_in()
        mine = client.get(self.url(f'orders/{self.sale_a_id}'))
        self.assertEqual(mine.status_code, 200)
        other = client.get(self.url(f'orders/{self.sale_b_id}'))
        missing = client.get(self.url('orders/987654321'))
        self.assertEqual(other.status_code, 404)
        self.assertEqual(missing.status_code, 404)
        self.assertEqual(other.data, missing.data)
        self.assertNotIn('PO-广州江南市场', other.text)

    def records_of_b(self):
        """Another customer's ticket (with a reply's file) and survey, and
        an internal article: ids the portal of A must not give away"""
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Ticket = pool.get('service.ticket')
            Message = pool.get('service.ticket.message')
            Survey = pool.get('service.survey')
            Article = pool.get('service.knowledge.article')
            User = pool.get('web.user')
            ModelData = pool.get('ir.model.data')
            user_b = User(self.user_b_id)
            company = user_b.company
            ticket, = Ticket.create([{
                        'company': company.id, 'party': user_b.party.id,
                        'subject': "江南的问题",
                        'type': ModelData.get_id(
                            'crm_fruit_service', 'ticket_type_inquiry'),
                        }])
            reply, = Message.create([{
                        'ticket': ticket.id, 'kind': 'reply',
                        'body': "江南的答复",
                        'attachments': [('create', [{
                                        'name': 'b.pdf',
                                        'data': b'%PDF-1.4 b'}])],
                        }])
            survey = Survey(company=company, party=user_b.party,
                kind='periodic', date=dt.date.today())
            survey.save()
            article, = Article.create([{'company': company.id,
                        'title': "内部：江南的信用", 'body': "内部",
                        'public': False}])
            Article.publish([article])
            ids = dict(ticket=ticket.id, attachment=reply.attachments[0].id,
                survey=survey.id, article=article.id)
            transaction.commit()
        return ids

    def test_every_url_with_an_id(self):
        """Every portal URL with an id answers another customer's record
        (an internal article) exactly as one that does not exist, for GET
        and POST alike; a new route with an id must be added here"""
        from trytond.wsgi import app
        b = self.records_of_b()
        with Transaction().start(DB_NAME, 0):
            Invoice = Pool().get('account.invoice')
            invoice_b, = Invoice.search(
                [('number', '=', self.invoice_b_number)])
            b['invoice'] = invoice_b.id
        missing = 987654321
        ticket = b['ticket']
        cases = {
            '/orders/<int:sale_id>': ('GET', ['orders/{}'], self.sale_b_id),
            '/shipments/<int:shipment_id>/receipt': (
                'POST', ['shipments/{}/receipt'], self.shipment_b_id),
            '/shipments/<int:shipment_id>/pdf': (
                'GET', ['shipments/{}/pdf'], self.shipment_b_id),
            '/invoices/<int:invoice_id>/pdf': (
                'GET', ['invoices/{}/pdf'], b['invoice']),
            '/tickets/<int:ticket_id>': ('GET', ['tickets/{}'], ticket),
            '/tickets/<int:ticket_id>/<any(reply, confirm, reopen, rate)'
            ':act>': ('POST', ['tickets/{}/reply', 'tickets/{}/confirm',
                    'tickets/{}/reopen', 'tickets/{}/rate'], ticket),
            '/tickets/<int:ticket_id>/attachments/<int:attachment_id>': (
                'GET', [f'tickets/{ticket}/attachments/{{}}'],
                b['attachment']),
            '/knowledge/<int:article_id>': (
                'GET', ['knowledge/{}'], b['article']),
            '/surveys/<int:survey_id>': ('GET', ['surveys/{}'], b['survey']),
            }
        routes = {r.rule.split('/portal', 1)[1]
            for r in app.url_map.iter_rules()
            if '/portal/' in r.rule and '<int:' in r.rule}
        self.assertEqual(routes, set(cases))
        buyer = self.logged_in()
        accountant = self.logged_in('finance@yantai.example')
        form = {'body': "x", 'rating': '5', 'sale': str(self.sale_b_id)}
        for rule, (method, paths, other) in cases.items():
            client = accountant if 'invoices' in rule else buyer
            if client is accountant:
                form['csrf'] = self.csrf(accountant, 'invoices')
            else:
                form['csrf'] = self.csrf(buyer, 'tickets')
            for path in paths:
                answers = []
                for id_ in [other, missing]:
                    url = self.url(path.format(id_))
                    if method == 'POST':
                        answers.append(client.post(url, data=form))
                    else:
                        answers.append(client.get(url))
                refused, absent = answers
                self.assertEqual(refused.status_code, 404, path)
                self.assertEqual(absent.status_code, 404, path)
                self.assertEqual(refused.data, absent.data, path)
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Ticket = pool.get('service.ticket')
            Shipment = pool.get('stock.shipment.out')
            self.assertEqual(len(Ticket(ticket).messages), 1)
            self.assertIsNone(Ticket(ticket).customer_rating)
            self.assertIsNone(Shipment(self.shipment_b_id).received)

    def test_order_timeline(self):
        "The order's line shows its steps up to the delivery"
        client = self.logged_in()
        response = client.get(self.url(f'orders/{self.sale_a_id}'))
        text = response.text
        for step in ['Ordered', 'Confirmed', 'Shipped', 'Delivered',
                'Received', 'Invoiced', 'Paid']:
            self.assertIn(step, text)
        states = re.findall(r'<li class="(done|todo)">', text)
        # received (by the customer) and paid are still to come
        self.assertEqual(states, ['done'] * 4 + ['todo', 'done', 'todo'])
        self.assertIn('Confirm the receipt', text)

    def test_order_paid_step(self):
        """Once the invoice is paid, the line's last step is done on the day
        of the payment's reconciliation, as Tryton's Invoice.reconciled"""
        in_locking_transaction(0, self.check_paid_step, commit=False)

    def check_paid_step(self):
        from trytond.modules.crm_fruit_portal import orders
        pool = Pool()
        Sale = pool.get('sale.sale')
        Invoice = pool.get('account.invoice')
        Journal = pool.get('account.journal')
        Account = pool.get('account.account')
        Move = pool.get('account.move')
        MoveLine = pool.get('account.move.line')
        Period = pool.get('account.period')
        sale = Sale(self.sale_a_id)
        invoice, = sale.invoices
        company = invoice.company
        day = dt.date.today() - dt.timedelta(days=10)
        journal, = Journal.search([('type', '=', 'cash')], limit=1)
        cash, = Account.search([
                ('type.receivable', '=', False),
                ('type.payable', '=', False),
                ('party_required', '=', False),
                ('closed', '!=', True), ('type', '!=', None),
                ('company', '=', company.id),
                ], limit=1)
        with Transaction().set_context(company=company.id):
            move = Move(journal=journal, date=day,
                period=Period.find(company, date=day), lines=[
                    MoveLine(account=invoice.account,
                        party=invoice.party, debit=0,
                        credit=invoice.total_amount),
                    MoveLine(account=cash, credit=0,
                        debit=invoice.total_amount)])
            move.save()
            Move.post([move])
            payment, = [ml for ml in move.lines
                if ml.account == invoice.account]
            MoveLine.reconcile(
                list(invoice.lines_to_pay) + [payment], date=day)
            # what the reconciliation queues after the commit
            Invoice.process([invoice])
        invoice = Invoice(invoice.id)
        self.assertEqual(invoice.state, 'paid')
        (_, steps), = orders.Detail.of(Sale(self.sale_a_id)).lines
        paid = steps[-1]
        self.assertEqual(paid.name, 'paid')
        self.assertTrue(paid.done)
        self.assertEqual(paid.date, day)
        self.assertEqual(invoice.reconciled, day)

    def test_names_rendered_inert(self):
        "A name with markup is shown as text"
        client = self.logged_in()
        response = client.get(self.url())
        self.assertNotIn('<script>alert(1)</script>', response.text)
        self.assertIn('&lt;script&gt;', response.text)

    def test_receipt(self):
        "The customer confirms his delivery, not the other's"
        client = self.logged_in()
        token = self.csrf(client, f'orders/{self.sale_a_id}')
        other = client.post(
            self.url(f'shipments/{self.shipment_b_id}/receipt'),
            data={'csrf': token})
        self.assertEqual(other.status_code, 404)
        without_token = client.post(
            self.url(f'shipments/{self.shipment_a_id}/receipt'))
        self.assertEqual(without_token.status_code, 403)
        mine = client.post(self.url(f'shipments/{self.shipment_a_id}/receipt'),
            data={'csrf': token, 'sale': self.sale_a_id})
        self.assertEqual(mine.status_code, 303)
        with Transaction().start(DB_NAME, 0):
            Shipment = Pool().get('stock.shipment.out')
            shipment_a = Shipment(self.shipment_a_id)
            shipment_b = Shipment(self.shipment_b_id)
            self.assertTrue(shipment_a.received)
            self.assertEqual(shipment_a.received_by.id, self.user_a_id)
            self.assertIsNone(shipment_b.received)
        page = client.get(self.url(f'orders/{self.sale_a_id}'))
        self.assertNotIn('Confirm the receipt</button>', page.text)

    def test_get_changes_nothing(self):
        "The receipt is a POST: a GET of its URL is refused"
        client = self.logged_in()
        response = client.get(
            self.url(f'shipments/{self.shipment_a_id}/receipt'))
        self.assertEqual(response.status_code, 405)

    def test_logout_ends_session(self):
        "After logging out, the cookie opens nothing"
        client = self.logged_in()
        token = self.csrf(client, '')
        key = client.get_cookie('crm_portal', path=self.url()).value
        client.post(self.url('logout'), data={'csrf': token})
        other = self.client()
        other.set_cookie('crm_portal', key, path=self.url())
        response = other.get(self.url('orders'))
        self.assertEqual(response.status_code, 303)
        self.assertIn('/portal/login', response.headers['Location'])

    def test_password_change_ends_other_sessions(self):
        "Changing the password logs out the other devices"
        phone = self.logged_in('buyer@jiangnan.example')
        desktop = self.logged_in('buyer@jiangnan.example')
        token = self.csrf(desktop, 'password')
        new = 'Pears of Laiyang 7'
        response = desktop.post(self.url('password'), data={
                'csrf': token, 'current': PASSWORD,
                'password': new, 'confirm': new})
        self.assertEqual(response.status_code, 303, response.text)
        self.assertEqual(desktop.get(self.url('orders')).status_code, 200)
        self.assertEqual(phone.get(self.url('orders')).status_code, 303)
        token = self.csrf(desktop, 'password')
        desktop.post(self.url('password'), data={
                'csrf': token, 'current': new,
                'password': PASSWORD, 'confirm': PASSWORD})

    def test_invitation(self):
        "The invitation's link sets the password once and logs in"
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            User = pool.get('web.user')
            Party = pool.get('party.party')
            party = Party(name="新加坡进口商")
            party.save()
            user = User(email='import@singapore.example', party=party,
                company=User(self.user_a_id).company)
            user.save()
            with patch('trytond.modules.crm_fruit_customer.mail.send'):
                User.invite([user])
            token = user.email_token
            transaction.commit()
        client = self.client()
        page = client.get(self.url(f'invitation?token={token}'))
        self.assertEqual(page.status_code, 200)
        csrf = CSRF.search(page.text).group(1)
        short = client.post(self.url('invitation'), data={
                'csrf': csrf, 'token': token,
                'password': 'short', 'confirm': 'short'})
        self.assertEqual(short.status_code, 400)
        done = client.post(self.url('invitation'), data={
                'csrf': csrf, 'token': token,
                'password': PASSWORD, 'confirm': PASSWORD})
        self.assertEqual(done.status_code, 303)
        self.assertEqual(client.get(self.url()).status_code, 200)
        again = self.client().get(self.url(f'invitation?token={token}'))
        self.assertEqual(again.status_code, 404)
        self.assertEqual(self.client().get(
                self.url('invitation')).status_code, 404)

    def test_reset_link_of_the_mail(self):
        "The link of the reset e-mail opens the form that sets the password"
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            User = pool.get('web.user')
            Party = pool.get('party.party')
            party = Party(name="大连水产冷链")
            party.save()
            User.create([{'email': 'cold@dalian.example', 'party': party.id,
                        'company': User(self.user_a_id).company.id,
                        'email_valid': True, 'password': PASSWORD}])
            transaction.commit()
        client = self.client()
        token = self.csrf(client, 'reset')
        with patch('trytond.modules.crm_fruit_customer.mail.send') as send:
            client.post(self.url('reset'), data={
                    'csrf': token, 'email': 'cold@dalian.example'})
        (_, _, _, text), _ = send.call_args
        link = re.search(r'https?://\S+', text).group(0)
        path = link[link.index(self.url()):]
        form = client.get(path)
        self.assertEqual(form.status_code, 200)
        self.assertIn('name="confirm"', form.text)
        reset_token = re.search(r'token=([0-9a-f]+)', path).group(1)
        done = client.post(self.url('reset/password'), data={
                'csrf': CSRF.search(form.text).group(1), 'token': reset_token,
                'password': 'Cherries of Dalian 8',
                'confirm': 'Cherries of Dalian 8'})
        self.assertEqual(done.status_code, 303, done.text)
        self.assertEqual(self.login(self.client(), 'cold@dalian.example',
                'Cherries of Dalian 8').status_code, 303)

    def test_language_switch(self):
        "English is chosen and remembered for the user"
        client = self.logged_in('buyer@jiangnan.example')
        self.assertIn('<html lang="zh-CN">', client.get(self.url()).text)
        token = self.csrf(client, '')
        client.post(self.url('language'), data={
                'csrf': token, 'language': 'en', 'next': self.url('orders')})
        self.assertIn('<html lang="en">', client.get(self.url()).text)
        other_device = self.logged_in('buyer@jiangnan.example')
        self.assertIn('<html lang="en">', other_device.get(self.url()).text)
        token = self.csrf(client, '')
        client.post(self.url('language'), data={
                'csrf': token, 'language': 'zh_CN'})
        self.assertIn('<html lang="zh-CN">', client.get(self.url()).text)

    def test_json_rpc_refuses_portal_cookie(self):
        "The portal's session cookie opens nothing over JSON-RPC"
        # the JSON-RPC routes
        __import__('trytond.protocols.dispatcher')
        client = self.logged_in()
        response = client.post(f'/{DB_NAME}/rpc/', json={
                'method': 'model.sale.sale.search', 'params': [[], 0, 10,
                    None, {}], 'id': 1})
        self.assertIn(response.status_code, {401, 403})

    def test_error_page_shows_no_internals(self):
        "A failing page answers the portal's 500 page"
        client = self.logged_in()
        with patch('trytond.modules.crm_fruit_portal.orders.search',
                side_effect=ValueError("secret internals")):
            response = client.get(self.url('orders'))
        self.assertEqual(response.status_code, 500)
        self.assertNotIn('secret internals', response.text)
        self.assertIn('系统错误', response.text)

    def test_invoices_for_the_accountant(self):
        "The accountant sees his invoices; the buyer has no invoice page"
        accountant = self.logged_in('finance@yantai.example')
        response = accountant.get(self.url('invoices'))
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.invoice_a_number, response.text)
        self.assertNotIn(f'>{self.invoice_b_number}<', response.text)
        buyer = self.logged_in()
        self.assertEqual(buyer.get(self.url('invoices')).status_code, 404)
        self.assertEqual(buyer.get(self.url('statement')).status_code, 404)

    def invoice_ids(self):
        with Transaction().start(DB_NAME, 0):
            Invoice = Pool().get('account.invoice')
            return [Invoice.search([('number', '=', n)])[0].id
                for n in [self.invoice_a_number, self.invoice_b_number]]

    def assert_pdf(self, response, name):
        self.assertEqual(response.status_code, 200, response.data[:500])
        self.assertEqual(response.mimetype, 'application/pdf')
        self.assertTrue(response.data.startswith(b'%PDF-'))
        disposition = response.headers['Content-Disposition']
        self.assertTrue(disposition.startswith(
                f'attachment; filename="{name}"'), disposition)
        self.assertEqual(response.headers['Cache-Control'], 'no-store')
        # kept to be looked at, as the browser tests keep their screenshots
        if (CHECKOUT / 'tests' / 'browser.py').exists():
            artifacts = CHECKOUT / 'tests' / 'artifacts'
            artifacts.mkdir(exist_ok=True)
            (artifacts / f'portal-{name}').write_bytes(response.data)

    def test_invoice_pdf(self):
        """The accountant downloads his invoice as a PDF from the list;
        another customer's answers as a missing one, the buyer has none"""
        mine, other = self.invoice_ids()
        accountant = self.logged_in('finance@yantai.example')
        listed = accountant.get(self.url('invoices'))
        self.assertIn(f'invoices/{mine}/pdf"', listed.text)
        self.assert_pdf(accountant.get(self.url(f'invoices/{mine}/pdf')),
            'invoice.pdf')
        refused = accountant.get(self.url(f'invoices/{other}/pdf'))
        missing = accountant.get(self.url('invoices/987654321/pdf'))
        self.assertEqual(refused.status_code, 404)
        self.assertEqual(refused.data, missing.data)
        buyer = self.logged_in()
        self.assertEqual(
            buyer.get(self.url(f'invoices/{mine}/pdf')).status_code, 404)

    def test_delivery_note_pdf(self):
        "The buyer downloads the delivery note of his shipment, not another's"
        buyer = self.logged_in()
        order = buyer.get(self.url(f'orders/{self.sale_a_id}'))
        self.assertIn(f'shipments/{self.shipment_a_id}/pdf"', order.text)
        self.assert_pdf(
            buyer.get(self.url(f'shipments/{self.shipment_a_id}/pdf')),
            'delivery-note.pdf')
        refused = buyer.get(self.url(f'shipments/{self.shipment_b_id}/pdf'))
        missing = buyer.get(self.url('shipments/987654321/pdf'))
        self.assertEqual(refused.status_code, 404)
        self.assertEqual(refused.data, missing.data)

    def test_documents_content(self):
        """The HTML the PDFs are made of: the invoice's number, lines and
        total; the delivery note's customer, product and lot"""
        mine, _ = self.invoice_ids()
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            ActionReport = pool.get('ir.action.report')
            Invoice = pool.get('account.invoice')
            Shipment = pool.get('stock.shipment.out')
            for name, record, expected in [
                    ('crm_fruit_portal.invoice', Invoice(mine), [
                            self.invoice_a_number, '红富士苹果',
                            'Total', '1,020.00']),
                    ('crm_fruit_portal.delivery_note',
                        Shipment(self.shipment_a_id), [
                            'Delivery Note', '红富士苹果',
                            '&lt;script&gt;'])]:
                Report = pool.get(name, type='report')
                action, = ActionReport.search([('report_name', '=', name)])
                html = Report.render(action,
                    Report.get_context([record], {}, {}))
                for text in expected:
                    self.assertIn(text, html, name)
                self.assertNotIn('<script>alert', html, name)

    def test_statement_ageing(self):
        "The invoice due 45 days ago is in the 31-60 days column"
        accountant = self.logged_in('finance@yantai.example')
        response = accountant.get(self.url('statement'))
        self.assertEqual(response.status_code, 200)
        cells = [c.replace(',', '') for c in re.findall(
                r'<td class="amount">([^<]*)</td>', response.text)]
        not_due, days_30, days_60, days_90, older, balance = cells[:6]
        self.assertIn('1020.00', days_60)
        self.assertIn('1020.00', balance)
        for cell in [not_due, days_30, days_90, older]:
            self.assertIn('0.00', cell)
        self.assertIn(self.invoice_a_number, response.text)
        self.assertIn('overdue</strong>', response.text)

    def file_ticket(self, client, **values):
        page = client.get(self.url('tickets/new'))
        form = {
            'csrf': CSRF.search(page.text).group(1),
            'submission': re.search(
                r'name="submission" value="([0-9a-f]+)"', page.text).group(1),
            'kind': 'quality', 'subject': "苹果有碰伤",
            'description': "到货后发现<b>碰伤</b>",
            }
        form.update(values)
        return form, client.post(self.url('tickets/new'), data=form,
            content_type='multipart/form-data')

    def ticket_of(self, response):
        return int(re.search(r'/tickets/(\d+)', response.headers['Location'])
            .group(1))

    def test_file_quality_ticket_with_photo(self):
        "A quality complaint on an order line with a phone photo"
        client = self.logged_in()
        line_id = self._line_a()
        form, response = self.file_ticket(client, line=str(line_id),
            photos=(io.BytesIO(jpeg_with_gps()), 'IMG_0001.JPG'))
        self.assertEqual(response.status_code, 303, response.text)
        ticket_id = self.ticket_of(response)
        with Transaction().start(DB_NAME, 0):
            from PIL import Image
            Ticket = Pool().get('service.ticket')
            ticket = Ticket(ticket_id)
            self.assertEqual(ticket.party.id, self.sale_a_party_id)
            self.assertEqual(ticket.channel, 'portal')
            self.assertEqual(ticket.sale_line.id, line_id)
            self.assertEqual(ticket.portal_user.id, self.user_a_id)
            message, = ticket.messages
            self.assertEqual(message.kind, 'customer')
            attachment, = message.attachments
            self.assertEqual(attachment.name, 'IMG_0001.jpg')
            self.assertNotIn(b'<script>', attachment.data)
            self.assertNotIn(b'PhoneMaker', attachment.data)
            self.assertFalse(Image.open(io.BytesIO(attachment.data)).getexif())
        # the same form sent again files nothing more
        form['photos'] = (io.BytesIO(jpeg_with_gps()), 'IMG_0001.JPG')
        again = client.post(self.url('tickets/new'), data=form,
            content_type='multipart/form-data')
        self.assertEqual(self.ticket_of(again), ticket_id)
        page = client.get(self.url(f'tickets/{ticket_id}'))
        self.assertIn('&lt;b&gt;碰伤&lt;/b&gt;', page.text)

    def _line_a(self):
        with Transaction().start(DB_NAME, 0):
            Sale = Pool().get('sale.sale')
            line, = Sale(self.sale_a_id).lines
            return line.id

    def test_ticket_refuses_svg_and_other_lines(self):
        "An SVG is no photo; another customer's line is not found"
        client = self.logged_in()
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'
        _, response = self.file_ticket(client,
            photos=(io.BytesIO(svg), 'photo.jpg'))
        self.assertEqual(response.status_code, 400)
        self.assertIn('photo.jpg', response.text)
        self.assertIn('苹果有碰伤', response.text)
        with Transaction().start(DB_NAME, 0):
            Sale = Pool().get('sale.sale')
            line_b, = Sale(self.sale_b_id).lines
            line_b_id = line_b.id
        _, response = self.file_ticket(client, line=str(line_b_id))
        self.assertEqual(response.status_code, 404)

    def staff_thread(self, resolve=False):
        "A ticket of A with a customer message, a note and a reply"
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Ticket = pool.get('service.ticket')
            Message = pool.get('service.ticket.message')
            Party = pool.get('party.party')
            party = Party(self.sale_a_party_id)
            ticket, = Ticket.create([{
                        'company': Pool().get('web.user')(
                            self.user_a_id).company.id,
                        'party': party.id, 'subject': "发票抬头",
                        'type': Pool().get('ir.model.data').get_id(
                            'crm_fruit_service', 'ticket_type_inquiry'),
                        }])
            note, reply = Message.create([{
                        'ticket': ticket.id, 'kind': 'note',
                        'body': "内部：该客户欠款，先别答应",
                        'attachments': [('create', [{
                                        'name': 'internal.txt',
                                        'data': b'internal only'}])],
                        }, {
                        'ticket': ticket.id, 'kind': 'reply',
                        'body': "您好，发票已重开。",
                        'attachments': [('create', [{
                                        'name': 'invoice.pdf',
                                        'data': b'%PDF-1.4 reply'}])],
                        }])
            if resolve:
                Ticket.write([ticket], {'resolution': "发票已重开"})
                Ticket.resolve([ticket])
            ids = (ticket.id, note.attachments[0].id,
                reply.attachments[0].id)
            transaction.commit()
        return ids

    def test_ticket_list_is_the_customers_own(self):
        "The ticket list shows the customer's tickets, not another's"
        b_ticket = self.records_of_b()['ticket']
        ticket_id, _, _ = self.staff_thread()
        with Transaction().start(DB_NAME, 0):
            ticket = Pool().get('service.ticket')(ticket_id)
            number, date = ticket.number, ticket.date.date()
        page = self.logged_in().get(self.url('tickets')).text
        self.assertIn(f'tickets/{ticket_id}"', page)
        self.assertIn(f'{number} · 发票抬头', page)
        self.assertIn(date.isoformat(), page)
        self.assertNotIn(f'tickets/{b_ticket}"', page)
        self.assertNotIn("江南的问题", page)

    def test_ticket_thread_without_internal_notes(self):
        "The customer sees the reply and its file, never the note"
        ticket_id, note_file, reply_file = self.staff_thread()
        client = self.logged_in()
        page = client.get(self.url(f'tickets/{ticket_id}'))
        self.assertEqual(page.status_code, 200)
        self.assertIn('发票已重开', page.text)
        self.assertNotIn('内部', page.text)
        self.assertNotIn('internal.txt', page.text)
        url = self.url(f'tickets/{ticket_id}/attachments/')
        note = client.get(url + str(note_file))
        missing = client.get(url + '987654321')
        self.assertEqual(note.status_code, 404)
        self.assertEqual(note.data, missing.data)
        reply = client.get(url + str(reply_file))
        self.assertEqual(reply.status_code, 200)
        self.assertEqual(reply.data, b'%PDF-1.4 reply')
        self.assertTrue(reply.headers['Content-Disposition'].startswith(
                'attachment;'))
        other = self.logged_in('buyer@jiangnan.example')
        self.assertEqual(other.get(self.url(
                    f'tickets/{ticket_id}')).status_code, 404)
        self.assertEqual(other.get(url + str(reply_file)).status_code, 404)

    def test_ticket_confirm_and_reopen(self):
        "A resolved ticket is confirmed (closed) or reopened by the customer"
        client = self.logged_in()
        for act, state in [('confirm', 'closed'), ('reopen', 'in_progress')]:
            ticket_id, _, _ = self.staff_thread(resolve=True)
            token = self.csrf(client, f'tickets/{ticket_id}')
            response = client.post(self.url(f'tickets/{ticket_id}/{act}'),
                data={'csrf': token, 'body': "还有三箱没换"})
            self.assertEqual(response.status_code, 303, response.text)
            with Transaction().start(DB_NAME, 0):
                ticket = Pool().get('service.ticket')(ticket_id)
                self.assertEqual(ticket.state, state)
                if act == 'reopen':
                    self.assertEqual(ticket.reopened, 1)
                    self.assertEqual(ticket.messages[-1].body, "还有三箱没换")
                else:
                    self.assertTrue(ticket.confirmed)

    def test_ticket_rating(self):
        """The customer rates the answer to his resolved request once; staff
        see it in the history and change it by no RPC"""
        client = self.logged_in()
        open_id, _, _ = self.staff_thread()
        page = client.get(self.url(f'tickets/{open_id}'))
        self.assertNotIn(f'tickets/{open_id}/rate"', page.text)
        ticket_id, _, _ = self.staff_thread(resolve=True)
        url = self.url(f'tickets/{ticket_id}/rate')
        page = client.get(self.url(f'tickets/{ticket_id}'))
        self.assertIn(f'{url}"', page.text)
        token = CSRF.search(page.text).group(1)
        wrong = client.post(url, data={'csrf': token, 'rating': '9'})
        self.assertEqual(wrong.status_code, 400)
        self.assertIn('role="alert"', wrong.text)
        response = client.post(url, data={'csrf': token, 'rating': '2',
                'comment': "回复太慢<script>x</script>"})
        self.assertEqual(response.status_code, 303, response.text)
        again = client.post(url, data={'csrf': token, 'rating': '5'})
        self.assertEqual(again.status_code, 303)
        page = client.get(self.url(f'tickets/{ticket_id}'))
        self.assertNotIn(f'{url}"', page.text)
        self.assertIn('Dissatisfied', page.text)
        self.assertIn('&lt;script&gt;', page.text)
        other = self.client()
        self.login(other, 'buyer@jiangnan.example')
        refused = other.post(url, data={
                'csrf': self.csrf(other, 'tickets'), 'rating': '1'})
        self.assertEqual(refused.status_code, 404)
        with Transaction().start(DB_NAME, 0):
            Ticket = Pool().get('service.ticket')
            ticket = Ticket(ticket_id)
            self.assertEqual(ticket.customer_rating, '2')
            self.assertEqual(
                ticket.customer_rating_comment, "回复太慢<script>x</script>")
            self.assertIn('Dissatisfied', ticket.history[-1].note)
            self.assertIsNone(Ticket(open_id).customer_rating)
            with Transaction().set_user(1), check_access():
                with self.assertRaises(AccessError):
                    Ticket.write([Ticket(ticket_id)],
                        {'customer_rating': '5'})

    def test_ticket_compensation_outcome(self):
        "The customer sees what was granted and what is under review"
        ticket_id, _, _ = self.staff_thread()
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Compensation = pool.get('service.ticket.compensation')
            Sale = pool.get('sale.sale')
            sale = Sale(self.sale_a_id)
            line, = sale.lines
            invoice, = sale.invoices
            credit, replacement, draft = Compensation.create([{
                        'ticket': ticket_id, 'kind': 'credit_note',
                        'invoice': invoice.id,
                        'reason': "内部原因：老客户，批准退款",
                        }, {
                        'ticket': ticket_id, 'kind': 'replacement',
                        'sale_line': line.id, 'quantity': 20,
                        'reason': "内部原因：补发二十公斤",
                        }, {
                        'ticket': ticket_id, 'kind': 'return',
                        'sale_line': line.id, 'reason': "内部草稿",
                        }])
            Compensation.request([credit, replacement])
            Compensation.approve([credit])
            transaction.commit()
        client = self.logged_in()
        page = client.get(self.url(f'tickets/{ticket_id}')).text
        section = page[page.index('class="card compensation"'):]
        section = section[:section.index('</section>')]
        credit_text, replacement_text = section.split('<li>')[1:]
        self.assertIn('Credit note', credit_text)
        self.assertIn('Approved', credit_text)
        self.assertIn(self.invoice_a_number, credit_text)
        # the whole invoice: 120 kg at 8.50
        self.assertRegex(credit_text, r'1,?020\.00')
        self.assertIn('Goods sent again', replacement_text)
        self.assertIn('Under review', replacement_text)
        self.assertIn('20.00 kg', replacement_text)
        self.assertNotIn('Return of the goods', section)
        self.assertNotIn('内部', page)
        other = self.logged_in('buyer@jiangnan.example')
        self.assertEqual(other.get(self.url(
                    f'tickets/{ticket_id}')).status_code, 404)

    def test_profile_phone_change(self):
        "A new phone number reaches the archive and the rep's contact log"
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Party = pool.get('party.party')
            Mechanism = pool.get('party.contact_mechanism')
            User = pool.get('web.user')
            party = Party(self.sale_a_party_id)
            company = User(self.user_a_id).company
            with set_company(company):
                party.sales_rep = create_employee(company, "王建国")
                party.save()
            phone, = Mechanism.create([{'party': party.id, 'type': 'phone',
                        'value': '+86 138 0535 0001'}])
            phone_id = phone.id
            transaction.commit()
        client = self.logged_in()
        token = self.csrf(client, 'profile')
        response = client.post(self.url('profile'), data={'csrf': token,
                f'value-{phone_id}': '+86 138 0535 0002',
                'new_type': 'mobile', 'new_value': ''})
        self.assertEqual(response.status_code, 303, response.text)
        empty = client.post(self.url('profile'), data={'csrf': token,
                f'value-{phone_id}': ''})
        self.assertEqual(empty.status_code, 400)
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Mechanism = pool.get('party.contact_mechanism')
            Change = pool.get('party.archive_change')
            Contact = pool.get('crm.contact')
            self.assertIn('0535 0002', Mechanism(phone_id).value)
            # besides the change of sales rep made above
            change, = [c for c in Change.search([
                        ('party', '=', self.sale_a_party_id)])
                if '0535 0002' in c.description]
            self.assertIn('buyer@yantai.example', change.description)
            self.assertIn('0535 0001', change.description)
            contact, = [c for c in Contact.search([
                        ('party', '=', self.sale_a_party_id)])
                if '0535 0002' in (c.notes or '')]
            self.assertEqual(contact.channel, 'portal')
            self.assertEqual(contact.employee.party.name, "王建国")
        # another customer's contact is not his to change
        other = self.logged_in('buyer@jiangnan.example')
        token = self.csrf(other, 'profile')
        other.post(self.url('profile'), data={'csrf': token,
                f'value-{phone_id}': '+86 139 2000 0000'})
        with Transaction().start(DB_NAME, 0):
            Mechanism = Pool().get('party.contact_mechanism')
            self.assertIn('0535 0002', Mechanism(phone_id).value)

    def test_profile_addresses_and_contact_persons(self):
        "Addresses and contact persons changed or added reach the archive"
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Party = pool.get('party.party')
            Mechanism = pool.get('party.contact_mechanism')
            party = Party(self.sale_a_party_id)
            address, = party.addresses
            mobile, = Mechanism.create([{'party': party.id, 'type': 'mobile',
                        'value': '+86 139 0535 1111'}])
            ids = address.id, mobile.id
            transaction.commit()
        address_id, mobile_id = ids
        client = self.logged_in()
        token = self.csrf(client, 'profile')
        # a street left empty is refused and the form keeps what was typed
        refused = client.post(self.url('profile'), data={'csrf': token,
                f'address-{address_id}-street': '',
                f'address-{address_id}-city': '龙口市',
                f'name-{mobile_id}': '李采购'})
        self.assertEqual(refused.status_code, 400)
        self.assertIn('龙口市', refused.text)
        self.assertIn('李采购', refused.text)
        response = client.post(self.url('profile'), data={'csrf': token,
                f'address-{address_id}-street': '港城大道8号',
                f'address-{address_id}-postal_code': '265700',
                f'address-{address_id}-city': '龙口市',
                f'name-{mobile_id}': '李采购',
                'new_type': 'email', 'new_value': 'caigou@yantai.example',
                'new_name': '张会计',
                'new_address_street': '芝罘区冷库路2号',
                'new_address_city': '烟台市'})
        self.assertEqual(response.status_code, 303, response.text)
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Party = pool.get('party.party')
            Mechanism = pool.get('party.contact_mechanism')
            Change = pool.get('party.archive_change')
            party = Party(self.sale_a_party_id)
            streets = sorted(a.street for a in party.addresses)
            self.assertEqual(streets, ['港城大道8号', '芝罘区冷库路2号'])
            self.assertEqual(Mechanism(mobile_id).name, '李采购')
            email, = Mechanism.search([
                    ('party', '=', party.id),
                    ('value', '=', 'caigou@yantai.example')])
            self.assertEqual(email.name, '张会计')
            change, = [c for c in Change.search([('party', '=', party.id)])
                if '港城大道8号' in c.description]
            for text in ['港城大道1号', '265700 龙口市', '李采购',
                    '芝罘区冷库路2号', '张会计']:
                self.assertIn(text, change.description)
        # the other customer's address is not his to change
        other = self.logged_in('buyer@jiangnan.example')
        token = self.csrf(other, 'profile')
        other.post(self.url('profile'), data={'csrf': token,
                f'address-{address_id}-street': '被改的地址'})
        with Transaction().start(DB_NAME, 0):
            Address = Pool().get('party.address')
            self.assertEqual(Address(address_id).street, '港城大道8号')

    def test_knowledge_public_only(self):
        "The customer finds the public published articles, no other"
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Article = pool.get('service.knowledge.article')
            User = pool.get('web.user')
            company = User(self.user_a_id).company
            public, internal = Article.create([{
                        'company': company.id, 'title': "樱桃冷库保鲜温度",
                        'body': "樱桃在冷库中保持0到1度。", 'public': public,
                        } for public in [True, False]])
            Article.publish([public, internal])
            public_id, internal_id = public.id, internal.id
            transaction.commit()
        client = self.logged_in()
        found = client.get(self.url('knowledge?q=冷库')).text
        self.assertIn(f'knowledge/{public_id}"', found)
        self.assertNotIn(f'knowledge/{internal_id}"', found)
        self.assertEqual(client.get(
                self.url(f'knowledge/{public_id}')).status_code, 200)
        self.assertEqual(client.get(
                self.url(f'knowledge/{internal_id}')).status_code, 404)

    def test_news(self):
        "The public news, the newest first, on the home page and under News"
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Article = pool.get('service.knowledge.article')
            Category = pool.get('service.knowledge.category')
            User = pool.get('web.user')
            company = User(self.user_a_id).company
            news, help_ = Category.create([
                    {'name': "公司新闻", 'news': True},
                    {'name': "储存保鲜"}])
            older, newer, internal, draft, tip = Article.create([{
                        'company': company.id, 'category': category.id,
                        'title': title, 'body': "正文", 'public': public,
                        } for category, title, public in [
                        (news, "龙口新冷库投入使用", True),
                        (news, "樱桃季开始接受预订", True),
                        (news, "内部：年终盘点安排", False),
                        (news, "草稿：展会通知", True),
                        (help_, "苹果储存温度", True)]])
            Article.publish([older, newer, internal, tip])
            Article.write([older], {'published_date': dt.date(2026, 1, 5)})
            ids = older.id, newer.id, internal.id, draft.id, tip.id
            transaction.commit()
        older_id, newer_id, internal_id, draft_id, tip_id = ids
        client = self.logged_in()
        listed = client.get(self.url('news')).text
        self.assertLess(listed.index(f'knowledge/{newer_id}"'),
            listed.index(f'knowledge/{older_id}"'))
        for hidden in [internal_id, draft_id, tip_id]:
            self.assertNotIn(f'knowledge/{hidden}"', listed)
        home = client.get(self.url()).text
        self.assertIn(f'knowledge/{newer_id}"', home)
        self.assertNotIn(f'knowledge/{internal_id}"', home)
        article = client.get(self.url(f'knowledge/{older_id}')).text
        self.assertIn('datetime="2026-01-05"', article)
        self.assertIn(f'href="{self.url("news")}"', article)
        self.assertEqual(client.get(
                self.url(f'knowledge/{draft_id}')).status_code, 404)

    def test_products_with_own_prices(self):
        "The produce calendar with each customer's own price"
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Category = pool.get('product.category')
            Party = pool.get('party.party')
            PriceList = pool.get('product.price_list')
            Sale = pool.get('sale.sale')
            Season = pool.get('crm.season')
            Template = pool.get('product.template')
            User = pool.get('web.user')
            company = User(self.user_a_id).company
            line, = Sale(self.sale_a_id).lines
            apple = Category(name="苹果")
            apple.save()
            Template.write([line.product.template],
                {'categories': [('add', [apple.id])]})
            Season.create([{'category': apple.id, 'month': str(m),
                        'note': "采收期"} for m in [9, 10, 11]])
            Template.create([{
                        'name': "内部样品", 'type': 'goods',
                        'default_uom': line.product.default_uom.id,
                        'products': [('create', [{}])],
                        }])
            with Transaction().set_context(company=company.id):
                price_list = PriceList(name="烟台果品协议价",
                    company=company, price='list_price',
                    lines=[{'formula': 'unit_price * 0.9'}])
                price_list.save()
                Party.write([Party(self.sale_a_party_id)],
                    {'sale_price_list': price_list.id})
            transaction.commit()
        page = self.logged_in().get(self.url('products')).text
        self.assertIn("苹果", page)
        self.assertEqual(page.count('class="season'), 3)
        self.assertIn("采收期", page)
        self.assertRegex(page, r'7\.65 / kg <span class="own">')
        self.assertNotIn("8.50", page)
        self.assertNotIn("内部样品", page)
        other = self.logged_in('buyer@jiangnan.example').get(
            self.url('products')).text
        self.assertRegex(other, r'8\.50 / kg</td>')
        self.assertNotIn('class="own"', other)

    def test_survey_link_of_the_mail(self):
        "The resolution's survey e-mail opens the survey once, no login"
        ticket_id, send = self.resolved_with_mail('service@yantai.example')
        # to the customer's address (the one an earlier test added may come
        # first)
        (address, text), = [(c.args[1], c.args[3])
            for c in send.call_args_list if '/survey?token=' in c.args[3]]
        self.assertTrue(address.endswith('@yantai.example'), address)
        link = re.search(r'https?://\S+/survey\?token=\S+', text).group(0)
        path = link[link.index(self.url()):]
        client = self.client()
        form = client.get(path)
        self.assertEqual(form.status_code, 200)
        self.assertNotIn(self.url('surveys'), form.text)
        with Transaction().start(DB_NAME, 0):
            Survey = Pool().get('service.survey')
            survey, = Survey.search([('ticket', '=', ticket_id)])
            answers = [a.id for a in survey.answers]
            # staff never read the link's secret over RPC
            with Transaction().set_user(1), check_access():
                self.assertIsNone(Survey.read(
                        [survey.id], ['portal_token'])[0]['portal_token'])
        data = {'csrf': CSRF.search(form.text).group(1)}
        for answer_id in answers:
            data.update({f'expected-{answer_id}': '4',
                    f'perceived-{answer_id}': '5'})
        done = client.post(path, data=data)
        self.assertEqual(done.status_code, 200, done.text)
        self.assertIn('class="notice"', done.text)
        with Transaction().start(DB_NAME, 0):
            Survey = Pool().get('service.survey')
            survey, = Survey.search([('ticket', '=', ticket_id)])
            self.assertEqual(survey.state, 'answered')
            self.assertEqual({a.perceived for a in survey.answers}, {5})
        spent = self.client().get(path)
        self.assertEqual(spent.status_code, 404)
        self.assertNotIn(self.url('reset') + '"', spent.text)
        expired = self.client().get(self.url('survey?token=' + 'a' * 64))
        self.assertEqual(expired.status_code, 404)

    def resolved_with_mail(self, address):
        """A ticket of A resolved while the customer has the e-mail address:
        its id and the mock of the e-mails sent"""
        with Transaction().start(DB_NAME, 0) as transaction:
            Mechanism = Pool().get('party.contact_mechanism')
            email, = Mechanism.create([{'party': self.sale_a_party_id,
                        'type': 'email', 'value': address}])
            email_id = email.id
            transaction.commit()
        try:
            with patch('trytond.modules.crm_fruit_customer.mail.send') as send:
                ticket_id, _, _ = self.staff_thread(resolve=True)
        finally:
            with Transaction().start(DB_NAME, 0) as transaction:
                Mechanism = Pool().get('party.contact_mechanism')
                Mechanism.delete([Mechanism(email_id)])
                transaction.commit()
        return ticket_id, send

    def rating_link(self, address):
        """A ticket of A resolved with the customer's e-mail address: its
        id and the rating link of the resolution's e-mail"""
        ticket_id, send = self.resolved_with_mail(address)
        (subject, text), = [c.args[2:4] for c in send.call_args_list
            if '/rate?token=' in c.args[3]]
        self.assertIn('[#', subject)  # the customer's reply still threads
        link = re.search(r'https?://\S+/rate\?token=\S+', text).group(0)
        return ticket_id, link[link.index(self.url()):]

    def test_rating_link_of_the_mail(self):
        """The resolution's e-mail rates the answer once, without a login;
        a GET changes nothing; staff never read the link's secret"""
        ticket_id, path = self.rating_link('rate@yantai.example')
        client = self.client()
        form = client.get(path)
        self.assertEqual(form.status_code, 200)
        self.assertIn('name="rating"', form.text)
        with Transaction().start(DB_NAME, 0):
            Ticket = Pool().get('service.ticket')
            self.assertIsNone(Ticket(ticket_id).customer_rating)
            with Transaction().set_user(1), check_access():
                self.assertIsNone(Ticket.read(
                        [ticket_id], ['rating_token'])[0]['rating_token'])
                self.assertEqual(Ticket.search(
                        [('rating_token', '!=', None)]), [])
        csrf = CSRF.search(form.text).group(1)
        wrong = client.post(path, data={'csrf': csrf, 'rating': '0'})
        self.assertEqual(wrong.status_code, 400)
        self.assertIn('role="alert"', wrong.text)
        done = client.post(path, data={'csrf': csrf, 'rating': '4',
                'comment': "<b>快</b>"})
        self.assertEqual(done.status_code, 200, done.text)
        self.assertIn('class="notice"', done.text)
        with Transaction().start(DB_NAME, 0):
            Ticket = Pool().get('service.ticket')
            ticket = Ticket(ticket_id)
            self.assertEqual(ticket.customer_rating, '4')
            self.assertEqual(ticket.customer_rating_comment, "<b>快</b>")
            self.assertIsNone(ticket.rating_token)
            self.assertIn('Satisfied', ticket.history[-1].note)
        again = self.client().get(path)
        self.assertEqual(again.status_code, 404)
        guessed = self.client().get(self.url('rate?token=' + 'a' * 64))
        self.assertEqual(guessed.status_code, 404)
        spent_token = path.rsplit('=', 1)[1]
        self.assertEqual(CSRF.sub('', guessed.text),
            CSRF.sub('', again.text).replace(spent_token, 'a' * 64))
        self.assertNotIn("发票抬头", again.text)
        # a spent answer link is no account matter: no password reset offered
        self.assertNotIn(self.url('reset') + '"', again.text)
        self.assertIn("nothing more to do", again.text)

    def test_rating_link_spent(self):
        """The link of a reopened ticket or of one rated in the portal no
        longer rates; an expired one neither"""
        reopened_id, reopened = self.rating_link('re@yantai.example')
        rated_id, rated = self.rating_link('ok@yantai.example')
        expired_id, expired = self.rating_link('old@yantai.example')
        with Transaction().start(DB_NAME, 0) as transaction:
            Ticket = Pool().get('service.ticket')
            Ticket.reopen([Ticket(reopened_id)])
            Ticket.rate([Ticket(rated_id)], '5', '')
            Ticket.write([Ticket(expired_id)], {'rating_token_expire':
                    dt.datetime.now() - dt.timedelta(minutes=1)})
            transaction.commit()
        for path in [reopened, rated, expired]:
            self.assertEqual(self.client().get(path).status_code, 404)

    def test_periodic_survey_link(self):
        """The periodic survey is mailed to the customer's e-mail with its
        link, in the customer's words of a periodic survey"""
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Mechanism = pool.get('party.contact_mechanism')
            Survey = pool.get('service.survey')
            User = pool.get('web.user')
            email, = Mechanism.create([{'party': self.sale_a_party_id,
                        'type': 'email', 'value': 'boss@yantai.example'}])
            company = User(self.user_a_id).company
            with patch('trytond.modules.crm_fruit_customer.mail.send') \
                    as send, Transaction().set_context(company=company.id):
                surveys = Survey.create_periodic()
            transaction.commit()
            survey_ids = [s.id for s in surveys]
            mine, = [s.id for s in surveys
                if s.party.id == self.sale_a_party_id]
        try:
            (address, subject, text), = [c.args[1:4]
                for c in send.call_args_list if c.args[0].id == mine]
            self.assertEqual(address, 'boss@yantai.example')
            self.assertNotIn('request', text)
            link = re.search(r'https?://\S+/survey\?token=\S+', text).group(0)
            form = self.client().get(link[link.index(self.url()):])
            self.assertEqual(form.status_code, 200)
            self.assertIn('name="expected-', form.text)
        finally:
            with Transaction().start(DB_NAME, 0) as transaction:
                pool = Pool()
                Survey = pool.get('service.survey')
                Mechanism = pool.get('party.contact_mechanism')
                Survey.delete(Survey.browse(survey_ids))
                Mechanism.delete([Mechanism(email.id)])
                transaction.commit()

    def test_mailing_lists(self):
        "A customer joins and leaves the lists of his language"
        with Transaction().start(DB_NAME, 0) as transaction:
            Email = Pool().get('marketing.email')
            season, prices, english = create_mailing_lists(
                ("新品与季节通知", 'zh_CN'), ("每周行情", 'zh_CN'),
                ("New season offers", 'en'))
            # another customer's subscription is no business of his
            Email.create([{'email': 'buyer@jiangnan.example',
                        'list_': prices.id}])
            ids = season.id, prices.id, english.id
            transaction.commit()
        season_id, prices_id, english_id = ids
        client = self.logged_in()
        page = client.get(self.url('mailing')).text
        self.assertIn("新品与季节通知", page)
        self.assertNotIn("New season offers", page)
        self.assertNotIn('checked', page)
        token = self.csrf(client, 'mailing')
        for chosen in [[season_id, english_id], []]:
            response = client.post(self.url('mailing'), data={
                    'csrf': token, 'list': [str(i) for i in chosen]})
            self.assertEqual(response.status_code, 303, response.text)
            with Transaction().start(DB_NAME, 0):
                Email = Pool().get('marketing.email')
                with inactive_records():
                    mine = Email.search([
                            ('email', '=', 'buyer@yantai.example')])
                self.assertEqual(
                    [(e.list_.id, e.active) for e in mine],
                    [(season_id, bool(chosen))])
                other, = Email.search([
                        ('email', '=', 'buyer@jiangnan.example')])
                self.assertTrue(other.active)
        refused = client.post(self.url('mailing'), data={'list': season_id})
        self.assertEqual(refused.status_code, 403)
        # in English he sees the English lists and the Chinese one he is on
        client.post(self.url('mailing'), data={
                'csrf': token, 'list': [str(season_id)]})
        with Transaction().start(DB_NAME, 0) as transaction:
            User = Pool().get('web.user')
            User.write([User(self.user_a_id)], {'language': 'en'})
            transaction.commit()
        try:
            page = client.get(self.url('mailing')).text
        finally:
            with Transaction().start(DB_NAME, 0) as transaction:
                User = Pool().get('web.user')
                User.write([User(self.user_a_id)], {'language': 'zh_CN'})
                transaction.commit()
        self.assertIn("New season offers", page)
        self.assertIn("新品与季节通知", page)
        self.assertNotIn("每周行情", page)

    def test_unsubscribe_link(self):
        "The link of a mailing asks, then unsubscribes; one click too"
        with Transaction().start(DB_NAME, 0) as transaction:
            Email = Pool().get('marketing.email')
            email_list, = create_mailing_lists(("樱桃预订提醒", 'zh_CN'))
            first, second = Email.create([
                    {'email': 'buyer@yantai.example', 'list_': email_list.id},
                    {'email': 'buyer@jiangnan.example',
                        'list_': email_list.id}])
            tokens = first.email_token, second.email_token
            transaction.commit()
        client = self.client()
        url = self.url('unsubscribe?token=' + tokens[0])
        asked = client.get(url)
        self.assertEqual(asked.status_code, 200)
        self.assertIn("樱桃预订提醒", asked.text)
        self.assertIn('method="post"', asked.text)
        # RFC 8058: the mail client posts, without the page's form
        done = client.post(url, data={'List-Unsubscribe': 'One-Click'})
        self.assertEqual(done.status_code, 200)
        again = client.post(url, data={'List-Unsubscribe': 'One-Click'})
        self.assertEqual(again.status_code, 200)
        wrong = client.get(self.url('unsubscribe?token=' + 'f' * 64))
        self.assertEqual(wrong.status_code, 404)
        self.assertNotIn(self.url('reset') + '"', wrong.text)
        with Transaction().start(DB_NAME, 0):
            Email = Pool().get('marketing.email')
            with inactive_records():
                first, second = Email.search([
                        ('email_token', 'in', tokens)],
                    order=[('id', 'ASC')])
            self.assertFalse(first.active)
            self.assertTrue(second.active)

    def test_message_board(self):
        "A post is a message-board ticket; the reply shows under it"
        client = self.logged_in()
        page = client.get(self.url('board'))
        submission = re.search(
            r'name="submission" value="([0-9a-f]+)"', page.text).group(1)
        form = {'csrf': CSRF.search(page.text).group(1),
            'submission': submission, 'subject': "希望增加樱桃品种",
            'body': "明年能否供应大樱桃？"}
        self.assertEqual(client.post(
                self.url('board'), data=form).status_code, 303)
        self.assertEqual(client.post(
                self.url('board'), data=form).status_code, 303)
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Ticket = pool.get('service.ticket')
            Message = pool.get('service.ticket.message')
            post, = Ticket.search([('portal_submission', '=', submission)])
            self.assertEqual(post.channel, 'message_board')
            Message.create([{'ticket': post.id, 'kind': 'reply',
                        'body': "明年五月起供应大樱桃。"}])
            transaction.commit()
        text = client.get(self.url('board')).text
        self.assertIn('希望增加樱桃品种', text)
        self.assertIn('明年五月起供应大樱桃。', text)
        other = self.logged_in('buyer@jiangnan.example')
        self.assertNotIn('希望增加樱桃品种',
            other.get(self.url('board')).text)

    def test_survey(self):
        "The customer answers his survey; not the other's"
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Survey = pool.get('service.survey')
            User = pool.get('web.user')
            company = User(self.user_a_id).company
            mine, other = Survey.create([{
                        'company': company.id, 'party': party,
                        'kind': 'periodic'}
                    for party in [self.sale_a_party_id,
                        User(self.user_b_id).party.id]])
            mine_id, other_id = mine.id, other.id
            answers = [a.id for a in mine.answers]
            transaction.commit()
        self.assertEqual(len(answers), 5)
        client = self.logged_in()
        self.assertIn(f'surveys/{mine_id}"',
            client.get(self.url('surveys')).text)
        self.assertEqual(client.get(
                self.url(f'surveys/{other_id}')).status_code, 404)
        token = self.csrf(client, f'surveys/{mine_id}')
        form = {'csrf': token, 'comment': "总体满意"}
        for answer in answers:
            form[f'expected-{answer}'] = '4'
        incomplete = client.post(self.url(f'surveys/{mine_id}'), data=form)
        self.assertEqual(incomplete.status_code, 400)
        for answer in answers:
            form[f'perceived-{answer}'] = '5'
        form[f'perceived-{answers[0]}'] = '3'
        done = client.post(self.url(f'surveys/{mine_id}'), data=form)
        self.assertEqual(done.status_code, 303)
        with Transaction().start(DB_NAME, 0):
            survey = Pool().get('service.survey')(mine_id)
            self.assertEqual(survey.state, 'answered')
            self.assertEqual(survey.comment, "总体满意")
            self.assertEqual(
                sorted(a.index for a in survey.answers),
                [Decimal('0.75')] + [Decimal('1.25')] * 4)
        again = client.post(self.url(f'surveys/{mine_id}'), data=form)
        self.assertEqual(again.status_code, 400)

    @unittest.skipUnless(backend.name == 'sqlite',
        "counted with the SQLite connection's trace")
    def test_queries_per_page(self):
        """A page is whole and costs at most 20 SQL queries (the products
        22 to 26: Tryton's get_parent_language queries ir_lang on each call
        for 'zh', the parent of zh_CN, which has no row to be remembered by,
        and the prices of other tests' products)"""
        self.staff_thread()
        buyer = self.logged_in()
        accountant = self.logged_in('finance@yantai.example')
        with Transaction().start(DB_NAME, 0) as transaction:
            connection = transaction.connection
        statements = []

        def trace(statement):
            if statement.lstrip().split(' ', 1)[0].upper() in {
                    'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'WITH'}:
                statements.append(statement)
        for client, page, most in [
                (buyer, '', 20), (buyer, 'orders', 20),
                (buyer, f'orders/{self.sale_a_id}', 20),
                (buyer, 'tickets', 20), (buyer, 'profile', 20),
                # the produce calendar and the customer's price list add
                # their reads (the prices themselves are kept: products.py)
                (buyer, 'products', 30), (buyer, 'news', 20),
                (buyer, 'mailing', 20),
                (accountant, 'invoices', 20), (accountant, 'statement', 20)]:
            client.get(self.url(page))  # the caches warm
            statements.clear()
            connection.set_trace_callback(trace)
            try:
                response = client.get(self.url(page))
            finally:
                connection.set_trace_callback(None)
            self.assertEqual(response.status_code, 200, page)
            # nothing of a template outside its blocks, before the page
            self.assertTrue(response.text.startswith('<!DOCTYPE html>'), page)
            self.assertLessEqual(len(statements), most, (page, statements))
            self.assertGreater(len(statements), 2, page)

    def test_module_not_activated_elsewhere(self):
        "A page of a database name that does not exist answers 404"
        response = self.client().get('/no_such_database/portal/login')
        self.assertEqual(response.status_code, 404)
