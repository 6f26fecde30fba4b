# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Bad input typed in the web client is refused in Chinese (issue 11).

A sales rep (zh_CN, headless Chromium) blanks his customer's name and
saves: the server answers with the translated message and stores nothing.
A new contact-log entry shows no stale default date; years of the yearly
results read 2025, not 2,025.

The server, database and browser fixtures are those of tests/browser.py.
"""
import json
import re

import pytest

from tests.browser import (  # noqa: F401 (pytest fixtures)
    ACTIVE, ARTIFACTS, DIALOG, REP, _dataset, _login, _open_list, choose,
    database, new_page, page, server)

pytestmark = pytest.mark.backend_independent


def _posting(method):
    return lambda response: (
        f'"{method}"' in (response.request.post_data or ''))


def _open_my_customer(page):
    _open_list(page, 'party.party')
    mine = {c['name'] for c in _dataset().customers()
        if REP in {c['sales_rep'], c['second_contact']}}
    rows = page.locator(f'{ACTIVE} .treeview tbody tr')
    row, = [r for r in rows.all()
        if any(name in r.inner_text() for name in mine)][:1]
    row.dblclick()
    page.wait_for_function(
        'selector => (document.querySelector(selector) || {}).value',
        arg=f'{ACTIVE} input[name=name]')
    return page.locator(ACTIVE)


def _answer(response):
    return json.loads(response.text())


def test_blank_customer_name_refused(server, new_page):
    page, rpc = new_page()
    _login(page, server, REP, _dataset().password)
    form = _open_my_customer(page)
    name = form.locator('input[name=name]')
    original = name.input_value()
    name.fill('   ')
    page.wait_for_timeout(300)
    with page.expect_response(
            _posting('model.party.party.write')) as response:
        page.keyboard.press('Control+s')
    answer = _answer(response.value)
    page.wait_for_selector(DIALOG)
    message = page.locator(DIALOG).last.inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / 'customer_blank_name_rep_zh_CN.png')

    assert 'error' in answer, answer
    assert '客户名称不能为空' in message, message
    assert 'Traceback' not in message and 'class' not in message, message
    customer_id = rpc.params('model.party.party.write')[-1][0][0]
    stored = page.evaluate(
        '''id => Sao.rpc({
            method: 'model.party.party.read',
            params: [[id], ['name'], {}],
        }, Sao.Session.current_session)''', customer_id)
    assert stored[0]['name'] == original, stored


def test_new_contact_takes_save_time(server, new_page):
    page, rpc = new_page()
    _login(page, server, REP, _dataset().password)
    form = _open_my_customer(page)
    form.locator('.nav-tabs a', has_text='联系记录').click()
    contacts = form.locator('.form-one2many:visible').first
    contacts.locator('button[title="新建"]').first.click()
    page.wait_for_selector(f'{DIALOG} input[name=subject]')
    dialog = page.locator(DIALOG).last
    shown = dialog.locator('input[name=date]').first.input_value()
    assert shown == '', f"a default date of the form's opening: {shown}"
    choose(dialog.locator('select[name=channel]'), '电话')
    dialog.locator('input[name=subject]').fill('电话确认到货')
    page.wait_for_timeout(300)
    dialog.locator('.modal-footer button').get_by_text(
        '添加', exact=True).click()
    page.wait_for_selector('.modal-backdrop', state='detached')
    with page.expect_response(
            _posting('model.party.party.write')) as response:
        page.keyboard.press('Control+s')
    assert 'error' not in _answer(response.value)

    created = [contact
        for params in rpc.params('model.party.party.write')
        for action in params[1].get('crm_contacts', [])
        if action[0] == 'create'
        for contact in action[1]]
    contact, = created
    assert not contact.get('date'), contact
    stored = page.evaluate(
        '''() => Sao.rpc({
            method: 'model.crm.contact.search_read',
            params: [[['subject', '=', '电话确认到货']], 0, null, null,
                ['date'], {}],
        }, Sao.Session.current_session)''')
    assert stored and stored[0]['date'], stored


def test_years_without_thousands_separator(server, new_page):
    page, rpc = new_page()
    _login(page, server, REP, _dataset().password)
    years = {str(r['year']) for c in _dataset().customers()
        if REP in {c['sales_rep'], c['second_contact']}
        for r in c['yearly_results']}
    assert years, "the demo gives the rep's customers yearly results"
    _open_list(page, 'party.yearly_result')
    page.wait_for_function(
        "[...document.querySelectorAll(%r)].some("
        "row => /\\d/.test(row.innerText))" % f'{ACTIVE} .treeview tbody tr')
    body = page.locator(f'{ACTIVE} .treeview tbody').first.inner_text()
    page.screenshot(path=ARTIFACTS / 'yearly_results_rep_zh_CN.png')
    assert [year for year in years if year in body], body[:500]
    grouped = [year for year in years if re.search(
            r'(?<![\d,.])%s,%s(?![\d,.])' % (year[0], year[1:]), body)]
    assert not grouped, body[:500]
