# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from collections import defaultdict

from trytond import backend
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction


class EmployeeMixin:
    "The departments of the employee of an opportunity conversion row"
    __slots__ = ()

    crm_departments = fields.Function(fields.Many2Many(
            'crm.department', None, None, "Departments",
            help="The departments of which the employee is a member."),
        'get_crm_departments', searcher='search_crm_departments')

    @classmethod
    def get_crm_departments(cls, records, name):
        pool = Pool()
        DepartmentEmployee = pool.get('crm.department-company.employee')
        cursor = Transaction().connection.cursor()
        relation = DepartmentEmployee.__table__()
        employees = {r.employee.id for r in records if r.employee}
        departments = defaultdict(list)
        for sub_ids in grouped_slice(employees, backend.MAX_QUERY_PARAMS):
            cursor.execute(*relation.select(
                    relation.employee, relation.department,
                    where=reduce_ids(relation.employee, sub_ids)))
            for employee, department in cursor:
                departments[employee].append(department)
        return {
            r.id: departments.get(r.employee.id, []) if r.employee else []
            for r in records}

    @classmethod
    def search_crm_departments(cls, name, clause):
        pool = Pool()
        Department = pool.get('crm.department')
        DepartmentEmployee = pool.get('crm.department-company.employee')
        relation = DepartmentEmployee.__table__()
        nested = clause[0][len(name) + 1:]
        domain = [(nested or 'id', *clause[1:])]
        departments = Department.search(domain, order=[], query=True)
        return [('employee', 'in', relation.select(
                    relation.employee,
                    where=relation.department.in_(departments)))]


class ConversionEmployee(EmployeeMixin, metaclass=PoolMeta):
    __name__ = 'sale.opportunity.reporting.conversion.employee'


class ConversionEmployeeTimeseries(EmployeeMixin, metaclass=PoolMeta):
    __name__ = 'sale.opportunity.reporting.conversion.employee.time_series'
