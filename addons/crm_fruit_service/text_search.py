# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Chinese full-text search of the knowledge base

Chinese has no spaces between words: a query is split into runs of Chinese
characters and other words, each run must be found as a substring. On
PostgreSQL the substrings go through a trigram index (pg_trgm) and, for the
two-character terms a trigram index cannot find, a GIN index on the
character bigrams of the text (its own plpgsql function). SQLite scans."""
import re
import unicodedata

from sql import Expression
from sql.operators import BinaryOperator, Like

from trytond import backend
from trytond.i18n import gettext
from trytond.tools import escape_wildcard
from trytond.transaction import Transaction

from .exceptions import KnowledgeSearchError

# Bounds of a search query: each term is one more condition on every article
MAX_SEARCH_TERMS = 10
MAX_SEARCH_LENGTH = 200

# Characters too common in Chinese to tell two articles apart.
_STOP_CHARS = set('的了是在有和与及或我你他她它们这那也就都而被把为对从'
    '吗呢吧啊请您要不没到说很')
_CJK = r'\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff'
_TOKEN = re.compile(rf'[{_CJK}]+|[^\W_]+')
_CJK_RUN = re.compile(rf'^[{_CJK}]+$')
# Databases where the bigram index exists, by name
_bigram_databases = {}


def normalize(text):
    "Return text folded for case- and width-insensitive substring matching"
    return unicodedata.normalize('NFKC', text or '').casefold()


def query_terms(text):
    "Split a search query into terms that must all be found"
    return _TOKEN.findall(normalize(text))


def check_query(text):
    "Refuse a query with too many terms or too long"
    if (len(text or '') > MAX_SEARCH_LENGTH
            or len(query_terms(text)) > MAX_SEARCH_TERMS):
        raise KnowledgeSearchError(gettext(
                'crm_fruit_service.msg_knowledge_search_too_long',
                terms=MAX_SEARCH_TERMS, length=MAX_SEARCH_LENGTH))


def text_grams(text, limit=40):
    """Return the keys of a free text: character bigrams of its Chinese runs
    (Chinese has no spaces between words) and its other words"""
    grams = []
    for token in query_terms(text):
        if _CJK_RUN.match(token):
            if len(token) == 1:
                candidates = [] if token in _STOP_CHARS else [token]
            else:
                candidates = [
                    token[i:i + 2] for i in range(len(token) - 1)]
                candidates = [
                    g for g in candidates if not (set(g) & _STOP_CHARS)]
        else:
            candidates = [token] if len(token) >= 3 else []
        for gram in candidates:
            if gram not in grams:
                grams.append(gram)
    return grams[:limit]


def like(column, term):
    "Return the condition: term is a substring of column"
    return Like(column, '%' + escape_wildcard(term) + '%', escape='\\')


def text_bigrams(text):
    """Return the distinct pairs of adjacent characters of text that can be
    a query term, space separated"""
    pairs = {text[i:i + 2] for i in range(len(text or '') - 1)}
    return ' '.join(sorted(p for p in pairs if _TOKEN.fullmatch(p)))


# PostgreSQL only: a GIN index on the bigrams finds the two-character terms
# that a trigram index cannot.  Splitting the bigrams of a row costs about
# 4 µs, which the planner, counting string_to_array as one operator, does not
# see: it scanned and split every row (85 ms for 20,000 articles) instead of
# reading the index (7 ms).  The function declares a cost of 30 operators:
# from 5 up the index wins; from 100 the planner also started parallel
# workers for the page (12 ms).
BIGRAMS_FUNCTION = (
    'CREATE OR REPLACE FUNCTION crm_fruit_bigrams(TEXT) RETURNS TEXT[] '
    'LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 30 '
    "AS $$BEGIN RETURN string_to_array($1, ' '); END$$")
BIGRAMS_INDEX_NAME = 'service_knowledge_article_bigrams'
BIGRAMS_INDEX = (
    f'CREATE INDEX IF NOT EXISTS {BIGRAMS_INDEX_NAME} '
    'ON service_knowledge_article '
    'USING gin (crm_fruit_bigrams(search_bigrams))')
# The index of the first builds, on string_to_array: dropped on update
OLD_BIGRAMS_INDEX = 'service_knowledge_article_search_bigrams'


class BigramArray(Expression):
    "crm_fruit_bigrams(column) as in the index"
    __slots__ = ('column',)

    def __init__(self, column):
        self.column = column

    def __str__(self):
        return 'crm_fruit_bigrams(%s)' % self.column

    @property
    def params(self):
        return self.column.params


class TermsArray(Expression):
    """The terms as a text array written in the statement, not a parameter

    With a parameter, once psycopg prepared the repeated statement,
    PostgreSQL reused a generic plan blind to how rare the pair is.  Safe:
    query terms are letters and digits only (_TOKEN)."""
    __slots__ = ('terms',)

    def __init__(self, terms):
        unsafe = [t for t in terms if not _TOKEN.fullmatch(t)]
        if unsafe:
            raise ValueError(f"not query terms: {unsafe!r}")
        self.terms = terms

    def __str__(self):
        return 'ARRAY[%s]::TEXT[]' % ', '.join(
            "'%s'" % t for t in self.terms)

    @property
    def params(self):
        return ()


class ArrayContains(BinaryOperator):
    __slots__ = ()
    _operator = '@>'


def fill_bigrams(table):
    "Compute the bigrams of the rows written before the column existed"
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.select(table.id, table.search_text))
    for id_, search_text in cursor.fetchall():
        cursor.execute(*table.update(
                [table.search_bigrams], [text_bigrams(search_text)],
                where=table.id == id_))


def create_bigram_index():
    if backend.name != 'postgresql':
        return
    cursor = Transaction().connection.cursor()
    cursor.execute(f'DROP INDEX IF EXISTS {OLD_BIGRAMS_INDEX}')
    cursor.execute(BIGRAMS_FUNCTION)
    cursor.execute(BIGRAMS_INDEX)
    _bigram_databases.pop(Transaction().database.name, None)


def has_bigram_index():
    if backend.name != 'postgresql':
        return False
    name = Transaction().database.name
    if name not in _bigram_databases:
        cursor = Transaction().connection.cursor()
        cursor.execute(
            f"SELECT to_regclass('{BIGRAMS_INDEX_NAME}') IS NOT NULL")
        _bigram_databases[name], = cursor.fetchone()
    return _bigram_databases[name]


def create_trigram_extension():
    "Install pg_trgm when allowed so the search text gets a GIN index"
    database = Transaction().database
    if (database.name and hasattr(database, '_extensions')
            and not database.has_extension('pg_trgm')):
        cursor = Transaction().connection.cursor()
        cursor.execute('SAVEPOINT crm_fruit_pg_trgm')
        try:
            cursor.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        except Exception:
            # Needs a superuser or a trusted extension: search still
            # works, only without the trigram index.
            cursor.execute('ROLLBACK TO SAVEPOINT crm_fruit_pg_trgm')
        else:
            cursor.execute('RELEASE SAVEPOINT crm_fruit_pg_trgm')
            # has_extension looks through another connection which does
            # not see it before commit, but the indexes are built in this
            # transaction (Database._extensions: the cache has_extension
            # fills, pinned by tests/test_knowledge.py).
            database._extensions[database.name]['pg_trgm'] = True
