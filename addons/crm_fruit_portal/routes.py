# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The customers' portal pages (server-rendered, page.py runs them)"""
import mimetypes
import os
import secrets
import urllib.parse
from http import HTTPStatus

from werkzeug.exceptions import NotFound

import trytond.config as config
from trytond.exceptions import RateLimitException, UserError
from trytond.pool import Pool
from trytond.protocols.wrappers import Response
from trytond.transaction import Transaction, without_check_access
from trytond.url import HOSTNAME
from trytond.wsgi import app

from . import (
    invoices, knowledge, mailing, news, orders, products, profile, surveys,
    tickets)
from .exceptions import (
    PhotoError, PortalPasswordError, ProfileError, SurveyFormError,
    TicketFormError)
from .page import (
    DEVICE_COOKIE, LANGUAGE_COOKIE, LANGUAGES, PREFIX, SESSION_COOKIE,
    STATIC, add_security_headers, page_route, portal_path)

PAGE_SIZE = 20


def portal_url(database, page, /, **params):
    """The absolute URL of a portal page for an e-mail: from the
    configuration, never from the request's Host header"""
    base = config.get('crm_fruit_portal', 'base_url',
        default=f'http://{HOSTNAME}')
    return base.rstrip('/') + portal_path(database, page, **params)


def _system():
    "Authentication runs as root on e-mails and tokens, never on ids"
    return Transaction().set_user(0)


def _safe_next(page, value):
    "A path of this portal only: no redirection elsewhere"
    prefix = page.url()
    if (value and value.startswith(prefix) and '//' not in value
            and '\\' not in value):
        return value
    return prefix


def _open_session(page, user):
    pool = Pool()
    Session = pool.get('web.user.session')
    with _system(), without_check_access():
        # A new key at every login: a planted cookie is worth nothing
        old = page.request.cookies.get(SESSION_COOKIE)
        if old:
            Session.remove(old)
        key = user.new_session()
    page.set_cookie(SESSION_COOKIE, key)
    page.set_cookie(LANGUAGE_COOKIE, user.language, max_age=365 * 86400)
    page.session = key


@page_route(app, '/login', methods=('GET', 'POST'), login=False)
def login(request, page):
    pool = Pool()
    User = pool.get('web.user')
    next_ = _safe_next(page, request.values.get('next'))
    if request.method == 'GET':
        if page.user:
            return Response(status=HTTPStatus.SEE_OTHER,
                headers={'Location': next_})
        return page.render('login.html', next=next_)
    email = request.form.get('email', '').strip()
    device = request.cookies.get(DEVICE_COOKIE)
    try:
        with _system():
            user = User.portal_login(
                email, request.form.get('password', ''), device)
    except RateLimitException:
        # Answer without raising: the recorded attempt must be committed
        return page.render('login.html', status=HTTPStatus.TOO_MANY_REQUESTS,
            next=next_, email=email, error='login_blocked')
    if not user:
        return page.render('login.html', status=HTTPStatus.UNAUTHORIZED,
            next=next_, email=email, error='login_failed')
    _open_session(page, user)
    if not device:
        page.set_cookie(DEVICE_COOKIE, secrets.token_hex(32),
            max_age=365 * 86400)
    return Response(status=HTTPStatus.SEE_OTHER, headers={'Location': next_})


@page_route(app, '/logout', methods=('POST',), login=False)
def logout(request, page):
    pool = Pool()
    Session = pool.get('web.user.session')
    if page.session:
        with _system(), without_check_access():
            Session.remove(page.session)
    page.set_cookie(SESSION_COOKIE, '', max_age=0)
    return page.redirect('login')


@page_route(app, '/language', methods=('POST',), login=False)
def language(request, page):
    pool = Pool()
    User = pool.get('web.user')
    code = request.form.get('language')
    if code not in LANGUAGES:
        raise NotFound()
    if page.user:
        with _system(), without_check_access():
            User.write([User(page.user.id)], {'language': code})
    page.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 86400)
    return Response(status=HTTPStatus.SEE_OTHER,
        headers={'Location': _safe_next(page, request.form.get('next'))})


def _password_form(page, template, web_user, token, **variables):
    "Set the password of web_user from the form; None when it is set"
    pool = Pool()
    User = pool.get('web.user')
    password = page.request.form.get('password', '')
    if password != page.request.form.get('confirm', ''):
        return page.render(template, status=HTTPStatus.BAD_REQUEST,
            token=token, error_text=None, error='password_mismatch',
            **variables)
    try:
        User.check_portal_password(password, web_user)
        with _system(), without_check_access():
            User.write([User(web_user.id)], {'password': password})
    except PortalPasswordError as e:
        Transaction().rollback()
        return page.render(template, status=HTTPStatus.BAD_REQUEST,
            token=token, error_text=e.message, **variables)


@page_route(app, '/invitation', methods=('GET', 'POST'), login=False)
def invitation(request, page):
    "The invitation's link lands here; the password is set by a POST"
    pool = Pool()
    User = pool.get('web.user')
    token = request.values.get('token', '')
    with _system():
        user = User.user_by_email_token(token)
    if not user:
        return page.render('token_invalid.html', status=HTTPStatus.NOT_FOUND)
    if request.method == 'GET':
        return page.render('invitation.html', token=token, user=user)
    invalid = _password_form(page, 'invitation.html', user, token, user=user)
    if invalid:
        return invalid
    with _system(), without_check_access():
        User.validate_email_token([token])
        user = User(user.id)
    _open_session(page, user)
    return page.redirect()


@page_route(app, '/reset', methods=('GET', 'POST'), login=False)
def reset_request(request, page):
    pool = Pool()
    User = pool.get('web.user')
    if request.method == 'GET':
        return page.render('reset_request.html')
    with _system():
        User.request_reset_password(request.form.get('email', '').strip())
    # The same answer for any address: it tells nobody who is a customer
    return page.render('reset_request.html', sent=True)


@page_route(app, '/reset/password', methods=('GET', 'POST'), login=False)
def reset_password(request, page):
    pool = Pool()
    User = pool.get('web.user')
    token = request.values.get('token', '')
    with _system():
        user = User.user_by_reset_token(token)
    if not user:
        return page.render('token_invalid.html', status=HTTPStatus.NOT_FOUND)
    if request.method == 'GET':
        return page.render('reset_password.html', token=token)
    invalid = _password_form(page, 'reset_password.html', user, token)
    if invalid:
        return invalid
    with _system(), without_check_access():
        user = User(user.id)
        user.clear_reset_password_token()
        user.save()
    return page.redirect('login', done='reset')


@page_route(app, '/password', methods=('GET', 'POST'))
def change_password(request, page):
    pool = Pool()
    User = pool.get('web.user')
    if request.method == 'GET':
        return page.render('password.html')
    with _system():
        valid = User._check_credentials(
            page.user.email, request.form.get('current', ''))
    if not valid:
        return page.render('password.html', status=HTTPStatus.BAD_REQUEST,
            error='password_current')
    invalid = _password_form(page, 'password.html', page.user, None)
    if invalid:
        return invalid
    # The password's change ended every session (web_user.py): a new one
    _open_session(page, User(page.user.id))
    return page.redirect(done='password')


@page_route(app, '/')
def home(request, page):
    summary = orders.home(page.user) if 'orders' in page.pages else {}
    if 'tickets' in page.pages:
        summary['open_tickets'] = tickets.open_count()
    summary['surveys'] = surveys.waiting()
    summary['news'] = news.latest()
    return page.render('home.html', **summary)


@page_route(app, '/orders')
def order_list(request, page):
    page.require('orders')
    number = _page_number(request)
    filters = orders.Filters.from_args(request.args)
    found, count = orders.search(page.user, filters,
        offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return page.render('orders.html', orders=found, count=count,
        filters=filters, number=number,
        pages=max(1, -(-count // PAGE_SIZE)))


@page_route(app, '/orders/<int:sale_id>')
def order_detail(request, page, sale_id):
    page.require('orders')
    sale = orders.get(sale_id)
    detail = orders.Detail.of(sale)
    return page.render('order.html', sale=sale,
        lines=detail.lines, shipments=detail.shipments)


@page_route(app, '/shipments/<int:shipment_id>/receipt', methods=('POST',))
def confirm_receipt(request, page, shipment_id):
    pool = Pool()
    Shipment = pool.get('stock.shipment.out')
    shipment = orders.get_shipment(shipment_id)
    if shipment.receivable:
        # The customer's act, recorded once its shipment is known his
        with without_check_access():
            Shipment.confirm_receipt([shipment], page.user)
    sale_id = request.form.get('sale', type=int)
    if sale_id:
        return page.redirect(f'orders/{sale_id}', done='receipt')
    return page.redirect()


def _page_number(request):
    try:
        return max(1, int(request.args.get('page', 1)))
    except ValueError:
        return 1


@page_route(app, '/invoices')
def invoice_list(request, page):
    page.require('invoices')
    number = _page_number(request)
    state = request.args.get('state', '')
    state = state if state in {'open', 'paid'} else ''
    found, count = invoices.search(state,
        offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return page.render('invoices.html', invoices=found, count=count,
        state=state, number=number, pages=max(1, -(-count // PAGE_SIZE)),
        due_dates=invoices.due_dates(found))


@page_route(app, '/statement')
def statement(request, page):
    page.require('invoices')
    open_invoices, _ = invoices.search('open', limit=None)
    return page.render('statement.html',
        ageing=invoices.ageing(page.user.company),
        invoices=open_invoices, due_dates=invoices.due_dates(open_invoices))


UPLOAD_SIZE = 6 * 5 * 1024 * 1024


@page_route(app, '/tickets')
def ticket_list(request, page):
    page.require('tickets')
    number = _page_number(request)
    found, count = tickets.search(
        offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return page.render('tickets.html', tickets=found, count=count,
        number=number, pages=max(1, -(-count // PAGE_SIZE)))


@page_route(app, '/tickets/new', methods=('GET', 'POST'),
    max_size=UPLOAD_SIZE)
def ticket_new(request, page):
    page.require('tickets')
    form = request.form
    if request.method == 'GET':
        return _ticket_form(page, {
                'kind': request.args.get('kind', 'complaint'),
                'line': request.args.get('line', type=int),
                'submission': secrets.token_hex(16),
                })
    submission = form.get('submission', '')[:64]
    done = tickets.find_submission(submission)
    if not done:
        try:
            done = tickets.file_ticket(page.user, form.get('kind'),
                form.get('subject'), form.get('description'),
                form.get('line', type=int),
                request.files.getlist('photos'), submission)
        except (TicketFormError, PhotoError) as e:
            return _ticket_form(page, form.to_dict(), e.message)
    return page.redirect(f'tickets/{done.id}', done='filed')


def _ticket_form(page, values, error=None):
    return page.render('ticket_new.html',
        status=HTTPStatus.BAD_REQUEST if error else HTTPStatus.OK,
        values=values, error_text=error, kinds=tickets.KINDS,
        lines=tickets.order_lines(), max_photos=tickets.MAX_PHOTOS)


@page_route(app, '/tickets/<int:ticket_id>')
def ticket_detail(request, page, ticket_id):
    page.require('tickets')
    ticket = tickets.get(ticket_id)
    return page.render('ticket.html', ticket=ticket,
        thread=tickets.thread(ticket),
        compensations=tickets.compensations(ticket))


@page_route(app,
    '/tickets/<int:ticket_id>/<any(reply, confirm, reopen, rate):act>',
    methods=('POST',), max_size=UPLOAD_SIZE)
def ticket_act(request, page, ticket_id, act):
    page.require('tickets')
    ticket = tickets.get(ticket_id)
    try:
        if act == 'reply':
            tickets.reply(ticket, request.form.get('body'),
                request.files.getlist('photos'))
        elif act == 'confirm':
            tickets.confirm(ticket)
        elif act == 'rate':
            tickets.rate(ticket, request.form.get('rating'),
                request.form.get('comment'))
        else:
            tickets.reopen(ticket, request.form.get('body'))
    except (TicketFormError, PhotoError) as e:
        return page.render('ticket.html', status=HTTPStatus.BAD_REQUEST,
            ticket=ticket, thread=tickets.thread(ticket),
            compensations=tickets.compensations(ticket),
            error_text=e.message, body=request.form.get('body', ''))
    return page.redirect(f'tickets/{ticket.id}', done=act)


@page_route(app, '/tickets/<int:ticket_id>/attachments/<int:attachment_id>')
def ticket_attachment(request, page, ticket_id, attachment_id):
    page.require('tickets')
    attachment = tickets.get_attachment(
        tickets.get(ticket_id), attachment_id)
    with without_check_access():
        data, name = attachment.data or b'', attachment.name
    content_type = mimetypes.guess_type(name)[0]
    if content_type not in {'image/jpeg', 'image/png', 'application/pdf'}:
        content_type = 'application/octet-stream'
    response = Response(data, content_type=content_type)
    quoted = urllib.parse.quote(name)
    response.headers['Content-Disposition'] = (
        f"attachment; filename=\"attachment\"; filename*=UTF-8''{quoted}")
    return response


@page_route(app, '/invoices/<int:invoice_id>/pdf')
def invoice_pdf(request, page, invoice_id):
    page.require('invoices')
    invoice = invoices.get(invoice_id)
    return _document('crm_fruit_portal.invoice', invoice, 'invoice.pdf')


@page_route(app, '/shipments/<int:shipment_id>/pdf')
def delivery_note_pdf(request, page, shipment_id):
    page.require('orders')
    shipment = orders.get_shipment(shipment_id)
    return _document(
        'crm_fruit_portal.delivery_note', shipment, 'delivery-note.pdf')


def _document(report_name, record, fallback_name):
    """The PDF of Tryton's report on record (found his under the portal
    user's rules; the report checks them again)"""
    Report = Pool().get(report_name, type='report')
    extension, content, _, name = Report.execute([record.id], {})
    response = Response(bytes(content), content_type='application/pdf')
    quoted = urllib.parse.quote(f'{name}.{extension}')
    response.headers['Content-Disposition'] = (
        f"attachment; filename=\"{fallback_name}\"; "
        f"filename*=UTF-8''{quoted}")
    return response


@page_route(app, '/board', methods=('GET', 'POST'))
def board(request, page):
    "The message board (留言板): a post is a ticket, its replies under it"
    page.require('tickets')
    form = request.form
    error = None
    if request.method == 'POST':
        submission = form.get('submission', '')[:64]
        if not tickets.find_submission(submission):
            try:
                tickets.file_ticket(page.user, 'suggestion',
                    form.get('subject'), form.get('body'), None, [],
                    submission, channel='message_board')
            except TicketFormError as e:
                error = e.message
        if not error:
            return page.redirect('board', done='posted')
    posts = tickets.board()
    return page.render('board.html',
        status=HTTPStatus.BAD_REQUEST if error else HTTPStatus.OK,
        posts=[(p, tickets.thread(p)) for p in posts], error_text=error,
        values=form if error else {}, submission=secrets.token_hex(16))


@page_route(app, '/profile', methods=('GET', 'POST'))
def profile_page(request, page):
    "The customer's contact details; a change reaches the archive and rep"
    party = page.user.party
    if request.method == 'POST':
        try:
            profile.update(page.user, request.form)
        except ProfileError as e:
            # nothing of the form is kept: the customer sees it again
            Transaction().rollback()
            return page.render('profile.html', status=HTTPStatus.BAD_REQUEST,
                party=party, mechanisms=profile.mechanisms(party),
                types=profile.TYPES, address_fields=profile.ADDRESS_FIELDS,
                error_text=e.message, form=request.form)
        return page.redirect('profile', done='saved')
    return page.render('profile.html', party=party,
        mechanisms=profile.mechanisms(party), types=profile.TYPES,
        address_fields=profile.ADDRESS_FIELDS, form={})


@page_route(app, '/knowledge')
def knowledge_list(request, page):
    query = request.args.get('q', '')
    try:
        articles = knowledge.search(query)
        error = None
    except UserError as e:
        # a query the search cannot take (e.g. only punctuation)
        articles, error = [], e.message
    return page.render('knowledge.html', query=query, articles=articles,
        error_text=error)


@page_route(app, '/products')
def product_list(request, page):
    return page.render('products.html',
        groups=products.catalogue(page.user, page.today))


@page_route(app, '/mailing', methods=('GET', 'POST'))
def mailing_lists(request, page):
    subscriptions = mailing.subscriptions(page.user)
    offered = mailing.lists(page.language, subscriptions)
    if request.method == 'POST':
        chosen = {int(v) for v in request.form.getlist('list') if v.isdigit()}
        mailing.save(page.user, offered, chosen, subscriptions)
        return page.redirect('mailing', done='saved')
    return page.render('mailing.html', lists=offered,
        subscribed=mailing.subscribed(subscriptions))


@page_route(app, '/unsubscribe', methods=('GET', 'POST'), login=False,
    csrf=False)
def unsubscribe(request, page):
    """The link of a mailing: GET asks (mail scanners follow links), POST
    ends the subscription, from the page or in one click from the mail
    client (List-Unsubscribe-Post)"""
    token = request.args.get('token', '')
    subscription = mailing.by_token(token)
    if not subscription:
        return page.render('token_invalid.html', status=HTTPStatus.NOT_FOUND,
            answer_link=True)
    if request.method == 'POST':
        mailing.unsubscribe(subscription)
        return page.render('unsubscribe.html', done=True,
            list_name=subscription.list_.name)
    return page.render('unsubscribe.html', token=token,
        list_name=subscription.list_.name)


@page_route(app, '/news')
def news_list(request, page):
    number = _page_number(request)
    found, count = news.search(
        offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return page.render('news.html', articles=found, count=count,
        number=number, pages=max(1, -(-count // PAGE_SIZE)))


@page_route(app, '/knowledge/<int:article_id>')
def knowledge_article(request, page, article_id):
    return page.render('article.html', article=knowledge.get(article_id))


@page_route(app, '/survey', methods=('GET', 'POST'), login=False)
def survey_link(request, page):
    "The survey's link of the e-mail after a resolution: no login, once"
    token = request.values.get('token', '')
    survey = surveys.by_token(token)
    if not survey:
        return page.render('token_invalid.html', status=HTTPStatus.NOT_FOUND,
            answer_link=True)
    action = page.url('survey', token=token)
    if request.method == 'POST':
        try:
            surveys.answer(survey, request.form)
        except SurveyFormError as e:
            return page.render('survey.html', status=HTTPStatus.BAD_REQUEST,
                survey=survey, form=request.form, error_text=e.message,
                scores=surveys.SCORES, action=action)
        # read again: answered, the page thanks
        survey = surveys.of_link(survey.id)
    return page.render('survey.html', survey=survey, form={},
        scores=surveys.SCORES, action=action)


@page_route(app, '/rate', methods=('GET', 'POST'), login=False)
def rating_link(request, page):
    "The rating link of the resolution's e-mail: no login, once"
    token = request.values.get('token', '')
    ticket = tickets.by_rating_token(token)
    if not ticket:
        return page.render('token_invalid.html', status=HTTPStatus.NOT_FOUND,
            answer_link=True)
    action = page.url('rate', token=token)
    if request.method == 'POST':
        try:
            tickets.rate(ticket, request.form.get('rating'),
                request.form.get('comment'))
        except TicketFormError as e:
            return page.render('rate.html', status=HTTPStatus.BAD_REQUEST,
                ticket=ticket, form=request.form, error_text=e.message,
                action=action)
        return page.render('rate.html', ticket=ticket, done=True)
    return page.render('rate.html', ticket=ticket, form={}, action=action)


@page_route(app, '/surveys')
def survey_list(request, page):
    return page.render('surveys.html', surveys=surveys.waiting())


@page_route(app, '/surveys/<int:survey_id>', methods=('GET', 'POST'))
def survey_detail(request, page, survey_id):
    survey = surveys.get(survey_id)
    if request.method == 'GET':
        return page.render('survey.html', survey=survey, form={},
            scores=surveys.SCORES)
    try:
        surveys.answer(survey, request.form)
    except SurveyFormError as e:
        return page.render('survey.html', status=HTTPStatus.BAD_REQUEST,
            survey=survey, form=request.form, error_text=e.message,
            scores=surveys.SCORES)
    return page.redirect('surveys', done='answered')


@app.route(PREFIX + '/static/<name>', methods={'GET'})
def static(request, database_name, name):
    path = os.path.join(STATIC, name)
    if (os.path.basename(name) != name
            or not os.path.isfile(path) or name.startswith('.')):
        return add_security_headers(Response(status=404))
    with open(path, 'rb') as f:
        data = f.read()
    content_type = mimetypes.guess_type(name)[0] or 'application/octet-stream'
    response = Response(data, content_type=content_type)
    response.headers['Cache-Control'] = 'public, max-age=86400'
    return add_security_headers(response, private=False)
