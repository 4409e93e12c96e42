/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	json_span - where a member's value lies in JSON text, without a tree
 * PURPOSE
 *	See json_span.h. Positions are offsets into the caller's text; a
 *	scan that fails returns NONE, and every function gives -1 for it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_span.h"

#define NONE	SIZE_MAX

static bool
is_ws(char c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r');
}

static size_t
skip_ws(const char *buf, size_t len, size_t pos)
{
	while (pos < len && is_ws(buf[pos]))
		pos++;
	return (pos);
}

/*
 * buf[pos] is '"': the offset after the closing quote. The next quote is
 * looked for again only once an escape has passed it, so that a string
 * of many escapes is still read in one pass.
 */
static size_t
skip_string(const char *buf, size_t len, size_t pos)
{
	const char *q = NULL, *b;

	for (pos++; pos < len; ) {
		if (q == NULL || q < buf + pos) {
			if ((q = memchr(buf + pos, '"', len - pos)) == NULL)
				return (NONE);
		}
		if ((b = memchr(buf + pos, '\\', (size_t) (q - buf) - pos)) ==
		    NULL)
			return ((size_t) (q - buf) + 1);
		pos = (size_t) (b - buf) + 2;	/* past what it escapes */
	}
	return (NONE);
}

/* The offset after the value that begins at buf[pos]. */
static size_t
skip_value(const char *buf, size_t len, size_t pos)
{
	char	want[JSON_SPAN_DEPTH];	/* the closers still due */
	size_t	depth = 0, start = pos;
	char	c;

	if (pos >= len)
		return (NONE);
	if (buf[pos] != '{' && buf[pos] != '[') {
		if (buf[pos] == '"')
			return (skip_string(buf, len, pos));
		/* A number or literal: up to what may follow a value. */
		while (pos < len && !is_ws(buf[pos]) && buf[pos] != ',' &&
		    buf[pos] != ']' && buf[pos] != '}' && buf[pos] != ':')
			pos++;
		return (pos > start ? pos : NONE);
	}
	while (pos < len) {
		c = buf[pos];
		if (c == '"') {
			if ((pos = skip_string(buf, len, pos)) == NONE)
				return (NONE);
			continue;
		}
		if (c == '{' || c == '[') {
			if (depth == JSON_SPAN_DEPTH)
				return (NONE);
			want[depth++] = c == '{' ? '}' : ']';
		} else if (c == '}' || c == ']') {
			if (want[depth - 1] != c)
				return (NONE);
			if (--depth == 0)
				return (pos + 1);
		}
		pos++;
	}
	return (NONE);
}

/*
 * The value of key in the object text buf[pos..len) (pos at '{'): 1 and
 * *off, *vlen set; 0 absent; -1 it does not scan.
 */
static int
find_member(const char *buf, size_t len, size_t pos, const char *key,
    size_t *off, size_t *vlen)
{
	size_t	klen = strlen(key), kstart, kend, vstart;
	int	found = 0;

	pos = skip_ws(buf, len, pos + 1);
	if (pos < len && buf[pos] == '}')
		return (0);
	for (;;) {
		if (pos >= len || buf[pos] != '"')
			return (-1);
		kstart = pos + 1;
		if ((pos = skip_string(buf, len, pos)) == NONE)
			return (-1);
		kend = pos - 1;
		/* json-c would read the escape: so may the caller. */
		if (memchr(buf + kstart, '\\', kend - kstart) != NULL)
			return (-1);
		pos = skip_ws(buf, len, pos);
		if (pos >= len || buf[pos] != ':')
			return (-1);
		vstart = skip_ws(buf, len, pos + 1);
		if ((pos = skip_value(buf, len, vstart)) == NONE)
			return (-1);
		if (kend - kstart == klen && memcmp(buf + kstart, key,
		    klen) == 0) {
			*off = vstart;
			*vlen = pos - vstart;
			found = 1;	/* a later namesake replaces it */
		}
		pos = skip_ws(buf, len, pos);
		if (pos < len && buf[pos] == '}')
			return (found);
		if (pos >= len || buf[pos] != ',')
			return (-1);
		pos = skip_ws(buf, len, pos + 1);
	}
}

int
json_span_find(const char *buf, size_t len, const char *const *path,
    size_t n, size_t *off, size_t *vlen)
{
	size_t	start = skip_ws(buf, len, 0), end = len, o = 0, l = 0, i;
	int	rc;

	for (i = 0; i < n; i++) {
		if (start >= end || buf[start] != '{')
			return (i == 0 ? -1 : 0);
		if ((rc = find_member(buf, end, start, path[i], &o, &l)) != 1)
			return (rc);
		start = o;
		end = o + l;
	}
	*off = start;
	*vlen = end - start;
	return (1);
}

char *
json_span_emptied(const char *buf, size_t len, size_t off, size_t vlen,
    size_t *out_len)
{
	size_t	n = len - vlen + 2;
	char   *out;

	if ((out = malloc(n + 1)) == NULL)
		return (NULL);
	memcpy(out, buf, off);
	memcpy(out + off, "[]", 2);
	memcpy(out + off + 2, buf + off + vlen, len - off - vlen);
	out[n] = '\0';
	*out_len = n;
	return (out);
}

int
json_span_array_begin(struct json_span_array *a, const char *buf, size_t len)
{
	a->buf = buf;
	a->len = len;
	a->pos = skip_ws(buf, len, 0);
	a->state = 0;
	if (a->pos >= len || buf[a->pos] != '[')
		return (-1);
	a->pos++;
	return (0);
}

int
json_span_array_next(struct json_span_array *a, size_t *off, size_t *elen)
{
	size_t	pos = skip_ws(a->buf, a->len, a->pos), end;

	if (a->state == 2)
		return (0);
	if (a->state == -1)
		return (-1);
	if (pos < a->len && a->buf[pos] == ']') {
		a->state = 2;
		return (0);
	}
	if (a->state == 1) {
		if (pos >= a->len || a->buf[pos] != ',')
			return (-1);
		pos = skip_ws(a->buf, a->len, pos + 1);
	}
	if ((end = skip_value(a->buf, a->len, pos)) == NONE) {
		a->state = -1;
		return (-1);
	}
	*off = pos;
	*elen = end - pos;
	a->pos = end;
	a->state = 1;
	return (1);
}

int
json_span_array_count(const char *buf, size_t len, size_t *n)
{
	struct json_span_array a;
	size_t	off, elen;
	int	rc;

	*n = 0;
	if (json_span_array_begin(&a, buf, len) < 0)
		return (-1);
	while ((rc = json_span_array_next(&a, &off, &elen)) == 1)
		(*n)++;
	return (rc);
}
