# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Deterministic rows of the demo company, free of any Tryton import.

``generate(size, seed)`` returns a :class:`Dataset`: small master data as
lists (company, staff, categories, products) and the big tables as
generators (``customers()``, ``sales()``, ``contacts()``) so that 100k
customers or 2M sale lines stream without being held in memory.  Every
customer draws from its own ``random.Random`` seeded with
``(seed, stream, index)``: the same seed gives the same rows, and the first
N customers of a big dataset are the customers of a small one.
"""
import calendar
import datetime as dt
import random
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from . import vocabulary as V

CENT = Decimal('0.01')
MOBILE_PREFIXES = ['135', '136', '137', '138', '139', '150', '151', '158',
    '159', '186', '187', '188', '189']


def _weighted(rng, mapping):
    keys = list(mapping)
    weights = [w if isinstance(w, (int, float)) else w[-1]
        for w in mapping.values()]
    return rng.choices(keys, weights)[0]


def _poisson(rng, lam):
    # Knuth for small lambdas, normal approximation above.
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, lam ** 0.5)))
    limit, k, p = pow(2.718281828459045, -lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _phone(rng, prefix):
    "A phone and a fax number (next line) in the numbering plan of prefix."
    digits, first = V.PHONE_FORMATS.get(prefix, (8, '2345678'))
    start = rng.choice(first)
    number = start + ''.join(
        rng.choice('0123456789') for _ in range(digits - 1 - len(start)))
    split = digits - 4
    phone = f'{prefix} {number[:split]} {number[split:]}'
    last = rng.randrange(9)
    return phone + str(last), phone + str(last + 1)


def _add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month,
        day=min(day.day, calendar.monthrange(year, month)[1]))


def _holidays():
    "Return the dates of the holidays the module installs (holiday.xml)"
    path = (Path(__file__).resolve().parents[1]
        / 'addons' / 'crm_fruit_customer' / 'holiday.xml')
    return {dt.date(*map(int, m)) for m in re.findall(
            r'eval="datetime\.date\((\d+), (\d+), (\d+)\)"',
            path.read_text(encoding='utf-8'))}


HOLIDAYS = _holidays()


def _container_number(rng, owner):
    "An ISO 6346 container number of owner (4 letters) with its check digit"
    values, value = {}, 10
    for letter in 'ABCDEFGHIJKLMNOPQRSTUVWXYZ':
        if value % 11 == 0:
            value += 1
        values[letter] = value
        value += 1
    serial = '%06d' % rng.randrange(10 ** 6)
    code = owner + serial
    total = sum((values[c] if c.isalpha() else int(c)) * 2 ** i
        for i, c in enumerate(code))
    return code + str(total % 11 % 10)


def _working_day(day, step):
    "Return day or the nearest working day after (step 1) or before (-1)"
    while day.weekday() >= 5 or day in HOLIDAYS:
        day += dt.timedelta(days=step)
    return day


@dataclass
class Dataset:
    customer_count: int
    seed: int = 42
    months: int = 24
    end: dt.date = field(default_factory=dt.date.today)

    company = V.COMPANY
    countries = V.COUNTRIES
    currencies = V.CURRENCIES
    departments = V.DEPARTMENTS
    password = V.PASSWORD
    season_categories = V.SEASON_CATEGORIES
    payment_terms = V.PAYMENT_TERMS
    incoterms = V.INCOTERMS

    # start, staff and products are asked for every customer, month and
    # sale: computed once (per end and months for start)
    @property
    def start(self):
        key = (self.end, self.months)
        if self.__dict__.get('_start_key') != key:
            self._start = _add_months(self.end.replace(day=1),
                -self.months + 1)
            self._start_key = key
        return self._start

    @property
    def currency_rates(self):
        """(code, date, rate) of the currencies for 1 CNY, monthly

        The first rates are dated a year before the first sale: the sale and
        opportunity reports drop every line without a rate on its date."""
        first = self.start.replace(year=self.start.year - 1, month=1)
        rows = [(self.company['currency'], first, Decimal(1))]
        for code, base in V.CURRENCY_RATES.items():
            rng = self._rng('currency_rates', code)
            day = first
            while day <= self.end:
                rate = Decimal(base * (1 + rng.uniform(-0.02, 0.02)))
                rows.append((code, day, rate.quantize(Decimal('0.000001'))))
                day = _add_months(day, 1)
        return rows

    @property
    def staff(self):
        if '_staff' not in self.__dict__:
            self._staff = [dict(login=login, name=zh, name_en=en, role=role,
                        department=dept, groups=groups)
                for login, zh, en, role, dept, groups in V.STAFF]
        return self._staff

    def reps(self, department):
        return [s['login'] for s in self.staff
            if s['role'] == 'rep' and s['department'] == department]

    def manager(self, department):
        return next(s['login'] for s in self.staff
            if s['role'] == 'manager' and s['department'] == department)

    @property
    def categories(self):
        return [dict(code=code, department=dept, name=zh, name_en=en,
                    parent=code.split('-')[0] if '-' in code else None)
            for code, dept, zh, en in V.CATEGORIES]

    @property
    def products(self):
        if '_products' not in self.__dict__:
            self._products = self._make_products()
        return self._products

    def _make_products(self):
        departments = {c[0]: c[1] for c in V.CATEGORIES}
        return [dict(code=code, category=cat, department=departments[cat],
                    name=zh, name_en=en, list_price=price, cost_price=cost,
                    season=season, line_kg=kg)
            for code, cat, zh, en, price, cost, season, kg in V.PRODUCTS]

    def _rng(self, stream, index):
        return random.Random(f'{self.seed}:{stream}:{index}')

    # -- customers ---------------------------------------------------------
    def customers(self):
        for index in range(self.customer_count):
            yield self.customer(index)

    def customer(self, index):
        rng = self._rng('customer', index)
        foreign = rng.random() < V.FOREIGN_SHARE
        ctype = _weighted(rng, V.CUSTOMER_TYPES)
        if foreign:
            ctype = rng.choice(['importer', 'importer', 'distributor',
                    'supermarket', 'wholesaler'])
        departments = rng.choices(
            [['fruit'], ['vegetable'], ['fruit', 'vegetable']],
            [45, 35, 20])[0]
        if foreign:
            values = self._foreign_customer(rng, index, ctype)
        else:
            values = self._domestic_customer(rng, index, ctype)
        main_department = departments[0]
        # Pareto sized: few customers carry most of the volume (80/20).
        size = min(rng.paretovariate(1.05), 50.0)
        key_account = size > 8 and ctype != 'individual'
        reps = self.reps(main_department)
        rep = reps[index % len(reps)]
        second = None
        if key_account:
            second = (self.manager(main_department) if rng.random() < 0.5
                else next(r for r in reps if r != rep))
        # Customers are won over the period; some stop buying (decline).
        first_month = (0 if rng.random() < 0.55
            else rng.randrange(0, max(1, self.months - 2)))
        last_month = (self.months - 1 if rng.random() < 0.85
            else rng.randrange(first_month, self.months))
        first_contact = _add_months(self.start, first_month) + dt.timedelta(
            days=rng.randrange(0, 27))
        capital = Decimal(rng.choice([50, 100, 200, 300, 500, 1000, 2000,
                    5000])) * 10000
        values.update(
            index=index,
            code='C%06d' % (index + 1),
            customer_type=ctype,
            customer_source=_weighted(rng, V.SOURCES),
            departments=departments,
            registered_capital=capital if ctype != 'individual' else None,
            registered_capital_currency=(
                'USD' if foreign and ctype != 'individual' else 'CNY'),
            business_scope=self._business_scope(departments, foreign),
            sales_rep=rep,
            second_contact=second,
            key_account=key_account,
            size=round(size, 3),
            first_month=first_month,
            last_month=last_month,
            first_contact=first_contact,
            yearly_results=self._yearly_results(rng, size, capital),
            )
        values.update(self._crm_values(index, values))
        values.update(self._terms_values(index, values))
        return values

    def _terms_values(self, index, customer):
        """Payment term, payment habit and, for export, incoterm, drawn from
        their own stream: cash on delivery for small domestic buyers, 60
        days for importers and key accounts, 30 days for the others."""
        rng = self._rng('terms', index)
        export = customer['country'] != 'CN'
        if export or customer['key_account']:
            weights = {'cod': 5, '30': 35, '60': 60}
        elif customer['customer_type'] == 'individual' or (
                customer['size'] < 1.3):
            weights = {'cod': 70, '30': 25, '60': 5}
        else:
            weights = {'cod': 25, '30': 60, '60': 15}
        behaviours = dict(V.PAYMENT_BEHAVIOURS)
        if rng.random() < 0.2:  # a slow payer
            behaviours.update(on_time=40, late=35, partial=15, never=10)
        return dict(
            payment_term=_weighted(rng, weights),
            payment_behaviours=behaviours,
            incoterm=rng.choice(sorted(V.INCOTERMS)) if export else None)

    def _crm_values(self, index, customer):
        "Grade and main categories, drawn from their own stream."
        rng = self._rng('crm', index)
        size = customer['size']
        if customer['key_account'] or size > 6:
            grade = 'grade_a'
        elif size > 2.5:
            grade = 'grade_b'
        elif size > 1.3:
            grade = 'grade_c'
        else:
            grade = 'grade_d'
        categories = sorted({V.SEASON_CATEGORIES[p['code']]
                for p in self.products
                if p['department'] in customer['departments']
                and p['code'] in V.SEASON_CATEGORIES})
        main = sorted(rng.sample(categories, min(len(categories),
                    rng.randint(1, 3))))
        return dict(grade=grade, main_product_categories=main)

    def _person(self, rng):
        (s, sp), (g, gp) = rng.choice(V.SURNAMES), rng.choice(V.GIVEN_NAMES)
        return s + g, f'{sp} {gp}'

    def _domestic_customer(self, rng, index, ctype):
        city, city_en, postal, prefix, _ = rng.choices(
            V.CN_CITIES, [c[-1] for c in V.CN_CITIES])[0]
        syllables = V.TRADE_SYLLABLES
        (a, ap), (b, bp) = (syllables[index % len(syllables)],
            syllables[(index // len(syllables) + index * 7 + 1)
                % len(syllables)])
        trade, trade_en = a + b, ap.capitalize() + bp.lower()
        person, person_en = self._person(rng)
        suffix, suffix_en, _ = V.CUSTOMER_TYPES[ctype]
        if ctype == 'individual':
            name, name_en = f'{person}（个体户）', f'{person_en} (sole trader)'
        else:
            name = f'{city}{trade}{suffix}'
            name_en = f'{city_en} {trade_en} {suffix_en}'
        phone, fax = _phone(rng, prefix)
        slug = f'{trade_en.lower()}{index}'
        return dict(
            name=name, name_en=name_en, lang='zh_CN', country='CN',
            legal_representative=person,
            contact_person=self._person(rng)[0],
            street=f'{rng.choice(["农批市场", "物流园", "工业园", "商贸城"])}'
            f'{rng.randrange(1, 30)}区{rng.randrange(1, 300)}号',
            postal_code=postal, city=city,
            phone=phone,
            mobile=f'+86 {rng.choice(MOBILE_PREFIXES)} '
            f'{rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}',
            fax=fax if rng.random() < 0.4 else None,
            email=f'sales@{slug}.example.cn',
            export_markets=(rng.sample(['US', 'CA', 'MY', 'SG'], 2)
                if ctype == 'importer' else []),
            )

    def _foreign_customer(self, rng, index, ctype):
        country, city_en, city, postal, prefix, _ = rng.choices(
            V.FOREIGN_CITIES, [c[-1] for c in V.FOREIGN_CITIES])[0]
        prefix_en, prefix_zh = rng.choice(V.FOREIGN_PREFIXES)
        kind_en, kind_zh = rng.choice(V.FOREIGN_KINDS)
        suffix_en, suffix_zh = rng.choice(V.FOREIGN_SUFFIXES[country])
        name_en = f'{prefix_en} {kind_en} {suffix_en}'
        name = f'{city}{prefix_zh}{kind_zh}{suffix_zh}'
        if rng.random() < 0.5:
            name_en = f'{prefix_en} {kind_en} ({city_en}) {suffix_en}'
        phone, fax = _phone(rng, prefix)
        person = rng.choice(V.FOREIGN_PEOPLE)
        slug = ''.join(ch for ch in name_en.lower() if ch.isalnum())[:16]
        return dict(
            name=name_en, name_en=name_en, name_zh=name, lang='en',
            country=country, legal_representative=person,
            contact_person=person,
            street=f'{rng.randrange(10, 9999)} '
            f'{rng.choice(["Market St", "Harbour Rd", "Jalan Pasar", "Industrial Ave", "Produce Row"])}',
            postal_code=postal, city=city_en,
            phone=phone,
            mobile=None,
            fax=fax if rng.random() < 0.3 else None,
            email=f'purchasing@{slug}{index}.example.com',
            export_markets=[country],
            )

    def _business_scope(self, departments, foreign):
        goods = {'fruit': '新鲜水果', 'vegetable': '新鲜蔬菜'}
        scope = '、'.join(goods[d] for d in departments)
        if foreign:
            return f'进口{scope}的批发与分销'
        return f'{scope}的批发、零售、冷链配送'

    def _yearly_results(self, rng, size, capital):
        results = []
        revenue = Decimal(int(size * rng.uniform(2, 6) * 1000000))
        for year in range(self.start.year - 1, self.end.year):
            growth = Decimal(str(round(rng.uniform(0.9, 1.25), 3)))
            revenue = (revenue * growth).quantize(CENT)
            margin = Decimal(str(round(rng.uniform(-0.02, 0.08), 3)))
            results.append(dict(
                    year=year, revenue=revenue,
                    profit=(revenue * margin).quantize(CENT),
                    notes='经营正常' if margin > 0 else '当年亏损，关注信用'))
        return results

    # -- sales -------------------------------------------------------------
    def sales(self):
        """Sales with their lines, customer by customer, in date order."""
        number = 0
        for customer in self.customers():
            for sale in self.customer_sales(customer):
                number += 1
                sale['number'] = 'SO%07d' % number
                yield sale

    def customer_sales(self, customer):
        rng = self._rng('sales', customer['index'])
        # shipments, invoices and payments from a stream of their own: the
        # sales stay those of the dataset without them
        fulfilment = self._rng('fulfilment', customer['index'])
        products = [p for p in self.products
            if p['department'] in customer['departments']]
        rate = 0.3 + 0.25 * min(customer['size'], 30)
        if customer['country'] != 'CN':
            rate *= 0.5  # fewer, bigger orders (containers)
        for month in range(customer['first_month'], customer['last_month'] + 1):
            first = _add_months(self.start, month)
            season = [p for p in products if p['season'][first.month - 1]]
            if not season:
                continue
            count = _poisson(rng, rate * sum(
                    p['season'][first.month - 1] for p in season) / (
                    8 * len(season)))
            days = calendar.monthrange(first.year, first.month)[1]
            for _ in range(count):
                day = first.replace(day=rng.randrange(1, days + 1))
                if day > self.end:
                    continue
                sale = self._sale(rng, customer, day, season)
                sale.update(self._fulfilment(fulfilment, customer, sale))
                yield sale

    def _sale(self, rng, customer, day, season):
        weights = [p['season'][day.month - 1] for p in season]
        picked = []
        for _ in range(min(len(season), 1 + _poisson(rng, 1.2))):
            product = rng.choices(season, weights)[0]
            if product not in picked:
                picked.append(product)
        export = customer['country'] != 'CN'
        years = (day.year - self.start.year) + (day.month - 1) / 12
        lines = []
        for product in picked:
            kg = product['line_kg'] * rng.uniform(0.3, 1.7) * (
                3 if export else 1) * min(customer['size'], 9) ** 0.5
            kg = max(100, round(kg / 50) * 50)
            price = product['list_price'] * Decimal(str(round(
                        rng.uniform(0.88, 1.08) * (1 + 0.03 * years), 4)))
            lines.append(dict(product=product['code'], quantity=float(kg),
                    unit_price=price.quantize(Decimal('0.0001')),
                    description=product['name']))
        # as Tryton does: each line amount rounded, then summed
        for line in lines:
            line['amount'] = (Decimal(str(line['quantity']))
                * line['unit_price']).quantize(CENT)
        untaxed = sum(l['amount'] for l in lines)
        age = (self.end - day).days
        if age > 30:
            state = 'cancelled' if rng.random() < 0.03 else 'done'
        elif age > 7:
            state = rng.choices(['processing', 'done', 'cancelled'],
                [60, 35, 5])[0]
        else:
            state = rng.choices(['draft', 'quotation', 'confirmed',
                    'processing'], [15, 35, 30, 20])[0]
        return dict(
            party=customer['code'], sale_date=day, state=state,
            department=customer['departments'][0],
            rep=customer['sales_rep'], reference=(
                f'PO-{day:%y%m}-{rng.randrange(100, 999)}'
                if export or rng.random() < 0.3 else None),
            description=('出口订单' if export else None),
            untaxed_amount=untaxed, tax_amount=Decimal('0.00'),
            total_amount=untaxed, lines=lines)

    # -- order to cash -------------------------------------------------------
    def _fulfilment(self, rng, customer, sale):
        """Shipment, invoice and payments of a processing or done sale.

        Goods leave the cold store a few days after the order, are
        delivered to domestic customers by truck a day or three later and
        handed over on board for export (FOB, CFR, CIF: delivered when
        loaded; the ETA is the arrival at the port of destination); the
        invoice follows the delivery.  Nothing happens after the end day:
        a later shipment is still to be sent, a later delivery still on its
        way, a later payment still owed."""
        if sale['state'] not in {'processing', 'done'}:
            return dict(shipment=None, invoice=None, payments=[])
        export = customer['country'] != 'CN'
        shipped = sale['sale_date'] + dt.timedelta(
            days=rng.randrange(3, 8) if export else rng.randrange(0, 3))
        delivered = shipped + dt.timedelta(
            days=0 if export else rng.randrange(1, 4))
        # a lot is the cold-store intake of a product in a week: the
        # customers served from the same week share it
        lots = []
        for line in sale['lines']:
            intake = shipped - dt.timedelta(days=rng.randrange(1, 60))
            intake -= dt.timedelta(days=intake.weekday())
            lots.append(dict(number=f"{line['product'][3:]}-{intake:%y%m%d}",
                    intake=intake))
        shipment = dict(shipped=shipped if shipped <= self.end else None,
            delivered=delivered if delivered <= self.end else None,
            lots=lots, incoterm=None, container=None, bill_of_lading=None,
            eta=None)
        if export:
            owner, carrier = rng.choice(V.SHIPPING_LINES)
            shipment.update(
                incoterm=customer['incoterm'],
                container=_container_number(rng, owner),
                bill_of_lading=f'{carrier}{rng.randrange(10 ** 9, 10 ** 10)}',
                eta=shipped + dt.timedelta(days=V.TRANSIT_DAYS[
                        customer['country']] + rng.randrange(-2, 5)))
        invoice_date = delivered + dt.timedelta(days=rng.randrange(0, 2))
        if shipment['delivered'] is None or invoice_date > self.end:
            return dict(shipment=shipment, invoice=None, payments=[])
        term = customer['payment_term']
        due = invoice_date + dt.timedelta(days=V.PAYMENT_TERMS[term][2])
        invoice = dict(date=invoice_date, payment_term=term, due=due,
            amount=sale['total_amount'],
            behaviour=_weighted(rng, customer['payment_behaviours']))
        payments = [p for p in self._payments(rng, invoice)
            if p['date'] <= self.end]
        return dict(shipment=shipment, invoice=invoice, payments=payments)

    def _payments(self, rng, invoice):
        "The payments of invoice as its behaviour says (maybe after end)"
        behaviour, amount = invoice['behaviour'], invoice['amount']
        days = (invoice['due'] - invoice['date']).days

        def on_time():
            return invoice['date'] + dt.timedelta(
                days=rng.randrange(0, days + 1))

        def late():
            return invoice['due'] + dt.timedelta(days=rng.randrange(5, 75))
        if behaviour == 'on_time':
            return [dict(date=on_time(), amount=amount)]
        elif behaviour == 'late':
            return [dict(date=late(), amount=amount)]
        elif behaviour == 'partial':
            first = (amount * Decimal(str(round(rng.uniform(0.3, 0.7), 2)))
                ).quantize(Decimal('1'))
            payments = [dict(date=on_time(), amount=first)]
            if rng.random() < 0.5:  # the rest, late
                payments.append(dict(date=late(), amount=amount - first))
            return payments
        return []

    # -- contact log -------------------------------------------------------
    def contacts(self):
        for customer in self.customers():
            yield from self.customer_contacts(customer)

    def customer_contacts(self, customer):
        rng = self._rng('contacts', customer['index'])
        rate = 0.4 + 0.15 * min(customer['size'], 8)
        if customer['key_account']:
            rate += 0.5
        end = min(self.end, _add_months(
                self.start, customer['last_month'] + 2))
        day = customer['first_contact']
        subjects = V.CONTACT_SUBJECTS[customer['departments'][0]]
        first = True
        while day <= end:
            channel = 'visit' if first else _weighted(rng, V.CHANNELS)
            if customer['country'] != 'CN' and channel == 'visit':
                channel = 'email'
            employee = customer['sales_rep']
            if customer['second_contact'] and rng.random() < 0.3:
                employee = customer['second_contact']
            when = dt.datetime.combine(day, dt.time(
                    rng.randrange(8, 18), rng.choice([0, 15, 30, 45])))
            yield dict(
                party=customer['code'], date=when, channel=channel,
                direction=('out' if first or rng.random() < 0.65 else 'in'),
                contact_person=customer['contact_person'],
                employee=employee, department=customer['departments'][0],
                subject=('首次拜访，介绍公司及产品' if first
                    else rng.choice(subjects)),
                notes=rng.choice(V.CONTACT_NOTES),
                follow_up_date=(day + dt.timedelta(days=rng.randrange(3, 21))
                    if rng.random() < 0.4 else None))
            first = False
            day += dt.timedelta(days=max(1, round(
                        rng.expovariate(rate / 30.0))))

    # -- visits ------------------------------------------------------------
    def visits(self):
        """Visits of domestic customers around the end day: done (with a
        report) or missed in the last 60 days, planned in the next 3 weeks."""
        for customer in self.customers():
            yield from self.customer_visits(customer)

    def customer_visits(self, customer):
        if customer['country'] != 'CN' or customer['last_month'] < self.months - 3:
            return
        rng = self._rng('visits', customer['index'])
        count = {'grade_a': 4, 'grade_b': 2, 'grade_c': 1}.get(
            customer['grade'], 0)
        count = _poisson(rng, count)
        for _ in range(count):
            day = _working_day(
                self.end - dt.timedelta(days=rng.randrange(1, 60)), -1)
            done = rng.random() < 0.85
            outcome = _weighted(rng, {'order': 25, 'positive': 35,
                    'follow_up': 30, 'negative': 10}) if done else None
            yield dict(
                party=customer['code'], employee=customer['sales_rep'],
                department=customer['departments'][0], date=day,
                time=dt.time(rng.randrange(8, 17), rng.choice([0, 30])),
                means=rng.choices(['visit', 'phone', 'video'], [70, 20, 10])[0],
                purpose=rng.choice(V.VISIT_PURPOSES),
                state='done' if done else 'missed',
                outcome=outcome,
                result=rng.choice(V.VISIT_RESULTS[outcome]) if done else None,
                next_step=(rng.choice(V.VISIT_NEXT_STEPS)
                    if done and outcome != 'negative' else None))
        if rng.random() < 0.6:
            day = _working_day(
                self.end + dt.timedelta(days=rng.randrange(1, 21)), 1)
            yield dict(
                party=customer['code'], employee=customer['sales_rep'],
                department=customer['departments'][0], date=day,
                time=dt.time(rng.randrange(8, 17), rng.choice([0, 30])),
                means='visit', purpose=rng.choice(V.VISIT_PURPOSES),
                state='planned', outcome=None, result=None, next_step=None)

    # -- sale opportunities --------------------------------------------------
    def opportunities(self):
        for customer in self.customers():
            rng = self._rng('opportunities', customer['index'])
            if rng.random() > 0.35:
                continue
            candidates = [(d, p) for d, p in V.OPPORTUNITIES
                if p in {x['code'] for x in self.products
                    if x['department'] in customer['departments']}]
            description, product = rng.choice(candidates)
            start = self.end - dt.timedelta(days=rng.randrange(5, 200))
            state = rng.choices(['lead', 'opportunity', 'won', 'lost'],
                [30, 30, 25, 15])[0]
            kg = rng.choice([2, 5, 10, 20, 50]) * 1000
            yield dict(
                party=customer['code'], employee=customer['sales_rep'],
                department=customer['departments'][0],
                description=description, product=product, quantity=kg,
                start_date=start, state=state,
                conversion_probability={'lead': 0.1, 'opportunity': 0.5,
                    'won': 1.0, 'lost': 0.0}[state],
                end_date=(start + dt.timedelta(days=rng.randrange(10, 60))
                    if state in {'won', 'lost'} else None),
                lost_reason=(rng.choice(V.LOST_REASONS)
                    if state == 'lost' else None))

    # -- service desk --------------------------------------------------------
    knowledge_categories = V.KNOWLEDGE_CATEGORIES
    articles = [dict(title=t, body=b, tags=tags, products=products,
            department=department, public=public, category=category)
        for t, b, tags, products, department, public, category
        in V.ARTICLES]
    news_categories = V.NEWS_CATEGORIES
    mailing_lists = V.MAILING_LISTS

    def news(self):
        "The portal's news, dated before the end day"
        return [dict(category=c, title=t, body=b,
                published_date=self.end - dt.timedelta(days=days))
            for c, t, b, days in V.NEWS]

    care_rules = [dict(name=n, kind=k, days=d, holiday_kind=h,
            season_month=m, season_day=sd, categories=c)
        for n, k, d, h, m, sd, c in V.CARE_RULES]

    def tickets(self, count=60):
        """Service tickets of the last 45 days over all kinds and states;
        some closed ones carry the scores of an answered survey."""
        kinds = ['complaint', 'quality', 'inquiry', 'suggestion', 'praise']
        for number in range(count if self.customer_count else 0):
            rng = self._rng('tickets', number)
            customer = self.customer(rng.randrange(self.customer_count))
            kind = kinds[number % len(kinds)]
            subjects, description, resolution = V.TICKET_TEXTS[kind]
            department = customer['departments'][0]
            products = [p['code'] for p in self.products
                if p['department'] == department]
            age = min(45, rng.expovariate(1 / 10))
            if age < 2:
                state = rng.choice(['new', 'assigned', 'in_progress',
                        'in_progress'])
            elif age < 10:
                state = rng.choice(['in_progress', 'waiting', 'resolved'])
            else:
                state = rng.choices(['resolved', 'closed', 'waiting'],
                    [25, 65, 10])[0]
            date = dt.datetime.combine(self.end, dt.time(17)) - dt.timedelta(
                hours=round(age * 24, 1))
            yield dict(
                number=number, party=customer['code'],
                department=department, kind=kind,
                channel=rng.choice(['hotline', 'hotline', 'email', 'fax',
                        'portal', 'visit', 'message_board']),
                subject=rng.choice(subjects), description=description,
                product=rng.choice(products),
                priority=rng.choices(['0', '1', '2', '3'], [15, 50, 25, 10])[0],
                date=date.replace(microsecond=0), state=state,
                resolution=resolution if state in {'resolved', 'closed'}
                else None,
                survey=[rng.randint(3, 5) for _ in range(5)]
                if state == 'closed' and rng.random() < 0.2 else None)


SIZES = {'demo': 300, 'small': 20, 'bench': 100000}


def generate(size='demo', seed=42, months=24, end=None):
    """Return the deterministic :class:`Dataset` of ``size`` customers.

    ``size`` is a number of customers or one of ``SIZES`` ('small' = 20 for
    tests, 'demo' = 300, 'bench' = 100k ~ 2M sale lines, 1M contacts).
    ``end`` (default today) is the last day of sales; pass it to get the
    very same rows on another day.
    """
    count = SIZES[size] if isinstance(size, str) else int(size)
    return Dataset(count, seed=seed, months=months,
        end=end or dt.date.today())
