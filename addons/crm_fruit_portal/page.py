# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""How a portal page runs: the session cookie, the CSRF token, the switch to
the portal's technical user with the customer's parties in the rule
context, the templates, the security headers and the error pages.

trytond's with_pool answers any exception with a 500 carrying str(e) and
with_transaction runs as root: the portal uses neither for its pages."""
import datetime as dt
import hashlib
import hmac
import logging
import os
import secrets
import time
import urllib.parse
from functools import wraps
from http import HTTPStatus
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from werkzeug.exceptions import HTTPException, NotFound

import trytond.config as config
from trytond import backend
from trytond.exceptions import RateLimitException, UserError, UserWarning
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.protocols.wrappers import Response
from trytond.transaction import Transaction, TransactionError, check_access

from .ir import PORTAL_PARTIES, PORTAL_USER

logger = logging.getLogger(__name__)
PREFIX = '/<database_name>/portal'
TEMPLATES = os.path.join(os.path.dirname(__file__), 'templates')
STATIC = os.path.join(os.path.dirname(__file__), 'static')
SESSION_COOKIE = 'crm_portal'
CSRF_COOKIE = 'crm_portal_csrf'
DEVICE_COOKIE = 'crm_portal_device'
LANGUAGE_COOKIE = 'crm_portal_lang'
LANGUAGES = ('zh_CN', 'en')
# The characters a path segment keeps as they are (RFC 3986 pchar)
PATH_SAFE = "~@:!$&'()*+,;="
SECURITY_HEADERS = {
    'Content-Security-Policy': (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; "
        "script-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    }
# The error pages are shown also when no database answers: both languages
# are here, not in ir.message.
ERRORS = {
    400: ("请求无效", "Bad request",
        "请返回上一页重试。", "Please go back and try again."),
    403: ("无法完成", "Not allowed",
        "页面已过期或请求无效，请返回上一页刷新后重试。",
        "The page has expired or the request is not valid: go back, "
        "reload the page and try again."),
    404: ("页面不存在", "Page not found",
        "您要找的内容不存在。", "What you are looking for does not exist."),
    405: ("请求无效", "Bad request",
        "请返回上一页重试。", "Please go back and try again."),
    413: ("文件太大", "File too large",
        "上传的内容超过了允许的大小。", "What you sent is larger than allowed."),
    429: ("尝试次数过多", "Too many attempts",
        "请稍后再试。", "Please try again later."),
    500: ("系统错误", "Something went wrong",
        "我们已记录此问题，请稍后再试。",
        "We have recorded the problem; please try again later."),
    }

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True, lstrip_blocks=True)


def _(text, /, **variables):
    "The portal's text in the language of the page"
    return gettext('crm_fruit_portal.msg_portal_' + text, **variables)


def own_record(model_name, record_id, domain=()):
    """The record of the portal user (searched under his record rules);
    NotFound when not his or not there: both answer the same"""
    pool = Pool()
    Model = pool.get(model_name)
    records = Model.search([('id', '=', record_id), *domain], limit=1)
    if not records:
        raise NotFound()
    return records[0]


def own_rows(model_name, domain, columns, offset, limit, order):
    """The columns (names of the model's table) of a page of the portal
    user's records, searched under his record rules, as tuples in order.

    One query reads what a list shows: a search of records fetches every
    column of the page's rows (and the driver describes them again for each
    row), a third of a list page's time."""
    pool = Pool()
    Model = pool.get(model_name)
    cursor = Transaction().connection.cursor()
    cursor.execute(*Model.search(domain, offset=offset, limit=limit,
            order=order, query=True))
    ids = [i for i, in cursor]
    if not ids:
        return []
    table = Model.__table__()
    cursor.execute(*table.select(table.id,
            *(getattr(table, c) for c in columns), where=table.id.in_(ids)))
    rows = {r[0]: r[1:] for r in cursor}
    return [rows[i] for i in ids]


def portal_path(database, page='', /, **params):
    """The path of the portal page of database (positional: a list's
    query has a parameter named page)"""
    database = urllib.parse.quote(database, safe=PATH_SAFE)
    path = f'/{database}/portal/{page}'
    params = {k: v for k, v in params.items() if v not in (None, '')}
    if params:
        path += '?' + urllib.parse.urlencode(params)
    return path


def secure_cookies(request):
    "Secure behind TLS (the proxy's X-Forwarded-Proto with [web] num_proxies)"
    return request.is_secure or config.getboolean(
        'crm_fruit_portal', 'secure_cookies', default=False)


class Page:
    "What a portal page knows of its request"

    def __init__(self, request, database, language):
        self.request = request
        self.database = database
        self.language = language
        self.user = None
        self.session = None
        self.new_cookies = []
        self.csrf_cookie = None

    @property
    def pages(self):
        "The pages the user's role reaches"
        from .web_user import ROLE_PAGES
        if not self.user:
            return set()
        return ROLE_PAGES.get(self.user.portal_role, set())

    def url(self, page='', /, **params):
        return portal_path(self.database, page, **params)

    @property
    def lang(self):
        pool = Pool()
        Lang = pool.get('ir.lang')
        return Lang.get(self.language)

    @property
    def today(self):
        pool = Pool()
        Date = pool.get('ir.date')
        return Date.today()

    def datetime(self, value):
        "value (UTC, as stored) in the company's time zone"
        if not value:
            return ''
        zone = self.user.company.timezone if self.user else None
        if zone:
            value = value.replace(tzinfo=dt.timezone.utc).astimezone(
                ZoneInfo(zone))
        return self.lang.strftime(value, self.lang.date + ' %H:%M')

    def date(self, value):
        return self.lang.strftime(value) if value else ''

    def month(self, number):
        "The name of the month in the page's language"
        return self.lang.strftime(dt.date(2000, number, 1), '%B')

    def amount(self, value, currency):
        if value is None:
            return ''
        return self.lang.currency(value, currency)

    def quantity(self, value, unit):
        if value is None:
            return ''
        digits = unit.digits if unit else 2
        number = self.lang.format('%.*f', (digits, value), grouping=True)
        return f'{number} {unit.symbol}' if unit else number

    @property
    def csrf_token(self):
        if self.session:
            return hmac.new(self.session.encode(), b'csrf',
                hashlib.sha256).hexdigest()
        if not self.csrf_cookie:
            self.csrf_cookie = (
                self.request.cookies.get(CSRF_COOKIE) or secrets.token_hex(32))
            self.set_cookie(CSRF_COOKIE, self.csrf_cookie)
        return self.csrf_cookie

    def check_csrf(self):
        token = self.request.form.get('csrf', '')
        if self.session:
            expected = self.csrf_token
        else:
            expected = self.request.cookies.get(CSRF_COOKIE, '')
        if not expected or not hmac.compare_digest(
                expected.encode(), token.encode()):
            raise Forbidden()

    def set_cookie(self, name, value, max_age=None):
        self.new_cookies.append((name, value, max_age))

    def render(self, template, status=HTTPStatus.OK, **variables):
        body = _environment.get_template(template).render(
            _=_, page=self, **variables)
        return Response(body, status=status,
            content_type='text/html; charset=utf-8')

    def redirect(self, page='', /, **params):
        return Response(status=HTTPStatus.SEE_OTHER,
            headers={'Location': self.url(page, **params)})

    def require(self, name):
        "NotFound unless the user's role reaches the pages of name"
        if name not in self.pages:
            raise NotFound()

    def finish(self, response):
        for name, value, max_age in self.new_cookies:
            response.set_cookie(name, value, max_age=max_age,
                path=portal_path(self.database), httponly=True,
                secure=secure_cookies(self.request), samesite='Lax')
        return response


class Forbidden(HTTPException):
    code = 403


class TooManyRequests(HTTPException):
    code = 429


def request_language(request):
    "The language of a page without a logged-in user"
    language = request.cookies.get(LANGUAGE_COOKIE)
    if language in LANGUAGES:
        return language
    best = request.accept_languages.best_match(['zh', 'en'])
    return 'en' if best == 'en' else 'zh_CN'


def error_response(request, database, code):
    code = code if code in ERRORS else 500
    english = request_language(request) == 'en'
    title_zh, title_en, text_zh, text_en = ERRORS[code]
    body = _environment.get_template('error.html').render(
        title=title_en if english else title_zh,
        text=text_en if english else text_zh,
        language='en' if english else 'zh-CN',
        home=portal_path(database) if database else None)
    return Response(body, status=code,
        content_type='text/html; charset=utf-8')


def add_security_headers(response, private=True):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if private:
        response.headers['Cache-Control'] = 'no-store'
    return response


def portal_user_id():
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    return ModelData.get_id('crm_fruit_portal', 'user_portal')


def page_route(app, path, methods=('GET',), login=True, max_size=None,
        csrf=True):
    """Register func as the portal page of path.

    func(request, page, **arguments) runs as the portal's technical user
    with access checks on; it returns a Response. csrf=False only for a
    page whose POST acts on the secret token of its URL alone (the one-click
    unsubscribe a mail client posts, RFC 8058)."""
    def decorator(func):
        @wraps(func)
        def endpoint(request, database_name, **arguments):
            try:
                response = _run(
                    func, request, database_name, login, csrf, arguments)
            except HTTPException as e:
                response = error_response(request, database_name, e.code)
            except Exception:
                logger.exception("portal page %s failed", request.path)
                response = error_response(request, database_name, 500)
            return add_security_headers(response)
        if max_size:
            endpoint.max_request_size = max_size
        app.route(PREFIX + path, methods=set(methods))(endpoint)
        return func
    return decorator


def _run(func, request, database, login, csrf, arguments):
    if database not in Pool.database_list():
        with Transaction().start(None, 0, readonly=True) as transaction:
            if database not in transaction.database.list(
                    hostname=config.get_hostname(request.host)):
                raise NotFound()
        with Transaction().start(database, 0, readonly=True):
            Pool(database).init()
    pool = Pool(database)
    try:
        if not hasattr(pool.get('web.user'), 'portal_role'):
            raise NotFound()
    except KeyError:
        raise NotFound()
    readonly = request.method not in {'POST'}
    retry = config.getint('database', 'retry')
    extras = {}
    count = 0
    while True:
        if count:
            time.sleep(0.02 * count)
        with Transaction().start(database, 0, readonly=readonly,
                context={'_request': request.context},
                **extras) as transaction:
            try:
                page = Page(request, database, request_language(request))
                response = _in_transaction(
                    func, page, login, csrf, arguments)
            except TransactionError as e:
                # Tryton asks to start again with the tables or records
                # locked (e.g. a service team's round robin)
                transaction.rollback()
                e.fix(extras)
                continue
            except backend.DatabaseOperationalError:
                if count < retry and not readonly:
                    transaction.rollback()
                    count += 1
                    continue
                raise
            except (UserError, UserWarning):
                # A business rule said no: the page shows it, nothing saved
                transaction.rollback()
                raise
            transaction.commit()
        return page.finish(response)


def _in_transaction(func, page, login, csrf, arguments):
    pool = Pool()
    Session = pool.get('web.user.session')
    key = page.request.cookies.get(SESSION_COOKIE)
    if key and len(key) <= 128:
        user = Session.get_user(key)
        if user and user.email_valid and user.party:
            page.user, page.session = user, key
            page.language = user.language
            if not Transaction().readonly:
                Session.touch(key)
    if login and not page.user:
        next_ = page.request.full_path if page.request.method == 'GET' else ''
        return page.redirect('login', next=next_)
    if page.request.method == 'POST' and csrf:
        page.check_csrf()
    context = {'language': page.language}
    if page.user:
        context.update({
                PORTAL_USER: page.user.id,
                PORTAL_PARTIES: page.user.portal_parties(page.user.id),
                # a tuple as res.user gives: the rule cache keys on it
                '_companies': (page.user.company.id,)
                if page.user.company else (),
                'company': page.user.company.id
                if page.user.company else None,
                })
    with Transaction().set_context(context), \
            Transaction().set_user(portal_user_id()), check_access():
        try:
            return func(page.request, page, **arguments)
        except RateLimitException:
            raise TooManyRequests()
