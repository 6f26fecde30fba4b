# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import unittest

from trytond.modules.company.tests import create_company, create_employee
from trytond.modules.crm_fruit_customer.tests.test_home import (
    action_id, group_id, login_actions)
from trytond.modules.crm_fruit_customer.tests.test_module import create_user
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction


class HomeScreenTestCase(unittest.TestCase):
    "Test that the service desk lands on its open tickets at login"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_service')

    @with_transaction()
    def test_agent_lands_on_tickets(self):
        "The agent (also analyst in the demo) opens the tickets, mine first"
        company = create_company()
        employee = create_employee(company, "Agent")
        agent = create_user('agent', [
                group_id('group_service_agent', 'crm_fruit_service'),
                group_id('group_crm_analyst')], employee)
        self.assertEqual(login_actions(agent),
            [action_id('act_ticket_form', 'crm_fruit_service')])

    @with_transaction()
    def test_service_manager_lands_on_tickets(self):
        company = create_company()
        employee = create_employee(company, "Service Manager")
        manager = create_user('service_manager', [
                group_id('group_service_manager', 'crm_fruit_service')],
            employee)
        self.assertEqual(login_actions(manager),
            [action_id('act_ticket_form', 'crm_fruit_service')])
