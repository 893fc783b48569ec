#!/usr/bin/env python3
"""A loopback SMTP server for the tests (aiosmtpd).

Every message it accepts is written to --maildir as one JSON file (envelope, the login used,
whether TLS was on, and the raw message in base64), to a temporary name first and then renamed,
so the test never reads half a file. Prints READY once it accepts connections, and stops when
its standard input closes or on SIGTERM.
"""
import argparse
import base64
import itertools
import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, directory):
        self.directory = directory
        self.numbers = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            number = next(self.numbers)
        login = session.auth_data.login if isinstance(session.auth_data, LoginPassword) else None
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "login": login.decode() if isinstance(login, bytes) else login,
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "data": base64.b64encode(envelope.original_content or envelope.content).decode("ascii"),
        }
        temporary = os.path.join(self.directory, f".{number:06d}.tmp")
        with open(temporary, "w", encoding="utf-8") as out:
            json.dump(record, out)
        os.rename(temporary, os.path.join(self.directory, f"{number:06d}.json"))
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--security", choices=["None", "StartTls", "SslOnConnect"], default="None")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args()

    context = None
    if args.security != "None":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    kwargs = {}
    if args.user is not None:
        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login == args.user.encode() and auth_data.password == args.password.encode()
            return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

        kwargs.update(authenticator=authenticate, auth_required=True, auth_require_tls=args.security != "None")

    if args.security == "StartTls":
        kwargs.update(tls_context=context, require_starttls=True)
    elif args.security == "SslOnConnect":
        kwargs.update(ssl_context=context)

    controller = Controller(Handler(args.maildir), hostname="127.0.0.1", port=args.port, server_hostname="localhost", **kwargs)
    controller.start()
    print("READY", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
