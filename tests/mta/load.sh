# SPDX-License-Identifier: BSD-2-Clause
# tests/mta/load.sh - the load set of load.test, kill.test and
# bench/run-load.sh (sourced after lib.sh).

GEN_REPORTS=$top_srcdir/bench/gen_reports.py

# load_set DIR N : N report e-mails of distinct reports in DIR/load/
# (list in DIR/load.list), made from the corpus's report e-mails and
# bench-data's DMARC (gzip and zip), TLS-RPT and ARF e-mails, with
# copies that carry report ids of their own (mkload.py); and in
# DIR/sent.ndjson what report-query parse reads in them. Prints
# mkload.py's line.
load_set() {
	[ -f "$GEN_REPORTS" ] || { echo "$GEN_REPORTS is missing"; return 1; }
	g="python3 $GEN_REPORTS"
	{ $g dmarc --size small --count 10 --format gz --email --seed 7 \
	    --out-dir "$1/gen/dmarc-small" &&
	$g dmarc --size typical --count 4 --format zip --email --seed 8 \
	    --out-dir "$1/gen/dmarc-typ" &&
	$g tlsrpt --size typical --count 4 --format gz --email --seed 9 \
	    --out-dir "$1/gen/tls" &&
	$g arf --count 4 --seed 10 --out-dir "$1/gen/arf"; } > /dev/null 2>&1 ||
	    { echo "gen_reports.py failed"; return 1; }
	python3 "$HERE/mkload.py" --out "$1/load" --count "$2" $(corpus_mail) \
	    "$1"/gen/*/*.eml || return 1
	find "$1/load" -name "*.eml" | sort > "$1/load.list"
	# The store should hold what report-query parse reads in the very
	# bytes sent (the program itself, not under a wrapper: it is the
	# reference here, and tested elsewhere).
	xargs "$top_builddir/report-query" parse --format ndjson \
	    < "$1/load.list" > "$1/sent.ndjson" 2> "$1/parse.err"
}

# rss_sampler PID FILE : "VmRSS RssAnon" (kB) of PID ten times a second
# into FILE while DIR/sampling exists (run it in the background).
# RssAnon is what the process allocated; most of the rest is the store's
# map, which grows with the store by design.
rss_sampler() {
	while [ -e "$W/sampling" ] && awk '/^VmRSS:/ { r = $2 }
	    /^RssAnon:/ { a = $2 } END { if (r == "") exit 1; print r, a }' \
	    "/proc/$1/status" >> "$2" 2> /dev/null; do
		sleep 0.1
	done
}

# rss_flat FILE : one line of figures; true when, after the first third
# of the samples (warm-up: caches, thread stacks), the peak RssAnon of
# the last third is within 10 % + 4 MB of the middle third's.
rss_flat() {
	python3 - "$1" <<'PY'
import sys
s = [[int(x) for x in l.split()] for l in open(sys.argv[1]) if l.strip()]
rss, anon = [x[0] for x in s] or [0], [x[1] for x in s] or [0]
k = len(s) // 3
mid, last = anon[k:2 * k] or anon, anon[2 * k:] or anon
print("%d samples: VmRSS min %d max %d, RssAnon min %d max %d, "
      "peak in the middle third %d, in the last third %d" %
      (len(s), min(rss), max(rss), min(anon), max(anon), max(mid), max(last)))
sys.exit(0 if len(s) >= 9 and max(last) <= max(mid) * 1.10 + 4096 else 1)
PY
}
