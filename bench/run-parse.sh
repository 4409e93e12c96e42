#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Parse benchmark: figures for the inputs of bench/make_data.sh (made
# on first use into $DATA, default /tmp/report-milter-bench). Run from the
# build directory: sh ../bench/run-parse.sh (after make bench/bench_parse).
set -e
here=$(cd "$(dirname "$0")" && pwd)
DATA=${DATA:-/tmp/report-milter-bench}
B=${BENCH_PARSE:-./bench/bench_parse}
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
