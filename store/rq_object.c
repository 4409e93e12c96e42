/*
 * NAME
 *	rq_object - one exported External report, read back in slices
 * PURPOSE
 *	The text of the records array is cut out of the object; the rest
 *	(the object with "records": []) goes through record_json_read(), and
 *	the records through record_json_read_records(), RQ_OBJECT_BATCH at
 *	a time, each slice made an array of its own. The store's members
 *	that export writes first ("@type", "@duplicates", "@lastSeen") are
 *	read from the front of the object.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "record_json.h"
#include "timeparse.h"

#include "rq_object.h"
#include "rq_split.h"

/* Reads the records text[0..len) (objects and commas) into d. */
static enum parse_status
add_batch(struct dmarc_report *d, const char *text, size_t len,
    struct parse_error *err)
{
	struct dmarc_record *recs;
	enum parse_status st;
	size_t	n, i;
	char   *buf;

	if ((buf = malloc(len + 3)) == NULL)
		return (PARSE_NOMEM);
	buf[0] = '[';
	memcpy(buf + 1, text, len);
	memcpy(buf + 1 + len, "]", 2);
	st = record_json_read_records(buf, len + 2, &recs, &n, err);
	free(buf);
	if (st != PARSE_OK)
		return (st);
	for (i = 0; i < n && st == PARSE_OK; i++)
		if (dmarc_report_add_record(d, &recs[i]) < 0)
			st = PARSE_NOMEM;
	for (i = i > 0 ? i - 1 : 0; st != PARSE_OK && i < n; i++)
		dmarc_record_clear(&recs[i]);
	free(recs);
	return (st);
}

static enum parse_status
read_records(struct dmarc_report *d, const char *s, size_t len,
    struct parse_error *err)
{
	struct rq_cursor c;
	enum parse_status st;
	const char *o, *first = NULL, *end = s;
	size_t	olen, n = 0;
	int	rc;

	rq_cursor_init(&c, s, len);
	while ((rc = rq_json_next(&c, &o, &olen)) == 1) {
		if (first == NULL)
			first = o;
		end = o + olen;
		if (++n == RQ_OBJECT_BATCH) {
			if ((st = add_batch(d, first, (size_t) (end - first),
			    err)) != PARSE_OK)
				return (st);
			first = NULL;
			n = 0;
		}
	}
	if (rc < 0) {
		parse_error_set(err, "member \"records\": not a list of objects");
		return (PARSE_INVALID);
	}
	return (n > 0 ? add_batch(d, first, (size_t) (end - first), err) :
	    PARSE_OK);
}

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
 * "@duplicates" (a number) and "@lastSeen" (a time or null) are kept.
 */
static void
read_seen(const char *obj, size_t len, struct store_meta *seen)
{
	const char *p = obj, *end = obj + len;
	char	name[32], text[64];
	unsigned long long n;
	int64_t	t;

	memset(seen, 0, sizeof(*seen));
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
		else
			return;
		p = skip_space(p, end);
		if (p >= end || *p++ != ',')
			return;
	}
}

enum parse_status
rq_object_read(const char *obj, size_t len, struct external_report **out,
    struct store_meta *seen, struct parse_error *err)
{
	struct external_report *x;
	enum parse_status st;
	size_t	open, close, hlen;
	char   *head;

	*out = NULL;
	if (seen != NULL)
		read_seen(obj, len, seen);
	if (!rq_json_records(obj, len, &open, &close))
		return (record_json_read(obj, len, out, err));
	hlen = len - (close - open - 1);
	if ((head = malloc(hlen + 1)) == NULL)
		return (PARSE_NOMEM);
	memcpy(head, obj, open + 1);
	memcpy(head + open + 1, obj + close, len - close);
	head[hlen] = '\0';
	st = record_json_read(head, hlen, &x, err);
	free(head);
	if (st != PARSE_OK)
		return (st);
	if (x->report->type == RECORD_DMARC &&
	    (st = read_records(&x->report->u.dmarc, obj + open + 1,
	    close - open - 1, err)) != PARSE_OK) {
		external_report_free(x);
		return (st);
	}
	*out = x;
	return (PARSE_OK);
}
