#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Sends files as e-mails over SMTP, as a real client does (CRLF line ends).

usage: smtp-send.py --port N [--from ADDR] --to ADDR [--to ADDR ...]
                    [--orcpt ADDR] [--hold SECONDS] [--auth USER:PASS] FILE...

All files go through one SMTP session, one message each. For every file
one line is printed: "STAGE CODE TEXT", where STAGE is MAIL, RCPT or DATA
(the step that gave the final answer for that message) and CODE the SMTP
reply code, e.g. "DATA 250 2.0.0 Ok: queued as 4Xyz". --orcpt adds
ORCPT=rfc822;ADDR to every RCPT TO. --hold keeps the session open that
long after the first message (to send the rest after a reload).
--auth logs in with AUTH PLAIN after EHLO and prints its answer first,
"AUTH CODE TEXT" (235 when it worked); when it fails, nothing is sent
and the exit status is 1.
"""
import argparse
import re
import smtplib
import sys
import time


def xtext(s):
    return "".join(c if 33 <= ord(c) <= 126 and c not in "+=" else
                   "+%02X" % ord(c) for c in s)


def crlf(data):
    data = re.sub(rb"\r?\n", b"\r\n", data)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def send_one(s, args, data):
    code, msg = s.mail(args.sender)
    if code != 250:
        return "MAIL", code, msg
    opts = ["ORCPT=rfc822;" + xtext(args.orcpt)] if args.orcpt else []
    ok = 0
    last = (0, b"")
    for r in args.to:
        code, msg = s.rcpt(r, opts)
        last = (code, msg)
        ok += code == 250
    if ok == 0:
        return ("RCPT",) + last
    try:
        code, msg = s.data(crlf(data))
    except smtplib.SMTPDataError as e:
        code, msg = e.smtp_code, e.smtp_error
    return "DATA", code, msg


def login(s, auth):
    """AUTH PLAIN (with the initial response); (code, text) of the answer."""
    s.user, _, s.password = auth.partition(":")
    try:
        return s.auth("PLAIN", s.auth_plain)
    except smtplib.SMTPAuthenticationError as e:
        return e.smtp_code, e.smtp_error


def quit_session(s):
    try:
        s.quit()
    except smtplib.SMTPException:
        pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--from", dest="sender", default="reporter@sender.test")
    p.add_argument("--to", action="append", required=True)
    p.add_argument("--orcpt")
    p.add_argument("--hold", type=float, default=0)
    p.add_argument("--auth", metavar="USER:PASS")
    p.add_argument("files", nargs="+")
    args = p.parse_args()
    s = smtplib.SMTP("127.0.0.1", args.port, local_hostname="client.test",
                     timeout=300)
    s.ehlo("client.test")
    if args.auth:
        code, msg = login(s, args.auth)
        print("AUTH", code, msg.decode("utf-8", "replace").replace("\n", " "),
              flush=True)
        if code != 235:
            quit_session(s)
            return 1
    for i, f in enumerate(args.files):
        with open(f, "rb") as fh:
            data = fh.read()
        stage, code, msg = send_one(s, args, data)
        text = msg.decode("utf-8", "replace").replace("\n", " ")
        print(stage, code, text, flush=True)
        if code != 250:
            s.rset()
        if i == 0 and args.hold:
            time.sleep(args.hold)
    quit_session(s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
