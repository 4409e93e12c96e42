#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Writes hostile inputs for report-query and report-milter into a directory.

usage: mkhostile.py DIR [NAME...]     writes every input (or the NAMEs)
       mkhostile.py --list            prints the names, one a line
       mkhostile.py --marker          prints the marker (see below)

Each input is built from nothing but this script (python3 stdlib), fast
and small on disk: the bombs are repeated deflate blocks, so a gzip that
inflates to 4 GiB is about 4 MB and is written in well under a second.
The external-entity inputs name files written beside them (DIR/secret.txt
holds the marker that must never come out; DIR/evil.dtd defines entities
that read it).
"""
import gzip
import io
import os
import struct
import sys
import zipfile
import zlib
from email.message import EmailMessage

GIB = 1 << 30
MIB = 1 << 20
MARKER = "HOSTILE-MARKER-7f3a9c1e-never-output"

REPORT = """<?xml version="1.0" encoding="UTF-8"?>
<feedback>
  <report_metadata>
    <org_name>hostile.test</org_name>
    <email>noreply-dmarc@hostile.test</email>
    <report_id>{rid}</report_id>
    <date_range><begin>1700000000</begin><end>1700086399</end></date_range>
  </report_metadata>
  <policy_published><domain>example.com</domain><p>none</p></policy_published>
  <record>
    <row><source_ip>192.0.2.1</source_ip><count>3</count>
      <policy_evaluated><disposition>none</disposition><dkim>pass</dkim>
        <spf>pass</spf></policy_evaluated>
    </row>
    <identifiers><header_from>example.com</header_from></identifiers>
    <auth_results><spf><domain>example.com</domain><result>pass</result>
      </spf></auth_results>
  </record>
</feedback>
"""


def report(rid):
    return REPORT.format(rid=rid).encode()


# ---- CRC-32 of long repetitions, without reading them (zlib's crc32_combine)

def _gf2_times(mat, vec):
    s, i = 0, 0
    while vec:
        if vec & 1:
            s ^= mat[i]
        vec >>= 1
        i += 1
    return s


def _gf2_square(mat):
    return [_gf2_times(mat, mat[n]) for n in range(32)]


def crc32_combine(crc1, crc2, len2):
    """The CRC-32 of A+B from crc(A), crc(B) and len(B)."""
    if len2 <= 0:
        return crc1
    odd = [0xedb88320] + [1 << n for n in range(31)]
    even = _gf2_square(odd)
    odd = _gf2_square(even)
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def crc32_repeat(chunk, n):
    """The CRC-32 of chunk * n, by doubling."""
    crc, result, size, have = zlib.crc32(chunk), 0, len(chunk), False
    while n:
        if n & 1:
            result = crc32_combine(result, crc, size) if have else crc
            have = True
        crc = crc32_combine(crc, crc, size)
        size *= 2
        n >>= 1
    return result


def deflate_repeat(head, chunk, n, tail):
    """Raw deflate of head + chunk * n + tail, and its CRC-32 and size.

    After a full flush the compressor starts afresh, so the blocks that
    one chunk compresses to are the same every time: they are computed
    once and repeated.
    """
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    out = [co.compress(head) + co.flush(zlib.Z_FULL_FLUSH)]
    block = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    again = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    assert block == again
    out.append(block * (n - 1) + again)
    out.append(co.compress(tail) + co.flush())
    crc = zlib.crc32(head)
    crc = crc32_combine(crc, crc32_repeat(chunk, n), len(chunk) * n)
    crc = crc32_combine(crc, zlib.crc32(tail), len(tail))
    return b"".join(out), crc, len(head) + len(chunk) * n + len(tail)


def gzip_wrap(raw, crc, size):
    """A gzip member around raw deflate data."""
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + raw +
            struct.pack("<II", crc & 0xffffffff, size & 0xffffffff))


def xml_bomb(total):
    """gzip of a <feedback> that holds about total bytes of white space:
    well-formed as far as it goes, so only the size cap can stop it."""
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<feedback>\n'
    raw, crc, size = deflate_repeat(head, b" " * MIB, total // MIB,
                                    b"\n</feedback>\n")
    return gzip_wrap(raw, crc, size)


def json_bomb(total, fill):
    """gzip of a TLS-RPT whose policies array holds total bytes of fill."""
    head = (b'{"organization-name":"hostile.test","date-range":'
            b'{"start-datetime":"2023-11-14T00:00:00Z","end-datetime":'
            b'"2023-11-14T23:59:59Z"},"report-id":"json-bomb","policies":[')
    raw, crc, size = deflate_repeat(head, fill * (MIB // len(fill)),
                                    total // MIB, b"0]}")
    return gzip_wrap(raw, crc, size)


# ---- zip archives, written by hand where the headers must lie

def zip_entry_local(name, method, crc, csize, usize):
    n = name.encode()
    return struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, method, 0, 0x21,
                       crc, csize, usize, len(n), 0) + n


def zip_entry_central(name, method, crc, csize, usize, offset):
    n = name.encode()
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, method,
                       0, 0x21, crc, csize, usize, len(n), 0, 0, 0, 0, 0,
                       offset) + n


def zip_end(count, cd_size, cd_offset):
    return struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, count, count, cd_size,
                       cd_offset, 0)


def zip_raw(entries):
    """entries: (name, method, crc, csize, usize, data) written as told."""
    out, central = io.BytesIO(), []
    for name, method, crc, csize, usize, data in entries:
        central.append(zip_entry_central(name, method, crc, csize, usize,
                                         out.tell()))
        out.write(zip_entry_local(name, method, crc, csize, usize) + data)
    cd = b"".join(central)
    off = out.tell()
    out.write(cd + zip_end(len(entries), len(cd), off))
    return out.getvalue()


def zip_of(members):
    """A normal zip archive of (name, bytes) members."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, (2023, 11, 14, 0, 0, 0)), data,
                       compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


# ---- e-mails

def mail(subject, mid, attachments, extra_headers=()):
    m = EmailMessage()
    m["From"] = "noreply-dmarc@hostile.test"
    m["To"] = "dmarc@example.com"
    m["Subject"] = subject
    m["Date"] = "Tue, 14 Nov 2023 22:13:20 +0000"
    m["Message-ID"] = "<%s@hostile.test>" % mid
    for k, v in extra_headers:
        m[k] = v
    m.set_content("A report, or something that says it is one.\n")
    for data, maintype, subtype, filename in attachments:
        m.add_attachment(data, maintype=maintype, subtype=subtype,
                         filename=filename)
    return m.as_bytes()


def head(mid, subject, ctype):
    return ("From: noreply-dmarc@hostile.test\nTo: dmarc@example.com\n"
            "Subject: %s\nDate: Tue, 14 Nov 2023 22:13:20 +0000\n"
            "Message-ID: <%s@hostile.test>\nMIME-Version: 1.0\n"
            "Content-Type: %s\n\n" % (subject, mid, ctype)).encode()


def gz_part(data, name):
    """A base64 application/gzip part (headers and body, no boundary)."""
    import base64
    b = base64.encodebytes(gzip.compress(data, mtime=0))
    return (('Content-Type: application/gzip; name="%s"\n'
             'Content-Disposition: attachment; filename="%s"\n'
             'Content-Transfer-Encoding: base64\n\n' % (name, name)).encode()
            + b)


def deep_mime(depth):
    """depth nested multipart/mixed, a gzip'd report at the bottom."""
    out = [head("deep-mime", "Report-ID: deep-mime",
                'multipart/mixed; boundary="b0"')]
    for i in range(1, depth):
        out.append(b'--b%d\nContent-Type: multipart/mixed; boundary="b%d"\n\n'
                   % (i - 1, i))
    out.append(b"--b%d\n" % (depth - 1))
    out.append(gz_part(report("deep-mime"), "deep.xml.gz"))
    for i in range(depth - 1, -1, -1):
        out.append(b"--b%d--\n" % i)
    return b"".join(out)


def deep_rfc822(depth):
    """depth message/rfc822 inside one another, a report at the bottom."""
    inner = mail("Report-ID: deep-rfc822", "deep-rfc822-0",
                 [(gzip.compress(report("deep-rfc822"), mtime=0),
                   "application", "gzip", "deep.xml.gz")])
    out = [head("deep-rfc822", "Fwd: report",
                "message/rfc822")]
    for i in range(1, depth):
        out.append(head("deep-rfc822-%d" % i, "Fwd: report",
                        "message/rfc822"))
    return b"".join(out) + inner


def many_parts(n):
    """One multipart/mixed with n small parts; the report is the last."""
    out = [head("many-parts", "Report-ID: many-parts",
                'multipart/mixed; boundary="p"')]
    part = b"--p\nContent-Type: text/plain\n\nx\n"
    out.append(part * (n - 1))
    out.append(b"--p\n" + gz_part(report("many-parts"), "last.xml.gz"))
    out.append(b"--p--\n")
    return b"".join(out)


def long_header(size):
    """A report mail whose Subject is one unfolded line of size bytes."""
    return (head("long-header", "Report-ID: long-header " + "A" * size,
                 'multipart/mixed; boundary="h"') + b"--h\n" +
            gz_part(report("long-header"), "long.xml.gz") + b"--h--\n")


def bomb_mail(data, name, mid):
    return mail("Report Domain: example.com Report-ID: " + mid, mid,
                [(data, "application", "gzip", name)])


# ---- hostile bytes in every field

BAD = b"\xff\xfe\xc3\x28\xe2\x82\x00\xed\xa0\x80\xf8\x88\x80\x80\x80"


def bad_xml(with_nul):
    """Every text value of a DMARC report carries invalid UTF-8 (and NULs)."""
    bad = BAD if with_nul else BAD.replace(b"\x00", b"")
    x = report("bad-utf8")
    out, i = [], 0
    while True:
        j = x.find(b"</", i)
        if j < 0:
            out.append(x[i:])
            break
        if x[j - 1:j] != b">":
            out.append(x[i:j] + bad)
        else:
            out.append(x[i:j])
        out.append(b"</")
        i = j + 2
    return b"".join(out)


def latin1_xml():
    """Declared ISO-8859-1: every high byte is a valid character."""
    x = report("latin1-\xe9t\xe9").decode().replace("UTF-8", "ISO-8859-1")
    x = x.replace("hostile.test</org_name>", "h\xf4stile\xff.test</org_name>")
    return x.encode("latin-1")


TLS = ('{"organization-name":"%s","date-range":{"start-datetime":'
       '"2023-11-14T00:00:00Z","end-datetime":"2023-11-14T23:59:59Z"},'
       '"contact-info":"%s","report-id":"%s","policies":[{"policy":'
       '{"policy-type":"sts","policy-string":["version: STSv1","%s"],'
       '"policy-domain":"example.com","mx-host":["%s"]},"summary":'
       '{"total-successful-session-count":5,"total-failure-session-count":1},'
       '"failure-details":[{"result-type":"%s","sending-mta-ip":"192.0.2.1",'
       '"receiving-mx-hostname":"%s","failed-session-count":1,'
       '"additional-information":"%s","failure-reason-code":"%s"}]}]}')


def wide_tls(policies, details):
    """gzip of a valid TLS-RPT of policies x details failure details: a
    big report, not a bomb (about 140 bytes of text a detail)."""
    detail = ('{"result-type":"certificate-host-mismatch","sending-mta-ip":'
              '"192.0.2.%d","receiving-mx-hostname":"mx%d.example.com",'
              '"failed-session-count":%d,"failure-reason-code":"X509"}')
    pols = []
    for i in range(policies):
        fds = ",".join(detail % (j % 250, j, i + j) for j in range(details))
        pols.append('{"policy":{"policy-type":"sts","policy-domain":'
                    '"d%d.example.com","mx-host":["mx.d%d.example.com"]},'
                    '"summary":{"total-successful-session-count":%d,'
                    '"total-failure-session-count":%d},"failure-details":'
                    '[%s]}' % (i, i, 100 + i, details, fds))
    text = ('{"organization-name":"hostile.test","date-range":'
            '{"start-datetime":"2023-11-14T00:00:00Z","end-datetime":'
            '"2023-11-14T23:59:59Z"},"report-id":"tls-wide","policies":[%s]}'
            % ",".join(pols))
    return gzip.compress(text.encode(), 1, mtime=0)


def escapes_tls(n):
    """gzip of a TLS-RPT whose one policy's domain is n escapes ("\\n"):
    a scanner that looks for the closing quote again after every escape
    would take hours over it."""
    text = ('{"organization-name":"hostile.test","date-range":'
            '{"start-datetime":"2023-11-14T00:00:00Z","end-datetime":'
            '"2023-11-14T23:59:59Z"},"report-id":"tls-escapes","policies":'
            '[{"policy":{"policy-type":"sts","policy-domain":"%s"}}]}'
            % ("\\n" * n))
    return gzip.compress(text.encode(), 9, mtime=0)


def bad_json(escape):
    """TLS-RPT whose every string holds invalid UTF-8 (or \\u0000 escapes)."""
    s = "x\\u0000y\\udc80z" if escape else "\x00"
    text = TLS % tuple(["bad" + s] * 9)
    data = text.encode()
    if not escape:
        data = data.replace(b"\x00", BAD.replace(b"\x00", b""))
    return data


def bad_arf():
    """An ARF report whose every field holds invalid UTF-8 and a NUL."""
    fields = (b"Feedback-Type: abuse" + BAD + b"\r\nUser-Agent: hostile/1.0" +
              BAD + b"\r\nVersion: 1\r\nOriginal-Mail-From: <a" + BAD +
              b"@example.com>\r\nArrival-Date: Tue, 14 Nov 2023 22:13:20 "
              b"+0000" + BAD + b"\r\nSource-IP: 192.0.2.1" + BAD +
              b"\r\nReported-Domain: example" + BAD + b".com\r\n"
              b"Original-Rcpt-To: <b" + BAD + b"@example.com>\r\n")
    orig = (b"From: a" + BAD + b"@example.com\r\nSubject: " + BAD +
            b"\r\nMessage-ID: <" + BAD + b"@example.com>\r\n\r\nbody" + BAD +
            b"\r\n")
    return (b"From: abuse" + BAD + b"@hostile.test\r\nTo: abuse@example.net"
            b"\r\nSubject: complaint " + BAD + b"\r\nDate: Tue, 14 Nov 2023 "
            b"22:13:20 +0000" + BAD + b"\r\nMessage-ID: <bad-arf" + BAD +
            b"@hostile.test>\r\nMIME-Version: 1.0\r\nContent-Type: "
            b"multipart/report; report-type=feedback-report; boundary=\"r\""
            b"\r\n\r\n--r\r\nContent-Type: text/plain\r\n\r\nA complaint. " +
            BAD + b"\r\n--r\r\nContent-Type: message/feedback-report\r\n\r\n" +
            fields + b"\r\n--r\r\nContent-Type: message/rfc822\r\n\r\n" +
            orig + b"--r--\r\n")


def bad_headers_mail():
    """A valid gzip'd report in a mail whose every header field and file
    name holds invalid UTF-8 and a NUL (the boundary is left readable)."""
    import base64
    body = base64.encodebytes(gzip.compress(report("bad-headers"), mtime=0))
    body = body.replace(b"\n", b"\r\n")
    return (b"From: \"n" + BAD + b"\" <noreply" + BAD + b"@hostile.test>\r\n"
            b"To: dmarc" + BAD + b"@example.com, dmarc@example.com\r\n"
            b"Subject: Report-ID: " + BAD + b"\r\nDate: " + BAD + b"\r\n"
            b"Message-ID: <" + BAD + b"@hostile.test>\r\n"
            b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; "
            b"boundary=\"q\"\r\n\r\n--q\r\n"
            b"Content-Type: application/gzip; name=\"r" + BAD +
            b".xml.gz\"\r\n"
            b"Content-Disposition: attachment; filename=\"r" + BAD +
            b".xml.gz\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + body +
            b"--q--\r\n")


# ---- entities

LAUGHS = ['<!ENTITY lol "lol">'] + [
    '<!ENTITY lol%d "%s">' % (i, ("&lol%s;" % ("" if i == 1 else i - 1)) * 10)
    for i in range(1, 10)]


def billion_laughs():
    return ('<?xml version="1.0"?>\n<!DOCTYPE feedback [\n%s\n]>\n'
            % "\n".join(LAUGHS)).encode() + report("laughs").split(
                b"?>\n", 1)[1].replace(b"hostile.test</org_name>",
                                       b"&lol9;</org_name>")


def xxe(d, kind):
    secret = os.path.abspath(os.path.join(d, "secret.txt"))
    dtd = os.path.abspath(os.path.join(d, "evil.dtd"))
    body = report("xxe-" + kind).split(b"?>\n", 1)[1]
    if kind == "entity":
        doctype = '<!DOCTYPE feedback [ <!ENTITY xxe SYSTEM "file://%s"> ]>' \
            % secret
    elif kind == "param":
        doctype = ('<!DOCTYPE feedback [ <!ENTITY %% p SYSTEM "file://%s"> '
                   '%%p; ]>' % dtd)
    else:
        doctype = '<!DOCTYPE feedback SYSTEM "file://%s">' % dtd
    body = body.replace(b"hostile.test</org_name>", b"&xxe;</org_name>")
    body = body.replace(b"<report_id>", b"<report_id>&xxe;")
    return ('<?xml version="1.0"?>\n%s\n' % doctype).encode() + body


def deep_xml(depth):
    return (b'<?xml version="1.0"?>\n<feedback>' + b"<a>" * depth +
            b"</a>" * depth + b"</feedback>\n")


# ---- the inputs, by name

_cache = {}


def once(name, fn):
    """fn() computed once (the bombs are used by several inputs)."""
    if name not in _cache:
        _cache[name] = fn()
    return _cache[name]


def build(d):
    def bomb():
        return once("bomb", lambda: xml_bomb(4 * GIB))

    secret = os.path.join(d, "secret.txt")
    inputs = {
        # 4 GiB of well-formed XML in a 4 MB gzip: the part cap stops it.
        "gzip-bomb.xml.gz": bomb,
        "gzip-bomb.eml": lambda: bomb_mail(bomb(), "bomb.xml.gz", "gzip-bomb"),
        # gzip of gzip of 4 GiB: 4 KB on disk; in a zip, and named .xml.gz.
        "gzip-gzip-bomb.zip": lambda: zip_of(
            [("bomb.xml.gz", gzip.compress(bomb(), 9, mtime=0))]),
        # A real report two gzip layers down in a zip: it is stored.
        "gzip-gzip-zip.zip": lambda: zip_of(
            [("report.xml.gz", gzip.compress(gzip.compress(
                report("gzip-gzip-zip"), mtime=0), mtime=0))]),
        # Six gzip layers: more than gzip_layers.
        "gzip-layers.gz": lambda: layers(report("gzip-layers"), 6),
        # Zips in zips in zips (42.zip): 16^3 archives of 1 GiB each.
        "zip-nested.zip": lambda: nested_zip(xml_bomb(GIB)),
        # The headers say 1,000 bytes; the data inflates to 1 GiB.
        "zip-lying.zip": lambda: lying_zip(1000),
        # The headers say 0 bytes (and a CRC of 0) for the same data.
        "zip-lying-zero.zip": lambda: lying_zip(0),
        # 5,000 entries that all point at one bomb (overlapping files).
        "zip-overlap.zip": lambda: overlap_zip(5000),
        # TLS-RPT text is read whole: a JSON bomb meets the json_bytes cap.
        "tls-bomb.json.gz": lambda: json_bomb(GIB, b" "),
        # 60 MB (under the cap) of a flat array: 30 million JSON values.
        "tls-array.json.gz": lambda: json_bomb(60 * MIB, b"0," * (MIB // 2)),
        # 8 MB of escapes in one string: read in one pass.
        "tls-escapes.json.gz": lambda: escapes_tls(4 * MIB),
        # Not hostile, big: 16 MB of TLS-RPT, 500 policies of 200 details.
        "tls-wide.json.gz": lambda: wide_tls(500, 200),
        "billion-laughs.xml": billion_laughs,
        "billion-laughs.eml": lambda: bomb_mail(
            billion_laughs(), "laughs.xml.gz", "billion-laughs"),
        "xxe-entity.xml": lambda: xxe(d, "entity"),
        "xxe-param.xml": lambda: xxe(d, "param"),
        "xxe-dtd.xml": lambda: xxe(d, "dtd"),
        "deep-xml.xml": lambda: deep_xml(10000),
        "deep-mime.eml": lambda: deep_mime(1000),
        "deep-rfc822.eml": lambda: deep_rfc822(1000),
        "many-parts.eml": lambda: many_parts(100000),
        "long-header.eml": lambda: long_header(10 * MIB),
        "bad-utf8.xml": lambda: bad_xml(False),
        "bad-nul.xml": lambda: bad_xml(True),
        "latin1.xml": latin1_xml,
        "bad-utf8.json": lambda: bad_json(False),
        "bad-escape.json": lambda: bad_json(True),
        "bad-arf.eml": bad_arf,
        "bad-headers.eml": bad_headers_mail,
    }
    return inputs, secret


def layers(data, n):
    for _ in range(n):
        data = gzip.compress(data, mtime=0)
    return data


def nested_zip(leaf_gz):
    z = zip_of([("bomb.xml.gz", leaf_gz)])
    for level in range(3):
        z = zip_of([("l%d-%02d.zip" % (level, i), z) for i in range(16)])
    return z


def lying_zip(claimed):
    raw, crc, _ = deflate_repeat(
        b'<?xml version="1.0"?>\n<feedback>\n', b" " * MIB, 1024,
        b"</feedback>\n")
    return zip_raw([("report.xml", 8, crc if claimed else 0, len(raw),
                     claimed, raw)])


def overlap_zip(n):
    raw, crc, size = deflate_repeat(
        b'<?xml version="1.0"?>\n<feedback>\n', b" " * MIB, 1024,
        b"</feedback>\n")
    local = zip_entry_local("report.xml", 8, crc, len(raw), size) + raw
    central = b"".join(zip_entry_central("r%05d.xml" % i, 8, crc, len(raw),
                                         size, 0) for i in range(n))
    return local + central + zip_end(n, len(central), len(local))


def main():
    if sys.argv[1:] == ["--list"]:
        for name in build(".")[0]:
            print(name)
        return 0
    if sys.argv[1:] == ["--marker"]:
        print(MARKER)
        return 0
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    inputs, secret = build(d)
    with open(secret, "w") as f:
        f.write(MARKER + "\n")
    with open(os.path.join(d, "evil.dtd"), "w") as f:
        f.write('<!ENTITY xxe SYSTEM "file://%s">\n'
                '<!ENTITY %% all "<!ENTITY leak \'%s\'>">\n'
                % (os.path.abspath(secret), MARKER))
    names = sys.argv[2:] or list(inputs)
    for name in names:
        if name not in inputs:
            sys.stderr.write("mkhostile.py: no input named %s\n" % name)
            return 2
        with open(os.path.join(d, name), "wb") as f:
            f.write(inputs[name]())
    return 0


if __name__ == "__main__":
    sys.exit(main())
