# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""A customer's tickets as the portal shows them.

Read as the portal user (the record rules keep them his). The messages of a
ticket follow its access (``__access__``), so the internal notes are read
too: only customer_visible messages and their attachments ever leave this
module. What the customer does (file, reply, confirm, reopen) is written in
small blocks without access checks once the ticket is known to be his."""
from collections import namedtuple

from werkzeug.exceptions import NotFound

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import without_check_access

from .exceptions import TicketFormError
from .images import clean_photo
from .page import own_record, own_rows

# kind of the form -> ticket type (crm_fruit_service)
KINDS = ['complaint', 'quality', 'inquiry', 'suggestion']
MAX_PHOTOS = 5
OPEN_STATES = ['new', 'assigned', 'in_progress', 'waiting']
Thread = namedtuple('Thread', ['message', 'attachments'])
# What the customer is told of a compensation: no staff reason, no names
Outcome = namedtuple('Outcome', [
        'kind', 'state', 'product', 'quantity', 'unit', 'invoice',
        'replacement_order', 'amount', 'currency'])


TicketRow = namedtuple(
    'TicketRow', ['id', 'number', 'subject', 'date', 'state'])


def search(offset=0, limit=20):
    "The page of the customer's tickets as TicketRow and the count of all"
    pool = Pool()
    Ticket = pool.get('service.ticket')
    rows = own_rows('service.ticket', [], TicketRow._fields, offset, limit,
        [('date', 'DESC'), ('id', 'DESC')])
    return [TicketRow(*r) for r in rows], Ticket.search_count([])


def open_count():
    pool = Pool()
    Ticket = pool.get('service.ticket')
    return Ticket.search_count([('state', 'in', OPEN_STATES)])


def get(ticket_id):
    "The customer's ticket; NotFound when not his or not there"
    return own_record('service.ticket', ticket_id)


def thread(ticket):
    "The messages the customer may see, with their attachments"
    pool = Pool()
    Attachment = pool.get('ir.attachment')
    visible = [m for m in ticket.messages if m.customer_visible]
    with without_check_access():
        attachments = Attachment.search([
                ('resource', 'in', [str(m) for m in visible]),
                ], order=[('id', 'ASC')])
    by_message = {}
    for attachment in attachments:
        by_message.setdefault(attachment.resource.id, []).append(attachment)
    return [Thread(m, by_message.get(m.id, [])) for m in visible]


def compensations(ticket):
    """What was proposed to make good the customer's problem and what came
    of it; the drafts are the staff's own until requested"""
    pool = Pool()
    Compensation = pool.get('service.ticket.compensation')
    with without_check_access():
        found = Compensation.search([
                ('ticket', '=', ticket.id),
                ('state', '!=', 'draft'),
                ], order=[('id', 'ASC')])
        return [_outcome(c) for c in found]


def _outcome(compensation):
    line = compensation.sale_line
    approved = compensation.state == 'approved'
    actions = compensation.complaint.actions if (
        approved and compensation.complaint) else []
    amount = sum((a.amount or 0) for a in actions) if actions else None
    return Outcome(
        kind=compensation.kind,
        state=compensation.state,
        product=line.product.rec_name if line and line.product else None,
        quantity=(compensation.quantity or line.quantity) if line else None,
        unit=line.unit if line else None,
        invoice=compensation.invoice.number if compensation.invoice else None,
        replacement_order=(compensation.replacement_sale.number
            if approved and compensation.replacement_sale else None),
        amount=amount if compensation.kind == 'credit_note' else None,
        currency=actions[0].currency if actions else None)


def get_attachment(ticket, attachment_id):
    "The attachment of a visible message of ticket; NotFound otherwise"
    for entry in thread(ticket):
        for attachment in entry.attachments:
            if attachment.id == attachment_id:
                return attachment
    raise NotFound()


def order_lines(limit=50):
    "The customer's recent order lines a complaint can be about"
    pool = Pool()
    Line = pool.get('sale.line')
    return Line.search([
            ('type', '=', 'line'),
            ('product', '!=', None),
            ('sale.state', 'in', ['processing', 'done']),
            ], order=[('sale.sale_date', 'DESC'), ('id', 'DESC')],
        limit=limit)


def _own_line(line_id):
    return own_record('sale.line', line_id, [('type', '=', 'line')])


def _line_lot(line):
    "The lot delivered on line (the last one when there were several)"
    lots = [m.lot for m in line.moves
        if m.state == 'done' and getattr(m, 'lot', None)]
    return lots[-1] if lots else None


def photos(files):
    "The create values of the attachments of the uploaded photos"
    files = [f for f in files if f and f.filename]
    if len(files) > MAX_PHOTOS:
        raise TicketFormError(gettext(
                'crm_fruit_portal.msg_photo_count', count=MAX_PHOTOS))
    values = []
    for upload in files:
        # read again when the transaction starts again (locks)
        upload.stream.seek(0)
        name, data = clean_photo(upload.filename, upload.read())
        values.append({'name': name, 'data': data, 'type': 'data'})
    return values


def find_submission(submission):
    "The ticket already filed with this form, if any"
    pool = Pool()
    Ticket = pool.get('service.ticket')
    if not submission:
        return None
    with without_check_access():
        tickets = Ticket.search([('portal_submission', '=', submission)])
    return tickets[0] if tickets else None


def board():
    "The customer's message board posts, the newest first"
    pool = Pool()
    Ticket = pool.get('service.ticket')
    return Ticket.search([('channel', '=', 'message_board')],
        order=[('date', 'DESC'), ('id', 'DESC')], limit=50)


def file_ticket(user, kind, subject, description, line_id, files,
        submission, channel='portal'):
    "File the customer's ticket and return it"
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    Ticket = pool.get('service.ticket')
    Message = pool.get('service.ticket.message')
    if kind not in KINDS:
        raise TicketFormError(gettext('crm_fruit_portal.msg_ticket_kind'))
    subject, description = (subject or '').strip(), (description or '').strip()
    if not subject or not description:
        raise TicketFormError(gettext('crm_fruit_portal.msg_ticket_text'))
    line = _own_line(line_id) if line_id else None
    attachments = photos(files)
    with without_check_access():
        ticket = Ticket(
            company=user.company, party=user.party, channel=channel,
            type=ModelData.get_id('crm_fruit_service', f'ticket_type_{kind}'),
            subject=subject[:200], description=description,
            portal_user=user, portal_submission=submission)
        if line:
            ticket.sale, ticket.sale_line = line.sale, line
            ticket.product = line.product
            ticket.lot = _line_lot(line)
        ticket.on_change_type()
        ticket.on_change_party()
        ticket.save()
        if attachments:
            # the description is the ticket's: the message carries the photos
            Message.create([{
                        'ticket': ticket.id, 'kind': 'customer',
                        'body': gettext('crm_fruit_portal.msg_portal_photos'),
                        'attachments': [('create', attachments)],
                        }])
        Ticket.auto_dispatch([ticket])
    return ticket


def reply(ticket, body, files):
    "The customer's answer; a resolved ticket opens again"
    pool = Pool()
    Ticket = pool.get('service.ticket')
    Message = pool.get('service.ticket.message')
    body = (body or '').strip()
    if not body:
        raise TicketFormError(gettext('crm_fruit_portal.msg_ticket_text'))
    if ticket.state == 'closed':
        raise TicketFormError(gettext('crm_fruit_portal.msg_ticket_closed'))
    attachments = photos(files)
    with without_check_access():
        if ticket.state == 'resolved':
            Ticket.reopen([ticket])
        Message.create([{
                    'ticket': ticket.id, 'kind': 'customer', 'body': body,
                    'attachments': [('create', attachments)],
                    }])


def confirm(ticket):
    "The customer agrees with the resolution: the ticket is closed"
    pool = Pool()
    Ticket = pool.get('service.ticket')
    if ticket.state != 'resolved':
        return
    with without_check_access():
        Ticket.write([ticket], {'confirmed': True})
        Ticket.close([ticket])


def by_rating_token(token):
    """The ticket of the rating link of an e-mail, read without the record
    rules (there is no login: the token is the key); None when spent"""
    pool = Pool()
    Ticket = pool.get('service.ticket')
    return Ticket.by_rating_token(token)


def rate(ticket, rating, comment):
    "The customer rates the answer to his resolved request"
    pool = Pool()
    Ticket = pool.get('service.ticket')
    if rating not in {'1', '2', '3', '4', '5'}:
        raise TicketFormError(gettext('crm_fruit_portal.msg_ticket_rating'))
    Ticket.rate([ticket], rating, (comment or '').strip()[:2000])


def reopen(ticket, body):
    "The customer does not agree: the ticket and its SLA start again"
    pool = Pool()
    Ticket = pool.get('service.ticket')
    Message = pool.get('service.ticket.message')
    if ticket.state != 'resolved':
        return
    body = (body or '').strip()
    if not body:
        raise TicketFormError(gettext('crm_fruit_portal.msg_ticket_text'))
    with without_check_access():
        Ticket.reopen([ticket])
        Message.create([{
                    'ticket': ticket.id, 'kind': 'customer', 'body': body}])
