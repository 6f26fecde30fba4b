# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Customer classification over every customer against its SQL floor.

The floor is one hand-written PostgreSQL statement that computes the same
figures (ABC by revenue and by gross profit, core, RFM, lifecycle, pipeline,
window revenue and orders) into a temporary table. The run checks that both
agree on every party, so the floor cannot cheat by computing less.
"""
from dateutil.relativedelta import relativedelta

FLOOR = """
CREATE TEMP TABLE bench_classification_floor ON COMMIT DROP AS
WITH orders AS (
    SELECT party, MIN(sale_date) AS first_date, MAX(sale_date) AS last_date,
        COUNT(DISTINCT sale_date) AS order_days, COUNT(id) AS orders
    FROM sale_sale
    WHERE state IN ('confirmed', 'processing', 'done')
        AND company = %(company)s AND sale_date <= %(date)s
    GROUP BY party),
lines AS (
    SELECT s.party,
        ROUND(SUM(CASE WHEN s.sale_date >= %(start)s
            THEN s.quantity_numeric * s.unit_price
            ELSE 0 END), 2) AS revenue,
        ROUND(SUM(CASE WHEN s.sale_date < %(start)s
            THEN s.quantity_numeric * s.unit_price
            ELSE 0 END), 2) AS previous,
        ROUND(SUM(CASE WHEN s.sale_date >= %(start)s
            THEN COALESCE(s.quantity_numeric * c.cost_price, 0)
            ELSE 0 END), 2) AS cost,
        COUNT(DISTINCT CASE WHEN s.sale_date >= %(start)s THEN s.id END)
            AS orders,
        MAX(CASE WHEN s.sale_date >= %(start)s THEN s.sale_date END)
            AS last_date
    FROM (SELECT l.product, l.type, l.unit_price, s.party, s.sale_date,
            s.state, s.company, s.id,
            CAST(CASE WHEN s.state = 'done'
                THEN COALESCE(l.actual_quantity, l.quantity)
                ELSE l.quantity END AS NUMERIC) AS quantity_numeric
        FROM sale_line l JOIN sale_sale s ON l.sale = s.id) s
    LEFT JOIN product_cost_price c
        ON c.product = s.product AND c.company = s.company
    WHERE s.state IN ('confirmed', 'processing', 'done')
        AND s.company = %(company)s AND s.type = 'line'
        AND s.sale_date >= %(previous)s AND s.sale_date <= %(date)s
    GROUP BY s.party),
ranked AS (
    SELECT party, revenue, previous, orders,
        SUM(revenue) OVER (ORDER BY revenue DESC, party
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - revenue
            AS before,
        SUM(revenue) OVER () AS total,
        GREATEST(revenue - cost, 0) AS positive,
        SUM(GREATEST(revenue - cost, 0)) OVER (
            ORDER BY GREATEST(revenue - cost, 0) DESC, party
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
            - GREATEST(revenue - cost, 0) AS positive_before,
        SUM(GREATEST(revenue - cost, 0)) OVER () AS positive_total,
        SUM(cost) OVER () AS total_cost,
        1 + 5 * (RANK() OVER (ORDER BY last_date) - 1) / COUNT(*) OVER ()
            AS rfm_recency,
        1 + 5 * (RANK() OVER (ORDER BY orders) - 1) / COUNT(*) OVER ()
            AS rfm_frequency,
        1 + 5 * (RANK() OVER (ORDER BY revenue) - 1) / COUNT(*) OVER ()
            AS rfm_monetary
    FROM lines
    WHERE revenue > 0),
classes AS (
    SELECT *,
        CASE WHEN before < total * %(a)s THEN 'A'
            WHEN before < total * %(b)s THEN 'B' ELSE 'C' END AS value_class,
        CASE WHEN total_cost = 0 THEN NULL
            WHEN positive <= 0 THEN 'C'
            WHEN positive_before < positive_total * %(a)s THEN 'A'
            WHEN positive_before < positive_total * %(b)s THEN 'B'
            ELSE 'C' END AS profit_class
    FROM ranked),
opportunities AS (
    SELECT party, MAX(CASE WHEN state IN ('opportunity', 'converted', 'won')
            THEN 1 ELSE 0 END) AS opportunity
    FROM sale_opportunity
    WHERE party IS NOT NULL AND company = %(company)s
    GROUP BY party)
SELECT p.id AS party, v.value_class, v.profit_class,
    COALESCE(v.value_class = 'A'
        AND v.revenue >= v.previous * (1 + %(growth)s), FALSE)
        AS core_customer,
    v.rfm_recency, v.rfm_frequency, v.rfm_monetary,
    CASE WHEN o.party IS NULL AND op.party IS NOT NULL THEN 'exploration'
        WHEN o.party IS NULL THEN NULL
        WHEN o.last_date < %(start)s
            OR (v.previous > 0
                AND COALESCE(v.revenue, 0) <= v.previous * (1 - %(drop)s))
            OR (o.order_days >= 2
                AND (o.order_days - 1) * (%(date)s::date - o.last_date)
                    > %(gap)s * (o.last_date - o.first_date))
            THEN 'decline'
        WHEN o.order_days < %(formation_orders)s
            OR o.first_date > %(exploration_date)s THEN 'exploration'
        WHEN o.order_days < %(stability_orders)s
            OR o.first_date > %(stability_date)s THEN 'formation'
        ELSE 'stability' END AS lifecycle_stage,
    CASE WHEN o.orders >= %(user_orders)s THEN 'user'
        WHEN o.orders >= 1 THEN 'order_customer'
        WHEN op.opportunity = 1 THEN 'opportunity'
        WHEN op.party IS NOT NULL THEN 'potential'
        ELSE 'to_identify' END AS pipeline_class,
    v.revenue, v.orders
FROM party_party p
LEFT JOIN orders o ON o.party = p.id
LEFT JOIN classes v ON v.party = p.id
LEFT JOIN opportunities op ON op.party = p.id
"""

MISMATCHES = """
SELECT COUNT(*) FROM party_party p
JOIN bench_classification_floor f ON f.party = p.id
WHERE (p.value_class, p.profit_class, p.core_customer, p.rfm_recency,
        p.rfm_frequency, p.rfm_monetary, p.lifecycle_stage, p.pipeline_class,
        p.classification_revenue, p.classification_orders)
    IS DISTINCT FROM (f.value_class, f.profit_class, f.core_customer,
        f.rfm_recency, f.rfm_frequency, f.rfm_monetary, f.lifecycle_stage,
        f.pipeline_class, f.revenue, f.orders)
"""


def _parameters(Party, date, company):
    start, previous = Party._classification_window(date)
    value = Party._value_thresholds()
    lifecycle = Party._lifecycle_thresholds()
    return dict(
        company=company, date=date, start=start, previous=previous,
        a=value['a'], b=value['b'], growth=value['growth'],
        drop=lifecycle['drop'], gap=lifecycle['gap'],
        formation_orders=lifecycle['formation_orders'],
        stability_orders=lifecycle['stability_orders'],
        exploration_date=date - relativedelta(
            months=lifecycle['exploration_months']),
        stability_date=date - relativedelta(
            months=lifecycle['stability_months']),
        user_orders=Party._pipeline_thresholds()['user_orders'])


def _floor(cursor, parameters):
    cursor.execute('DROP TABLE IF EXISTS bench_classification_floor')
    cursor.execute(FLOOR, parameters)


def run(ctx):
    with ctx.transaction() as transaction:
        pool = ctx.pool
        Party = pool.get('party.party')
        Date = pool.get('ir.date')
        cursor = transaction.connection.cursor()
        company = transaction.context['company']
        date = Date.today()
        parameters = _parameters(Party, date, company)
        cursor.execute('SELECT COUNT(*) FROM party_party')
        rows, = cursor.fetchone()

        def recompute():
            Party._classify_parties(date, company)

        floor = ctx.measure(_floor, cursor, parameters)
        cold = ctx.measure(recompute)
        floor_again = ctx.measure(_floor, cursor, parameters)
        if floor_again.seconds < floor.seconds:
            floor = floor_again
        cursor.execute(MISMATCHES)
        mismatches, = cursor.fetchone()
        if mismatches:
            raise AssertionError(
                f"recompute and floor disagree on {mismatches} parties")
        steady = ctx.measure(recompute)
        cron = ctx.measure(Party.classify_customers, date=date)
    return [
        ctx.entry('classification_recompute', cold, floor, rows),
        ctx.entry('classification_recompute_unchanged', steady, floor, rows),
        ctx.entry('classification_cron_with_snapshot', cron, floor, rows),
        ]
