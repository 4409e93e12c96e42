#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Compares the reports in a store with what report-query parse gives.

usage: compare.py PARSED.ndjson STORED.ndjson [SENDER]

Both files hold External report objects, one a line. The store's own
members (id, receivedAt, expiresAt, and the "@duplicates" and
"@lastSeen" that export adds) are left out. The envelope fills
what a mail lacks: an object that parse gives with from "" is expected
with from SENDER (the MAIL FROM of the test), and one with an empty to
list with any to list (the report recipient the test used). Exits 0
when every parsed object is stored and nothing else is; else prints
the differences as TAP comments and exits 1.
"""
import json
import sys

STORE_ONLY = ("id", "receivedAt", "expiresAt")


def store_only(k):
    """The store's members, and what export adds ("@duplicates", ...)."""
    return k in STORE_ONLY or (k.startswith("@") and k != "@type")


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def key(obj, without_to=False):
    o = {k: v for k, v in obj.items() if not store_only(k)}
    if without_to:
        o.pop("to", None)
    return json.dumps(o, sort_keys=True, ensure_ascii=False)


def main():
    parsed, stored = load(sys.argv[1]), load(sys.argv[2])
    sender = sys.argv[3] if len(sys.argv) > 3 else ""
    full = {key(s) for s in stored}
    no_to = {key(s, True) for s in stored}
    matched, bad = set(), 0
    for p in parsed:
        if p.get("from") == "" and sender:
            p["from"] = sender
        loose = p.get("to") == []
        k = key(p, loose)
        if (k in no_to) if loose else (k in full):
            matched.add(k)
            continue
        bad += 1
        print("# parsed but not stored:", key(p)[:1500])
    for s in stored:
        if key(s) not in matched and key(s, True) not in matched:
            bad += 1
            print("# stored but not parsed:", key(s)[:1500])
    if len(stored) != len({key(s) for s in stored}):
        bad += 1
        print("# the store holds a report twice")
    print("# %d parsed, %d stored, %d differences" %
          (len(parsed), len(stored), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
