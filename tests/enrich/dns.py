#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""A private DNS server on loopback for the enrich tests.

dns.py ZONEFILE PORTFILE [silent]: serves the records of ZONEFILE (lines
"NAME TYPE VALUE", TTL 300) on a free UDP port of 127.0.0.1 written to
PORTFILE; "silent" reads every query and answers none. Stopped by pid.
"""
import socket
import sys

from dnslib import AAAA, A, DNSRecord, PTR, QTYPE, RCODE, RR

zone, portfile = sys.argv[1], sys.argv[2]
silent = len(sys.argv) > 3 and sys.argv[3] == "silent"
records = {}
with open(zone) as f:
    for line in f:
        p = line.split()
        if len(p) == 3:
            records.setdefault((p[0].lower().rstrip("."), p[1]), []).append(p[2])
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(("127.0.0.1", 0))
with open(portfile + ".tmp", "w") as f:
    f.write("%d\n" % sock.getsockname()[1])
import os  # noqa: E402
os.rename(portfile + ".tmp", portfile)
make = {"PTR": PTR, "A": A, "AAAA": AAAA}
while True:
    data, peer = sock.recvfrom(4096)
    if silent:
        continue
    try:
        q = DNSRecord.parse(data)
    except Exception:
        continue
    name = str(q.q.qname).lower().rstrip(".")
    qt = QTYPE[q.q.qtype]
    a = q.reply()
    vals = records.get((name, qt), [])
    if not vals and not any(k[0] == name for k in records):
        a.header.rcode = RCODE.NXDOMAIN
    for v in vals:
        a.add_answer(RR(q.q.qname, q.q.qtype, ttl=300, rdata=make[qt](v)))
    sock.sendto(a.pack(), peer)
