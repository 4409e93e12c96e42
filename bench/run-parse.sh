#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Parse benchmark: figures for the inputs of bench/make_data.sh (made
# on first use into $DATA, default /tmp/report-milter-bench). Run from the
# build directory: sh ../bench/run-parse.sh (after make bench/bench_parse).
set -e
here=$(cd "$(dirname "$0")" && pwd)
DATA=${DATA:-/tmp/report-milter-bench}
B=${BENCH_PARSE:-./bench/bench_parse}
RQ=${RQ:-./report-query}
[ -f "$DATA/dmarc_big.xml" ] || DATA=$DATA sh "$here/make_data.sh" > /dev/null
size() { cat "$@" | wc -c; }
big=$(size "$DATA/dmarc_big.xml")
typ=$(size "$DATA"/typ200_xml/*)
tls=$(size "$DATA/tls_big.json")
$B -l "dmarc_big.xml" -t "$big" "$DATA/dmarc_big.xml"
$B -l "dmarc_big.xml.gz" -t "$big" "$DATA/dmarc_big.xml.gz"
$B -l "dmarc_big.zip" -t "$big" "$DATA/dmarc_big.zip"
$B -l "dmarc_big_gz.eml" -t "$big" "$DATA/dmarc_big_gz.eml"
$B -l "typ200_xml" -t "$typ" "$DATA"/typ200_xml/*
$B -l "typ200_eml" -t "$typ" "$DATA"/typ200_eml/*
$B -l "small200_eml" "$DATA"/small200_eml/*
$B -l "tls_big.json" -t "$tls" "$DATA/tls_big.json"
$B -l "tls_big_gz.eml" -t "$tls" "$DATA/tls_big_gz.eml"
$B -l "mail_20mb.eml" "$DATA/mail_20mb.eml"

# report-query parse as a user runs it, output to /dev/null: the median
# of 3 runs, MB/s of XML text and the peak RSS, beside bench_parse above
# (the parsers alone, records dropped).
rq_parse() {	# rq_parse FORMAT FILE TEXT_BYTES
	python3 - "$@" "$RQ" <<'PY'
import os, resource, subprocess, sys, time
fmt, path, text, rq = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
runs = []
for _ in range(3):
    t = time.monotonic()
    with open(os.devnull, "wb") as null:
        subprocess.check_call([rq, "parse", "--format", fmt, path], stdout=null)
    runs.append(time.monotonic() - t)
s = sorted(runs)[1]
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("%-28s %8.3f s %8.1f MB/s text  peak RSS %6.1f MB" % (
    "parse --format " + fmt, s, text / s / 1e6, rss))
PY
}
if [ -x "$RQ" ]; then
	echo "report-query parse of dmarc_big.xml.gz:"
	rq_parse ndjson "$DATA/dmarc_big.xml.gz" "$big"
	rq_parse json "$DATA/dmarc_big.xml.gz" "$big"
fi
