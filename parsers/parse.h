/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	parse.h - what every parser returns: a status, a reason, the limits
 * PURPOSE
 *	The parsers module reports every outcome with one small enum and a
 *	caller-supplied struct parse_error that carries a reason a postmaster
 *	can read. Hostile input never aborts: it ends in PARSE_INVALID or
 *	PARSE_LIMIT with a reason. Running out of memory ends in PARSE_NOMEM,
 *	which the callers turn into a temporary failure.
 */
#ifndef PARSE_H
#define PARSE_H

#include <stddef.h>

enum parse_status {
	PARSE_OK = 0,		/* at least one report was produced */
	PARSE_NOT_REPORT,	/* nothing in the input looks like a report */
	PARSE_INVALID,		/* a report was found but cannot be read */
	PARSE_LIMIT,		/* a configured cap was reached */
	PARSE_NOMEM,		/* out of memory: the caller should retry later */
	PARSE_STOPPED		/* a caller's callback asked to stop */
};

struct parse_error {
	char	reason[512];	/* "" when there is nothing to say */
};

/*
 * Formats a reason into err (NULL is fine: nothing is written). Only the
 * first reason is kept: a later call does not overwrite an earlier one,
 * because the first failure is the one that explains the rest.
 */
void	parse_error_set(struct parse_error *err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Empties err so that the next parse_error_set() is kept. */
void	parse_error_clear(struct parse_error *err);

/* A short lower-case name for a status ("ok", "not a report", ...). */
const char *parse_status_name(enum parse_status);

/*
 * Caps that bound the work and memory spent on one message. Every cap
 * hit ends the part (or message) concerned with PARSE_LIMIT and a reason.
 */
struct parse_limits {
	size_t	part_bytes;		/* decompressed bytes of one report part */
	size_t	message_bytes;		/* decompressed bytes of all parts of a message */
	unsigned mime_depth;		/* nesting of multiparts and message/rfc822 */
	unsigned mime_parts;		/* MIME parts looked at in one message */
	unsigned zip_members;		/* entries in one zip archive */
	unsigned gzip_layers;		/* gzip inside gzip inside ... */
	size_t	json_bytes;		/* one TLS-RPT JSON document (its text is read whole) */
	size_t	returned_message_bytes;	/* ARF returned message or headers kept */
	unsigned xml_depth;		/* element nesting in a DMARC report */
	size_t	field_bytes;		/* one XML text value or ARF field */
};

/* Fills *limits with the defaults (documented in parse.c). */
void	parse_limits_default(struct parse_limits *limits);

#endif
