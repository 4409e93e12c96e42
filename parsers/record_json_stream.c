/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	record_json_stream - DMARC records a chunk or one at a time
 * PURPOSE
 *	A DMARC report of 100,000 records is never one JSON tree: the store
 *	keeps its records in chunks (a JSON array each) and prints them one
 *	at a time between the head and the tail of the report's own text.
 *	These are the codec's functions for that; the text they make is the
 *	text record_json_write() makes of the whole report. A TLS report's
 *	policies are written so too, one policy's tree at a time, into the
 *	one text of the report.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_span.h"
#include "record.h"
#include "record_enum.h"
#include "record_json.h"
#include "record_json_int.h"

/* Pretty printing indents a record of External report > report > records. */
#define RECORD_INDENT	"      "

/*
 * A chunk of records is written without json-c: building a tree of
 * objects for every record cost more than parsing its XML. The text is
 * the one json-c writes in record_json.c (members in the same order, the
 * same escapes: \b \t \n \f \r, \u00xx for other control characters,
 * '"' and '\\', other bytes as they are), which a test checks.
 */
struct jbuf {
	char   *p;
	size_t	len, cap;
	int	failed;
};

/* Room for n more bytes; NULL (and b->failed) when out of memory. */
static char *
jb_room(struct jbuf *b, size_t n)
{
	size_t	cap;
	char   *p;

	if (b->failed)
		return (NULL);
	if (n > b->cap - b->len) {
		if (n > SIZE_MAX / 4 - b->len) {
			b->failed = 1;
			return (NULL);
		}
		for (cap = b->cap ? b->cap : 4096; n > cap - b->len; cap *= 2)
			;
		if ((p = realloc(b->p, cap)) == NULL) {
			b->failed = 1;
			return (NULL);
		}
		b->p = p;
		b->cap = cap;
	}
	return (b->p + b->len);
}

static inline void
jb_put(struct jbuf *b, const char *s, size_t n)
{
	char   *p;

	if ((p = jb_room(b, n)) == NULL)
		return;
	memcpy(p, s, n);
	b->len += n;
}

#define JB_LIT(b, s)	jb_put((b), (s), sizeof(s) - 1)

/* A JSON string, or null for NULL: at most 6 bytes out for one in. */
static void
jb_str(struct jbuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t	n;
	unsigned char c;
	char   *p, *o;

	if (s == NULL) {
		JB_LIT(b, "null");
		return;
	}
	n = strlen(s);
	if (n > SIZE_MAX / 8 || (p = jb_room(b, 6 * n + 2)) == NULL) {
		b->failed = 1;
		return;
	}
	o = p;
	*o++ = '"';
	for (; (c = (unsigned char) *s) != '\0'; s++) {
		if (c >= 0x20 && c != '"' && c != '\\') {
			*o++ = (char) c;
			continue;
		}
		*o++ = '\\';
		switch (c) {
		case '"': case '\\': *o++ = (char) c; break;
		case '\b': *o++ = 'b'; break;
		case '\t': *o++ = 't'; break;
		case '\n': *o++ = 'n'; break;
		case '\f': *o++ = 'f'; break;
		case '\r': *o++ = 'r'; break;
		default:
			memcpy(o, "u00", 3);
			o[3] = hex[c >> 4];
			o[4] = hex[c & 15];
			o += 5;
			break;
		}
	}
	*o++ = '"';
	b->len += (size_t) (o - p);
}

/*
 * A member: key is its literal text with the comma that goes before it
 * and the colon (",\"name\":"), then a string value.
 */
#define JB_MEMBER(b, key, value)	do {		\
	JB_LIT((b), key);				\
	jb_str((b), (value));				\
} while (0)

/* The decimal digits of v. */
static void
jb_u64(struct jbuf *b, uint64_t v)
{
	char	d[24], *p = d + sizeof(d);

	do
		*--p = (char) ('0' + v % 10);
	while ((v /= 10) != 0);
	jb_put(b, p, (size_t) (d + sizeof(d) - p));
}

/* Opens the i-th object of a list. */
static void
jb_open(struct jbuf *b, size_t i)
{
	if (i > 0)
		JB_LIT(b, ",");
	JB_LIT(b, "{");
}

static void
jb_record(struct jbuf *b, const struct dmarc_record *r)
{
	size_t	i;

	jb_put(b, "{", 1);
	JB_MEMBER(b, "\"sourceIp\":", r->source_ip);
	JB_LIT(b, ",\"count\":");
	jb_u64(b, r->count);
	JB_MEMBER(b, ",\"evaluatedDisposition\":",
	    record_enum_name(RENUM_DMARC_ACTION, r->evaluated_disposition));
	JB_MEMBER(b, ",\"evaluatedDkim\":",
	    record_enum_name(RENUM_DMARC_RESULT, r->evaluated_dkim));
	JB_MEMBER(b, ",\"evaluatedSpf\":",
	    record_enum_name(RENUM_DMARC_RESULT, r->evaluated_spf));
	JB_LIT(b, ",\"policyOverrideReasons\":[");
	for (i = 0; i < r->n_overrides; i++) {
		jb_open(b, i);
		JB_MEMBER(b, "\"overrideType\":",
		    record_enum_name(RENUM_DMARC_OVERRIDE, r->overrides[i].type));
		JB_MEMBER(b, ",\"comment\":", r->overrides[i].comment);
		JB_LIT(b, "}");
	}
	JB_LIT(b, "]");
	JB_MEMBER(b, ",\"envelopeTo\":", r->envelope_to);
	JB_MEMBER(b, ",\"envelopeFrom\":", r->envelope_from);
	JB_MEMBER(b, ",\"headerFrom\":", r->header_from);
	JB_LIT(b, ",\"dkimResults\":[");
	for (i = 0; i < r->n_dkim; i++) {
		jb_open(b, i);
		JB_MEMBER(b, "\"domain\":", r->dkim[i].domain);
		JB_MEMBER(b, ",\"selector\":", r->dkim[i].selector);
		JB_MEMBER(b, ",\"result\":",
		    record_enum_name(RENUM_DKIM_RESULT, r->dkim[i].result));
		JB_MEMBER(b, ",\"humanResult\":", r->dkim[i].human_result);
		JB_LIT(b, "}");
	}
	JB_LIT(b, "],\"spfResults\":[");
	for (i = 0; i < r->n_spf; i++) {
		jb_open(b, i);
		JB_MEMBER(b, "\"domain\":", r->spf[i].domain);
		JB_MEMBER(b, ",\"scope\":",
		    record_enum_name(RENUM_SPF_SCOPE, r->spf[i].scope));
		JB_MEMBER(b, ",\"result\":",
		    record_enum_name(RENUM_SPF_RESULT, r->spf[i].result));
		JB_MEMBER(b, ",\"humanResult\":", r->spf[i].human_result);
		JB_LIT(b, "}");
	}
	JB_LIT(b, "],\"extensions\":[");
	for (i = 0; i < r->n_ext; i++) {
		jb_open(b, i);
		JB_MEMBER(b, "\"name\":", r->ext[i].name);
		JB_MEMBER(b, ",\"definition\":", r->ext[i].definition);
		JB_LIT(b, "}");
	}
	JB_LIT(b, "]}");
}

char *
record_json_write_records(const struct dmarc_record *recs, size_t n,
    size_t *len)
{
	struct jbuf b = { NULL, 0, 0, 0 };
	size_t	i;

	JB_LIT(&b, "[");
	for (i = 0; i < n; i++) {
		if (i > 0)
			JB_LIT(&b, ",");
		jb_record(&b, &recs[i]);
	}
	jb_put(&b, "]", 2);	/* and the NUL */
	if (b.failed) {
		free(b.p);
		return (NULL);
	}
	if (len != NULL)
		*len = b.len - 1;
	return (b.p);
}

/* Frees the n records of v and v itself. */
static void
free_records(struct dmarc_record *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		dmarc_record_clear(&v[i]);
	free(v);
}

enum parse_status
record_json_read_records(const char *text, size_t len,
    struct dmarc_record **out, size_t *n, struct parse_error *err)
{
	struct json_object *a;
	struct dmarc_record *v;
	enum parse_status st;
	size_t	i, count;

	*out = NULL;
	*n = 0;
	if ((st = record_json_parse_text(text, len, RECORD_JSON_DEPTH, &a,
	    err)) != PARSE_OK)
		return (st);
	if (!json_object_is_type(a, json_type_array)) {
		json_object_put(a);
		parse_error_set(err, "records: not a JSON array");
		return (PARSE_INVALID);
	}
	count = json_object_array_length(a);
	if ((v = calloc(count ? count : 1, sizeof(*v))) == NULL) {
		json_object_put(a);
		return (PARSE_NOMEM);
	}
	for (i = 0; i < count; i++)
		if ((st = record_json_read_dmarc_record(
		    json_object_array_get_idx(a, i), &v[i], err)) != PARSE_OK) {
			json_object_put(a);
			free_records(v, i + 1);
			return (st);
		}
	json_object_put(a);
	*out = v;
	*n = count;
	return (PARSE_OK);
}

enum parse_status
record_json_read_records_each(const char *text, size_t len, size_t batch,
    enum parse_status (*fn)(void *, struct dmarc_record *, size_t),
    void *arg, struct parse_error *err)
{
	struct json_span_array a;
	struct json_object *o;
	struct dmarc_record *v;
	enum parse_status st = PARSE_OK;
	size_t	off, elen, n = 0, i;
	int	rc = 0;

	if (batch == 0)
		batch = 1;
	if (json_span_array_begin(&a, text, len) < 0) {
		parse_error_set(err, "member \"records\": not a list of objects");
		return (PARSE_INVALID);
	}
	if ((v = calloc(batch, sizeof(*v))) == NULL)
		return (PARSE_NOMEM);
	while (st == PARSE_OK && (rc = json_span_array_next(&a, &off,
	    &elen)) == 1) {
		if (text[off] != '{') {
			rc = -1;
			break;
		}
		if ((st = record_json_parse_text(text + off, elen,
		    RECORD_JSON_ELEMENT_DEPTH, &o, err)) != PARSE_OK)
			break;
		st = record_json_read_dmarc_record(o, &v[n++], err);
		json_object_put(o);
		if (st == PARSE_OK && n == batch) {
			st = fn(arg, v, n);
			for (i = 0; i < n; i++)
				dmarc_record_clear(&v[i]);
			memset(v, 0, n * sizeof(*v));
			n = 0;
		}
	}
	if (st == PARSE_OK && rc < 0) {
		parse_error_set(err, "member \"records\": not a list of objects");
		st = PARSE_INVALID;
	}
	if (st == PARSE_OK && n > 0)
		st = fn(arg, v, n);
	free_records(v, n);
	return (st);
}

/*
 * Finds where the empty list that is the value of member name (the
 * records of a DMARC report, the policies of a TLS report) closes in
 * text, as record_json_write() wrote it. The name of a member is
 * followed by '"' and ':' only outside strings (inside one the quote is
 * escaped), so the first match is the member.
 */
static char *
find_empty_list(char *text, const char *name, unsigned flags)
{
	char	pat[32];
	char   *p;

	snprintf(pat, sizeof(pat), (flags & RECORD_JSON_PRETTY) ?
	    "\"%s\": []" : "\"%s\":[]", name);
	p = strstr(text, pat);
	return (p == NULL ? NULL : p + strlen(pat) - 1);
}

int
record_json_write_split(const struct external_report *x, unsigned flags,
    int has_records, char **head, char **tail)
{
	char   *text, *close;
	size_t	len;

	*head = *tail = NULL;
	if ((text = record_json_write(x, flags, &len)) == NULL)
		return (-1);
	if ((close = find_empty_list(text, "records", flags)) == NULL) {
		*head = text;		/* not a DMARC report: all of it */
		*tail = strdup("");
		return (*tail == NULL ? (free(text), *head = NULL, -1) : 0);
	}
	*head = record_strndup(text, (size_t) (close - text));
	if (has_records && (flags & RECORD_JSON_PRETTY)) {
		/* json-c closes a non-empty list on a line of its own. */
		if ((*tail = malloc(strlen(close) + 6)) != NULL) {
			strcpy(*tail, "\n    ");
			strcat(*tail, close);
		}
	} else
		*tail = strdup(close);
	free(text);
	if (*head == NULL || *tail == NULL) {
		free(*head);
		free(*tail);
		*head = *tail = NULL;
		return (-1);
	}
	return (0);
}

/* Prefixes every line of text with RECORD_INDENT, after a line end. */
static char *
indent(const char *text, size_t len, size_t *out_len)
{
	size_t	lines = 1, i, j, w = strlen(RECORD_INDENT);
	char   *out;

	for (i = 0; i < len; i++)
		if (text[i] == '\n')
			lines++;
	if ((out = malloc(len + lines * (w + 1) + 1)) == NULL)
		return (NULL);
	out[0] = '\n';
	memcpy(out + 1, RECORD_INDENT, w);
	for (i = 0, j = 1 + w; i < len; i++) {
		out[j++] = text[i];
		if (text[i] == '\n') {
			memcpy(out + j, RECORD_INDENT, w);
			j += w;
		}
	}
	out[j] = '\0';
	if (out_len != NULL)
		*out_len = j;
	return (out);
}

char *
record_json_write_record(const struct dmarc_record *rec, unsigned flags,
    size_t *len)
{
	char   *text, *out;
	size_t	n;

	text = record_json_print(record_json_dmarc_record(rec), flags, &n);
	if (text == NULL || !(flags & RECORD_JSON_PRETTY)) {
		if (text != NULL && len != NULL)
			*len = n;
		return (text);
	}
	out = indent(text, n, len);
	free(text);
	return (out);
}

/*
 * record_json_write() of a TLS report with policies: the tree of one
 * policy at a time.
 */
static char *
write_tls(const struct external_report *x, unsigned flags, size_t *len)
{
	const struct tls_report *t = &x->report->u.tls;
	struct external_report bare = *x;
	struct report rep = *x->report;
	struct jbuf b = { NULL, 0, 0, 0 };
	char   *text, *close, *one;
	size_t	i, n;

	/* The report's text with no policies, cut where they go. */
	rep.u.tls.policies = NULL;
	rep.u.tls.n_policies = 0;
	bare.report = &rep;
	if ((text = record_json_print(record_json_external(&bare, flags), flags,
	    NULL)) == NULL)
		return (NULL);
	if ((close = find_empty_list(text, "policies", flags)) == NULL) {
		free(text);
		return (NULL);
	}
	jb_put(&b, text, (size_t) (close - text));
	for (i = 0; i < t->n_policies && !b.failed; i++) {
		if (i > 0)
			jb_put(&b, ",", 1);
		one = record_json_print(record_json_tls_policy(&t->policies[i]),
		    flags, &n);
		if (one != NULL && (flags & RECORD_JSON_PRETTY)) {
			char   *in = indent(one, n, &n);

			free(one);
			one = in;
		}
		if (one == NULL)
			b.failed = 1;
		else
			jb_put(&b, one, n);
		free(one);
	}
	/* json-c closes a non-empty list on a line of its own. */
	if (flags & RECORD_JSON_PRETTY)
		jb_put(&b, "\n    ", 5);
	jb_put(&b, close, strlen(close) + 1);
	free(text);
	if (b.failed) {
		free(b.p);
		return (NULL);
	}
	if (len != NULL)
		*len = b.len - 1;
	return (b.p);
}

char *
record_json_write(const struct external_report *x, unsigned flags,
    size_t *len)
{
	/* A tree of 100,000 failure details would cost 200 MB and more. */
	if (x->report != NULL && x->report->type == RECORD_TLS &&
	    x->report->u.tls.n_policies > 0)
		return (write_tls(x, flags, len));
	return (record_json_print(record_json_external(x, flags), flags, len));
}
