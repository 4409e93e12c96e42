#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Milter benchmark: figures for report-milter behind a real Postfix (the
# private one of tests/mta/postfix-up.sh), on the inputs of
# bench/make_data.sh (made on first use into $DATA, default
# /tmp/report-milter-bench). Run as root from the build directory:
#   sh ../bench/run-milter.sh
# Prints: ordinary mail accepted per second through Postfix without and
# with report-milter (and the overhead), report mail stored per second,
# and the big DMARC report e-mail end to end (time, the daemon's peak RSS).
# N (ordinary messages per run, default 2000) and CONN (parallel SMTP
# connections, default 4) change the load. Not run by make check.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(dirname "$here")
top_builddir=${top_builddir:-.}
DATA=${DATA:-/tmp/report-milter-bench}
N=${N:-2000} CONN=${CONN:-4}
. "$top_srcdir/tests/mta/lib.sh"
B=$(port_base)
P0=$((B + 5)) P1=$((B + 6)) MPORT=$B

[ "$(id -u)" -eq 0 ] || { echo "run-milter.sh: needs root (a private Postfix)" >&2; exit 1; }
[ -x "$RM" ] || { echo "run-milter.sh: build report-milter first" >&2; exit 1; }
[ -f "$DATA/dmarc_big_gz.eml" ] && [ -d "$DATA/typ200_eml" ] ||
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
now() { date +%s.%N; }
rate() { python3 -c "import sys; print('%.1f' % (float(sys.argv[1]) / (float(sys.argv[3]) - float(sys.argv[2]))))" "$@"; }
secs() { python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$@"; }

# fresh_milter NAME : (re)starts report-milter on a new, empty store
fresh_milter() {
	milter_stop > /dev/null 2>&1 || true
	S=$W/store-$1
	store_dir "$S"
	milter_conf "$W/conf" "Socket inet:$MPORT@127.0.0.1" "StoreDir $S" \
	    "StoreMaxSize 4g"
	milter_start "$W/conf" "$W/milter-$1.log" || exit 1
}
fresh_milter plain
pf_up "$W/plain" $P0 "" || exit 1
pf_up "$W/milter" $P1 "inet:127.0.0.1:$MPORT" || exit 1

# send PORT TO FILE... : the files over CONN connections (round robin);
# prints the seconds it took; the answers are in $W/sent.*
send() {
	port=$1 to=$2; shift 2
	rm -f "$W"/sent.* "$W"/list.*
	i=0
	for f in "$@"; do
		echo "$f" >> "$W/list.$((i % CONN))"
		i=$((i + 1))
	done
	t0=$(now) pids=
	for c in $(seq 0 $((CONN - 1))); do
		[ -s "$W/list.$c" ] || continue
		$SEND --port "$port" --to "$to" $(cat "$W/list.$c") > "$W/sent.$c" &
		pids="$pids $!"
	done
	wait $pids	# (not the milter, which also runs in the background)
	t1=$(now)
	rm -f "$W"/list.*
	secs "$t0" "$t1"
}
accepted() { cat "$W"/sent.* | grep -c '^DATA 250 '; }

# blast PORT COUNT : COUNT ordinary messages; prints messages/s
mkmail plain bench > "$W/plain.eml"
blast() {
	set --  "$1" "$2" "$(seq "$2" | sed "s|.*|$W/plain.eml|")"
	took=$(send "$1" user@example.com $3)
	[ "$(accepted)" -eq "$2" ] || echo "run-milter.sh: not every message was accepted" >&2
	python3 -c "print('%.1f' % ($2 / $took))"
}
# cputicks PID : user + system CPU time of the process, in clock ticks
cputicks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
drain() {	# drain DIR COUNT : waits for COUNT deliveries in DIR's sink
	wait_sink "$1/postfix/mail/sink/new" "$2" 600 > /dev/null
}

echo "report-milter benchmark ($(nproc) CPUs, $CONN SMTP connections)"
blast $P0 200 > /dev/null; blast $P1 200 > /dev/null	# warm up
d0=200 d1=200 r0s= r1s= cpu=0
# Rounds alternate which goes first, so that a trend favours neither.
for round in 1 2 3 4; do
	for which in $( [ $((round % 2)) -eq 1 ] && echo "0 1" || echo "1 0"); do
		if [ "$which" -eq 0 ]; then
			drain "$W/plain" $d0; r=$(blast $P0 "$N"); d0=$((d0 + N)); r0s="$r0s $r"
		else
			drain "$W/milter" $d1
			c0=$(cputicks "$milter_pid")
			r=$(blast $P1 "$N"); d1=$((d1 + N)); r1s="$r1s $r"
			cpu=$((cpu + $(cputicks "$milter_pid") - c0))
		fi
	done
done
N=$N CPU=$cpu HZ=$(getconf CLK_TCK) python3 - $r0s / $r1s <<'PY'
import os, statistics, sys
a = sys.argv[1:]
i = a.index("/")
r0, r1 = [float(x) for x in a[:i]], [float(x) for x in a[i + 1:]]
m0, m1 = statistics.median(r0), statistics.median(r1)
print("ordinary mail through Postfix (%s messages a run, median of %d):"
      % (os.environ["N"], len(r0)))
print("  without report-milter %.0f msg/s  (runs: %s)" % (m0, " ".join("%.0f" % x for x in r0)))
print("  with report-milter    %.0f msg/s  (runs: %s)" % (m1, " ".join("%.0f" % x for x in r1)))
print("  overhead %.1f %%" % (100 * (1 - m1 / m0)))
cpu = int(os.environ["CPU"]) / int(os.environ["HZ"])
print("  report-milter's own CPU: %.0f us per ordinary message" %
      (1e6 * cpu / (len(r1) * int(os.environ["N"]))))
PY
drain "$W/plain" $d0; drain "$W/milter" $d1

# Report mail: typical (200 records) and small (10 records) DMARC e-mails,
# each set into a new store (the sets share report ids).
for set in typ200_eml small200_eml; do
	fresh_milter "$set"
	c0=$(cputicks "$milter_pid")
	took=$(send $P1 dmarc@example.com "$DATA/$set"/*)
	c1=$(cputicks "$milter_pid")
	got=$(grep -c ': stored: ' "$W/milter-$set.log" || true)
	echo "report mail through Postfix ($set): $got of $(accepted) stored in $took s," \
	    "$(python3 -c "print('%.0f' % ($got / $took))") reports/s;" \
	    "report-milter CPU $(python3 -c "print('%.1f' % (1000 * ($c1 - $c0) / $(getconf CLK_TCK) / max($got, 1)))") ms a report"
done

# The big report e-mail (100,000 records, 3.9 MB) end to end, on a new
# daemon: the 250 comes once the report is stored.
fresh_milter big
took=$(send $P1 dmarc@example.com "$DATA/dmarc_big_gz.eml")
hwm=$(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$milter_pid/status")
echo "big report e-mail ($(wc -c < "$DATA/dmarc_big_gz.eml") bytes, 100,000 records):" \
    "$took s from connect to 250 ($(cut -d' ' -f1-2 "$W"/sent.*)), daemon peak RSS $hwm"
sed -n 's/^.*report-milter\[[0-9]*\]: \([0-9A-F]*: [a-z]*: .*\)/  log: \1/p' \
    "$W/milter-big.log" | cut -c1-160
