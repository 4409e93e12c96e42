/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_split - the messages of an mbox, the objects of an export
 * PURPOSE
 *	An mbox separator is a "From " line at the start of the file or
 *	after an empty line: a body line that begins with "From " but
 *	follows text (a writer that did not quote it) stays in the message.
 *	Line ends may be LF or CRLF.
 */
#include <stdlib.h>
#include <string.h>

#include "rq_split.h"

void
rq_cursor_init(struct rq_cursor *c, const char *buf, size_t len)
{
	c->buf = buf;
	c->len = len;
	c->pos = 0;
}

bool
rq_split_is_mbox(const char *buf, size_t len)
{
	return (len >= 5 && memcmp(buf, "From ", 5) == 0);
}

static size_t
skip_space(const char *buf, size_t len, size_t i)
{
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' ||
	    buf[i] == '\r'))
		i++;
	return (i);
}

bool
rq_split_is_export(const char *buf, size_t len)
{
	size_t	i = 0;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	i = skip_space(buf, len, i);
	if (i < len && buf[i] == '[')
		i = skip_space(buf, len, i + 1);
	if (i >= len || buf[i] != '{')
		return (false);
	i = skip_space(buf, len, i + 1);
	return (len - i >= 7 && memcmp(buf + i, "\"@type\"", 7) == 0);
}

/* Where the line that starts at i ends (after its '\n', or len). */
static size_t
line_end(const char *buf, size_t len, size_t i)
{
	const char *nl = memchr(buf + i, '\n', len - i);

	return (nl ? (size_t) (nl - buf) + 1 : len);
}

/* Is the line that starts at i empty ("\n" or "\r\n")? */
static bool
empty_line(const char *buf, size_t len, size_t i)
{
	return ((i < len && buf[i] == '\n') ||
	    (i + 1 < len && buf[i] == '\r' && buf[i + 1] == '\n'));
}

/* Copies the sender of the "From " line at i (the word after "From "). */
static void
copy_sender(const char *buf, size_t end, size_t i, char *sender, size_t size)
{
	size_t	n = 0;

	for (i += 5; i < end && buf[i] == ' '; i++)
		;
	for (; i < end && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r' &&
	    buf[i] != '\n'; i++)
		if (n + 1 < size)
			sender[n++] = buf[i];
	if (size > 0)
		sender[n] = '\0';
}

int
rq_mbox_next(struct rq_cursor *c, const char **msg, size_t *mlen,
    char *sender, size_t size)
{
	size_t	start, i, prev, end;

	if (c->pos >= c->len)
		return (0);
	/* c->pos is at a "From " line (or, for a file that is not, its start). */
	end = line_end(c->buf, c->len, c->pos);
	if (rq_split_is_mbox(c->buf + c->pos, c->len - c->pos))
		copy_sender(c->buf, end, c->pos, sender, size);
	else {
		end = c->pos;
		if (size > 0)
			sender[0] = '\0';
	}
	start = prev = end;
	for (i = start; i < c->len; i = line_end(c->buf, c->len, i)) {
		if (i > start && empty_line(c->buf, c->len, prev) &&
		    rq_split_is_mbox(c->buf + i, c->len - i))
			break;
		prev = i;
	}
	*msg = c->buf + start;
	/* The empty line before a separator (or at the end) is not the mail's. */
	*mlen = (i > start && empty_line(c->buf, c->len, prev)) ?
	    prev - start : i - start;
	c->pos = i;
	return (1);
}

/* Is the line at i a quoted From line (">From ", ">>From ", ...)? */
static bool
quoted_from(const char *msg, size_t len, size_t i)
{
	while (i < len && msg[i] == '>')
		i++;
	return (i > 0 && msg[i - 1] == '>' && len - i >= 5 &&
	    memcmp(msg + i, "From ", 5) == 0);
}

int
rq_mbox_unescape(const char *msg, size_t len, char **out, size_t *outlen)
{
	size_t	i, n = 0;
	bool	any = false;
	char   *copy;

	*out = NULL;
	for (i = 0; i < len && !any; i = line_end(msg, len, i))
		any = msg[i] == '>' && quoted_from(msg, len, i);
	if (!any)
		return (0);
	if ((copy = malloc(len + 1)) == NULL)
		return (-1);
	for (i = 0; i < len; ) {
		size_t	e = line_end(msg, len, i);

		if (msg[i] == '>' && quoted_from(msg, len, i))
			i++;
		memcpy(copy + n, msg + i, e - i);
		n += e - i;
		i = e;
	}
	copy[n] = '\0';
	*out = copy;
	*outlen = n;
	return (1);
}

/* Where the string that opens at i ('"') ends (after its '"'), or len. */
static size_t
string_end(const char *buf, size_t len, size_t i)
{
	for (i++; i < len; i++) {
		if (buf[i] == '\\')
			i++;
		else if (buf[i] == '"')
			return (i + 1);
	}
	return (len);
}

/*
 * Objects are told apart by their braces alone, strings passed over:
 * what is inside one is for the JSON reader to judge, so that one object
 * it refuses does not hide the ones after it.
 */
int
rq_json_next(struct rq_cursor *c, const char **obj, size_t *olen)
{
	size_t	i = c->pos, start, depth = 0;

	while (i < c->len && ((c->buf[i] != '\0' &&
	    strchr(" \t\r\n,[]", c->buf[i]) != NULL) ||
	    (i + 2 < c->len && memcmp(c->buf + i, "\xef\xbb\xbf", 3) == 0)))
		i += (unsigned char) c->buf[i] == 0xef ? 3 : 1;
	c->pos = i;
	if (i >= c->len)
		return (0);
	if (c->buf[i] != '{')
		return (-1);
	for (start = i; i < c->len; ) {
		if (c->buf[i] == '"') {
			i = string_end(c->buf, c->len, i);
			continue;
		}
		if (c->buf[i] == '{')
			depth++;
		else if (c->buf[i] == '}' && --depth == 0) {
			*obj = c->buf + start;
			*olen = i + 1 - start;
			c->pos = i + 1;
			return (1);
		}
		i++;
	}
	return (-1);
}
