# SPDX-License-Identifier: BSD-2-Clause
# tests/: unit tests (TAP) and the corpus test.
TESTS_CPPFLAGS = -I$(top_srcdir)/parsers -I$(top_srcdir)/tests
TESTS_LDADD = parsers/libparsers.a $(PARSERS_LIBS)
EXTRA_DIST += tests/tap.h

check_PROGRAMS += tests/unit/test_record_json
tests_unit_test_record_json_CPPFLAGS = $(AM_CPPFLAGS) $(TESTS_CPPFLAGS)
tests_unit_test_record_json_LDADD = $(TESTS_LDADD)
TESTS += tests/unit/test_record_json

# The real corpus, against facts computed independently of this code.
TESTS += tests/corpus/corpus.test
EXTRA_DIST += tests/corpus/corpus.test
# The corpus itself: the samples by kind, their manifest (source and
# licence of each), the licences, and the facts.
EXTRA_DIST += tests/corpus/README.md tests/corpus/MANIFEST.tsv \
	tests/corpus/expected.jsonl tests/corpus/LICENSES \
	tests/corpus/dmarc tests/corpus/tlsrpt tests/corpus/arf \
	tests/corpus/malformed

# What runs the tests: every build (tests/check-all, the command README
# gives) and the valgrind pass's wrapper and suppressions.
EXTRA_DIST += tests/check-all tests/valgrind-wrap tests/valgrind.supp \
	tests/lsan.supp

# Module boundaries (STYLE.md's dependency rule), on the includes.
TESTS += tests/layout.test
EXTRA_DIST += tests/layout.test

check_PROGRAMS += tests/unit/test_timeparse
tests_unit_test_timeparse_CPPFLAGS = $(AM_CPPFLAGS) $(TESTS_CPPFLAGS)
tests_unit_test_timeparse_LDADD = $(TESTS_LDADD)
TESTS += tests/unit/test_timeparse

check_PROGRAMS += tests/unit/test_tlsrpt_json
tests_unit_test_tlsrpt_json_CPPFLAGS = $(AM_CPPFLAGS) $(TESTS_CPPFLAGS)
tests_unit_test_tlsrpt_json_LDADD = $(TESTS_LDADD)
TESTS += tests/unit/test_tlsrpt_json

check_PROGRAMS += tests/unit/test_json_span
tests_unit_test_json_span_CPPFLAGS = $(AM_CPPFLAGS) $(TESTS_CPPFLAGS)
tests_unit_test_json_span_LDADD = $(TESTS_LDADD)
TESTS += tests/unit/test_json_span

check_PROGRAMS += tests/unit/test_arf
tests_unit_test_arf_CPPFLAGS = $(AM_CPPFLAGS) $(TESTS_CPPFLAGS)
tests_unit_test_arf_LDADD = $(TESTS_LDADD)
TESTS += tests/unit/test_arf

check_PROGRAMS += tests/unit/test_dmarc_xml
tests_unit_test_dmarc_xml_CPPFLAGS = $(AM_CPPFLAGS) $(TESTS_CPPFLAGS)
tests_unit_test_dmarc_xml_LDADD = $(TESTS_LDADD)
TESTS += tests/unit/test_dmarc_xml

check_PROGRAMS += tests/unit/test_inflate
tests_unit_test_inflate_CPPFLAGS = $(AM_CPPFLAGS) $(TESTS_CPPFLAGS)
tests_unit_test_inflate_LDADD = $(TESTS_LDADD)
TESTS += tests/unit/test_inflate

check_PROGRAMS += tests/unit/test_extract
tests_unit_test_extract_CPPFLAGS = $(AM_CPPFLAGS) $(TESTS_CPPFLAGS)
tests_unit_test_extract_LDADD = $(TESTS_LDADD)
TESTS += tests/unit/test_extract

# report-query as a user runs it.
TESTS += tests/cli/parse.test
EXTRA_DIST += tests/cli/parse.test

# The store, report-query's store verbs, and the daemon through real MTAs:
# each in a fragment of its own.
include tests/store/local.mk
include tests/cli/local.mk
include tests/prom/local.mk
include tests/mta/local.mk
include tests/hostile/local.mk
include tests/pkg/local.mk
include tests/pg/local.mk
include tests/html/local.mk

# Fuzzing harnesses, replayed over their seeds (tests/fuzz/local.mk).
include tests/fuzz/local.mk

check_PROGRAMS += tests/unit/test_authres
tests_unit_test_authres_CPPFLAGS = $(AM_CPPFLAGS) $(TESTS_CPPFLAGS)
tests_unit_test_authres_LDADD = $(TESTS_LDADD)
TESTS += tests/unit/test_authres
include tests/enrich/local.mk
