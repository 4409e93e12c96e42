# SPDX-License-Identifier: BSD-2-Clause
# tests/mta/lib.sh - what the tests/mta/*.test scripts share (sourced).
#
# Each script runs its own report-milter, and its own private Postfix
# and/or Sendmail (postfix-up.sh, sendmail-up.sh beside it; README
# says how they work), on ports of its own, in a
# work directory under /var/tmp (the postfix and nobody users must be
# able to reach it, which a checkout under a home directory may not
# allow). Output is TAP. Needs root; without it the script is skipped.

: "${top_srcdir:=.}" "${top_builddir:=.}"
HARNESS=${MTA_HARNESS:-$top_srcdir/tests/mta}
CORPUS=${CORPUS:-$top_srcdir/tests/corpus}
RM=$top_builddir/report-milter
RQ="${RQ_WRAPPER:-} $top_builddir/report-query"
HERE=$top_srcdir/tests/mta
SEND="python3 $HERE/smtp-send.py"
# Sendmail's packages, unpacked once for every script and build.
SM_ROOT=${SM_ROOT:-/var/tmp/report-milter-sendmail-pkg}
export SM_ROOT
PATH=$PATH:/usr/sbin:/sbin

n=0 failed=0 W= milter_pid=
t() {	# t DESCRIPTION COMMAND... : one TAP line
	n=$((n + 1)); d=$1; shift
	if "$@"; then
		echo "ok $n - $d"
	else
		echo "not ok $n - $d"
		failed=$((failed + 1))
	fi
}
not() { ! "$@"; }
note() { echo "# $*"; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
bail() { echo "Bail out! $*"; exit 1; }

# The end of a script: the plan, and the work directory kept on failure.
finish() {
	echo "1..$n"
	[ $failed -eq 0 ] && return 0
	note "kept for inspection: $W"
	for f in "$W"/*.log "$W"/*/postfix/maillog "$W"/*/sendmail/maillog; do
		[ -s "$f" ] || continue
		note "--- the end of $f:"
		tail -n 15 "$f" | cut -c1-300 | sed 's/^/#   /'
	done
	return 1
}

# A base of ten TCP ports on 127.0.0.1 where nothing listens, picked at
# random, so that scripts (and other checkouts' runs) never meet.
port_base() {
	for _ in $(seq 50); do
		b=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 1000 * 10))
		ss -Hltn "( sport >= :$b and sport <= :$((b + 9)) )" | grep -q . ||
		    { echo "$b"; return 0; }
	done
	echo 20000
}

mta_setup() {	# mta_setup NAME : checks, work directory, cleanup trap
	# The quick set (the release tarball's check, the package build)
	# leaves the MTAs to the full run, which tests/check-all makes once.
	[ "${REPORT_MILTER_TESTS:-full}" = quick ] &&
	    skip_all "quick test set (REPORT_MILTER_TESTS=quick): the MTA tests run in the full set"
	[ "$(id -u)" -eq 0 ] || skip_all "needs root (private Postfix and Sendmail)"
	command -v python3 > /dev/null || bail "python3 is missing"
	[ -x "$RM" ] || bail "$RM is not built"
	W=$(mktemp -d "/var/tmp/report-milter-$1.XXXXXX") || bail "mktemp"
	chmod 0755 "$W"
	trap mta_cleanup EXIT
}

mta_cleanup() {
	rc=$?
	milter_stop > /dev/null 2>&1
	for d in "$W"/*/; do
		[ -d "$d/postfix" ] && "$HARNESS/postfix-down.sh" "$d" > /dev/null 2>&1
		[ -d "$d/sendmail" ] && "$HARNESS/sendmail-down.sh" "$d" > /dev/null 2>&1
	done
	[ $rc -eq 0 ] && [ $failed -eq 0 ] && rm -rf "$W"
	exit $rc
}

# A store directory owned by the milter's user.
store_dir() {	# store_dir DIR [MODE]
	mkdir -p "$1" && chown nobody:nogroup "$1" && chmod "${2:-0755}" "$1"
}

# milter_conf FILE LINE... : a configuration with these lines. The tests
# look at the answer given at the end of the message, so report mail is
# parsed before it (DeferParse no) unless a line sets DeferParse; a line
# "DeferParse" alone leaves the key out, for the daemon's default.
milter_conf() {
	f=$1; shift
	store_dir "$W/tmp"
	defer="DeferParse no"
	printf '%s\n' "# written by a test" "UserID nobody" \
	    "TemporaryDirectory $W/tmp" > "$f"
	for l; do
		case $l in
		DeferParse) defer= ;;
		"DeferParse "*) defer=; printf '%s\n' "$l" >> "$f" ;;
		*) printf '%s\n' "$l" >> "$f" ;;
		esac
	done
	[ -z "$defer" ] || printf '%s\n' "$defer" >> "$f"
}

# milter_start CONF LOG : report-milter -f in the background, ready when
# it logs "listening on". MILTER_ENV is put in its environment, and
# MILTER_WRAPPER (valgrind, say) in front of the command.
milter_start() {
	: > "$2"
	env ${MILTER_ENV:-} ${MILTER_WRAPPER:-} "$RM" -f -c "$1" >> "$2" 2>&1 &
	milter_pid=$!
	for _ in $(seq 600); do
		grep -q 'listening on' "$2" && return 0
		kill -0 "$milter_pid" 2> /dev/null || break
		sleep 0.1
	done
	note "report-milter did not start:"; sed 's/^/#   /' "$2"
	milter_pid=
	return 1
}

# milter_stop : SIGTERM, then its exit status (0 also means no leak under ASan).
milter_stop() {
	[ -n "$milter_pid" ] || return 0
	kill -TERM "$milter_pid" 2> /dev/null
	wait "$milter_pid"
	rc=$?
	milter_pid=
	return $rc
}

# pf_up DIR PORT MILTER [main.cf lines] : a private Postfix in DIR.
# Headers are left as the client wrote them (no rewriting for loopback).
# A start that hangs fails after three minutes (as sm_up).
pf_up() {
	mkdir -p "$1"
	PF_PORT=$2 PF_MILTER=$3 PF_EXTRA="local_header_rewrite_clients =
${4:-}" timeout 180 "$HARNESS/postfix-up.sh" "$1" > "$1.up" 2>&1 ||
	    { sed 's/^/# /' "$1.up"; return 1; }
}

# pf_front DIR PORT BACKPORT [NAME = VALUE]... : a private Postfix in DIR,
# with no milter, that relays all mail to 127.0.0.1:BACKPORT. Parameters
# are set with postconf -e rather than appended to main.cf: a parameter
# given twice makes every Postfix command log a warning, and while the
# instance's postlogd is not running yet, ten log lines fill the kernel's
# queue for its socket (net.unix.max_dgram_qlen) and the next command
# waits for ever. The reload is given a minute.
pf_front() {
	_d=$1/postfix/etc _b=$3
	pf_up "$1" "$2" "" || return 1
	echo "smtp      unix  -       -       n       -       -       smtp" >> "$_d/master.cf"
	shift 3
	postconf -c "$_d" -e "virtual_mailbox_domains =" \
	    "relayhost = [127.0.0.1]:$_b" "$@" &&
	timeout 60 postfix -c "$_d" reload > /dev/null 2>&1 ||
	    { note "postfix in $1: setting it up to relay failed or hung"; return 1; }
}

# sm_up DIR PORT MILTER : a private Sendmail in DIR.
sm_up() {
	mkdir -p "$1"
	SM_PORT=$2 SM_MILTER=$3 timeout 180 "$HARNESS/sendmail-up.sh" "$1" > "$1.up" 2>&1 ||
	    { sed 's/^/# /' "$1.up"; return 1; }
}

sink_count() {	# sink_count SINKDIR : messages delivered there
	find "$1" -maxdepth 1 -type f 2> /dev/null | wc -l
}

# wait_sink SINKDIR N [SECONDS] : true once N messages are delivered.
wait_sink() {
	for _ in $(seq $((${3:-30} * 10))); do
		[ "$(sink_count "$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	note "$1: $(sink_count "$1") messages, not $2"
	return 1
}

# Reports in the store, one normalised object a line (see compare.py).
stored() {	# stored STOREDIR
	$RQ export --store "$1" --format ndjson
}

stored_count() {	# stored_count STOREDIR
	stored "$1" | grep -c '"@type"'
}

# The valid report e-mails of the corpus (MANIFEST.tsv), one path a line.
corpus_mail() {	# corpus_mail [KIND]
	awk -F'\t' -v k="${1:-}" -v c="$CORPUS" '
	    NR > 1 && $7 == "yes" && $3 == "eml" && (k == "" || $2 == k) {
		print c "/" $1 }' "$CORPUS/MANIFEST.tsv"
}

# All answers of smtp-send.py were "DATA 250".
all_accepted() {	# all_accepted FILE COUNT
	[ "$(grep -c '^DATA 250 ' "$1")" -eq "$2" ] ||
	    { sed 's/^/#   /' "$1"; return 1; }
}

# The body of a message file (after the first empty line), with LF ends.
body_of() {	# body_of FILE
	tr -d '\r' < "$1" | sed '1,/^$/d'
}

# The bodies of two message files are the same bytes.
same_body() {	# same_body FILE FILE
	[ "$(body_of "$1" | cksum)" = "$(body_of "$2" | cksum)" ]
}

# The delivered copy (in SINKDIR) of the message whose Message-ID is ID.
delivered() {	# delivered SINKDIR ID
	grep -l -i "^Message-ID: <$2>" "$1"/* 2> /dev/null | head -1
}

# The queue id of the last "queued as" answer in a smtp-send.py output.
queued_as() {	# queued_as FILE
	sed -n -e 's/.*queued as \([0-9A-Za-z]*\).*/\1/p' \
	    -e 's/^DATA 250 [0-9.]* \([0-9A-Za-z]*\) Message accepted.*/\1/p' \
	    "$1" | tail -1
}

mkmail() { python3 "$HERE/mkmail.py" "$@"; }

# Copies of files into DIR with CRLF line ends: the bytes that SMTP
# carried (smtp-send.py sends every file so), for report-query parse.
crlf_copies() {	# crlf_copies DIR FILE...
	python3 - "$@" <<'PY'
import os, re, sys
d = sys.argv[1]
os.makedirs(d, exist_ok=True)
for f in sys.argv[2:]:
    data = re.sub(rb"\r?\n", b"\r\n", open(f, "rb").read())
    open(os.path.join(d, os.path.basename(f)), "wb").write(data)
PY
}
