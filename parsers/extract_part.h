/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	extract_part.h - one report part: decode, sniff, parse, deliver
 * PURPOSE
 *	Internal to the extract module (extract.c, mime_walk.c): the state of
 *	one walk over a message, and the step that turns the decoded bytes of
 *	one part into a report for the caller. No library object appears
 *	here: parts arrive as plain bytes.
 */
#ifndef EXTRACT_PART_H
#define EXTRACT_PART_H

#include <stdbool.h>
#include <stddef.h>

#include "extract.h"
#include "parse.h"

/* One call of extract_message(). */
struct extract_walk {
	const struct parse_limits *limits;
	const struct extract_sink *sink;
	struct parse_error *err;	/* the first failure's reason */
	enum parse_status first_failure; /* PARSE_OK while there is none */
	unsigned reports;		/* reports handed to on_report */
	size_t	message_out;		/* decompressed bytes of all parts */
	/*
	 * PARSE_OK, or why the walk must end and extract_message() return
	 * this status whatever was found: out of memory, or a status a
	 * caller's callback returned.
	 */
	enum parse_status stop;
	/* A cap of the whole message was reached: look at no more parts. */
	bool	halted;
};

/*
 * Decodes data[0..len) (inflate_data), sniffs the text (DMARC XML or
 * TLS-RPT JSON) and hands a parsed report to the sink's on_report. where
 * names the part ("part 2 (x.xml.gz)", "file"); the containers crossed
 * are appended. claimed: the part's type or name said "report", so a
 * failure is passed to on_failure; an unclaimed part (octet-stream
 * looked at by content) that is no report is passed over in silence.
 * Returns w->stop.
 */
enum parse_status extract_part(struct extract_walk *w,
    const unsigned char *data, size_t len, const char *where, bool claimed);

/*
 * Parses a message/feedback-report part (arf_parse) with the returned
 * message or headers, if any, and delivers the report. Returns w->stop.
 */
enum parse_status extract_arf(struct extract_walk *w, const char *fields,
    size_t len, const char *returned, size_t returned_len,
    bool headers_only, const char *where);

/*
 * Records a failure: on_failure hears of it, and the first one becomes
 * the walk's status and reason.
 */
void	extract_fail(struct extract_walk *w, const char *where,
    enum parse_status status, const char *reason);

#endif
