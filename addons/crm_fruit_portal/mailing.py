# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The mailing lists a customer joins or leaves (Tryton's marketing_email):
the active lists in the language of the page (and those he is on), with
the portal user's login
e-mail, already validated. A subscription is read and written for that
e-mail only, without access checks: the portal user reads the lists, never
the other subscribers. The one-click unsubscribe of a mailing acts on the
token of its link alone."""
from trytond.pool import Pool
from trytond.transaction import inactive_records, without_check_access


def subscriptions(user):
    "Every subscription of the user's e-mail, the ones he left included"
    pool = Pool()
    Email = pool.get('marketing.email')
    with without_check_access(), inactive_records():
        return Email.search([('email', '=', user.email)])


def lists(language, subscriptions):
    """The mailing lists offered in language and those of other languages
    the user's e-mail is on (so that he can leave them too)"""
    pool = Pool()
    EmailList = pool.get('marketing.email.list')
    joined = [s.list_.id for s in subscriptions if s.active]
    return EmailList.search(['OR',
            ('language.code', '=', language),
            ('id', 'in', joined),
            ], order=[('name', 'ASC'), ('id', 'ASC')])


def subscribed(subscriptions):
    "The ids of the lists the user's e-mail is subscribed to"
    return {s.list_.id for s in subscriptions if s.active}


def save(user, offered, chosen_ids, subscriptions):
    """Subscribe the user's e-mail to the chosen lists of offered and
    unsubscribe it from the others"""
    pool = Pool()
    Email = pool.get('marketing.email')
    existing = {s.list_.id: s for s in subscriptions}
    to_create, to_write = [], {True: [], False: []}
    for email_list in offered:
        wanted = email_list.id in chosen_ids
        subscription = existing.get(email_list.id)
        if subscription is None:
            if wanted:
                to_create.append({'email': user.email, 'list_': email_list})
        elif subscription.active != wanted:
            to_write[wanted].append(subscription)
    with without_check_access():
        if to_create:
            Email.create(to_create)
        for active, changed in to_write.items():
            if changed:
                Email.write(changed, {'active': active})


def by_token(token):
    "The subscription of the token of a mailing's link, if any"
    pool = Pool()
    Email = pool.get('marketing.email')
    if not token or len(token) > 128:
        return None
    with without_check_access(), inactive_records():
        emails = Email.search([('email_token', '=', token)], limit=1)
    return emails[0] if emails else None


def unsubscribe(subscription):
    """End the subscription (marketing_email's own unsubscribe sleeps a
    second to slow guessing: a worker would wait for a token of 256 bits)"""
    pool = Pool()
    Email = pool.get('marketing.email')
    if subscription.active:
        with without_check_access():
            Email.write([subscription], {'active': False})
