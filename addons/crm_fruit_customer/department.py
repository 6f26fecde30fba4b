# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from sql import Literal

from trytond.cache import Cache
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .archive_input import InputCheckMixin
from .rec_name import SearchRecNameMixin


class Department(
        SearchRecNameMixin, InputCheckMixin, DeactivableMixin, ModelSQL,
        ModelView):
    __name__ = 'crm.department'
    __string__ = "CRM Department"

    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char(
        "Internal Code", required=True,
        help="The stable identifier used by imports and reports; "
        "users see the name.")
    company = fields.Many2One(
        'company.company', "Company",
        help="Leave empty to share the department between companies.")
    manager = fields.Many2One(
        'company.employee', "Manager",
        domain=[
            If(Eval('company'),
                ('company', '=', Eval('company', -1)),
                ()),
            ])
    members = fields.Many2Many(
        'crm.department-company.employee', 'department', 'employee',
        "Members",
        domain=[
            If(Eval('company'),
                ('company', '=', Eval('company', -1)),
                ()),
            ],
        help="The sales reps and staff of the department.")
    product_categories = fields.Many2Many(
        'crm.department-product.category', 'department', 'category',
        "Product Categories",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The products the department sells.")
    _managed_cache = Cache('crm.department.managed', context=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(t, t.code),
                'crm_fruit_customer.msg_department_code_unique'),
            ]
        cls._order.insert(0, ('name', 'ASC'))

    @classmethod
    def _input_sizes(cls):
        return super()._input_sizes() | {'name': 100, 'code': 30}

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def managed_members(cls, employees):
        "Return the ids of the members of the departments employees manage"
        return cls._managed('members', tuple(sorted(map(int, employees))))

    @classmethod
    def managers(cls):
        "Return the ids of the managers of the active departments"
        return cls._managed('managers', ())

    @classmethod
    def _managed(cls, kind, employees):
        key = (kind, employees)
        result = cls._managed_cache.get(key)
        if result is not None:
            return result
        # SQL, not search: used inside the rule context
        Member = Pool().get('crm.department-company.employee')
        department = cls.__table__()
        member = Member.__table__()
        cursor = Transaction().connection.cursor()
        if kind == 'managers':
            cursor.execute(*department.select(department.manager,
                    where=(department.active == Literal(True))
                    & (department.manager != None)))
        elif employees:
            cursor.execute(*member.join(department,
                    condition=member.department == department.id
                    ).select(member.employee,
                    where=(department.active == Literal(True))
                    & department.manager.in_(list(employees))))
        else:
            return frozenset()
        result = frozenset(e for e, in cursor)
        return cls._managed_cache.set(key, result)

    @classmethod
    def on_modification(cls, mode, departments, field_names=None):
        super().on_modification(mode, departments, field_names=field_names)
        cls._managed_cache.clear()


class DepartmentEmployee(ModelSQL):
    __name__ = 'crm.department-company.employee'

    __string__ = "CRM Department - Employee"

    department = fields.Many2One(
        'crm.department', "Department", ondelete='CASCADE', required=True)
    employee = fields.Many2One(
        'company.employee', "Employee", ondelete='CASCADE', required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # Who is in a department sets the department managers' scope:
        # members follow the access of their department
        cls.__access__.add('department')

    @classmethod
    def on_modification(cls, mode, members, field_names=None):
        super().on_modification(mode, members, field_names=field_names)
        Pool().get('crm.department')._managed_cache.clear()


class DepartmentProductCategory(ModelSQL):
    __name__ = 'crm.department-product.category'
    __string__ = "CRM Department - Product Category"

    department = fields.Many2One(
        'crm.department', "Department", ondelete='CASCADE', required=True)
    category = fields.Many2One(
        'product.category', "Category", ondelete='CASCADE', required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('department')
