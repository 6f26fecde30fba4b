# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Company and industry news: the published public articles of the news
categories of the knowledge base (the portal user's record rule keeps the
others out), the newest first"""
from trytond.pool import Pool

NEWS = [('category.news', '=', True)]
ORDER = [('published_date', 'DESC NULLS LAST'), ('id', 'DESC')]


def latest(limit=3):
    pool = Pool()
    Article = pool.get('service.knowledge.article')
    return Article.search(NEWS, order=ORDER, limit=limit)


def search(offset=0, limit=20):
    pool = Pool()
    Article = pool.get('service.knowledge.article')
    return (Article.search(NEWS, order=ORDER, offset=offset, limit=limit),
        Article.search_count(NEWS))
