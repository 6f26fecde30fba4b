# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""A local SMTP sink for `make run`: every mail trytond sends is kept as a
.eml file instead of being delivered.

    python scripts/mailsink.py --dir var/mail --port-file var/run/mailsink.port

Listens on 127.0.0.1 only, on --port (default 0: a free port chosen by the
system, written to --port-file so two checkouts never collide). Each mail is
written as ``<UTC time>-<n>.eml`` into --dir (open it with any mail reader,
or read it as text). Stops on SIGTERM / SIGINT.
"""
import argparse
import datetime as dt
import itertools
import os
import pathlib
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = pathlib.Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.counter = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        stamp = dt.datetime.now(dt.timezone.utc).strftime('%Y%m%dT%H%M%S')
        with self.lock:
            name = f'{stamp}-{next(self.counter):04d}.eml'
        path = self.directory / name
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode('utf-8')
        header = (f'X-Mailsink-From: {envelope.mail_from}\r\n'
            f'X-Mailsink-To: {", ".join(envelope.rcpt_tos)}\r\n')
        tmp = path.with_suffix('.tmp')
        tmp.write_bytes(header.encode('utf-8') + content)
        os.replace(tmp, path)
        return '250 Message accepted for delivery'


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--dir', default='var/mail')
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--port-file')
    args = parser.parse_args(argv)

    controller = Controller(Sink(args.dir), hostname='127.0.0.1',
        port=args.port)
    if args.port == 0:
        # aiosmtpd cannot bind port 0 itself: ask the system for a free one
        import socket
        with socket.socket() as probe:
            probe.bind(('127.0.0.1', 0))
            controller.port = probe.getsockname()[1]
    controller.start()
    port = controller.server.sockets[0].getsockname()[1]
    if args.port_file:
        tmp = args.port_file + '.tmp'
        with open(tmp, 'w') as file:
            file.write(f'{port}\n')
        os.replace(tmp, args.port_file)
    print(f'mailsink: smtp://127.0.0.1:{port} -> {args.dir}/', flush=True)

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    controller.stop()
    if args.port_file:
        try:
            os.unlink(args.port_file)
        except FileNotFoundError:
            pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
