# bench/: benchmarks that print figures (not tests): make bench
noinst_PROGRAMS += bench/bench_parse
bench_bench_parse_SOURCES = bench/bench_parse.c
bench_bench_parse_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/parsers
bench_bench_parse_CFLAGS = $(AM_CFLAGS) -O2
bench_bench_parse_LDADD = parsers/libparsers.a $(PARSERS_LIBS)
EXTRA_DIST += bench/run-parse.sh

bench: bench/bench_parse
	sh $(top_srcdir)/bench/run-parse.sh
.PHONY: bench
