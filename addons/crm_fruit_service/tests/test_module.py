# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class CrmFruitServiceTestCase(CompanyTestMixin, ModuleTestCase):
    "Test crm_fruit_service module"
    module = 'crm_fruit_service'


del ModuleTestCase
