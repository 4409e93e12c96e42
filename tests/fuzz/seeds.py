#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Seed inputs of one fuzzing harness, made from the report corpus.

usage: seeds.py HARNESS OUTDIR [REPORT-QUERY]

Writes one file per seed into OUTDIR (created) and prints how many.
message: every sample as it is (mails and bare report files alike).
dmarc_xml: every bare .xml, and the XML inside .gz and .zip samples and
mail attachments. tlsrpt: every .json, and the JSON of tlsrpt mail parts.
arf: the message/feedback-report part of every mail that has one, then a
NUL byte, 0 (message/rfc822) or 1 (text/rfc822-headers) and the returned
part when there is one (the input fuzz_arf.c reads). record_json: the
ndjson lines REPORT-QUERY parse prints for the corpus, and the records
array of each DMARC report.
"""
import email
import email.policy
import gzip
import io
import json
import os
import subprocess
import sys
import zipfile

CORPUS = os.environ.get("CORPUS") or os.path.join(
    os.environ.get("top_srcdir", "."), "tests", "corpus")
KINDS = ("arf", "dmarc", "tlsrpt", "malformed")


def samples():
    for kind in KINDS:
        d = os.path.join(CORPUS, kind)
        for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            yield os.path.join(d, name)


def unpack(data):
    """The documents inside gzip (also nested) and zip data, or data."""
    try:
        if data[:2] == b"\x1f\x8b":
            return unpack(gzip.decompress(data))
        if data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return [d for i in z.infolist() for d in unpack(z.read(i))]
    except (OSError, EOFError, zipfile.BadZipFile, ValueError):
        return []
    return [data]


def parts(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.compat32)
    return list(msg.walk())


def payload(part):
    try:
        data = part.get_payload(decode=True)
    except (ValueError, TypeError):
        data = None
    if data is None and part.is_multipart():
        # message/* parts: their text as a whole
        data = b"".join(p.as_bytes() for p in part.get_payload())
    return data or b""


def dmarc_xml():
    for path in samples():
        with open(path, "rb") as f:
            data = f.read()
        if path.endswith(".eml"):
            for p in parts(path):
                if not p.is_multipart() and p.get_content_maintype() != "text":
                    for d in unpack(payload(p)):
                        if b"<feedback" in d:
                            yield d
        else:
            for d in unpack(data):
                if d.lstrip()[:1] == b"<" or not d:
                    yield d


def tlsrpt():
    for path in samples():
        if path.endswith(".json"):
            with open(path, "rb") as f:
                yield f.read()
        elif path.endswith(".eml"):
            for p in parts(path):
                if "tlsrpt" in p.get_content_type():
                    yield from unpack(payload(p))


def arf():
    for path in samples():
        if not path.endswith(".eml"):
            continue
        ps = parts(path)
        fields = [p for p in ps if p.get_content_type() == "message/feedback-report"]
        if not fields:
            continue
        ret = b""
        for p in ps:
            t = p.get_content_type()
            if t in ("message/rfc822", "text/rfc822-headers"):
                flag = b"1" if t == "text/rfc822-headers" else b"0"
                ret = b"\0" + flag + payload(p)
                break
        yield payload(fields[0]) + ret


def record_json(rq):
    files = [p for p in samples()]
    out = subprocess.run([rq, "parse", "--format", "ndjson"] + files,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    for line in out.splitlines():
        if not line.strip():
            continue
        yield line
        recs = json.loads(line).get("report", {}).get("records")
        if recs:
            yield json.dumps(recs, separators=(",", ":")).encode()


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    harness, outdir = sys.argv[1], sys.argv[2]
    if harness == "message":
        gen = (open(p, "rb").read() for p in samples())
    elif harness == "record_json":
        if len(sys.argv) < 4:
            sys.exit("seeds.py: record_json needs the report-query program")
        gen = record_json(sys.argv[3])
    elif harness in ("dmarc_xml", "tlsrpt", "arf"):
        gen = globals()[harness]()
    else:
        sys.exit("seeds.py: unknown harness %s" % harness)
    os.makedirs(outdir, exist_ok=True)
    n = 0
    for n, data in enumerate(gen, 1):
        with open(os.path.join(outdir, "seed-%03d" % n), "wb") as f:
            f.write(data)
    print(n)


if __name__ == "__main__":
    main()
