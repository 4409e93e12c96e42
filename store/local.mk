# store/: the only code that touches LMDB (store_*.c), the one ingest path
# (ingest.c), and report-query beside them (report_query.c, rq_*.c).
noinst_LIBRARIES += store/libstore.a
store_libstore_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/parsers
store_libstore_a_CFLAGS = $(AM_CFLAGS) $(LMDB_CFLAGS)
store_libstore_a_SOURCES = store/store.h store/ingest.h store/ingest.c store/ingest_malloc.c \
	store/store_impl.h store/store_env.c store/store_group.c store/store_id.c \
	store/store_ipset.c store/store_value.c store/store_index.c \
	store/store_dedup.c store/sha256.c store/sha256.h \
	store/store_write.c store/store_read.c store/store_delete.c \
	store/store_quarantine.c store/store_stat.c
# What a program that links store/libstore.a needs besides it.
STORE_LIBS = store/libstore.a parsers/libparsers.a $(LMDB_LIBS) \
	$(PARSERS_LIBS) $(PTHREAD_LIBS)

bin_PROGRAMS += report-query
report_query_SOURCES = \
	store/report_query.c store/rq.h \
	store/rq_parse.c store/rq_common.c store/rq_config.c \
	store/rq_get.c store/rq_delete.c store/rq_purge.c store/rq_stat.c \
	store/rq_query.c store/rq_query.h store/rq_query_out.c \
	store/rq_where.c store/rq_where.h store/rq_match.c \
	store/rq_scan.c store/rq_ids.c store/rq_ids.h \
	store/rq_print.c store/rq_print.h store/rq_row.c store/rq_row.h \
	store/rq_table.c store/rq_table.h \
	store/rq_summary.c store/rq_sum.c store/rq_sum.h store/rq_sum_print.c \
	store/rq_tally.c store/rq_tally.h \
	store/rq_export.c store/rq_import.c store/rq_import.h \
	store/rq_import_file.c store/rq_import_walk.c \
	store/rq_split.c store/rq_split.h store/rq_object.c store/rq_object.h \
	store/rq_quarantine.c store/rq_reparse.c
report_query_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/parsers
report_query_LDADD = $(STORE_LIBS)
dist_man_MANS += store/report-query.1
