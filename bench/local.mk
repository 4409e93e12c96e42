# SPDX-License-Identifier: BSD-2-Clause
# bench/: benchmarks that print figures (not tests): make bench
noinst_PROGRAMS += bench/bench_parse
bench_bench_parse_SOURCES = bench/bench_parse.c
bench_bench_parse_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/parsers
bench_bench_parse_CFLAGS = $(AM_CFLAGS) -O2
bench_bench_parse_LDADD = parsers/libparsers.a $(PARSERS_LIBS)
EXTRA_DIST += bench/run-parse.sh bench/README bench/gen_reports.py \
	bench/make_data.sh

EXTRA_PROGRAMS += bench/bench_ingest
bench_bench_ingest_SOURCES = bench/bench_ingest.c
bench_bench_ingest_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/parsers \
	-I$(top_srcdir)/store
bench_bench_ingest_CFLAGS = $(AM_CFLAGS) -O2
bench_bench_ingest_LDADD = $(STORE_LIBS)
EXTRA_DIST += bench/run-ingest.sh

EXTRA_PROGRAMS += bench/bench_flush
bench_bench_flush_SOURCES = bench/bench_flush.c

bench: bench/bench_parse bench/bench_ingest bench/bench_flush
	sh $(top_srcdir)/bench/run-parse.sh
	sh $(top_srcdir)/bench/run-ingest.sh
.PHONY: bench

# 10,000 report e-mails through a private Postfix (needs root): make bench-load
EXTRA_DIST += bench/run-load.sh bench/run-milter.sh bench/run-push.sh
# report-query html at scale (10,000 reports, 2 million records)
EXTRA_DIST += bench/run-html.sh

bench-load: report-milter report-query
	top_builddir=. sh $(top_srcdir)/bench/run-load.sh
.PHONY: bench-load

# report-query push into a private PostgreSQL (tests/pg/pg-up.sh): make bench-push
bench-push: report-query
	sh $(top_srcdir)/bench/run-push.sh
.PHONY: bench-push

# report-query enrich against a private DNS server: make bench-enrich
EXTRA_DIST += bench/run-enrich.sh
bench-enrich: report-query
	sh $(top_srcdir)/bench/run-enrich.sh
.PHONY: bench-enrich

# report-milter behind a private Postfix, ordinary against report mail,
# sent by smtp_send (needs root): make bench-milter
EXTRA_PROGRAMS += bench/smtp_send
bench_smtp_send_SOURCES = bench/smtp_send.c
bench_smtp_send_CFLAGS = $(AM_CFLAGS) -O2
bench_smtp_send_LDADD = $(PTHREAD_LIBS)
bench-milter: report-milter bench/smtp_send
	top_builddir=. sh $(top_srcdir)/bench/run-milter.sh
.PHONY: bench-milter
