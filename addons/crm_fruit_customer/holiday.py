# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pyson import Eval
from trytond.transaction import without_check_access

from .exceptions import HolidayFestivalError

FESTIVALS = [
    (None, ""),
    ('spring_festival', "Spring Festival"),
    ('mid_autumn', "Mid-Autumn Festival"),
    ('national_day', "National Day"),
    ('other', "Other"),
    ]


class Holiday(ModelSQL, ModelView):
    """A public holiday or a weekend day worked instead (调休)

    Visits, SLA calendars and care rules read the same dates."""
    __name__ = 'crm.holiday'
    __string__ = "Holiday"
    _exceptional_days_cache = Cache(
        'crm.holiday.exceptional_days', context=False)

    date = fields.Date("Date", required=True)
    name = fields.Char("Name", required=True, translate=True)
    kind = fields.Selection([
            ('holiday', "Holiday"),
            ('workday', "Working Day"),
            ], "Kind", required=True,
        help="A working day is a weekend day worked instead of a holiday; "
        "it follows the hours of Monday.")
    festival = fields.Selection(
        FESTIVALS, "Festival",
        states={
            'invisible': Eval('kind') != 'holiday',
            },
        help="The day of the festival itself, for the care rules "
        "before holidays.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('date_unique', Unique(t, t.date),
                'crm_fruit_customer.msg_holiday_date_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.date, Index.Range())))
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_kind(cls):
        return 'holiday'

    @classmethod
    def validate_fields(cls, holidays, field_names):
        super().validate_fields(holidays, field_names)
        if field_names & {'kind', 'festival'}:
            for holiday in holidays:
                holiday.check_festival()

    def check_festival(self):
        if self.kind == 'workday' and self.festival:
            raise HolidayFestivalError(gettext(
                    'crm_fruit_customer.msg_holiday_workday_festival',
                    holiday=self.rec_name))

    @classmethod
    def on_modification(cls, mode, holidays, field_names=None):
        super().on_modification(mode, holidays, field_names=field_names)
        cls._exceptional_days_cache.clear()

    @classmethod
    def dates(cls, start, end):
        "Return the dates without work between start and end"
        holidays = cls.search([
                ('date', '>=', start),
                ('date', '<=', end),
                ('kind', '=', 'holiday'),
                ])
        return {h.date for h in holidays}

    @classmethod
    def exceptional_days(cls):
        "Return the frozensets of all holidays and of all worked weekend days"
        days = cls._exceptional_days_cache.get('days')
        if days is None:
            days = {'holiday': [], 'workday': []}
            # public dates: whoever's ticket needs its deadline
            with without_check_access():
                holidays = cls.search([])
            for holiday in holidays:
                days[holiday.kind].append(holiday.date)
            cls._exceptional_days_cache.set('days', days)
        return frozenset(days['holiday']), frozenset(days['workday'])
