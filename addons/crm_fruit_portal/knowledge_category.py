# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.model import fields
from trytond.pool import PoolMeta


class Category(metaclass=PoolMeta):
    "The knowledge categories whose public articles are the portal's news"
    __name__ = 'service.knowledge.category'

    news = fields.Boolean(
        "News",
        help="Check for company or industry news: the portal shows the "
        "public articles of the category under News, the newest first, and "
        "the latest ones on the customer's home page.")

    @classmethod
    def default_news(cls):
        return False
