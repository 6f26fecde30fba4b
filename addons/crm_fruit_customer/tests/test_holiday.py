# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
import unittest

from trytond.model.exceptions import SQLConstraintError
from trytond.modules.crm_fruit_customer.exceptions import (
    HolidayFestivalError)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction


class HolidayTestCase(unittest.TestCase):
    "Test the holidays and the weekend days worked instead"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_customer')

    @with_transaction()
    def test_one_entry_per_date(self):
        "A date is entered once, as a holiday or as a working day"
        pool = Pool()
        Holiday = pool.get('crm.holiday')
        Holiday.create([{'date': dt.date(2040, 1, 1), 'name': "New Year"}])
        with self.assertRaises(SQLConstraintError):
            Holiday.create([{
                        'date': dt.date(2040, 1, 1), 'name': "Worked",
                        'kind': 'workday'}])

    @with_transaction()
    def test_workday_without_festival(self):
        "A worked weekend day is no festival"
        pool = Pool()
        Holiday = pool.get('crm.holiday')
        with self.assertRaises(HolidayFestivalError):
            Holiday.create([{
                        'date': dt.date(2040, 2, 4), 'name': "Worked",
                        'kind': 'workday', 'festival': 'spring_festival'}])

    @with_transaction()
    def test_dates_are_holidays_only(self):
        "The dates without work leave out the weekend days worked"
        pool = Pool()
        Holiday = pool.get('crm.holiday')
        Holiday.create([
                {'date': dt.date(2040, 10, 1), 'name': "National Day",
                    'festival': 'national_day'},
                {'date': dt.date(2040, 10, 6), 'name': "Worked",
                    'kind': 'workday'},
                ])
        self.assertEqual(
            Holiday.dates(dt.date(2040, 9, 1), dt.date(2040, 10, 31)),
            {dt.date(2040, 10, 1)})

    @with_transaction()
    def test_exceptional_days_follow_changes(self):
        "The kept holidays and working days are forgotten at each change"
        pool = Pool()
        Holiday = pool.get('crm.holiday')
        day = dt.date(2040, 5, 1)
        self.assertNotIn(day, Holiday.exceptional_days()[0])
        holiday, = Holiday.create([{'date': day, 'name': "Labour Day"}])
        self.assertIn(day, Holiday.exceptional_days()[0])
        Holiday.write([holiday], {'kind': 'workday'})
        holidays, workdays = Holiday.exceptional_days()
        self.assertNotIn(day, holidays)
        self.assertIn(day, workdays)
        Holiday.delete([holiday])
        self.assertNotIn(day, Holiday.exceptional_days()[1])

    @with_transaction()
    def test_festival_days_installed(self):
        "The module installs the festival days the care rules look for"
        pool = Pool()
        Holiday = pool.get('crm.holiday')
        self.assertEqual(
            [h.date for h in Holiday.search([
                        ('festival', '=', 'spring_festival'),
                        ], order=[('date', 'ASC')])],
            [dt.date(2025, 1, 29), dt.date(2026, 2, 17),
                dt.date(2027, 2, 6), dt.date(2028, 1, 26),
                dt.date(2029, 2, 13), dt.date(2030, 2, 3)])

