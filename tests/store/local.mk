# SPDX-License-Identifier: BSD-2-Clause
# tests/store/: the store and the ingest path (TAP).
STORE_TESTS_FIXTURE = tests/store/fixture.c tests/store/fixture.h

check_PROGRAMS += tests/store/test_store
tests_store_test_store_SOURCES = tests/store/test_store.c $(STORE_TESTS_FIXTURE)
tests_store_test_store_CPPFLAGS = $(AM_CPPFLAGS) $(TESTS_CPPFLAGS) \
	-I$(top_srcdir)/store
tests_store_test_store_LDADD = $(STORE_LIBS)
TESTS += tests/store/test_store

check_PROGRAMS += tests/store/test_store_env
tests_store_test_store_env_SOURCES = tests/store/test_store_env.c \
	$(STORE_TESTS_FIXTURE)
tests_store_test_store_env_CPPFLAGS = $(AM_CPPFLAGS) $(TESTS_CPPFLAGS) \
	-I$(top_srcdir)/store
tests_store_test_store_env_LDADD = $(STORE_LIBS)
TESTS += tests/store/test_store_env

# The one ingest path, on corpus mail and generated reports.
check_PROGRAMS += tests/store/test_ingest
tests_store_test_ingest_CPPFLAGS = $(AM_CPPFLAGS) $(TESTS_CPPFLAGS) \
	-I$(top_srcdir)/store
tests_store_test_ingest_LDADD = $(STORE_LIBS)
TESTS += tests/store/test_ingest

# The host cache that report-query enrich fills.
check_PROGRAMS += tests/store/test_store_host
tests_store_test_store_host_SOURCES = tests/store/test_store_host.c \
	$(STORE_TESTS_FIXTURE)
tests_store_test_store_host_CPPFLAGS = $(AM_CPPFLAGS) $(TESTS_CPPFLAGS) \
	-I$(top_srcdir)/store
tests_store_test_store_host_LDADD = $(STORE_LIBS)
TESTS += tests/store/test_store_host
# The dedup keys' and content hashes' SHA-256, on the standard's examples.
check_PROGRAMS += tests/store/test_sha256
tests_store_test_sha256_SOURCES = tests/store/test_sha256.c
tests_store_test_sha256_CPPFLAGS = $(AM_CPPFLAGS) $(TESTS_CPPFLAGS) \
	-I$(top_srcdir)/store
tests_store_test_sha256_LDADD = $(STORE_LIBS)
TESTS += tests/store/test_sha256

# The lean records of a chunk against its JSON, old chunks, damaged blocks.
check_PROGRAMS += tests/store/test_lean
tests_store_test_lean_SOURCES = tests/store/test_lean.c $(STORE_TESTS_FIXTURE)
tests_store_test_lean_CPPFLAGS = $(AM_CPPFLAGS) $(TESTS_CPPFLAGS) \
	-I$(top_srcdir)/store
tests_store_test_lean_LDADD = $(STORE_LIBS)
TESTS += tests/store/test_lean
