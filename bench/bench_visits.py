# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Visit-plan generation for every rep against its SQL floor.

The data set has no grades nor main products (they are set by hand in real
life), and the SQL loader no reps nor departments: the setup gives every
bench customer a rep (the company's employees in turn, alternately fruit and
vegetable), a department, a grade (A–D by id) and one season product category
(by id, from the Longkou produce calendar it loads); it is rolled back with the
rest.

The floor is one hand-written PostgreSQL INSERT … SELECT of the visits each
customer lacks in each week (calendar from generate_series, DISTINCT ON for
the department), on days picked without the rep's daily capacity nor route.
Both results are materialised and compared per customer and week: the
planner never plans more than the floor, and no rep gets more visits or
calls a day than configured, so neither can cheat.
"""
import datetime as dt

from trytond.pool import Pool

FLOOR = """
INSERT INTO crm_visit (company, party, employee, department, date, means,
    state, generated, create_uid, create_date)
WITH days AS (
    SELECT d::date AS date, (d::date - DATE '2001-01-01') / 7 AS week
    FROM generate_series(%(start)s::date, %(end)s::date, INTERVAL '1 day') d
    WHERE EXTRACT(ISODOW FROM d) < 6
        AND d::date NOT IN (
            SELECT date FROM crm_holiday WHERE kind = 'holiday')),
ranked_days AS (
    SELECT week, date,
        ROW_NUMBER() OVER (PARTITION BY week ORDER BY date) - 1 AS rank,
        COUNT(*) OVER (PARTITION BY week) AS n
    FROM days),
weeks AS (
    SELECT DISTINCT week, n,
        DATE '2001-01-01' + week * 7 AS first,
        DATE '2001-01-01' + week * 7 + 6 AS last,
        EXTRACT(MONTH FROM DATE '2001-01-01' + week * 7 + 3)::int::text
            AS month
    FROM ranked_days),
customers AS (
    SELECT DISTINCT ON (p.id) p.id AS party, p.sales_rep AS employee,
        e.company, f.department, f.visits_per_month, f.means
    FROM party_party p
    JOIN company_employee e ON e.id = p.sales_rep
    JOIN "party_party-crm_department" pd ON pd.party = p.id
    JOIN crm_visit_frequency f
        ON f.department = pd.department AND f.grade = p.grade
    WHERE p.active AND f.visits_per_month > 0 AND e.company = %(company)s
    ORDER BY p.id, f.visits_per_month DESC, f.department),
season AS (
    SELECT pc.party, s.month, MAX(s.multiplier) AS multiplier
    FROM "party_party-main-product_category" pc
    JOIN crm_season s ON s.category = pc.category
    GROUP BY pc.party, s.month),
existing AS (
    SELECT v.party, w.week, COUNT(*) AS number
    FROM crm_visit v JOIN weeks w ON v.date BETWEEN w.first AND w.last
    WHERE v.state IN ('planned', 'done')
    GROUP BY v.party, w.week),
needed AS (
    SELECT c.*, w.week, w.n, COALESCE(x.number, 0) AS have,
        FLOOR((w.week + 1) * k.rate + k.phase)
            - FLOOR(w.week * k.rate + k.phase) AS need
    FROM customers c
    CROSS JOIN weeks w
    LEFT JOIN season s ON s.party = c.party AND s.month = w.month
    LEFT JOIN existing x ON x.party = c.party AND x.week = w.week
    CROSS JOIN LATERAL (SELECT
        c.visits_per_month * COALESCE(s.multiplier, 1.0::float8)
            * %(per_week)s::float8 AS rate,
        (c.party %% 97) / 97.0::float8 AS phase) k)
SELECT n.company, n.party, n.employee, n.department, d.date, n.means,
    'planned', TRUE, 0, NOW()
FROM needed n
JOIN generate_series(0, 6) slot
    ON slot >= n.have AND slot < n.need AND slot < n.n
JOIN ranked_days d ON d.week = n.week AND d.rank = (n.party + slot) %% n.n
"""

COLUMNS = 'company, party, employee, department, date, means'

WEEKS_OVER_FLOOR = """
WITH ours AS (
    SELECT party, (date - DATE '2001-01-01') / 7 AS week, COUNT(*) AS n
    FROM bench_visit_ours GROUP BY 1, 2),
floor AS (
    SELECT party, (date - DATE '2001-01-01') / 7 AS week, COUNT(*) AS n
    FROM bench_visit_floor GROUP BY 1, 2)
SELECT COUNT(*) FROM ours LEFT JOIN floor USING (party, week)
WHERE ours.n > COALESCE(floor.n, 0)
"""

DAYS_OVER_CAPACITY = """
SELECT COUNT(*) FROM (
    SELECT employee, date, means = 'visit' AS visit, COUNT(*) AS n
    FROM bench_visit_ours GROUP BY 1, 2, 3) AS d
WHERE n > CASE WHEN visit THEN %(visits)s ELSE %(calls)s END
"""


def _setup(cursor, ModelData, company):
    """A rep, a department, a grade and a main product for every customer

    Reps alternate between the departments; customers that already have a
    rep or departments keep them."""
    departments = [
        ModelData.get_id('crm_fruit_customer', 'department_%s' % d)
        for d in ['fruit', 'vegetable']]
    cursor.execute(
        'SELECT id FROM company_employee WHERE company = %s ORDER BY id',
        (company,))
    reps = [r for r, in cursor.fetchall()]
    rep_departments = [departments[i % 2] for i in range(len(reps))]
    customers = ("code LIKE 'B%%' AND id NOT IN "
        "(SELECT party FROM company_employee) AND id NOT IN "
        "(SELECT party FROM company_company)")
    cursor.execute(
        'UPDATE party_party SET sales_rep = (%s::int[])[1 + id %% %s] '
        'WHERE sales_rep IS NULL AND ' + customers, (reps, len(reps)))
    cursor.execute(
        'INSERT INTO "party_party-crm_department" (party, department) '
        'SELECT id, (%s::int[])[1 + id %% %s] FROM party_party '
        'WHERE id NOT IN (SELECT party FROM "party_party-crm_department") '
        'AND ' + customers, (rep_departments, len(reps)))
    grades = [ModelData.get_id('crm_fruit_customer', 'grade_%s' % g)
        for g in 'abcd']
    calendar = Pool().get(
        'crm.season.calendar.load', type='wizard').load_calendar()
    categories = [calendar[c].id
        for c in ['apple', 'pear', 'cherry', 'grape', 'kiwifruit', 'garlic',
            'ginger', 'scallion', 'cabbage']]
    cursor.execute(
        'UPDATE party_party SET grade = (%s::int[])[1 + id %% 4] '
        'WHERE sales_rep IS NOT NULL', (grades,))
    cursor.execute(
        'INSERT INTO "party_party-main-product_category" (party, category) '
        'SELECT id, (%s::int[])[1 + id %% 9] FROM party_party '
        'WHERE sales_rep IS NOT NULL', (categories,))
    cursor.execute('ANALYZE party_party')
    cursor.execute('ANALYZE "party_party-crm_department"')
    cursor.execute('ANALYZE "party_party-main-product_category"')


def _new_rows(cursor, last_id, table):
    "Move the visits created after last_id into a temporary table"
    cursor.execute(f'DROP TABLE IF EXISTS {table}')
    cursor.execute(
        f'CREATE TEMP TABLE {table} AS SELECT {COLUMNS} FROM crm_visit '
        'WHERE id > %s', (last_id,))
    cursor.execute('DELETE FROM crm_visit WHERE id > %s', (last_id,))
    cursor.execute(f'SELECT COUNT(*) FROM {table}')
    return cursor.fetchone()[0]


def run(ctx):
    with ctx.transaction() as transaction:
        pool = ctx.pool
        ModelData = pool.get('ir.model.data')
        Configuration = pool.get('crm.configuration')
        Visit = pool.get('crm.visit')
        cursor = transaction.connection.cursor()
        company = transaction.context['company']
        _setup(cursor, ModelData, company)

        weeks = Configuration(1).plan_weeks
        start = dt.date.today()
        monday = start - dt.timedelta(days=start.weekday())
        parameters = {
            'start': start,
            'end': monday + dt.timedelta(days=7 * weeks - 1),
            'company': company,
            'per_week': 12.0 / 52.0,
            }
        cursor.execute('SELECT COALESCE(MAX(id), 0) FROM crm_visit')
        last_id, = cursor.fetchone()
        cursor.execute(
            "SELECT COUNT(*) FROM party_party WHERE grade IS NOT NULL")
        customers, = cursor.fetchone()

        def floor():
            cursor.execute(FLOOR, parameters)

        def generate():
            Visit.generate_plans(weeks=weeks, start=start)

        floor_first = ctx.measure(floor)
        _new_rows(cursor, last_id, 'bench_visit_floor')
        cold = ctx.measure(generate)
        # as autovacuum would after a weekly run: both reruns plan with it
        cursor.execute('ANALYZE crm_visit')
        cursor.execute('SELECT COALESCE(MAX(id), 0) FROM crm_visit')
        after_cold, = cursor.fetchone()
        # again on top of the plans: both must create nothing
        again = ctx.measure(generate)
        floor_rerun = ctx.measure(floor)
        cursor.execute(
            'SELECT COUNT(*) FROM crm_visit WHERE id > %s', (after_cold,))
        duplicates, = cursor.fetchone()
        plans = _new_rows(cursor, last_id, 'bench_visit_ours')
        floor_again = ctx.measure(floor)
        _new_rows(cursor, last_id, 'bench_visit_floor_again')

        cursor.execute(WEEKS_OVER_FLOOR)
        mismatches, = cursor.fetchone()
        configuration = Configuration(1)
        cursor.execute(DAYS_OVER_CAPACITY, {
                'visits': configuration.visits_per_day,
                'calls': configuration.calls_per_day,
                })
        overloaded, = cursor.fetchone()
        if mismatches or overloaded or duplicates:
            raise AssertionError(
                f"visit plans: {mismatches} customer weeks above the floor, "
                f"{overloaded} rep days above capacity, "
                f"{duplicates} created by the second runs")

        floor_best = min(floor_first, floor_again, key=lambda m: m.seconds)
        return [
            ctx.entry('visit_plan_generation', cold, floor_best, plans,
                customers=customers, weeks=weeks),
            ctx.entry('visit_plan_generation_rerun', again, floor_rerun, 0,
                customers=customers, weeks=weeks),
            ]
