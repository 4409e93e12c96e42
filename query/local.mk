# SPDX-License-Identifier: BSD-2-Clause
# query/: report-query, one small file per verb (rq_*.c), its output
# formats and its own parsing of --where; a client of store/ and parsers/.
bin_PROGRAMS += report-query
report_query_SOURCES = \
	query/report_query.c query/rq.h \
	query/rq_parse.c query/rq_parse_out.c query/rq_parse_out.h \
	query/rq_common.c query/rq_config.c \
	query/rq_get.c query/rq_delete.c query/rq_purge.c query/rq_stat.c \
	query/rq_query.c query/rq_query.h query/rq_query_out.c \
	query/rq_where.c query/rq_where.h query/rq_match.c \
	query/rq_scan.c query/rq_ids.c query/rq_ids.h \
	query/rq_print.c query/rq_print.h query/rq_print_hosts.c \
	query/rq_row.c query/rq_row.h \
	query/rq_table.c query/rq_table.h \
	query/rq_summary.c query/rq_sum.c query/rq_sum.h query/rq_sum_print.c \
	query/rq_sum_by.c query/rq_sum_by.h \
	query/rq_hosts.c query/rq_hosts_out.c query/rq_hosts.h \
	query/rq_tally.c query/rq_tally.h query/rq_top.c query/rq_top.h \
	query/rq_export.c query/rq_import.c query/rq_import.h \
	query/rq_import_file.c query/rq_import_walk.c \
	query/rq_split.c query/rq_split.h query/rq_object.c query/rq_object.h \
	query/rq_quarantine.c query/rq_reparse.c
# html: the one self-contained page
report_query_SOURCES += \
	query/rq_html.c query/rq_html.h query/rq_html_agg.c \
	query/rq_html_days.c query/rq_html_esc.c query/rq_html_esc.h \
	query/rq_html_svg.c query/rq_html_svg.h query/rq_html_page.c \
	query/rq_html_page.h query/rq_html_dmarc.c query/rq_html_more.c
# push: the only code that speaks to PostgreSQL (libpq)
report_query_SOURCES += \
	query/rq_push.c query/rq_push.h query/rq_push_report.c \
	query/rq_push_dmarc.c query/rq_push_tls.c query/rq_push_arf.c \
	query/rq_push_hosts.c \
	query/rq_pg.c query/rq_pg.h query/rq_copy.c query/rq_copy.h
# metrics: the store's figures in the Prometheus text format
report_query_SOURCES += \
	query/rq_sum_store.c query/rq_sum_store.h query/rq_metrics.c
# enrich: the only code that resolves names (libunbound), reads the Public
# Suffix List (libpsl) and MMDB files (libmaxminddb)
report_query_SOURCES += \
	query/rq_enrich.c query/rq_enrich.h query/rq_enrich_dns.c \
	query/rq_enrich_psl.c query/rq_enrich_mmdb.c query/rq_enrich_service.c \
	query/rq_enrich_list.c
# The service map enrich reads (editable; a local one overrides it).
servicesdir = $(datadir)/report-milter
dist_services_DATA = contrib/services.map
# alerts: what is new since the last run, for cron
report_query_SOURCES += \
	query/rq_alerts.c query/rq_alerts.h query/rq_alerts_state.c \
	query/rq_alerts_check.c
nodist_report_query_SOURCES = query/rq_pg_schema.c
report_query_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/parsers -I$(top_srcdir)/store \
	-I$(top_srcdir)/query $(PQ_CFLAGS) $(UNBOUND_CFLAGS) $(PSL_CFLAGS) \
	$(MAXMINDDB_CFLAGS) -DDATADIR='"$(datadir)"'
report_query_LDADD = $(STORE_LIBS) $(PQ_LIBS) $(UNBOUND_LIBS) $(PSL_LIBS) \
	$(MAXMINDDB_LIBS)
# The schema's migrations, built in from the SQL file that documents them.
EXTRA_DIST += contrib/postgresql/schema.sql
CLEANFILES += query/rq_pg_schema.c
query/rq_pg_schema.c: $(srcdir)/contrib/postgresql/schema.sql
	$(AM_V_GEN)$(MKDIR_P) $(@D) && rm -f $@ $@.tmp && { \
	echo '/* SPDX-License-Identifier: BSD-2-Clause */'; \
	echo '/* Made from contrib/postgresql/schema.sql by make. */'; \
	echo '#include "rq_pg.h"'; \
	echo 'const char rq_pg_schema_sql[] ='; \
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' \
	    $(srcdir)/contrib/postgresql/schema.sql; \
	echo ';'; } > $@.tmp && mv $@.tmp $@
man_MANS += query/report-query.1
EXTRA_DIST += query/report-query.1.in
CLEANFILES += query/report-query.1
query/report-query.1: $(srcdir)/query/report-query.1.in Makefile
	$(edit_made)
