#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""A private DNS server on loopback for the enrich tests.

dns.py ZONEFILE PORTFILE [silent]: serves the records of ZONEFILE (lines
"NAME TYPE VALUE", TTL 300) on a free UDP port of 127.0.0.1 written to
PORTFILE; "silent" reads every query and answers none; "synth" answers
every IPv4 PTR query with a name h-A-B-C-D.bench.example that resolves
back, each answer held DELAY seconds (the environment; default 0) as a
slow resolver would, many in flight at once. Stopped by pid.
"""
import heapq
import os
import select
import socket
import sys
import time

from dnslib import AAAA, A, DNSRecord, PTR, QTYPE, RCODE, RR

zone, portfile = sys.argv[1], sys.argv[2]
mode = sys.argv[3] if len(sys.argv) > 3 else ""
silent = mode == "silent"
delay = float(os.environ.get("DELAY", "0"))
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
os.rename(portfile + ".tmp", portfile)
make = {"PTR": PTR, "A": A, "AAAA": AAAA}


def synth(name, qt):
    """The made-up records of the synth mode."""
    p = name.split(".")
    if qt == "PTR" and name.endswith(".in-addr.arpa") and len(p) == 6:
        return ["h-%s.bench.example." % "-".join(reversed(p[:4]))]
    if qt == "A" and name.endswith(".bench.example"):
        return [".".join(p[0].split("-")[1:5])]
    return []


held = []  # (when, seq, packet, peer)
seq = 0
while True:
    # Answers come due whether or not queries keep arriving.
    while held and held[0][0] <= time.monotonic():
        _, _, pkt, peer = heapq.heappop(held)
        sock.sendto(pkt, peer)
    wait = max(0, held[0][0] - time.monotonic()) if held else None
    if select.select([sock], [], [], wait)[0] == []:
        continue
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
    vals = synth(name, qt) if mode == "synth" else records.get((name, qt), [])
    if not vals and (mode == "synth" or not any(k[0] == name
                                                 for k in records)):
        a.header.rcode = RCODE.NXDOMAIN
    for v in vals:
        a.add_answer(RR(q.q.qname, q.q.qtype, ttl=300, rdata=make[qt](v)))
    if delay > 0:
        seq += 1
        heapq.heappush(held, (time.monotonic() + delay, seq, a.pack(), peer))
    else:
        sock.sendto(a.pack(), peer)
