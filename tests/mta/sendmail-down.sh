#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# sendmail-down.sh WORKDIR - stop the instance that sendmail-up.sh started in
# WORKDIR/sendmail. Signals only the daemon whose pid is in the instance's own
# pid file, after checking that this pid really is that sendmail. Leaves files
# (maillog, sink, queue) for inspection.
set -u
[ $# -eq 1 ] || { echo "usage: $0 WORKDIR" >&2; exit 2; }
SMD="$(cd "$1" 2>/dev/null && pwd -P)/sendmail"
PIDFILE="$SMD/sendmail.pid"
[ -f "$PIDFILE" ] || { echo "sendmail-test: not running (no $PIDFILE)"; exit 0; }
pid=$(sed 1q "$PIDFILE" | tr -d ' ')
case $pid in ''|*[!0-9]*) echo "$0: bad pid file $PIDFILE" >&2; exit 1;; esac

# sendmail rewrites its argv and environment (process title), so identify it
# by its executable and its working directory: the daemon chdirs to its own
# queue directory, which is unique to this instance.
exe=$(readlink "/proc/$pid/exe" 2>/dev/null)
if [ "${exe##*/}" != sendmail ] || [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" != "$SMD/queue" ]; then
	echo "sendmail-test: not running (stale pid $pid)"; rm -f "$PIDFILE"; exit 0
fi
# The daemon called setsid(): its process group (pgid = pid) holds it and the
# children it forked (SMTP sessions, queue runners, deliveries).
pgid=$(ps -o pgid= -p "$pid" | tr -d ' ')
# Zombies do not count: an orphaned daemon is reaped by pid 1, which may take
# a few seconds (kill -0 succeeds on a zombie).
alive() { s=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${s#Z}" = "$s" ]; }
group() { ps -eo pid=,pgid=,stat= | awk -v g="$1" '$2 == g && $3 !~ /^Z/ { print $1 }'; }

kill -TERM "$pid" 2>/dev/null
for _ in $(seq 100); do
	alive "$pid" || break
	sleep 0.05
done
if alive "$pid"; then
	echo "$0: sendmail $pid still alive, sending KILL" >&2
	kill -KILL "$pid" 2>/dev/null
fi
# SMTP-session children end with the daemon's TERM or finish their session;
# give them a moment, then KILL whatever is left of that group.
if [ "$pgid" = "$pid" ]; then
	for _ in $(seq 40); do
		[ -z "$(group "$pgid")" ] && break
		sleep 0.05
	done
	left=$(group "$pgid")
	if [ -n "$left" ]; then
		echo "$0: killing leftover processes of group $pgid:" $left >&2
		kill -KILL -- "-$pgid" 2>/dev/null
	fi
fi
rm -f "$PIDFILE"
echo "sendmail-test down (was pid $pid)"
