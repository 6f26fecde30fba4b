# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Service level agreements on a working calendar

The deadline arithmetic is plain Python on naive UTC datetimes (the way
Tryton stores them) so that it can be tested without a database; the models
only feed it with the calendar and the pauses of a ticket.
"""
import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sql import Literal, Table
from sql.functions import CurrentTimestamp

from trytond import backend
from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, MatchMixin, ModelSQL, ModelView, fields,
    sequence_ordered)
from trytond.modules.company.company import TIMEZONES
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .exceptions import CalendarHoursError

UTC = dt.timezone.utc
HORIZON_DAYS = 2 * 366
MIDNIGHT = dt.time(0)

# the tables of the models replaced by crm.holiday
CALENDAR_DAY_TABLE = 'service_calendar_day'
CARE_HOLIDAY_TABLE = 'service_care_holiday'

PRIORITIES = [
    ('0', "Low"),
    ('1', "Normal"),
    ('2', "High"),
    ('3', "Urgent"),
    ]


@dataclass(frozen=True)
class WorkingCalendar:
    """Weekly working hours in a timezone with exceptional days

    hours maps a weekday (Monday is 0) to a tuple of (start, end) local
    times (an end at 00:00 is midnight); holidays are dates without work;
    workdays are dates worked although their weekday is not (the make-up
    days of Chinese holidays) which follow the hours of Monday.
    """
    timezone: str = 'Asia/Shanghai'
    hours: dict = field(default_factory=dict)
    holidays: frozenset = frozenset()
    workdays: frozenset = frozenset()

    def day_hours(self, date):
        if date in self.holidays:
            return ()
        if date in self.workdays:
            return self.hours.get(date.weekday()) or self.hours.get(0, ())
        return self.hours.get(date.weekday(), ())

    def intervals(self, start):
        "Yield the working (begin, end) in naive UTC that end after start"
        tz = ZoneInfo(self.timezone)
        day = start.replace(tzinfo=UTC).astimezone(tz).date()
        for _ in range(HORIZON_DAYS):
            for begin, end in self.day_hours(day):
                begin = _to_utc(dt.datetime.combine(day, begin, tz))
                end = _to_utc(dt.datetime.combine(
                        day + dt.timedelta(days=end == MIDNIGHT), end, tz))
                if end > start:
                    yield max(begin, start), end
            day += dt.timedelta(days=1)


def _to_utc(value):
    return value.astimezone(UTC).replace(tzinfo=None)


def _subtract(intervals, pauses):
    "Remove the pauses (begin, end or None when open) from the intervals"
    for begin, end in intervals:
        pieces = [(begin, end)]
        for pause_begin, pause_end in pauses:
            remaining = []
            for x, y in pieces:
                if pause_begin >= y or (
                        pause_end is not None and pause_end <= x):
                    remaining.append((x, y))
                    continue
                if x < pause_begin:
                    remaining.append((x, pause_begin))
                if pause_end is not None and pause_end < y:
                    remaining.append((pause_end, y))
            pieces = remaining
        yield from pieces


def merge_into_holidays(rows):
    """Insert the (date, name, kind, festival) rows into crm.holiday

    One entry per date: the first row of a new date gives its name; a
    holiday replaces a working day; a festival fills an empty one."""
    pool = Pool()
    Holiday = pool.get('crm.holiday')
    holiday = Holiday.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*holiday.select(
            holiday.date, holiday.id, holiday.kind, holiday.festival))
    known = {d: [i, k, f] for d, i, k, f in cursor.fetchall()}
    for date, name, kind, festival in rows:
        date = _as_date(date)
        if date not in known:
            cursor.execute(*holiday.insert(
                    [holiday.date, holiday.name, holiday.kind,
                        holiday.festival, holiday.create_uid,
                        holiday.create_date],
                    [[date, name or date.isoformat(), kind, festival,
                            Literal(0), CurrentTimestamp()]]))
            known[date] = [None, kind, festival]
            continue
        entry = known[date]
        values = {}
        if kind == 'holiday' and entry[1] != 'holiday':
            values['kind'] = entry[1] = 'holiday'
        if festival and not entry[2]:
            values['festival'] = entry[2] = festival
        if values:
            cursor.execute(*holiday.update(
                    [getattr(holiday, c) for c in values],
                    list(values.values()),
                    where=holiday.date == date))
    Holiday._exceptional_days_cache.clear()


def _as_date(value):
    "SQLite returns dates as text"
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def compute_deadline(start, duration, calendar, pauses=()):
    """Return when duration of working time has elapsed since start

    Time outside the calendar and inside the pauses does not count. Return
    None when the deadline cannot be reached (open pause, no working hours).
    """
    if duration <= dt.timedelta(0):
        return start
    remaining = duration
    for begin, end in _subtract(calendar.intervals(start), pauses):
        if end - begin >= remaining:
            return begin + remaining
        remaining -= end - begin
    return None


def working_time(start, end, calendar, pauses=()):
    "Return the working time elapsed between start and end"
    total = dt.timedelta(0)
    if end <= start:
        return total
    for begin, stop in _subtract(calendar.intervals(start), pauses):
        if begin >= end:
            break
        total += min(stop, end) - begin
    return total


class Calendar(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'service.calendar'

    name = fields.Char("Name", required=True, translate=True)
    company = fields.Many2One(
        'company.company', "Company",
        help="Leave empty to share the calendar between companies.")
    timezone = fields.Selection(
        TIMEZONES, "Timezone", required=True, translate=False,
        help="The timezone of the working hours.")
    hours = fields.One2Many('service.calendar.hours', 'calendar', "Hours")
    observe_holidays = fields.Boolean(
        "Observe Holidays",
        help="Stop on the public holidays and work on the weekend days "
        "worked instead, as entered in the holidays of the CRM.\n"
        "Clear it for a calendar that runs through holidays "
        "(a 24/7 hotline).")

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        if backend.TableHandler.table_exist(CALENDAR_DAY_TABLE):
            cls._migrate_calendar_days()

    @classmethod
    def _migrate_calendar_days(cls):
        """Move the days of each calendar into crm.holiday

        A date that is a holiday in one calendar and a working day in
        another stays a holiday. A calendar that had no day observed no
        holiday."""
        cursor = Transaction().connection.cursor()
        day = Table(CALENDAR_DAY_TABLE)
        cursor.execute(*day.select(
                day.date, day.name, day.kind,
                order_by=[day.date, day.kind]))
        merge_into_holidays(
            (d, n, k, None) for d, n, k in cursor.fetchall())
        calendar = cls.__table__()
        cursor.execute(*calendar.update(
                [calendar.observe_holidays], [False],
                where=~calendar.id.in_(day.select(day.calendar))))
        backend.TableHandler.drop_table(
            'service.calendar.day', CALENDAR_DAY_TABLE)

    @classmethod
    def default_observe_holidays(cls):
        return True

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_timezone(cls):
        pool = Pool()
        Company = pool.get('company.company')
        company_id = Transaction().context.get('company')
        if company_id is not None and company_id >= 0:
            timezone = Company(company_id).timezone
            if timezone:
                return timezone
        return 'Asia/Shanghai'

    def get_working_calendar(self):
        Holiday = Pool().get('crm.holiday')
        hours = {}
        for line in sorted(self.hours, key=lambda l: l.start):
            hours.setdefault(int(line.weekday), []).append(
                (line.start, line.end))
        holidays = workdays = frozenset()
        if self.observe_holidays:
            holidays, workdays = Holiday.exceptional_days()
        return WorkingCalendar(
            timezone=self.timezone,
            hours={k: tuple(v) for k, v in hours.items()},
            holidays=holidays, workdays=workdays)


class CalendarHours(ModelSQL, ModelView):
    __name__ = 'service.calendar.hours'

    calendar = fields.Many2One(
        'service.calendar', "Calendar", required=True, ondelete='CASCADE')
    weekday = fields.Selection([
            ('0', "Monday"),
            ('1', "Tuesday"),
            ('2', "Wednesday"),
            ('3', "Thursday"),
            ('4', "Friday"),
            ('5', "Saturday"),
            ('6', "Sunday"),
            ], "Weekday", required=True, sort=False)
    start = fields.Time("Start", required=True)
    end = fields.Time(
        "End", required=True, help="00:00 is the midnight ending the day.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('calendar')
        cls._order = [('weekday', 'ASC'), ('start', 'ASC'), ('id', 'ASC')]

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        for line in lines:
            if line.end <= line.start and line.end != MIDNIGHT:
                raise CalendarHoursError(gettext(
                        'crm_fruit_service.msg_calendar_hours_order',
                        calendar=line.calendar.rec_name))


class SLA(
        sequence_ordered(), DeactivableMixin, MatchMixin, ModelSQL,
        ModelView):
    __name__ = 'service.sla'
    _find_cache = Cache('service.sla.find')

    company = fields.Many2One(
        'company.company', "Company",
        help="Leave empty to apply to every company.")
    type = fields.Many2One(
        'service.ticket.type', "Type",
        help="Leave empty to apply to every type.")
    priority = fields.Selection(
        [(None, "")] + PRIORITIES, "Priority",
        help="Leave empty to apply to every priority.")
    priority_string = priority.translated('priority')
    calendar = fields.Many2One(
        'service.calendar', "Calendar", required=True,
        domain=[If(Eval('company'),
                ('company', 'in', [None, Eval('company', -1)]), ())])
    first_response_time = fields.TimeDelta(
        "First Response Time", required=True,
        help="The working time to give the customer a first answer.")
    resolution_time = fields.TimeDelta(
        "Resolution Time", required=True,
        help="The working time to resolve the ticket.")
    at_risk = fields.Float(
        "At Risk", digits=(1, 2), required=True,
        domain=[('at_risk', '>', 0), ('at_risk', '<', 1)],
        help="The share of the target after which the ticket is at risk.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_at_risk(cls):
        return 0.75

    def get_rec_name(self, name):
        names = [self.type.rec_name if self.type else '*']
        if self.priority:
            names.append(self.priority_string)
        return ' / '.join(names)

    @classmethod
    def on_modification(cls, mode, slas, field_names=None):
        super().on_modification(mode, slas, field_names=field_names)
        cls._find_cache.clear()

    @classmethod
    def find(cls, ticket):
        """Return the first active SLA that matches the ticket's company,
        type and priority (empty matches all)

        The SLAs are searched once per pattern, not at each ticket change."""
        pattern = {
            'company': ticket.company.id,
            'type': ticket.type.id if ticket.type else None,
            'priority': ticket.priority,
            }
        key = tuple(sorted(pattern.items()))
        sla_id = cls._find_cache.get(key)
        if sla_id is None:
            slas = cls.search([('company', 'in', [None, ticket.company.id])])
            sla_id = next((s.id for s in slas if s.match(pattern)), -1)
            cls._find_cache.set(key, sla_id)
        return cls(sla_id) if sla_id >= 0 else None
