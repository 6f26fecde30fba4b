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
    """Serialise, per cached database, its build and its restores.

    Tryton's activate_module / activate_modules restore the cached database
    or build it and write the cache. Under a file lock named after the cache
    entry, a second worker needing the same modules waits for the first one
    to finish writing and then restores it, instead of building it a second
    time or reading a half-written file.
    """
    cache = os.environ.get('DB_CACHE')
    if not cache or cache.startswith('postgresql://'):
        return
    import fcntl
    import functools

    from trytond.tests import test_tryton, tools

    def locked(function, cache_name):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            os.makedirs(cache, exist_ok=True)
            path = test_tryton._db_cache_file(cache, cache_name(*args, **kwargs))
            with open(path + '.lock', 'w') as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                try:
                    return function(*args, **kwargs)
                finally:
                    fcntl.flock(lock, fcntl.LOCK_UN)
        return wrapper

    # the cache names of trytond.tests.test_tryton and tools (8.0)
    def module_name(modules, lang='en'):
        if isinstance(modules, str):
            modules = [modules]
        name = '-'.join(modules)
        if lang != 'en':
            name += '--' + lang
        return name

    def scenario_name(modules, *setup):
        if isinstance(modules, str):
            modules = [modules]
        name = '-'.join(sorted(modules))
        if setup_name := '|'.join(tools._func_name(f) for f in setup):
            name += f'--{setup_name}'
        return name

    test_tryton.activate_module = locked(
        test_tryton.activate_module, module_name)
    tools.activate_modules = locked(tools.activate_modules, scenario_name)


_share_db_cache()


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
