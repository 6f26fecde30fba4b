# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"How the service desk's forms lay out their fields (no database needed)"
import unittest
from pathlib import Path

from lxml import etree

VIEW = Path(__file__).resolve().parent.parent / 'view'


def grid(path):
    """Return (row, column, element) of each child of the form as the client
    lays them out: col cells a row, a child that does not fit starts a row"""
    form = etree.parse(str(path)).getroot()
    col = int(form.get('col', 4))
    cells, row, column = [], 0, 0
    for element in form:
        if not isinstance(element.tag, str):
            continue
        if element.tag == 'newline':
            row, column = row + 1, 0
            continue
        colspan = min(int(element.get('colspan', 1)), col)
        if column + colspan > col:
            row, column = row + 1, 0
        cells.append((row, column, element))
        column += colspan
    return cells


class FastEntryViewTestCase(unittest.TestCase):
    "Test the layout of the hotline entry (热线录入)"

    def setUp(self):
        self.cells = grid(VIEW / 'ticket_fast_entry_form.xml')
        self.fields = [(r, c, e.get('name')) for r, c, e in self.cells
            if e.tag == 'field']

    def test_each_field_has_its_label_on_its_left(self):
        "Every field has a label in the cell just left of it, same row"
        labels = {(r, c): e.get('name') for r, c, e in self.cells
            if e.tag == 'label'}
        for row, column, name in self.fields:
            with self.subTest(field=name):
                self.assertEqual(labels.get((row, column - 1)), name)

    def test_call_fields_first(self):
        "What the caller says comes first, in the order it is asked"
        order = [name for _, _, name in self.fields]
        self.assertEqual(order[:6], [
                'party', 'subject', 'description', 'type', 'priority',
                'channel'])

    def test_texts_take_the_width(self):
        "The customer, subject and description use the whole row"
        wide = {e.get('name') for _, c, e in self.cells
            if e.tag == 'field' and c + int(e.get('colspan', 1)) == 4}
        self.assertLessEqual(
            {'party', 'subject', 'description'}, wide)
