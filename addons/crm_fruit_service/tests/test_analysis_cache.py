# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
import unittest
from unittest.mock import patch

from trytond import backend
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.crm_fruit_service.analysis_cache import (
    clear_analysis_rows)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction
from trytond.transaction import Transaction

BACKLOG_FIELDS = ['company', 'team', 'department', 'type', 'tickets',
    'age_1', 'age_3', 'age_7', 'age_older', 'waiting', 'breached', 'oldest']
ON_POSTGRESQL = backend.name == 'postgresql'
ROWS_LIMIT = 'trytond.modules.crm_fruit_service.analysis_cache.ROWS_LIMIT'


class AnalysisCacheTestCase(unittest.TestCase):
    "Test the analyses keeping their grouped rows for the client's calls"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_service')

    def _tickets(self, company, kinds_hours):
        pool = Pool()
        Party = pool.get('party.party')
        Type = pool.get('service.ticket.type')
        Ticket = pool.get('service.ticket')
        party, = Party.create([{'name': "寿光批发市场"}])
        types = {}
        for kind, _ in kinds_hours:
            if kind not in types:
                types[kind], = Type.search([('kind', '=', kind)], limit=1)
        now = dt.datetime.now()
        return Ticket.create([{
                    'company': company.id,
                    'party': party.id,
                    'type': types[kind].id,
                    'subject': kind,
                    'date': now - dt.timedelta(hours=hours),
                    } for kind, hours in kinds_hours])

    def _read_grouped_again(self, Model, ids, names):
        "Read the rows grouped anew, as without the kept rows"
        clear_analysis_rows()
        with patch(ROWS_LIMIT, -1):
            rows = Model.read(ids, names)
            self.assertFalse(self._is_kept(Model))
        return {r['id']: r for r in rows}

    def _is_kept(self, Model):
        return 'VALUES' in str(Model.__table__())

    @with_transaction()
    def test_page_read_from_kept_rows(self):
        "A page searched then read shows the rows grouped by the search"
        pool = Pool()
        Backlog = pool.get('service.ticket.backlog')
        company = create_company()
        with set_company(company):
            self._tickets(company, [
                    ('complaint', 2), ('complaint', 30), ('inquiry', 200)])
            ids = [r.id for r in Backlog.search([])]
            self.assertEqual(self._is_kept(Backlog), ON_POSTGRESQL)
            rows = Backlog.read(ids, BACKLOG_FIELDS)
            self.assertEqual(Backlog.search_count([]), 2)
            expected = self._read_grouped_again(
                Backlog, ids, BACKLOG_FIELDS)

        self.assertEqual(len(rows), 2)
        for row in rows:
            for name in BACKLOG_FIELDS:
                self.assertEqual(
                    row[name], expected[row['id']][name], msg=name)
        complaints, = [r for r in rows if r['tickets'] == 2]
        self.assertIsInstance(complaints['oldest'], dt.datetime)
        self.assertEqual((complaints['age_1'], complaints['age_3']), (1, 1))

    @with_transaction()
    def test_client_calls_group_once(self):
        "The web client's search, count and read of a page group once"
        pool = Pool()
        SLA = pool.get('service.ticket.sla_compliance')
        company = create_company()
        with set_company(company):
            self._tickets(company, [('complaint', 2), ('inquiry', 5)])
            fetch = SLA._analysis_fetch
            with patch.object(SLA, '_analysis_fetch', wraps=fetch) as grouped:
                # The client adds context_model to the search and the count
                # but not to the read
                with Transaction().set_context(
                        context_model='service.ticket.reporting.context'):
                    ids = [r.id for r in SLA.search([])]
                    SLA.search_count([])
                SLA.read(ids, ['tickets', 'response_met', 'response_rate'])
        self.assertEqual(grouped.call_count, 1 if ON_POSTGRESQL else 0)

    @with_transaction()
    def test_ticket_change_seen_at_once(self):
        "A new or changed ticket shows in the next search"
        pool = Pool()
        Ticket = pool.get('service.ticket')
        Backlog = pool.get('service.ticket.backlog')
        company = create_company()
        with set_company(company):
            ticket, = self._tickets(company, [('complaint', 2)])
            row, = Backlog.search([])
            self.assertEqual(row.tickets, 1)

            self._tickets(company, [('complaint', 5)])
            row, = Backlog.search([])
            self.assertEqual(row.tickets, 2)

            Ticket.write([ticket], {'state': 'closed'})
            row, = Backlog.search([])
            self.assertEqual(row.tickets, 1)

    @with_transaction()
    def test_context_keeps_rows_apart(self):
        "Each period of the context has its own rows"
        pool = Pool()
        Rate = pool.get('service.feedback.rate')
        company = create_company()
        with set_company(company):
            self._tickets(company, [('complaint', 2), ('praise', 24 * 40)])
            today = dt.date.today()
            figures = {}
            # Read in the context: both rows have the same id and the
            # transaction's record cache does not key on the period
            for days in [7, 90]:
                with Transaction().set_context(
                        from_date=today - dt.timedelta(days=days)):
                    row, = Rate.search([])
                    figures[days] = (
                        row.feedback, row.praise, row.complaint_rate)
            with Transaction().set_context(
                    from_date=today + dt.timedelta(days=1)):
                self.assertEqual(Rate.search([]), [])
                self.assertEqual(Rate.search_count([]), 0)

        self.assertEqual(figures[7], (1, 0, 1))
        self.assertEqual(figures[90], (2, 1, 0.5))

    @with_transaction()
    def test_many_groups_grouped_again(self):
        "Beyond the limit the rows are not kept but still right"
        pool = Pool()
        Backlog = pool.get('service.ticket.backlog')
        company = create_company()
        with set_company(company), patch(ROWS_LIMIT, 1):
            self._tickets(company, [('complaint', 2), ('inquiry', 2)])
            rows = Backlog.search([])
            self.assertFalse(self._is_kept(Backlog))
        self.assertEqual(sorted(r.tickets for r in rows), [1, 1])

