#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Milter benchmark: report-milter behind a real Postfix (the private one
# of tests/mta/postfix-up.sh). Run as root from the build directory:
#   make bench-milter
# One sender (bench/smtp_send, built from smtp_send.c beside this script:
# C, one thread a client, one message a session, PIPELINING, the files
# read before the clock starts) sends, at 1, 4 and 20 concurrent SMTP
# clients:
#   - report mail: typical (200 records) and small (10 records) DMARC
#     e-mails, new reports each run, into a new store;
#   - ordinary mail of the same sizes: the same e-mails with the report
#     attachment made an application/x-pdf one (same MIME structure,
#     padded to the same byte count), which report-milter walks and
#     lets through;
# and prints, per client count and size, the median accepted messages a
# second of ROUNDS runs: ordinary mail through Postfix without the
# milter, ordinary and report mail through Postfix with it (report mail
# parsed before the answer: DeferParse no), report mail as a share of
# ordinary mail with the milter, the same report mail with DeferParse
# yes, the default (kept in the journal of pending mail, one disk flush,
# and parsed once the burst is over) and its share, the daemon's CPU
# (user + system, from /proc) per message while the mail was sent, and the mean time from the end of a message's data
# to the daemon's answer (eom ms, from its StatsFile: the part of a
# message's time the parse and the durable commit take, or with
# DeferParse the journal's write). "late s": with DeferParse, the seconds
# from the last 250 until every report of the run was stored (the parse
# the SMTP clients did not wait for). Then the big DMARC report
# e-mail end to end (time, the daemon's peak RSS).
# COUNT (messages a run, default 400), ROUNDS (default 3), CLIENTS
# (default "1 4 20") change the load. Not run by make check.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(dirname "$here")
top_builddir=${top_builddir:-.}
DATA=${DATA:-/tmp/report-milter-bench}
COUNT=${COUNT:-400} ROUNDS=${ROUNDS:-3} CLIENTS=${CLIENTS:-1 4 20}
. "$top_srcdir/tests/mta/lib.sh"
SEND=${SMTP_SEND:-$top_builddir/bench/smtp_send}
B=$(port_base)
P0=$((B + 5)) P1=$((B + 6)) MPORT=$B

[ "$(id -u)" -eq 0 ] || { echo "run-milter.sh: needs root (a private Postfix)" >&2; exit 1; }
[ -x "$RM" ] || { echo "run-milter.sh: build report-milter first" >&2; exit 1; }
[ -x "$SEND" ] ||
    { echo "run-milter.sh: build bench/smtp_send first (make bench/smtp_send)" >&2; exit 1; }
[ -f "$DATA/dmarc_big_gz.eml" ] ||
    DATA=$DATA sh "$here/make_data.sh" > /dev/null
W=$(mktemp -d /var/tmp/report-milter-bench.XXXXXX)
chmod 0755 "$W"
cleanup() {
	milter_stop > /dev/null 2>&1 || true
	"$HARNESS/postfix-down.sh" "$W/plain" > /dev/null 2>&1 || true
	"$HARNESS/postfix-down.sh" "$W/milter" > /dev/null 2>&1 || true
	rm -rf "$W"
}
trap cleanup EXIT

# fresh_milter NAME [DEFER] : (re)starts report-milter on a new, empty
# store; DEFER "yes" sets DeferParse
fresh_milter() {
	milter_stop > /dev/null 2>&1 || true
	S=$W/store-$1
	rm -rf "$S"
	store_dir "$S"
	milter_conf "$W/conf" "Socket inet:$MPORT@127.0.0.1" "StoreDir $S" \
	    "StoreMaxSize 4g" "StatsFile $S/stats.prom" \
	    "DeferParse ${2:-no}" "DeferBacklog 100000"
	milter_start "$W/conf" "$W/milter-$1.log" || exit 1
}

# drained LOG : seconds until LOG shows COUNT reports stored (DeferParse:
# the parse goes on after the last 250)
drained() {
	t0=$(date +%s.%N)
	for _ in $(seq 6000); do
		[ "$(grep -c ': stored: ' "$1" || true)" -ge "$COUNT" ] && break
		sleep 0.05
	done
	python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$t0" "$(date +%s.%N)"
}
fresh_milter plain
pf_up "$W/plain" $P0 "" || exit 1
pf_up "$W/milter" $P1 "inet:127.0.0.1:$MPORT" || exit 1

# The inputs: COUNT report e-mails of each size (new report ids), and
# their ordinary twins.
for size in typical small; do
	python3 "$here/gen_reports.py" dmarc --size $size --count "$COUNT" \
	    --format gz --email --seed 16 --out-dir "$W/report-$size" > /dev/null 2>&1
	python3 - "$W/report-$size" "$W/ordinary-$size" <<'PY'
import os, re, sys
src, dst = sys.argv[1:]
os.makedirs(dst)
for name in sorted(os.listdir(src)):
    m = open(os.path.join(src, name), "rb").read()
    o = m.replace(b"application/gzip", b"application/x-pdf")
    o = re.sub(rb'\.xml\.gz"', b'.pdf"', o)
    pad = len(m) - len(o)
    assert pad >= 0
    o = o.replace(b"\nSubject: ", b"\nSubject: " + b"~" * pad, 1)
    assert len(o) == len(m)
    open(os.path.join(dst, name), "wb").write(o)
PY
done

# eom_ms DIR : the mean time from the end of a message's data to the
# answer (ms), from the counters the stopped daemon of store DIR wrote
eom_ms() {
	awk '/^report_milter_answer_seconds_sum/ { s = $2 }
	    /^report_milter_answer_seconds_count/ { n = $2 }
	    END { printf "%.2f\n", (n > 0 ? 1000 * s / n : 0) }' "$1/stats.prom"
}

# cputicks PID : user + system CPU time of the process, in clock ticks
# (0 when no daemon runs: the runs through plain Postfix)
cputicks() {
	if [ -n "$1" ]; then awk '{ print $14 + $15 }' "/proc/$1/stat"; else echo 0; fi
}
HZ=$(getconf CLK_TCK)
delivered0=0 delivered1=0
# run PORT CLIENTS DIR : sends DIR's files; prints "rate cpu_us_per_msg"
# (the daemon's CPU when PORT is the milter's Postfix)
run() {
	if [ "$1" -eq $P0 ]; then
		wait_sink "$W/plain/postfix/mail/sink/new" $delivered0 600 > /dev/null
	else
		wait_sink "$W/milter/postfix/mail/sink/new" $delivered1 600 > /dev/null
	fi
	c0=$(cputicks "$milter_pid")
	out=$("$SEND" -p "$1" -c "$2" -t dmarc@example.com "$3"/*) ||
	    echo "run-milter.sh: not every message was accepted: $out" >&2
	c1=$(cputicks "$milter_pid")
	got=$(echo "$out" | sed 's/.* accepted \([0-9]*\) .*/\1/')
	if [ "$1" -eq $P0 ]; then
		delivered0=$((delivered0 + got))
	else
		delivered1=$((delivered1 + got))
	fi
	echo "$out" | sed 's/.* rate //' | tr '\n' ' '
	python3 -c "import sys; print('%.0f' % (1e6 * ($c1 - $c0) / $HZ / max(int(sys.argv[1]), 1)))" "$got"
}

echo "report-milter benchmark ($(nproc) CPUs; $COUNT messages a run, one a" \
    "session; median of $ROUNDS runs; CPU: the daemon's, per message)"
run $P0 4 "$W/ordinary-small" > /dev/null; run $P1 4 "$W/ordinary-small" > /dev/null	# warm up
printf '%-8s %-8s %11s %19s %19s %5s %19s %5s %16s %6s\n' clients size \
    "plain msg/s" "ordinary (CPU us)" "report (CPU us)" "rep %" \
    "deferred (CPU us)" "def %" "eom ms ord/rep/def" "late s"
for c in $CLIENTS; do
	for size in typical small; do
		p= o= r= d=
		for round in $(seq "$ROUNDS"); do
			p="$p $(run $P0 "$c" "$W/ordinary-$size" | cut -d' ' -f1)"
			fresh_milter "o-$c-$size-$round"
			got=$(run $P1 "$c" "$W/ordinary-$size")
			milter_stop > /dev/null 2>&1 || true
			o="$o,$got $(eom_ms "$S")"
			fresh_milter "r-$c-$size-$round"
			got=$(run $P1 "$c" "$W/report-$size")
			milter_stop > /dev/null 2>&1 || true
			r="$r,$got $(eom_ms "$S")"
			stored=$(grep -c ': stored: ' "$W/milter-r-$c-$size-$round.log" || true)
			[ "$stored" -eq "$COUNT" ] ||
			    echo "run-milter.sh: $stored of $COUNT reports stored" >&2
			fresh_milter "d-$c-$size-$round" yes
			got=$(run $P1 "$c" "$W/report-$size")
			late=$(drained "$W/milter-d-$c-$size-$round.log")
			milter_stop > /dev/null 2>&1 || true
			d="$d,$got $(eom_ms "$S") $late"
			stored=$(grep -c ': stored: ' "$W/milter-d-$c-$size-$round.log" || true)
			[ "$stored" -eq "$COUNT" ] ||
			    echo "run-milter.sh: DeferParse: $stored of $COUNT reports stored" >&2
		done
		python3 - "$c" "$size" "$p" "$o" "$r" "$d" <<'PY'
import statistics, sys
c, size, p, o, r, d = sys.argv[1:]
med = lambda v: statistics.median(v)
plain = med([float(x) for x in p.split()])
runs = lambda t: [x.split() for x in t.split(",") if x.strip()]
col = lambda rs, i: med([float(x[i]) for x in rs])
orun, rrun, drun = runs(o), runs(r), runs(d)
orate, rrate, drate = col(orun, 0), col(rrun, 0), col(drun, 0)
print("%-8s %-8s %11.0f %11.0f (%5.0f) %11.0f (%5.0f) %4.0f%% %11.0f (%5.0f) %4.0f%% %6.2f/%.2f/%.2f %6.1f" % (
    c, size, plain, orate, col(orun, 1), rrate, col(rrun, 1),
    100 * rrate / orate, drate, col(drun, 1), 100 * drate / orate,
    col(orun, 2), col(rrun, 2), col(drun, 2), col(drun, 3)))
PY
	done
done

# The big report e-mail (100,000 records, 3.9 MB) end to end, on a new
# daemon: the 250 comes once the report is stored.
fresh_milter big
t0=$(date +%s.%N)
out=$("$SEND" -p $P1 -c 1 -t dmarc@example.com "$DATA/dmarc_big_gz.eml") || true
took=$(python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$t0" "$(date +%s.%N)")
hwm=$(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$milter_pid/status")
echo "big report e-mail ($(wc -c < "$DATA/dmarc_big_gz.eml") bytes, 100,000 records):" \
    "$took s from start to 250 ($out), daemon peak RSS $hwm"
sed -n 's/^.*report-milter\[[0-9]*\]: \([0-9A-F]*: [a-z]*: .*\)/  log: \1/p' \
    "$W/milter-big.log" | cut -c1-160
