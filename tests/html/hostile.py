# SPDX-License-Identifier: BSD-2-Clause
"""Report mail whose every string is an attack on the HTML page.

Each of a DMARC, a TLS and an ARF report carries <script>, an
"><img onerror=...> that would change document.title, a javascript: URL
and a </style> in the fields the page shows: organization names,
domains, DKIM selectors, report ids, ARF fields, MX host names and
subjects. The figures of the reports are known here, so that a test can
add them to what it expects.
"""
import json
import os
from email.message import EmailMessage

SCRIPT = "<script>document.title='owned'</script>"
IMG = "\"><img src=x onerror=\"document.title='owned'\">"
JS = "javascript:document.title='owned'"
STYLE = "</style><b id=injected>styled</b>"
SVG = "<svg onload=\"document.title='owned'\">"
ALL = (SCRIPT, IMG, JS, STYLE, SVG)

# The DMARC report: 2026-02-27 to 2026-03-02, four days.
DMARC_DOMAIN = IMG + ".example"
DMARC_ORG = SCRIPT + " " + STYLE
DMARC_BEGIN, DMARC_END = 1772150400, 1772150400 + 4 * 86400 - 1
DMARC_RECORDS = [("192.0.2.66", 5, False), ("192.0.2.67", 3, True)]
TLS_DOMAIN = SVG + ".example"
TLS_OK, TLS_FAILED = 10, 7
ARF_DOMAIN = IMG


def _xml_escape(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def dmarc_xml():
    e = _xml_escape
    recs = ""
    for ip, n, ok in DMARC_RECORDS:
        res = "pass" if ok else "fail"
        recs += """<record><row><source_ip>%s</source_ip><count>%d</count>
<policy_evaluated><disposition>none</disposition><dkim>%s</dkim>
<spf>%s</spf></policy_evaluated></row>
<identifiers><header_from>%s</header_from></identifiers>
<auth_results><dkim><domain>%s</domain><selector>%s</selector>
<result>%s</result></dkim><spf><domain>%s</domain><result>%s</result></spf>
</auth_results></record>
""" % (ip, n, res, res, e(DMARC_DOMAIN), e(STYLE), e(SCRIPT), res,
            e(DMARC_DOMAIN), res)
    return ("""<?xml version="1.0" encoding="UTF-8"?>
<feedback><report_metadata><org_name>%s</org_name>
<email>noreply@hostile.example</email><report_id>%s</report_id>
<date_range><begin>%d</begin><end>%d</end></date_range></report_metadata>
<policy_published><domain>%s</domain><adkim>r</adkim><aspf>r</aspf>
<p>none</p><sp>none</sp><pct>100</pct></policy_published>
%s</feedback>
""" % (e(DMARC_ORG), e(JS), DMARC_BEGIN, DMARC_END, e(DMARC_DOMAIN),
           recs)).encode()


def tls_json():
    return json.dumps({
        "organization-name": STYLE + " " + SCRIPT,
        "date-range": {"start-datetime": "2026-02-27T00:00:00Z",
                       "end-datetime": "2026-02-27T23:59:59Z"},
        "contact-info": "tls@hostile.example",
        "report-id": JS,
        "policies": [{
            "policy": {"policy-type": "sts", "policy-string": [SCRIPT],
                       "policy-domain": TLS_DOMAIN, "mx-host": [IMG]},
            "summary": {"total-successful-session-count": TLS_OK,
                        "total-failure-session-count": TLS_FAILED},
            "failure-details": [{
                "result-type": "certificate-expired",
                "sending-mta-ip": "192.0.2.70",
                "receiving-mx-hostname": IMG,
                "failed-session-count": TLS_FAILED}]}]}).encode()


def arf_feedback():
    return ("Feedback-Type: abuse\r\nUser-Agent: %s\r\nVersion: 1\r\n"
            "Original-Envelope-Id: %s\r\n"
            "Arrival-Date: Fri, 27 Feb 2026 12:00:00 +0000\r\n"
            "Reporting-MTA: dns; %s\r\nSource-IP: 192.0.2.71\r\n"
            "Reported-Domain: %s\r\n" % (SCRIPT, JS, STYLE, ARF_DOMAIN))


def _mail(subject, sender):
    m = EmailMessage()
    m["From"] = sender
    m["To"] = "reports@example.com"
    m["Subject"] = subject
    m["Date"] = "Fri, 27 Feb 2026 12:00:00 +0000"
    m["Message-ID"] = "<%s@hostile.example>" % abs(hash(subject))
    return m


def write(folder):
    """Writes the three mails into folder; returns their paths."""
    os.makedirs(folder, exist_ok=True)
    out = []
    m = _mail("Report Domain: x " + SCRIPT, "dmarc@hostile.example")
    m.set_content("A DMARC aggregate report.")
    m.add_attachment(dmarc_xml(), maintype="text", subtype="xml",
                     filename="hostile.example!x!%d!%d.xml" %
                     (DMARC_BEGIN, DMARC_END))
    out.append(("dmarc.eml", m))
    m = _mail("Report Domain: y " + IMG, "tls@hostile.example")
    m.set_content("A TLS report.")
    m.add_attachment(tls_json(), maintype="application",
                     subtype="tlsrpt+json", filename="hostile.json")
    out.append(("tls.eml", m))
    m = _mail("Abuse report " + STYLE, "arf@hostile.example")
    m.set_content("An abuse report.")
    m.add_attachment(arf_feedback().encode(), maintype="message",
                     subtype="feedback-report")
    m.add_attachment(b"From: a@b.example\r\nSubject: " + SVG.encode() +
                     b"\r\nMessage-ID: <x@b.example>\r\n\r\nspam\r\n",
                     maintype="text", subtype="rfc822-headers")
    m.replace_header("Content-Type", 'multipart/report; '
                     'report-type=feedback-report; boundary="%s"'
                     % m.get_boundary())
    out.append(("arf.eml", m))
    paths = []
    for name, msg in out:
        p = os.path.join(folder, name)
        with open(p, "wb") as fp:
            fp.write(msg.as_bytes())
        paths.append(p)
    return paths
