# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from decimal import Decimal

from sql import Column, Table

from trytond.transaction import Transaction


def create_old_singleton(name, values):
    "Create the table of a removed singleton model holding one row of values"
    table = Table(name.replace('.', '_'))
    cursor = Transaction().connection.cursor()
    # python-sql has no CREATE TABLE; the names are the test's own constants
    columns = ', '.join(
        f'"{n}" {"NUMERIC" if isinstance(v, Decimal) else "INTEGER"}'
        for n, v in values.items())
    cursor.execute(
        f'CREATE TABLE "{table._name}" (id INTEGER PRIMARY KEY, {columns})')
    cursor.execute(*table.insert(
            [table.id] + [Column(table, n) for n in values],
            [[1] + list(values.values())]))
    return table._name
