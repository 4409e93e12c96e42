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
