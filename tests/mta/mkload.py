#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Writes a load of distinct report e-mails, made from sample report mail.

usage: mkload.py --out DIR --count N SOURCE...

Writes N files DIR/NNNNNN.eml (or fewer, when the sources cannot make
N), with CRLF line ends (the bytes SMTP carries, for report-query parse). Every source is used once as it is, in order; then copies of the
sources that can be rewritten are made, round robin, until there are N:
a copy has the report id of every DMARC (<report_id>) and TLS-RPT
("report-id") report in it changed to ID.lSOURCE.COPY, inside gzip, zip
or plain attachments, and a Message-ID of its own, so that the store
takes each copy as a new report. ARF reports and other sources that
hold no report id are used once only. Prints one line: how many files
were written, and how many of them were rewritten copies.
"""
import argparse
import base64
import email
import email.policy
import gzip
import io
import os
import re
import sys
import zipfile

DMARC_ID = re.compile(rb"(<report_id>\s*)(.*?)(\s*</report_id>)", re.S)
TLS_ID = re.compile(rb'("report-id"\s*:\s*")((?:[^"\\]|\\.)*)(")')


class NoId(Exception):
    """The source holds no report id that a copy could change."""


def new_ids(data, tag):
    """The report ids in XML or JSON text, with tag appended."""
    out, n = DMARC_ID.subn(lambda m: m.group(1) + m.group(2) + tag +
                           m.group(3), data)
    if n == 0:
        out, n = TLS_ID.subn(lambda m: m.group(1) + m.group(2) + tag +
                             m.group(3), data)
    if n == 0:
        raise NoId()
    return out


def rewrite_file(data, tag):
    """A report file (gzip, zip or plain) with its report ids changed."""
    if data[:2] == b"\x1f\x8b":
        return gzip.compress(new_ids(gzip.decompress(data), tag), mtime=0)
    if data[:4] == b"PK\x03\x04":
        zin = zipfile.ZipFile(io.BytesIO(data))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
            done = 0
            for info in zin.infolist():
                body = zin.read(info)
                try:
                    body = new_ids(body, tag)
                    done += 1
                except NoId:
                    pass
                zout.writestr(info.filename, body)
        if done == 0:
            raise NoId()
        return buf.getvalue()
    return new_ids(data, tag)


def rewrite_mail(raw, tag, mid):
    """The mail raw with the report ids of its parts and its Message-ID
    changed; NoId when no part held a report id."""
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    done = 0
    for part in msg.walk():
        if part.is_multipart() or part.get_content_maintype() == "message":
            continue
        cte = (part.get("Content-Transfer-Encoding") or "").lower().strip()
        data = part.get_payload(decode=True)
        if not data:
            continue
        try:
            new = rewrite_file(data, tag)
        except (NoId, OSError, EOFError, zipfile.BadZipFile):
            continue
        if cte == "base64":
            part.set_payload(base64.encodebytes(new).decode("ascii"))
        elif cte in ("", "7bit", "8bit") and b"\0" not in new:
            part.set_payload(new.decode("utf-8", "surrogateescape"))
        else:
            continue
        done += 1
    if done == 0:
        raise NoId()
    if "Message-ID" in msg:
        msg.replace_header("Message-ID", "<%s>" % mid)
    else:
        msg["Message-ID"] = "<%s>" % mid
    return msg.as_bytes(policy=email.policy.compat32.clone(linesep="\n"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("sources", nargs="+")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    raws = []
    for s in a.sources:
        with open(s, "rb") as f:
            raws.append(f.read())
    n = 0

    def write(data):
        nonlocal n
        with open(os.path.join(a.out, "%06d.eml" % n), "wb") as f:
            f.write(re.sub(rb"\r?\n", b"\r\n", data))
        n += 1

    for raw in raws[:a.count]:
        write(raw)
    live = list(range(len(raws)))
    copy = 0
    while n < a.count and live:
        copy += 1
        for i in list(live):
            if n >= a.count:
                break
            tag = ".l%d.%d" % (i, copy)
            try:
                write(rewrite_mail(raws[i], tag.encode(),
                                   "load%s@load.test" % tag))
            except NoId:
                live.remove(i)
    print("%d files, %d rewritten copies" % (n, max(0, n - len(raws))))
    return 0 if n == a.count else 1


if __name__ == "__main__":
    sys.exit(main())
