# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""A customer's morning in the portal, in headless Chromium on a phone and
on a desktop: log in, read the news, the products and seasons at the
customer's own prices, follow an order to its delivery and confirm the
receipt (签收), file a quality complaint on an order
line with a photo, read the agent's reply (made through proteus as the
service user), confirm the resolution, rate the answer, answer the survey,
add a mobile number (the CRM manager finds it in the contact log), join a
mailing list, switch to English.

Screenshots in tests/artifacts/portal-*.png."""
import io
import re

import pytest

from tests.browser import (  # noqa: F401 (pytest fixtures)
    AGENT, ARTIFACTS, CHROMIUM, DB, database, server)

BUYER = 'buyer@portal.example'
PASSWORD = 'demo-portal-2026'
PHONE = {'viewport': {'width': 390, 'height': 844}, 'is_mobile': True,
    'has_touch': True, 'device_scale_factor': 2}
DESKTOP = {'viewport': {'width': 1280, 'height': 860}}

# The browser server runs on its own SQLite file (tests/browser.py) whatever
# the pass: the PostgreSQL pass would repeat the same run.
pytestmark = pytest.mark.backend_independent


def photo():
    from PIL import Image
    output = io.BytesIO()
    Image.new('RGB', (320, 240), (180, 40, 40)).save(output, 'JPEG')
    return output.getvalue()


@pytest.fixture(scope='module')
def browser(server):  # noqa: F811
    sync_api = pytest.importorskip('playwright.sync_api')
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=['--headless', '--no-sandbox', '--disable-gpu',
                '--no-first-run'])
        yield browser
        browser.close()


def open_portal(browser, server, device):  # noqa: F811
    context = browser.new_context(locale='zh-CN', **device)
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto(f'{server}{DB}/portal/login')
    page.fill('#email', BUYER)
    page.fill('#password', PASSWORD)
    page.click('form.card button[type=submit]')
    page.wait_for_selector('main h1')
    return context, page


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f'portal-{name}.png'),
        full_page=True)


def agent_answers(server, ticket_id):  # noqa: F811
    "The service agent replies and resolves, through proteus"
    from proteus import Model, config
    config.set_xmlrpc(
        f'{server.replace("//", f"//{AGENT}:demo1234@")}{DB}/rpc/')
    Ticket = Model.get('service.ticket')
    Message = Model.get('service.ticket.message')
    ticket = Ticket(ticket_id)
    message = Message(ticket=ticket, kind='reply',
        body="您好，已安排补发三箱，请查收。")
    message.save()
    ticket.reload()
    ticket.resolution = "补发三箱红富士"
    ticket.save()
    ticket.click('resolve')


def contact_logged(server, number):  # noqa: F811
    "Whether the CRM manager finds the change in the contact log"
    from proteus import Model, config
    config.set_xmlrpc(
        f'{server.replace("//", "//crm_manager:demo1234@")}{DB}/rpc/')
    Contact = Model.get('crm.contact')
    return any(number in (c.notes or '')
        for c in Contact.find([('channel', '=', 'portal')]))


def test_customer_day_on_phone(browser, server):  # noqa: F811
    context, page = open_portal(browser, server, PHONE)
    try:
        assert '您好' in page.inner_text('main h1')
        # the company's news of the demo, the newest first
        assert '龙口新建气调冷库投入使用' in page.inner_text('main')
        shot(page, 'phone-home')
        page.click('text=全部新闻')
        page.wait_for_selector('main ul.cards')
        titles = page.locator('main ul.cards strong').all_inner_texts()
        assert titles[0] == '龙口新建气调冷库投入使用', titles
        page.click('main ul.cards li:first-child a')
        assert '8,000 吨' in page.inner_text('main article')
        # the produce calendar at the customer's own prices
        page.click('nav >> text=产品与季节')
        page.wait_for_selector('ol.months')
        assert '您的协议价' in page.inner_text('main')
        assert page.evaluate(
            'document.documentElement.scrollWidth') <= 390 + 1
        shot(page, 'phone-products')
        page.goto(f'{server}{DB}/portal/')
        # the width of a phone: no horizontal scrolling
        assert page.evaluate(
            'document.documentElement.scrollWidth') <= 390 + 1
        page.click('nav >> text=我的订单')
        page.wait_for_selector('table.list')
        # a completed order: delivered, its receipt to confirm (签收)
        page.select_option('#state', 'done')
        page.click('form.filters button[type=submit]')
        page.wait_for_selector('table.list')
        page.click('table.list tbody tr:first-child a')
        page.wait_for_selector('ol.timeline')
        steps = page.locator('ol.timeline').first
        assert '下单' in steps.inner_text()
        delivered = steps.locator('li', has_text='到货')
        assert delivered.get_attribute('class') == 'done'
        assert delivered.locator('time').count() == 1
        assert '批次' in page.inner_text('main')
        shot(page, 'phone-order')
        page.click('text=确认签收')
        page.wait_for_selector('p.notice')
        assert '签收已记录' in page.inner_text('p.notice')
        received = page.locator('ol.timeline').first.locator(
            'li', has_text='签收')
        assert received.get_attribute('class') == 'done'

        page.goto(f'{server}{DB}/portal/tickets/new')
        page.check('input[name=kind][value=quality]')
        options = page.locator('#line option')
        assert options.count() > 1, "no order line to complain about"
        page.select_option('#line', index=1)
        page.fill('#subject', "红富士有碰伤")
        page.fill('#description', "到货三箱有明显碰伤，见照片。")
        page.set_input_files('#photos', files=[{
                    'name': 'IMG_2031.JPG', 'mimeType': 'image/jpeg',
                    'buffer': photo()}])
        shot(page, 'phone-new-ticket')
        page.click('form.card button[type=submit]')
        page.wait_for_selector('p.notice')
        ticket_id = int(re.search(r'/tickets/(\d+)', page.url).group(1))
        assert 'IMG_2031.jpg' in page.inner_text('main')
        shot(page, 'phone-ticket-filed')

        agent_answers(server, ticket_id)
        page.reload()
        text = page.inner_text('main')
        assert '已安排补发三箱' in text
        assert '补发三箱红富士' in text
        shot(page, 'phone-ticket-resolved')
        page.click('text=是，确认解决')
        page.wait_for_selector('p.notice')
        assert '已关闭' in page.inner_text('main')

        # the customer rates the answer
        page.check('form.rating input[name=rating][value="4"]')
        page.fill('#rating-comment', "补发很快")
        shot(page, 'phone-ticket-rating')
        page.click('form.rating button[type=submit]')
        page.wait_for_selector('section.rating')
        assert '满意' in page.inner_text('section.rating')

        # the survey sent with the resolution
        page.click('nav >> text=网上调查')
        page.click('ul.cards li:first-child a')
        for group in page.locator('fieldset.question').all():
            group.locator('input[name^=expected][value="4"]').check()
            group.locator('input[name^=perceived][value="5"]').check()
        shot(page, 'phone-survey')
        page.click('form.card button[type=submit]')
        page.wait_for_selector('p.notice')

        # a new mobile number: the rep sees it in the contact log
        page.click('nav >> text=企业资料')
        page.select_option('#new_type', 'mobile')
        page.fill('#new_value', '+86 138 0535 2031')
        page.click('form.card button[type=submit]')
        page.wait_for_selector('p.notice')
        shot(page, 'phone-profile')
        assert contact_logged(server, '0535 2031')

        # the mailing lists: the buyer is on the first, joins the second
        page.click('main >> text=邮件订阅')
        first = page.get_by_label('新品与季节通知')
        assert first.is_checked()
        page.get_by_label('出口市场行情').check()
        page.click('form.card button[type=submit]')
        page.wait_for_selector('p.notice')
        assert page.get_by_label('出口市场行情').is_checked()
        assert page.get_by_label('新品与季节通知').is_checked()
        shot(page, 'phone-mailing')
    finally:
        context.close()


def test_english_on_desktop(browser, server):  # noqa: F811
    context, page = open_portal(browser, server, DESKTOP)
    try:
        page.click('header button[value=en]')
        page.wait_for_selector('html[lang=en]')
        page.click('nav >> text=Orders')
        page.wait_for_selector('form.filters')
        page.select_option('#state', 'processing')
        page.click('form.filters button')
        page.wait_for_selector('p.count')
        assert 'orders' in page.inner_text('p.count')
        shot(page, 'desktop-orders-en')
        page.click('header button[value=zh_CN]')
        page.wait_for_selector('html[lang=zh-CN]')
    finally:
        context.close()
