# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The public articles of the knowledge base, searched as the service desk
searches them (its Chinese two-character search); the portal user reads
the published public ones only (record rule)"""
from trytond.pool import Pool

from .page import own_record

MAX_QUERY = 64


def search(query):
    pool = Pool()
    Search = pool.get('service.knowledge.search', type='wizard')
    Article = pool.get('service.knowledge.article')
    query = (query or '').strip()[:MAX_QUERY]
    if not query:
        return Article.search([], limit=20,
            order=[('write_date', 'DESC NULLS LAST'), ('id', 'DESC')])
    return Search.find_articles(query, public_only=True)


def get(article_id):
    return own_record('service.knowledge.article', article_id)
