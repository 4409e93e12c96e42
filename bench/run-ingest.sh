#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Ingest benchmark: report mail of bench/make_data.sh through the one
# ingest path into a fresh store; every call returns once its message is
# on disk. With "jobs 1" that is one durable commit per message; with
# more jobs (as report-milter's connection threads and import --jobs)
# writers that meet share commits, and "commits" says how many were made.
# The "flush" lines, before and after, say what two durable 4 KB writes
# (an LMDB commit's least) cost the same filesystem at the time: the
# most commits per second any store could make there.
# Run from the build directory after make bench/bench_ingest bench/bench_flush.
set -e
here=$(cd "$(dirname "$0")" && pwd)
DATA=${DATA:-/tmp/report-milter-bench}
B=${BENCH_INGEST:-./bench/bench_ingest}
F=${BENCH_FLUSH:-./bench/bench_flush}
[ -f "$DATA/dmarc_big.xml" ] || DATA=$DATA sh "$here/make_data.sh" > /dev/null
T=$(mktemp -d "${TMPDIR:-/var/tmp}/bench-ingest.XXXXXX")
trap 'rm -rf "$T"' EXIT
$F -l "flush, before" "$T"
for j in 1 4; do
	rm -rf "$T/typ" "$T/small"
	$B -j $j -s "$T/typ" -l "typ200_eml" "$DATA"/typ200_eml/*
	$B -j $j -s "$T/small" -l "small200_eml" "$DATA"/small200_eml/*
done
$B -s "$T/big" -l "dmarc_big_gz.eml" "$DATA/dmarc_big_gz.eml"
$B -s "$T/bigxml" -l "dmarc_big.xml.gz" "$DATA/dmarc_big.xml.gz"
$B -s "$T/tls" -l "tls_big_gz.eml" "$DATA/tls_big_gz.eml"
$F -l "flush, after" "$T"
