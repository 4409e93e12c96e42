#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# postfix-down.sh WORKDIR - stop the instance that postfix-up.sh started in
# WORKDIR/postfix. Signals only the master whose pid is in the instance's own
# pid file (master's children exit with it). Leaves files for inspection.
set -u
[ $# -eq 1 ] || { echo "usage: $0 WORKDIR" >&2; exit 2; }
command -v postfix >/dev/null || PATH=$PATH:/usr/sbin:/sbin
PF="$(cd "$1" 2>/dev/null && pwd -P)/postfix"
PIDFILE="$PF/spool/pid/master.pid"
[ -f "$PIDFILE" ] || { echo "postfix-test: not running (no $PIDFILE)"; exit 0; }
pid=$(sed 1q "$PIDFILE" | tr -d ' ')
case $pid in ''|*[!0-9]*) echo "$0: bad pid file $PIDFILE" >&2; exit 1;; esac

# Only act if that pid really is this instance's master (pid files go stale).
if [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" != /usr/lib/postfix/sbin/master ] ||
   ! tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qx "MAIL_CONFIG=$PF/etc"; then
	echo "postfix-test: not running (stale pid $pid)"; rm -f "$PIDFILE"; exit 0
fi
# "postfix stop" = kill -TERM <pid from master.pid>, then waits up to 5 s.
postfix -c "$PF/etc" stop 2>/dev/null || kill -TERM "$pid" 2>/dev/null
for _ in $(seq 100); do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.05
done
if kill -0 "$pid" 2>/dev/null; then
	echo "$0: master $pid still alive, sending KILL to its process group" >&2
	kill -KILL -- "-$pid" 2>/dev/null
fi
# master's children (smtpd, qmgr, postlogd...) notice the closed master
# status pipe and exit within a second; wait for them (same process group).
for _ in $(seq 40); do
	pgrep -g "$pid" >/dev/null 2>&1 || break
	sleep 0.05
done
rm -f "$PIDFILE"
echo "postfix-test down (was pid $pid)"
