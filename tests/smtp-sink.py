#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# smtp-sink.py — a real SMTP server on loopback for the tests, the
# benchmarks and the demo: every message it accepts lands in a Maildir.
#
#   /usr/bin/python3 tests/smtp-sink.py --maildir DIR [--port PORT]
#       [--reject ADDR]... [--auth-user U --auth-password-file F]
#       [--tls-cert CERT --tls-key KEY]
#
# Prints "listening on PORT" on standard output once it accepts
# connections (PORT 0, the default, picks a free one). Recipients given with
# --reject are refused with 550 (a permanent failure). With --auth-user the
# server offers AUTH PLAIN/LOGIN and only takes mail after a login; with
# --tls-cert/--tls-key it offers STARTTLS. SIGTERM or SIGINT stop it.
#
# Needs aiosmtpd (Debian: python3-aiosmtpd), so run it with /usr/bin/python3.
# Limits: messages of at most --max-size bytes (default 80 MiB).

import argparse
import logging
import mailbox
import os
import signal
import ssl
import sys
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, maildir, reject):
        # tmp/, new/ and cur/ first: mailbox.Maildir makes them only in a
        # folder that does not exist yet.
        for sub in ('tmp', 'new', 'cur'):
            os.makedirs(os.path.join(maildir, sub), exist_ok=True)
        self.box = mailbox.Maildir(maildir, create=False)
        self.reject = {a.lower() for a in reject}
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return '550 5.1.1 <%s>: Recipient address rejected: User unknown' % address
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode('utf-8', 'surrogateescape')
        # The envelope, as a delivering MTA would record it.
        # The client's port tells the connections apart (reuse is visible).
        head = ('X-Sink-Mail-From: <%s>\r\nX-Sink-Rcpt-To: %s\r\nX-Sink-TLS: %s\r\n'
                'X-Sink-Peer: %s:%s\r\n') % (
            envelope.mail_from, ', '.join('<%s>' % r for r in envelope.rcpt_tos),
            'yes' if session.ssl else 'no', session.peer[0], session.peer[1])
        with self.lock:
            self.box.add(head.encode('ascii', 'replace') + data)
        return '250 Message accepted for delivery'


class Authenticator:
    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and
              auth_data.login == self.user and auth_data.password == self.password)
        # handled=False: aiosmtpd answers a failure with 535 itself.
        return AuthResult(success=ok, handled=False)


class PortZeroController(Controller):
    """Port 0 picks a free port: learn it before the readiness probe connects."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def main():
    parser = argparse.ArgumentParser(description='SMTP sink writing to a Maildir')
    parser.add_argument('--maildir', required=True)
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--reject', action='append', default=[])
    parser.add_argument('--auth-user')
    parser.add_argument('--auth-password-file')
    parser.add_argument('--tls-cert')
    parser.add_argument('--tls-key')
    parser.add_argument('--max-size', type=int, default=80 * 1024 * 1024)
    args = parser.parse_args()

    # AUTH without TLS on loopback is what the tests want: no warnings.
    warnings.simplefilter('ignore')
    logging.getLogger('mail.log').setLevel(logging.ERROR)

    kwargs = dict(data_size_limit=args.max_size, enable_SMTPUTF8=True)
    if args.auth_user:
        with open(args.auth_password_file) as f:
            password = f.readline().rstrip('\n')
        kwargs.update(authenticator=Authenticator(args.auth_user, password),
                      auth_required=True,
                      auth_require_tls=bool(args.tls_cert))
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        kwargs.update(tls_context=context, require_starttls=False)

    controller = PortZeroController(Sink(args.maildir, args.reject), hostname=args.host, port=args.port,
                            ready_timeout=30, server_kwargs=kwargs)
    controller.start()
    port = controller.port
    print('listening on %d' % port, flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGINT, lambda *a: stop.set())
    while not stop.wait(3600):
        pass
    controller.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
