# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
from collections import defaultdict
from functools import partial, reduce
from types import SimpleNamespace

from sql import Literal, Null
from sql.functions import CurrentTimestamp

from trytond import backend
from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction, check_access

from .notify import UsersOf, notifications

# Browsing n records, and each record their related records, checks the n
# ids for every record: the ladder handles its dunnings in small slices
BROWSE_SLICE = 200
#: The invoices a notice of several names, the largest first
DIGEST_NAMED = 5


class Dunning(metaclass=PoolMeta):
    """The receivable ladder on Tryton's dunnings: each level of the
    procedure that has a CRM step tells the right people when an unpaid
    invoice reaches it, once (a dunning is processed once per level)"""
    __name__ = 'account.dunning'

    @classmethod
    def _overdue_line_domain(cls, date):
        # the reminder comes before the due date: a level with a negative
        # overdue takes the lines that fall due within it
        domain = super()._overdue_line_domain(date)
        lead = cls._ladder_lead()
        if lead:
            domain = [c if not (isinstance(c, tuple)
                        and c[:2] == ('maturity_date', '<='))
                else ('maturity_date', '<=', date + lead)
                for c in domain]
        return domain

    @classmethod
    def _ladder_lead(cls):
        "How long before the due date the earliest level applies"
        Level = Pool().get('account.dunning.level')
        leads = [-level.overdue for level in Level.search([
                    ('overdue', '<', dt.timedelta(0)),
                    ])]
        return max(leads, default=None)

    @classmethod
    def generate_dunnings(cls, date=None):
        """Stock's generation in sets: the waiting dunnings climb to the
        level they reach and the overdue lines without dunning get one,
        each level found by the levels' own test; the stock loop browses
        every line and reads its party's procedure one by one, hours for
        the hundred thousands of open lines of the company's scale"""
        if date is None:
            date = Pool().get('ir.date').today()
        levels = cls._procedure_levels()
        cls._climb_waiting(levels, date)
        cls._dun_overdue_lines(levels, date)

    @classmethod
    def _procedure_levels(cls):
        "{procedure id: its levels in order}"
        Procedure = Pool().get('account.dunning.procedure')
        return {p.id: list(p.levels) for p in Procedure.search([])}

    @staticmethod
    def _level_finder(levels, date):
        """first(procedure, after, maturity_date): the first level of the
        procedure after the level `after` (None: from its first) that a
        line due on maturity_date passes on date, each asked once"""
        cache = {}

        def first(procedure, after, maturity_date):
            key = procedure, after, maturity_date
            if key not in cache:
                candidates = levels[procedure]
                if after is not None:
                    ids = [level.id for level in candidates]
                    candidates = candidates[ids.index(after) + 1:]
                line = SimpleNamespace(maturity_date=maturity_date)
                cache[key] = next((level for level in candidates
                        if level.test(line, date)), None)
            return cache[key]
        return first

    @classmethod
    def _climb_waiting(cls, levels, date):
        "Move the waiting dunnings to the later level they pass, or final"
        pool = Pool()
        Line = pool.get('account.move.line')
        Date = pool.get('ir.date')
        dunning, line = cls.__table__(), Line.__table__()
        cursor = Transaction().connection.cursor()
        with check_access():
            waiting = cls.search([
                    ('state', '=', 'waiting'),
                    ('blocked', '=', False),
                    ], order=[], query=True)
        cursor.execute(*dunning.join(line,
                condition=dunning.line == line.id).select(
                dunning.id, dunning.procedure, dunning.level,
                line.maturity_date,
                where=dunning.id.in_(waiting)))
        moves, first = defaultdict(list), cls._level_finder(levels, date)
        for id_, procedure, current, maturity_date in cursor.fetchall():
            if levels[procedure][-1].id == current:
                moves[None].append(id_)
            elif level := first(procedure, current, maturity_date):
                moves[level.id].append(id_)
        for level, ids in moves.items():
            values = ({'level': level, 'state': 'draft', 'date': None}
                if level else {'state': 'final', 'date': Date.today()})
            for sub in grouped_slice(ids, BROWSE_SLICE):
                cls.write(cls.browse(sub), values)

    @classmethod
    def _dun_overdue_lines(cls, levels, date):
        """Create the dunning of each overdue line at the level it passes,
        inserted in sets: no line has a dunning yet, the unique line
        constraint holds"""
        pool = Pool()
        Line = pool.get('account.move.line')
        Account = pool.get('account.account')
        line, account = Line.__table__(), Account.__table__()
        dunning = cls.__table__()
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        with check_access():
            lines = Line.search(
                cls._overdue_line_domain(date), order=[], query=True)
        cursor.execute(*line.join(account,
                condition=line.account == account.id).select(
                line.id, line.party, account.company, line.maturity_date,
                where=line.id.in_(lines)))
        rows, first = cursor.fetchall(), cls._level_finder(levels, date)
        procedures = cls._party_procedures({r[1] for r in rows})
        user = transaction.user
        values = []
        for id_, party, company, maturity_date in rows:
            procedure = procedures.get(party)
            if not procedure:
                continue
            if level := first(procedure, None, maturity_date):
                values.append([company, id_, procedure, level.id, 'draft',
                        False, user, CurrentTimestamp()])
        columns = [dunning.company, dunning.line, dunning.procedure,
            dunning.level, dunning.state, dunning.blocked,
            dunning.create_uid, dunning.create_date]
        for sub in grouped_slice(values, backend.MAX_QUERY_PARAMS // 8):
            cursor.execute(*dunning.insert(columns, list(sub)))

    @classmethod
    def _party_procedures(cls, party_ids):
        "{party id: his dunning procedure id}, the configuration's default"
        pool = Pool()
        Value = pool.get('party.party.dunning_procedure')
        Configuration = pool.get('account.configuration')
        default = Configuration(1).get_multivalue(
            'default_dunning_procedure')
        value = Value.__table__()
        cursor = Transaction().connection.cursor()
        result = dict.fromkeys(party_ids, default.id if default else None)
        for sub in grouped_slice(list(party_ids), backend.MAX_QUERY_PARAMS):
            cursor.execute(*value.select(value.party, value.dunning_procedure,
                    where=reduce_ids(value.party, sub)
                    & (value.party != Null)))
            result.update(cursor)
        return result

    @classmethod
    def run_receivable_ladder(cls, date=None):
        """Move the unpaid invoices up the ladder and act on the levels they
        reach (cron): running it again the same day does nothing more"""
        cls.generate_dunnings(date=date)
        query = cls.search([
                ('state', '=', 'draft'),
                ('blocked', '=', False),
                ('level.crm_step', '!=', None),
                ], order=[('company', 'ASC'), ('id', 'ASC')], query=True)
        cursor = Transaction().connection.cursor()
        cursor.execute(*query)
        ids = [i for i, in cursor]
        # the day's notices told once for all the slices: a rep is told of
        # his invoices reaching a step in one notice, not one per slice
        with Transaction().set_context(_receivable_ladder_later=True):
            for sub in grouped_slice(ids, BROWSE_SLICE):
                cls.process(cls.browse(sub))
        cls.act_on_ladder(ids)

    @classmethod
    def process(cls, dunnings):
        to_act = [d.id for d in dunnings
            if d.state == 'draft' and not d.blocked and d.level.crm_step]
        super().process(dunnings)
        if not Transaction().context.get('_receivable_ladder_later'):
            cls.act_on_ladder(to_act)

    @classmethod
    def act_on_ladder(cls, ids):
        """What the steps the dunnings of ids reached ask: the notices of
        each step to the people concerned, one per person for all the
        dunnings he is told of, and the blacklist"""
        Notification = Pool().get('res.notification')
        facts = cls._notice_facts(ids)
        by_step = defaultdict(list)
        for fact in facts:
            by_step[fact.step].append(fact)
        users, notices = UsersOf(), []
        for step, step_facts in by_step.items():
            notices.extend(getattr(cls, f'_crm_{step}')(step_facts, users))
        Notification.save(notices)

    @classmethod
    def _notice_facts(cls, ids):
        """What the notices of the dunnings of ids say and whom they tell,
        read for all the dunnings together by SQL: read through each
        dunning's line, move, invoice and customer they took most of the
        ladder's day"""
        pool = Pool()
        Party = pool.get('party.party')
        Company = pool.get('company.company')
        rows = cls._notice_rows(ids)
        documents = cls._documents(
            {r.move: r.origin for r in rows.values()})
        managers = cls._department_managers({r.party for r in rows.values()})
        companies = {c.id: c for c in Company.browse(
                list({r.company for r in rows.values()}))}
        facts = []
        for id_ in ids:
            row = rows[id_]
            party = Party(row.party, name=row.name, code=row.code)
            company = companies[row.company]
            facts.append(SimpleNamespace(
                    dunning=cls(id_), step=row.step, company=company,
                    party=party, customer=party.get_rec_name('rec_name'),
                    document=documents[row.move],
                    amount=row.amount,
                    currency=company.currency,
                    maturity_date=row.maturity_date,
                    reps=[row.sales_rep, row.second_contact],
                    managers=managers[row.party]))
        return facts

    @classmethod
    def _notice_rows(cls, ids):
        """{dunning id: its company, step, line's customer, amount, due date
        and move}"""
        pool = Pool()
        Level = pool.get('account.dunning.level')
        Line = pool.get('account.move.line')
        Move = pool.get('account.move')
        Party = pool.get('party.party')
        dunning, line = cls.__table__(), Line.__table__()
        move, party = Move.__table__(), Party.__table__()
        level = Level.__table__()
        columns = {
            'id': dunning.id,
            'company': dunning.company,
            'step': level.crm_step,
            'party': line.party,
            'name': party.name,
            'code': party.code,
            'sales_rep': party.sales_rep,
            'second_contact': party.second_contact,
            'amount': line.debit - line.credit,
            'maturity_date': line.maturity_date,
            'move': move.id,
            'origin': move.origin,
            }
        cursor = Transaction().connection.cursor()
        rows = {}
        for sub in grouped_slice(ids, backend.MAX_QUERY_PARAMS):
            cursor.execute(*dunning
                .join(level, condition=level.id == dunning.level)
                .join(line, condition=line.id == dunning.line)
                .join(move, condition=move.id == line.move)
                .join(party, condition=party.id == line.party)
                .select(*columns.values(),
                    where=reduce_ids(dunning.id, sub)))
            rows.update((r[0], SimpleNamespace(**dict(zip(columns, r))))
                for r in cursor)
        return rows

    @classmethod
    def _documents(cls, origins):
        """{move id: the name of its origin (the invoice), else its own},
        from {move id: its origin}"""
        pool = Pool()
        Invoice = pool.get('account.invoice')
        Move = pool.get('account.move')
        by_model = defaultdict(list)
        for origin in filter(None, origins.values()):
            model, id_ = origin.split(',')
            by_model[model].append(int(id_))
        names = {}
        # an invoice by its number: its rec_name read every invoice whole
        invoices = by_model.pop('account.invoice', [])
        for invoice in Invoice.read(invoices, ['number']):
            if invoice['number']:
                names[f'account.invoice,{invoice["id"]}'] = invoice['number']
            else:
                by_model['account.invoice'].append(invoice['id'])
        for model, ids in by_model.items():
            names.update({f'{model},{r["id"]}': r['rec_name']
                    for r in pool.get(model).read(ids, ['rec_name'])})
        unnamed = [m for m, o in origins.items() if o not in names]
        names.update({r['id']: r['rec_name']
                for r in Move.read(unnamed, ['rec_name'])})
        return {m: names.get(o, names.get(m)) for m, o in origins.items()}

    @classmethod
    def _department_managers(cls, party_ids):
        "{party id: the managers of his active departments}"
        pool = Pool()
        Relation = pool.get('party.party-crm.department')
        Department = pool.get('crm.department')
        relation, department = Relation.__table__(), Department.__table__()
        cursor = Transaction().connection.cursor()
        result = {p: [] for p in party_ids}
        for sub in grouped_slice(list(party_ids), backend.MAX_QUERY_PARAMS):
            cursor.execute(*relation
                .join(department,
                    condition=department.id == relation.department)
                .select(relation.party, department.manager,
                    where=reduce_ids(relation.party, sub)
                    & (department.active == Literal(True))
                    & (department.manager != Null)))
            for party, manager in cursor:
                result[party].append(manager)
        return result

    @classmethod
    def _crm_reminder(cls, facts, users):
        return cls._each_notices(facts, 'msg_ladder_reminder',
            lambda f: users(f.reps))

    @classmethod
    def _crm_warning(cls, facts, users):
        return cls._each_notices(facts, 'msg_ladder_warning',
            lambda f: users(f.reps))

    @classmethod
    def _crm_escalation(cls, facts, users):
        return cls._each_notices(facts, 'msg_ladder_escalation',
            lambda f: users(f.reps) | users(f.managers))

    @classmethod
    def _crm_blacklist(cls, facts, users):
        pool = Pool()
        Block = pool.get('crm.credit.block')
        Date = pool.get('ir.date')
        by_dunning = {f.dunning.id: f for f in facts}
        # once per customer blacklisted, not per invoice of his
        blacklisted = [by_dunning[b.dunning.id]
            for b in Block.blacklist(facts, Date.today())]
        managers = {}

        def all_managers(fact):
            if fact.company not in managers:
                managers[fact.company] = cls._all_managers(
                    fact.company, users)
            return managers[fact.company]
        return (cls._each_notices(blacklisted, 'msg_ladder_field_check',
                lambda f: users(f.reps))
            + cls._each_notices(blacklisted, 'msg_ladder_blacklist',
                all_managers))

    @classmethod
    def _each_notices(cls, facts, message, recipients):
        """One notice of message to each of the recipients of the facts,
        telling him of all his: a rep whose fifty invoices reach a step is
        told once, where the client lists only the ten latest notices"""
        told = defaultdict(list)
        for fact in facts:
            for user in recipients(fact):
                told[user, fact.company].append(fact)
        return [cls._notice(user, told_facts, message)
            for (user, _), told_facts in told.items()]

    @classmethod
    def _notice(cls, user, facts, message):
        "The notice of message to user, pointing at the customers"
        # the largest amounts are the ones named
        facts = sorted(facts, key=lambda f: (-f.amount, f.dunning.id))
        if len(facts) == 1:
            fact, = facts
            description = message
            values = partial(cls._notice_values, fact)
        else:
            description = f'{message}_many'
            values = partial(cls._digest_values, facts)
        notice, = notifications([user], f'{message}_label', description,
            values, list(dict.fromkeys(f.party for f in facts)),
            icon='tryton-warning')
        return notice

    @classmethod
    def _all_managers(cls, company, users):
        Department = Pool().get('crm.department')
        # the departments installed with the module belong to no company
        return users([d.manager for d in Department.search([
                        ('company', 'in', [company.id, None]),
                        ])])

    @classmethod
    def _notice_values(cls, fact):
        lang = Pool().get('ir.lang').get()
        return {
            'customer': fact.customer,
            'document': fact.document,
            'amount': lang.currency(
                fact.amount, fact.currency, grouping=True),
            'date': lang.strftime(fact.maturity_date),
            }

    @classmethod
    def _digest_values(cls, facts):
        "The values of the notice of several facts: count, sum, the first"
        lang = Pool().get('ir.lang').get()
        named = [gettext('crm_fruit_customer.msg_ladder_invoice',
                customer=f.customer, document=f.document)
            for f in facts[:DIGEST_NAMED]]
        invoices = reduce(lambda first, second: gettext(
                'crm_fruit_customer.msg_ladder_invoices_pair',
                first=first, second=second), named)
        if len(facts) > DIGEST_NAMED:
            invoices = gettext('crm_fruit_customer.msg_ladder_invoices_more',
                invoices=invoices,
                count=lang.format_number(len(facts) - DIGEST_NAMED, 0))
        return {
            'count': lang.format_number(len(facts), 0),
            'amount': lang.currency(sum(f.amount for f in facts),
                facts[0].currency, grouping=True),
            'invoices': invoices,
            }
