# SPDX-License-Identifier: BSD-2-Clause
# tests/cli/: report-query store verbs as a user runs them.

# The pure parts of report-query (no store): --where, summary, splitting.
RQ_TESTS_CPPFLAGS = $(AM_CPPFLAGS) $(TESTS_CPPFLAGS) -I$(top_srcdir)/store -I$(top_srcdir)/query

check_PROGRAMS += tests/cli/test_rq_where
tests_cli_test_rq_where_SOURCES = tests/cli/test_rq_where.c \
	query/rq_where.c query/rq_match.c
tests_cli_test_rq_where_CPPFLAGS = $(RQ_TESTS_CPPFLAGS)
tests_cli_test_rq_where_LDADD = $(TESTS_LDADD)
TESTS += tests/cli/test_rq_where

check_PROGRAMS += tests/cli/test_rq_sum
tests_cli_test_rq_sum_SOURCES = tests/cli/test_rq_sum.c \
	query/rq_sum.c query/rq_sum_print.c query/rq_tally.c query/rq_top.c \
	query/rq_table.c query/rq_row.c query/rq_where.c query/rq_match.c
tests_cli_test_rq_sum_CPPFLAGS = $(RQ_TESTS_CPPFLAGS)
tests_cli_test_rq_sum_LDADD = $(TESTS_LDADD)
TESTS += tests/cli/test_rq_sum

check_PROGRAMS += tests/cli/test_rq_split
tests_cli_test_rq_split_SOURCES = tests/cli/test_rq_split.c \
	query/rq_split.c query/rq_object.c query/rq_config.c
tests_cli_test_rq_split_CPPFLAGS = $(RQ_TESTS_CPPFLAGS)
tests_cli_test_rq_split_LDADD = $(TESTS_LDADD)
TESTS += tests/cli/test_rq_split

# report-query's store verbs over the whole corpus (rqcorpus.py: the facts
# they are checked against), and the command line's errors.
TESTS += tests/cli/usage.test tests/cli/store.test tests/cli/query.test
EXTRA_DIST += tests/cli/usage.test tests/cli/store.test \
	tests/cli/query.test tests/cli/rqcorpus.py

# report-query import killed with SIGKILL: the store stays whole.
TESTS += tests/cli/crash.test
EXTRA_DIST += tests/cli/crash.test

# report-query parse of a big report: get's text, in bounded memory.
TESTS += tests/cli/stream.test
EXTRA_DIST += tests/cli/stream.test

# Bare CR line ends; an ARF returned part that is no message.
TESTS += tests/cli/lineends.test
EXTRA_DIST += tests/cli/lineends.test

# alerts: what is new since the last run, as cron runs it
TESTS += tests/cli/alerts.test
EXTRA_DIST += tests/cli/alerts.test

# The tally that spills to temporary files, and the top rows of one.
check_PROGRAMS += tests/cli/test_rq_tally
tests_cli_test_rq_tally_SOURCES = tests/cli/test_rq_tally.c \
	query/rq_tally.c query/rq_top.c
tests_cli_test_rq_tally_CPPFLAGS = $(RQ_TESTS_CPPFLAGS)
tests_cli_test_rq_tally_LDADD = $(TESTS_LDADD)
TESTS += tests/cli/test_rq_tally
