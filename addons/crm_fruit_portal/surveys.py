# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The surveys (网上调查) a customer answers in the portal: what he expected
(a) and what he got (b) per dimension; the service module computes C = b / a"""
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import without_check_access

from .exceptions import SurveyFormError
from .page import own_record

SCORES = range(1, 6)


def waiting():
    pool = Pool()
    Survey = pool.get('service.survey')
    return Survey.search([('state', '=', 'open')])


def get(survey_id):
    return own_record('service.survey', survey_id)


def by_token(token):
    """The open survey of an e-mail's link, read without the record rules
    (there is no login: the token is the key); None when used or expired"""
    pool = Pool()
    Survey = pool.get('service.survey')
    # found without the rules, it is read without them
    return Survey.by_portal_token(token)


def of_link(survey_id):
    "The survey reached by its link, read without the record rules"
    pool = Pool()
    Survey = pool.get('service.survey')
    with without_check_access():
        return Survey(survey_id)


def _score(form, name):
    try:
        value = int(form.get(name, ''))
    except ValueError:
        return None
    return value if value in SCORES else None


def answer(survey, form):
    "Record the customer's scores and comments; the survey is answered"
    pool = Pool()
    Survey = pool.get('service.survey')
    Answer = pool.get('service.survey.answer')
    if survey.state != 'open':
        raise SurveyFormError(gettext('crm_fruit_portal.msg_survey_done'))
    to_write = []
    for answer in survey.answers:
        expected = _score(form, f'expected-{answer.id}')
        perceived = _score(form, f'perceived-{answer.id}')
        if expected is None or perceived is None:
            raise SurveyFormError(gettext(
                    'crm_fruit_portal.msg_survey_incomplete'))
        to_write.extend([[answer], {
                    'expected': expected, 'perceived': perceived,
                    'comment': form.get(f'comment-{answer.id}', '')[:200]
                    or None,
                    }])
    comment = form.get('comment', '').strip()
    # the survey is known to be his: his answers are written for him
    with without_check_access():
        if to_write:
            Answer.write(*to_write)
        if comment:
            Survey.write([survey], {'comment': comment})
        Survey.answer([survey])
