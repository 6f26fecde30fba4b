# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""python -m bench.dataset -d DATABASE [--customers 100000] [--lines 2000000]

A fast benchmark data set built inside PostgreSQL with ``generate_series``:
the company, staff and products through the ORM, then customers, sales,
sale lines, opportunities and contact-log rows with one ``INSERT … SELECT``
each. The demo generator (``python -m demo --copy``) gives more believable
rows but streams them from Python; at 100k customers on a busy two-core
machine it needs most of an hour, this one a few minutes.

Customers are skewed (a few buy most: the 80/20 split is meaningful), one in
five stopped buying months ago (decline), sales are 85 % done, a few
cancelled or still in quotation; every sale has one to three lines.
"""
import argparse
import datetime as dt
import logging
import sys
from decimal import Decimal

logger = logging.getLogger(__name__)

PARTIES = """
INSERT INTO party_party (code, name, active, create_uid, create_date)
SELECT 'B' || LPAD(i::text, 7, '0'), 'Bench Customer ' || i, TRUE, 0, NOW()
FROM generate_series(1, %(customers)s) AS i
"""

SALES = """
INSERT INTO sale_sale (id, company, currency, party, invoice_party,
    sale_date, state, invoice_method, invoice_state, shipment_method,
    shipment_state, number, create_uid, create_date)
SELECT %(first_sale)s + i, %(company)s, %(currency)s, party, party,
    CASE WHEN party %% 5 = 0
        THEN %(end)s::date - 200 - FLOOR(r2 * 530)::int
        ELSE %(end)s::date - FLOOR(r2 * 730)::int END,
    CASE WHEN r3 < 0.85 THEN 'done' WHEN r3 < 0.90 THEN 'processing'
        WHEN r3 < 0.93 THEN 'confirmed' WHEN r3 < 0.97 THEN 'cancelled'
        ELSE 'quotation' END,
    'order', 'none', 'order', 'none', 'B' || i, 0, NOW()
FROM (
    SELECT i, (SELECT MIN(id) FROM party_party WHERE code LIKE 'B%%')
            + FLOOR(%(customers)s * POWER(random(), 3))::int AS party,
        random() AS r2, random() AS r3
    FROM generate_series(1, %(sales)s) AS i) AS s
"""

LINES = """
INSERT INTO sale_line (sale, sequence, type, product, quantity, unit,
    unit_price, description, create_uid, create_date)
SELECT %(first_sale)s + 1
        + ((i::bigint - 1) * %(sales)s / %(lines)s)::int, 1, 'line',
    (%(products)s::int[])[1 + FLOOR(random() * %(product_count)s)::int],
    50 * (2 + FLOOR(random() * 40)), %(unit)s,
    ROUND((3 + random() * 17)::numeric, 4), 'Fruit', 0, NOW()
FROM generate_series(1, %(lines)s) AS i
"""

OPPORTUNITIES = """
INSERT INTO sale_opportunity (company, currency, party, number, start_date,
    state, conversion_probability, description, create_uid, create_date)
SELECT %(company)s, %(currency)s, p.id, 'BO' || p.id, %(end)s::date - 30,
    CASE WHEN random() < 0.5 THEN 'lead' ELSE 'opportunity' END, 0.5,
    'Lead', 0, NOW()
FROM party_party p
WHERE p.code LIKE 'B%%' AND p.id %% 10 = 3
"""

CONTACTS = """
INSERT INTO crm_contact (company, party, employee, department, date, channel,
    direction, subject, create_uid, create_date)
SELECT %(company)s,
    (SELECT MIN(id) FROM party_party WHERE code LIKE 'B%%')
        + FLOOR(%(customers)s * random())::int,
    (%(employees)s::int[])[1 + FLOOR(random() * %(employee_count)s)::int],
    %(department)s, %(end)s::timestamp - (random() * 730) * INTERVAL '1 day',
    'phone', 'out', 'Follow-up', 0, NOW()
FROM generate_series(1, %(contacts)s) AS i
"""


def _master_data(end):
    "Company, staff and products through the ORM; return their ids"
    from trytond.modules.company.tests import create_company, set_company
    from trytond.pool import Pool
    pool = Pool()
    Party = pool.get('party.party')
    Employee = pool.get('company.employee')
    Uom = pool.get('product.uom')
    Template = pool.get('product.template')
    ModelData = pool.get('ir.model.data')
    company = create_company()
    kg, = Uom.search([('symbol', '=', 'kg')])
    with set_company(company):
        staff = Party.create([{'name': f"Bench Rep {i}"} for i in range(20)])
        employees = Employee.create([
                {'party': p.id, 'company': company.id} for p in staff])
        templates = Template.create([{
                    'name': name, 'type': 'goods', 'salable': True,
                    'default_uom': kg.id, 'sale_uom': kg.id,
                    'list_price': Decimal('8'),
                    'products': [('create', [{}])],
                    } for name in [
                    "Fuji Apples", "Gala Apples", "Huangguan Pears",
                    "Ya Pears", "Cherries", "Kyoho Grapes", "Kiwifruit",
                    "Garlic", "Ginger", "Scallion", "Chinese Cabbage",
                    "Carrots"]])
        products = [t.products[0] for t in templates]
        for i, product in enumerate(products):
            product.cost_price = Decimal(2 + i % 7)
        pool.get('product.product').save(products)
    department = ModelData.get_id('crm_fruit_customer', 'department_fruit')
    return dict(
        company=company.id, currency=company.currency.id, unit=kg.id,
        products=[p.id for p in products], product_count=len(products),
        employees=[e.id for e in employees], employee_count=len(employees),
        department=department)


def build(database, customers, lines, contacts, end):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool(database)
    with Transaction().start(database, 0, readonly=True):
        pool.init()
    with Transaction().start(database, 0) as transaction:
        Party = pool.get('party.party')
        if Party.search([('code', '=', 'B0000001')]):
            logger.info("bench data set already in %s", database)
            return
        parameters = _master_data(end)
        cursor = transaction.connection.cursor()
        cursor.execute('SELECT setseed(0.42)')
        cursor.execute('SELECT COALESCE(MAX(id), 0) FROM sale_sale')
        first_sale, = cursor.fetchone()
        parameters.update(
            customers=customers, lines=lines, sales=lines * 100 // 185,
            contacts=contacts, end=end, first_sale=first_sale)
        for name, statement in [
                ('customers', PARTIES), ('sales', SALES),
                ('sale lines', LINES), ('opportunities', OPPORTUNITIES),
                ('contacts', CONTACTS)]:
            cursor.execute(statement, parameters)
            logger.info("%s: %s rows", name, cursor.rowcount)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('sale_sale', 'id'), "
            "(SELECT MAX(id) FROM sale_sale))")
        transaction.commit()


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='python -m bench.dataset', description=__doc__)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--customers', type=int, default=100_000)
    parser.add_argument('--lines', type=int, default=2_000_000)
    parser.add_argument('--contacts', type=int, default=1_000_000)
    parser.add_argument('--end', type=dt.date.fromisoformat,
        default=dt.date.today())
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format='%(message)s')
    build(args.database, args.customers, args.lines, args.contacts, args.end)
    return 0


if __name__ == '__main__':
    sys.exit(main())
