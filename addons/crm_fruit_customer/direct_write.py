# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Direct SQL writes that keep the framework informed

A few writes touch thousands of rows at once (classification, last contact
date, visit schedule, classification snapshot) and go straight to the
table.  After them the framework must learn what ModelStorage.create and
write would have told it: the transaction counter and record caches, the
history and on_modification, as party.Replace does after its UPDATEs."""
from sql.aggregate import Max

from trytond.tools import grouped_slice
from trytond.transaction import Transaction, record_cache_size


def execute_update(table, update, changed_ids):
    """Execute the UPDATE of table and return the ids of the rows it wrote

    changed_ids is the SELECT of those ids, run before the update on the
    databases without RETURNING."""
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    if transaction.database.has_returning():
        update.returning = [table.id]
        cursor.execute(*update)
    else:
        cursor.execute(*changed_ids)
        ids = [i for i, in cursor]
        cursor.execute(*update)
        return ids
    return [i for i, in cursor]


def execute_insert(table, insert):
    "Execute the INSERT into table and return the ids of the new rows"
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    if transaction.database.has_returning():
        insert.returning = [table.id]
        cursor.execute(*insert)
        return [i for i, in cursor]
    # SQLite: the transaction holds the database's only write lock, so the
    # rows above the highest id are those of this insert.
    cursor.execute(*table.select(Max(table.id)))
    last, = cursor.fetchone()
    cursor.execute(*insert)
    cursor.execute(*table.select(table.id, where=table.id > (last or 0)))
    return [i for i, in cursor]


def execute_delete(Model, table, where):
    """Delete the rows of Model's table matching where and tell the
    framework, in the order of ModelStorage.delete"""
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.select(table.id, where=where))
    ids = [i for i, in cursor]
    if not ids:
        return
    for sub_ids in _slices(ids):
        Model.on_modification('delete', Model.browse(sub_ids))
    cursor.execute(*table.delete(where=where))
    _forget(Model, ids)
    Model._insert_history(ids, deleted=True)


def written(Model, mode, ids, field_names=None):
    """Tell the framework that rows of Model were created or written
    directly in SQL"""
    assert mode in {'create', 'write'}
    ids = list(ids)
    if not ids:
        return
    _forget(Model, ids)
    Model._insert_history(ids)
    for sub_ids in _slices(ids):
        Model.on_modification(
            mode, Model.browse(sub_ids),
            field_names=set(field_names) if field_names else None)


def _forget(Model, ids):
    "Records read before the write must not serve stale values"
    transaction = Transaction()
    transaction.counter += 1
    for cache in transaction.cache.values():
        records = cache.get(Model.__name__)
        if records:
            for id_ in ids:
                records.pop(id_, None)


def _slices(ids):
    return grouped_slice(ids, record_cache_size(Transaction()))
