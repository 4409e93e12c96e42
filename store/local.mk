# store/: the only code that touches LMDB, and report-query beside it.
bin_PROGRAMS += report-query
report_query_SOURCES = \
	store/report_query.c store/rq.h \
	store/rq_parse.c
report_query_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/parsers
report_query_LDADD = parsers/libparsers.a $(PARSERS_LIBS)
dist_man_MANS += store/report-query.1
