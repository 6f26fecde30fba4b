# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""A sales rep's everyday path reads in Chinese in the web client.

The rep logs into sao (zh_CN) and walks customer list → customer form →
sales → sale form → opportunities → opportunity form → service tickets →
ticket form; on every screen each visible *label* (menu entries, column
headers, field labels, tabs, buttons, filters) must contain Chinese unless
it is a code or a proper name. Data (names of customers, products) is not
checked: it is what the company typed. A screenshot of each screen is kept
in tests/artifacts/.

The server, database and browser fixtures are those of tests/browser.py.
"""
import re

import pytest

from tests.browser import (  # noqa: F401 (pytest fixtures)
    ACTIVE, AGENT, ARTIFACTS, DB, REP, _dataset, _login, database,
    new_context, page, server)

pytestmark = pytest.mark.backend_independent

CJK = re.compile('[\u3400-\u9fff]')
LATIN = re.compile('[A-Za-z]')
#: Labels that may stay Latin: codes, units, symbols and proper names.
ALLOWED = re.compile(
    r'^([A-Z0-9][A-Z0-9./+-]*|[a-z]{1,3}|CNY|USD|EUR|ID|SLA|URL|Skype|SIP|'
    r'Tryton|e-?mail|Email|RFM|ABC|[A-Z]\d?[A-Z]?\d?)$')
#: What sao shows as labels of the current screen.
LABEL_SELECTORS = ', '.join([
    '#menu .treeview td',  # menu entries
    ACTIVE + ' .treeview thead th',  # column headers
    ACTIVE + ' label',  # field labels
    ACTIVE + ' .nav-tabs > li > a',  # notebook pages
    ACTIVE + ' button',  # buttons
    ACTIVE + ' legend',  # group titles
    ACTIVE + ' .form-separator',
    ACTIVE + ' .filter-box',  # search filters
    '#tablist > li.active > a',  # the tab's title
    '.modal-dialog .modal-body',  # messages, errors, warnings
    '.modal-dialog button',
    ])
#: (login, model, screenshot name) of a day: the rep's sales, opportunities
#: and customers, then the service desk's tickets (reps do not see tickets).
PATH = [
    (REP, 'sale.sale', 'sale'),
    (REP, 'sale.opportunity', 'opportunity'),
    (REP, 'party.party', 'customer'),
    (AGENT, 'service.ticket', 'ticket'),
    ]


def visible_labels(page):
    return page.evaluate('''selector => {
        const texts = [];
        for (const element of document.querySelectorAll(selector)) {
            if (!element.offsetParent && element.tagName !== 'TD') {
                continue;
            }
            const rect = element.getBoundingClientRect();
            if (!rect.width || !rect.height) {
                continue;
            }
            const text = (element.innerText || '').trim();
            const title = (element.getAttribute('title') || '').trim();
            for (const t of [text, title]) {
                if (t) texts.push(t);
            }
        }
        return texts;
    }''', LABEL_SELECTORS)


def latin_only(texts, proper_names=()):
    "Return the labels with Latin letters and no Chinese"
    bad = set()
    for text in texts:
        for part in re.split(r'[\n:：*]+', text):
            part = part.strip()
            if (not part or CJK.search(part) or not LATIN.search(part)
                    or ALLOWED.match(part) or part in proper_names):
                continue
            bad.add(part)
    return sorted(bad)


class PageErrors(list):
    "The JavaScript errors of the page while in the with block"

    def __init__(self, page):
        super().__init__()
        self.page = page
        self.handler = lambda error: self.append(str(error))

    def __enter__(self):
        self.page.on('pageerror', self.handler)
        return self

    def __exit__(self, *exc):
        self.page.remove_listener('pageerror', self.handler)


def open_list(page, server, model):
    "Open the model's list; return a problem or None"
    with PageErrors(page) as errors:
        page.goto(f'{server}#{DB}/model/{model}')
        try:
            page.wait_for_selector(ACTIVE + ' .treeview thead th')
        except Exception:
            return (f'the list of {model} did not open: '
                f'{list(errors) + close_dialogs(page)}')
    try:
        page.wait_for_selector(ACTIVE + ' .treeview tbody tr', timeout=15000)
    except Exception:
        pass  # an empty list
    page.wait_for_timeout(800)
    return None


def open_first_record(page):
    "Open the first record of the list in its form; return a problem or None"
    rows = page.locator(ACTIVE + ' .treeview tbody tr')
    if not rows.count():
        return None
    with PageErrors(page) as errors:
        rows.first.dblclick(position={'x': 250, 'y': 12})
        try:
            page.wait_for_selector(ACTIVE + ' .form', timeout=20000)
        except Exception:
            return f'the form did not open: {list(errors)}'
    page.wait_for_timeout(1000)
    return None


def close_dialogs(page):
    "Close the message boxes; return their texts"
    texts = []
    for _ in range(5):
        dialog = page.locator('.modal-dialog:visible')
        if not dialog.count():
            break
        texts.append(dialog.first.inner_text())
        dialog.first.locator('.modal-footer button').last.click()
        page.wait_for_timeout(500)
    return texts


def check_screen(page, name, proper_names):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f'i18n_{name}_zh_CN.png', full_page=True)
    problems = [f'{name}: {text!r}'
        for text in latin_only(visible_labels(page), proper_names)]
    for text in close_dialogs(page):
        # not a translation problem, but what the user met on the way
        print(f'{name}: message box: {text}')
    return problems


def test_labels_recognise_latin_only_strings():
    assert latin_only(['客户', 'CNY', 'kg', 'Fuji']) == ['Fuji']
    assert latin_only(['Fuji'], proper_names={'Fuji'}) == []
    assert latin_only(['Sales Rep', '业务员 (Sales Rep)']) == ['Sales Rep']


def test_everyday_path_in_chinese(server, page):  # noqa: F811
    data = _dataset()
    proper_names = {c['name'] for c in data.customers()}
    proper_names |= {c.get('name_en') for c in data.customers()}
    problems, current = [], None
    for login, model, name in PATH:
        if login != current:
            if current:
                context = new_context(page.context.browser)
                page = context.new_page()
                page.set_default_timeout(30000)
            _login(page, server, login, data.password)
            page.wait_for_timeout(1500)
            assert page.locator('#menu .treeview td').count(), "no menu"
            assert CJK.search(' '.join(visible_labels(page))), (
                "menu not in Chinese")
            problems += check_screen(page, f'{login}_home', proper_names)
            current = login
        problem = open_list(page, server, model)
        problems += check_screen(page, f'{name}_list', proper_names)
        if problem:
            problems.append(f'{name}_list: {problem}')
            continue
        problem = open_first_record(page)
        if problem:
            problems.append(f'{name}_form: {problem}')
        else:
            problems += check_screen(page, f'{name}_form', proper_names)
    assert not problems, '\n'.join(problems)
