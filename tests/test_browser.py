# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""A sales rep logs into the web client in Chinese and opens his customers.

The server, database and browser fixtures are those of tests/browser.py.
"""
import pytest

from tests.browser import (  # noqa: F401 (pytest fixtures)
    ACTIVE, ARTIFACTS, REP, _dataset, _login, _open_list, database, page,
    server)

pytestmark = pytest.mark.backend_independent


@pytest.fixture(scope='module')
def rep_page(server, page):
    _login(page, server, REP, _dataset().password)
    return page


def test_rep_opens_customer_list_in_chinese(rep_page):
    page = rep_page
    data = _dataset()
    mine = [c['name'] for c in data.customers()
        if REP in {c['sales_rep'], c['second_contact']}]
    assert mine, "the demo subset gives the rep customers"

    body = _open_list(page, 'party.party')
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / 'customer_list_rep_zh_CN.png')

    headers = page.locator(
        f'{ACTIVE} .treeview thead th').all_inner_texts()
    assert '名称' in ' '.join(headers), headers
    visible = [name for name in mine if name in body]
    assert visible, f"none of {mine[:5]} in the list:\n{body[:500]}"


def test_rep_does_not_see_other_department_customers(rep_page):
    page = rep_page
    data = _dataset()
    others = [c['name'] for c in data.customers()
        if REP not in {c['sales_rep'], c['second_contact']}
        and 'fruit' not in c['departments']]
    assert others
    body = _open_list(page, 'party.party')
    assert not [name for name in others if name in body]
