#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# pg-up.sh DIR : a private PostgreSQL in DIR, for the tests and benchmarks.
#
# initdb into DIR/data (as the user postgres when run by root: initdb
# refuses root), listening on 127.0.0.1 only, on a free port, with its
# socket in DIR; password (SCRAM) logins only. Makes the superuser
# "postgres" and the user "pusher" (who may create in the database
# "reports"), both with passwords kept in DIR/pgpass (mode 600), never on
# a command line. Writes DIR/port and DIR/conninfo ("host=127.0.0.1
# port=N user=pusher dbname=reports") and prints the port. The system's
# own cluster is never touched. pg-down.sh DIR stops it by its pid.
set -eu
dir=$1
bin=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$bin/initdb" ] || { echo "pg-up.sh: no PostgreSQL server (initdb) found" >&2; exit 1; }
mkdir -p "$dir"
chmod 0755 "$dir"
as() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
	id postgres > /dev/null 2>&1 || { echo "pg-up.sh: no user postgres" >&2; exit 1; }
	chown postgres "$dir"
	as() { runuser -u postgres -- "$@"; }
fi
su_pw=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
push_pw=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
umask 077
printf '%s\n' "$su_pw" > "$dir/su.pw"
[ "$(id -u)" -eq 0 ] && chown postgres "$dir/su.pw"
as "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/su.pw" \
    -A scram-sha-256 -E UTF8 --locale=C.UTF-8 > "$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
rm -f "$dir/su.pw"
umask 022
port=
for _ in $(seq 50); do
	p=$((30000 + $(od -An -N2 -tu2 /dev/urandom) % 20000))
	ss -Hltn "( sport = :$p )" 2>/dev/null | grep -q . || { port=$p; break; }
done
[ -n "$port" ] || { echo "pg-up.sh: no free port" >&2; exit 1; }
cat >> "$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = on
logging_collector = off
CONF
as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start > /dev/null ||
    { tail -n 20 "$dir/server.log" >&2; exit 1; }
printf '%s\n' "$port" > "$dir/port"
umask 077
printf '127.0.0.1:%s:*:postgres:%s\n127.0.0.1:%s:*:pusher:%s\n' \
    "$port" "$su_pw" "$port" "$push_pw" > "$dir/pgpass"
umask 022
printf 'host=127.0.0.1 port=%s user=pusher dbname=reports\n' "$port" > "$dir/conninfo"
PGPASSFILE=$dir/pgpass psql -X -q -v ON_ERROR_STOP=1 \
    "host=127.0.0.1 port=$port user=postgres dbname=postgres" <<SQL > /dev/null
CREATE ROLE pusher LOGIN PASSWORD '$push_pw';
CREATE DATABASE reports OWNER pusher;
SQL
echo "$port"
