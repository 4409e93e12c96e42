/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_copy.h - rows for PostgreSQL's COPY, and text that is safe to send
 * PURPOSE
 *	A push sends records with COPY ... FROM STDIN in the text format:
 *	fields apart by tabs, rows ended by a line end, "\N" for NULL, and
 *	backslash, tab, line end and carriage return escaped. A report's
 *	strings come from strangers: bytes that are not UTF-8 become U+FFFD
 *	(PostgreSQL would refuse the whole row), and a value is never part
 *	of SQL text, only of COPY data or a query parameter.
 *
 *	A struct rq_copy collects rows and hands them to the connection in
 *	blocks of about 64 KiB, so that a report of any size goes through in
 *	bounded memory.
 */
#ifndef RQ_COPY_H
#define RQ_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "record.h"

struct rq_copy {
	PGconn *pg;
	char   *buf;
	size_t	len;
	size_t	cap;
	bool	first;		/* no field in the row yet */
	bool	nomem;		/* a write failed for memory: the COPY fails */
	uint64_t rows;
};

/*
 * Starts "COPY table (columns) FROM STDIN" (sql) on pg. Returns 0, or -1
 * with the server's reason printed as verb's.
 */
int	rq_copy_begin(struct rq_copy *c, PGconn *pg, const char *verb,
	    const char *sql);

/* Fields of the current row, in column order. */
void	rq_copy_text(struct rq_copy *c, const char *s);	/* NULL: \N */
/* s[0..len), a span of a NUL-terminated string (its UTF-8 is checked). */
void	rq_copy_textn(struct rq_copy *c, const char *s, size_t len);
void	rq_copy_null(struct rq_copy *c);
void	rq_copy_u64(struct rq_copy *c, uint64_t v);
void	rq_copy_bool(struct rq_copy *c, bool v);
void	rq_copy_time(struct rq_copy *c, int64_t t);
/* An address for an inet column; \N when s is no IP address. */
void	rq_copy_inet(struct rq_copy *c, const char *s);
/* A text[] column: the array literal of the list. */
void	rq_copy_array(struct rq_copy *c, const struct strlist *l);
/* Ends the row; sends a block when enough has gathered. 0 or -1. */
int	rq_copy_row(struct rq_copy *c, const char *verb);

/*
 * Sends what is left and ends the COPY (ok false: aborts it). Frees the
 * buffer. Returns 0 when the server took every row, else -1 (printed).
 */
int	rq_copy_end(struct rq_copy *c, const char *verb, bool ok);

/*
 * Text for a query parameter: s as valid UTF-8 (a copy with U+FFFD for
 * bad bytes), the caller's (free()); NULL when out of memory. NULL in,
 * NULL out: check s first.
 */
char   *rq_copy_utf8(const char *s);

/* The array literal of a list for a text[] parameter (the caller's). */
char   *rq_copy_array_literal(const struct strlist *l);

/* The RFC 3339 text of t in buf (a timestamptz parameter). */
void	rq_copy_time_text(int64_t t, char buf[32]);

/* The text of s when it is an IPv4 or IPv6 address, else NULL (borrowed). */
const char *rq_copy_ip(const char *s);

#endif
