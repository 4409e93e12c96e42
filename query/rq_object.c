/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_object - one exported External report, read back without its records
 * PURPOSE
 *	The text of the records array is found in the object (json_span);
 *	the rest (the object with "records": []) goes through
 *	record_json_read(), and the records' text is left for ingest to read
 *	a batch at a time. The store's members that export writes first
 *	("@type", "@duplicates", "@lastSeen", "@authenticated") are read
 *	from the front of the object.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "json_span.h"
#include "record_json.h"
#include "timeparse.h"

#include "rq_object.h"

static const char *
skip_space(const char *p, const char *end)
{
	while (p < end && isspace((unsigned char) *p))
		p++;
	return (p);
}

/* A string at p (after its quote): its end, the text cut into buf. */
static const char *
read_string(const char *p, const char *end, char *buf, size_t size)
{
	size_t	n = 0;

	for (; p < end && *p != '"'; p++) {
		if (*p == '\\' && p + 1 < end)
			p++;
		if (n + 1 < size)
			buf[n++] = *p;
	}
	buf[n] = '\0';
	return (p < end ? p + 1 : NULL);
}

/*
 * The leading members whose names begin with '@', as export writes them:
 * "@duplicates" (a number), "@lastSeen" (a time or null) and
 * "@authenticated" (true, false or null) are kept.
 */
static void
read_seen(const char *obj, size_t len, struct store_meta *seen,
    enum record_auth *auth)
{
	const char *p = obj, *end = obj + len;
	char	name[32], text[64];
	unsigned long long n;
	int64_t	t;

	memset(seen, 0, sizeof(*seen));
	*auth = RECORD_AUTH_NONE;
	p = skip_space(p, end);
	if (p >= end || *p++ != '{')
		return;
	for (;;) {
		p = skip_space(p, end);
		if (end - p < 2 || p[0] != '"' || p[1] != '@' ||
		    (p = read_string(p + 1, end, name, sizeof(name))) == NULL)
			return;
		p = skip_space(p, end);
		if (p >= end || *p++ != ':')
			return;
		p = skip_space(p, end);
		if (p < end && *p == '"') {
			if ((p = read_string(p + 1, end, text, sizeof(text))) ==
			    NULL)
				return;
			if (strcmp(name, "@lastSeen") == 0 &&
			    timeparse_rfc3339(text, &t) == 0)
				seen->last_seen = t;
		} else if (p < end && isdigit((unsigned char) *p)) {
			for (n = 0; p < end && isdigit((unsigned char) *p); p++)
				n = n < UINT32_MAX ? n * 10 + (unsigned) (*p - '0') :
				    n;
			if (strcmp(name, "@duplicates") == 0)
				seen->duplicates = n > UINT32_MAX ? UINT32_MAX :
				    (uint32_t) n;
		} else if (end - p >= 4 && memcmp(p, "null", 4) == 0)
			p += 4;
		else if (end - p >= 4 && memcmp(p, "true", 4) == 0) {
			p += 4;
			if (strcmp(name, "@authenticated") == 0)
				*auth = RECORD_AUTH_PASS;
		} else if (end - p >= 5 && memcmp(p, "false", 5) == 0) {
			p += 5;
			if (strcmp(name, "@authenticated") == 0)
				*auth = RECORD_AUTH_FAIL;
		} else
			return;
		p = skip_space(p, end);
		if (p >= end || *p++ != ',')
			return;
	}
}

/* The object read whole, with what "@authenticated" said. */
static enum parse_status
read_whole(const char *obj, size_t len, enum record_auth auth,
    struct external_report **out, struct parse_error *err)
{
	enum parse_status st = record_json_read(obj, len, out, err);

	if (st == PARSE_OK)
		(*out)->authenticated = auth;
	return (st);
}

enum parse_status
rq_object_read_head(const char *obj, size_t len, struct external_report **out,
    struct store_meta *seen, const char **records, size_t *rlen,
    struct parse_error *err)
{
	static const char *const path[] = { "report", "records" };
	struct store_meta ignored;
	enum record_auth auth;
	enum parse_status st;
	size_t	off, vlen, hlen;
	char   *head;

	*out = NULL;
	*records = NULL;
	*rlen = 0;
	read_seen(obj, len, seen != NULL ? seen : &ignored, &auth);
	if (json_span_find(obj, len, path, 2, &off, &vlen) != 1 ||
	    obj[off] != '[')
		return (read_whole(obj, len, auth, out, err));
	if ((head = json_span_emptied(obj, len, off, vlen, &hlen)) == NULL)
		return (PARSE_NOMEM);
	st = record_json_read(head, hlen, out, err);
	free(head);
	if (st == PARSE_OK && (*out)->report->type == RECORD_DMARC &&
	    (*out)->report->u.dmarc.n_records == 0) {
		(*out)->authenticated = auth;
		*records = obj + off;
		*rlen = vlen;
		return (PARSE_OK);
	}
	/* Not what it seemed (or refused): read whole, as it is. */
	external_report_free(*out);
	*out = NULL;
	if (st == PARSE_NOMEM)
		return (st);
	parse_error_clear(err);
	return (read_whole(obj, len, auth, out, err));
}
