/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	extract - every report in a message or in a bare report file
 * PURPOSE
 *	The one entry point from bytes to reports. The input is told apart by
 *	content, never by name: gzip or zip magic, or a first significant
 *	character '<' or '{', is a bare report (decoded like a report part,
 *	where "file"); an input that opens with a header field is an e-mail,
 *	walked by mime_walk.c (bare CR line ends made LF first); anything
 *	else is refused as unrecognised.
 *	The outcome of the walk becomes one status (see extract.h).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>
#include <libxml/parser.h>

#include "extract.h"
#include "extract_part.h"
#include "mime_walk.h"
#include "parse.h"
#include "record.h"

void
message_info_clear(struct message_info *info)
{
	if (info == NULL)
		return;
	free(info->from);
	free(info->subject);
	strlist_clear(&info->to);
	free(info->message_id);
	free(info->date);
	memset(info, 0, sizeof(*info));
}

/* gzip, zip, or text that opens with '<' or '{' (after a BOM and space). */
static bool
is_bare_report(const unsigned char *p, size_t len)
{
	size_t	i = 0;

	if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return (true);
	if (len >= 4 && p[0] == 'P' && p[1] == 'K' &&
	    ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6)))
		return (true);
	if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		i = 3;
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	    p[i] == '\n'))
		i++;
	return (i < len && (p[i] == '<' || p[i] == '{'));
}

/*
 * An e-mail opens with a header field ("Name:", the name printable
 * US-ASCII without ':' or space) or an mbox "From " line.
 */
static bool
is_mail(const unsigned char *p, size_t len)
{
	size_t	i;

	if (len >= 5 && memcmp(p, "From ", 5) == 0)
		return (true);
	for (i = 0; i < len && p[i] > ' ' && p[i] < 0x7f && p[i] != ':'; i++)
		;
	return (i > 0 && i < len && p[i] == ':');
}

/*
 * GMime's parser builds every part, and recurses once per nested
 * multipart or message, before the walk can count anything. Two counts
 * bound what it would build: the Content-Type fields that name a
 * multipart or message type bound the nesting, and the lines that open
 * with "--" bound the parts (each part of a multipart follows such a
 * delimiter line). Past limits->mime_parts of the former, or
 * MIME_DELIMITERS_PER_PART times as many of the latter, the message is
 * refused without being parsed, so that a hostile nesting cannot exhaust
 * the stack nor 100,000 empty parts the memory (GMime spends some 2 KiB
 * on each).
 */
#define MIME_DELIMITERS_PER_PART	4

static bool
too_many_containers(const char *p, size_t len, unsigned max)
{
	const char *end = p + len, *q;
	unsigned n = 0;
	size_t	dashes = 0;

	for (q = p; q < end; q++) {
		if (q != p && q[-1] != '\n')
			continue;
		if ((size_t) (end - q) >= 2 && q[0] == '-' && q[1] == '-' &&
		    ++dashes > (size_t) max * MIME_DELIMITERS_PER_PART)
			return (true);
		if ((size_t) (end - q) < 22 || strncasecmp(q, "content-type:",
		    13) != 0)
			continue;
		q += 13;
		while (q < end && (*q == ' ' || *q == '\t' || *q == '\r' ||
		    *q == '\n'))
			q++;
		if ((size_t) (end - q) >= 10 && (strncasecmp(q, "multipart/",
		    10) == 0 || strncasecmp(q, "message/", 8) == 0) &&
		    ++n > max)
			return (true);
		q--;
	}
	return (false);
}

/*
 * Old Mac mail clients end lines with a bare CR. A message whose first
 * line ends so is read with every bare CR made an LF (a CRLF stays), in
 * a copy the caller frees; NULL when the message needs none, or (*nomem
 * set) when memory ran out.
 */
static char *
lf_copy(const char *data, size_t len, bool *nomem)
{
	const char *cr = memchr(data, '\r', len), *lf = memchr(data, '\n', len);
	char   *copy;
	size_t	i;

	*nomem = false;
	if (cr == NULL || (lf != NULL && lf < cr) ||
	    (lf != NULL && lf == cr + 1))
		return (NULL);
	if ((copy = malloc(len)) == NULL) {
		*nomem = true;
		return (NULL);
	}
	for (i = 0; i < len; i++)
		copy[i] = (data[i] == '\r' && (i + 1 == len ||
		    data[i + 1] != '\n')) ? '\n' : data[i];
	return (copy);
}

enum parse_status
extract_message(const char *data, size_t len,
    const struct parse_limits *limits, const struct extract_sink *sink,
    struct message_info *info, struct parse_error *err)
{
	const unsigned char *u = (const unsigned char *) data;
	struct extract_walk w;
	char   *copy = NULL;
	bool	nomem = false;

	memset(&w, 0, sizeof(w));
	w.limits = limits;
	w.sink = sink;
	w.err = err;
	if (info != NULL)
		memset(info, 0, sizeof(*info));
	if (len == 0)
		extract_fail(&w, "file", PARSE_INVALID, "empty file");
	else if (is_bare_report(u, len))
		extract_part(&w, u, len, "file", true);
	else if (!is_mail(u, len))
		extract_fail(&w, "file", PARSE_INVALID, "unrecognised content");
	else if ((copy = lf_copy(data, len, &nomem)) == NULL && nomem)
		w.stop = PARSE_NOMEM;
	else if (too_many_containers(copy ? copy : data, len,
	    limits->mime_parts)) {
		char	reason[64];

		snprintf(reason, sizeof(reason), "more than %u MIME parts",
		    limits->mime_parts);
		extract_fail(&w, "message", PARSE_LIMIT, reason);
	} else
		mime_walk_message(&w, copy ? copy : data, len, info);
	free(copy);
	if (w.stop != PARSE_OK) {
		if (w.stop == PARSE_NOMEM)
			parse_error_set(err, "out of memory");
		return (w.stop);
	}
	if (w.reports > 0)
		return (PARSE_OK);
	if (w.first_failure != PARSE_OK)
		return (w.first_failure);
	parse_error_set(err, "no report found");
	return (PARSE_NOT_REPORT);
}

/*
 * libxml2 reports a few errors (a failed character conversion) to no
 * parser context but to its generic handler, which prints them on stderr.
 * A library never logs, and the parser still fails with a reason.
 */
static void
xml_quiet(void *ctx, const char *msg, ...)
{
	(void) ctx;
	(void) msg;
}

void
extract_init(void)
{
	g_mime_init();
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, xml_quiet);	/* this thread */
	xmlThrDefSetGenericErrorFunc(NULL, xml_quiet);	/* threads to come */
}

void
extract_shutdown(void)
{
	g_mime_shutdown();
	xmlCleanupParser();
}
