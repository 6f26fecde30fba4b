# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
import unittest

from trytond import backend
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.crm_fruit_service.text_search import (
    TermsArray, create_trigram_extension, query_terms, text_bigrams,
    text_grams)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction
from trytond.transaction import Transaction


class KnowledgeTextTestCase(unittest.TestCase):
    "Test how knowledge texts are cut into search keys"

    def test_query_terms_fold_width_and_case(self):
        "Full-width and upper case letters match their plain forms"
        self.assertEqual(query_terms('ＦＵＪＩ 苹果，储藏'), ['fuji', '苹果', '储藏'])

    def test_text_grams_chinese_bigrams(self):
        "A Chinese sentence gives its bigrams without function words"
        grams = text_grams('樱桃软烂了')
        self.assertEqual(grams, ['樱桃', '桃软', '软烂'])

    def test_text_grams_latin_words(self):
        "Short latin words are not keys"
        self.assertEqual(text_grams('Fuji apple is ok'), ['fuji', 'apple'])

    def test_text_bigrams(self):
        "Bigrams are the distinct pairs that a query term can be"
        self.assertEqual(
            text_bigrams('樱桃，樱桃4度 ok'), '4度 ok 桃4 樱桃')

    def test_text_grams_limit(self):
        "The number of keys is bounded"
        self.assertEqual(len(text_grams('龙口苹果梨子樱桃大蒜生姜', limit=5)), 5)


    def test_terms_array_refuses_what_is_not_a_term(self):
        "Terms are written into the statement: only letters and digits"
        self.assertEqual(
            str(TermsArray(['冷库', 'ok'])), "ARRAY['冷库', 'ok']::TEXT[]")
        for term in ["x'); DROP TABLE ir_model; --", '冷 库', '%']:
            with self.assertRaises(ValueError):
                TermsArray([term])


class KnowledgeTestCase(unittest.TestCase):
    "Test knowledge base"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_service')

    def _articles(self):
        pool = Pool()
        Article = pool.get('service.knowledge.article')
        cherry = Article(
            title="樱桃软烂的原因", tags="樱桃 冷链",
            body="到货后樱桃软烂多因冷链断链，温度高于4度。")
        garlic = Article(
            title="大蒜发芽", tags="大蒜",
            body="Garlic sprouting: keep the storage at -3 °C.")
        Article.save([cherry, garlic])
        Article.publish([cherry, garlic])
        return cherry, garlic

    @with_transaction()
    def test_full_text_chinese(self):
        "Search Chinese terms without word boundaries"
        pool = Pool()
        Article = pool.get('service.knowledge.article')
        company = create_company()
        with set_company(company):
            cherry, garlic = self._articles()
            self.assertEqual(
                Article.search([('full_text', '=', '软烂')]), [cherry])
            self.assertEqual(
                Article.search([('full_text', '=', '樱桃 冷链')]), [cherry])
            self.assertEqual(
                Article.search([('full_text', '=', 'GARLIC')]), [garlic])
            self.assertEqual(
                Article.search([('full_text', '=', '樱桃 大蒜')]), [])

    @with_transaction()
    def test_full_text_two_characters(self):
        "Two-character terms find the same articles as a substring search"
        pool = Pool()
        Article = pool.get('service.knowledge.article')
        company = create_company()
        with set_company(company):
            cherry, garlic = self._articles()
            apple = Article(title="苹果冷库储藏", body="冷库温度0度，湿度90%。")
            Article.save([apple])
            if backend.name == 'postgresql':
                self.assertTrue(Article._has_bigram_index())
            queries = ['冷库', '苹果 冷库', '4度', 'ok', '樱桃 冷链', '果冷',
                '度，', '库樱']

            def check():
                for query in queries:
                    terms = query_terms(query)
                    expected = [a for a in Article.search([])
                        if all(t in a.search_text for t in terms)]
                    self.assertEqual(
                        Article.search([('full_text', '=', query)]),
                        expected, query)
            check()
            Article.write([apple], {'body': "樱桃冷库"})
            check()
            Article.delete([apple])
            check()

    @unittest.skipIf(backend.name != 'postgresql', "PostgreSQL only")
    @with_transaction()
    def test_trigram_extension_known_in_transaction(self):
        "has_extension answers from Database._extensions, which we fill"
        # create_trigram_extension writes there: has_extension looks through
        # another connection that does not see an uncommitted extension.
        database = Transaction().database
        self.assertIsInstance(type(database)._extensions, dict)
        create_trigram_extension()
        marker = 'crm_fruit_test_marker'
        database._extensions[database.name][marker] = True
        try:
            self.assertTrue(database.has_extension(marker))
        finally:
            del database._extensions[database.name][marker]

    @with_transaction()
    def test_search_pages_and_counts(self):
        "The article search keeps order, offset, limit, count and records"
        pool = Pool()
        Article = pool.get('service.knowledge.article')
        company = create_company()
        with set_company(company):
            cherry, garlic = self._articles()
            domain = [('state', '=', 'published')]
            found = Article.search(domain, order=[('title', 'DESC')])
            self.assertEqual(found, [cherry, garlic])
            self.assertEqual([a.title for a in found],
                ["樱桃软烂的原因", "大蒜发芽"])
            self.assertEqual(
                Article.search(domain, offset=1, limit=1,
                    order=[('title', 'DESC')]), [garlic])
            self.assertEqual(Article.search(domain, count=True), 2)
            self.assertEqual(Article.search(
                    [('full_text', 'not like', '软烂')]), [garlic])

    @with_transaction()
    def test_fill_search_bigrams(self):
        "The update computes the bigrams of the articles created before"
        pool = Pool()
        Article = pool.get('service.knowledge.article')
        table = Article.__table__()
        company = create_company()
        with set_company(company):
            cherry, garlic = self._articles()
            cursor = Transaction().connection.cursor()
            cursor.execute(*table.update([table.search_bigrams], [None]))
            Article._fill_search_bigrams()
            cursor.execute(*table.select(
                    table.search_text, table.search_bigrams,
                    where=table.id.in_([cherry.id, garlic.id])))
            for search_text, search_bigrams in cursor:
                self.assertEqual(search_bigrams, text_bigrams(search_text))

    @with_transaction()
    def test_published_date_kept_through_corrections(self):
        "The first publication dates an article; a correction keeps it"
        pool = Pool()
        Article = pool.get('service.knowledge.article')
        Date = pool.get('ir.date')
        company = create_company()
        with set_company(company):
            cherry, _ = self._articles()
            self.assertEqual(cherry.published_date, Date.today())
            Article.write([cherry], {'published_date': dt.date(2026, 3, 1)})
            Article.draft([cherry])
            cherry.body = "更正：温度高于5度。"
            cherry.save()
            Article.publish([cherry])
            self.assertEqual(cherry.published_date, dt.date(2026, 3, 1))
            copy, = Article.copy([cherry])
            self.assertIsNone(copy.published_date)

    @with_transaction()
    def test_fill_published_date(self):
        "The update dates the articles published before the date was kept"
        pool = Pool()
        Article = pool.get('service.knowledge.article')
        table = Article.__table__()
        company = create_company()
        with set_company(company):
            cherry, garlic = self._articles()
            draft = Article(title="草稿", body="未发布")
            draft.save()
            cursor = Transaction().connection.cursor()
            cursor.execute(*table.update([table.published_date], [None]))
            Article._fill_published_date()
            cursor.execute(*table.select(table.id, table.published_date))
            dates = dict(cursor)
            self.assertIsNotNone(dates[cherry.id])
            self.assertIsNotNone(dates[garlic.id])
            self.assertIsNone(dates[draft.id])

    @with_transaction()
    def test_full_text_wildcards_are_literal(self):
        "A % in the query does not match everything"
        pool = Pool()
        Article = pool.get('service.knowledge.article')
        company = create_company()
        with set_company(company):
            self._articles()
            self.assertEqual(Article.search([('full_text', '=', '%')]), [])

    @with_transaction()
    def test_suggest_from_ticket_text(self):
        "A customer's sentence suggests the article about its problem"
        pool = Pool()
        Article = pool.get('service.knowledge.article')
        company = create_company()
        with set_company(company):
            cherry, garlic = self._articles()
            self.assertEqual(
                Article.suggest("昨天收到的一批樱桃有很多软烂，请处理"),
                [cherry])
            self.assertEqual(Article.suggest("发票抬头错误"), [])

    @with_transaction()
    def test_suggest_only_published(self):
        "Draft articles are not suggested"
        pool = Pool()
        Article = pool.get('service.knowledge.article')
        company = create_company()
        with set_company(company):
            cherry, garlic = self._articles()
            Article.draft([cherry])
            self.assertEqual(Article.suggest("樱桃软烂"), [])

    @with_transaction()
    def test_versions_on_body_change(self):
        "Each change of the body keeps a new version"
        pool = Pool()
        Article = pool.get('service.knowledge.article')
        company = create_company()
        with set_company(company):
            cherry, _ = self._articles()
            Article.draft([cherry])
            cherry.body = "新的内容"
            cherry.save()
            cherry.tags = "樱桃"
            cherry.save()
            self.assertEqual(cherry.version, 2)
            self.assertEqual(
                [(v.version, v.body) for v in cherry.versions],
                [(2, "新的内容"), (1, "到货后樱桃软烂多因冷链断链，温度高于4度。")])
            self.assertEqual(
                Article.search([('full_text', '=', '新的')]), [cherry])

    @with_transaction()
    def test_solved_counter(self):
        "Solved it counts per article"
        pool = Pool()
        Article = pool.get('service.knowledge.article')
        company = create_company()
        with set_company(company):
            cherry, garlic = self._articles()
            Article.solved([cherry])
            Article.solved([cherry])
            self.assertEqual(
                (cherry.solved_count, garlic.solved_count), (2, 0))

    def _search(self, query, state='search', session_id=None):
        "Run the search wizard as the client does; return its answer"
        pool = Pool()
        Search = pool.get('service.knowledge.search', type='wizard')
        if session_id is None:
            session_id, _, _ = Search.create()
        form = 'start' if state == 'search' else 'nothing'
        result = Search.execute(session_id, {
                form: {'query': query, 'public_only': False}}, state)
        return session_id, result

    @with_transaction()
    def test_search_wizard_logs_queries(self):
        "The search wizard opens the matching articles and logs the query"
        pool = Pool()
        Log = pool.get('service.knowledge.search.log')
        company = create_company()
        with set_company(company):
            cherry, _ = self._articles()
            _, result = self._search("樱桃 软烂")
            (action, _), = result['actions']
            self.assertIn(str(cherry.id), action['pyson_domain'])
            self.assertNotIn('view', result)
            log, = Log.search([])
            self.assertEqual((log.query, log.results), ("樱桃 软烂", 1))

    @with_transaction()
    def test_search_wizard_opens_without_draft_tab(self):
        "The results open as one list, not on the article list's Draft tab"
        company = create_company()
        with set_company(company):
            self._articles()
            _, result = self._search("大蒜")
            (action, _), = result['actions']
            self.assertEqual(action['domains'], [])

    @with_transaction()
    def test_article_list_opens_on_published(self):
        "The article list's first tab is the published articles"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Action = pool.get('ir.action.act_window')
        action = Action(ModelData.get_id(
                'crm_fruit_service', 'act_knowledge_article_form'))
        _, domain, _ = action.domains[0]
        self.assertIn('published', domain)

    @with_transaction()
    def test_search_wizard_nothing_found(self):
        "A search without result says so, keeps the query and searches again"
        pool = Pool()
        Log = pool.get('service.knowledge.search.log')
        company = create_company()
        with set_company(company):
            cherry, _ = self._articles()
            session_id, result = self._search("榴莲 运输")
            self.assertNotIn('actions', result)
            self.assertEqual(result['view']['state'], 'nothing')
            self.assertEqual(
                result['view']['defaults']['query'], "榴莲 运输")
            self.assertIn(
                'No published article', result['view']['fields_view']['arch'])
            _, result = self._search(
                "樱桃", state='search_again', session_id=session_id)
            (action, _), = result['actions']
            self.assertIn(str(cherry.id), action['pyson_domain'])
            self.assertEqual(
                [(l.query, l.results) for l in Log.search(
                        [], order=[('id', 'ASC')])],
                [("榴莲 运输", 0), ("樱桃", 1)])
