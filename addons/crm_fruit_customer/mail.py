# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The one way the CRM sends e-mail: in the recipient's language, with
safe headers and bodies, sent after the commit and kept as ir.email on the
record; a failure is handed to the record's model (email_failed)"""
import html
import logging
import re
from email.message import EmailMessage
from email.utils import make_msgid

import trytond.config as config
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.sendmail import SMTPDataManager, get_smtp_server, send_message
from trytond.tools.email_ import format_address, set_from_header
from trytond.transaction import Transaction, without_check_access
from trytond.url import host

try:
    from email_validator import EmailNotValidError, validate_email
except ImportError:
    validate_email = None

logger = logging.getLogger(__name__)
_CONTROL = re.compile(r'[\x00-\x1f\x7f\x85\u2028\u2029]+')
HTML = """<!DOCTYPE html>
<html>
<head><meta charset="utf-8"/><title>%(title)s</title></head>
<body>%(body)s</body>
</html>"""


def clean_header(value):
    "Return value on one line: no CR, LF or other control characters"
    return ' '.join(_CONTROL.sub(' ', str(value or '')).split())


def normalize_address(address):
    "Return the normalised e-mail address or None when it is not valid"
    address = clean_header(address)
    if not address:
        return None
    if validate_email is None:
        if re.fullmatch(r'[^@\s<>,;"]+@[^@\s<>,;"]+\.[^@\s<>,;"]+', address):
            return address.lower()
        return None
    try:
        info = validate_email(
            address, check_deliverability=False, allow_quoted_local=False)
    except EmailNotValidError:
        return None
    return info.normalized.lower()


def html_body(text):
    "Return the plain text as HTML, everything escaped"
    return html.escape(text).replace('\n', '<br/>\n')


def build_message(to, subject, text):
    "Return the EmailMessage of text (plain and HTML alternatives)"
    from_ = config.get('email', 'from')
    msg = EmailMessage()
    msg['Message-ID'] = make_msgid(domain=host())
    set_from_header(msg, from_, from_)
    msg['To'] = format_address(to)
    msg['Subject'] = clean_header(subject)
    msg.set_content(text)
    msg.add_alternative(HTML % {
            'title': html.escape(clean_header(subject)),
            'body': html_body(text),
            }, subtype='html')
    return msg


def recipient_language(lang):
    "Return the code of lang, the database's language for nobody's"
    return lang.code if lang else config.get('database', 'language')


def render(language, template, **variables):
    """Return the subject and the text of the template (the prefix of its
    _subject and _body messages) in language"""
    with Transaction().set_context(language=language):
        return (gettext(template + '_subject', **variables),
            gettext(template + '_body', **variables))


def send(record, address, subject, text):
    """Send the e-mail to the normalised address after the commit and keep
    it on record; return the ir.email"""
    pool = Pool()
    Email = pool.get('ir.email')
    msg = build_message(address, subject, text)
    queue_message(msg, record)
    with without_check_access():
        email = Email.from_message(msg, body=html_body(text), resource=record)
        email.save()
    return email


def queue_message(msg, record, attempt=1):
    "Send msg after the commit of the transaction, never failing it"
    datamanager = Transaction().join(MailDataManager())
    datamanager.put(None, None, msg)
    datamanager.records[msg['Message-ID']] = (
        record.__name__, record.id, attempt)


def retry_later():
    "Whether a worker runs the queue: it sends again later"
    return config.getboolean('queue', 'worker', default=False)


class MailDataManager(SMTPDataManager):
    """Sends once the transaction is committed: the business action never
    waits for nor fails with the mail server, failures are handed to the
    records' models in a new transaction"""

    def __init__(self):
        super().__init__(uri=config.get('email', 'uri'), strict=True)
        self.records = {}

    def __eq__(self, other):
        if not isinstance(other, MailDataManager):
            return NotImplemented
        return True

    def __hash__(self):
        return hash(MailDataManager)

    def tpc_vote(self, trans):
        # Connecting here would fail the commit when the server is down
        pass

    def tpc_finish(self, trans):
        queue, records = self.queue, self.records
        self._finish()
        self.records = {}
        failures = self._send(queue)
        if failures:
            self._record(trans, [
                    (*records.get(msg['Message-ID'], (None, None, 1)),
                        msg, error)
                    for msg, error in failures])

    def _send(self, queue):
        "Return the (message, error) that could not be sent"
        if not queue:
            return []
        try:
            server = get_smtp_server(self.uri, strict=True)
        except Exception as error:
            logger.warning("fail to connect to send e-mails", exc_info=True)
            return [(msg, error) for _, _, msg in queue]
        failures = []
        for from_addr, to_addrs, msg in queue:
            try:
                server = send_message(
                    msg, from_addr, to_addrs, server=server,
                    strict=True) or server
            except Exception as error:
                logger.warning("fail to send e-mail", exc_info=True)
                failures.append((msg, error))
        try:
            server.quit()
        except Exception:
            pass
        return failures

    def _record(self, trans, failures):
        by_model = {}
        for model, id_, attempt, msg, error in failures:
            by_model.setdefault(model, []).append((id_, attempt, msg, error))
        try:
            with trans.new_transaction():
                pool = Pool()
                for model, model_failures in by_model.items():
                    Model = pool.get(model) if model else None
                    if hasattr(Model, 'email_failed'):
                        Model.email_failed(model_failures)
        except Exception:
            logger.error(
                "fail to record the e-mails not sent", exc_info=True)
