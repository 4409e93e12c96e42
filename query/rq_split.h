/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_split.h - the messages of an mbox, the objects of an export
 * PURPOSE
 *	report-query import takes files that hold many items: an mbox (one
 *	mail after each "From " line) and a file that report-query export
 *	(or get) wrote (External report objects with "@type", one per line,
 *	in a JSON array, or one after another). These functions find the
 *	items in the bytes of such a file. Pure: no files, no allocation
 *	but the copy rq_mbox_unescape() makes.
 */
#ifndef RQ_SPLIT_H
#define RQ_SPLIT_H

#include <stdbool.h>
#include <stddef.h>

/* True when buf opens with an mbox "From " line. */
bool	rq_split_is_mbox(const char *buf, size_t len);

/*
 * True when buf holds exported objects: its first JSON object (at the
 * top, or first in a top-level array) has "@type" as its first member.
 * A bare TLS-RPT report (also JSON) does not.
 */
bool	rq_split_is_export(const char *buf, size_t len);

struct rq_cursor {
	const char *buf;
	size_t	len;
	size_t	pos;
};

/* Starts reading buf[0..len) (borrowed: it must outlive the cursor). */
void	rq_cursor_init(struct rq_cursor *c, const char *buf, size_t len);

/*
 * The next message of an mbox: *msg and *mlen point into the buffer at
 * the message after its "From " line, up to (not including) the empty
 * line before the next "From " line that follows an empty line. The
 * envelope sender of the "From " line is copied into sender (cut to
 * size; "" when the line has none). Returns 1, or 0 at the end.
 */
int	rq_mbox_next(struct rq_cursor *c, const char **msg, size_t *mlen,
	    char *sender, size_t size);

/*
 * Undoes the mboxrd quoting of a message: a line ">From ", ">>From ",
 * ... loses one '>'. Returns 0 when there is nothing to undo (*out is
 * NULL: use msg as it is), 1 with *out a copy the caller frees and
 * *outlen its length, -1 when out of memory.
 */
int	rq_mbox_unescape(const char *msg, size_t len, char **out,
	    size_t *outlen);

/*
 * The next top-level JSON object: white space, commas and the brackets
 * of a top-level array between objects are skipped; strings (and the
 * braces in them) are read as JSON writes them. *obj and *olen point
 * into the buffer. Returns 1, 0 at the end, or -1 when what follows is
 * not an object or the object does not end (the cursor stops there).
 */
int	rq_json_next(struct rq_cursor *c, const char **obj, size_t *olen);

#endif
