# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The receivable ageing's first page against its SQL floor.

The first page of *Receivable Ageing* (crm.receivable.ageing, 80 rows, the
most overdue first) as the web client loads it, a search then a read of the
list's columns, as root on the day the data set ends; the floor is one
hand-written PostgreSQL statement giving the same rows, compared row by
row. Both are measured in turns, REPEAT times each, medians kept.
"""
import datetime as dt

from bench.bench_service import _median

PAGE = 80
REPEAT = 5
FIELDS = ['customer', 'balance', 'not_due', 'overdue_30', 'overdue_60',
    'overdue_90', 'overdue_more', 'overdue']

FLOOR = """
WITH open_lines AS (
    SELECT l.id, l.party, l.debit - l.credit AS amount, l.maturity_date,
        m.date
    FROM account_move_line l
    JOIN account_move m ON m.id = l.move
    JOIN account_account a ON a.id = l.account
    JOIN account_account_type t ON t.id = a.type
    WHERE l.reconciliation IS NULL AND l.party IS NOT NULL AND t.receivable
        AND m.date <= %(date)s AND a.company = %(company)s
    UNION ALL
    SELECT l.id, l.party, l.debit - l.credit, l.maturity_date, m.date
    FROM account_move_line l
    JOIN account_move_reconciliation r ON r.id = l.reconciliation
    JOIN account_move m ON m.id = l.move
    JOIN account_account a ON a.id = l.account
    JOIN account_account_type t ON t.id = a.type
    WHERE r.date > %(date)s AND l.party IS NOT NULL AND t.receivable
        AND m.date <= %(date)s AND a.company = %(company)s),
dated AS (
    SELECT o.party, o.amount,
        COALESCE(o.maturity_date, MIN(d.maturity_date), o.date) AS due
    FROM open_lines o
    LEFT JOIN "account_invoice-account_move_line" p
        ON o.maturity_date IS NULL AND p.line = o.id
    LEFT JOIN account_invoice i ON i.id = p.invoice
    LEFT JOIN account_move_line d ON d.move = i.move
        AND d.account = i.account AND d.maturity_date IS NOT NULL
    GROUP BY o.id, o.party, o.amount, o.maturity_date, o.date)
SELECT party, party, SUM(amount) AS balance,
    SUM(CASE WHEN due >= %(date)s THEN amount ELSE 0 END),
    SUM(CASE WHEN due BETWEEN %(d30)s AND %(d1)s THEN amount ELSE 0 END),
    SUM(CASE WHEN due BETWEEN %(d60)s AND %(d31)s THEN amount ELSE 0 END),
    SUM(CASE WHEN due BETWEEN %(d90)s AND %(d61)s THEN amount ELSE 0 END),
    SUM(CASE WHEN due < %(d90)s THEN amount ELSE 0 END),
    SUM(CASE WHEN due < %(date)s THEN amount ELSE 0 END) AS overdue
FROM dated
GROUP BY party
HAVING SUM(amount) <> 0
ORDER BY overdue DESC, balance DESC, party
LIMIT %(limit)s
"""


def _parameters(date, company):
    days = {f'd{n}': date - dt.timedelta(days=n)
        for n in [1, 30, 31, 60, 61, 90]}
    return dict(days, date=date, company=company, limit=PAGE)


def _floor(cursor, parameters):
    cursor.execute(FLOOR, parameters)
    return [tuple(r) for r in cursor.fetchall()]


def _first_page(Ageing, transaction, date):
    with transaction.set_context(date=date):
        ids = [r.id for r in Ageing.search([], limit=PAGE)]
        values = {r['id']: r for r in Ageing.read(ids, FIELDS)}
    return [tuple(values[i][f] for f in ['id'] + FIELDS) for i in ids]


def _as_of(cursor):
    "The last day of the data set's invoices, as the credit officer's today"
    cursor.execute("SELECT MAX(invoice_date) FROM account_invoice")
    date, = cursor.fetchone()
    return date


def run(ctx):
    with ctx.transaction() as transaction:
        Ageing = ctx.pool.get('crm.receivable.ageing')
        company = transaction.context['company']
        cursor = transaction.connection.cursor()
        date = _as_of(cursor)
        if date is None:
            return []
        parameters = _parameters(date, company)
        _floor(cursor, parameters)  # warm the caches
        _first_page(Ageing, transaction, date)
        ours, floors = [], []
        for _ in range(REPEAT):
            floors.append(ctx.measure(_floor, cursor, parameters))
            ours.append(ctx.measure(_first_page, Ageing, transaction, date))
        ours, floor = _median(ours), _median(floors)
        if ours.value != floor.value:
            raise AssertionError(
                "the ageing's first page differs from the floor: "
                f"{ours.value[:3]} != {floor.value[:3]}")
        cursor.execute(
            "SELECT COUNT(*) FROM account_move_line WHERE party IS NOT NULL")
        lines, = cursor.fetchone()
    return [ctx.entry('receivable_ageing_first_page', ours, floor, lines,
            repeat=REPEAT, as_of=str(date))]
