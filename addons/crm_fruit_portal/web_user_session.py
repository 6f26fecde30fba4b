# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt

from sql import Literal
from sql.conditionals import Coalesce
from sql.functions import CurrentTimestamp

import trytond.config as config
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class UserSession(metaclass=PoolMeta):
    """Portal sessions end after an idle time and, whatever the use, after
    an absolute age; they end with the user's password, e-mail or
    deactivation (web_user.py)"""
    __name__ = 'web.user.session'

    @classmethod
    def timeout(cls):
        "The idle time after which a session ends"
        return dt.timedelta(seconds=config.getint(
                'crm_fruit_portal', 'session_idle',
                default=config.getint(
                    'session', 'web_timeout', default=2 * 60 * 60)))

    @classmethod
    def max_age(cls):
        "The age after which a session ends, however much it is used"
        return dt.timedelta(seconds=config.getint(
                'crm_fruit_portal', 'session_max_age',
                default=7 * 24 * 60 * 60))

    @property
    def expired(self):
        now = dt.datetime.now()
        return (super().expired
            or abs(now - self.create_date) > self.max_age())

    @classmethod
    def add(cls, user):
        cursor = Transaction().connection.cursor()
        table = cls.__table__()
        cursor.execute(*table.delete(
                where=table.create_date < CurrentTimestamp() - cls.max_age()))
        return super().add(user)

    @classmethod
    def get_user(cls, session):
        "The active user of the unexpired session, in one query"
        pool = Pool()
        User = pool.get('web.user')
        cursor = Transaction().connection.cursor()
        table = cls.__table__()
        user = User.__table__()
        now = dt.datetime.now()
        cursor.execute(*table.join(user, condition=table.user == user.id
                ).select(user.id,
                where=(table.key == session)
                & (user.active == Literal(True))
                & (Coalesce(table.write_date, table.create_date)
                    > now - cls.timeout())
                & (table.create_date > now - cls.max_age())))
        row = cursor.fetchone()
        if row:
            return User(row[0])

    @classmethod
    def touch(cls, key):
        """Mark the session used at most once a minute: a write per page
        would serialise the pages of one customer"""
        cursor = Transaction().connection.cursor()
        table = cls.__table__()
        cursor.execute(*table.update(
                [table.write_date], [CurrentTimestamp()],
                where=(table.key == key)
                & (Coalesce(table.write_date, table.create_date)
                    < CurrentTimestamp() - dt.timedelta(minutes=1))))
