#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# report-query html at scale: 10,000 DMARC aggregate reports of 200
# records each (2 million records, bench/gen_reports.py, seed 42) plus a
# hundred TLS reports and ten ARF reports, imported into a fresh store;
# then the page, with its wall time, peak RSS and size. The inputs are
# made once in $DATA/html10k. Run from the build directory after make.
set -e
here=$(cd "$(dirname "$0")" && pwd)
DATA=${DATA:-/tmp/report-milter-bench}
RQ=${RQ:-./report-query}
G="python3 $here/gen_reports.py"
IN=$DATA/html10k
if [ ! -f "$IN/done" ]; then
	mkdir -p "$IN"
	$G dmarc --size typical --count 10000 --format gz --email \
	    --out-dir "$IN/dmarc"
	$G tlsrpt --size typical --count 100 --format gz --email \
	    --out-dir "$IN/tls"
	$G arf --count 10 --out-dir "$IN/arf"
	touch "$IN/done"
fi
T=$(mktemp -d "${TMPDIR:-/var/tmp}/bench-html.XXXXXX")
trap 'rm -rf "$T"' EXIT
# Wall time and the peak RSS of the command (getrusage of the child).
measure() {
	python3 -c 'import resource, subprocess, sys, time
t = time.time()
rc = subprocess.call(sys.argv[2:], stdout=subprocess.DEVNULL if sys.argv[1] == "-q" else None)
kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("%.2f s, peak RSS %.1f MB" % (time.time() - t, kb / 1024.0))
sys.exit(rc)' "$@"
}
echo "import: $(measure -q $RQ import --store "$T/store" --jobs 2 "$IN/dmarc" "$IN/tls" "$IN/arf")"
$RQ stat --store "$T/store"
echo "html: $(measure -q $RQ html --store "$T/store" -o "$T/page.html"), page $(wc -c < "$T/page.html") bytes"
echo "summary, for comparison: $(measure -q $RQ summary --store "$T/store")"
