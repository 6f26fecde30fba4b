# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""python -m bench -d DATABASE [--only NAME ...] [--output bench/results.json]

Discover ``bench/bench_*.py``, call each module's ``run(ctx)`` and write the
list of the entries they return as JSON.
"""
import argparse
import importlib
import json
import logging
import pathlib
import sys

from .context import REQUIRED, Context

HERE = pathlib.Path(__file__).resolve().parent


def discover(only=None):
    for path in sorted(HERE.glob('bench_*.py')):
        name = path.stem[len('bench_'):]
        if only and name not in only and path.stem not in only:
            continue
        yield importlib.import_module(f'bench.{path.stem}')


def check(module, entries):
    if not isinstance(entries, list):
        raise TypeError(f"{module.__name__}.run() must return a list")
    for entry in entries:
        missing = REQUIRED - set(entry)
        if missing:
            raise ValueError(
                f"{module.__name__}: entry {entry.get('name')!r} "
                f"lacks {sorted(missing)}")
    return entries


def _merged(output, results):
    "The earlier entries of the benchmarks not run, then the new ones"
    # A partial run (--only) must not drop the figures of the others.
    try:
        earlier = json.loads(output.read_text())
    except (OSError, ValueError):
        earlier = []
    fresh = {e['name'] for e in results}
    return [e for e in earlier if e['name'] not in fresh] + results


def main(argv=None):
    parser = argparse.ArgumentParser(prog='python -m bench', description=__doc__)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--only', nargs='*', help="bench module names")
    parser.add_argument('--output', default=str(HERE / 'results.json'))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format='%(message)s')

    ctx = Context(args.database)
    results, failed = [], []
    for module in discover(args.only):
        logging.info("== %s", module.__name__)
        try:
            entries = check(module, module.run(ctx))
        except Exception:
            # One broken benchmark must not lose the figures of the others.
            logging.exception("%s failed", module.__name__)
            failed.append(module.__name__)
            continue
        for entry in entries:
            logging.info(
                "%(name)s: %(seconds).2fs, floor %(floor_seconds).2fs, "
                "ratio %(ratio).2f, peak RSS %(peak_rss_mb).0f MB, "
                "%(rows)s rows", entry)
            results.append(entry)
    output = pathlib.Path(args.output)
    if args.only:
        results = _merged(output, results)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + '\n')
    logging.info("wrote %s", args.output)
    if failed:
        logging.error("failed: %s", ', '.join(failed))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
