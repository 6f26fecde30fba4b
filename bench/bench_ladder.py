# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The receivable ladder's daily run against its SQL floor.

The state of the day before is built once with SQL (every open receivable
line of the data set dunned at the level it had reached, processed, final
the day after it reached the last level, and the customers with an invoice a
month overdue blacklisted); then the scheduled
action of the day (account.dunning.run_receivable_ladder: every waiting
dunning tested for a later level, the new overdue lines dunned, the day's
dunnings processed: notices, blacklist) is measured against hand-written
SQL statements making the same changes, from the same savepoint. The
dunnings (line, level, state) and the blacklisted customers they leave are
compared row by row, and so are the notices (one to each person per step
and company, naming the five largest invoices: recipient, label, customers
pointed at; the floor words them with the same texts in each reader's
language, its own number and date formats); a second entry measures the
levels alone (generate_dunnings against the same statements without
blacklist, notices and process).
"""
import datetime as dt
import json

from trytond.i18n import gettext
from trytond.modules.crm_fruit_customer.dunning import DIGEST_NAMED
from trytond.transaction import Transaction

from bench.bench_service import _median

REPEAT = 3

DUE = """
SELECT l.id AS line, a.company, l.party,
    COALESCE(p.dunning_procedure, %(default)s) AS procedure,
    %(date)s - l.maturity_date AS days
FROM account_move_line l
JOIN account_account a ON a.id = l.account
JOIN account_account_type t ON t.id = a.type
LEFT JOIN party_party_dunning_procedure p ON p.party = l.party
WHERE t.receivable AND l.reconciliation IS NULL AND l.party IS NOT NULL
    AND (l.debit > 0 OR l.credit < 0)
    AND l.maturity_date <= %(date)s + %(lead)s
    AND NOT EXISTS (SELECT 1 FROM account_dunning d WHERE d.line = l.id)
"""

# the lines to dun first, then inserted: an anti-join on the table being
# filled would rescan it for every row
DUE_TABLE = "CREATE TEMP TABLE ladder_due ON COMMIT DROP AS " + DUE

INSERT = """
INSERT INTO account_dunning (company, line, procedure, level, state, blocked,
    date, create_uid, create_date)
SELECT company, line, procedure, {level}, %(state)s, false, %(day)s, 0,
    CURRENT_TIMESTAMP
FROM ladder_due
WHERE procedure = %(procedure)s AND {level} IS NOT NULL
"""

CLIMB = """
UPDATE account_dunning d SET level = n.level, state = 'draft', date = NULL
FROM (
    SELECT d.id, {level} AS level
    FROM account_dunning d
    JOIN account_move_line l ON l.id = d.line
    WHERE d.state = 'waiting' AND NOT COALESCE(d.blocked, false)
        AND d.procedure = %(procedure)s) n
JOIN account_dunning_level nl ON nl.id = n.level
JOIN account_dunning_level cl ON true
WHERE d.id = n.id AND cl.id = d.level AND nl.sequence > cl.sequence
"""

FINAL = """
UPDATE account_dunning SET state = 'final', date = %(today)s
WHERE state = 'waiting' AND NOT COALESCE(blocked, false)
    AND level = %(last)s
"""

FINISHED = """
UPDATE account_dunning d SET state = 'final'
FROM account_move_line l
WHERE l.id = d.line AND d.level = %(last)s
    AND l.maturity_date + %(last_days)s < %(date)s
"""

# the day's dunnings that reach a CRM step, with what their notices name
ACTED = """
CREATE TEMP TABLE ladder_acted ON COMMIT DROP AS
SELECT d.id, d.company, lv.crm_step AS step, l.party,
    l.debit - l.credit AS amount, l.maturity_date,
    COALESCE(p.name, '[' || p.code || ']') AS customer,
    COALESCE(i.number, m.number, '(' || m.id || ')') AS document
FROM account_dunning d
JOIN account_dunning_level lv ON lv.id = d.level
JOIN account_move_line l ON l.id = d.line
JOIN party_party p ON p.id = l.party
JOIN account_move m ON m.id = l.move
LEFT JOIN account_invoice i ON i.move = m.id
WHERE d.state = 'draft' AND NOT COALESCE(d.blocked, false)
    AND lv.crm_step IS NOT NULL
"""

# who is told of which: the reps of each customer, the managers of his
# departments on escalation, every manager of the company on a blacklist
# (a blacklisted customer's rep checks on site)
TOLD = """
CREATE TEMP TABLE ladder_told ON COMMIT DROP AS
SELECT u.id AS "user", u.language,
    CASE a.step WHEN 'blacklist' THEN 'field_check' ELSE a.step END
        AS message, a.*
FROM ladder_acted a
JOIN party_party p ON p.id = a.party
JOIN "res_user-company_employee" ue
    ON ue.employee IN (p.sales_rep, p.second_contact)
JOIN res_user u ON u.id = ue."user" AND u.active
WHERE a.step != 'blacklist'
    OR EXISTS (SELECT 1 FROM crm_credit_block b WHERE b.dunning = a.id)
UNION
SELECT u.id, u.language, a.step, a.*
FROM ladder_acted a
JOIN "party_party-crm_department" pd ON pd.party = a.party
JOIN crm_department dep ON dep.id = pd.department AND dep.active
JOIN "res_user-company_employee" ue ON ue.employee = dep.manager
JOIN res_user u ON u.id = ue."user" AND u.active
WHERE a.step = 'escalation'
UNION
SELECT u.id, u.language, a.step, a.*
FROM ladder_acted a
JOIN crm_credit_block b ON b.dunning = a.id
JOIN crm_department dep ON dep.active
    AND (dep.company = a.company OR dep.company IS NULL)
JOIN "res_user-company_employee" ue ON ue.employee = dep.manager
JOIN res_user u ON u.id = ue."user" AND u.active
WHERE a.step = 'blacklist'
"""

AMOUNT = "'¥' || to_char({}, 'FM999,999,999,990.00')"

NOTICES = """
INSERT INTO res_notification ("user", label, description, icon, unread,
    model, records, create_uid, create_date)
SELECT t."user", m.label,
    CASE WHEN COUNT(*) = 1 THEN
        replace(replace(replace(replace(m.single,
            '%%(customer)s', MIN(t.customer)),
            '%%(document)s', MIN(t.document)),
            '%%(amount)s', {one}),
            '%%(date)s', to_char(MIN(t.maturity_date), 'MM/DD/YYYY'))
    ELSE
        replace(replace(replace(m.many,
            '%%(count)s', COUNT(*)::text),
            '%%(amount)s', {sum}),
            '%%(invoices)s', array_to_string((array_agg(
                t.customer || ': ' || t.document
                ORDER BY t.amount DESC, t.id))[1:%(named)s], '; ')
            || CASE WHEN COUNT(*) > %(named)s
                THEN ' and ' || (COUNT(*) - %(named)s) || ' more'
                ELSE '' END)
    END,
    'tryton-warning', true, 'party.party',
    '[' || string_agg(DISTINCT t.party::text, ', ') || ']',
    0, CURRENT_TIMESTAMP
FROM ladder_told t
LEFT JOIN ir_lang lg ON lg.id = t.language
JOIN (VALUES {messages}) AS m(language, message, label, single, many)
    ON m.message = t.message AND m.language = COALESCE(lg.code, 'en')
GROUP BY t."user", t.message, t.company, m.label, m.single, m.many
""".format(one=AMOUNT.format('MIN(t.amount)'),
    sum=AMOUNT.format('SUM(t.amount)'), messages='{messages}')

NOTICED = """
SELECT "user", label, model, records FROM res_notification
WHERE id > %(last_notice)s
"""

PROCESS = """
UPDATE account_dunning SET state = 'waiting', date = %(today)s
WHERE state = 'draft' AND NOT COALESCE(blocked, false)
"""

BLACKLIST = """
INSERT INTO crm_credit_block (company, party, kind, state, reason, date,
    dunning, create_uid, create_date)
SELECT DISTINCT ON (d.company, l.party) d.company, l.party, 'blacklist',
    'active', 'bench', %(today)s, d.id, 0, CURRENT_TIMESTAMP
FROM account_dunning d
JOIN account_move_line l ON l.id = d.line
WHERE d.level = %(blacklist)s AND d.state = %(state)s
    AND NOT EXISTS (SELECT 1 FROM crm_credit_block b
        WHERE b.company = d.company AND b.party = l.party
            AND b.kind = 'blacklist' AND b.state = 'active')
ORDER BY d.company, l.party, d.id
"""

RESULT = """
SELECT d.line, d.level, d.state FROM account_dunning d ORDER BY d.line
"""

BLACKLISTED = """
SELECT company, party FROM crm_credit_block
WHERE kind = 'blacklist' AND state = 'active' ORDER BY company, party
"""


def _level_case(levels):
    """The level a line `days` overdue reaches on the ladder: the last
    whose overdue it passed (the ladder's levels apply until the next)"""
    whens = ' '.join(
        f'WHEN days >= {days} THEN {id_}'
        for id_, days in sorted(levels, key=lambda level: -level[1]))
    return f'(CASE {whens} END)'


def _climb_case(levels):
    whens = ' '.join(
        f"WHEN %(date)s - l.maturity_date >= {days} THEN {id_}"
        for id_, days in sorted(levels, key=lambda level: -level[1]))
    return f'(CASE {whens} END)'


def _ladder(pool):
    "(procedure id, [(level id, overdue days)], blacklist level id, lead)"
    Procedure = pool.get('account.dunning.procedure')
    procedure, = Procedure.search([('levels.crm_step', '!=', None)], limit=1)
    levels = [(level.id, level.overdue.days) for level in procedure.levels]
    blacklist, = [level.id for level in procedure.levels
        if level.crm_step == 'blacklist']
    lead = max(-days for _, days in levels)
    return procedure.id, levels, blacklist, lead


def _default_procedure(pool):
    Configuration = pool.get('account.configuration')
    default = Configuration(1).get_multivalue('default_dunning_procedure')
    return default.id if default else None


def _parameters(pool, date, today):
    procedure, levels, blacklist, lead = _ladder(pool)
    return dict(procedure=procedure, levels=levels, blacklist=blacklist,
        last=levels[-1][0], last_days=levels[-1][1], lead=lead,
        default=_default_procedure(pool), date=date, today=today)


def _sql(cursor, statement, parameters, **extra):
    values = {k: v for k, v in parameters.items() if k != 'levels'}
    values.update(extra)
    cursor.execute(statement, values)


def _state_before(cursor, parameters):
    "The ladder of the day before, processed, by SQL"
    day_before = dict(parameters, date=parameters['date'] - dt.timedelta(1))
    _insert(cursor, day_before, state='waiting', day=day_before['date'])
    _sql(cursor, BLACKLIST, day_before, state='waiting')
    # the run of the day after a dunning reached the last level made it final
    _sql(cursor, FINISHED, day_before)
    # the planner of both runs knows the dunnings and blocks are there
    cursor.execute('ANALYZE account_dunning')
    cursor.execute('ANALYZE crm_credit_block')


def _insert(cursor, parameters, **extra):
    _sql(cursor, DUE_TABLE, parameters)
    _sql(cursor, INSERT.format(level=_level_case(parameters['levels'])),
        parameters, **extra)
    cursor.execute('DROP TABLE ladder_due')


def _floor_levels(cursor, parameters):
    "The day's levels by SQL: climb, final, dun the new lines"
    _sql(cursor, CLIMB.format(level=_climb_case(parameters['levels'])),
        parameters)
    _sql(cursor, FINAL, parameters)
    _insert(cursor, parameters, state='draft', day=None)
    return _result(cursor, parameters)


def _floor(cursor, parameters):
    "The day's run by SQL: the levels, then blacklist, notices and process"
    _floor_levels(cursor, parameters)
    _sql(cursor, ACTED, parameters)
    _sql(cursor, BLACKLIST, parameters, state='draft')
    _sql(cursor, TOLD, parameters)
    _notices(cursor, parameters)
    cursor.execute('DROP TABLE ladder_told')
    cursor.execute('DROP TABLE ladder_acted')
    _sql(cursor, PROCESS, parameters)
    return _result(cursor, parameters)


def _notices(cursor, parameters):
    messages = parameters['messages']
    values = ', '.join(f'(%(m{i}_language)s, %(m{i}_step)s, %(m{i}_label)s,'
        f' %(m{i}_single)s, %(m{i}_many)s)' for i in range(len(messages)))
    extra = {f'm{i}_{k}': v
        for i, message in enumerate(messages) for k, v in message.items()}
    _sql(cursor, NOTICES.format(messages=values), parameters,
        named=DIGEST_NAMED, **extra)


def _messages(cursor):
    """The texts of each step's notice in each language of the users, as
    the floor words them"""
    cursor.execute("SELECT DISTINCT COALESCE(l.code, 'en') FROM res_user u"
        " LEFT JOIN ir_lang l ON l.id = u.language")
    languages = [code for code, in cursor.fetchall()]

    def text(name):
        return gettext(f'crm_fruit_customer.msg_ladder_{name}')
    messages = []
    for language in languages:
        with Transaction().set_context(language=language):
            messages.extend(dict(language=language, step=step,
                    label=text(f'{step}_label'), single=text(step),
                    many=text(f'{step}_many'))
                for step in ['reminder', 'warning', 'escalation',
                    'field_check', 'blacklist'])
    return messages


def _our_levels(Dunning, cursor, parameters):
    Dunning.generate_dunnings(date=parameters['date'])
    return _result(cursor, parameters)


def _ours(Dunning, cursor, parameters):
    Dunning.run_receivable_ladder(date=parameters['date'])
    return _result(cursor, parameters)


def _result(cursor, parameters):
    "The dunnings, the blacklisted customers and the run's notices"
    cursor.execute(RESULT)
    dunnings = [tuple(r) for r in cursor.fetchall()]
    cursor.execute(BLACKLISTED)
    blacklisted = [tuple(r) for r in cursor.fetchall()]
    _sql(cursor, NOTICED, parameters)
    notices = sorted((user, label, model, tuple(sorted(json.loads(records))))
        for user, label, model, records in cursor.fetchall())
    return dunnings, blacklisted, notices


def _count(cursor, table):
    cursor.execute(f'SELECT COUNT(*) FROM {table}')
    return cursor.fetchone()[0]


def run(ctx):
    with ctx.transaction() as transaction:
        pool = ctx.pool
        Dunning = pool.get('account.dunning')
        Date = pool.get('ir.date')
        cursor = transaction.connection.cursor()
        cursor.execute("SELECT MAX(invoice_date) FROM account_invoice")
        date, = cursor.fetchone()
        if date is None:
            return []
        parameters = _parameters(pool, date, Date.today())
        parameters['messages'] = _messages(cursor)
        _state_before(cursor, parameters)
        waiting = _count(cursor, 'account_dunning')
        cursor.execute('SELECT COALESCE(MAX(id), 0) FROM res_notification')
        parameters['last_notice'], = cursor.fetchone()
        cursor.execute('SAVEPOINT ladder')

        def turns(our_function, floor_function):
            ours, floors = [], []
            for _ in range(REPEAT):
                floors.append(ctx.measure(floor_function, cursor, parameters))
                cursor.execute('ROLLBACK TO SAVEPOINT ladder')
                ours.append(ctx.measure(
                        our_function, Dunning, cursor, parameters))
                cursor.execute('ROLLBACK TO SAVEPOINT ladder')
                transaction.cache.clear()
            ours, floor = _median(ours), _median(floors)
            _check(ours.value, floor.value)
            return ours, floor

        levels, levels_floor = turns(_our_levels, _floor_levels)
        run, run_floor = turns(_ours, _floor)
    return [
        ctx.entry('receivable_ladder_levels', levels, levels_floor, waiting,
            repeat=REPEAT, as_of=str(date),
            dunnings_after=len(levels.value[0])),
        ctx.entry('receivable_ladder_daily', run, run_floor, waiting,
            repeat=REPEAT, as_of=str(date), notices=len(run.value[2]),
            blacklisted=len(run.value[1])),
        ]


def _check(ours, floor):
    if ours != floor:
        differ = set(floor[0]) ^ set(ours[0])
        notices = set(floor[2]) ^ set(ours[2])
        raise AssertionError(
            "the ladder's run differs from the floor: "
            f"{sorted(differ)[:5]}; blacklisted "
            f"{len(ours[1])} != {len(floor[1])}; notices "
            f"{sorted(notices)[:3]}")
