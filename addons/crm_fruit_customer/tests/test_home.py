# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import unittest

from trytond.modules.company.tests import create_company, create_employee
from trytond.modules.crm_fruit_customer.tests.test_module import create_user
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction
from trytond.transaction import Transaction


def action_id(xml_id, module='crm_fruit_customer'):
    "The ir.action id of an action window, as the client runs it"
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    ActWindow = pool.get('ir.action.act_window')
    return ActWindow(ModelData.get_id(module, xml_id)).action.id


def group_id(xml_id, module='crm_fruit_customer'):
    return Pool().get('ir.model.data').get_id(module, xml_id)


def login_actions(user):
    "The actions the client runs when user logs in"
    User = Pool().get('res.user')
    with Transaction().set_user(user.id):
        return User.get_preferences()['actions']


class HomeScreenTestCase(unittest.TestCase):
    "Test that each role lands on its own work at login"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_customer')

    def _user(self, login, *groups):
        "A user of the groups (XML ids, 'module.' prefix for other modules)"
        company = create_company()
        employee = create_employee(company, login)
        ids = [group_id(*reversed(g.split('.'))) for g in groups]
        return create_user(login, ids, employee)

    @with_transaction()
    def test_rep_lands_on_his_visits(self):
        "A new rep opens My Visits at login without any setup"
        rep = self._user('rep', 'group_crm_sales_rep')
        self.assertEqual(login_actions(rep), [action_id('act_visit_my')])

    @with_transaction()
    def test_department_manager_lands_on_his_visits(self):
        manager = self._user('manager', 'group_crm_department_manager')
        self.assertEqual(login_actions(manager), [action_id('act_visit_my')])

    @with_transaction()
    def test_crm_manager_lands_on_customers(self):
        manager = self._user('crm_manager', 'group_crm_manager')
        self.assertEqual(
            login_actions(manager), [action_id('act_customer_form')])

    @with_transaction()
    def test_one_tab_per_home_screen_and_own_actions_last(self):
        "Two groups with the same home open it once; the user's own after"
        User = Pool().get('res.user')
        user = self._user(
            'both', 'group_crm_sales_rep', 'group_crm_department_manager')
        own = action_id('act_customer_form')
        User.write([user], {'actions': [('add', [own])]})
        self.assertEqual(login_actions(user), [action_id('act_visit_my'), own])

    @with_transaction()
    def test_no_home_screen_without_crm_group(self):
        user = self._user('other', 'sale.group_sale')
        self.assertEqual(login_actions(user), [])

    @with_transaction()
    def test_home_screen_is_not_stored_on_the_user(self):
        "The group decides: a rep moved to another group loses his home"
        User = Pool().get('res.user')
        rep = self._user('rep', 'group_crm_sales_rep')
        login_actions(rep)
        self.assertEqual(rep.actions, ())
        User.write([rep], {'groups': [('remove', [group_id(
                            'group_crm_sales_rep')])]})
        self.assertEqual(login_actions(rep), [])
