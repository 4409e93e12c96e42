# SPDX-License-Identifier: BSD-2-Clause
"""What the report-query store tests share: running the program, TAP, and
facts about the corpus computed without this project's code.

The facts come from expected.jsonl and MANIFEST.tsv (computed independently
of any parser under test) and, for what those do not list (every DMARC
record's source IP and evaluated result, every TLS failure detail), from
the report documents themselves, read here with the Python standard
library only (email, gzip, zipfile, xml.etree, json).
"""
import email
import email.parser
import email.policy
import email.utils
import gzip
import io
import ipaddress
import json
import os
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

CORPUS = os.environ.get("CORPUS") or os.path.join(
    os.environ.get("top_srcdir", "."), "tests", "corpus")
RQ = os.path.join(os.environ.get("top_builddir", "."), "report-query")
# A wrapper such as valgrind, set by tests/valgrind-wrap.
WRAP = shlex.split(os.environ.get("RQ_WRAPPER", ""))
FOLDERS = ("dmarc", "tlsrpt", "arf", "malformed")
HOLD = 30 * 86400

FEEDBACK = {"abuse": "abuse", "auth-failure": "authFailure", "fraud": "fraud",
            "not-spam": "notSpam", "virus": "virus"}
TLS_RESULT = {
    "starttls-not-supported": "startTlsNotSupported",
    "certificate-host-mismatch": "certificateHostMismatch",
    "certificate-expired": "certificateExpired",
    "certificate-not-trusted": "certificateNotTrusted",
    "validation-failure": "validationFailure",
    "tlsa-invalid": "tlsaInvalid", "dnssec-invalid": "dnssecInvalid",
    "dane-required": "daneRequired",
    "sts-policy-fetch-error": "stsPolicyFetchError",
    "sts-policy-invalid": "stsPolicyInvalid",
    "sts-webpki-invalid": "stsWebpkiInvalid"}


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, why=None):
        self.n += 1
        print("%sok %d - %s" % ("" if cond else "not ", self.n, name))
        if not cond:
            self.failed += 1
            for line in str(why if why is not None else "").splitlines()[:20]:
                print("#   " + line)
        sys.stdout.flush()
        return cond

    def eq(self, got, want, name):
        return self.ok(got == want, name, "got:  %r\nwant: %r" % (got, want))

    def done(self):
        print("1..%d" % self.n)
        return 1 if self.failed else 0


def run(*args, stdin=None):
    """(exit status, stdout, stderr) of report-query ARGS."""
    p = subprocess.run(WRAP + [RQ] + list(args), input=stdin,
                       capture_output=True)
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


def objects(text):
    """The JSON objects of text, one after another (ndjson or pretty)."""
    dec = json.JSONDecoder()
    out, i = [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return out
        o, i = dec.raw_decode(text, i)
        out.append(o)


def canon(report):
    """The identity of a report: its JSON with sorted keys."""
    return json.dumps(report, sort_keys=True)


def norm(s):
    return " ".join(str(s).split()) if s is not None else ""


def corpus_files():
    """Every sample, in the order import walks the folders (name order)."""
    return [os.path.join(CORPUS, d, f) for d in FOLDERS
            for f in sorted(os.listdir(os.path.join(CORPUS, d)))]


def facts():
    """expected.jsonl by absolute file name."""
    out = {}
    with open(os.path.join(CORPUS, "expected.jsonl")) as fp:
        for line in fp:
            o = json.loads(line)
            out[os.path.join(CORPUS, o["file"])] = o
    return out


def returned_message_id(path):
    """Message-ID of an ARF report's returned message or headers."""
    with open(path, "rb") as fp:
        msg = email.message_from_binary_file(fp)
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload(0)
            return norm(inner.get("Message-ID"))
        if ctype in ("text/rfc822-headers", "text/rfc822-header"):
            text = part.get_payload(decode=True).decode("latin-1")
            return norm(email.parser.HeaderParser().parsestr(text)
                        .get("Message-ID"))
    return ""


def dedup_key(path, f):
    """What makes two samples one report (the store keeps one)."""
    r = f["reports"][0]
    if r["type"] == "dmarc":
        return ("dmarc", norm(r["org_name"]).lower(), norm(r["email"]).lower(),
                norm(r["report_id"]), norm(r["policy_domain"]).lower(),
                r["date_begin"], r["date_end"])
    if r["type"] == "tlsrpt":
        return ("tls", norm(r["organization_name"]).lower(),
                norm(r["report_id"]), r["date_start_utc"], r["date_end_utc"],
                tuple(norm(p["policy_domain"]).lower()
                      for p in r["policies"]))
    return ("arf", norm(r["feedback_type"]).lower(), r["arrival_date_utc"],
            r["source_ip_address"], norm(r["original_mail_from"]),
            tuple(norm(x) for x in r["original_rcpt_to"][:1]),
            tuple(norm(x).lower() for x in r["reported_domains"]),
            tuple(norm(x) for x in r["reported_uris"]),
            tuple(norm(x) for x in r["authentication_results"]),
            returned_message_id(path))


def unwrap(data):
    """Undoes gzip (any depth) and zip (the one member)."""
    while True:
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        elif data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                data = z.read(z.namelist()[0])
        else:
            return data


def document(path, f):
    """The bytes of the report document (DMARC XML or TLS JSON) of a sample."""
    with open(path, "rb") as fp:
        data = fp.read()
    if f["container"] != "eml":
        return unwrap(data)
    where = f["reports"][0]["where"]
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if part.is_multipart():
            continue
        name = part.get_filename()
        if (where.get("filename") and name == where["filename"]) or \
                (not where.get("filename") and
                 part.get_content_type() == where["content_type"]):
            return unwrap(part.get_payload(decode=True))
    raise ValueError("%s: report part not found" % path)


def local(tag):
    return tag.rsplit("}", 1)[-1]


def child(e, name):
    for c in e:
        if local(c.tag) == name:
            return c
    return None


def text(e, *path):
    for name in path:
        if e is None:
            return None
        e = child(e, name)
    return e.text.strip() if e is not None and e.text else None


def dmarc_records(path, f):
    """(source IP or None, count, passed) of every record of a DMARC sample."""
    root = ET.fromstring(document(path, f))
    out = []
    for rec in root.iter():
        if local(rec.tag) != "record":
            continue
        ip = text(rec, "row", "source_ip")
        try:
            ip = str(ipaddress.ip_address(ip)) if ip else None
        except ValueError:
            ip = None
        try:
            count = int(text(rec, "row", "count") or 0)
        except ValueError:
            count = 0
        dkim = (text(rec, "row", "policy_evaluated", "dkim") or "").lower()
        spf = (text(rec, "row", "policy_evaluated", "spf") or "").lower()
        out.append((ip, count, dkim == "pass" or spf == "pass"))
    return out


def tls_failures(path, f):
    """(sending MTA IP or None, schema result type, sessions) of a TLS sample."""
    doc = json.loads(document(path, f))
    out = []
    for p in doc.get("policies") or []:
        for d in p.get("failure-details") or []:
            ip = d.get("sending-mta-ip")
            try:
                ip = str(ipaddress.ip_address(ip)) if ip else None
            except ValueError:
                ip = None
            out.append((ip, TLS_RESULT.get(d.get("result-type"), "other"),
                        int(d.get("failed-session-count") or 0)))
    return out


def in_net(ip, net):
    if ip is None:
        return False
    a, n = ipaddress.ip_address(ip), ipaddress.ip_network(net, strict=False)
    return a.version == n.version and a in n


class Corpus:
    """The samples as one import of them sees them, in import order."""

    def __init__(self, order=None):
        self.facts = facts()
        self.files = order or corpus_files()
        self.valid = [p for p in self.files if self.facts[p]["valid"]]
        self.not_report = [p for p in self.files if not self.facts[p]["valid"]
                           and self.facts[p].get("reason") == "no report found"]
        self.unparsable = [p for p in self.files if not self.facts[p]["valid"]
                           and p not in self.not_report]
        self.first = []          # the sample each kept report came from
        self.occurrences = {}    # dedup key -> how many samples have it
        for p in self.valid:
            k = dedup_key(p, self.facts[p])
            if k not in self.occurrences:
                self.first.append(p)
            self.occurrences[k] = self.occurrences.get(k, 0) + 1

    def kind(self, p):
        return self.facts[p]["reports"][0]["type"]

    def report(self, p):
        return self.facts[p]["reports"][0]

    def summary_line(self):
        return "%d stored, %d duplicate, %d not a report, %d unparsable, " \
            "0 failed" % (len(self.first), len(self.valid) - len(self.first),
                          len(self.not_report), len(self.unparsable))

    def parse_reports(self, received):
        """canon(report) of each valid sample, through report-query parse."""
        rc, out, err = run("parse", "--format", "ndjson", "--received-at",
                           received, *self.valid)
        got = objects(out)
        if rc != 0 or len(got) != len(self.valid):
            raise RuntimeError("parse: exit %d, %d objects for %d files: %s"
                               % (rc, len(got), len(self.valid), err))
        return dict(zip(self.valid, got))
