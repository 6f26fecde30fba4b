# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""python -m demo -d crm [--customers 300] [--months 24] [--seed 42]"""
import argparse
import datetime as dt
import logging
import sys
import time

from .generate import SIZES, generate


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='python -m demo', description=__doc__)
    parser.add_argument('-d', '--database', help="Tryton database name")
    parser.add_argument('--customers', default='demo',
        help="number of customers or one of %s" % ', '.join(SIZES))
    parser.add_argument('--months', type=int, default=24)
    parser.add_argument('--seed', type=int, default=42)
    parser.add_argument('--end', type=dt.date.fromisoformat,
        help="last sale day (default today)")
    parser.add_argument('--copy', action='store_true',
        help="bulk-load customers, sales and contacts with PostgreSQL COPY")
    parser.add_argument('--no-fulfilment', dest='fulfil', action='store_false',
        help="leave the sales unshipped, uninvoiced and unpaid (the order "
        "to cash takes most of the ORM load's time)")
    parser.add_argument('--portal-fulfilment', dest='fulfil',
        action='store_const', const='portal',
        help="take only the sales of the portal's customer and of three "
        "slow payers through the order to cash, the others as "
        "--no-fulfilment")
    parser.add_argument('--stats', action='store_true',
        help="only count the generated rows")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format='%(message)s')
    size = int(args.customers) if args.customers.isdigit() else args.customers
    dataset = generate(size, args.seed, args.months, args.end)
    start = time.monotonic()
    if args.stats:
        sales = lines = shipments = invoices = payments = 0
        for sale in dataset.sales():
            sales += 1
            lines += len(sale['lines'])
            shipments += bool(sale['shipment'])
            invoices += bool(sale['invoice'])
            payments += len(sale['payments'])
        contacts = sum(1 for _ in dataset.contacts())
        print(f"{dataset.customer_count} customers, {sales} sales, "
            f"{lines} sale lines, {contacts} contacts, {shipments} "
            f"shipments, {invoices} invoices, {payments} payments")
        return 0
    if not args.database:
        parser.error("-d DATABASE is required")
    if args.copy:
        from .copy_writer import load
    else:
        from .tryton_writer import load
    from .tryton_writer import AlreadyLoaded
    try:
        if args.copy:
            load(args.database, dataset)
        else:
            load(args.database, dataset, fulfil=args.fulfil)
    except AlreadyLoaded:
        print(f"demo data already in {args.database}: nothing done")
        return 0
    print(f"demo data loaded into {args.database} in "
        f"{time.monotonic() - start:.0f}s")
    return 0


if __name__ == '__main__':
    sys.exit(main())
