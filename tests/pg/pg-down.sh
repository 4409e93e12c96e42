#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# pg-down.sh DIR : stops the PostgreSQL that pg-up.sh started in DIR, by
# the pid in its postmaster.pid (a fast shutdown, then SIGKILL after 30 s).
dir=$1
pidf=$dir/data/postmaster.pid
[ -f "$pidf" ] || exit 0
pid=$(head -n 1 "$pidf")
case $pid in ''|*[!0-9]*) exit 0 ;; esac
kill -INT "$pid" 2> /dev/null || exit 0
for _ in $(seq 300); do
	kill -0 "$pid" 2> /dev/null || exit 0
	sleep 0.1
done
kill -KILL "$pid" 2> /dev/null
exit 0
