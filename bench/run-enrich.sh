#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Enrichment benchmark: report-query enrich of the distinct source IPs of
# the bench inputs (bench/make_data.sh, made on first use into $DATA,
# default /tmp/report-milter-bench: the big DMARC report and the 200
# typical ones) against a private DNS server on 127.0.0.1
# (tests/enrich/dns.py in its synth mode: every IPv4 address gets a name
# that resolves back; IPv6 ones get NXDOMAIN), stopped by its pid at the
# end. Prints the sources, seconds and lookups per second of a first run
# with the server answering at once and with each answer held $DELAY
# seconds (default 0.2: a slow resolver), --jobs $JOBS (default 200), and
# of a second run (nothing due). Run from the build directory:
# sh ../bench/run-enrich.sh (or make bench-enrich). Needs python3-dnslib.
set -e
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
DATA=${DATA:-/tmp/report-milter-bench}
RQ=${RQ:-./report-query}
JOBS=${JOBS:-200}
SLOW=${DELAY:-0.2}
[ -x "$RQ" ] || { echo "run-enrich.sh: $RQ is not built (run from the build directory)" >&2; exit 1; }
[ -f "$DATA/dmarc_big.xml.gz" ] && [ -d "$DATA/typ200_gz" ] ||
    DATA=$DATA sh "$here/make_data.sh" > /dev/null
W=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || kill "$pid"; rm -rf "$W"' EXIT
"$RQ" import --store "$W/s" "$DATA/dmarc_big.xml.gz" "$DATA/typ200_gz" > /dev/null
: > "$W/zone"
printf '%-26s %8s %9s %9s %10s\n' run sources looked-up seconds lookups/s
for delay in 0 "$SLOW"; do
	rm -rf "$W/c" "$W/port"
	cp -r "$W/s" "$W/c"
	DELAY=$delay python3 "$top/tests/enrich/dns.py" "$W/zone" "$W/port" synth &
	pid=$!
	while [ ! -s "$W/port" ]; do sleep 0.1; done
	for run in first second; do
		out=$("$RQ" enrich --store "$W/c" --resolver "127.0.0.1:$(cat "$W/port")" \
		    --jobs "$JOBS" --timeout 5)
		# "N sources: M looked up in S s (R/s), ..."
		set -- $out
		printf '%-26s %8s %9s %9s %10s\n' "$run, answers +${delay}s" "$1" "$3" \
		    "$7" "$(echo "$9" | tr -d '(/s),')"
	done
	kill "$pid"
	wait "$pid" 2> /dev/null || :
	pid=
done
