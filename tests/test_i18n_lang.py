# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Dates, numbers and yuan are written the way they are in mainland China."""
import datetime as dt
import unittest
from decimal import Decimal
from pathlib import Path

import pytest
from trytond.modules import get_modules
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction

ROOT = Path(__file__).resolve().parent.parent
OURS = sorted(m for m in get_modules() if m.startswith('crm_fruit_'))

pytestmark = pytest.mark.backend_independent


class ChineseLanguageTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(OURS, lang='zh_CN')

    def lang(self):
        Lang = Pool().get('ir.lang')
        lang, = Lang.search([('code', '=', 'zh_CN')])
        return lang

    def yuan(self):
        Currency = Pool().get('currency.currency')
        currency, = Currency.search([('code', '=', 'CNY')]) or Currency.create(
            [{'name': "人民币", 'code': 'CNY', 'symbol': '¥',
                    'rounding': Decimal('0.01'), 'digits': 2}])
        return currency

    @with_transaction()
    def test_lang_is_loaded_and_translatable(self):
        lang = self.lang()
        self.assertTrue(lang.translatable)
        self.assertEqual(lang.direction, 'ltr')

    @with_transaction()
    def test_dates(self):
        lang = self.lang()
        date = dt.date(2026, 11, 23)
        self.assertEqual(lang.strftime(date), '2026-11-23')
        self.assertEqual(lang.strftime(date, '%Y年%m月%d日'), '2026年11月23日')
        self.assertEqual(
            lang.strftime(dt.datetime(2026, 11, 23, 15, 5), '%p %I:%M')
            .replace('\xa0', ' '),
            '下午 03:05')

    @with_transaction()
    def test_numbers(self):
        lang = self.lang()
        self.assertEqual(
            lang.format('%.2f', 1234567.891, grouping=True), '1,234,567.89')
        self.assertEqual(lang.format('%d', -1234567, grouping=True),
            '-1,234,567')

    @with_transaction()
    def test_yuan(self):
        lang, yuan = self.lang(), self.yuan()
        self.assertEqual(
            lang.currency(Decimal('1234567.8'), yuan, grouping=True),
            '¥1,234,567.80')
        self.assertEqual(
            lang.currency(Decimal('-1234.5'), yuan, grouping=True),
            '-¥1,234.50')

    def test_web_client_week_starts_monday(self):
        "sao asks moment for 'zh'; custom.js makes it zh-cn (Monday first)"
        custom = (ROOT / 'sao' / 'custom.js').read_text(encoding='utf-8')
        self.assertIn("moment.defineLocale('zh', {parentLocale: 'zh-cn'})",
            custom)
        self.assertIn('custom.js', (ROOT / 'Makefile').read_text())

    @with_transaction()
    def test_produce_calendar_in_both_languages(self):
        "The calendar a manager loads is named in every translatable language"
        from trytond.transaction import Transaction
        pool = Pool()
        Load = pool.get('crm.season.calendar.load', type='wizard')
        Category = pool.get('product.category')
        Season = pool.get('crm.season')
        apples = Load.load_calendar()['apple']
        with Transaction().set_context(language='zh_CN'):
            self.assertEqual(Category(apples.id).name, '苹果')
            notes = {s.note for s in Season.search(
                    [('category', '=', apples.id)])}
            self.assertEqual(notes, {'采收期', '采收期，开始入库'})
        with Transaction().set_context(language='en'):
            self.assertEqual(Category(apples.id).name, 'Apples')
