# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""What the web client sends is what the user chose.

Drives sao like a user (zh_CN, headless Chromium) and reads the JSON-RPC
bodies it posts (playwright's request events):
- the login call names the user's language as the server knows it
  (zh_CN, not the browser's zh-CN), so the password prompt is Chinese;
- the hotline fast entry (热线录入) and the contact-log popup of the
  customer form send the channel, priority and direction chosen in their
  drop-downs, even when other fields change after the choice (sao 8.0
  rebuilt the options at each display and wrote the first one back).

The server, database and browser fixtures are those of tests/browser.py.
"""

import pytest

from tests.browser import (  # noqa: F401 (pytest fixtures)
    ACTIVE, AGENT, DB, DIALOG, REP, _dataset, _login, _open_list, choose,
    complete,
    database, new_page, page, server, wait_for_database)

pytestmark = pytest.mark.backend_independent


def test_login_prompt_in_chinese(server, new_page):
    page, rpc = new_page()
    page.goto(f'{server}#{DB}')
    wait_for_database(page)
    page.fill('#login', AGENT)
    page.click('button.btn-primary')
    page.wait_for_selector('input[type=password]')
    prompt = page.locator(DIALOG).last.inner_text()

    (login,) = rpc.params('common.db.login')
    assert login[0] == AGENT
    assert login[2] == 'zh_CN', login
    assert 'Password' not in prompt, prompt
    assert f'{AGENT} 的密码' in prompt, prompt


def _open_fast_entry(page):
    page.locator('#menu td', has_text='客户服务').first.click()
    page.locator('#menu td', has_text='热线录入').first.dblclick()
    page.wait_for_selector(f'{DIALOG} select[name=channel]')
    return page.locator(DIALOG).last


def test_fast_entry_sends_chosen_channel_and_priority(server, new_page):
    page, rpc = new_page()
    _login(page, server, AGENT, _dataset().password)
    customer = next(iter(_dataset().customers()))['name']
    dialog = _open_fast_entry(page)
    # Type once the wizard's form has loaded, as a user does: typed while its
    # calls were pending, on the loaded CI machine, the search once found no
    # customer.
    rpc.settle()
    complete(dialog, 'party', customer)
    rpc.settle()
    complete(dialog, 'type', '投诉')
    rpc.settle()

    choose(dialog.locator('select[name=channel]'), '传真')
    choose(dialog.locator('select[name=priority]'), '高')
    # Fields changed after the choice re-display the form.
    dialog.locator('input[name=subject]').fill('冷库温度异常')
    dialog.locator('textarea[name=description]').fill('客户来电：苹果到货有冻伤')
    rpc.settle()
    dialog.locator('.modal-footer button', has_text='保存').click()
    rpc.settle(quiet=1)

    saves = [p for p in rpc.params(
            'wizard.service.ticket.fast_entry.execute') if p[2] == 'save']
    assert len(saves) == 1, page.locator(DIALOG).last.inner_text()
    execute, = saves
    start = execute[1]['start']
    assert (start['channel'], start['priority']) == ('fax', '2'), start
    assert start['subject'] == '冷库温度异常'


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


def test_contact_popup_sends_chosen_channel_and_direction(server, new_page):
    page, rpc = new_page()
    _login(page, server, REP, _dataset().password)
    form = _open_my_customer(page)
    form.locator('.nav-tabs a', has_text='联系记录').click()
    contacts = form.locator('.form-one2many:visible').first
    contacts.locator('button[title="新建"]').first.click()
    page.wait_for_selector(f'{DIALOG} select[name=channel]')
    dialog = page.locator(DIALOG).last

    choose(dialog.locator('select[name=channel]'), '传真')
    choose(dialog.locator('select[name=direction]'), '去电')
    dialog.locator('input[name=subject]').fill('传真确认报价')
    dialog.locator('input[name=contact_person]').fill('王经理')
    dialog.locator('textarea[name=notes]').fill('报价单已传真')
    rpc.settle()
    dialog.locator('.modal-footer button').get_by_text(
        '添加', exact=True).click()
    page.wait_for_selector('.modal-backdrop', state='detached')
    rpc.settle()
    page.keyboard.press('Control+s')
    rpc.settle(quiet=1)

    created = [contact
        for params in rpc.params('model.party.party.write')
        for action in params[1].get('crm_contacts', [])
        if action[0] == 'create'
        for contact in action[1]]
    assert created, rpc.calls[-5:]
    contact, = created
    assert (contact['channel'], contact['direction']) == ('fax', 'out'), (
        contact)
    assert contact['subject'] == '传真确认报价'
