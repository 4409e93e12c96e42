#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# demo.sh - report-milter end to end on this machine, in two minutes.
#
# Starts a private Postfix on 127.0.0.1 (tests/mta/postfix-up.sh) that calls
# report-milter, sends every report e-mail of tests/corpus through it,
# stops both, copies the store to ./report-store and prints
# "report-query summary" of it. Needs root (the private Postfix), the
# Debian postfix package (installed with "No configuration"), python3,
# and a build: run it from the build directory (or set BUILD).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
BUILD=${BUILD:-.}
HARNESS=${MTA_HARNESS:-$src/tests/mta}
CORPUS=${CORPUS:-$src/tests/corpus}
PORT=${DEMO_PORT:-10525} MPORT=${DEMO_MILTER_PORT:-10530}

[ "$(id -u)" -eq 0 ] || { echo "demo.sh: run it as root (it starts a private Postfix)" >&2; exit 1; }
for p in report-milter report-query; do
	[ -x "$BUILD/$p" ] || { echo "demo.sh: no $BUILD/$p: build first (make), or set BUILD" >&2; exit 1; }
done
# Under /var/tmp: the postfix and nobody users must reach it.
W=$(mktemp -d /var/tmp/report-milter-demo.XXXXXX)
chmod 0755 "$W"
mkdir "$W/store" "$W/tmp"
chown nobody:nogroup "$W/store" "$W/tmp"
cat > "$W/report-milter.conf" <<CONF
Socket			inet:$MPORT@127.0.0.1
UserID			nobody
StoreDir		$W/store
TemporaryDirectory	$W/tmp
AddHeader		yes
CONF
milter_pid=
stop() {
	"$HARNESS/postfix-down.sh" "$W" > /dev/null 2>&1 || true
	if [ -n "$milter_pid" ]; then kill -TERM "$milter_pid" 2> /dev/null; wait "$milter_pid" || true; fi
	milter_pid=
}
trap stop EXIT

echo "== report-milter (log: $W/milter.log)"
"$BUILD/report-milter" -f -c "$W/report-milter.conf" > "$W/milter.log" 2>&1 &
milter_pid=$!
for _ in $(seq 100); do grep -q 'listening on' "$W/milter.log" && break; sleep 0.1; done
sed -n '1p' "$W/milter.log"
echo "== a private Postfix on 127.0.0.1:$PORT"
PF_PORT=$PORT PF_MILTER=inet:127.0.0.1:$MPORT "$HARNESS/postfix-up.sh" "$W"

awk -F'\t' -v c="$CORPUS" 'NR > 1 && $7 == "yes" && $3 == "eml" { print c "/" $1 }' \
    "$CORPUS/MANIFEST.tsv" > "$W/mail.list"
echo "== sending $(wc -l < "$W/mail.list") report e-mails to dmarc@example.com"
python3 "$src/tests/mta/smtp-send.py" --port "$PORT" --to dmarc@example.com \
    $(cat "$W/mail.list") > "$W/answers"
echo "   SMTP answers: $(cut -d' ' -f2 "$W/answers" | sort | uniq -c | tr -s ' ' | tr '\n' ' ')"
sleep 2
echo "   delivered: $(ls "$W/postfix/mail/sink/new" | wc -l); milter log:" \
    "$(grep -c ': stored: ' "$W/milter.log") stored," \
    "$(grep -c ': duplicate: ' "$W/milter.log") duplicate"
grep -m 2 ': stored: ' "$W/milter.log" | sed 's/^/   /'
stop
rm -rf ./report-store
cp -r "$W/store" ./report-store
echo "== ./report-query summary --store ./report-store"
"$BUILD/report-query" summary --store ./report-store
echo "== done: the store is in ./report-store; the run in $W"
