#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# run.sh HARNESS|all MINUTES: runs libFuzzer harnesses, one after another
# on one core, each for MINUTES of wall-clock time, and prints what each
# did: execs/s, coverage (cov: edges, ft: features), corpus size and
# findings. Builds nothing: the binaries come from a build configured
# with --enable-fuzzing (CC=clang).
#
# Environment:
#   FUZZ_BUILD  that build's top folder (default: .)
#   FUZZ_WORK   where each harness keeps its growing corpus (WORK/HARNESS/)
#               and its findings (WORK/HARNESS-findings/); default
#               ./fuzz-work. Reuse it and a later run goes on from there.
#   FUZZ_KEEP_GOING=1  do not stop at the first finding (libFuzzer's
#               -fork=1 with crashes, timeouts and OOMs ignored)
#   FUZZ_ARGS   more libFuzzer options
#   CORPUS      the report corpus (default: tests/corpus of the
#               source tree)
# Seeds: the corpus samples of the harness's kind (seeds.py), the inputs in
# regress/HARNESS/, and the dictionary HARNESS.dict. Limits: -rss_limit_mb=2048
# -timeout=10; the harnesses parse with the daemon's default limits.
# Exits 1 when anything was found, 2 on a usage error.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${FUZZ_BUILD:-.}
work=${FUZZ_WORK:-./fuzz-work}
CORPUS=${CORPUS:-$src/tests/corpus}
export CORPUS
all="message dmarc_xml tlsrpt arf record_json"

if [ $# -ne 2 ] || ! [ "$2" -gt 0 ] 2>/dev/null; then
	echo "usage: $0 HARNESS|all MINUTES   (HARNESS: $all)" >&2
	exit 2
fi
list=$1
[ "$list" = all ] && list=$all
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$src/tests/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0

for h in $list; do
	bin=$build/tests/fuzz/fuzz_$h
	if [ ! -x "$bin" ]; then
		echo "$0: no $bin: build with configure --enable-fuzzing CC=clang" >&2
		exit 2
	fi
	corp=$work/$h
	found=$work/$h-findings
	seeds=$work/$h-seeds
	mkdir -p "$corp" "$found" || exit 2
	rm -rf "$seeds"
	python3 "$here/seeds.py" "$h" "$seeds" "$build/report-query" > /dev/null ||
	    exit 2
	dirs="$corp $seeds"
	[ -d "$here/regress/$h" ] && dirs="$dirs $here/regress/$h"
	before=$(ls "$found" | wc -l)
	mode=""
	[ "${FUZZ_KEEP_GOING:-0}" = 1 ] &&
	    mode="-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1"
	log=$work/$h.log
	start=$(date +%s)
	# shellcheck disable=SC2086 # word lists
	"$bin" -max_total_time=$(($2 * 60)) -rss_limit_mb=2048 -timeout=10 \
	    -dict="$here/$h.dict" -artifact_prefix="$found/" \
	    -print_final_stats=1 $mode ${FUZZ_ARGS:-} $dirs > "$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	# The last status line: "#N<TAB>... cov: C ft: F corp: N/S ... exec/s: E"
	# (fork mode: "#N: cov: C ft: F corp: N exec/s: E ...").
	last=$(grep -E '^#[0-9]+:?[[:space:]].*cov: ' "$log" | tail -n 1)
	execs=$(echo "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
	cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	# The average over the whole run (fork mode prints a job's own rate).
	rate=$((${execs:-0} / (secs > 0 ? secs : 1)))
	ncorp=$(ls "$corp" | wc -l)
	new=$(($(ls "$found" | wc -l) - before))
	echo "$h: ${secs}s, ${execs:-?} execs, $rate exec/s, cov: ${cov:-?}" \
	    "ft: ${ft:-?}, corpus: $ncorp files in $corp, findings: $new new" \
	    "(libFuzzer exit $rc, log $log)"
	if [ "$new" -gt 0 ] || [ $rc -ne 0 ]; then
		status=1
		ls -t "$found" | head -n "$new" | sed "s|^|  $found/|"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" |
		    sort | uniq -c | head -n 10
	fi
done
exit $status
