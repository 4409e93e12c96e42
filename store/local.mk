# store/: the only code that touches LMDB (store_*.c), the one ingest path
# (ingest.c), and report-query beside them (report_query.c, rq_*.c).
noinst_LIBRARIES += store/libstore.a
store_libstore_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/parsers
store_libstore_a_CFLAGS = $(AM_CFLAGS) $(LMDB_CFLAGS)
store_libstore_a_SOURCES = store/store.h store/ingest.h store/ingest.c
# What a program that links store/libstore.a needs besides it.
STORE_LIBS = store/libstore.a parsers/libparsers.a $(LMDB_LIBS) \
	$(PARSERS_LIBS) $(PTHREAD_LIBS)

bin_PROGRAMS += report-query
report_query_SOURCES = \
	store/report_query.c store/rq.h \
	store/rq_parse.c
report_query_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/parsers
report_query_LDADD = $(STORE_LIBS)
dist_man_MANS += store/report-query.1
