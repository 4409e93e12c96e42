# SPDX-License-Identifier: BSD-2-Clause
# tests/hostile/: hostile inputs (mkhostile.py writes them) through
# report-query parse and import, corpus samples cut at every 1 KiB, and a
# few of them through a real Postfix into report-milter.
HOSTILE_TESTS = tests/hostile/parse.test tests/hostile/truncate.test \
	tests/hostile/mta.test
TESTS += $(HOSTILE_TESTS)
EXTRA_DIST += $(HOSTILE_TESTS) tests/hostile/mkhostile.py

# Runs a program and writes its peak memory (for parse.test).
check_PROGRAMS += tests/hostile/peakrss
