# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Load a :class:`demo.generate.Dataset` through the Tryton ORM.

Master data (company, staff, products, customers, contact log) goes through
the ordinary ``create`` of each model, so every default, sequence and
constraint of our modules applies.  Sales are created in batches as drafts
and written to their state; their amounts are cached with
``Sale.store_cache`` as the workflow would do.  The processing and done
sales then go the way of Tryton's modules (``load_fulfilment``): they are
processed into customer shipments, picked, packed, shipped and delivered at
their dates with a lot on every move, invoiced on fulfilment, the invoices
posted and paid (or not) as the pay wizard does; their shipment, invoice
and final states are Tryton's.  A value for a field the model does not
have, or a selection value that is not one of its keys, stops the load
(``DemoValueError``); what needs an optional module is loaded after a check
for its model.
"""
import contextlib
import datetime as dt
import functools
import logging
from decimal import Decimal

from trytond.pool import Pool
from trytond.transaction import Transaction

from . import vocabulary as V

logger = logging.getLogger(__name__)
BATCH = 500
# the tables the load locks (singletons created, stock assigned, fiscal
# years, periods and journal periods checked on PostgreSQL): locked from the
# start, the load need not start again for each
LOCK_TABLES = ['account_configuration', 'sale_configuration', 'stock_move',
    'account_fiscalyear', 'account_period', 'account_journal_period']


class AlreadyLoaded(Exception):
    pass


class DemoValueError(ValueError):
    "A demo value no field of the model takes"

    def __init__(self, model, field, value, reason):
        super().__init__(
            f"demo value {value!r} for {model}.{field}: {reason}")
        self.model, self.field, self.value = model, field, value


def check_value(Model, name, value):
    """Raise DemoValueError unless Model has the field name and value is
    one of its selection keys (for a static selection) or, for a many2one,
    not a string (a name where an id belongs)."""
    field = Model._fields.get(name)
    if field is None:
        raise DemoValueError(Model.__name__, name, value, "no such field")
    if field._type == 'many2one' and isinstance(value, str):
        raise DemoValueError(
            Model.__name__, name, value, "a string, not an id")
    if (field._type == 'selection' and value is not None
            and isinstance(field.selection, (list, tuple))
            and value not in dict(field.selection)):
        raise DemoValueError(Model.__name__, name, value,
            "not one of %s" % ', '.join(
                repr(k) for k, _ in field.selection))


def _batches(iterable, size=None):
    size = size or BATCH
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class TrytonWriter:

    #: shipments, invoices and payments of the processing and done sales
    fulfil = True

    def __init__(self, dataset):
        self.data = dataset
        self.pool = Pool()
        self.ids = {}  # (kind, key) -> id
        self.fulfilment = []  # (sale id, sale row) to ship and invoice
        self.terms = {}  # customer code -> payment term id
        self.incoterms = {}  # customer code -> (incoterm id, location id)

    # -- helpers -----------------------------------------------------------
    def model(self, name):
        return self.pool.get(name)

    def has_model(self, name):
        try:
            self.pool.get(name)
        except KeyError:
            return False
        return True

    def fit(self, Model, values):
        "The values, each checked by check_value (raises DemoValueError)"
        for name, value in values.items():
            check_value(Model, name, value)
        return dict(values)

    def lot_values(self, lot):
        "The lot of a move: none without stock_lot (crm_fruit_service's)"
        return {'lot': lot} if self.has_model('stock.lot') else {}

    def load_season_calendar(self):
        "The produce categories of the seasonal calendar, loaded if missing"
        try:
            Load = self.pool.get('crm.season.calendar.load', type='wizard')
        except KeyError:
            logger.warning("no seasonal calendar: crm_fruit_customer missing")
            return {}
        return Load.load_calendar()

    def ref(self, module, xml_id):
        ModelData = self.model('ir.model.data')
        try:
            return ModelData.get_id(module, xml_id)
        except Exception:
            logger.warning("no record %s.%s: skipped", module, xml_id)
            return None

    def translate(self, records, values_by_record, language='en'):
        "Write the English translations of translatable names."
        if not records:
            return
        Model = records[0].__class__
        Lang = self.model('ir.lang')
        if not Lang.search([('code', '=', language)]):
            return
        with Transaction().set_context(language=language):
            for record, values in zip(records, values_by_record):
                Model.write([Model(record.id)], values)

    # -- loading -----------------------------------------------------------
    def load(self):
        User = self.model('res.user')
        if User.search([('login', '=', self.data.staff[0]['login'])]):
            raise AlreadyLoaded
        self.load_currencies()
        self.load_currency_rates()
        self.load_countries()
        self.load_company()
        with Transaction().set_context(company=self.ids['company']):
            self.load_accounting()
            self.load_staff()
            self.load_products()
            self.load_customers()
            self.load_sales()
            self.load_contacts()
            self.finish()

    def finish(self):
        self.load_fulfilment()
        self.load_visits()
        self.load_opportunities()
        self.classify()
        self.set_key_customer_sales()
        self.run_ladder()
        if self.has_model('service.ticket'):
            self.load_knowledge()
            self.load_tickets()
            self.load_care()
            self.load_news()
        self.load_portal_users()

    # -- the customers' portal (crm_fruit_portal) -----------------------------
    def load_news(self):
        "Company and industry news: public articles of the news categories"
        Article = self.model('service.knowledge.article')
        Category = self.model('service.knowledge.category')
        if 'news' not in Category._fields:
            return
        categories = dict(zip((code for code, _ in self.data.news_categories),
                Category.create([self.fit(Category, dict(name=name, news=True))
                        for _, name in self.data.news_categories])))
        rows = self.data.news()
        articles = Article.create([self.fit(Article, dict(
                        company=self.ids['company'],
                        category=categories[n['category']].id,
                        title=n['title'], body=n['body'], public=True))
                for n in rows])
        Article.publish(articles)
        for article, n in zip(articles, rows):
            Article.write([article], {'published_date': n['published_date']})
        logger.info("%d news", len(articles))

    def load_portal_users(self):
        "The first customer's buyer, accountant and quality manager"
        if not self.has_model('web.user'):
            return
        User = self.model('web.user')
        if 'portal_role' not in User._fields:
            return
        customer = self.portal_customer
        self.load_price_list(customer)
        self.load_mailing_lists()
        User.create([{
                    'email': email,
                    'party': self.ids['party', customer['code']],
                    'company': self.ids['company'],
                    'portal_role': role,
                    'language': 'zh_CN',
                    'email_valid': True,
                    'password': PORTAL_PASSWORD,
                    } for role, email in PORTAL_USERS])
        logger.info("%d portal users of %s", len(PORTAL_USERS),
            customer['name'])

    def load_mailing_lists(self):
        "The lists customers join on the portal; the buyer is on the first"
        EmailList = self.model('marketing.email.list')
        Email = self.model('marketing.email')
        Lang = self.model('ir.lang')
        languages = {l.code: l.id for l in Lang.search([])}
        lists = EmailList.create([self.fit(EmailList, dict(
                        name=name, language=languages[code]))
                for name, code in self.data.mailing_lists])
        Email.create([self.fit(Email, dict(
                        email=PORTAL_USERS[0][1], list_=lists[0].id))])
        logger.info("%d mailing lists", len(lists))

    def load_price_list(self, customer):
        "The portal's customer buys at his own price: 5 % under the list"
        Party = self.model('party.party')
        PriceList = self.model('product.price_list')
        price_list, = PriceList.create([self.fit(PriceList, dict(
                        name=PRICE_LIST_NAME, company=self.ids['company'],
                        price='list_price',
                        lines=[('create', [{'formula': 'unit_price * 0.95'}])],
                        ))])
        Party.write([Party(self.ids['party', customer['code']])],
            {'sale_price_list': price_list.id})

    # -- order to cash: shipments, invoices, payments --------------------------
    def load_fulfilment(self):
        """Ship, invoice and collect the processing and done sales at their
        dates, batch by batch, through the sale, stock and invoice
        workflows; the sales' states follow."""
        if not self.fulfilment:
            return
        Sale = self.model('sale.sale')
        self.load_stock()
        counts = dict(shipments=0, invoices=0, payments=0)
        # the demo posts and pays in the past on purpose: no warning
        with Transaction().set_context(_skip_warnings=True):
            self._fulfil(Sale, counts)
        logger.info("%(shipments)d shipments sent, %(invoices)d invoices "
            "posted, %(payments)d payments", counts)

    def _fulfil(self, Sale, counts):
        Invoice = self.model('account.invoice')
        invoices = []
        for batch in _batches(self.fulfilment):
            ids = [i for i, _ in batch]
            rows = {i: s for i, s in batch}
            Sale.process(Sale.browse(ids))  # the shipments, waiting
            counts['shipments'] += self.ship(Sale.browse(ids), rows)
            Sale.process(Sale.browse(ids))  # invoices of the delivered goods
            invoices.extend(self.date_invoices(Sale.browse(ids), rows))
            logger.info("%d shipments sent, %d invoices to post",
                counts['shipments'], len(invoices))
        # invoices are numbered in the order of their dates: all sales'
        # invoices posted from the first date to the last
        invoices.sort(key=lambda x: x[1]['invoice']['date'])
        for batch in _batches(invoices):
            Invoice.post(Invoice.browse([i for i, _ in batch]))
            counts['payments'] += self.pay_invoices(
                [(Invoice(i), s) for i, s in batch])
            counts['invoices'] += len(batch)
            logger.info("%(invoices)d invoices posted, %(payments)d "
                "payments", counts)
        for batch in _batches(self.fulfilment):
            Sale.process(Sale.browse([i for i, _ in batch]))

    def load_stock(self):
        """The lots of the shipments and their cold-store intake: one done
        move from the growers (supplier) per lot at its week."""
        Move = self.model('stock.move')
        Lot = (self.model('stock.lot') if self.has_model('stock.lot')
            else None)
        Location = self.model('stock.location')
        warehouse, = Location.search([('type', '=', 'warehouse')], limit=1)
        intakes = {}
        for _, s in self.fulfilment:
            for line, lot in zip(s['lines'], s['shipment']['lots']):
                key = line['product'], lot['number']
                quantity, _ = intakes.get(key, (0, None))
                intakes[key] = quantity + line['quantity'], lot['intake']
        keys = sorted(intakes)
        if Lot is not None:
            lots = Lot.create([dict(number=number,
                        product=self.ids['product', product])
                    for product, number in keys])
            for key, lot in zip(keys, lots):
                self.ids['lot', key] = lot.id
        costs = {p['code']: p['cost_price'] for p in self.data.products}
        moves = Move.create([self.fit(Move, dict(
                        product=self.ids['product', product],
                        **self.lot_values(
                            self.ids.get(('lot', (product, number)))),
                        unit=self.ids['kg'], quantity=intakes[product, number][0],
                        from_location=self.ref('stock', 'location_supplier'),
                        to_location=warehouse.storage_location.id,
                        planned_date=intakes[product, number][1],
                        effective_date=intakes[product, number][1],
                        company=self.ids['company'],
                        unit_price=costs[product],
                        currency=self.ids['currency', 'CNY']))
                for product, number in keys])
        Move.do(moves)
        logger.info("%d lots taken into the cold store", len(moves))

    def ship(self, sales, rows):
        """Pick, pack and ship the shipments of sales sent by the end day,
        lots on their moves; deliver those delivered."""
        Shipment = self.model('stock.shipment.out')
        Move = self.model('stock.move')
        sent, delivered, move_write, shipment_write = [], [], [], []
        for sale in sales:
            s = rows[sale.id]['shipment']
            if not s['shipped']:
                continue
            lots = {self.ids['product', line['product']]: self.ids.get(
                    ('lot', (line['product'], lot['number'])))
                for line, lot in zip(rows[sale.id]['lines'], s['lots'])}
            for shipment in sale.shipments:
                sent.append(shipment)
                if s['delivered']:
                    delivered.append(shipment)
                shipment_write.extend([[shipment], self.fit(Shipment, dict(
                                container_number=s['container'],
                                bill_of_lading=s['bill_of_lading'],
                                eta=s['eta'], effective_date=s['delivered']))])
                for move in shipment.inventory_moves:
                    move_write.extend([[move], self.fit(Move, dict(
                                    **self.lot_values(lots[move.product.id]),
                                    effective_date=s['shipped']))])
                for move in shipment.outgoing_moves:
                    move_write.extend([[move], self.fit(Move,
                                self.lot_values(lots[move.product.id]))])
        if not sent:
            return 0
        Move.write(*move_write)
        Shipment.write(*shipment_write)
        Shipment.assign_try(sent)
        waiting = [s for s in Shipment.browse(sent) if s.state == 'waiting']
        if waiting:
            logger.warning("%d shipments without stock: forced", len(waiting))
            Shipment.assign_force(waiting)
        Shipment.pick(Shipment.browse(sent))
        Shipment.pack(Shipment.browse(sent))
        Shipment.ship(Shipment.browse(sent))
        # the outgoing moves are done at the delivery
        to_write = []
        for shipment in Shipment.browse(delivered):
            to_write.extend([list(shipment.outgoing_moves),
                    {'effective_date': shipment.effective_date}])
        if to_write:
            Move.write(*to_write)
        Shipment.do(Shipment.browse(delivered))
        return len(sent)

    def date_invoices(self, sales, rows):
        """Date and give its term to the invoice of each sale invoiced by
        the end day; return (invoice id, sale row)"""
        Invoice = self.model('account.invoice')
        invoices, to_write = [], []
        for sale in sales:
            s = rows[sale.id]['invoice']
            if not s:
                continue
            invoice, = sale.invoices
            invoices.append((invoice.id, rows[sale.id]))
            to_write.extend([[invoice], dict(invoice_date=s['date'],
                        payment_term=self.ids['payment_term',
                            s['payment_term']])])
        if to_write:
            Invoice.write(*to_write)
        return invoices

    def pay_invoices(self, invoices):
        """Pay the invoices as the pay wizard does (Invoice.pay_invoice),
        for all at once: a posted move per payment, its receivable line
        added to the invoice's payments; paid in full, the invoice's lines
        are reconciled."""
        pool = Pool()
        Invoice = pool.get('account.invoice')
        Line = pool.get('account.move.line')
        Move = pool.get('account.move')
        Period = pool.get('account.period')
        Method = pool.get('account.invoice.payment.method')
        method = Method(self.ids['payment_method'])
        company = self.model('company.company')(self.ids['company'])
        moves, paid = [], []
        for invoice, s in invoices:
            for payment in s['payments']:
                moves.append(Move(journal=method.journal,
                        period=Period.find(company, date=payment['date']),
                        date=payment['date'], origin=invoice, company=company,
                        lines=[
                            Line(account=invoice.account, party=invoice.party,
                                debit=0, credit=payment['amount']),
                            Line(account=method.debit_account,
                                debit=payment['amount'], credit=0)]))
            if s['payments'] and sum(p['amount'] for p in s['payments']) == (
                    s['invoice']['amount']):
                paid.append((invoice, s['payments'][-1]['date']))
        Move.save(moves)
        Move.post(moves)
        payments = {}
        for move in moves:
            payments.setdefault(move.origin, []).extend(
                l for l in move.lines if l.account == move.origin.account)
        Invoice.add_payment_lines(payments)
        for invoice, date in paid:
            invoice = Invoice(invoice.id)
            Line.reconcile(
                [l for l in invoice.lines_to_pay + invoice.payment_lines
                    if not l.reconciliation], date=date)
        # the reconciliations queued their invoices' processing: now
        Invoice.process(Invoice.browse([i for i, _ in paid]))
        return len(moves)

    # -- crm_fruit_customer: visits, opportunities, classification ------------
    def load_visits(self):
        if not self.has_model('crm.visit'):
            return
        Visit = self.model('crm.visit')
        visits, rows = [], list(self.data.visits())
        for v in rows:
            visits.append(self.fit(Visit, dict(
                        company=self.ids['company'],
                        party=self.ids['party', v['party']],
                        employee=self.ids['employee', v['employee']],
                        department=self.ids['department', v['department']],
                        date=v['date'], time=v['time'], means=v['means'],
                        purpose=v['purpose'], outcome=v['outcome'],
                        result=v['result'], next_step=v['next_step'])))
        created = Visit.create(visits)
        # done visits write their report into the contact log
        Visit.do([r for r, v in zip(created, rows) if v['state'] == 'done'])
        Visit.miss([r for r, v in zip(created, rows)
                if v['state'] == 'missed'])
        # the schedule of the coming weeks from grades and seasons
        Visit.generate_plans()
        logger.info("%d visits (+ %d planned by the schedule)", len(created),
            Visit.search([('generated', '=', True)], count=True))

    def load_opportunities(self):
        if not self.has_model('sale.opportunity'):
            return
        Opportunity = self.model('sale.opportunity')
        Line = self.model('sale.opportunity.line')
        rows = list(self.data.opportunities())
        values = []
        for o in rows:
            values.append(self.fit(Opportunity, dict(
                        company=self.ids['company'],
                        currency=self.ids['currency', 'CNY'],
                        party=self.ids['party', o['party']],
                        address=self.ids['address', o['party']],
                        employee=self.ids['employee', o['employee']],
                        description=o['description'],
                        start_date=o['start_date'],
                        conversion_probability=o['conversion_probability'],
                        lost_reason=o['lost_reason'],
                        lines=[('create', [self.fit(Line, dict(
                                        product=self.ids['product', o['product']],
                                        quantity=o['quantity'],
                                        unit=self.ids['kg']))])])))
        created = Opportunity.create(values)
        by_state = {}
        for record, o in zip(created, rows):
            by_state.setdefault(o['state'], []).append((record, o))
        Opportunity.opportunity([r for s in ('opportunity', 'won', 'lost')
                for r, _ in by_state.get(s, [])])
        Opportunity.lost([r for r, _ in by_state.get('lost', [])])
        # won comes from a confirmed sale; the demo sales are not linked to
        # opportunities, so the final state is written as the workflow would
        to_write = []
        for state in ('won', 'lost'):
            for record, o in by_state.get(state, []):
                to_write.extend([[record], {
                            'state': state, 'end_date': o['end_date']}])
        if to_write:
            Opportunity.write(*to_write)
        logger.info("%d opportunities", len(created))

    def classify(self):
        Party = self.model('party.party')
        if hasattr(Party, 'classify_customers'):
            # the snapshot of a quarter ago shows the movements since then
            Party.classify_customers(
                date=self.data.end - dt.timedelta(days=91))
            Party.classify_customers()
            logger.info("customers classified, snapshot taken")

    def set_key_customer_sales(self):
        """The demo sells less than the company: the fifth of its customers
        who bought the most last year are the key customers of the credit
        files (the CRM configuration's threshold, rounded down)"""
        Party = self.model('party.party')
        if not hasattr(Party, 'last_year_sales'):
            return
        Configuration = self.model('crm.configuration')
        totals = sorted(Party.last_year_sales().values(), reverse=True)
        if not totals:
            return
        fifth = totals[max(len(totals) // 5 - 1, 0)]
        threshold = max(fifth // 1000 * 1000, Decimal(1000))
        Configuration.write([Configuration(1)],
            {'key_customer_sales': threshold})
        logger.info("key credit customers from %s of sales last year",
            threshold)

    def run_ladder(self):
        "The receivable ladder as its daily cron finds the unpaid invoices"
        Dunning = self.model('account.dunning')
        if hasattr(Dunning, 'run_receivable_ladder'):
            Dunning.run_receivable_ladder()
            blocks = self.model('crm.credit.block').search_count([])
            logger.info("%d invoices on the receivable ladder, %d customers "
                "blacklisted", Dunning.search_count([]), blocks)

    # -- crm_fruit_service ---------------------------------------------------
    def load_knowledge(self):
        Article = self.model('service.knowledge.article')
        Category = self.model('service.knowledge.category')
        categories = Category.create([self.fit(Category, dict(name=name))
                for _, name in self.data.knowledge_categories])
        for (code, _), category in zip(
                self.data.knowledge_categories, categories):
            self.ids['knowledge_category', code] = category.id
        articles = Article.create([self.fit(Article, dict(
                        company=self.ids['company'],
                        category=self.ids['knowledge_category', a['category']],
                        title=a['title'], body=a['body'], tags=a['tags'],
                        public=a['public'],
                        department=self.ids.get(('department', a['department'])),
                        products=[('add', [self.ids['product', p]
                                    for p in a['products']])]))
                for a in self.data.articles])
        Article.publish(articles)
        logger.info("%d knowledge articles", len(articles))

    def load_tickets(self):
        Ticket = self.model('service.ticket')
        Team = self.model('service.team')
        teams = {}
        for code in ('fruit', 'vegetable'):
            team_id = self.ref('crm_fruit_service', f'team_{code}')
            if team_id is None:
                continue
            manager = self.ids['employee', self.data.manager(code)]
            agents = [self.ids['employee', s['login']]
                for s in self.data.staff if s['role'] == 'service']
            Team.write([Team(team_id)], self.fit(Team, dict(
                        company=self.ids['company'], manager=manager,
                        members=[('add', agents + [manager])])))
            teams[code] = team_id
        types = {k: self.ref('crm_fruit_service', f'ticket_type_{k}')
            for k in ('complaint', 'quality', 'inquiry', 'suggestion',
                'praise')}
        rows = list(self.data.tickets())
        now = dt.datetime.now().replace(microsecond=0)
        for t in rows:  # generated at the end day's evening: none in future
            while t['date'] > now - dt.timedelta(minutes=10):
                t['date'] -= dt.timedelta(days=1)
        tickets = Ticket.create([self.fit(Ticket, dict(
                        company=self.ids['company'], date=t['date'],
                        type=types[t['kind']], channel=t['channel'],
                        subject=t['subject'], description=t['description'],
                        party=self.ids['party', t['party']],
                        department=self.ids['department', t['department']],
                        team=teams.get(t['department']),
                        product=self.ids['product', t['product']],
                        lot=self.complained_lot(t),
                        priority=t['priority']))
                for t in rows])

        def having(*states):
            return [k for k, t in zip(tickets, rows) if t['state'] in states]
        Ticket.auto_dispatch(having('assigned', 'in_progress', 'waiting',
                'resolved', 'closed'))
        Ticket.start(having('in_progress', 'waiting', 'resolved', 'closed'))
        Ticket.wait(having('waiting'))
        to_write = []
        for ticket, t in zip(tickets, rows):
            if t['resolution']:
                to_write.extend([[ticket], {'resolution': t['resolution']}])
        if to_write:
            Ticket.write(*to_write)
        Ticket.resolve(having('resolved', 'closed'))
        Ticket.close(having('closed'))
        tickets = Ticket.browse([t.id for t in tickets])
        self._spread_ticket_times(tickets)
        self._answer_surveys(tickets, rows)
        logger.info("%d tickets", len(tickets))

    def complained_lot(self, ticket):
        """The lot of the last delivery of the ticket's product to its
        customer before the ticket, for complaints and quality issues"""
        if ticket['kind'] not in {'complaint', 'quality'}:
            return None
        if '_deliveries' not in self.__dict__:
            self._deliveries = {}
            for _, s in self.fulfilment:
                if not s['shipment'] or not s['shipment']['delivered']:
                    continue
                for line, lot in zip(s['lines'], s['shipment']['lots']):
                    self._deliveries.setdefault(
                        (s['party'], line['product']), []).append(
                        (s['shipment']['delivered'], lot['number']))
        lots = [number for date, number in sorted(self._deliveries.get(
                    (ticket['party'], ticket['product']), []))
            if date <= ticket['date'].date()]
        if lots:
            return self.ids.get(('lot', (ticket['product'], lots[-1])))

    def _spread_ticket_times(self, tickets):
        """The workflow ran now: put the history, response and resolution
        back between the reception and today, so durations look real."""
        Ticket = self.model('service.ticket')
        History = self.model('service.ticket.history')
        now = dt.datetime.now().replace(microsecond=0)
        history_write, ticket_write = [], []
        for ticket in tickets:
            entries = sorted(History.search([('ticket', '=', ticket.id)]),
                key=lambda h: h.id)
            if not entries:
                continue
            step = min(dt.timedelta(hours=5),
                (now - ticket.date) / (len(entries) + 1))
            values = {}
            for i, entry in enumerate(entries, 1):
                when = ticket.date + step * i
                history_write.extend([[entry], {'date': when}])
                if entry.to_state == 'resolved':
                    values['resolution_date'] = when
                if (entry.to_state in {'waiting', 'resolved'}
                        and 'response_date' not in values):
                    values['response_date'] = when
            if ticket.response_date and 'response_date' not in values:
                values['response_date'] = ticket.date + step
            if values:
                ticket_write.extend([[ticket], values])
        if history_write:
            History.write(*history_write)
        if ticket_write:
            Ticket.write(*ticket_write)
        Ticket.update_sla(Ticket.browse([t.id for t in tickets]))

    def _answer_surveys(self, tickets, rows):
        if not self.has_model('service.survey'):
            return
        Survey = self.model('service.survey')
        Answer = self.model('service.survey.answer')
        Question = self.model('service.survey.question')
        questions = Question.search([])
        scores = {k.id: t['survey'] for k, t in zip(tickets, rows)
            if t['survey']}
        surveys = Survey.search([('ticket', 'in', list(scores))])
        answers, to_write = [], []
        for survey in surveys:
            perceived = dict(zip([q.dimension for q in questions],
                    scores[survey.ticket.id]))
            if survey.answers:  # the survey was opened with its questions
                for answer in survey.answers:
                    to_write.extend([[answer], {'expected': 4,
                                'perceived': perceived.get(
                                    answer.dimension, 4)}])
                continue
            for question in questions:
                answers.append(self.fit(Answer, dict(
                            survey=survey.id, question=question.id,
                            dimension=question.dimension, expected=4,
                            perceived=perceived[question.dimension])))
        if to_write:
            Answer.write(*to_write)
        if answers:
            Answer.create(answers)
        if surveys:
            Survey.answer(Survey.browse(surveys))
        logger.info("%d surveys answered", len(surveys))

    def load_care(self):
        Rule = self.model('service.care.rule')
        if not Rule.search([]):
            Rule.create([self.fit(Rule, dict(
                            company=self.ids['company'], name=r['name'],
                            kind=r['kind'], days=r['days'],
                            holiday_kind=r['holiday_kind'],
                            season_month=r['season_month'],
                            season_day=r['season_day'],
                            product_categories=[('add', [
                                        self.ids[('season_category', c)]
                                        for c in r['categories']
                                        if self.ids.get(('season_category', c))])]))
                    for r in self.data.care_rules])
        Rule.cron_generate()
        logger.info("%d care tasks",
            self.model('service.care.task').search([], count=True))

    def load_currencies(self):
        Currency = self.model('currency.currency')
        for code, (name, symbol, numeric) in self.data.currencies.items():
            currency = Currency.search([('code', '=', code)])
            if not currency:
                currency = Currency.create([self.fit(Currency, dict(
                                code=code, name=name, symbol=symbol,
                                numeric_code=numeric, digits=2,
                                rounding=Decimal('0.01')))])
            self.ids['currency', code] = currency[0].id

    def load_currency_rates(self):
        Rate = self.model('currency.currency.rate')
        existing = {(r.currency.id, r.date) for r in Rate.search([])}
        Rate.create([dict(currency=self.ids['currency', code], date=date,
                    rate=rate)
                for code, date, rate in self.data.currency_rates
                if (self.ids['currency', code], date) not in existing])

    def load_countries(self):
        Country = self.model('country.country')
        for code, (name, name_zh, code3, numeric) in (
                self.data.countries.items()):
            country = Country.search([('code', '=', code)])
            if not country:
                country = Country.create([self.fit(Country, dict(
                                code=code, name=name_zh, code3=code3,
                                code_numeric=numeric))])
                self.translate(country, [{'name': name}])
            self.ids['country', code] = country[0].id

    def _party_values(self, name, street, postal_code, city, country,
            phone=None, fax=None, email=None, website=None, mobile=None,
            lang=None):
        Party = self.model('party.party')
        Lang = self.model('ir.lang')
        mechanisms = [('phone', phone), ('mobile', mobile), ('fax', fax),
            ('email', email), ('website', website)]
        values = dict(
            name=name,
            addresses=[('create', [dict(
                            street=street, postal_code=postal_code,
                            city=city, country=self.ids['country', country])])],
            contact_mechanisms=[('create', [dict(type=t, value=v)
                            for t, v in mechanisms if v])])
        if lang:
            if ('lang', lang) not in self.ids:
                langs = Lang.search([('code', '=', lang)])
                self.ids['lang', lang] = langs[0].id if langs else None
            values['lang'] = self.ids['lang', lang]
        return self.fit(Party, values)

    def load_company(self):
        Party = self.model('party.party')
        Company = self.model('company.company')
        User = self.model('res.user')
        c = self.data.company
        party, = Party.create([self._party_values(
                    c['name'], c['street'], c['postal_code'], c['city'],
                    c['country'], c['phone'], c['fax'], c['email'],
                    c['website'], lang='zh_CN')])
        self.ids['company_address'] = party.addresses[0].id
        company, = Company.create([self.fit(Company, dict(
                        party=party.id,
                        currency=self.ids['currency', c['currency']],
                        timezone=c['timezone']))])
        self.ids['company'] = company.id
        admin, = User.search([('login', '=', 'admin')])
        groups = [g for g in [
                self.ref('crm_fruit_customer', 'group_crm_manager')] if g]
        User.write([admin], self.fit(User, dict(
                    companies=[('add', [company.id])], company=company.id,
                    groups=[('add', groups)])))

    # -- accounting ----------------------------------------------------------
    def load_accounting(self):
        """The chart of accounts of the company, fiscal years over the
        dataset's span with invoice sequences, the payment terms and the
        payment method of the invoices, the incoterms of export; sales are
        invoiced on fulfilment."""
        template = (self.ref('account', 'account_template_root_en')
            if self.has_model('account.invoice') else None)
        if template is None:  # the chart is loaded with the language en
            logger.warning("no chart of accounts: no shipment, no invoice")
            self.fulfil = False
            return
        self.create_chart(template)
        Category = self.model('product.category')
        category, = Category.create([dict(name='果蔬销售', accounting=True,
                    account_revenue=self.ids['account', 'revenue'],
                    account_expense=self.ids['account', 'expense'])])
        self.translate([category], [{'name': 'Produce sales'}])
        self.ids['account_category'] = category.id
        self.load_fiscal_years()
        self.load_payment_terms()
        self.load_payment_method()
        self.load_incoterms()
        Configuration = self.model('sale.configuration')
        Configuration.write([Configuration(1)], self.fit(Configuration, dict(
                    sale_invoice_method='fulfillment')))

    def create_chart(self, template):
        "The chart of the template id, as the create chart wizard makes it"
        Account = self.model('account.account')
        Template = self.model('account.account.template')
        CreateChart = self.pool.get('account.create_chart', type='wizard')
        company = self.model('company.company')(self.ids['company'])
        session_id, _, _ = CreateChart.create()
        wizard = CreateChart(session_id)
        wizard.account.account_template = Template(template)
        wizard.account.company = company
        wizard.transition_create_account()
        defaults = wizard.states['properties'].get_defaults(
            wizard, 'properties', list(wizard.properties._fields))
        for name, value in defaults.items():
            if name in wizard.properties._fields:  # not the rec names
                setattr(wizard.properties, name, value)
        for name, kind in [('account_receivable', 'receivable'),
                ('account_payable', 'payable')]:
            if not getattr(wizard.properties, name, None):
                setattr(wizard.properties, name, Account.search([
                            (f'type.{kind}', '=', True),
                            ('party_required', '=', True),
                            ('company', '=', company.id),
                            ], order=[('code', 'ASC')], limit=1)[0])
        wizard.transition_create_properties()
        CreateChart.delete(session_id)

        def account(*domain):
            return Account.search([('company', '=', company.id),
                    ('closed', '=', False), *domain],
                order=[('code', 'ASC')], limit=1)[0].id
        self.ids['account', 'revenue'] = account(('type.revenue', '=', True))
        self.ids['account', 'expense'] = account(('type.expense', '=', True))
        self.ids['account', 'cash'] = account(('code', '=', '1.1.1'))

    def load_fiscal_years(self):
        "A fiscal year of monthly periods per calendar year of the dataset"
        FiscalYear = self.model('account.fiscalyear')
        Sequence = self.model('ir.sequence.strict')
        company = self.ids['company']
        move_type = self.ref('account', 'sequence_type_account_move')
        invoice_type = self.ref('account_invoice',
            'sequence_type_account_invoice')
        fiscalyears = []
        # payments of the last invoices come after the end day
        for year in range(self.data.start.year - 1, self.data.end.year + 1):
            move, invoice = Sequence.create([
                    dict(name=f'{year}', sequence_type=move_type,
                        company=company, prefix=f'{year}/'),
                    dict(name=f'{year}', sequence_type=invoice_type,
                        company=company, prefix=f'INV{year}/')])
            fiscalyears.append(self.fit(FiscalYear, dict(
                        name=f'{year}', company=company,
                        start_date=dt.date(year, 1, 1),
                        end_date=dt.date(year, 12, 31),
                        move_sequence=move.id,
                        invoice_sequences=[('create', [dict(
                                        company=company,
                                        out_invoice_sequence=invoice.id,
                                        out_credit_note_sequence=invoice.id,
                                        in_invoice_sequence=invoice.id,
                                        in_credit_note_sequence=invoice.id)])])))
        FiscalYear.create_period(FiscalYear.create(fiscalyears))

    def load_payment_terms(self):
        Term = self.model('account.invoice.payment_term')
        terms = self.data.payment_terms
        created = Term.create([dict(name=name, lines=[('create', [dict(
                                type='remainder',
                                relativedeltas=[('create', [dict(
                                                days=days)])] if days
                                else [])])])
                for name, _, days in terms.values()])
        self.translate(created, [{'name': en} for _, en, _ in terms.values()])
        for code, term in zip(terms, created):
            self.ids['payment_term', code] = term.id

    def load_payment_method(self):
        Method = self.model('account.invoice.payment.method')
        cash = self.ids['account', 'cash']
        method, = Method.create([dict(company=self.ids['company'],
                    name='银行转账', journal=self.ref('account', 'journal_cash'),
                    debit_account=cash, credit_account=cash)])
        self.translate([method], [{'name': 'Bank transfer'}])
        self.ids['payment_method'] = method.id

    def load_incoterms(self):
        Company = self.model('company.company')
        if 'incoterms' not in Company._fields:
            return
        for code in self.data.incoterms:
            self.ids['incoterm', code] = self.ref(
                'incoterm', f'incoterm_{code.lower()}_2020')
        Company.write([Company(self.ids['company'])], dict(incoterms=[
                    ('add', [self.ids['incoterm', c]
                            for c in self.data.incoterms])]))

    def customer_terms(self, c):
        "Remember the payment term and incoterm of customer c for its sales"
        self.terms[c['code']] = self.ids.get(('payment_term', c['payment_term']))
        if c['incoterm'] and ('incoterm', c['incoterm']) in self.ids:
            # the named place: the port of shipment for FOB, else the
            # customer's port of destination
            location = (self.ids['company_address'] if c['incoterm'] == 'FOB'
                else self.ids['address', c['code']])
            self.incoterms[c['code']] = (
                self.ids['incoterm', c['incoterm']], location)

    def _incoterm_values(self, code):
        incoterm, location = self.incoterms.get(code, (None, None))
        return dict(incoterm=incoterm, incoterm_location=location)

    def load_staff(self):
        Party = self.model('party.party')
        Employee = self.model('company.employee')
        User = self.model('res.user')
        staff = self.data.staff
        c = self.data.company
        parties = Party.create([self._party_values(
                    s['name'], c['street'], c['postal_code'], c['city'], 'CN',
                    email=f"{s['login']}@goodseason.example", lang='zh_CN')
                for s in staff])
        employees = Employee.create([self.fit(Employee, dict(
                        party=p.id, company=self.ids['company']))
                for p in parties])
        lang = self.ids.get(('lang', 'zh_CN'))
        users = []
        for s, employee in zip(staff, employees):
            self.ids['employee', s['login']] = employee.id
            groups = [g for g in (self.ref(*x) for x in s['groups']) if g]
            users.append(self.fit(User, dict(
                        login=s['login'], name=s['name'],
                        password=self.data.password, language=lang,
                        email=f"{s['login']}@goodseason.example",
                        companies=[('add', [self.ids['company']])],
                        company=self.ids['company'],
                        employees=[('add', [employee.id])],
                        employee=employee.id,
                        groups=[('add', groups)])))
        User.create(users)
        for code, xml_id in self.data.departments.items():
            dept_id = self.ref('crm_fruit_customer', xml_id)
            self.ids['department', code] = dept_id
            if dept_id is None:
                continue
            Department = self.model('crm.department')
            members = [self.ids['employee', s['login']] for s in staff
                if s['department'] == code]
            Department.write([Department(dept_id)], self.fit(Department, dict(
                        manager=self.ids['employee', self.data.manager(code)],
                        members=[('add', members)],
                        company=self.ids['company'])))

    def load_products(self):
        Category = self.model('product.category')
        Template = self.model('product.template')
        kg = self.ref('product', 'uom_kilogram')
        for cat in self.data.categories:
            category, = Category.create([self.fit(Category, dict(
                            name=cat['name'],
                            parent=self.ids.get(('category', cat['parent']))))])
            self.translate([category], [{'name': cat['name_en']}])
            self.ids['category', cat['code']] = category.id
            if not cat['parent'] and self.ids['department', cat['department']]:
                Department = self.model('crm.department')
                Department.write(
                    [Department(self.ids['department', cat['department']])],
                    self.fit(Department, dict(
                            product_categories=[('add', [category.id])])))
        calendar = self.load_season_calendar()
        for key in set(self.data.season_categories.values()):
            category = calendar.get(key)
            self.ids['season_category', key] = category and category.id
        products = self.data.products
        templates = Template.create([self.fit(Template, dict(
                        name=p['name'], type='goods', default_uom=kg,
                        sale_uom=kg, salable=True, list_price=p['list_price'],
                        account_category=self.ids.get('account_category'),
                        categories=[('add', self._product_categories(p))],
                        products=[('create', [dict(code=p['code'],
                                        cost_price=p['cost_price'])])]))
                for p in products])
        self.translate(templates, [{'name': p['name_en']} for p in products])
        for template, p in zip(templates, products):
            self.ids['product', p['code']] = template.products[0].id
        self.ids['kg'] = kg

    def _product_categories(self, p):
        "The demo category and the seasonal calendar category (if any)"
        categories = [self.ids['category', p['category']]]
        season = self.ids.get(('season_category',
                    self.data.season_categories.get(p['code'])))
        if season:
            categories.append(season)
        return categories

    def grade(self, xml_id):
        if ('grade', xml_id) not in self.ids:
            self.ids['grade', xml_id] = (
                self.ref('crm_fruit_customer', xml_id)
                if self.has_model('crm.customer.grade') else None)
        return self.ids['grade', xml_id]

    def _customer_values(self, c):
        Party = self.model('party.party')
        values = self._party_values(
            c['name'], c['street'], c['postal_code'], c['city'], c['country'],
            c['phone'], c['fax'], c['email'], mobile=c['mobile'],
            lang=c['lang'])
        employee = self.ids.get
        extra = dict(
            departments=[('add', [self.ids['department', d]
                        for d in c['departments']
                        if self.ids['department', d]])],
            customer_type=c['customer_type'],
            customer_source=c['customer_source'],
            legal_representative=c['legal_representative'],
            registered_capital=c['registered_capital'],
            registered_capital_currency=(
                self.ids['currency', c['registered_capital_currency']]
                if c['registered_capital'] else None),
            business_scope=c['business_scope'],
            export_markets=[('add', [self.ids['country', m]
                        for m in c['export_markets']])],
            sales_rep=employee(('employee', c['sales_rep'])),
            second_contact=employee(('employee', c['second_contact'])),
            key_account=c['key_account'],
            yearly_results=[('create', c['yearly_results'])],
            grade=self.grade(c['grade']),
            customer_payment_term=self.ids.get(
                ('payment_term', c['payment_term'])),
            main_product_categories=[('add', [
                        i for i in (self.ids.get(('season_category', k))
                            for k in c['main_product_categories']) if i])],
            )
        values.update(self.fit(Party, extra))
        if 'yearly_results' in values:
            YearlyResult = self.model('party.yearly_result')
            values['yearly_results'] = [('create', [
                        self.fit(YearlyResult, r)
                        for r in c['yearly_results']])]
        return values

    def load_customers(self):
        Party = self.model('party.party')
        count = 0
        for batch in _batches(self.data.customers(), 100):
            parties = Party.create([self._customer_values(c) for c in batch])
            for c, party in zip(batch, parties):
                self.ids['party', c['code']] = party.id
                self.ids['address', c['code']] = party.addresses[0].id
                self.customer_terms(c)
            count += len(parties)
        logger.info("%d customers", count)

    def fulfils(self, sale):
        """Whether the order to cash takes sale through shipment, invoice
        and payment: every sale, none, or (fulfil 'portal') those of the
        portal's customer and a few slow payers"""
        if self.fulfil == 'portal':
            return sale['party'] in self.portal_fulfilled
        return bool(self.fulfil)

    @functools.cached_property
    def portal_fulfilled(self):
        """The codes of the portal's customer, whose pages then show real
        progress, and of the first slow payers, whose late, partial and
        unpaid invoices fill the credit screens (payment records, ageing,
        receivable ladder)"""
        slow = [c['code'] for c in self.data.customers()
            if c['payment_behaviours'] != V.PAYMENT_BEHAVIOURS]
        return {self.portal_customer['code'], *slow[:SLOW_PAYERS]}

    @property
    def portal_customer(self):
        "The customer whose buyer, accountant and quality use the portal"
        return next(iter(self.data.customers()))

    def load_sales(self):
        Sale = self.model('sale.sale')
        Line = self.model('sale.line')
        Location = self.model('stock.location')
        warehouse, = Location.search([('type', '=', 'warehouse')], limit=1)
        count = 0
        for batch in _batches(self.data.sales()):
            sales = []
            for s in batch:
                party = self.ids['party', s['party']]
                address = self.ids['address', s['party']]
                values = self.fit(Sale, dict(
                        company=self.ids['company'], number=s['number'],
                        party=party, invoice_address=address,
                        shipment_address=address, warehouse=warehouse.id,
                        currency=self.ids['currency', 'CNY'],
                        sale_date=s['sale_date'],
                        quotation_date=s['sale_date'],
                        reference=s['reference'],
                        description=s['description'],
                        payment_term=self.terms.get(s['party']),
                        **self._incoterm_values(s['party']),
                        lines=[('create', [self.fit(Line, dict(
                                            type='line',
                                            product=self.ids['product', l['product']],
                                            quantity=l['quantity'],
                                            unit=self.ids['kg'],
                                            unit_price=l['unit_price'],
                                            description=l['description']))
                                    for l in s['lines']])]))
                sales.append(values)
            # Lines can only be added to draft sales: create them as drafts,
            # then move each group to its final state at once.
            created = Sale.create(sales)
            by_state = {}
            for sale, s in zip(created, batch):
                state = s['state']
                if s['shipment'] and self.fulfils(s):
                    state = 'confirmed'  # processed by load_fulfilment
                    self.fulfilment.append((sale.id, s))
                by_state.setdefault((state, s['rep']), []).append(sale)
            to_write = []
            for (state, rep), records in by_state.items():
                employee = self.ids['employee', rep]
                to_write.extend([records, self.fit(Sale, dict(
                                state=state,
                                quoted_by=(employee if state != 'draft'
                                    else None),
                                confirmed_by=(employee if state in {
                                        'confirmed', 'processing', 'done'}
                                    else None),
                                shipment_state=('sent' if state == 'done'
                                    else 'none'),
                                invoice_state=('paid' if state == 'done'
                                    else 'none')))])
            Sale.write(*to_write)
            Sale.store_cache([s for s in created
                    if s.state in Sale._states_cached])
            count += len(created)
        logger.info("%d sales", count)

    def load_contacts(self):
        if not self.has_model('crm.contact'):
            logger.warning("crm.contact missing: no contact log")
            return
        Contact = self.model('crm.contact')
        count = 0
        for batch in _batches(self.data.contacts(), 1000):
            Contact.create([self.fit(Contact, dict(
                            c,
                            party=self.ids['party', c['party']],
                            employee=self.ids['employee', c['employee']],
                            department=self.ids['department', c['department']],
                            company=self.ids['company']))
                    for c in batch])
            count += len(batch)
        logger.info("%d contacts", count)


PORTAL_USERS = [
    ('buyer', 'buyer@portal.example'),
    ('accountant', 'accountant@portal.example'),
    ('quality', 'quality@portal.example'),
    ]
PORTAL_PASSWORD = 'demo-portal-2026'
# the slow payers fulfilled with the portal's customer (--portal-fulfilment)
SLOW_PAYERS = 3
PRICE_LIST_NAME = '协议价（九五折）'


@contextlib.contextmanager
def _no_email():
    """The demo customers' addresses are fake: the ticket notifications are
    recorded (ir.email) but not handed to an SMTP server."""
    from trytond.modules.crm_fruit_customer import mail
    original = mail.queue_message
    mail.queue_message = lambda *args, **kwargs: None
    try:
        yield
    finally:
        mail.queue_message = original


def load(database, dataset, writer=TrytonWriter, fulfil=True):
    """Load dataset into database (which has our modules activated);
    without fulfil the sales are not shipped, invoiced nor paid, with
    fulfil 'portal' only those of the portal's customer are."""
    from trytond.pool import Pool as _Pool
    _Pool.start()
    pool = _Pool(database)
    from trytond.transaction import TransactionError
    with Transaction().start(database, 0, readonly=True):
        pool.init()
        # Tryton 8 locks records (round-robin of the service teams) only if
        # the transaction started with them: lock them from the start.
        extras = {'_lock_tables': list(LOCK_TABLES)}
        try:
            Team = pool.get('service.team')
        except KeyError:
            Team = None
        if Team is not None:
            extras['_lock_records'] = {Team._table: [
                    t.id for t in Team.search([])]}
    while True:
        try:
            with Transaction().start(database, 0, context={
                        'language': 'zh_CN', 'active_test': False},
                    **extras), _no_email():
                loader = writer(dataset)
                loader.fulfil = fulfil
                loader.load()
            break
        except TransactionError as e:
            # as the RPC dispatcher does: start again with the locks asked
            logger.info("restarting the load with the locks %s", e)
            e.fix(extras)
