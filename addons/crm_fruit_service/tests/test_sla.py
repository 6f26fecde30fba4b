# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""SLA deadlines against a minute-stepping reference implementation"""
import datetime as dt
import os
import time
import unittest
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trytond.modules.crm_fruit_service.sla import (
    WorkingCalendar, compute_deadline, working_time)

UTC = dt.timezone.utc
MINUTE = dt.timedelta(minutes=1)
MIDNIGHT = dt.time(0)
# Zones with and without DST, with a half and a quarter hour offset; their
# transitions happen at night, outside of the generated working hours.
TIMEZONES = [
    'Asia/Shanghai', 'UTC', 'Europe/Berlin', 'America/New_York',
    'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Sydney',
    ]
SHANGHAI_OFFICE = WorkingCalendar(
    timezone='Asia/Shanghai',
    hours={d: ((dt.time(8, 30), dt.time(12)), (dt.time(13), dt.time(17, 30)))
        for d in range(5)},
    holidays=frozenset(
        dt.date(2026, 10, 1) + dt.timedelta(days=i) for i in range(9)),
    workdays=frozenset([dt.date(2026, 10, 10)]))


def is_working(minute, calendar, pauses):
    for begin, end in pauses:
        if begin <= minute and (end is None or minute < end):
            return False
    local = minute.replace(tzinfo=UTC).astimezone(ZoneInfo(calendar.timezone))
    return any(
        begin <= local.time() and (local.time() < end or end == MIDNIGHT)
        for begin, end in calendar.day_hours(local.date()))


def reference_deadline(start, minutes, calendar, pauses):
    "Step minute after minute and count the working ones"
    moment, counted = start, 0
    while counted < minutes:
        if is_working(moment, calendar, pauses):
            counted += 1
        moment += MINUTE
    return moment


def reference_working_time(start, end, calendar, pauses):
    minutes, moment = 0, start
    while moment < end:
        minutes += is_working(moment, calendar, pauses)
        moment += MINUTE
    return dt.timedelta(minutes=minutes)


@st.composite
def day_hours(draw):
    "Up to two ordered intervals of whole quarters between 06:00 and 22:00"
    quarters = sorted(draw(st.lists(
                st.integers(6 * 4, 22 * 4), min_size=0, max_size=4,
                unique=True)))
    if len(quarters) % 2:
        quarters.pop()
    hours = [
        (dt.time(*divmod(b * 15, 60)), dt.time(*divmod(e * 15, 60)))
        for b, e in zip(quarters[::2], quarters[1::2])]
    if hours and draw(st.booleans()):
        # Work until midnight
        hours[-1] = (hours[-1][0], MIDNIGHT)
    return tuple(hours)


@st.composite
def calendars(draw):
    start = dt.date(2026, 1, 1)
    days = st.integers(0, 400).map(lambda d: start + dt.timedelta(days=d))
    hours = {d: draw(day_hours()) for d in range(7)}
    # Hypothesis may draw a calendar without any hours; keep one day.
    if not any(hours.values()):
        hours[0] = ((dt.time(9), dt.time(17)),)
    return WorkingCalendar(
        timezone=draw(st.sampled_from(TIMEZONES)),
        hours=hours,
        holidays=frozenset(draw(st.lists(days, max_size=20))),
        workdays=frozenset(draw(st.lists(days, max_size=5))))


moments = st.datetimes(
    min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 1, 1)
    ).map(lambda d: d.replace(second=0, microsecond=0))


@st.composite
def pauses(draw, start):
    result = []
    for _ in range(draw(st.integers(0, 3))):
        begin = start + draw(st.integers(-600, 6000)) * MINUTE
        length = draw(st.one_of(st.none(), st.integers(0, 3000)))
        end = begin + length * MINUTE if length is not None else None
        result.append((begin, end))
    # An open pause is only the last one, when the ticket still waits.
    closed = [p for p in result if p[1] is not None]
    opened = [p for p in result if p[1] is None][:1]
    return closed + opened


class DeadlineTestCase(unittest.TestCase):
    "Test SLA deadlines on a working calendar"

    def test_friday_afternoon_to_monday(self):
        "4 working hours from Friday 16:00 Shanghai end Monday 11:00"
        start = dt.datetime(2026, 11, 20, 8, 0)  # 16:00 in Shanghai
        deadline = compute_deadline(
            start, dt.timedelta(hours=4), SHANGHAI_OFFICE)
        self.assertEqual(deadline, dt.datetime(2026, 11, 23, 3, 0))

    def test_national_day_holidays(self):
        "The Golden Week is skipped, the make-up Saturday is worked"
        start = dt.datetime(2026, 9, 30, 9, 0)  # 17:00 in Shanghai
        deadline = compute_deadline(
            start, dt.timedelta(hours=1), SHANGHAI_OFFICE)
        # 30 min on 30 September, then Saturday 10 October 08:30 + 30 min
        self.assertEqual(deadline, dt.datetime(2026, 10, 10, 1, 0))

    def test_pause_pushes_deadline(self):
        "Time waiting on the customer does not count"
        start = dt.datetime(2026, 11, 23, 1, 0)  # Monday 09:00
        pause = (dt.datetime(2026, 11, 23, 2, 0),
            dt.datetime(2026, 11, 24, 2, 0))  # until Tuesday 10:00
        deadline = compute_deadline(
            start, dt.timedelta(hours=2), SHANGHAI_OFFICE, [pause])
        self.assertEqual(deadline, dt.datetime(2026, 11, 24, 3, 0))

    def test_open_pause_has_no_deadline(self):
        "A ticket still waiting on the customer has no deadline"
        start = dt.datetime(2026, 11, 23, 1, 0)
        deadline = compute_deadline(
            start, dt.timedelta(hours=2), SHANGHAI_OFFICE,
            [(dt.datetime(2026, 11, 23, 1, 30), None)])
        self.assertIsNone(deadline)

    def test_zero_duration(self):
        "A zero target is due at once, even outside working hours"
        start = dt.datetime(2026, 11, 21, 12, 0)  # Saturday
        self.assertEqual(
            compute_deadline(start, dt.timedelta(0), SHANGHAI_OFFICE), start)

    @settings(
        max_examples=int(os.environ.get('SLA_EXAMPLES', 150)), deadline=None,
        suppress_health_check=[HealthCheck.too_slow])
    @given(st.data(), calendars(), moments, st.integers(0, 1500))
    def test_deadline_as_reference(self, data, calendar, start, minutes):
        "The deadline is the minute the reference counts the last one"
        pauses_ = data.draw(pauses(start))
        duration = dt.timedelta(minutes=minutes)
        deadline = compute_deadline(start, duration, calendar, pauses_)
        if deadline is None:
            self.assertTrue(any(e is None for _, e in pauses_))
            return
        self.assertEqual(
            deadline, reference_deadline(start, minutes, calendar, pauses_))
        self.assertEqual(
            working_time(start, deadline, calendar, pauses_), duration)

    @settings(
        max_examples=int(os.environ.get('SLA_EXAMPLES', 150)), deadline=None,
        suppress_health_check=[HealthCheck.too_slow])
    @given(st.data(), calendars(), moments, st.integers(0, 6000))
    def test_working_time_as_reference(self, data, calendar, start, minutes):
        "The working time between two moments is the reference count"
        pauses_ = data.draw(pauses(start))
        end = start + minutes * MINUTE
        self.assertEqual(
            working_time(start, end, calendar, pauses_),
            reference_working_time(start, end, calendar, pauses_))

    @given(calendars(), moments, st.integers(0, 1500))
    @settings(max_examples=50, deadline=None)
    def test_server_timezone_does_not_matter(self, calendar, start, minutes):
        "The same deadline whatever the timezone of the server"
        duration = dt.timedelta(minutes=minutes)
        expected = compute_deadline(start, duration, calendar)
        previous = os.environ.get('TZ')
        try:
            for server_tz in ['America/Los_Angeles', 'Asia/Tokyo', 'UTC']:
                os.environ['TZ'] = server_tz
                time.tzset()
                self.assertEqual(
                    compute_deadline(start, duration, calendar), expected)
        finally:
            if previous is None:
                del os.environ['TZ']
            else:
                os.environ['TZ'] = previous
            time.tzset()
