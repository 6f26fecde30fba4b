# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"Who opened which customer archive: one row per user, customer and day"
import datetime as dt
import logging
import statistics

from sql import Column, Conflict, Literal, Values
from sql.aggregate import Sum
from sql.conditionals import Case
from sql.functions import CurrentTimestamp

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.report import Report
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .exceptions import ArchiveAccessError

logger = logging.getLogger(__name__)

COUNTERS = ['form_reads', 'list_rows', 'exports', 'reports']
# Reads of these fields only show a name, not an archive (Many2One labels,
# the access check of a report)
NAME_FIELDS = {
    'id', 'rec_name', '_timestamp', '_write', '_delete', '_datetime'}


class ArchiveAccess(ModelSQL, ModelView):
    __name__ = 'crm.archive.access'
    __string__ = "Archive Access"

    company = fields.Many2One('company.company', "Company", readonly=True)
    date = fields.Date("Date", required=True, readonly=True)
    user = fields.Many2One('res.user', "User", required=True, readonly=True)
    employee = fields.Many2One(
        'company.employee', "Employee", readonly=True,
        help="The employee of the user on that day.")
    party = fields.Many2One(
        'party.party', "Customer", required=True, readonly=True,
        ondelete='CASCADE',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    form_reads = fields.Integer(
        "Form Reads", readonly=True,
        help="How many times the user opened the customer form.")
    list_rows = fields.Integer(
        "List Rows", readonly=True,
        help="How many times the customer was a row of a list the user read.")
    exports = fields.Integer(
        "Exports", readonly=True,
        help="How many times the user exported the customer.")
    reports = fields.Integer(
        "Reports", readonly=True,
        help="How many times the user printed the customer.")
    alert = fields.Boolean(
        "Alert", readonly=True,
        help="The user opened, exported or printed far more customer "
        "archives that day than usual.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('user_party_date_unique', Unique(t, t.user, t.party, t.date),
                'crm_fruit_customer.msg_archive_access_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.date, Index.Range()), (t.user, Index.Equality())),
                })
        cls._order = [('date', 'DESC'), ('user', 'ASC'), ('id', 'DESC')]

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if external:
            raise ArchiveAccessError(
                gettext('crm_fruit_customer.msg_archive_access_code_only'))

    @classmethod
    def record_read(cls, ids, fields_names):
        "Log a read of party ids as a form read or as list rows"
        if not ids or set(fields_names) <= NAME_FIELDS:
            return
        Party = Pool().get('party.party')
        names = {n.split('.', 1)[0] for n in fields_names}
        form = len(ids) <= cls._form_read_ids() or any(
            Party._fields[n]._type in {'one2many', 'many2many'}
            for n in names if n in Party._fields)
        cls.record('form_reads' if form else 'list_rows', ids)

    @classmethod
    def _form_read_ids(cls):
        "The most ids the client reads for a form: more is a list page"
        return 3

    @classmethod
    def record(cls, kind, ids):
        "Add one to the kind counter of the user for each party of ids today"
        pool = Pool()
        Date = pool.get('ir.date')
        transaction = Transaction()
        if not ids or not transaction.check_access:
            return
        assert kind in COUNTERS, kind
        args = (kind, transaction.user, sorted({int(i) for i in ids}),
            Date.today())
        if transaction.readonly:
            # The read-only transactions of read, export and report can not
            # write: log in a transaction of our own once it is over
            transaction.atexit(
                cls._record_later, transaction.database.name, *args)
        else:
            cls._upsert(*args)

    @classmethod
    def _record_later(cls, database_name, *args):
        for attempt in range(3):
            try:
                with Transaction(new=True).start(database_name, 0):
                    cls._upsert(*args)
                return
            except backend.DatabaseOperationalError:
                # The same user read the same customer in another worker
                continue
            except Exception:
                break
        # The user got his data: losing one log line must not fail his call
        logger.warning("archive access not logged", exc_info=True)

    @classmethod
    def _upsert(cls, kind, user, party_ids, date):
        pool = Pool()
        User = pool.get('res.user')
        table = cls.__table__()
        user_table = User.__table__()
        cursor = Transaction().connection.cursor()
        counter = Column(table, kind)
        counters = [Column(table, c) for c in COUNTERS]
        for sub_ids in grouped_slice(party_ids, 1000):
            parties = Values([[i] for i in sub_ids])
            query = parties.join(
                user_table, condition=user_table.id == user).select(
                Literal(user), CurrentTimestamp(), user_table.id,
                user_table.employee, user_table.company, parties.column1,
                Literal(date), Literal(False),
                *(Literal(int(c == kind)) for c in COUNTERS),
                where=Literal(True))
            cursor.execute(*table.insert(
                    [table.create_uid, table.create_date, table.user,
                        table.employee, table.company, table.party,
                        table.date, table.alert] + counters,
                    query,
                    on_conflict=Conflict(table,
                        indexed_columns=[table.user, table.party, table.date],
                        columns=[counter, table.write_uid, table.write_date],
                        values=[counter + 1, user, CurrentTimestamp()])))

    @classmethod
    def _alert_thresholds(cls):
        "Days of history, deviations above the mean and minimum archives"
        return 30, 3, 50

    @classmethod
    def check_alerts(cls, dates=None):
        "Flag the days a user touched far more archives than usual"
        Date = Pool().get('ir.date')
        if dates is None:
            today = Date.today()
            dates = [today - dt.timedelta(days=1), today]
        for date in dates:
            cls._check_alert(date)

    @classmethod
    def _daily_archives(cls, start, end):
        "{user: {date: customers opened, exported or printed}}"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        archive = (table.form_reads + table.exports + table.reports) > 0
        cursor.execute(*table.select(
                table.user, table.date,
                Sum(Case((archive, 1), else_=0)),
                where=(table.date >= start) & (table.date <= end),
                group_by=[table.user, table.date]))
        volumes = {}
        for user, date, count in cursor:
            if isinstance(date, str):
                date = dt.date.fromisoformat(date)
            volumes.setdefault(user, {})[date] = count
        return volumes

    @classmethod
    def _check_alert(cls, date):
        days, sigmas, minimum = cls._alert_thresholds()
        history = [date - dt.timedelta(days=d) for d in range(days, 0, -1)]
        flagged = {}
        for user, volumes in cls._daily_archives(history[0], date).items():
            count = volumes.get(date, 0)
            usual = [volumes.get(d, 0) for d in history]
            threshold = (statistics.fmean(usual)
                + sigmas * statistics.pstdev(usual))
            if count >= minimum and count > threshold:
                flagged[user] = (count, statistics.fmean(usual))
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        for sub_users in grouped_slice(list(flagged),
                backend.MAX_QUERY_PARAMS):
            sub_users = list(sub_users)
            cursor.execute(*table.select(table.user,
                    where=(table.date == date) & table.user.in_(sub_users)
                    & (table.alert == Literal(True)),
                    group_by=[table.user]))
            for user, in cursor.fetchall():
                del flagged[user]
            cursor.execute(*table.update([table.alert], [True],
                    where=(table.date == date) & table.user.in_(sub_users)
                    & (table.alert == Literal(False))))
        if flagged:
            cls._notify_alerts(date, flagged)

    @classmethod
    def _notify_alerts(cls, date, flagged):
        "Tell every CRM manager in the web client about the new alerts"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Notification = pool.get('res.notification')
        User = pool.get('res.user')
        managers = User.search([
                ('groups', '=', ModelData.get_id(
                        'crm_fruit_customer', 'group_crm_manager')),
                ])
        action = ModelData.get_id('crm_fruit_customer', 'act_archive_access')
        notifications = []
        for manager in managers:
            language = manager.language.code if manager.language else None
            with Transaction().set_context(language=language):
                label = gettext(
                    'crm_fruit_customer.msg_archive_access_alert_label')
                for user, (count, usual) in flagged.items():
                    notifications.append(Notification(
                            user=manager, label=label, icon='tryton-warning',
                            action=action,
                            description=gettext(
                                'crm_fruit_customer'
                                '.msg_archive_access_alert',
                                user=User(user).rec_name, count=count,
                                usual=round(usual, 1), date=date)))
        Notification.save(notifications)


class ArchiveReportMixin:
    "Log the customers printed by a report of parties"

    @classmethod
    def execute(cls, ids, data):
        result = super().execute(ids, data)
        if cls._archive_model(data) == 'party.party':
            Pool().get('crm.archive.access').record('reports', ids)
        return result

    @classmethod
    def _archive_model(cls, data):
        ActionReport = Pool().get('ir.action.report')
        if data.get('model'):
            return data['model']
        if data.get('action_id') is not None:
            return ActionReport(data['action_id']).model
        actions = ActionReport.search(
            [('report_name', '=', cls.__name__)], limit=1)
        return actions[0].model if actions else None


class PartyLabel(ArchiveReportMixin, Report):
    __name__ = 'party.label'


class PartyLetter(ArchiveReportMixin, metaclass=PoolMeta):
    __name__ = 'party.letter'
