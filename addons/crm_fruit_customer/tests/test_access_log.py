# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
import unittest
from unittest.mock import patch

from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import (
    create_company, create_employee, set_company)
from trytond.modules.crm_fruit_customer.tests.test_module import create_user
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction
from trytond.transaction import Transaction, check_access

TODAY = dt.date(2026, 11, 30)


def _setup():
    "A company, a rep with 60 customers and the CRM manager"
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    Party = pool.get('party.party')

    def group(name, module='crm_fruit_customer'):
        return ModelData.get_id(module, name)

    company = create_company()
    rep_employee = create_employee(company, "Rep")
    manager_employee = create_employee(company, "Manager")
    rep = create_user('rep', [
            group('group_crm_sales_rep'), group('group_sale', 'sale')],
        rep_employee)
    manager = create_user('crm_manager', [
            group('group_crm_manager'), group('group_sale', 'sale')],
        manager_employee)
    customers = Party.create([{
                'name': "Customer %s" % i,
                'sales_rep': rep_employee.id,
                } for i in range(60)])
    return company, rep, manager, customers


def _as(user, company):
    "Act as user through the RPC access path (access rights and rules)"
    transaction = Transaction()
    return _Chain(
        transaction.set_user(user.id),
        transaction.set_context(company=company.id),
        check_access())


class _Chain:
    def __init__(self, *managers):
        self.managers = managers

    def __enter__(self):
        for manager in self.managers:
            manager.__enter__()

    def __exit__(self, *exc):
        for manager in reversed(self.managers):
            manager.__exit__(*exc)


def _today(date):
    Date = Pool().get('ir.date')
    return patch.object(Date, 'today', return_value=date)


def _rows(user):
    "The log rows of user as root: {(party, date): (form, list, exp, rep)}"
    AccessLog = Pool().get('crm.archive.access')
    logs = AccessLog.search([('user', '=', user.id)])
    return {
        (l.party.id, l.date): (l.form_reads, l.list_rows, l.exports, l.reports)
        for l in logs}


class AccessLogTestCase(unittest.TestCase):
    "Test the log of who opened which customer archive"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_customer')

    @with_transaction()
    def test_form_read_logs_one_row_per_day(self):
        "A form read logs one row, counted again the same day, anew the next"
        pool = Pool()
        Party = pool.get('party.party')
        company, rep, _, customers = _setup()
        customer = customers[0]

        with _today(TODAY), _as(rep, company):
            Party.read([customer.id], ['name', 'sales_rep', 'addresses'])
            Party.read([customer.id], ['name', 'sales_rep', 'addresses'])
        self.assertEqual(_rows(rep), {(customer.id, TODAY): (2, 0, 0, 0)})

        tomorrow = TODAY + dt.timedelta(days=1)
        with _today(tomorrow), _as(rep, company):
            Party.read([customer.id], ['name', 'sales_rep'])
        self.assertEqual(_rows(rep), {
                (customer.id, TODAY): (2, 0, 0, 0),
                (customer.id, tomorrow): (1, 0, 0, 0),
                })
        log, = pool.get('crm.archive.access').search([('date', '=', TODAY)])
        self.assertEqual(log.employee, rep.employee)
        self.assertEqual(log.company, company)

    @with_transaction()
    def test_list_page_counts_rows(self):
        "A list page read counts a list row per customer, no form read"
        pool = Pool()
        Party = pool.get('party.party')
        company, rep, _, customers = _setup()

        with _today(TODAY), _as(rep, company):
            Party.search_read(
                [('sales_rep', '!=', None)], limit=10, order=[('id', 'ASC')],
                fields_names=['code', 'name', 'sales_rep.rec_name'])
        self.assertEqual(_rows(rep), {
                (c.id, TODAY): (0, 1, 0, 0) for c in customers[:10]})

    @with_transaction()
    def test_export_logs(self):
        "An export counts one export per exported customer"
        pool = Pool()
        Party = pool.get('party.party')
        company, rep, _, customers = _setup()

        with _today(TODAY), _as(rep, company):
            data = Party.export_data_domain(
                [('sales_rep', '!=', None)], ['name', 'addresses/city'])
        self.assertEqual(len(data), 60)
        self.assertEqual(
            _rows(rep), {(c.id, TODAY): (0, 0, 1, 0) for c in customers})

    @with_transaction()
    def test_report_logs(self):
        "Printing customer labels counts a report per customer"
        pool = Pool()
        Label = pool.get('party.label', type='report')
        company, rep, _, customers = _setup()

        with _today(TODAY), _as(rep, company):
            Label.execute([customers[0].id, customers[1].id], {})
        self.assertEqual(_rows(rep), {
                (c.id, TODAY): (0, 0, 0, 1) for c in customers[:2]})

    @with_transaction()
    def test_internal_reads_not_logged(self):
        "Reads by the code, by root and of names only are not logged"
        pool = Pool()
        Party = pool.get('party.party')
        AccessLog = pool.get('crm.archive.access')
        company, rep, _, customers = _setup()
        customer = customers[0]

        with _today(TODAY):
            # The ORM as the rep without the RPC access check
            with Transaction().set_user(rep.id):
                Party.read([customer.id], ['name', 'sales_rep'])
                Party(customer.id).legal_representative
            # Root through the access path
            with Transaction().set_user(0), check_access():
                Party.read([customer.id], ['name', 'sales_rep'])
                Party.export_data([customer], ['name'])
            # The label of a Many2One
            with _as(rep, company):
                Party.read([customer.id], ['rec_name'])
                Party(customer.id).business_scope
        self.assertEqual(AccessLog.search([]), [])

    @with_transaction()
    def test_rep_has_no_access_to_the_log(self):
        "A rep can neither read nor change the log through RPC"
        pool = Pool()
        Party = pool.get('party.party')
        AccessLog = pool.get('crm.archive.access')
        company, rep, _, customers = _setup()
        with _today(TODAY), _as(rep, company):
            Party.read([customers[0].id], ['name'])
        log, = AccessLog.search([])

        with _as(rep, company):
            with self.assertRaises(AccessError):
                AccessLog.search([])
            with self.assertRaises(AccessError):
                AccessLog.read([log.id], ['party', 'form_reads'])
            with self.assertRaises(AccessError):
                AccessLog.write([log], {'form_reads': 0})
            with self.assertRaises(AccessError):
                AccessLog.delete([log])
            with self.assertRaises(AccessError):
                AccessLog.create([{
                            'user': rep.id, 'party': customers[1].id,
                            'date': TODAY}])
        self.assertEqual(AccessLog(log.id).form_reads, 1)

    @with_transaction()
    def test_manager_reads_the_log_of_the_day(self):
        "The CRM manager reads the log of the day and changes nothing"
        pool = Pool()
        Party = pool.get('party.party')
        AccessLog = pool.get('crm.archive.access')
        company, rep, manager, customers = _setup()
        with _today(TODAY), _as(rep, company):
            Party.read([customers[0].id], ['name'])
            Party.export_data(customers[:2], ['name'])

        with _today(TODAY), _as(manager, company):
            rows = AccessLog.search_read(
                [('date', '=', TODAY), ('user', '=', rep.id)],
                order=[('party', 'ASC')],
                fields_names=[
                    'party.rec_name', 'employee.rec_name', 'form_reads',
                    'exports'])
            with self.assertRaises(AccessError):
                AccessLog.write(AccessLog.browse([rows[0]['id']]), {
                        'exports': 0})
            with self.assertRaises(AccessError):
                AccessLog.delete(AccessLog.browse([rows[0]['id']]))
        self.assertEqual([
                (r['party.']['rec_name'], r['employee.']['rec_name'],
                    r['form_reads'], r['exports']) for r in rows], [
                ("Customer 0", "Rep", 1, 1),
                ("Customer 1", "Rep", 0, 1),
                ])

    def _history(self, user, company, customers, volumes):
        "Log volumes[i] customers read on the days before TODAY"
        AccessLog = Pool().get('crm.archive.access')
        for days, volume in enumerate(reversed(volumes), 1):
            AccessLog._upsert(
                'form_reads', user.id,
                [c.id for c in customers[:volume]],
                TODAY - dt.timedelta(days=days))

    @with_transaction()
    def test_alert_on_ten_times_the_usual(self):
        "A rep reading ten times his usual archives is flagged, not others"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Notification = pool.get('res.notification')
        Party = pool.get('party.party')
        AccessLog = pool.get('crm.archive.access')
        company, rep, manager, customers = _setup()
        usual = [5, 6, 7, 6, 5, 6] * 5
        self._history(rep, company, customers, usual)
        self._history(manager, company, customers, usual)

        with _today(TODAY):
            with _as(rep, company):
                for customer in customers:
                    Party.read([customer.id], ['name', 'sales_rep'])
            with _as(manager, company):
                for customer in customers[:6]:
                    Party.read([customer.id], ['name', 'sales_rep'])
            with set_company(company):
                AccessLog.check_alerts()

        alerts = AccessLog.search([('alert', '=', True)])
        self.assertEqual({(a.user, a.date) for a in alerts}, {(rep, TODAY)})
        self.assertEqual(len(alerts), 60)
        notification, = Notification.search([('user', '=', manager.id)])
        self.assertEqual(
            notification.description,
            "rep opened, exported or printed 60 customer archives on "
            "2026-11-30, usually 5.8 a day.")
        self.assertEqual(notification.action.id, ModelData.get_id(
                'crm_fruit_customer', 'act_archive_access'))

        # The next run of the cron tells nobody twice
        with _today(TODAY):
            AccessLog.check_alerts()
        self.assertEqual(
            Notification.search_count([('user', '=', manager.id)]), 1)

    @with_transaction()
    def test_no_alert_on_a_normal_day(self):
        "A day like the others is not flagged, nor a small jump"
        pool = Pool()
        Party = pool.get('party.party')
        AccessLog = pool.get('crm.archive.access')
        company, rep, _, customers = _setup()
        self._history(rep, company, customers, [5, 6, 7, 6, 5, 6] * 5)

        with _today(TODAY):
            with _as(rep, company):
                for customer in customers[:30]:
                    Party.read([customer.id], ['name'])
            AccessLog.check_alerts([TODAY])
        self.assertEqual(AccessLog.search([('alert', '=', True)]), [])
        self.assertEqual(
            pool.get('res.notification').search_count([]), 0)


class AccessLogReadOnlyTestCase(unittest.TestCase):
    "Test the log written after a read-only transaction"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_customer')

    @with_transaction()
    def test_read_only_read_logged_after_the_transaction(self):
        "A read in a read-only transaction (as the RPC read) is logged"
        pool = Pool()
        Party = pool.get('party.party')
        AccessLog = pool.get('crm.archive.access')
        transaction = Transaction()
        company, rep, _, customers = _setup()
        # The party must exist for the other transaction that logs
        transaction.commit()
        with _today(TODAY), transaction.new_transaction(readonly=True):
            with _as(rep, company):
                Party.read([customers[0].id], ['name'])
            self.assertEqual(AccessLog.search([]), [])
        log, = AccessLog.search([])
        self.assertEqual(
            (log.user, log.party, log.date, log.form_reads),
            (rep, customers[0], TODAY, 1))
