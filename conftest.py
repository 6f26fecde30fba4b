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
    """Give each pytest-xdist worker its own database and DB cache.

    Runs before trytond.tests.test_tryton is imported, as it reads both
    variables at import time; a cache file written by one worker while
    another restores it would be read half-written.
    """
    worker = os.environ.get('PYTEST_XDIST_WORKER')
    if not worker:
        return
    if os.environ.get('DB_CACHE'):
        os.environ['DB_CACHE'] = os.path.join(os.environ['DB_CACHE'], worker)
    db_name = os.environ.get('DB_NAME')
    if db_name and db_name != ':memory:':
        os.environ['DB_NAME'] = f'{db_name}_{worker}'


_isolate_xdist_worker()


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
