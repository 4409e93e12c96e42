#!/bin/sh
# Milter benchmark: figures for report-milter behind a real Postfix (the
# private one of ../shared/mta-harness), on the inputs of
# ../shared/bench-data (made on first use into $DATA, default
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
shared=${SHARED:-$top_srcdir/../shared}
DATA=${DATA:-/tmp/report-milter-bench}
N=${N:-2000} CONN=${CONN:-4}
P0=10625 P1=10626 MPORT=10630
. "$top_srcdir/tests/mta/lib.sh"

[ "$(id -u)" -eq 0 ] || { echo "run-milter.sh: needs root (a private Postfix)" >&2; exit 1; }
[ -x "$RM" ] || { echo "run-milter.sh: build report-milter first" >&2; exit 1; }
[ -f "$DATA/dmarc_big_gz.eml" ] && [ -d "$DATA/typ200_eml" ] ||
    DATA=$DATA sh "$shared/bench-data/make_data.sh" > /dev/null
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

S=$W/store
store_dir "$S"
milter_conf "$W/conf" "Socket inet:$MPORT@127.0.0.1" "StoreDir $S" "StoreMaxSize 4g"
milter_start "$W/conf" "$W/milter.log" || exit 1
pf_up "$W/plain" $P0 "" || exit 1
pf_up "$W/milter" $P1 "inet:127.0.0.1:$MPORT" || exit 1

# blast PORT COUNT : COUNT ordinary messages over CONN connections; prints msg/s
mkmail plain bench > "$W/plain.eml"
blast() {
	per=$(($2 / CONN)) files=
	for _ in $(seq "$per"); do files="$files $W/plain.eml"; done
	t0=$(now)
	for c in $(seq "$CONN"); do
		$SEND --port "$1" --to user@example.com $files > "$W/blast.$c" &
	done
	wait
	t1=$(now)
	[ "$(cat "$W"/blast.* | grep -c '^DATA 250 ')" -eq $((per * CONN)) ] ||
	    echo "run-milter.sh: not every message was accepted" >&2
	rate $((per * CONN)) "$t0" "$t1"
}
drain() {	# drain DIR COUNT : waits for COUNT deliveries in DIR's sink
	wait_sink "$1/postfix/mail/sink/new" "$2" 600 > /dev/null
}

echo "report-milter benchmark ($(nproc) CPUs, $CONN SMTP connections, $N messages a run)"
blast $P0 200 > /dev/null; blast $P1 200 > /dev/null	# warm up
d0=200 d1=200
best0=0 best1=0
for round in 1 2 3; do
	drain "$W/plain" $d0; r0=$(blast $P0 "$N"); d0=$((d0 + N))
	drain "$W/milter" $d1; r1=$(blast $P1 "$N"); d1=$((d1 + N))
	echo "  round $round: without $r0 msg/s, with report-milter $r1 msg/s"
	best0=$(python3 -c "print(max($best0, $r0))"); best1=$(python3 -c "print(max($best1, $r1))")
done
echo "ordinary mail through Postfix: $best0 msg/s without, $best1 msg/s with report-milter" \
    "(overhead $(python3 -c "print('%.1f' % (100 * (1 - $best1 / $best0)))") %, best of 3)"
drain "$W/plain" $d0; drain "$W/milter" $d1

# Report mail: typical (200 records) and small (10 records) DMARC e-mails.
for set in typ200_eml small200_eml; do
	before=$(grep -c ': stored: ' "$W/milter.log" || true)
	t0=$(now)
	$SEND --port $P1 --to dmarc@example.com "$DATA/$set"/* > "$W/sent.$set"
	t1=$(now)
	got=$(($(grep -c ': stored: ' "$W/milter.log") - before))
	echo "report mail through Postfix ($set): $got stored in $(secs "$t0" "$t1") s," \
	    "$(rate "$got" "$t0" "$t1") reports/s (one connection)"
done

# The big report e-mail (100,000 records, 3.9 MB) end to end: the 250 comes
# after the report is stored.
t0=$(now)
$SEND --port $P1 --to dmarc@example.com "$DATA/dmarc_big_gz.eml" > "$W/sent.big"
t1=$(now)
hwm=$(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$milter_pid/status")
echo "big report e-mail ($(wc -c < "$DATA/dmarc_big_gz.eml") bytes, 100,000 records):" \
    "$(secs "$t0" "$t1") s from DATA to 250 ($(cut -d' ' -f1-2 "$W/sent.big")); daemon peak RSS $hwm"
grep ': stored: ' "$W/milter.log" | tail -1 | sed 's/^.*: \([0-9A-F]*: stored: \)/  \1/'
