# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Share of the strings a user can reach that have a translation.

    python -m tools.i18n_coverage -d <database> [-l zh_CN] [--missing]

Starting from the menus a non-administrator can open, it walks the actions
(windows, wizards, reports, and the print/relate/action keywords of every
model reached), the models and their views (fields, help, selections, view
labels, buttons, the targets of the relational fields shown, two levels
deep), the wizard buttons and the error messages of the modules involved,
plus the everyday screens that are not under a menu (preferences,
attachments, notes, exports). A string counts as translated when Tryton
would show a translation for it: a non-fuzzy, non-empty ir.translation in
the language, looked up the way Tryton looks it up (by source for labels, by
record for menus, actions, buttons and messages), whichever module brought
it (upstream, our modules, or our `locale/override/` files).
"""
import argparse
import os
import re
import sys
from collections import defaultdict, namedtuple

from lxml import etree

#: One translatable string: ir.translation (type, name, res_id, src).
Key = namedtuple('Key', ['type', 'name', 'res_id', 'src'])

#: Screens of the web client everyone reaches without a menu entry.
EVERYDAY_MODELS = [
    'ir.attachment', 'ir.note', 'ir.export', 'ir.export.line',
    'res.notification', 'ir.chat.message', 'ir.email',
    ]
#: The print / relate / action entries of a model's toolbar.
TOOLBAR_KEYWORDS = ['form_print', 'form_action', 'form_relate', 'graph_open']
VIEW_ATTRIBUTES = ['string', 'confirm', 'help']
WORD = re.compile('[A-Za-z]')


class Walker:
    "Collect the keys of the strings reachable from the menus"

    def __init__(self, pool, max_depth=2):
        self.pool = pool
        self.max_depth = max_depth
        self.keys = {}  # Key -> module
        self.models = {}  # model name -> smallest depth seen
        self.modules = set()
        self.view_names = {}  # model -> models whose view strings it shows
        self._actions = set()
        self._view_modules = {}
        self._data_modules = self._load_data_modules()
        self._model_modules = {
            m.name: m.module for m in pool.get('ir.model').search([])}
        self._field_modules = {
            (f.model, f.name): f.module
            for f in pool.get('ir.model.field').search([])}

    def _load_data_modules(self):
        ModelData = self.pool.get('ir.model.data')
        modules = {}
        for data in ModelData.search([]):
            modules[data.model, data.db_id] = data.module
        return modules

    def add(self, key, module):
        if key.src and WORD.search(key.src):
            self.keys.setdefault(key, module)

    def walk(self):
        for menu in self._menus():
            self.add(Key('model', 'ir.ui.menu,name', menu.id, menu.name),
                self._module('ir.ui.menu', menu.id))
            if menu.action:
                self._action(menu.action.action, 0)
        for model in EVERYDAY_MODELS:
            self._model(model, self.max_depth - 1)
        self._preferences()
        self._messages()
        return self.keys

    def _menus(self):
        pool = self.pool
        Menu = pool.get('ir.ui.menu')
        ModelData = pool.get('ir.model.data')
        admin = ModelData.get_id('res', 'group_admin')
        reachable = {}

        def visible(menu):
            if menu.id not in reachable:
                groups = {g.id for g in menu.groups}
                reachable[menu.id] = (
                    (not groups or bool(groups - {admin}))
                    and (not menu.parent or visible(menu.parent)))
            return reachable[menu.id]
        return [m for m in Menu.search([]) if visible(m)]

    def _module(self, model, record_id):
        module = self._data_modules.get((model, record_id))
        if module:
            self.modules.add(module)
        return module

    def _action(self, action, depth):
        if action.id in self._actions or not action.active:
            return
        self._actions.add(action.id)
        module = self._module(action.type, action.action.id)
        self.add(Key('model', 'ir.action,name', action.id, action.name),
            module)
        record = action.action
        getattr(self, '_' + action.type.split('.')[-1])(record, depth, module)

    def _act_window(self, act_window, depth, module):
        for domain in act_window.act_window_domains:
            self.add(Key('model', 'ir.action.act_window.domain,name',
                    domain.id, domain.name), module)
        views = [v.view for v in act_window.act_window_views]
        if act_window.res_model:
            self._model(act_window.res_model, depth, views)
        if act_window.context_model:
            self._model(act_window.context_model, depth)

    def _wizard(self, wizard, depth, module):
        from trytond.wizard import StateView
        Wizard = self.pool.get(wizard.wiz_name, type='wizard')
        for state_name, state in Wizard.states.items():
            if not isinstance(state, StateView):
                continue
            self._model(state.model_name, depth)
            for button in state.buttons:
                self.add(Key('wizard_button', '%s,%s,%s' % (
                            wizard.wiz_name, state_name, button.state),
                        -1, button.string), module)

    def _report(self, report, depth, module):
        from trytond.ir.translation import TranslationSet
        from trytond.tools import file_open
        if not report.translatable or not report.report:
            return
        with file_open(report.report.replace('/', os.sep), mode='rb') as fp:
            content = fp.read()
        extract = getattr(TranslationSet, 'extract_report_%s'
            % report.template_extension, None)
        if extract is None:
            return
        for string in extract(None, content):
            if isinstance(string, tuple):
                string = string[0]
            self.add(Key('report', report.report_name, -1, string), module)

    def _url(self, url, depth, module):
        pass

    def _model(self, name, depth, views=None):
        try:
            Model = self.pool.get(name)
        except KeyError:
            return
        if name in self.models and self.models[name] <= depth and not views:
            return
        self.models[name] = min(depth, self.models.get(name, depth))
        module = self._model_module(name)
        self.add(Key('model', name + ',string', -1, Model.__string__), module)
        for arch in self._archs(Model, views):
            self._arch(Model, arch, depth, module)
        self._toolbar(name, depth)

    def _model_module(self, name):
        module = self._model_modules.get(name)
        if module:
            self.modules.add(module)
        return module

    def _view_module(self, model, string, default):
        "Return the module of the view of the model that shows the string"
        View = self.pool.get('ir.ui.view')
        if model not in self._view_modules:
            strings, names = {}, {model}
            for view in View.search([('model', '=', model)]):
                if view.inherit and view.inherit.model != model:
                    names.add(view.inherit.model)
            for view in View.search([('model', 'in', list(names))]):
                if not view.arch:
                    continue
                for element in etree.fromstring(view.arch).iter():
                    for attribute in VIEW_ATTRIBUTES:
                        if element.get(attribute):
                            strings.setdefault(
                                element.get(attribute), view.module)
            self._view_modules[model] = strings
            self.view_names[model] = names
        return self._view_modules[model].get(string, default)

    def _archs(self, Model, views):
        if not hasattr(Model, 'fields_view_get'):
            return []
        archs = []
        if views:
            for view in views:
                archs.append(Model.fields_view_get(view_id=view.id)['arch'])
        for view_type in ['tree', 'form']:
            try:
                archs.append(Model.fields_view_get(view_type=view_type)['arch'])
            except Exception:
                continue
        return archs

    def _arch(self, Model, arch, depth, module):
        tree = etree.fromstring(arch)
        for element in tree.iter():
            if element.tag == 'field':
                self._field(Model, element.get('name'), depth,
                    self._view_ids(element))
            elif (element.tag == 'button'
                    and self._button(Model, element.get('name'))):
                # its string, confirm and help come from ir.model.button
                continue
            for attribute in VIEW_ATTRIBUTES:
                string = element.get(attribute)
                # a field's own label is its field string; a string set
                # on it in the view is the view's
                if string and (element.tag != 'field'
                        or attribute == 'string'):
                    self.add(Key('view', Model.__name__, -1, string),
                        self._view_module(Model.__name__, string, module))

    def _view_ids(self, element):
        "The views a relational field names to show its records with"
        View = self.pool.get('ir.ui.view')
        ModelData = self.pool.get('ir.model.data')
        views = []
        for fs_id in filter(None, (element.get('view_ids') or '').split(',')):
            module, _, name = fs_id.strip().rpartition('.')
            try:
                views.append(View(ModelData.get_id(module, name)))
            except KeyError:
                continue
        return views

    def _field(self, Model, name, depth, views=None):
        field = Model._fields.get(name)
        if field is None:
            return
        module = self._field_module(Model.__name__, name)
        for _, ttype, _, source in field.definition_translations(Model, 'en'):
            self.add(Key(ttype, '%s,%s' % (Model.__name__, name), -1, source),
                module)
        selection = getattr(field, 'selection', None)
        if (isinstance(selection, (list, tuple))
                and getattr(field, 'translate_selection', True)):
            for _, label in selection:
                self.add(Key('selection', '%s,%s' % (Model.__name__, name),
                        -1, label), module)
        target = getattr(field, 'model_name', None)
        if target and depth < self.max_depth:
            self._model(target, depth + 1, views)

    def _field_module(self, model, name):
        module = self._field_modules.get((model, name))
        if module:
            self.modules.add(module)
        return module

    def _button(self, Model, name):
        "Add the keys of the ir.model.button and return if there is one"
        Button = self.pool.get('ir.model.button')
        buttons = Button.search([
                ('model', '=', Model.__name__), ('name', '=', name),
                ]) if name else []
        for button in buttons:
            module = self._module('ir.model.button', button.id)
            for attribute in ['string', 'confirm', 'help']:
                self.add(Key('model', 'ir.model.button,' + attribute,
                        button.id, getattr(button, attribute)), module)
        return bool(buttons)

    def _toolbar(self, model, depth):
        Keyword = self.pool.get('ir.action.keyword')
        for keyword in Keyword.search([
                    ('keyword', 'in', TOOLBAR_KEYWORDS),
                    ('model', '=', model + ',-1'),
                    ]):
            if depth < self.max_depth:
                self._action(keyword.action, depth + 1)

    def _preferences(self):
        User = self.pool.get('res.user')
        arch = User.get_preferences_fields_view()['arch']
        self._arch(User, arch, self.max_depth, 'res')

    def _messages(self):
        ModelData = self.pool.get('ir.model.data')
        Message = self.pool.get('ir.message')
        data = ModelData.search([
                ('model', '=', 'ir.message'),
                ('module', 'in', sorted(self.modules)),
                ])
        modules = {d.db_id: d.module for d in data}
        for message in Message.browse(list(modules)):
            self.add(Key('model', 'ir.message,text', message.id, message.text),
                modules[message.id])


def translated_keys(pool, language):
    "Return the sets of keys Tryton would translate in the language"
    from trytond.transaction import Transaction
    Translation = pool.get('ir.translation')
    table = Translation.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.select(
            table.type, table.name, table.res_id, table.src,
            where=(table.lang == language)
            & (table.value != '') & (table.value != None)  # noqa: E711
            & (table.fuzzy == False)))  # noqa: E712
    by_source, by_record = set(), set()
    for type_, name, res_id, src in cursor:
        if type_ == 'model' and res_id != -1:
            by_record.add((name, res_id))
        else:
            by_source.add((type_, name, src))
    return by_source, by_record


def is_translated(key, by_source, by_record, view_names=None):
    if key.type == 'model' and key.res_id != -1:
        return (key.name, key.res_id) in by_record
    names = {key.name}
    if key.type == 'view' and view_names:
        # strings of an inherited view of another model are translated
        # under that model's name (product.product shows product.template's)
        names |= view_names.get(key.name, set())
    return any((key.type, n, key.src) in by_source for n in names)


def coverage(pool, language='zh_CN', max_depth=2):
    """Return {module: (total, [missing keys])} of the reachable strings.

    Must run inside a transaction whose language is English, so that the
    walker reads the source strings.
    """
    walker = Walker(pool, max_depth=max_depth)
    keys = walker.walk()
    by_source, by_record = translated_keys(pool, language)
    result = defaultdict(lambda: [0, []])
    for key, module in keys.items():
        entry = result[module or '?']
        entry[0] += 1
        if not is_translated(key, by_source, by_record, walker.view_names):
            entry[1].append(key)
    return {m: (total, missing) for m, (total, missing) in result.items()}


def format_report(result, show_missing=False):
    lines = ['%-24s %7s %7s %8s' % ('module', 'strings', 'missing', 'coverage')]
    total = missing = 0
    for module, (count, keys) in sorted(result.items()):
        total += count
        missing += len(keys)
        lines.append('%-24s %7d %7d %7.1f%%' % (
                module, count, len(keys), 100 * (count - len(keys)) / count))
    lines.append('%-24s %7d %7d %7.1f%%' % (
            'TOTAL', total, missing,
            100 * (total - missing) / total if total else 100))
    if show_missing:
        for module, (_, keys) in sorted(result.items()):
            for key in sorted(keys, key=str):
                lines.append('  missing %s %s:%s:%s %r' % (
                        module, key.type, key.name, key.res_id, key.src))
    return '\n'.join(lines)


def run(database, language='zh_CN', max_depth=2):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool(database)
    pool.init()
    with Transaction().start(database, 0, readonly=True,
            context={'language': 'en'}):
        return coverage(pool, language, max_depth)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('-l', '--language', default='zh_CN')
    parser.add_argument('--depth', type=int, default=2,
        help="levels of relational fields followed from a window")
    parser.add_argument('--missing', action='store_true',
        help="list the untranslated strings")
    parser.add_argument('--fail-under', type=float, default=None,
        help="exit with 1 when the total coverage (%%) is below")
    options = parser.parse_args(argv)
    os.environ.setdefault('TRYTOND_DATABASE__URI', 'sqlite://')
    from trytond import config
    config.update_etc(os.environ.get('TRYTOND_CONFIG'))
    result = run(options.database, options.language, options.depth)
    print(format_report(result, options.missing))
    total = sum(c for c, _ in result.values())
    missing = sum(len(k) for _, k in result.values())
    share = 100 * (total - missing) / total if total else 100
    if options.fail_under is not None and share < options.fail_under:
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
