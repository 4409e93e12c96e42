#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Generate every benchmark input into ${DATA:-data}/ (relative to this
# directory; bench/run-*.sh point DATA at a scratch directory). Deterministic (seed 42).
set -e
cd "$(dirname "$0")"
D=${DATA:-data}
G="python3 gen_reports.py"
mkdir -p "$D"
$G dmarc --size small   --out-file "$D/dmarc_small.xml"
$G dmarc --size typical --out-file "$D/dmarc_typical.xml"
$G dmarc --size big     --out-file "$D/dmarc_big.xml"
$G dmarc --size big --format gz  --out-file "$D/dmarc_big.xml.gz"
$G dmarc --size big --format zip --out-file "$D/dmarc_big.zip"
$G dmarc --size big --format gz --email --out-file "$D/dmarc_big_gz.eml"
# 200 typical reports, same seed -> report i is identical in every wrapping
$G dmarc --size typical --count 200 --format xml --out-dir "$D/typ200_xml"
$G dmarc --size typical --count 200 --format gz  --out-dir "$D/typ200_gz"
$G dmarc --size typical --count 200 --format gz --email --out-dir "$D/typ200_eml"
# 200 small reports (10 records: the most common real-world size) as e-mails
$G dmarc --size small --count 200 --format gz --email --out-dir "$D/small200_eml"
# TLS-RPT
$G tlsrpt --size typical --format gz --email --out-file "$D/tls_typical.eml"
$G tlsrpt --size big --out-file "$D/tls_big.json"
$G tlsrpt --size big --format gz --out-file "$D/tls_big.json.gz"
$G tlsrpt --size big --format gz --email --out-file "$D/tls_big_gz.eml"
# ~1 MB and ~20 MB emails for the MIME parser (uncompressed XML attachment, base64)
$G dmarc --records 1000  --format xml --email --out-file "$D/mail_1mb.eml"
$G dmarc --records 20000 --format xml --email --out-file "$D/mail_20mb.eml"
# ARF samples (not benchmarked here, for parser tests)
$G arf --count 10 --out-dir "$D/arf"
ls -la "$D"
