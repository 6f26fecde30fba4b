# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Run each module's scenario doctests as pytest items.

pytest ignores the unittest ``load_tests`` protocol that Tryton's
``tests/test_scenario.py`` relies on, so without this hook the scenarios
would silently not run. Each ``addons/<module>/tests/scenario_*.rst`` becomes
one item that builds the suite through Tryton's own ``load_doc_tests`` (same
option flags, checker, setup and JSON configurations) and fails unless the
scenario really ran and passed.
"""
import os
import unittest

import pytest


def _isolate_xdist_worker():
    """Give each pytest-xdist worker its own database; the DB cache is shared.

    Runs before trytond.tests.test_tryton is imported, as it reads DB_NAME
    at import time. The workers share one DB cache so that each set of
    modules is activated once per run, not once per worker (an activation
    costs 40-95 s on the shared cores, a restore 1-3 s): _share_db_cache
    below makes a worker wait while another one builds the same database.
    """
    worker = os.environ.get('PYTEST_XDIST_WORKER')
    if not worker:
        return
    db_name = os.environ.get('DB_NAME')
    if db_name and db_name != ':memory:':
        os.environ['DB_NAME'] = f'{db_name}_{worker}'


_isolate_xdist_worker()


def _share_db_cache():
    """Build each set of activated modules once per run, for every test.

    Tryton names a cached database after the modules a test asks for, so
    ``activate_module('crm_fruit_service')``, ``activate_module(['party',
    'crm_fruit_customer', 'crm_fruit_service'])`` and the scenarios asking for
    'sale' with our modules each built the same database again (40-95 s each
    on the shared cores). Here the name is the closure of the modules over
    their dependencies, and a scenario whose setup functions (create_company,
    create_chart) have no cache yet starts from the cached modules instead of
    activating them again. A set with no cache yet starts from the largest
    built set of its modules (same language) and activates only the rest:
    the service's modules on top of the customer's take a third of the time
    of all of them on an empty database.

    The xdist workers share the cache: under a file lock named after the cache
    entry, a second worker needing the same database waits for the first one
    to finish writing and then restores it, instead of building it a second
    time or reading a half-written file.
    """
    cache = os.environ.get('DB_CACHE')
    if not cache or cache.startswith('postgresql://'):
        return
    import contextlib
    import fcntl
    import glob
    import json

    from trytond.modules import get_module_info
    from trytond.tests import test_tryton, tools

    addons = os.path.join(os.path.dirname(__file__), 'addons')
    OUR_MODULES = sorted(
        m for m in os.listdir(addons)
        if os.path.exists(os.path.join(addons, m, 'tryton.cfg')))

    @contextlib.contextmanager
    def locked(name):
        os.makedirs(cache, exist_ok=True)
        path = test_tryton._db_cache_file(cache, name)
        with open(path + '.lock', 'w') as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def closure(modules):
        if isinstance(modules, str):
            modules = [modules]
        todo, seen = list(modules), set()
        while todo:
            module = todo.pop()
            if module not in seen:
                seen.add(module)
                todo.extend(get_module_info(module).get('depends') or [])
        return sorted(seen)

    # the cache names of trytond.tests.test_tryton (8.0)
    def module_name(modules, lang):
        name = '-'.join(modules)
        if lang != 'en':
            name += '--' + lang
        return name

    def index_file(name):
        return test_tryton._db_cache_file(cache, name) + '.modules'

    def cached(name):
        # the index is written last: a listed set is completely dumped
        return os.path.exists(index_file(name))

    def largest_cached_subset(modules, lang):
        "The cached set of the most of these modules, in this language"
        best = []
        for path in glob.glob(os.path.join(cache, '*.modules')):
            with open(path) as file:
                entry = json.load(file)
            if (entry['lang'] == lang and set(entry['modules']) < set(modules)
                    and len(entry['modules']) > len(best)):
                best = entry['modules']
        return best

    def our_base(modules):
        "The largest set of one of our modules below these modules"
        bases = [closure(m) for m in OUR_MODULES if m in modules]
        bases = [b for b in bases if set(b) < set(modules)]
        return max(bases, key=len, default=[])

    def start_from_a_smaller_set(modules, lang):
        """Put in the test database the largest set these modules extend.

        Activating only the modules a built set lacks, as an administrator
        adds a module, saves most of the build. The set of one of our
        modules is built first when missing (its own base first): the other
        sets of the run extend it.
        """
        subset = largest_cached_subset(modules, lang)
        base = our_base(modules)
        if base and not set(base) <= set(subset):
            activate_module(base, lang)
        elif subset:
            test_tryton.restore_db_cache(module_name(subset, lang))

    activate_module_as_asked = test_tryton.activate_module

    def activate_module(modules, lang='en'):
        modules = closure(modules)
        name = module_name(modules, lang)
        fresh = not test_tryton.db_exist()
        if fresh and not cached(name):
            start_from_a_smaller_set(modules, lang)
        with locked(name):
            if fresh and cached(name):
                # another worker built it meanwhile: restore it instead
                test_tryton.drop_db()
            activate_module_as_asked(modules, lang=lang)
            if not cached(name):
                with open(index_file(name), 'w') as file:
                    json.dump({'modules': modules, 'lang': lang}, file)

    def activate_modules(modules, *setup):
        modules = closure(modules)
        test_tryton.drop_db()
        if not setup:
            activate_module(modules)
            return tools._get_config()
        name = '-'.join(modules) + '--' + '|'.join(
            tools._func_name(f) for f in setup)
        with locked(name):
            if test_tryton.restore_db_cache(name):
                return tools._get_config()
            activate_module(modules)
            config = tools._get_config()
            for func in setup:
                func(config=config)
            test_tryton.backup_db_cache(name)
            return config

    test_tryton.activate_module = activate_module
    tools.activate_modules = activate_modules


def _on_memory_database():
    return os.environ.get('DB_NAME', ':memory:') == ':memory:'


def _keep_memory_database_uncommitted():
    """Keep the periodic cache sync from committing a test's writes.

    On the in-memory SQLite database every connection Tryton asks for is the
    test's own one; the cache sync, due every ``clean_timeout`` seconds, asks
    for an autocommit connection and so commits what the running test wrote.
    A web_user test then found the user an earlier test had rolled back. The
    tests run in one process: there is no other process to sync with.
    """
    if _on_memory_database():
        from trytond.config import config
        config.set('cache', 'clean_timeout', str(10 ** 9))


def _keep_avatar_cache_uncommitted():
    """Resize avatars without storing the resized copy on the in-memory DB.

    ``ir.avatar.get`` stores the resized image in a new transaction "only if
    the record is already committed"; on the in-memory SQLite database that
    transaction is the test's own connection, so the check finds the test's
    uncommitted user and the commit keeps every record the test wrote (a
    later test of the class then failed on a duplicate login). The resizing
    itself stays Tryton's.
    """
    if not _on_memory_database():
        return
    from trytond.ir import avatar

    stored_get = avatar.Avatar.get

    def get(self, size=64):
        if not avatar.PIL or any(c.size == size for c in self.cache):
            return stored_get(self, size=size)
        return self._resize(size) if self.image else None

    avatar.Avatar.get = get


_share_db_cache()
_keep_memory_database_uncommitted()
_keep_avatar_cache_uncommitted()


def pytest_collect_file(file_path, parent):
    if (file_path.suffix == '.rst'
            and file_path.name.startswith('scenario_')
            and file_path.parent.name == 'tests'
            and file_path.parent.parent.parent.name == 'addons'):
        return ScenarioFile.from_parent(parent, path=file_path)


class ScenarioFile(pytest.File):

    def collect(self):
        yield ScenarioItem.from_parent(self, name=self.path.name)


class ScenarioFailure(Exception):
    pass


class ScenarioItem(pytest.Item):

    @property
    def module_name(self):
        return self.path.parent.parent.name

    def _suite(self):
        from trytond.tests.test_tryton import load_doc_tests
        loader = unittest.TestLoader()
        loader.testNamePatterns = [self.path.name]
        # A module, not the package: doctest star-imports it, and some
        # packages' __all__ hold classes, which a star-import refuses.
        package = f'trytond.modules.{self.module_name}.tests.test_scenario'
        return load_doc_tests(
            package, str(self.path), loader, unittest.TestSuite(), None)

    def runtest(self):
        suite = self._suite()
        result = unittest.TestResult()
        suite.run(result)
        if result.testsRun < 1:
            raise ScenarioFailure(f"{self.path.name} ran no test")
        problems = result.failures + result.errors
        if problems:
            raise ScenarioFailure(
                '\n\n'.join(text for _, text in problems))

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, ScenarioFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"scenario {self.path.name}"
