/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_copy - COPY rows and parameter text for PostgreSQL (rq_copy.h)
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_json.h"

#include "rq.h"
#include "rq_copy.h"
#include "rq_pg.h"

#define RQ_COPY_BLOCK	(64 * 1024)

/* The length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t
rq_utf8_seq(const unsigned char *s)
{
	unsigned c = s[0];

	if (c < 0x80)
		return (1);
	if (c >= 0xc2 && c <= 0xdf)
		return ((s[1] & 0xc0) == 0x80 ? 2 : 0);
	if (c >= 0xe0 && c <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f))
			return (0);
		return (3);
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80 || (c == 0xf0 && s[1] < 0x90) ||
		    (c == 0xf4 && s[1] > 0x8f))
			return (0);
		return (4);
	}
	return (0);
}

static int
rq_copy_grow(struct rq_copy *c, size_t more)
{
	size_t	cap;
	char   *p;

	if (c->nomem)
		return (-1);
	if (c->len + more <= c->cap)
		return (0);
	cap = c->cap ? c->cap : RQ_COPY_BLOCK * 2;
	while (cap < c->len + more)
		cap *= 2;
	if ((p = realloc(c->buf, cap)) == NULL) {
		c->nomem = true;
		return (-1);
	}
	c->buf = p;
	c->cap = cap;
	return (0);
}

static void
rq_copy_raw(struct rq_copy *c, const char *s, size_t n)
{
	if (rq_copy_grow(c, n) < 0)
		return;
	memcpy(c->buf + c->len, s, n);
	c->len += n;
}

/* The separator before a field. */
static void
rq_copy_field(struct rq_copy *c)
{
	if (!c->first)
		rq_copy_raw(c, "\t", 1);
	c->first = false;
}

/* Does byte c need more than a copy in COPY's text format? */
static inline bool
rq_copy_special(unsigned char c)
{
	return (c >= 0x80 || c == '\\' || c == '\t' || c == '\n' || c == '\r');
}

/*
 * s[0..len) escaped for COPY's text format, invalid UTF-8 replaced. A
 * sequence is checked up to its last byte: s lies within a NUL-terminated
 * string, so that the check stops at the NUL at worst.
 */
static void
rq_copy_escaped(struct rq_copy *c, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *run;
	const unsigned char *end = p + len;
	size_t	n;

	/* At worst every byte becomes three (U+FFFD for a bad byte). */
	if (len > (SIZE_MAX - c->len) / 3 || rq_copy_grow(c, 3 * len) < 0) {
		c->nomem = true;
		return;
	}
	while (p < end) {
		for (run = p; p < end && !rq_copy_special(*p); p++)
			;
		if (p > run) {
			memcpy(c->buf + c->len, run, (size_t)(p - run));
			c->len += (size_t)(p - run);
		}
		if (p == end)
			break;
		switch (*p) {
		case '\\': memcpy(c->buf + c->len, "\\\\", 2); break;
		case '\t': memcpy(c->buf + c->len, "\\t", 2); break;
		case '\n': memcpy(c->buf + c->len, "\\n", 2); break;
		case '\r': memcpy(c->buf + c->len, "\\r", 2); break;
		default:
			if ((n = rq_utf8_seq(p)) == 0 || n > (size_t)(end - p)) {
				memcpy(c->buf + c->len, "\xef\xbf\xbd", 3);
				c->len += 3;
				p++;
			} else {
				memcpy(c->buf + c->len, p, n);
				c->len += n;
				p += n;
			}
			continue;
		}
		c->len += 2;
		p++;
	}
}

int
rq_copy_begin(struct rq_copy *c, PGconn *pg, const char *verb,
    const char *sql)
{
	PGresult *r;

	memset(c, 0, sizeof(*c));
	c->pg = pg;
	c->first = true;
	r = PQexec(pg, sql);
	if (r == NULL || PQresultStatus(r) != PGRES_COPY_IN) {
		PQclear(r);
		return (rq_pg_fail(verb, pg, "PostgreSQL: COPY"));
	}
	PQclear(r);
	return (0);
}

void
rq_copy_text(struct rq_copy *c, const char *s)
{
	rq_copy_field(c);
	if (s == NULL)
		rq_copy_raw(c, "\\N", 2);
	else
		rq_copy_escaped(c, s, strlen(s));
}

void
rq_copy_textn(struct rq_copy *c, const char *s, size_t len)
{
	rq_copy_field(c);
	rq_copy_escaped(c, s, len);
}

void
rq_copy_null(struct rq_copy *c)
{
	rq_copy_text(c, NULL);
}

void
rq_copy_u64(struct rq_copy *c, uint64_t v)
{
	char	buf[24];

	rq_copy_field(c);
	rq_copy_raw(c, buf, (size_t)snprintf(buf, sizeof(buf), "%" PRIu64, v));
}

void
rq_copy_bool(struct rq_copy *c, bool v)
{
	rq_copy_field(c);
	rq_copy_raw(c, v ? "t" : "f", 1);
}

void
rq_copy_time_text(int64_t t, char buf[32])
{
	record_json_time(t, buf, 32);
}

void
rq_copy_time(struct rq_copy *c, int64_t t)
{
	char	buf[32];

	rq_copy_time_text(t, buf);
	rq_copy_field(c);
	rq_copy_raw(c, buf, strlen(buf));
}

const char *
rq_copy_ip(const char *s)
{
	unsigned char a[16];

	if (s == NULL)
		return (NULL);
	if (inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1)
		return (s);
	return (NULL);
}

void
rq_copy_inet(struct rq_copy *c, const char *s)
{
	rq_copy_text(c, rq_copy_ip(s));
}

char *
rq_copy_array_literal(const struct strlist *l)
{
	size_t	len = 3, i;
	const char *p;
	char   *out, *q;

	for (i = 0; i < l->n; i++)
		len += 3 + 2 * strlen(l->v[i]);
	if ((out = malloc(len)) == NULL)
		return (NULL);
	q = out;
	*q++ = '{';
	for (i = 0; i < l->n; i++) {
		if (i > 0)
			*q++ = ',';
		*q++ = '"';
		for (p = l->v[i]; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				*q++ = '\\';
			*q++ = *p;
		}
		*q++ = '"';
	}
	*q++ = '}';
	*q = '\0';
	return (out);
}

void
rq_copy_array(struct rq_copy *c, const struct strlist *l)
{
	char   *lit = rq_copy_array_literal(l);

	if (lit == NULL) {
		c->nomem = true;
		return;
	}
	rq_copy_text(c, lit);
	free(lit);
}

/* Hands the gathered rows to the connection. */
static int
rq_copy_send(struct rq_copy *c, const char *verb)
{
	if (c->len == 0)
		return (0);
	if (PQputCopyData(c->pg, c->buf, (int)c->len) != 1)
		return (rq_pg_fail(verb, c->pg, "PostgreSQL: COPY"));
	c->len = 0;
	return (0);
}

int
rq_copy_row(struct rq_copy *c, const char *verb)
{
	rq_copy_raw(c, "\n", 1);
	c->first = true;
	if (c->nomem)
		return (rq_fail(verb, "out of memory"), -1);
	c->rows++;
	if (c->len >= RQ_COPY_BLOCK)
		return (rq_copy_send(c, verb));
	return (0);
}

int
rq_copy_end(struct rq_copy *c, const char *verb, bool ok)
{
	PGresult *r;
	int	rc = 0;

	if (c->nomem) {
		rq_fail(verb, "out of memory");
		ok = false;
	}
	if (ok && rq_copy_send(c, verb) < 0)
		ok = false;
	free(c->buf);
	c->buf = NULL;
	c->len = c->cap = 0;
	if (PQputCopyEnd(c->pg, ok ? NULL : "the push stopped") != 1)
		rc = rq_pg_fail(verb, c->pg, "PostgreSQL: COPY");
	while ((r = PQgetResult(c->pg)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && ok && rc == 0)
			rc = rq_pg_fail(verb, c->pg, "PostgreSQL: COPY");
		PQclear(r);
	}
	return (ok ? rc : -1);
}

char *
rq_copy_utf8(const char *s)
{
	const unsigned char *p;
	size_t	len = 0, n;
	char   *out, *q;

	for (p = (const unsigned char *)s; *p != '\0'; p += n, len += n)
		if ((n = rq_utf8_seq(p)) == 0) {
			n = 1;
			len += 2;
		}
	if ((out = malloc(len + 1)) == NULL)
		return (NULL);
	for (p = (const unsigned char *)s, q = out; *p != '\0'; p += n) {
		if ((n = rq_utf8_seq(p)) == 0) {
			memcpy(q, "\xef\xbf\xbd", 3);
			q += 3;
			n = 1;
			continue;
		}
		memcpy(q, p, n);
		q += n;
	}
	*q = '\0';
	return (out);
}
