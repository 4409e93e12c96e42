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
 * Records are written without json-c, compact (a chunk) or pretty (a
 * report printed): building a tree of objects for every record cost
 * more than parsing its XML. The text is the one json-c writes in
 * record_json.c (members in the same order, the same layout, the same
 * escapes: \b \t \n \f \r, \u00xx for other control characters,
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

/*
 * Ends the text with its NUL and hands it over: the caller's (free()),
 * its length without the NUL in *len (when not NULL); NULL, and the text
 * freed, when a growth failed on the way.
 */
static char *
jb_text(struct jbuf *b, size_t *len)
{
	jb_put(b, "", 1);
	if (b->failed) {
		free(b->p);
		return (NULL);
	}
	if (len != NULL)
		*len = b->len - 1;
	return (b->p);
}

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

/*
 * How a record is laid out: compact, or pretty as json-c's
 * JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED lays it out (members
 * on lines of their own, two spaces a level, ": " after a name, "[]" for
 * an empty list). depth is the level of the members being written.
 */
struct jfmt {
	int	pretty;
	unsigned depth;
};

/* A line end and the indent of depth (pretty only). */
static void
jb_nl(struct jbuf *b, const struct jfmt *f, unsigned depth)
{
	static const char spaces[] = "                                ";
	size_t	n = (size_t) depth * 2;

	if (!f->pretty)
		return;
	jb_put(b, "\n", 1);
	for (; n > sizeof(spaces) - 1; n -= sizeof(spaces) - 1)
		jb_put(b, spaces, sizeof(spaces) - 1);
	jb_put(b, spaces, n);
}

/* A member's name: key is its literal text with quotes and colon. */
static void
jb_key(struct jbuf *b, const struct jfmt *f, int first, const char *key,
    size_t n)
{
	if (!first)
		jb_put(b, ",", 1);
	jb_nl(b, f, f->depth);
	jb_put(b, key, n);
	if (f->pretty)
		jb_put(b, " ", 1);
}

#define JB_KEY(b, f, first, key)	jb_key((b), (f), (first), (key), \
	sizeof(key) - 1)
#define JB_SMEMBER(b, f, first, key, value)	do {	\
	JB_KEY((b), (f), (first), key);			\
	jb_str((b), (value));				\
} while (0)

/* Opens the i-th object of a non-empty list whose items are at depth. */
static void
jb_open(struct jbuf *b, const struct jfmt *f, size_t i)
{
	if (i > 0)
		jb_put(b, ",", 1);
	jb_nl(b, f, f->depth - 1);
	jb_put(b, "{", 1);
}

/* Closes an object whose members were at f->depth. */
static void
jb_close(struct jbuf *b, const struct jfmt *f, const char *c)
{
	jb_nl(b, f, f->depth - 1);
	jb_put(b, c, 1);
}

/* Where list l of a record begins (sp may be NULL). */
static void
jb_list_from(const struct jbuf *b, struct record_json_lists *sp, int l)
{
	if (sp != NULL)
		sp->off[l] = b->len;
}

/* Where it ends. */
static void
jb_list_to(const struct jbuf *b, struct record_json_lists *sp, int l)
{
	if (sp != NULL)
		sp->len[l] = b->len - sp->off[l];
}

/*
 * The lists of a record hold objects; their members are two levels
 * below the record's (the list, then the object).
 */
static void
jb_record_lists(struct jbuf *b, const struct dmarc_record *r,
    const struct jfmt *rf, struct record_json_lists *sp)
{
	struct jfmt lf = { rf->pretty, rf->depth + 1 };
	struct jfmt f = { rf->pretty, rf->depth + 2 };
	size_t	i;

	JB_KEY(b, rf, 0, "\"dkimResults\":");
	jb_list_from(b, sp, RECORD_JSON_DKIM);
	jb_put(b, "[", 1);
	for (i = 0; i < r->n_dkim; i++) {
		jb_open(b, &f, i);
		JB_SMEMBER(b, &f, 1, "\"domain\":", r->dkim[i].domain);
		JB_SMEMBER(b, &f, 0, "\"selector\":", r->dkim[i].selector);
		JB_SMEMBER(b, &f, 0, "\"result\":",
		    record_enum_name(RENUM_DKIM_RESULT, r->dkim[i].result));
		JB_SMEMBER(b, &f, 0, "\"humanResult\":", r->dkim[i].human_result);
		jb_close(b, &f, "}");
	}
	if (r->n_dkim > 0)
		jb_close(b, &lf, "]");
	else
		jb_put(b, "]", 1);
	jb_list_to(b, sp, RECORD_JSON_DKIM);
	JB_KEY(b, rf, 0, "\"spfResults\":");
	jb_list_from(b, sp, RECORD_JSON_SPF);
	jb_put(b, "[", 1);
	for (i = 0; i < r->n_spf; i++) {
		jb_open(b, &f, i);
		JB_SMEMBER(b, &f, 1, "\"domain\":", r->spf[i].domain);
		JB_SMEMBER(b, &f, 0, "\"scope\":",
		    record_enum_name(RENUM_SPF_SCOPE, r->spf[i].scope));
		JB_SMEMBER(b, &f, 0, "\"result\":",
		    record_enum_name(RENUM_SPF_RESULT, r->spf[i].result));
		JB_SMEMBER(b, &f, 0, "\"humanResult\":", r->spf[i].human_result);
		jb_close(b, &f, "}");
	}
	if (r->n_spf > 0)
		jb_close(b, &lf, "]");
	else
		jb_put(b, "]", 1);
	jb_list_to(b, sp, RECORD_JSON_SPF);
	JB_KEY(b, rf, 0, "\"extensions\":");
	jb_list_from(b, sp, RECORD_JSON_EXT);
	jb_put(b, "[", 1);
	for (i = 0; i < r->n_ext; i++) {
		jb_open(b, &f, i);
		JB_SMEMBER(b, &f, 1, "\"name\":", r->ext[i].name);
		JB_SMEMBER(b, &f, 0, "\"definition\":", r->ext[i].definition);
		jb_close(b, &f, "}");
	}
	if (r->n_ext > 0)
		jb_close(b, &lf, "]");
	else
		jb_put(b, "]", 1);
	jb_list_to(b, sp, RECORD_JSON_EXT);
}

/*
 * One record, its members at f->depth; where its lists lie into *sp
 * (when not NULL), as offsets into b.
 */
static void
jb_record(struct jbuf *b, const struct dmarc_record *r, const struct jfmt *f,
    struct record_json_lists *sp)
{
	struct jfmt lf = { f->pretty, f->depth + 1 };
	struct jfmt of = { f->pretty, f->depth + 2 };
	size_t	i;

	jb_put(b, "{", 1);
	JB_SMEMBER(b, f, 1, "\"sourceIp\":", r->source_ip);
	JB_KEY(b, f, 0, "\"count\":");
	jb_u64(b, r->count);
	JB_SMEMBER(b, f, 0, "\"evaluatedDisposition\":",
	    record_enum_name(RENUM_DMARC_ACTION, r->evaluated_disposition));
	JB_SMEMBER(b, f, 0, "\"evaluatedDkim\":",
	    record_enum_name(RENUM_DMARC_RESULT, r->evaluated_dkim));
	JB_SMEMBER(b, f, 0, "\"evaluatedSpf\":",
	    record_enum_name(RENUM_DMARC_RESULT, r->evaluated_spf));
	JB_KEY(b, f, 0, "\"policyOverrideReasons\":");
	jb_list_from(b, sp, RECORD_JSON_OVERRIDES);
	jb_put(b, "[", 1);
	for (i = 0; i < r->n_overrides; i++) {
		jb_open(b, &of, i);
		JB_SMEMBER(b, &of, 1, "\"overrideType\":",
		    record_enum_name(RENUM_DMARC_OVERRIDE, r->overrides[i].type));
		JB_SMEMBER(b, &of, 0, "\"comment\":", r->overrides[i].comment);
		jb_close(b, &of, "}");
	}
	if (r->n_overrides > 0)
		jb_close(b, &lf, "]");
	else
		jb_put(b, "]", 1);
	jb_list_to(b, sp, RECORD_JSON_OVERRIDES);
	JB_SMEMBER(b, f, 0, "\"envelopeTo\":", r->envelope_to);
	JB_SMEMBER(b, f, 0, "\"envelopeFrom\":", r->envelope_from);
	JB_SMEMBER(b, f, 0, "\"headerFrom\":", r->header_from);
	jb_record_lists(b, r, f, sp);
	jb_close(b, f, "}");
}

char *
record_json_write_records(const struct dmarc_record *recs, size_t n,
    size_t *len)
{
	static const struct jfmt compact = { 0, 1 };
	struct jbuf b = { NULL, 0, 0, 0 };
	size_t	i;

	JB_LIT(&b, "[");
	for (i = 0; i < n; i++) {
		if (i > 0)
			JB_LIT(&b, ",");
		jb_record(&b, &recs[i], &compact, NULL);
	}
	JB_LIT(&b, "]");
	return (jb_text(&b, len));
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

/*
 * The records' own text, as record_json_write() writes them in a
 * report: a pretty record's members are four levels deep (External
 * report > report > records > record).
 */
char *
record_json_write_record_list(const struct dmarc_record *recs, size_t n,
    unsigned flags, int first, size_t *len)
{
	struct jfmt f = { (flags & RECORD_JSON_PRETTY) != 0, 4 };
	struct jbuf b = { NULL, 0, 0, 0 };
	size_t	i;

	for (i = 0; i < n; i++) {
		if (i > 0 || !first)
			jb_put(&b, ",", 1);
		jb_nl(&b, &f, 3);
		jb_record(&b, &recs[i], &f, NULL);
	}
	return (jb_text(&b, len));
}

char *
record_json_write_record(const struct dmarc_record *rec, unsigned flags,
    size_t *len)
{
	return (record_json_write_record_list(rec, 1, flags, 1, len));
}

char *
record_json_write_record_lists(const struct dmarc_record *rec, size_t *len,
    struct record_json_lists *lists)
{
	struct jfmt f = { 0, 4 };
	struct jbuf b = { NULL, 0, 0, 0 };

	jb_record(&b, rec, &f, lists);
	return (jb_text(&b, len));
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
	jb_put(&b, close, strlen(close));
	free(text);
	return (jb_text(&b, len));
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
