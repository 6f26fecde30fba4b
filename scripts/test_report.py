# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The closing report of `make test` (scripts/test.sh).

    python scripts/test_report.py var/test-reports

Reads the JUnit XML files of the passes and the ``times`` file (id, wall
seconds, label per pass) and prints the time and test count of each pass,
the ten slowest tests of the run, then one closing line
``total: N passed, N failed, N skipped``. Exits 1 when a pass wrote no
report or ran no test.
"""
import pathlib
import sys
import xml.etree.ElementTree as ET


def _cases(path):
    root = ET.parse(path).getroot()
    for case in root.iter('testcase'):
        outcome = 'passed'
        for child in case:
            if child.tag in {'failure', 'error'}:
                outcome = 'failed'
                break
            if child.tag == 'skipped':
                outcome = 'skipped'
        name = case.get('name', '')
        classname = case.get('classname', '')
        yield {
            'name': f'{classname}::{name}' if classname else name,
            'time': float(case.get('time') or 0),
            'outcome': outcome,
            }


def _minutes(seconds):
    return f'{seconds // 60:.0f}:{seconds % 60:02.0f}'


def report(directory, out=sys.stdout):
    directory = pathlib.Path(directory)
    passes = []
    times = directory / 'times'
    if times.exists():
        for line in times.read_text().splitlines():
            id_, seconds, label = line.split('\t', 2)
            passes.append((id_, int(seconds), label))
    ok = True
    everything = []
    totals = {'passed': 0, 'failed': 0, 'skipped': 0}
    print('\n=== make test: time and tests per pass', file=out)
    wall = 0
    for id_, seconds, label in passes:
        wall += seconds
        path = directory / f'{id_}.xml'
        if not path.exists():
            print(f'{_minutes(seconds):>7}  {label}: no report', file=out)
            ok = False
            continue
        cases = list(_cases(path))
        counts = {k: sum(c['outcome'] == k for c in cases) for k in totals}
        for key in totals:
            totals[key] += counts[key]
        if not cases:
            ok = False
        for case in cases:
            case['pass'] = id_
        everything.extend(cases)
        print(f'{_minutes(seconds):>7}  {label}: {len(cases)} tests '
            f'({counts["passed"]} passed, {counts["failed"]} failed, '
            f'{counts["skipped"]} skipped)', file=out)
    print(f'{_minutes(wall):>7}  all passes', file=out)
    print('\n=== the ten slowest tests', file=out)
    for case in sorted(everything, key=lambda c: -c['time'])[:10]:
        print(f'{case["time"]:8.1f}s  [{case["pass"]}] {case["name"]}',
            file=out)
    print(f'\ntotal: {totals["passed"]} passed, {totals["failed"]} failed, '
        f'{totals["skipped"]} skipped', file=out)
    return ok


if __name__ == '__main__':
    sys.exit(0 if report(sys.argv[1] if len(sys.argv) > 1
            else 'var/test-reports') else 1)
