#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Generate realistic, seeded DMARC aggregate / TLS-RPT / ARF report inputs.

Standard library only.  Output is deterministic for a given seed and options
(gzip mtime and zip timestamps are fixed), so every peer and every benchmark
run sees byte-identical inputs.

Examples (run from this folder):
  # one big DMARC aggregate report, raw XML
  python3 gen_reports.py dmarc --size big --format xml --out-file data/big.xml
  # 200 typical DMARC reports, each a full RFC 5322 email with a gzip attachment
  python3 gen_reports.py dmarc --size typical --count 200 --format gz --email --out-dir data/typ_eml
  # one big TLS-RPT report (RFC 8460), gzipped JSON wrapped in multipart/report
  python3 gen_reports.py tlsrpt --size big --format gz --email --out-file data/tls_big.eml
  # ARF (RFC 5965) feedback reports
  python3 gen_reports.py arf --count 10 --out-dir data/arf

Sizes:
  dmarc : small = 10 records, typical = 200 records, big = 100000 records
  tlsrpt: small = 1 policy x 2 failure-details, typical = 3 x 10,
          big = 1000 policies x 100 failure-details (100000 details)
"""

import argparse
import base64
import datetime as dt
import gzip
import io
import json
import os
import random
import sys
import zipfile
from xml.sax.saxutils import escape

DMARC_SIZES = {"small": 10, "typical": 200, "big": 100_000}
TLS_SIZES = {"small": (1, 2), "typical": (3, 10), "big": (1000, 100)}

REPORTERS = [
    ("google.com", "noreply-dmarc-support@google.com",
     "https://support.google.com/a/answer/2466580"),
    ("Yahoo", "dmarchelp@yahooinc.com", None),
    ("Enterprise Outlook", "dmarcreport@microsoft.com", None),
    ("Mail.Ru", "dmarc_support@corp.mail.ru", "http://help.mail.ru/mail-help"),
    ("comcast.net", "dmarc_reports@comcast.net", None),
    ("mail.receiver.example", "dmarc-noreply@mail.receiver.example",
     "mailto:postmaster@mail.receiver.example"),
]

TLS_REPORTERS = [
    ("Google Inc.", "smtp-tls-reporting@google.com", "google.com"),
    ("Microsoft Corporation", "tlsrpt-noreply@microsoft.com", "microsoft.com"),
    ("Company-X", "sts-reporting@company-x.example", "company-x.example"),
]

WORDS = ["mail", "news", "shop", "alpha", "beta", "cloud", "post", "relay",
         "smtp", "mx", "bulk", "notify", "corp", "team", "data", "box",
         "send", "blue", "green", "north", "south", "union", "acme", "zen"]
TLDS = ["com", "net", "org", "io", "de", "fr", "co.uk", "example", "nl", "ru"]
SELECTORS = ["google", "selector1", "selector2", "s1", "s2", "k1", "dkim",
             "mta", "20230601", "default", "mail", "smtpapi"]
TLS_RESULT_TYPES = ["starttls-not-supported", "certificate-host-mismatch",
                    "certificate-expired", "certificate-not-trusted",
                    "validation-failure", "tlsa-invalid", "dnssec-invalid",
                    "dane-required", "sts-policy-fetch-error",
                    "sts-policy-invalid", "sts-webpki-invalid"]
FAILURE_REASON_CODES = ["X509_V_ERR_CERT_HAS_EXPIRED",
                        "X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT",
                        "X509_V_ERR_HOSTNAME_MISMATCH",
                        "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY"]


def rand_domain(rng):
    n = rng.randint(1, 2)
    return ".".join(rng.choice(WORDS) + (str(rng.randint(1, 99)) if rng.random() < .3 else "")
                    for _ in range(n)) + "." + rng.choice(TLDS)


def rand_ipv4(rng):
    # avoid 0/8, 10/8, 127/8, multicast; plausibly public-looking
    first = rng.choice([23, 34, 40, 52, 64, 66, 74, 85, 91, 104, 108, 141, 149,
                        157, 167, 185, 192, 198, 203, 209, 212, 216])
    return "%d.%d.%d.%d" % (first, rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))


def rand_ipv6(rng):
    return "2001:db8:%x:%x::%x" % (rng.randint(0, 0xffff), rng.randint(0, 0xffff),
                                    rng.randint(1, 0xffff))


class Pools:
    """Skewed pools so that IPs/domains repeat like in real reports."""

    def __init__(self, rng, n_records):
        n_ip = max(4, min(n_records, 20000))
        n_dom = max(3, min(n_records // 4 + 3, 3000))
        self.ips = [rand_ipv6(rng) if rng.random() < 0.15 else rand_ipv4(rng) for _ in range(n_ip)]
        self.domains = [rand_domain(rng) for _ in range(n_dom)]

    def ip(self, rng, i):
        # first pass over the pool gives mostly-distinct rows, then skew
        if i < len(self.ips):
            return self.ips[i]
        return self.ips[int(len(self.ips) * rng.random() ** 2)]

    def domain(self, rng):
        return self.domains[int(len(self.domains) * rng.random() ** 3)]


def report_window(rng, idx):
    base = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc) + dt.timedelta(days=idx % 365)
    begin = int(base.timestamp())
    return begin, begin + 86399


# ---------------------------------------------------------------- DMARC ----

def dmarc_xml(rng, n_records, idx, policy_domain):
    org, email, extra = REPORTERS[idx % len(REPORTERS)]
    receiver = email.split("@", 1)[1]
    begin, end = report_window(rng, idx)
    report_id = "%d%06d%04d" % (begin, idx, rng.randint(0, 9999))
    pools = Pools(rng, n_records)
    p = rng.choice(["none", "quarantine", "reject"])
    out = io.StringIO()
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8" ?>\n<feedback>\n')
    w('  <version>1.0</version>\n')
    w('  <report_metadata>\n')
    w('    <org_name>%s</org_name>\n' % escape(org))
    w('    <email>%s</email>\n' % escape(email))
    if extra:
        w('    <extra_contact_info>%s</extra_contact_info>\n' % escape(extra))
    w('    <report_id>%s</report_id>\n' % report_id)
    w('    <date_range>\n      <begin>%d</begin>\n      <end>%d</end>\n    </date_range>\n' % (begin, end))
    w('  </report_metadata>\n')
    w('  <policy_published>\n')
    w('    <domain>%s</domain>\n' % policy_domain)
    w('    <adkim>%s</adkim>\n    <aspf>%s</aspf>\n' % (rng.choice("rs"), rng.choice("rs")))
    w('    <p>%s</p>\n    <sp>%s</sp>\n    <pct>100</pct>\n' %
      (p, rng.choice(["none", "quarantine", "reject"])))
    w('  </policy_published>\n')
    for i in range(n_records):
        ip = pools.ip(rng, i)
        aligned = rng.random() < 0.7
        hdr_from = policy_domain if rng.random() < 0.9 else "sub.%s" % policy_domain
        env_from = hdr_from if aligned else pools.domain(rng)
        dkim_ok = aligned and rng.random() < 0.95
        spf_ok = aligned and rng.random() < 0.85
        if dkim_ok or spf_ok:
            disp = "none"
        else:
            disp = p if rng.random() < 0.9 else "none"
        cnt = 1 if rng.random() < 0.6 else (rng.randint(2, 50) if rng.random() < 0.9 else rng.randint(51, 50000))
        w('  <record>\n    <row>\n')
        w('      <source_ip>%s</source_ip>\n      <count>%d</count>\n' % (ip, cnt))
        w('      <policy_evaluated>\n        <disposition>%s</disposition>\n'
          '        <dkim>%s</dkim>\n        <spf>%s</spf>\n' %
          (disp, "pass" if dkim_ok else "fail", "pass" if spf_ok else "fail"))
        if disp == "none" and not (dkim_ok or spf_ok) and rng.random() < 0.5:
            w('        <reason>\n          <type>%s</type>\n          <comment>%s</comment>\n        </reason>\n' %
              (rng.choice(["forwarded", "local_policy", "mailing_list", "trusted_forwarder"]),
               rng.choice(["", "arc=pass", "sampled_out"])))
        w('      </policy_evaluated>\n    </row>\n')
        w('    <identifiers>\n')
        if rng.random() < 0.5:
            w('      <envelope_to>%s</envelope_to>\n' % receiver)
        w('      <envelope_from>%s</envelope_from>\n      <header_from>%s</header_from>\n' % (env_from, hdr_from))
        w('    </identifiers>\n    <auth_results>\n')
        n_dkim = 0 if rng.random() < 0.08 else (1 if rng.random() < 0.8 else 2)
        for k in range(n_dkim):
            d = hdr_from if (k == 0 and dkim_ok) else pools.domain(rng)
            res = "pass" if (k == 0 and dkim_ok) or rng.random() < 0.6 else rng.choice(["fail", "neutral", "temperror", "permerror"])
            w('      <dkim>\n        <domain>%s</domain>\n        <selector>%s</selector>\n'
              '        <result>%s</result>\n      </dkim>\n' % (d, rng.choice(SELECTORS), res))
        spf_res = "pass" if spf_ok or rng.random() < 0.3 else rng.choice(["fail", "softfail", "neutral", "none", "temperror"])
        w('      <spf>\n        <domain>%s</domain>\n        <scope>mfrom</scope>\n'
          '        <result>%s</result>\n      </spf>\n' % (env_from, spf_res))
        w('    </auth_results>\n  </record>\n')
    w('</feedback>\n')
    meta = dict(org=org, email=email, report_id=report_id, begin=begin, end=end,
                domain=policy_domain, receiver=receiver)
    return out.getvalue().encode("utf-8"), meta


# --------------------------------------------------------------- TLS-RPT ---

def iso(ts):
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def tlsrpt_json(rng, n_pol, n_fail, idx, policy_domain):
    org, contact, receiver = TLS_REPORTERS[idx % len(TLS_REPORTERS)]
    begin, end = report_window(rng, idx)
    report_id = "%08x-%04x-%04x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16),
                                              rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(48))
    pools = Pools(rng, n_pol * max(n_fail, 1))
    policies = []
    for i in range(n_pol):
        dom = policy_domain if i == 0 else "p%d.%s" % (i, policy_domain)
        mxs = ["mx%d.%s" % (k, dom) for k in range(1, rng.randint(2, 4))]
        kind = rng.choice(["sts", "sts", "tlsa", "no-policy-found"])
        pol = {"policy-type": kind, "policy-domain": dom}
        if kind == "sts":
            pol["policy-string"] = ["version: STSv1", "mode: %s" % rng.choice(["testing", "enforce"])] + \
                ["mx: %s" % m for m in mxs] + ["max_age: 604800"]
            pol["mx-host"] = mxs
        elif kind == "tlsa":
            pol["policy-string"] = ["3 1 1 %064x" % rng.getrandbits(256)]
        fails = []
        for k in range(n_fail):
            fd = {"result-type": rng.choice(TLS_RESULT_TYPES),
                  "sending-mta-ip": pools.ip(rng, i * n_fail + k),
                  "receiving-mx-hostname": rng.choice(mxs),
                  "failed-session-count": rng.randint(1, 500)}
            if rng.random() < 0.5:
                fd["receiving-ip"] = rand_ipv4(rng)
            if rng.random() < 0.2:
                fd["receiving-mx-helo"] = rng.choice(mxs)
            if rng.random() < 0.3:
                fd["failure-reason-code"] = rng.choice(FAILURE_REASON_CODES)
            if rng.random() < 0.1:
                fd["additional-information"] = "https://reports.%s/report_info?id=%s#%s" % (receiver, report_id, fd["result-type"])
            fails.append(fd)
        entry = {"policy": pol,
                 "summary": {"total-successful-session-count": rng.randint(0, 100000),
                             "total-failure-session-count": sum(f["failed-session-count"] for f in fails)}}
        if fails:
            entry["failure-details"] = fails
        policies.append(entry)
    doc = {"organization-name": org,
           "date-range": {"start-datetime": iso(begin), "end-datetime": iso(end)},
           "contact-info": contact, "report-id": report_id, "policies": policies}
    data = json.dumps(doc, indent=2).encode("utf-8") + b"\n"
    meta = dict(org=org, email=contact, report_id=report_id, begin=begin, end=end,
                domain=policy_domain, receiver=receiver)
    return data, meta


# ------------------------------------------------------------------ ARF ----

def arf_email(rng, idx):
    dom = rand_domain(rng)
    ip = rand_ipv4(rng)
    date = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc) + dt.timedelta(minutes=idx * 7)
    d = date.strftime("%a, %d %b %Y %H:%M:%S +0000")
    b = "----=_arf_%08x" % rng.getrandbits(32)
    mid = "<%08x.%d@%s>" % (rng.getrandbits(32), idx, dom)
    orig = ("Received: from %s (mail.%s [%s])\r\n\tby mx.receiver.example; %s\r\n"
            "From: <news@%s>\r\nTo: <user%d@receiver.example>\r\nSubject: Offer %d\r\n"
            "Date: %s\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n"
            "Buy now.\r\n" % (dom, dom, ip, d, dom, idx, idx, d, mid))
    fr = ("Feedback-Type: abuse\r\nUser-Agent: SomeGenerator/1.0\r\nVersion: 1\r\n"
          "Original-Mail-From: <news@%s>\r\nOriginal-Rcpt-To: <user%d@receiver.example>\r\n"
          "Arrival-Date: %s\r\nReporting-MTA: dns; mx.receiver.example\r\nSource-IP: %s\r\n"
          "Authentication-Results: mx.receiver.example; dkim=pass header.d=%s; spf=pass smtp.mailfrom=%s\r\n"
          "Reported-Domain: %s\r\nReported-URI: http://%s/\r\n" % (dom, idx, d, ip, dom, dom, dom, dom))
    msg = ("Return-Path: <fbl@receiver.example>\r\nFrom: <fbl@receiver.example>\r\n"
           "To: <abuse@%s>\r\nDate: %s\r\nSubject: FW: Offer %d\r\nMessage-ID: <arf%d.%08x@receiver.example>\r\n"
           "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=feedback-report;\r\n"
           "\tboundary=\"%s\"\r\n\r\nThis is a multi-part message in MIME format.\r\n\r\n"
           "--%s\r\nContent-Type: text/plain; charset=\"US-ASCII\"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
           "This is an email abuse report for an email message received from IP %s on %s.\r\n\r\n"
           "--%s\r\nContent-Type: message/feedback-report\r\n\r\n%s\r\n"
           "--%s\r\nContent-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n%s\r\n--%s--\r\n"
           % (dom, d, idx, idx, rng.getrandbits(32), b, b, ip, d, b, fr, b, orig, b))
    return msg.encode("ascii")


# ------------------------------------------------------------- wrapping ----

def compress(data, fmt, inner_name):
    if fmt in ("xml", "json"):
        return data
    if fmt == "gz":
        buf = io.BytesIO()
        with gzip.GzipFile(filename=inner_name, mode="wb", fileobj=buf, mtime=0, compresslevel=6) as g:
            g.write(data)
        return buf.getvalue()
    if fmt == "zip":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            zi = zipfile.ZipInfo(inner_name, date_time=(2024, 3, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)
        return buf.getvalue()
    raise ValueError(fmt)


def b64_lines(data):
    s = base64.b64encode(data)
    return b"\r\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def wrap_email(kind, payload, fname, fmt, meta, rng, idx):
    date = dt.datetime.fromtimestamp(meta["end"] + 3600 + idx, dt.timezone.utc)
    d = date.strftime("%a, %d %b %Y %H:%M:%S +0000")
    boundary = "----=_Part_%d_%010d.%d" % (idx, rng.getrandbits(30), meta["end"])
    rcpt = "dmarc-rua@%s" % meta["domain"] if kind == "dmarc" else "tlsrpt@%s" % meta["domain"]
    subj = "Report Domain: %s Submitter: %s Report-ID: <%s>" % (meta["domain"], meta["receiver"], meta["report_id"])
    hdr = [
        "Return-Path: <%s>" % meta["email"],
        "Received: from mail-out.%s (mail-out.%s [%s])\r\n\tby mx.%s (Postfix) with ESMTPS id %08X\r\n\tfor <%s>; %s"
        % (meta["receiver"], meta["receiver"], rand_ipv4(rng), meta["domain"], rng.getrandbits(32), rcpt, d),
        "Date: %s" % d,
        "From: \"%s\" <%s>" % (meta["org"], meta["email"]),
        "To: %s" % rcpt,
        "Subject: %s" % subj,
        "Message-ID: <%d.%d.%08x@%s>" % (meta["begin"], idx, rng.getrandbits(32), meta["receiver"]),
        "MIME-Version: 1.0",
    ]
    if kind == "dmarc":
        ctype = {"xml": "text/xml", "gz": "application/gzip", "zip": "application/zip"}[fmt]
        hdr.append('Content-Type: multipart/mixed; boundary="%s"' % boundary)
        text = ("This is an aggregate report from %s.\r\n\r\nReport domain: %s\r\nSubmitter: %s\r\nReport-ID: %s\r\n"
                % (meta["org"], meta["domain"], meta["receiver"], meta["report_id"]))
    else:
        ctype = {"json": "application/tlsrpt+json", "gz": "application/tlsrpt+gzip"}[fmt]
        hdr.insert(5, "TLS-Report-Domain: %s" % meta["domain"])
        hdr.insert(6, "TLS-Report-Submitter: %s" % meta["receiver"])
        hdr.append('Content-Type: multipart/report; report-type="tlsrpt";\r\n\tboundary="%s"' % boundary)
        text = "This is an aggregate TLS report from %s\r\n" % meta["receiver"]
    out = io.BytesIO()
    out.write("\r\n".join(hdr).encode("ascii") + b"\r\n\r\n")
    out.write(b"This is a multi-part message in MIME format.\r\n\r\n")
    out.write(("--%s\r\nContent-Type: text/plain; charset=\"us-ascii\"\r\n"
               "Content-Transfer-Encoding: 7bit\r\n\r\n%s\r\n" % (boundary, text)).encode("ascii"))
    out.write(("--%s\r\nContent-Type: %s; name=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n"
               "Content-Disposition: attachment; filename=\"%s\"\r\n\r\n" % (boundary, ctype, fname, fname)).encode("ascii"))
    out.write(b64_lines(payload))
    out.write(("\r\n\r\n--%s--\r\n" % boundary).encode("ascii"))
    return out.getvalue()


def build_one(args, rng, idx):
    policy_domain = args.domain or rand_domain(rng)
    if args.kind == "dmarc":
        fmt = args.format or "xml"
        if fmt not in ("xml", "gz", "zip"):
            sys.exit("dmarc: --format must be xml, gz or zip")
        data, meta = dmarc_xml(rng, args.records, idx, policy_domain)
        base = "%s!%s!%d!%d!%s" % (meta["receiver"], meta["domain"], meta["begin"], meta["end"], meta["report_id"])
        inner = base + ".xml"
        fname = inner + {"xml": "", "gz": ".gz", "zip": ""}[fmt]
        if fmt == "zip":
            fname = base + ".zip"
    elif args.kind == "tlsrpt":
        fmt = args.format or "json"
        if fmt not in ("json", "gz"):
            sys.exit("tlsrpt: --format must be json or gz (RFC 8460 has no zip)")
        data, meta = tlsrpt_json(rng, args.policies, args.failures, idx, policy_domain)
        base = "%s!%s!%d!%d!%s" % (meta["receiver"], meta["domain"], meta["begin"], meta["end"], meta["report_id"])
        inner = base + ".json"
        fname = inner + (".gz" if fmt == "gz" else "")
    else:
        return arf_email(rng, idx), "arf_%06d.eml" % idx
    payload = compress(data, fmt, inner)
    if args.email:
        return wrap_email(args.kind, payload, fname, fmt, meta, rng, idx), "%s_%06d.eml" % (args.kind, idx)
    return payload, fname


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=["dmarc", "tlsrpt", "arf"])
    ap.add_argument("--size", choices=["small", "typical", "big"], default="typical")
    ap.add_argument("--records", type=int, help="dmarc: number of <record> elements (overrides --size)")
    ap.add_argument("--policies", type=int, help="tlsrpt: number of policies (overrides --size)")
    ap.add_argument("--failures", type=int, help="tlsrpt: failure-details per policy (overrides --size)")
    ap.add_argument("--format", choices=["xml", "json", "gz", "zip"],
                    help="raw payload encoding (dmarc: xml|gz|zip, tlsrpt: json|gz); default raw")
    ap.add_argument("--email", action="store_true", help="wrap as a full RFC 5322 MIME email (.eml)")
    ap.add_argument("--count", type=int, default=1, help="number of reports to generate")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--domain", help="fixed policy domain (default: random per report)")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--out-dir", help="directory; files get RFC-style names (or KIND_NNNNNN.eml)")
    g.add_argument("--out-file", help="exact output path (only with --count 1)")
    args = ap.parse_args(argv)
    if args.records is None:
        args.records = DMARC_SIZES[args.size]
    np_, nf = TLS_SIZES[args.size]
    args.policies = np_ if args.policies is None else args.policies
    args.failures = nf if args.failures is None else args.failures
    if args.out_file and args.count != 1:
        ap.error("--out-file needs --count 1")
    if args.out_dir:
        os.makedirs(args.out_dir, exist_ok=True)
    total = 0
    for idx in range(args.count):
        rng = random.Random(args.seed * 1_000_003 + idx)
        blob, name = build_one(args, rng, idx)
        path = args.out_file or os.path.join(args.out_dir, name)
        d = os.path.dirname(path)
        if d:
            os.makedirs(d, exist_ok=True)
        with open(path, "wb") as f:
            f.write(blob)
        total += len(blob)
    print("wrote %d file(s), %d bytes" % (args.count, total), file=sys.stderr)


if __name__ == "__main__":
    main()
