#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Counts the reports that were sent against the reports in a store.

usage: tally.py SENT.ndjson STORED.ndjson

SENT holds what report-query parse gives for the files that were sent,
STORED what report-query export prints (one object a line each). A
report is known as the store's dedup key knows it (store.h): DMARC by
reporter, e-mail, report id, policy domain and date range; TLS-RPT by
organization, report id, date range and policy domains; ARF by all it
says. (Two reporters' files may share a report id and range and differ
in their records: the store keeps the first, and so does this count.)
Prints, one a line:

  sent N        reports in the files sent
  distinct N    different reports among them
  stored N      reports in the store
  lost N        different reports sent that the store lacks
  extra N       reports in the store that were never sent
  twice N       reports the store holds more than once
  redelivered N the sum of the store's "@duplicates": repeats of a
                report that reached the store again and were not kept
  duplicates N  repeats beyond those in the files sent: for each report,
                the copies held plus its "@duplicates", less the number
                of times the files sent carry it (a sample set may hold
                one report in two e-mails, which the store must count
                as a repeat)

Exits 0 when nothing is lost, extra or held twice; else 1.
"""
import collections
import hashlib
import json
import sys


def low(v):
    return v.lower() if isinstance(v, str) else v


def identity(o):
    """What the store's dedup key is made of, for one object."""
    t, r = o.get("@type"), o.get("report") or {}
    if t == "DmarcExternalReport":
        return [t, low(r.get("orgName")), low(r.get("email")),
                r.get("reportId"), low(r.get("policyDomain")),
                r.get("dateRangeBegin"), r.get("dateRangeEnd")]
    if t == "TlsExternalReport":
        return [t, low(r.get("organizationName")), r.get("reportId"),
                r.get("dateRangeStart"), r.get("dateRangeEnd"),
                sorted(low(p.get("policyDomain")) or ""
                       for p in r.get("policies") or [])]
    return [t, r]


def keys(path):
    """A digest per object, and the "@duplicates" of each digest."""
    out, dup = [], collections.Counter()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            o = json.loads(line)
            k = json.dumps(identity(o), sort_keys=True, ensure_ascii=False)
            d = hashlib.sha256(k.encode()).digest()
            dup[d] += o.get("@duplicates") or 0
            out.append(d)
    return out, dup


def main():
    sent, _ = keys(sys.argv[1])
    stored, dup = keys(sys.argv[2])
    want, have = collections.Counter(sent), collections.Counter(stored)
    lost = len(set(want) - set(have))
    extra = len(set(have) - set(want))
    twice = sum(1 for c in have.values() if c > 1)
    excess = sum(max(0, have[k] + dup[k] - want[k]) for k in have)
    for k, v in (("sent", len(sent)), ("distinct", len(want)),
                 ("stored", len(stored)), ("lost", lost), ("extra", extra),
                 ("twice", twice), ("redelivered", sum(dup.values())),
                 ("duplicates", excess)):
        print(k, v)
    return 1 if lost or extra or twice else 0


if __name__ == "__main__":
    sys.exit(main())
