/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	extract.h - every report in a message (or in a bare report file)
 * PURPOSE
 *	The one entry point from bytes to reports. The input is an e-mail
 *	(RFC 5322; LF, CRLF, or the bare CR of old Mac mail clients, read
 *	as LF) or a bare report: DMARC XML, TLS-RPT JSON, or
 *	either compressed with gzip (also gzip in gzip) or zip, told apart by
 *	content, never by name. In an e-mail, every MIME part is looked at
 *	(also inside forwarded message/rfc822 parts) and every report part is
 *	decoded, decompressed as it streams and parsed.
 */
#ifndef EXTRACT_H
#define EXTRACT_H

#include <stddef.h>

#include "dmarc_xml.h"
#include "parse.h"
#include "record.h"

/* What the caller wants to hear about. Every member may be NULL. */
struct extract_sink {
	/*
	 * DMARC records as they stream (see dmarc_xml.h). NULL: records stay
	 * in the report handed to on_report.
	 */
	dmarc_batch_fn on_dmarc_records;
	/*
	 * A complete report; the callee owns it. where names the part, e.g.
	 * "part 2 (report.xml.gz) > gzip". A status other than PARSE_OK stops
	 * the walk and extract_message() returns it.
	 */
	enum parse_status (*on_report)(void *arg, struct report *report,
	    const char *where);
	/* A report part that could not be used, with the reason. */
	void	(*on_failure)(void *arg, const char *where,
	    enum parse_status status, const char *reason);
	void   *arg;
};

/* The headers of the report mail, for the External report fields. */
struct message_info {
	char   *from;		/* address of From:, NULL when absent */
	char   *subject;	/* decoded Subject:, NULL when absent */
	struct strlist to;	/* addresses of To: (and Cc:) */
	char   *message_id;	/* Message-ID without <>, NULL when absent */
	char   *date;		/* Date: as written, NULL when absent */
};

/* Frees what *info holds; the structure is left zeroed. */
void	message_info_clear(struct message_info *info);

/*
 * Finds and parses every report in data[0..len). info may be NULL (for
 * a bare report file every member stays NULL or empty). Returns PARSE_OK
 * when at least one report reached on_report, PARSE_NOT_REPORT when
 * nothing looked like a report, PARSE_INVALID or PARSE_LIMIT when report
 * parts were found but none could be used (err has the first reason),
 * PARSE_NOMEM, or the status of a callback that stopped the walk. Each
 * part that fails is also passed to on_failure, also when another part
 * succeeded.
 *
 * *info is overwritten (zeroed, then filled): clear a reused one first.
 * PARSE_NOMEM and a callback's status are returned even when reports were
 * delivered before: the message was not read to its end. A cap of the
 * whole message (mime_parts, mime_depth, message_bytes) ends the walk but
 * keeps what was found: PARSE_OK when that is a report, the limit passed
 * to on_failure either way. Parts are named by their position, as IMAP
 * does ("part 2", "part 2.1" inside a forwarded message), with the file
 * name or else the media type: "part 2 (x.xml.gz) > gzip"; a bare file
 * is "file", "file > zip:x.xml".
 *
 * Caveat: GMime allocates with g_malloc, which aborts when memory runs
 * out; PARSE_NOMEM covers this module's own allocations and zlib's.
 */
enum parse_status extract_message(const char *data, size_t len,
    const struct parse_limits *limits, const struct extract_sink *sink,
    struct message_info *info, struct parse_error *err);

/*
 * Initialises the libraries the walk uses (GMime, libxml2). Call once,
 * before any thread starts; extract_shutdown() at exit.
 */
void	extract_init(void);
void	extract_shutdown(void);

#endif
