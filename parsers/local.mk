# SPDX-License-Identifier: BSD-2-Clause
# parsers/: pure functions from bytes to records.
noinst_LIBRARIES += parsers/libparsers.a
parsers_libparsers_a_CFLAGS = $(AM_CFLAGS) $(GMIME_CFLAGS) $(XML_CFLAGS) \
	$(JSONC_CFLAGS) $(ZLIB_CFLAGS) $(LIBZIP_CFLAGS)
parsers_libparsers_a_SOURCES = \
	parsers/parse.c parsers/parse.h \
	parsers/record.c parsers/record.h \
	parsers/record_enum.c parsers/record_enum.h \
	parsers/record_json.c parsers/record_json.h \
	parsers/record_json_read.c parsers/record_json_int.h \
	parsers/record_json_stream.c parsers/zbuf.c parsers/zbuf.h
# What a program that links libparsers.a needs besides it.
PARSERS_LIBS = $(PTHREAD_LIBS) $(GMIME_LIBS) $(XML_LIBS) $(JSONC_LIBS) $(ZLIB_LIBS) $(LIBZIP_LIBS)
# Dates, TLS-RPT JSON (json_span finds its spans) and ARF.
parsers_libparsers_a_SOURCES += parsers/timeparse.c parsers/timeparse.h \
	parsers/tlsrpt_json.c parsers/tlsrpt_json.h \
	parsers/json_span.c parsers/json_span.h \
	parsers/arf.c parsers/arf.h parsers/arf_fields.c parsers/arf_fields.h
# Streaming DMARC aggregate report XML (dmarc_xml; fields and values are its parts).
parsers_libparsers_a_SOURCES += parsers/dmarc_xml.c parsers/dmarc_xml.h \
	parsers/dmarc_fields.c parsers/dmarc_fields.h \
	parsers/dmarc_values.c parsers/dmarc_values.h
# Decoding (gzip, zip) and the message walk: extract is the entry point,
# extract_part one report part, mime_walk the GMime walk.
parsers_libparsers_a_SOURCES += parsers/inflate.c parsers/inflate.h parsers/relay.c parsers/relay.h \
	parsers/extract.c parsers/extract.h \
	parsers/extract_part.c parsers/extract_part.h \
	parsers/mime_walk.c parsers/mime_walk.h
# Authentication-Results (RFC 8601) and the rule of whom to believe.
parsers_libparsers_a_SOURCES += parsers/authres.c parsers/authres.h
