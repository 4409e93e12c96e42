#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# sendmail-up.sh WORKDIR - start a private Sendmail on 127.0.0.1 whose config,
# queue, pid file, mail sink and log all live under WORKDIR/sendmail.
#
# Sendmail is NOT installed (Debian's sendmail-bin conflicts with postfix):
# sendmail-bin, sendmail-base and sendmail-cf are fetched with
# "apt-get download" and unpacked with "dpkg -x" into $SM_ROOT; only their
# library dependencies (libdb5.3, libldap-2.5-0, libsasl2-2, libwrap0, m4, ...)
# are installed with apt-get, and only when missing. /etc/mail, any system
# Sendmail or Postfix and syslog are never touched.
#
# Environment (all optional):
#   SM_PORT             SMTP listen port on 127.0.0.1          (default 10026)
#   SM_MILTER           milter socket, Sendmail syntax          (default inet:10030@127.0.0.1)
#                       e.g. unix:/abs/path/milter.sock; Postfix-style
#                       inet:HOST:PORT is converted; empty = no milter
#   SM_MILTER_FLAGS     F= of the filter: T tempfail / R reject when the milter
#                       is unreachable; empty = carry on without it  (default T)
#   SM_MILTER_TIMEOUTS  T= of the filter                        (default C:10s;S:30s;R:60s;E:5m)
#   SM_LOGLEVEL         LogLevel and Milter.LogLevel            (default 12)
#   SM_HOSTNAME         $j, and the name gethostname() returns to sendmail (default mta.test)
#   SM_EXTRA            extra .mc lines, inserted before MAILER() (e.g. define(`confMILTER_MACROS_EOM', ...))
#   SM_ROOT             unpacked packages, reused when present  (default WORKDIR/sendmail-pkg)
#   SM_DEBS             directory holding the three .deb files (skips apt-get download)
#
# Every message accepted for any recipient is delivered, one file per
# recipient (Maildir style), into WORKDIR/sendmail/mail/sink/new/.
# Log: WORKDIR/sendmail/maillog (sendmail's syslog lines, written by a small
# LD_PRELOAD shim, built here with cc, that sends syslog(3) to that file and
# hands sendmail a qualified host name; see the gotchas in README.md).
# Needs: root, cc, apt-get (unless SM_ROOT is already populated).
set -eu

[ $# -eq 1 ] || { echo "usage: $0 WORKDIR" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "$0: must run as root" >&2; exit 2; }
PATH=$PATH:/usr/sbin:/sbin
CC=${CC:-cc}
command -v "$CC" >/dev/null || { echo "$0: no C compiler ($CC) for the syslog shim" >&2; exit 2; }

mkdir -p "$1"
W=$(cd "$1" && pwd -P)
SMD="$W/sendmail"
PORT=${SM_PORT:-10026}
MILTER=${SM_MILTER-inet:10030@127.0.0.1}
MFLAGS=${SM_MILTER_FLAGS-T}
MTIMEOUTS=${SM_MILTER_TIMEOUTS:-C:10s;S:30s;R:60s;E:5m}
LOGLEVEL=${SM_LOGLEVEL:-12}
MYNAME=${SM_HOSTNAME:-mta.test}
ROOT=${SM_ROOT:-$W/sendmail-pkg}
case $ROOT in /*) ;; *) ROOT=$(pwd -P)/$ROOT;; esac
SENDMAIL=$ROOT/usr/libexec/sendmail/sendmail
CFDIR=$ROOT/usr/share/sendmail/cf

# Postfix-style inet:HOST:PORT -> Sendmail's inet:PORT@HOST
case $MILTER in
inet:*@*|inet6:*@*|unix:*|local:*|'') ;;
inet:*:*) hp=${MILTER#inet:}; MILTER="inet:${hp##*:}@${hp%:*}";;
esac

case $PORT in ''|*[!0-9]*) echo "$0: bad SM_PORT '$PORT'" >&2; exit 2;; esac
if [ -f "$SMD/sendmail.pid" ]; then
	pid=$(sed 1q "$SMD/sendmail.pid")
	if [ -n "$pid" ] && [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$SMD/queue" ]; then
		echo "$0: instance in $SMD is already running (pid $pid)" >&2
		exit 1
	fi
fi
if ss -Hltn "sport = :$PORT" | grep -q .; then
	echo "$0: port $PORT is already in use" >&2
	exit 1
fi

# --- 1. the unpacked Sendmail tree (cached in $ROOT) ----------------------
apt_retry() { "$@" || { apt-get update -qq && "$@"; }; }
if [ ! -x "$SENDMAIL" ] || [ ! -f "$CFDIR/m4/cf.m4" ] || [ ! -f "$ROOT/etc/mail/helpfile" ]; then
	mkdir -p "$(dirname "$ROOT")"
	tmp=$(mktemp -d "$ROOT.tmp.XXXXXX")
	if [ -n "${SM_DEBS:-}" ]; then
		cp "$SM_DEBS"/sendmail-bin_*.deb "$SM_DEBS"/sendmail-base_*.deb "$SM_DEBS"/sendmail-cf_*.deb "$tmp/"
	else
		(cd "$tmp" && apt_retry apt-get download -q -o APT::Sandbox::User=root \
			sendmail-bin sendmail-base sendmail-cf >/dev/null)
	fi
	mkdir "$tmp/root"
	for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$tmp/root"; done
	# Library dependencies of sendmail-bin (minus the conflicting sendmail
	# packages themselves) plus m4 for sendmail-cf: install what is missing.
	deps=$(dpkg-deb -f "$tmp"/sendmail-bin_*.deb Depends | tr ',' '\n' |
		sed 's/([^)]*)//g; s/|.*//; s/[[:space:]]//g' |
		grep -v -e '^sendmail-' -e '^libc6$' -e '^$' || true)
	missing=
	for p in $deps m4; do
		dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		echo "$0: installing sendmail's dependencies:$missing" >&2
		DEBIAN_FRONTEND=noninteractive apt_retry apt-get install -y -q --no-install-recommends $missing >/dev/null
	fi
	# Root need not be setgid "mail" here, and a setgid binary would make
	# ld.so ignore LD_PRELOAD (the syslog shim).
	chmod 0755 "$tmp/root/usr/libexec/sendmail/sendmail"
	rm -f "$tmp"/*.deb
	mv -T "$tmp/root" "$ROOT" 2>/dev/null || true   # lost a race: keep the other copy
	rm -rf "$tmp"
	if [ ! -x "$SENDMAIL" ] || [ ! -f "$CFDIR/m4/cf.m4" ] || [ ! -f "$ROOT/etc/mail/helpfile" ]; then
		echo "$0: $ROOT exists but is not a complete unpacked Sendmail; remove it" >&2
		exit 1
	fi
fi
if ldd "$SENDMAIL" | grep -q 'not found'; then
	echo "$0: $SENDMAIL lacks libraries:" >&2; ldd "$SENDMAIL" | grep 'not found' >&2
	exit 1
fi

# --- 2. instance directories ----------------------------------------------
# (everything runs as root, so WORKDIR may stay 0700)
mkdir -p "$SMD/etc" "$SMD/lib" "$SMD/queue" "$SMD/mail/sink/tmp" "$SMD/mail/sink/new"
chmod 0755 "$SMD" "$SMD/etc" "$SMD/lib"
chmod 0700 "$SMD/queue"
: > "$SMD/maillog"

# syslog(3) -> $SM_SHIM_LOG; gethostname(2) -> $SM_SHIM_HOSTNAME
cat > "$SMD/lib/sm-shim.c" <<'EOF'
/* generated by sendmail-up.sh: LD_PRELOAD shim for the test sendmail only */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

static char logpath[4096], myname[256], ident[64] = "sendmail";

__attribute__((constructor)) static void init(void)
{	/* read now: sendmail later rewrites its environment (setproctitle) */
	const char *p;
	if ((p = getenv("SM_SHIM_LOG")) != NULL) snprintf(logpath, sizeof logpath, "%s", p);
	if ((p = getenv("SM_SHIM_HOSTNAME")) != NULL) snprintf(myname, sizeof myname, "%s", p);
}

int gethostname(char *name, size_t len)
{
	static int (*real)(char *, size_t);
	if (myname[0] == '\0') {
		if (!real) real = (int (*)(char *, size_t))dlsym(RTLD_NEXT, "gethostname");
		return real(name, len);
	}
	if (strlen(myname) >= len) { errno = ENAMETOOLONG; return -1; }
	strcpy(name, myname);
	return 0;
}

void openlog(const char *id, int opt, int fac) { (void)opt; (void)fac; if (id) snprintf(ident, sizeof ident, "%s", id); }
void closelog(void) {}

void vsyslog(int pri, const char *fmt, va_list ap)
{
	char buf[8192]; struct timeval tv; struct tm tm; size_t n; int fd, e = errno;
	if (logpath[0] == '\0') return;
	gettimeofday(&tv, NULL); localtime_r(&tv.tv_sec, &tm);
	n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
	n += snprintf(buf + n, sizeof buf - n, ".%06ld %s[%ld]: ", (long)tv.tv_usec, ident, (long)getpid());
	errno = e; /* for %m */
	vsnprintf(buf + n, sizeof buf - n, fmt, ap);
	n = strlen(buf);
	if (n == sizeof buf - 1) n--;
	buf[n++] = '\n';
	if ((fd = open(logpath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) >= 0) {
		(void)!write(fd, buf, n); /* one write per line: O_APPEND keeps lines whole */
		close(fd);
	}
	errno = e;
}
void syslog(int pri, const char *fmt, ...) { va_list ap; va_start(ap, fmt); vsyslog(pri, fmt, ap); va_end(ap); }
void __vsyslog_chk(int pri, int flag, const char *fmt, va_list ap) { (void)flag; vsyslog(pri, fmt, ap); }
void __syslog_chk(int pri, int flag, const char *fmt, ...) { va_list ap; (void)flag; va_start(ap, fmt); vsyslog(pri, fmt, ap); va_end(ap); }
EOF
"$CC" -O2 -Wall -fPIC -shared -o "$SMD/lib/sm-shim.so" "$SMD/lib/sm-shim.c" -ldl

# The sink mailer: argv[1] = recipient, stdin = the message (LF line ends,
# Return-Path added by sendmail); one file per recipient, written to tmp/
# then renamed into new/. Exit 75 (EX_TEMPFAIL) makes sendmail queue/retry.
cat > "$SMD/lib/sink" <<EOF
#!/bin/sh
# generated by sendmail-up.sh: delivery sink of the test sendmail
umask 022
d='$SMD/mail/sink'
f=\$(date +%s.%N).\$\$.sendmail-test
{ printf 'Delivered-To: %s\n' "\$1" && cat; } > "\$d/tmp/\$f" && mv "\$d/tmp/\$f" "\$d/new/\$f" || exit 75
EOF
chmod 0755 "$SMD/lib/sink"

# hosts: files only, so sendmail itself never asks DNS (no MX lookups)
printf 'hosts\tfiles\naliases\tfiles\n' > "$SMD/etc/service.switch"

# --- 3. sendmail.mc -> sendmail.cf ----------------------------------------
if [ -n "$MILTER" ]; then
	filter="S=$MILTER${MFLAGS:+, F=$MFLAGS}, T=$MTIMEOUTS"
	milter_line="INPUT_MAIL_FILTER(\`milter', \`$filter')dnl"
else
	filter=
	milter_line="dnl no milter"
fi
cat > "$SMD/etc/sendmail.mc" <<EOF
divert(-1)
# generated by sendmail-up.sh - private test instance, loopback only
divert(0)dnl
dnl No OSTYPE file: every path that matters is set here.
define(\`__OSTYPE__', \`linux')dnl
define(\`MAIL_SETTINGS_DIR', \`$SMD/etc/')dnl
define(\`HELP_FILE', \`$ROOT/etc/mail/helpfile')dnl
define(\`QUEUE_DIR', \`$SMD/queue')dnl
define(\`confPID_FILE', \`$SMD/sendmail.pid')dnl
define(\`confDEAD_LETTER_DROP', \`$SMD/dead.letter')dnl
define(\`confSERVICE_SWITCH_FILE', \`$SMD/etc/service.switch')dnl
define(\`confDOMAIN_NAME', \`$MYNAME')dnl
define(\`confSMTP_LOGIN_MSG', \`\$j sendmail-test')dnl  (sendmail inserts "ESMTP")
define(\`confDONT_PROBE_INTERFACES', \`True')dnl
define(\`confDONT_BLAME_SENDMAIL', \`TrustStickyBit')dnl
define(\`confLOG_LEVEL', \`$LOGLEVEL')dnl
define(\`confMILTER_LOG_LEVEL', \`$LOGLEVEL')dnl
define(\`confTO_IDENT', \`0')dnl
define(\`confMIN_QUEUE_AGE', \`0')dnl
define(\`confQUEUE_LA', \`1000')dnl
define(\`confREFUSE_LA', \`1000')dnl
define(\`confDELAY_LA', \`0')dnl
define(\`LOCAL_MAILER_PATH', \`$SMD/lib/sink')dnl
define(\`LOCAL_MAILER_ARGS', \`sink \$u')dnl
FEATURE(\`nocanonify')dnl
FEATURE(\`no_default_msa')dnl
FEATURE(\`accept_unresolvable_domains')dnl
FEATURE(\`accept_unqualified_senders')dnl
DAEMON_OPTIONS(\`Family=inet, Addr=127.0.0.1, Port=$PORT, Name=MTA, Modifiers=AS')dnl
$milter_line
${SM_EXTRA:-dnl}
MAILER(\`local')dnl
MAILER_DEFINITIONS
# every recipient ends here; F=S: runs as root, like the rest of this instance
Msink,		P=$SMD/lib/sink, F=lDFMPhnu8S, T=DNS/RFC822/X-Unix, D=/, A=sink \$u
LOCAL_RULE_0
# route every address of every domain to the sink mailer
R\$* < @ \$+ > \$*	\$#sink \$: \$1 < @ \$2 > \$3
R\$+		\$#sink \$: \$1 < @ \$j >
EOF
m4 -D_CF_DIR_="$CFDIR/" "$CFDIR/m4/cf.m4" "$SMD/etc/sendmail.mc" > "$SMD/etc/sendmail.cf.new"
mv "$SMD/etc/sendmail.cf.new" "$SMD/etc/sendmail.cf"

# --- 4. start ---------------------------------------------------------------
# -bd forks the daemon into the background; then wait until the pid file names
# a process listening on the port (no probe connection: it would reach the
# milter). A clean environment: what the shim reads, and a short resolver
# timeout for the one lookup of $SM_HOSTNAME at startup (DNS may be absent).
rc=0
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin RES_OPTIONS="timeout:1 attempts:1" \
	SM_SHIM_LOG="$SMD/maillog" SM_SHIM_HOSTNAME="$MYNAME" LD_PRELOAD="$SMD/lib/sm-shim.so" \
	"$SENDMAIL" -C "$SMD/etc/sendmail.cf" -L sendmail-test -bd -q5s || rc=$?
if [ $rc -ne 0 ]; then
	echo "$0: sendmail exited with status $rc; $SMD/maillog says:" >&2
	tail -n 20 "$SMD/maillog" >&2
	exit 1
fi
pid=
for _ in $(seq 200); do
	if [ -s "$SMD/sendmail.pid" ]; then
		pid=$(sed 1q "$SMD/sendmail.pid")
		ss -Hltnp "sport = :$PORT" | grep -q "pid=$pid," && break
	fi
	pid=
	sleep 0.05
done
if [ -z "$pid" ]; then
	echo "$0: sendmail did not come up on 127.0.0.1:$PORT; $SMD/maillog says:" >&2
	tail -n 20 "$SMD/maillog" >&2
	"$(dirname "$0")/sendmail-down.sh" "$W" >&2 || true
	exit 1
fi
echo "sendmail-test up: smtp 127.0.0.1:$PORT milter=${MILTER:-none} pid=$pid"
