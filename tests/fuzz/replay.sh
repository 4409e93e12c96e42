#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# replay.sh HARNESS: replays one fuzzing harness (tests/fuzz/replay_HARNESS)
# over the corpus samples of its kind (seeds.py makes them) and over
# regress/HARNESS/, the inputs a fuzzer once failed on. Prints TAP: one
# line per set, "not ok" with the tail of stderr when the program crashed,
# aborted, leaked or valgrind ($RQ_WRAPPER) found an error, or when a
# parser (a library, which never logs) wrote anything on stderr.
harness=$1
src=${top_srcdir:-.}
build=${top_builddir:-.}
prog=$build/tests/fuzz/replay_$harness
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0

replay() {	# replay DESCRIPTION MIN INPUT... : one TAP line
	desc=$1 min=$2
	shift 2
	n=$((n + 1))
	# shellcheck disable=SC2086 # RQ_WRAPPER is a command line
	out=$($RQ_WRAPPER "$prog" "$@" 2> "$tmp/stderr")
	rc=$?
	count=$(echo "$out" | sed -n 's/^replayed \([0-9]*\) inputs$/\1/p')
	if [ $rc -ne 0 ]; then
		echo "not ok $n - $harness: $desc: exit status $rc"
		tail -n 40 "$tmp/stderr" | sed 's/^/#   /'
	elif grep -v '^replay: ' "$tmp/stderr" > "$tmp/noise"; then
		# The parsers never print: every line is the program's own.
		echo "not ok $n - $harness: $desc: the parsers wrote on stderr"
		head -n 10 "$tmp/noise" | sed 's/^/#   /'
	elif [ "${count:-0}" -lt "$min" ]; then
		echo "not ok $n - $harness: $desc: ${count:-0} inputs, want $min or more"
	else
		echo "ok $n - $harness: $desc: $count inputs"
	fi
}

if [ ! -d "$CORPUS" ]; then
	echo "1..0 # SKIP no corpus at $CORPUS"
	exit 0
fi
python3 "$src/tests/fuzz/seeds.py" "$harness" "$tmp/seeds" \
    "$build/report-query" > "$tmp/nseeds" || exit 1
# Every harness has seeds of its kind in the corpus.
replay "corpus seeds" 5 "$tmp/seeds"
reg=$src/tests/fuzz/regress/$harness
if [ -d "$reg" ] && [ -n "$(ls "$reg")" ]; then
	replay "regression inputs" 1 "$reg"
else
	n=$((n + 1))
	echo "ok $n - $harness: regression inputs # SKIP none in regress/$harness"
fi
echo "1..$n"
