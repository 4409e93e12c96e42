# SPDX-License-Identifier: BSD-2-Clause
# store/: the only code that touches LMDB (store_*.c) and the one ingest
# path (ingest.c) that report-milter and report-query import share.
noinst_LIBRARIES += store/libstore.a
store_libstore_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/parsers
store_libstore_a_CFLAGS = $(AM_CFLAGS) $(LMDB_CFLAGS)
store_libstore_a_SOURCES = store/store.h store/ingest.h store/ingest.c store/ingest_malloc.c \
	store/store_impl.h store/store_env.c store/store_group.c store/store_batch.c store/store_id.c \
	store/store_ipset.c store/store_value.c store/store_index.c \
	store/store_dedup.c store/sha256.c store/sha256.h store/fnv1a.h \
	store/store_write.c store/store_read.c store/store_lean.c store/store_delete.c \
	store/store_quarantine.c store/store_pending.c store/store_journal.c store/store_stat.c \
	store/store_change.c \
	store/store_host.c store/store_ips.c
# What a program that links store/libstore.a needs besides it.
STORE_LIBS = store/libstore.a parsers/libparsers.a $(LMDB_LIBS) \
	$(PARSERS_LIBS) $(PTHREAD_LIBS)
