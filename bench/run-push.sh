#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Push benchmark: report-query push of the bench inputs (bench/make_data.sh,
# made on first use into $DATA, default /tmp/report-milter-bench) into a
# private PostgreSQL on 127.0.0.1 (tests/pg/pg-up.sh, stopped by its pid
# at the end). Prints, for the 200 typical reports (200 records each) and
# for the big one (100,000 records), the wall time of the push, DMARC
# records per second and the peak RSS of report-query. Each push goes to
# a database of its own, so each is a first, full push. Run from the build
# directory: sh ../bench/run-push.sh (or make bench-push). Needs root or a
# user who may run initdb.
set -e
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
DATA=${DATA:-/tmp/report-milter-bench}
RQ=${RQ:-./report-query}
[ -x "$RQ" ] || { echo "run-push.sh: $RQ is not built (run from the build directory)" >&2; exit 1; }
[ -f "$DATA/dmarc_big.xml.gz" ] && [ -d "$DATA/typ200_gz" ] ||
    DATA=$DATA sh "$here/make_data.sh" > /dev/null
W=$(mktemp -d /var/tmp/report-milter-bench-push.XXXXXX)
chmod 0755 "$W"
trap 'sh "$top/tests/pg/pg-down.sh" "$W/pg"; rm -rf "$W"' EXIT
port=$(sh "$top/tests/pg/pg-up.sh" "$W/pg")
export PGPASSFILE="$W/pg/pgpass"
base="host=127.0.0.1 port=$port user=pusher"
"$RQ" import --store "$W/typ" "$DATA/typ200_gz" > /dev/null
"$RQ" import --store "$W/big" "$DATA/dmarc_big.xml.gz" > /dev/null
mkdir "$W/nothing" && "$RQ" import --store "$W/empty" "$W/nothing" > /dev/null
echo "push into PostgreSQL $(psql -X -At "$base dbname=reports" -c 'SHOW server_version') on 127.0.0.1 (fsync on)"
# A database's first push creates the schema (a third of a second here),
# which every later push finds made: a push of an empty store makes it
# first, timed apart (the "schema" column), so that the figures are
# those of a push into a database in use.
printf '%-28s %9s %9s %12s %10s %8s\n' input reports seconds records/s "peak RSS" schema
n=0
for case in typ:typ200_gz big:dmarc_big.xml.gz; do
	name=${case%%:*} label=${case#*:}
	for run in 1 2 3; do
		n=$((n + 1))
		db=bench$n
		psql -X -q "host=127.0.0.1 port=$port user=postgres dbname=postgres" \
		    -c "CREATE DATABASE $db OWNER pusher"
		/usr/bin/time -f '%e' -o "$W/schema" "$RQ" push --store "$W/empty" \
		    --to "$base dbname=$db" > /dev/null
		/usr/bin/time -f '%e %M' -o "$W/time" "$RQ" push --store "$W/$name" \
		    --to "$base dbname=$db" > "$W/out"
		set -- $(cat "$W/time")
		secs=$1 rss=$2
		recs=$(sed -n 's/.*new to the database, \([0-9]*\) DMARC records.*/\1/p' "$W/out")
		reps=$(sed -n 's/^pushed \([0-9]*\) reports.*/\1/p' "$W/out")
		awk -v l="$label (run $run)" -v r="$reps" -v s="$secs" -v n="$recs" -v m="$rss" \
		    -v c="$(cat "$W/schema")" \
		    'BEGIN { printf "%-28s %9d %9.2f %12.0f %7.1f MB %6.2f s\n", l, r, s, (s > 0 ? n / s : 0), m / 1024, c }'
	done
done
