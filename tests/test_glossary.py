# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""No zh_CN string a user sees uses a rendering the glossary forbids.

The strings checked are the *effective* translations: Tryton's own zh_CN.po
of every module our modules depend on (ir and res included) as replaced by
our `locale/override/zh_CN.po` files, plus our modules' own zh_CN.po. Fuzzy
and empty upstream entries are left out: Tryton never shows them.
"""
import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / 'docs' / 'glossary.md'
OUR_MODULES = ['crm_fruit_customer', 'crm_fruit_service']

pytestmark = pytest.mark.backend_independent


def forbidden_renderings():
    "Return {forbidden: english term} from the glossary table"
    text = GLOSSARY.read_text(encoding='utf-8')
    table = text.split('\n<!-- glossary -->\n')[1].split(
        '\n<!-- /glossary -->')[0]
    forbidden = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) < 3 or set(cells[0]) <= {'-'} or cells[0].startswith(
                'English'):
            continue
        for word in re.split(r'[,，、]', cells[2]):
            if word.strip():
                forbidden[word.strip()] = cells[0]
    return forbidden


def module_directory(name):
    from trytond.modules import get_module_info
    return Path(get_module_info(name)['directory'])


def dependencies(modules):
    from trytond.modules import get_module_info
    seen, todo = set(), list(modules)
    while todo:
        for depend in get_module_info(todo.pop()).get('depends', []):
            if depend not in seen:
                seen.add(depend)
                todo.append(depend)
    return seen - set(modules)


def upstream_key(entry, module):
    "Return the key under which an override replaces the upstream entry"
    type_, name, res_id = entry.msgctxt.split(':')
    return (type_, name, '%s.%s' % (module, res_id), entry.msgid)


def effective_translations():
    "Yield (origin, msgctxt, msgid, msgstr) of what the users read"
    overrides, own = {}, []
    for module in OUR_MODULES:
        locale = ROOT / 'addons' / module / 'locale'
        for path in [locale / 'zh_CN.po', locale / 'override' / 'zh_CN.po']:
            if not path.exists():
                continue
            for entry in polib.pofile(str(path)):
                if entry.obsolete or not entry.msgstr:
                    continue
                type_, name, res_id = entry.msgctxt.split(':')
                if '.' in res_id:
                    overrides[(type_, name, res_id, entry.msgid)] = entry
                own.append((path.relative_to(ROOT), entry))
    for module in sorted(dependencies(OUR_MODULES)):
        path = module_directory(module) / 'locale' / 'zh_CN.po'
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if (entry.obsolete or not entry.msgstr or 'fuzzy' in entry.flags
                    or upstream_key(entry, module) in overrides):
                continue
            yield f'{module} (upstream)', entry
    yield from own


def test_glossary_table_is_parsed():
    forbidden = forbidden_renderings()
    assert forbidden['参与者'].startswith('party'), forbidden
    assert '机会' in forbidden and '原始凭证' in forbidden


def test_dependencies_cover_the_everyday_modules():
    modules = dependencies(OUR_MODULES)
    assert {'ir', 'res', 'party', 'sale', 'sale_opportunity',
        'sale_complaint', 'product', 'stock_lot', 'incoterm'} <= modules


def test_no_forbidden_rendering():
    forbidden = forbidden_renderings()
    offenders = []
    for origin, entry in effective_translations():
        for word, term in forbidden.items():
            if word in entry.msgstr:
                offenders.append(f'{origin}: {entry.msgctxt} {entry.msgid!r}'
                    f' -> {entry.msgstr!r} uses {word!r} (glossary: {term})')
    assert not offenders, '\n'.join(offenders)


@pytest.mark.parametrize('word,expected', [
        ('Party', '往来单位'),
        ('Opportunity', '商机'),
        ('Lead', '线索'),
        ('Lot', '批次'),
        ('Invoice', '发票'),
        ])
def test_key_terms_use_the_glossary(word, expected):
    "The bare terms read the glossary's word wherever users meet them"
    found = [entry.msgstr for _, entry in effective_translations()
        if entry.msgid == word]
    assert found, word
    assert all(expected in s or s in {'客户'} for s in found), (word, found)
