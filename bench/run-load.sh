#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Load benchmark: N report e-mails (default 10,000) of distinct reports
# through a private Postfix (tests/mta/postfix-up.sh) into report-milter,
# sent by CLIENTS concurrent SMTP clients (default 20). The mail is the
# corpus's report e-mails and bench/make_data.sh's (typ200_eml,
# small200_eml, arf/, tls_typical.eml in $DATA, default
# /tmp/report-milter-bench, made on first use), with rewritten copies
# that carry report ids of their own (tests/mta/mkload.py). Run as root
# from the build directory:
#   sh ../bench/run-load.sh
# Prints: messages sent and accepted, reports sent and stored, lost,
# duplicates, crashes, messages/s, and the daemon's RSS over the run
# (samples, min, max). tests/mta/load.test is the reduced version that
# make check runs. Exits 1 when a report was lost or stored twice, or
# the daemon crashed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(dirname "$here")
top_builddir=${top_builddir:-.}
DATA=${DATA:-/tmp/report-milter-bench}
N=${N:-10000} CLIENTS=${CLIENTS:-20}
. "$top_srcdir/tests/mta/lib.sh"
. "$HERE/load.sh"

[ "$(id -u)" -eq 0 ] || { echo "run-load.sh: needs root (a private Postfix)" >&2; exit 1; }
[ -x "$RM" ] || { echo "run-load.sh: build report-milter first" >&2; exit 1; }
[ -d "$DATA/typ200_eml" ] && [ -d "$DATA/small200_eml" ] && [ -d "$DATA/arf" ] ||
    DATA=$DATA sh "$here/make_data.sh" > /dev/null
W=$(mktemp -d /var/tmp/report-milter-load.XXXXXX)
chmod 0755 "$W"
cleanup() {
	milter_stop > /dev/null 2>&1
	"$HARNESS/postfix-down.sh" "$W/pf" > /dev/null 2>&1
	[ -n "${KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT
B=$(port_base)
PORT=$((B + 5)) MPORT=$B
S=$W/store LOG=$W/milter.log
SINK=$W/pf/postfix/mail/sink/new

# The mail: corpus and bench-data sources, copied up to N.
python3 "$HERE/mkload.py" --out "$W/load" --count "$N" $(corpus_mail) \
    "$DATA"/typ200_eml/*.eml "$DATA"/small200_eml/*.eml "$DATA"/arf/*.eml \
    "$DATA"/tls_typical.eml > "$W/mkload.out" || { cat "$W/mkload.out"; exit 1; }
find "$W/load" -name "*.eml" | sort > "$W/load.list"	# N may pass ARG_MAX
[ "$(wc -l < "$W/load.list")" -eq "$N" ] ||
    { echo "run-load.sh: $(wc -l < "$W/load.list") messages made, not $N" >&2; exit 1; }
xargs "$top_builddir/report-query" parse --format ndjson < "$W/load.list" \
    > "$W/sent.ndjson" 2> "$W/parse.err"

store_dir "$S"
milter_conf "$W/conf" "Socket inet:$MPORT@127.0.0.1" "StoreDir $S" \
    "StoreMaxSize 4g"
milter_start "$W/conf" "$LOG" || exit 1
pf_up "$W/pf" $PORT "inet:127.0.0.1:$MPORT" || exit 1
echo "report-milter load: $N messages ($(cat "$W/mkload.out")), $CLIENTS SMTP" \
    "clients, $(nproc) CPUs"

: > "$W/sampling"
rss_sampler "$milter_pid" "$W/rss" &
sampler=$!
python3 "$HERE/smtp-load.py" --port $PORT --clients "$CLIENTS" \
    --to dmarc@example.com --list "$W/load.list" > "$W/sent"
rm -f "$W/sampling"
wait "$sampler"
crashes=0
kill -0 "$milter_pid" 2> /dev/null || crashes=1
wait_sink "$SINK" "$N" 300 > /dev/null
delivered=$(sink_count "$SINK")

stored "$S" > "$W/stored.ndjson"
python3 "$HERE/tally.py" "$W/sent.ndjson" "$W/stored.ndjson" > "$W/tally"
status=$?
fig() { sed -n "s/^$1 //p" "$W/tally"; }
milter_stop > /dev/null 2>&1 || crashes=$((crashes + 1))
tail -1 "$W/sent" | sed 's/^# /SMTP: /'
echo "delivered by Postfix: $delivered of $N"
echo "reports: sent $(fig sent) ($(fig distinct) distinct), stored $(fig stored)," \
    "lost $(fig lost), duplicates $(fig duplicates) (stored twice $(fig twice)," \
    "repeats counted $(fig redelivered), of which the mail itself carries" \
    "$(( $(fig sent) - $(fig distinct) )))"
echo "crashes: $crashes (daemon alive through the run, stopped with status 0)"
rss_flat "$W/rss" > "$W/rss.fig"
flat=$?
echo "daemon RSS (kB): $(cat "$W/rss.fig")"
[ $flat -eq 0 ] && echo "RSS: flat" || echo "RSS: NOT flat"
echo "milter log: $(grep -c ': stored: ' "$LOG") stored, $(grep -c ': duplicate: ' "$LOG")" \
    "duplicate, $(grep -c ': tempfail: ' "$LOG") tempfail"
[ $status -eq 0 ] && [ $crashes -eq 0 ]
