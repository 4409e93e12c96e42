#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Writes test e-mails to stdout (LF line ends; smtp-send.py sends CRLF).

usage: mkmail.py report ID [RECORDS] [--gzip]   a DMARC aggregate report
                                                mail, report id ID
       mkmail.py attach FILE                    a report-like mail carrying
                                                FILE as its attachment
       mkmail.py plain ID                       an ordinary message

Records are made from their number (a report with the same ID and
RECORDS is the same report each time); --gzip attaches it compressed (as most reporters
do), else as plain XML, which keeps a big report big.
"""
import gzip
import os
import sys
from email.message import EmailMessage

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<feedback>
  <report_metadata>
    <org_name>reporter.test</org_name>
    <email>noreply-dmarc@reporter.test</email>
    <report_id>{id}</report_id>
    <date_range><begin>1700000000</begin><end>1700086399</end></date_range>
  </report_metadata>
  <policy_published>
    <domain>example.com</domain><adkim>r</adkim><aspf>r</aspf>
    <p>none</p><sp>none</sp><pct>100</pct>
  </policy_published>
"""
RECORD = """  <record>
    <row>
      <source_ip>10.{a}.{b}.{c}</source_ip><count>{count}</count>
      <policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated>
    </row>
    <identifiers><header_from>h{h:08x}.example.com</header_from></identifiers>
    <auth_results>
      <dkim><domain>example.com</domain><result>pass</result><selector>s{h:06x}</selector></dkim>
      <spf><domain>bounce{h:08x}.example.com</domain><result>fail</result></spf>
    </auth_results>
  </record>
"""


def report_xml(rid, n):
    parts = [HEAD.format(id=rid)]
    for i in range(n):
        h = (i * 2654435761) & 0xffffffff
        parts.append(RECORD.format(a=(i >> 16) & 255, b=(i >> 8) & 255,
                                   c=i & 255, count=1 + i % 7, h=h))
    parts.append("</feedback>\n")
    return "".join(parts).encode()


def envelope(subject, mid):
    m = EmailMessage()
    m["From"] = "noreply-dmarc@reporter.test"
    m["To"] = "dmarc@example.com"
    m["Subject"] = subject
    m["Date"] = "Tue, 14 Nov 2023 22:13:20 +0000"
    m["Message-ID"] = "<%s@reporter.test>" % mid
    return m


def report(rid, n, compress):
    m = envelope("Report Domain: example.com Submitter: reporter.test "
                 "Report-ID: %s" % rid, "r-" + rid)
    m.set_content("This is a DMARC aggregate report.\n")
    xml = report_xml(rid, n)
    name = "reporter.test!example.com!1700000000!1700086399!%s.xml" % rid
    if compress:
        m.add_attachment(gzip.compress(xml, mtime=0), maintype="application",
                         subtype="gzip", filename=name + ".gz")
    else:
        m.add_attachment(xml, maintype="application", subtype="xml",
                         filename=name)
    return m


def attach(path):
    name = os.path.basename(path)
    m = envelope("Report Domain: example.com Submitter: reporter.test "
                 "Report-ID: " + name, "a-" + name)
    m.set_content("A report that its sender got wrong.\n")
    with open(path, "rb") as f:
        data = f.read()
    sub = "xml" if name.endswith(".xml") else "octet-stream"
    m.add_attachment(data, maintype="application", subtype=sub,
                     filename=name)
    return m


def plain(mid):
    m = envelope("An ordinary message " + mid, "p-" + mid)
    m.replace_header("To", "user@example.com")
    body = ["Hello,", "", ".a line that starts with a dot", ".", "..",
            "trailing spaces   ", "tab\tin the middle", "",
            "caf\u00e9 na\u00efve \u65e5\u672c\u8a9e", "x" * 990]
    body += ["line %d of the body: %s" % (i, "abc " * (i % 20))
             for i in range(200)]
    m.set_content("\n".join(body) + "\n", cte="8bit")
    return m


def main():
    a = sys.argv[1:]
    if a[0] == "report":
        m = report(a[1], int(a[2]) if len(a) > 2 and a[2].isdigit() else 1,
                   "--gzip" in a)
    elif a[0] == "attach":
        m = attach(a[1])
    else:
        m = plain(a[1])
    sys.stdout.buffer.write(m.as_bytes(policy=m.policy.clone(linesep="\n")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
