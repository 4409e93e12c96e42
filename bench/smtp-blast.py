#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""smtp-blast - the one SMTP sender of the milter benchmark.

usage: smtp-blast.py --port N [--clients C] [--per-session M]
                     [--from ADDR] --to ADDR FILE...

C clients (default 4) run at once, in one process (asyncio), against
127.0.0.1:N. Each takes the next file not yet sent and sends it in a
session of its own (M, default 1, messages a session: mail from many
senders arrives so); a session is EHLO, then MAIL, RCPT, DATA for each
message, then QUIT. The files are read once, before the clock starts,
with CRLF line ends and dot-stuffed as a real client sends them, so the
sender costs little beside the server it measures. Prints one line:
"messages N accepted A refused R seconds S rate X" (accepted: 250 after
DATA; rate: accepted messages a second, from the first connect to the
last answer). Exits 0 when every message was accepted.
"""
import argparse
import asyncio
import re
import sys
import time


def wire(data):
    """The message as DATA carries it: CRLF, dot-stuffed, then CRLF.CRLF."""
    data = re.sub(rb"\r?\n", b"\r\n", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    data = re.sub(rb"(?m)^\.", b"..", data)
    return data + b".\r\n"


async def reply(reader):
    """The code of the server's next (perhaps multi-line) reply."""
    while True:
        line = await reader.readline()
        if not line:
            return 0
        if len(line) < 4 or line[3:4] != b"-":
            return int(line[:3]) if line[:3].isdigit() else 0


class Blast:
    def __init__(self, args, messages):
        self.args, self.messages = args, messages
        self.next = 0
        self.accepted = self.refused = 0

    def take(self):
        if self.next >= len(self.messages):
            return None
        self.next += 1
        return self.messages[self.next - 1]

    async def session(self, first):
        a = self.args
        msg, sent = first, 0
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1",
                                                           a.port)
        except OSError:
            self.refused += 1
            return
        try:
            if await reply(reader) != 220:
                raise ConnectionError
            writer.write(b"EHLO client.test\r\n")
            if await reply(reader) != 250:
                raise ConnectionError
            while msg is not None:
                writer.write(b"MAIL FROM:<%s>\r\n" % a.sender.encode())
                ok = await reply(reader) == 250
                writer.write(b"RCPT TO:<%s>\r\n" % a.to.encode())
                ok = await reply(reader) == 250 and ok
                writer.write(b"DATA\r\n")
                if ok and await reply(reader) == 354:
                    writer.write(msg)
                    ok = await reply(reader) == 250
                elif ok:
                    ok = False
                if ok:
                    self.accepted += 1
                else:
                    self.refused += 1
                    writer.write(b"RSET\r\n")
                    await reply(reader)
                sent += 1
                msg = self.take() if sent < a.per_session else None
            writer.write(b"QUIT\r\n")
            await reply(reader)
        except (OSError, ConnectionError):
            self.refused += 1
        finally:
            writer.close()

    async def client(self):
        while (msg := self.take()) is not None:
            await self.session(msg)

    async def run(self):
        await asyncio.gather(*(self.client()
                               for _ in range(self.args.clients)))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--clients", type=int, default=4)
    p.add_argument("--per-session", type=int, default=1)
    p.add_argument("--from", dest="sender", default="sender@example.org")
    p.add_argument("--to", required=True)
    p.add_argument("files", nargs="+")
    a = p.parse_args()
    messages = []
    for f in a.files:
        with open(f, "rb") as fp:
            messages.append(wire(fp.read()))
    b = Blast(a, messages)
    t0 = time.monotonic()
    asyncio.run(b.run())
    took = time.monotonic() - t0
    print("messages %d accepted %d refused %d seconds %.3f rate %.1f" % (
        len(messages), b.accepted, len(messages) - b.accepted, took,
        b.accepted / took if took > 0 else 0.0))
    return 0 if b.accepted == len(messages) else 1


if __name__ == "__main__":
    sys.exit(main())
