# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from decimal import Decimal

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import StateAction, StateTransition, Wizard

# The produce seasons around Longkou, Shandong (mission brief, section A):
# the visit frequency of a customer goes up in the months his main products
# are harvested.  Category and note texts are messages so that every
# translatable language gets its own names.
LONGKOU_CALENDAR = [
    ('apple', [(9, '2', 'harvest'), (10, '2', 'harvest'),
            (11, '2', 'harvest_storage')]),
    ('pear', [(8, '2', 'harvest'), (9, '2', 'harvest'),
            (10, '2', 'harvest')]),
    ('cherry', [(5, '3', 'short_harvest'), (6, '3', 'short_harvest')]),
    ('grape', [(8, '2', 'harvest'), (9, '2', 'harvest')]),
    ('kiwifruit', [(9, '2', 'harvest'), (10, '2', 'harvest')]),
    ('garlic', [(6, '2', 'new_garlic'), (7, '2', 'new_garlic')]),
    ('ginger', [(10, '2', 'harvest'), (11, '2', 'harvest')]),
    ('scallion', [(10, '1.5', 'harvest'), (11, '1.5', 'harvest')]),
    ('cabbage', [(11, '2', 'harvest'), (12, '2', 'winter_storage')]),
    ]


def _text(kind, key, language):
    with Transaction().set_context(language=language):
        return gettext(f'crm_fruit_customer.msg_calendar_{kind}_{key}')


class SeasonCalendarLoad(Wizard):
    __name__ = 'crm.season.calendar.load'
    start_state = 'load'
    load = StateTransition()
    open_ = StateAction('crm_fruit_customer.act_season_form')

    def transition_load(self):
        self.load_calendar()
        return 'open_'

    def do_open_(self, action):
        return action, {}

    @classmethod
    def load_calendar(cls):
        """Create the missing produce categories and season entries

        Returns the product category of each calendar key.  Categories are
        matched on their English name and entries on their month, so loading
        twice or after editing changes nothing already there."""
        categories = {}
        languages = cls._languages()
        # The wizard is granted to CRM managers only; the product categories
        # it creates belong to the product administrators' model.
        with without_check_access():
            for key, months in LONGKOU_CALENDAR:
                category = cls._category(key, languages)
                cls._add_seasons(category, months, languages)
                categories[key] = category
        return categories

    @classmethod
    def _languages(cls):
        Lang = Pool().get('ir.lang')
        return [l.code for l in Lang.search([('translatable', '=', True)])]

    @classmethod
    def _category(cls, key, languages):
        Category = Pool().get('product.category')
        name = _text('category', key, 'en')
        with Transaction().set_context(language='en'):
            categories = Category.search([
                    ('name', '=', name),
                    ('parent', '=', None),
                    ], limit=1)
            if categories:
                return categories[0]
            category, = Category.create([{'name': name}])
        for language in languages:
            with Transaction().set_context(language=language):
                Category.write([Category(category.id)], {
                        'name': _text('category', key, language),
                        })
        return category

    @classmethod
    def _add_seasons(cls, category, months, languages):
        Season = Pool().get('crm.season')
        existing = {s.month for s in Season.search([
                    ('category', '=', category.id),
                    ])}
        missing = [(m, f, n) for m, f, n in months if str(m) not in existing]
        if not missing:
            return
        with Transaction().set_context(language='en'):
            seasons = Season.create([{
                        'category': category.id,
                        'month': str(month),
                        'multiplier': Decimal(factor),
                        'note': _text('note', note, 'en'),
                        } for month, factor, note in missing])
        for language in languages:
            with Transaction().set_context(language=language):
                for season, (_, _, note) in zip(seasons, missing):
                    Season.write([Season(season.id)], {
                            'note': _text('note', note, language),
                            })
