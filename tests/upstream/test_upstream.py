# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Tryton's own test suites of the modules we extend, with our modules active.

Each upstream ``ModuleTestCase`` is subclassed with our modules as extras, and
each upstream scenario runs with ``activate_modules`` patched to activate our
modules beside the ones it asks for: our extensions must not break a thing
Tryton's own tests rely on.
"""
import glob
import importlib
import os
import unittest
from unittest import mock

import pytest

from trytond.modules import get_modules

UPSTREAM = ['party', 'sale', 'sale_opportunity', 'sale_complaint', 'web_user']
OURS = sorted(m for m in get_modules() if m.startswith('crm_fruit_'))


def _upstream_case(module):
    tests = importlib.import_module(f'trytond.modules.{module}.tests.test_module')
    case, = [
        obj for obj in vars(tests).values()
        if isinstance(obj, type) and issubclass(obj, unittest.TestCase)
        and obj.__module__ == tests.__name__]
    # Keep the case's own extras: its optional-module views must stay used.
    extras = list(getattr(case, 'extras', None) or []) + OURS
    return type(f'Test{case.__name__}WithCRM', (case,), {
            'extras': extras,
            '__module__': __name__,
            })


for _module in UPSTREAM:
    _case = _upstream_case(_module)
    globals()[_case.__name__] = _case
del _module, _case


def _scenarios():
    for module in UPSTREAM:
        package = importlib.import_module(f'trytond.modules.{module}.tests')
        directory = os.path.dirname(package.__file__)
        for path in sorted(glob.glob(os.path.join(directory, 'scenario_*.rst'))):
            yield pytest.param(module, path, id=f'{module}/{os.path.basename(path)}')


def _with_ours(activate_modules):
    def activate(modules, *setup):
        if isinstance(modules, str):
            modules = [modules]
        return activate_modules([*modules, *OURS], *setup)
    return activate


@pytest.mark.parametrize('module,path', _scenarios())
def test_upstream_scenario(module, path):
    from trytond.tests import tools
    from trytond.tests.test_tryton import load_doc_tests
    loader = unittest.TestLoader()
    loader.testNamePatterns = [os.path.basename(path)]
    suite = load_doc_tests(
        f'trytond.modules.{module}.tests.test_scenario', path, loader,
        unittest.TestSuite(), None)
    result = unittest.TestResult()
    with mock.patch.object(
            tools, 'activate_modules', _with_ours(tools.activate_modules)):
        suite.run(result)
    assert result.testsRun >= 1, f"{path} ran no test"
    problems = result.failures + result.errors
    assert not problems, '\n\n'.join(text for _, text in problems)


def test_our_modules_are_active_in_upstream_runs():
    assert {'crm_fruit_customer'} <= set(OURS)
