#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Sends many files as e-mails over concurrent SMTP sessions.

usage: smtp-load.py --port N [--clients C] [--from ADDR] --to ADDR
                    (--list FILE | FILE...)

C clients (default 20) each hold one SMTP session to 127.0.0.1:N and
take the next file not yet sent, one message each, with CRLF line ends
as a real client sends them; a session the server closes is opened
again. --list names a file that lists the files, one a line. For every
file one line is printed, "FILE STAGE CODE TEXT" (STAGE is CONN, MAIL,
RCPT or DATA: the step that gave the final answer; CODE the SMTP reply
code, 0 when the connection failed), and at the end one line:
"# messages N accepted N tempfailed N rejected N failed N seconds S
rate R" (accepted: DATA 250; tempfailed: 4xx; rejected: 5xx; failed: no
answer). Exits 0 when every message was accepted, else 1.
"""
import argparse
import re
import smtplib
import sys
import threading
import time


def crlf(data):
    data = re.sub(rb"\r?\n", b"\r\n", data)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


class Load:
    def __init__(self, args, files):
        self.args, self.files = args, files
        self.next = 0
        self.lock = threading.Lock()
        self.counts = {"accepted": 0, "tempfailed": 0, "rejected": 0,
                       "failed": 0}

    def take(self):
        with self.lock:
            if self.next >= len(self.files):
                return None
            self.next += 1
            return self.files[self.next - 1]

    def result(self, path, stage, code, text):
        kind = ("accepted" if stage == "DATA" and code == 250 else
                "tempfailed" if 400 <= code < 500 else
                "rejected" if code >= 500 else "failed")
        line = "%s %s %d %s\n" % (path, stage, code, text.replace("\n", " "))
        with self.lock:
            self.counts[kind] += 1
            sys.stdout.write(line)
            sys.stdout.flush()

    def connect(self):
        s = smtplib.SMTP("127.0.0.1", self.args.port,
                         local_hostname="client.test", timeout=300)
        s.ehlo("client.test")
        return s

    def one(self, s, data):
        code, msg = s.mail(self.args.sender)
        if code != 250:
            return "MAIL", code, msg
        ok, last = 0, (0, b"")
        for r in self.args.to:
            last = s.rcpt(r)
            ok += last[0] == 250
        if ok == 0:
            return ("RCPT",) + last
        try:
            code, msg = s.data(data)
        except smtplib.SMTPDataError as e:
            code, msg = e.smtp_code, e.smtp_error
        return "DATA", code, msg

    def client(self):
        s = None
        while (path := self.take()) is not None:
            with open(path, "rb") as f:
                data = crlf(f.read())
            try:
                if s is None:
                    s = self.connect()
                stage, code, msg = self.one(s, data)
                if code != 250:
                    s.rset()
            except (OSError, smtplib.SMTPException) as e:
                stage, code, msg = "CONN", 0, str(e).encode()
                if isinstance(e, smtplib.SMTPResponseException):
                    code, msg = e.smtp_code, e.smtp_error
                try:
                    s.close()
                except (OSError, AttributeError):
                    pass
                s = None
            self.result(path, stage, code, msg.decode("utf-8", "replace"))
        if s is not None:
            try:
                s.quit()
            except (OSError, smtplib.SMTPException):
                pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--from", dest="sender", default="reporter@sender.test")
    p.add_argument("--to", action="append", required=True)
    p.add_argument("--list")
    p.add_argument("files", nargs="*")
    args = p.parse_args()
    files = list(args.files)
    if args.list:
        with open(args.list) as f:
            files += [line.strip() for line in f if line.strip()]
    load = Load(args, files)
    t0 = time.monotonic()
    threads = [threading.Thread(target=load.client)
               for _ in range(max(1, min(args.clients, len(files))))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - t0
    c = load.counts
    print("# messages %d accepted %d tempfailed %d rejected %d failed %d "
          "seconds %.2f rate %.1f" % (len(files), c["accepted"],
                                      c["tempfailed"], c["rejected"],
                                      c["failed"], took,
                                      len(files) / took if took else 0))
    return 0 if c["accepted"] == len(files) else 1


if __name__ == "__main__":
    sys.exit(main())
