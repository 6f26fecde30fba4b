# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from collections import defaultdict

from sql import Literal
from sql.aggregate import Count
from sql.conditionals import Case
from sql.functions import Lower
from sql.operators import Not

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Workflow, fields,
    sequence_ordered, tree)
from trytond.modules.crm_fruit_customer.embedded_view import (
    EmbeddedListsMixin)
from trytond.pool import Pool
from trytond.pyson import Eval, PYSONEncoder
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from .access import check_created_defaults, check_workflow_fields, in_group
from .exceptions import ServiceAccessError
from .satisfaction import date_where
from .text_search import (
    ArrayContains, BigramArray, TermsArray, check_query,
    create_bigram_index, create_trigram_extension, fill_bigrams,
    has_bigram_index, like, normalize, query_terms, text_bigrams, text_grams)


class Category(sequence_ordered(), tree(separator=' / '), ModelSQL, ModelView):
    __name__ = 'service.knowledge.category'

    name = fields.Char("Name", required=True, translate=True)
    parent = fields.Many2One(
        'service.knowledge.category', "Parent", ondelete='RESTRICT')
    childs = fields.One2Many(
        'service.knowledge.category', 'parent', "Children")
    articles = fields.One2Many(
        'service.knowledge.article', 'category', "Articles", readonly=True)


class Article(EmbeddedListsMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'service.knowledge.article'
    _rec_name = 'title'

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True,
        states=_states)
    title = fields.Char("Title", required=True, states=_states)
    # The long texts are loaded when read only: a search sorting the
    # matching articles must not carry them.
    body = fields.Text("Body", states=_states, loading='lazy')
    category = fields.Many2One(
        'service.knowledge.category', "Category", ondelete='RESTRICT')
    tags = fields.Char(
        "Tags", help="Keywords separated by spaces or commas.")
    products = fields.Many2Many(
        'service.knowledge.article-product.product', 'article', 'product',
        "Products",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    product_categories = fields.Many2Many(
        'service.knowledge.article-product.category', 'article', 'category',
        "Product Categories",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    department = fields.Many2One(
        'crm.department', "Department", ondelete='RESTRICT',
        domain=[
            ('company', 'in', [Eval('company', -1), None]),
            ])
    public = fields.Boolean(
        "Public",
        help="Check to show the article to customers on the portal.")
    version = fields.Integer("Version", readonly=True)
    published_date = fields.Date(
        "Published Date", readonly=True,
        help="When the article was first published (a correction published "
        "again keeps the date).")
    versions = fields.One2Many(
        'service.knowledge.article.version', 'article', "Versions",
        readonly=True, order=[('version', 'DESC')])
    search_text = fields.Text("Search Text", readonly=True, loading='lazy')
    search_bigrams = fields.Text(
        "Search Bigrams", readonly=True, loading='lazy')
    full_text = fields.Function(
        fields.Char("Full Text"), 'get_full_text')
    uses = fields.One2Many(
        'service.knowledge.article.use', 'article', "Uses", readonly=True)
    solved_count = fields.Function(
        fields.Integer("Solved Count",
            help="How many times the article solved a customer's problem."),
        'get_solved_count')
    state = fields.Selection([
            ('draft', "Draft"),
            ('published', "Published"),
            ('archived', "Archived"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.search_text, Index.Similarity())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    (t.company, Index.Equality(cardinality='low'))),
                })
        cls._order = [('title', 'ASC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'published'),
            ('published', 'draft'),
            ('published', 'archived'),
            ('archived', 'draft'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': Eval('state') == 'draft',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'publish': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'archive': {
                    'invisible': Eval('state') != 'published',
                    'icon': 'tryton-archive',
                    'depends': ['state'],
                    },
                'solved': {
                    'invisible': Eval('state') != 'published',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'make_public': {
                    'invisible': Eval('public', False),
                    'depends': ['public'],
                    },
                'make_internal': {
                    'invisible': ~Eval('public', False),
                    'depends': ['public'],
                    },
                })
        cls.public.readonly = True

    @classmethod
    def __register__(cls, module):
        create_trigram_extension()
        table_h = cls.__table_handler__(module)
        missing_bigrams = not table_h.column_exist('search_bigrams')
        missing_published_date = not table_h.column_exist('published_date')
        super().__register__(module)
        if missing_bigrams:
            cls._fill_search_bigrams()
        if missing_published_date:
            cls._fill_published_date()
        create_bigram_index()

    @classmethod
    def _fill_published_date(cls):
        "The articles published before the date was kept: their last change"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        # the dates in Python: SQLite has no date type to cast to
        cursor.execute(*table.select(
                table.id, table.write_date, table.create_date,
                where=table.state.in_(['published', 'archived'])))
        by_date = defaultdict(list)
        for id_, write_date, create_date in cursor.fetchall():
            by_date[(write_date or create_date).date()].append(id_)
        for date, ids in by_date.items():
            for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS):
                cursor.execute(*table.update(
                        [table.published_date], [date],
                        where=reduce_ids(table.id, sub_ids)))

    @classmethod
    def _fill_search_bigrams(cls):
        fill_bigrams(cls.__table__())

    @classmethod
    def _has_bigram_index(cls):
        return has_bigram_index()

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_public(cls):
        return False

    @classmethod
    def default_version(cls):
        return 1

    @classmethod
    def default_state(cls):
        return 'draft'

    def compute_fields(self, field_names=None):
        values = super().compute_fields(field_names=field_names)
        if (field_names is None
                or {'title', 'tags', 'body'} & set(field_names)):
            search_text = normalize(
                '\n'.join([self.title or '', self.tags or '',
                        self.body or '']))
            if getattr(self, 'search_text', None) != search_text:
                values['search_text'] = search_text
                values['search_bigrams'] = text_bigrams(search_text)
        return values

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        if mode == 'create' or (
                mode == 'write' and {'title', 'body'} & set(field_names)):
            cls._save_versions(records, mode == 'create')

    @classmethod
    def _save_versions(cls, records, created):
        pool = Pool()
        Version = pool.get('service.knowledge.article.version')
        versions = []
        for article in records:
            if not created:
                article.version = (article.version or 0) + 1
            versions.append(Version(
                    article=article, version=article.version,
                    title=article.title, body=article.body))
        if not created:
            cls.save(records)
        Version.save(versions)

    @classmethod
    def check_modification(cls, mode, articles, values=None, external=False):
        super().check_modification(
            mode, articles, values=values, external=external)
        if not external:
            return
        if mode == 'create':
            check_created_defaults(cls, articles, {
                    'state': ('draft',), 'public': (False, None),
                    'published_date': (None,)})
        elif mode == 'write':
            check_workflow_fields(cls, articles, values, {
                    'state', 'public', 'version', 'versions', 'uses',
                    'search_text', 'search_bigrams', 'published_date'})
            if values.keys() & {'company', 'title', 'body'}:
                for article in articles:
                    if article.state != 'draft':
                        raise ServiceAccessError(gettext(
                                'crm_fruit_service.msg_article_not_draft',
                                article=article.rec_name))

    @classmethod
    def copy(cls, articles, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('versions')
        default.setdefault('uses')
        default.setdefault('version', 1)
        default.setdefault('state', 'draft')
        default.setdefault('published_date')
        return super().copy(articles, default=default)

    def get_full_text(self, name):
        return None

    @classmethod
    def search(cls, domain, offset=0, limit=None, order=None, count=False,
            query=False):
        """Search the ids only

        The ORM also selects the article's eager columns to fill the cache of
        the transaction; the web client searches in one request and reads
        the page in the next, so they were thrown away after sorting every
        match with them (16 of the 31 ms of a page of 80 out of 18,000)."""
        if count or query:
            return super().search(domain, offset=offset, limit=limit,
                order=order, count=count, query=query)
        select = super().search(domain, offset=offset, limit=limit,
            order=order, query=True)
        cursor = Transaction().connection.cursor()
        cursor.execute(*select)
        return cls.browse([i for i, in cursor])

    @classmethod
    def domain_full_text(cls, domain, tables):
        """Every term of the query must appear in the title, tags or body

        On PostgreSQL the two-character terms go through the bigram index,
        the longer ones through the trigram index of the LIKE.  The
        conditions are on the article table itself (no subquery of ids):
        the page is filtered and sorted in one pass."""
        table, _ = tables[None]
        _, operator, value = domain[:3]
        if isinstance(value, str):
            check_query(value)
        terms = query_terms(value) if isinstance(value, str) else []
        where = Literal(bool(terms))
        pairs = []
        if cls._has_bigram_index():
            pairs = sorted({t for t in terms if len(t) == 2})
        for term in terms:
            if term not in pairs:
                where &= like(table.search_text, term)
        if pairs:
            # Same rows as the LIKE: a two-character term is in the bigrams
            # of the text exactly when it is a substring of it.  Not for
            # longer terms: the trigram index finds them, and mixing both
            # indexes rechecked every candidate's bigrams (4 times slower).
            where &= ArrayContains(
                BigramArray(table.search_bigrams), TermsArray(pairs))
        if operator.startswith('not'):
            where = Not(where)
        return where

    @classmethod
    def suggest(cls, text, limit=5, domain=None):
        """Return published articles ranked by how many keys of text they
        contain; a title match weighs more than a body match"""
        grams = text_grams(text)
        if not grams:
            return []
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        score = Literal(0)
        for gram in grams:
            score += Case((like(table.search_text, gram), 1), else_=0)
            score += Case((like(Lower(table.title), gram), 2), else_=0)
        allowed = cls.search(
            [('state', '=', 'published')] + (domain or []), query=True)
        minimum = min(2, len(grams))
        scored = table.select(table.id.as_('id'), score.as_('score'),
            where=table.id.in_(allowed))
        cursor.execute(*scored.select(scored.id,
                where=scored.score >= minimum,
                order_by=[scored.score.desc, scored.id.desc],
                limit=limit))
        return cls.browse([i for i, in cursor])

    @classmethod
    def get_solved_count(cls, articles, name):
        pool = Pool()
        Use = pool.get('service.knowledge.article.use')
        use = Use.__table__()
        cursor = Transaction().connection.cursor()
        counts = dict.fromkeys((a.id for a in articles), 0)
        for sub_ids in grouped_slice(articles, backend.MAX_QUERY_PARAMS):
            cursor.execute(*use.select(use.article, Count(Literal(1)),
                    where=reduce_ids(use.article, [a.id for a in sub_ids])
                    & (use.kind == 'solved'),
                    group_by=[use.article]))
            counts.update(cursor)
        return counts

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, articles):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('published')
    def publish(cls, articles):
        pool = Pool()
        Date = pool.get('ir.date')
        first = [a for a in articles if not a.published_date]
        if first:
            cls.write(first, {'published_date': Date.today()})

    @classmethod
    @ModelView.button
    @Workflow.transition('archived')
    def archive(cls, articles):
        pass

    @classmethod
    @ModelView.button
    def make_public(cls, articles):
        "Show the articles to customers: the service manager's decision"
        cls._check_public(articles)
        cls.write(articles, {'public': True})

    @classmethod
    @ModelView.button
    def make_internal(cls, articles):
        cls._check_public(articles)
        cls.write(articles, {'public': False})

    @classmethod
    def _check_public(cls, articles):
        if articles and not in_group('group_service_manager', 'crm_fruit_service'):
            raise ServiceAccessError(gettext(
                    'crm_fruit_service.msg_article_public_service_manager',
                    article=articles[0].rec_name))

    @classmethod
    @ModelView.button
    def solved(cls, articles):
        "Count that the articles solved the problem of the ticket in context"
        pool = Pool()
        Use = pool.get('service.knowledge.article.use')
        Use.save([Use(article=a, kind='solved', **Use._context_values())
                for a in articles])


class _RecordedByCode:
    "Rows the knowledge base writes itself"
    __slots__ = ()

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('article')

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if external and records:
            raise ServiceAccessError(gettext(
                    'crm_fruit_service.msg_knowledge_code_only'))


class ArticleVersion(_RecordedByCode, ModelSQL, ModelView):
    __name__ = 'service.knowledge.article.version'

    article = fields.Many2One(
        'service.knowledge.article', "Article", required=True,
        ondelete='CASCADE')
    version = fields.Integer("Version", required=True, readonly=True)
    title = fields.Char("Title", readonly=True)
    body = fields.Text("Body", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('article', 'ASC'), ('version', 'DESC'), ('id', 'DESC')]


class ArticleProduct(ModelSQL):
    __name__ = 'service.knowledge.article-product.product'

    article = fields.Many2One(
        'service.knowledge.article', "Article", required=True,
        ondelete='CASCADE')
    product = fields.Many2One(
        'product.product', "Product", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('article')


class ArticleProductCategory(ModelSQL):
    __name__ = 'service.knowledge.article-product.category'

    article = fields.Many2One(
        'service.knowledge.article', "Article", required=True,
        ondelete='CASCADE')
    category = fields.Many2One(
        'product.category', "Category", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('article')


class ArticleUse(_RecordedByCode, ModelSQL, ModelView):
    __name__ = 'service.knowledge.article.use'

    article = fields.Many2One(
        'service.knowledge.article', "Article", required=True,
        ondelete='CASCADE')
    kind = fields.Selection([
            ('solved', "Solved"),
            ], "Kind", required=True)
    date = fields.Date("Date", required=True)
    ticket = fields.Many2One(
        'service.ticket', "Ticket", ondelete='SET NULL',
        help="The ticket the article answered.")
    user = fields.Many2One('res.user', "User", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.article, Index.Equality()), (t.date, Index.Range())))
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_user(cls):
        return Transaction().user

    @classmethod
    def _context_values(cls):
        "Link the use to the ticket from which the article was opened"
        pool = Pool()
        Ticket = pool.get('service.ticket')
        ticket = Transaction().context.get('ticket')
        if isinstance(ticket, int) and ticket > 0:
            # The id comes from the client: keep it only when readable
            tickets = Ticket.search([('id', '=', ticket)])
            if tickets:
                return {'ticket': tickets[0]}
        return {}


class Usage(ModelSQL, ModelView):
    "How often each article solved a problem in the period"
    __name__ = 'service.knowledge.usage'

    company = fields.Many2One('company.company', "Company")
    article = fields.Many2One('service.knowledge.article', "Article")
    category = fields.Many2One('service.knowledge.category', "Category")
    solved = fields.Integer("Solved")
    tickets = fields.Integer("Tickets")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('solved', 'DESC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Article = pool.get('service.knowledge.article')
        Use = pool.get('service.knowledge.article.use')
        article = Article.__table__()
        use = Use.__table__()
        context = Transaction().context
        where = ((article.company == context.get('company', -1))
            & (use.kind == 'solved') & date_where(use.date))
        if context.get('department'):
            where &= article.department == context['department']
        return (use
            .join(article, condition=use.article == article.id)
            .select(
                article.id.as_('id'),
                article.company.as_('company'),
                article.id.as_('article'),
                article.category.as_('category'),
                Count(Literal(1)).as_('solved'),
                Count(use.ticket, distinct=True).as_('tickets'),
                where=where,
                group_by=[article.id, article.company, article.category]))


class SearchLog(ModelSQL, ModelView):
    "Knowledge searches, to find the questions the base cannot answer yet"
    __name__ = 'service.knowledge.search.log'

    company = fields.Many2One('company.company', "Company", required=True)
    query = fields.Char("Query", readonly=True)
    results = fields.Integer("Results", readonly=True)
    date = fields.Date("Date", readonly=True, required=True)
    user = fields.Many2One('res.user', "User", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_user(cls):
        return Transaction().user

    @classmethod
    def check_modification(cls, mode, logs, values=None, external=False):
        pool = Pool()
        Date = pool.get('ir.date')
        super().check_modification(
            mode, logs, values=values, external=external)
        # Managers may clean the log up, not rewrite it
        if external and mode == 'write':
            check_workflow_fields(cls, logs, values, {
                    'company', 'query', 'results', 'date', 'user'})
        elif external and mode == 'create':
            check_created_defaults(cls, logs, {
                    'date': (Date.today(),),
                    'user': (None, Transaction().user)})


class Search(Wizard):
    __name__ = 'service.knowledge.search'

    start = StateView(
        'service.knowledge.search.start',
        'crm_fruit_service.knowledge_search_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Search", 'search', 'tryton-search', default=True),
            ])
    search = StateTransition()
    nothing = StateView(
        'service.knowledge.search.start',
        'crm_fruit_service.knowledge_search_nothing_view_form', [
            Button("Close", 'end', 'tryton-close'),
            Button("Search Again", 'search_again', 'tryton-search',
                default=True),
            ])
    search_again = StateTransition()
    open_ = StateAction('crm_fruit_service.act_knowledge_article_form')

    def transition_search(self):
        pool = Pool()
        SearchLog = pool.get('service.knowledge.search.log')
        articles = self.find_articles(
            self.start.query, self.start.public_only)
        SearchLog.save([SearchLog(
                    query=self.start.query, results=len(articles))])
        self.start.articles = articles
        return 'open_' if articles else 'nothing'

    @classmethod
    def find_articles(cls, query, public_only=False):
        "Return the published articles with every word, else the closest"
        pool = Pool()
        Article = pool.get('service.knowledge.article')
        domain = [('state', '=', 'published')]
        if public_only:
            domain.append(('public', '=', True))
        articles = Article.search(
            domain + [('full_text', '=', query)], limit=200)
        if not articles:
            articles = Article.suggest(query, limit=50, domain=domain)
        return articles

    def default_nothing(self, fields):
        return {
            'query': self.start.query,
            'public_only': self.start.public_only,
            }

    def transition_search_again(self):
        self.start.query = self.nothing.query
        self.start.public_only = self.nothing.public_only
        return self.transition_search()

    def do_open_(self, action):
        action['name'] += f' - {self.start.query}'
        action['pyson_domain'] = PYSONEncoder().encode(
            [('id', 'in', [a.id for a in self.start.articles])])
        # Results are published articles: the Draft and Published tabs of
        # the article list would open on an empty Draft tab.
        action['domains'] = []
        return action, {}

    def transition_open_(self):
        return 'end'


class SearchStart(ModelView):
    __name__ = 'service.knowledge.search.start'

    query = fields.Char(
        "Query", required=True,
        help="Words or a sentence, in Chinese or English.")
    public_only = fields.Boolean("Public Only")
    articles = fields.Many2Many(
        'service.knowledge.article', None, None, "Articles", readonly=True)
