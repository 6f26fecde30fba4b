# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import unittest
from unittest.mock import patch

from trytond.modules.company.tests import (
    create_company, create_employee, set_company)
from trytond.modules.crm_fruit_customer.tests.tools import queued_messages
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    DB_NAME, activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction

PDF = b'%PDF-1.4\n%%EOF\n'


class InboundEmail:
    "Stands for an inbound.email record"

    def __init__(self, **data):
        self.data = data

    def as_dict(self):
        return self.data


def html_part(msg):
    return msg.get_body(('html',)).get_content()


class EmailSetupMixin:

    def _customer(self, name="Xinfadi", email='buyer@xinfadi.example'):
        Party = Pool().get('party.party')
        customer, = Party.create([{
                    'name': name,
                    'contact_mechanisms': [('create', [{
                                    'type': 'email', 'value': email,
                                    }])],
                    }])
        return customer

    def _ticket(self, company, customer, subject="Soft cherries", **values):
        pool = Pool()
        Ticket = pool.get('service.ticket')
        Type = pool.get('service.ticket.type')
        type_, = Type.search([('kind', '=', 'complaint')])
        ticket, = Ticket.create([{
                    'company': company.id,
                    'party': customer.id,
                    'type': type_.id,
                    'subject': subject,
                    **values,
                    }])
        return ticket


class EmailTestCase(EmailSetupMixin, unittest.TestCase):
    "Test the e-mails of the service desk"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_service')

    @with_transaction()
    def test_html_escaped(self):
        "Subject, customer name and reply are escaped in the HTML mail"
        pool = Pool()
        Message = pool.get('service.ticket.message')
        company = create_company()
        with set_company(company):
            customer = self._customer(name='<b onmouseover="x()">Evil</b>')
            ticket = self._ticket(
                company, customer, subject='<script>alert(1)</script>')
            acknowledgement, = queued_messages()
            Message.create([{
                        'ticket': ticket.id, 'kind': 'reply',
                        'body': 'Dear <img src=x onerror=alert(2)>\nbye',
                        }])
            _, reply = queued_messages()
        for msg in [acknowledgement, reply]:
            content = html_part(msg)
            self.assertNotIn('<script>', content)
            self.assertNotIn('<b ', content)
            self.assertIn(
                '<title>We received your request', html_part(acknowledgement))
            self.assertIn('&lt;script&gt;alert(1)&lt;/script&gt;', content)
            self.assertIn('&lt;b onmouseover=', content)
        self.assertIn(
            '&lt;img src=x onerror=alert(2)&gt;<br/>', html_part(reply))
        self.assertNotIn('<img', html_part(reply))
        # The plain text part keeps what the agent typed
        self.assertIn(
            '<img src=x onerror=alert(2)>',
            reply.get_body(('plain',)).get_content())

    @with_transaction()
    def test_subject_newline(self):
        "A subject with a newline is sent on one line and the ticket saved"
        pool = Pool()
        Ticket = pool.get('service.ticket')
        company = create_company()
        with set_company(company):
            self._customer()
            ticket = Ticket.from_inbound_email(InboundEmail(**{
                        'from': 'buyer@xinfadi.example',
                        # As decoded from "=?utf-8?q?Soft_cherries=0D=0ABcc..."
                        'subject': (
                            "Soft cherries\r\nBcc: all@competitor.example"),
                        'text': "Soft on arrival",
                        }), None)
            msg, = queued_messages()
        self.assertEqual(
            ticket.subject, "Soft cherries Bcc: all@competitor.example")
        self.assertNotIn('\n', msg['Subject'])
        self.assertNotIn('\r', msg['Subject'])
        self.assertIn(
            'Soft cherries Bcc: all@competitor.example', msg['Subject'])
        self.assertIsNone(msg['Bcc'])
        self.assertEqual(msg['To'], 'buyer@xinfadi.example')

    @with_transaction()
    def test_invalid_address_noted(self):
        "An invalid customer address sends nothing and is noted on the ticket"
        company = create_company()
        with set_company(company):
            customer = self._customer()
            Mechanism = Pool().get('party.contact_mechanism')
            mechanism, = customer.contact_mechanisms
            # Written as loaded by an import, without validation
            cursor = Transaction().connection.cursor()
            table = Mechanism.__table__()
            cursor.execute(*table.update(
                    [table.value], ['buyer@xinfadi.example\nBcc: x@y.example'],
                    where=table.id == mechanism.id))
            ticket = self._ticket(company, Pool().get('party.party')(
                    customer.id))
            self.assertEqual(queued_messages(), [])
        self.assertIn('not a valid e-mail address', ticket.history[-1].note)

    @with_transaction()
    def test_inbound_wildcard_sender(self):
        "A sender with LIKE wildcards files no ticket for any customer"
        pool = Pool()
        Ticket = pool.get('service.ticket')
        company = create_company()
        with set_company(company):
            self._customer()
            for sender in ['%@%', '%', '_uyer@xinfadi.example',
                    'BUYER@xinfadi.example.evil']:
                with self.subTest(sender=sender):
                    ticket = Ticket.from_inbound_email(InboundEmail(**{
                                'from': sender,
                                'subject': "Send me your price list",
                                'text': "Thanks",
                                }), None)
                    self.assertIsNone(ticket)
            self.assertEqual(Ticket.search([], count=True), 0)
            ticket = Ticket.from_inbound_email(InboundEmail(**{
                        'from': 'Buyer@XINFADI.example',
                        'subject': "Send me your price list",
                        'text': "Thanks",
                        }), None)
            self.assertEqual(ticket.party.name, "Xinfadi")

    @with_transaction()
    def test_inbound_reply_token(self):
        "Only a reply with the ticket's token is added to it and reopens it"
        pool = Pool()
        Ticket = pool.get('service.ticket')
        company = create_company()
        with set_company(company):
            customer = self._customer()
            ticket = self._ticket(
                company, customer, resolution="Replaced the box")
            Ticket.resolve([ticket])
            acknowledgement, resolution = queued_messages()
            token = f'[#{ticket.number}:{ticket.reply_token}]'
            self.assertIn(token, acknowledgement['Subject'])
            self.assertIn(token, resolution['Subject'])

            # The sender of the ticket, the number but no token
            forged = Ticket.from_inbound_email(InboundEmail(**{
                        'from': 'buyer@xinfadi.example',
                        'subject': f"Re: {ticket.number} not solved",
                        'text': "Not solved!",
                        }), None)
            self.assertNotEqual(forged, ticket)
            # A guessed token
            wrong = Ticket.from_inbound_email(InboundEmail(**{
                        'from': 'someone@else.example',
                        'subject': f"Re: [#{ticket.number}:AAAAAAAAAAAAAAA]",
                        'text': "Reopen",
                        }), None)
            self.assertIsNone(wrong)
            ticket = Ticket(ticket.id)
            self.assertEqual(ticket.state, 'resolved')
            self.assertEqual(ticket.messages, ())

            reply = Ticket.from_inbound_email(InboundEmail(**{
                        'from': 'colleague@xinfadi.example',
                        'subject': f"Re: Your request is resolved {token}",
                        'text': "The new box is soft too",
                        'attachments': [
                            {'filename': 'photo.pdf', 'data': PDF},
                            {'filename': 'run.pdf', 'data': b'MZ\x90\x00'},
                            ],
                        }), None)
            self.assertEqual(reply, ticket)
            ticket = Ticket(ticket.id)
            self.assertEqual(ticket.state, 'in_progress')
            message, = ticket.messages
            self.assertEqual(message.body, "The new box is soft too")
            self.assertEqual(
                [a.name for a in message.attachments], ['photo.pdf'])
            # Without the token in the subject of the new ticket
            self.assertEqual(forged.subject, f"Re: {ticket.number} not solved")

    @with_transaction()
    def test_staff_mail_without_token(self):
        "The assignee's e-mail does not carry the customer's reply token"
        pool = Pool()
        Ticket = pool.get('service.ticket')
        company = create_company()
        with set_company(company):
            employee = create_employee(company, "Li Na")
            Party = pool.get('party.party')
            Party.write([employee.party], {
                    'contact_mechanisms': [('create', [{
                                    'type': 'email',
                                    'value': 'lina@goodseason.example',
                                    }])],
                    })
            ticket = self._ticket(
                company, self._customer(), assignee=employee.id)
            Ticket.assign([ticket])
            _, assignment = queued_messages()
        self.assertEqual(assignment['To'], 'lina@goodseason.example')
        self.assertNotIn(ticket.reply_token, assignment.as_string())


def refused(*args, **kwargs):
    raise ConnectionRefusedError(111, 'Connection refused')


class EmailFailureTestCase(EmailSetupMixin, unittest.TestCase):
    "Test that the business action completes when mails cannot be sent"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_service')

    def _commit(self, func):
        "Run func in a committed transaction as admin and return its result"
        with Transaction().start(DB_NAME, 1):
            return func()

    @patch('trytond.sendmail.smtplib.SMTP', side_effect=refused)
    def test_mail_server_down(self, smtp):
        "Save, assign and resolve complete and note the mails not sent"
        def setup():
            pool = Pool()
            company = create_company()
            with set_company(company):
                employee = create_employee(company, "Li Na")
                Party = pool.get('party.party')
                Party.write([employee.party], {
                        'contact_mechanisms': [('create', [{
                                        'type': 'email',
                                        'value': 'lina@goodseason.example',
                                        }])],
                        })
                ticket = self._ticket(
                    company, self._customer(), assignee=employee.id,
                    resolution="New box sent")
                return company.id, ticket.id
        company_id, ticket_id = self._commit(setup)

        def transition(name):
            def run():
                Ticket = Pool().get('service.ticket')
                with Transaction().set_context(company=company_id):
                    getattr(Ticket, name)([Ticket(ticket_id)])
            return run
        self._commit(transition('assign'))
        self._commit(transition('resolve'))

        def check():
            Ticket = Pool().get('service.ticket')
            ticket = Ticket(ticket_id)
            return ticket.state, [h.note for h in ticket.history if h.note]
        state, notes = self._commit(check)
        self.assertTrue(smtp.called)
        self.assertEqual(state, 'resolved')
        self.assertEqual(len(notes), 3, notes)
        self.assertTrue(all('Connection refused' in n for n in notes), notes)
        self.assertIn('buyer@xinfadi.example', notes[0])
        self.assertIn('lina@goodseason.example', notes[1])
        self.assertIn('buyer@xinfadi.example', notes[2])
        self.assertTrue(all('[#' not in n for n in notes), notes)

    @patch('trytond.modules.crm_fruit_customer.mail.retry_later',
        return_value=True)
    def test_mail_sent_again_by_worker(self, retry_later):
        "With a worker, a mail not sent is sent again later by the queue"
        def setup():
            company = create_company()
            with set_company(company):
                ticket = self._ticket(
                    company, self._customer(email='qc@chain.example'),
                    subject="Frozen kiwis")
                return ticket.id

        with patch('trytond.sendmail.smtplib.SMTP', side_effect=refused):
            ticket_id = self._commit(setup)

        def task():
            Queue = Pool().get('ir.queue')
            task, = Queue.search([
                    ('data.method', '=', 'resend_email'),
                    ])
            self.assertEqual(list(task.data['instances']), [ticket_id])
            self.assertGreater(task.scheduled_at, task.enqueued_at)
            return task.id
        task_id = self._commit(task)

        with patch('trytond.sendmail.smtplib.SMTP') as smtp:
            smtp.return_value.send_message.return_value = {}

            def run():
                Queue = Pool().get('ir.queue')
                Queue(task_id).run()
            self._commit(run)
        msg, = [c.args[0] for c in smtp.return_value.send_message.mock_calls
            if c.args]
        self.assertEqual(msg['To'], 'qc@chain.example')
        self.assertIn('Frozen kiwis', msg['Subject'])
