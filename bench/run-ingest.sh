#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Ingest benchmark: report mail of bench/make_data.sh through the one
# ingest path into a fresh store; every call returns once its message is
# on disk. With "jobs 1" that is one durable commit per message; with
# more jobs (as report-milter's connection threads and import --jobs)
# writers that meet share commits, and "commits" says how many were made.
# Then report-query import, as a user runs it (its batches of shared
# commits on, the default), side by side with the anchor: bench_ingest
# -j 1 on the same files, one durable commit per message; each the
# median of ROUNDS runs (default 5) into a fresh store, with wall
# seconds, reports/s and CPU seconds (user + system).
# The "flush" lines, before and after, say what two durable 4 KB writes
# (an LMDB commit's least) cost the same filesystem at the time: the
# most commits per second any store could make there.
# Run from the build directory after make report-query bench/bench_ingest
# bench/bench_flush.
set -e
here=$(cd "$(dirname "$0")" && pwd)
DATA=${DATA:-/tmp/report-milter-bench}
B=${BENCH_INGEST:-./bench/bench_ingest}
RQ=${RQ:-./report-query}
ROUNDS=${ROUNDS:-5}
F=${BENCH_FLUSH:-./bench/bench_flush}
[ -f "$DATA/dmarc_big.xml" ] || DATA=$DATA sh "$here/make_data.sh" > /dev/null
T=$(mktemp -d "${TMPDIR:-/var/tmp}/bench-ingest.XXXXXX")
trap 'rm -rf "$T"' EXIT
$F -l "flush, before" "$T"
for j in ${JOBS:-1 4}; do
	rm -rf "$T/typ" "$T/small"
	$B -j $j -s "$T/typ" -l "typ200_eml" "$DATA"/typ200_eml/*
	$B -j $j -s "$T/small" -l "small200_eml" "$DATA"/small200_eml/*
done
$B -s "$T/big" -l "dmarc_big_gz.eml" "$DATA/dmarc_big_gz.eml"
$B -s "$T/bigxml" -l "dmarc_big.xml.gz" "$DATA/dmarc_big.xml.gz"
$B -s "$T/tls" -l "tls_big_gz.eml" "$DATA/tls_big_gz.eml"

# median LABEL REPORTS STORE CMD...: ROUNDS runs of CMD into a fresh STORE;
# prints the median wall and CPU seconds, and reports/s.
median() {
	python3 - "$@" <<'PY'
import os, resource, shutil, subprocess, sys, time
label, reports, store, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
runs = []
for _ in range(int(os.environ.get("ROUNDS", "5"))):
    shutil.rmtree(store, ignore_errors=True)
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    wall = time.monotonic() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    runs.append((wall, r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime))
wall = sorted(w for w, _ in runs)[len(runs) // 2]
cpu = sorted(c for _, c in runs)[len(runs) // 2]
print("%-30s %8.3f s %9.1f reports/s  cpu %7.3f s  (median of %d)"
      % (label, wall, reports / wall, cpu, len(runs)))
print("%s %f" % (label, wall), file=open(os.environ["MEDIANS"], "a"))
PY
}
export ROUNDS MEDIANS="$T/medians"
for set in typ200_eml small200_eml; do
	median "anchor $set" 200 "$T/a" $B -j 1 -s "$T/a" -l a "$DATA"/$set/*
	median "import $set" 200 "$T/i" $RQ import --store "$T/i" "$DATA/$set"
done
median "anchor dmarc_big_gz.eml" 1 "$T/a" $B -j 1 -s "$T/a" -l a "$DATA/dmarc_big_gz.eml"
median "import dmarc_big_gz.eml" 1 "$T/i" $RQ import --store "$T/i" "$DATA/dmarc_big_gz.eml"
awk '{ w[$1 " " $2] = $3 }
END {
	for (k in w) if (k ~ /^import /) {
		a = k; sub(/^import/, "anchor", a)
		printf "%-30s %6.2fx the anchor'"'"'s reports/s (time ratio %.2f)\n", k, w[a] / w[k], w[k] / w[a]
	}
}' "$T/medians" | sort
$F -l "flush, after" "$T"
