# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from pathlib import Path

from trytond.pool import Pool
from trytond.report import Report

STYLE = (Path(__file__).parent / 'report' / 'document.css').read_text()


class DocumentReport(Report):
    """A document of the portal: an HTML template that Tryton's report engine
    renders to PDF with WeasyPrint (no office suite on the servers), in the
    page's language and the documents' shared style"""

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Lang = pool.get('ir.lang')
        context = super().get_context(records, header, data)
        context['lang'] = Lang.get()
        context['style'] = STYLE
        return context
