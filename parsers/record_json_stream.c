/*
 * NAME
 *	record_json_stream - DMARC records a chunk or one at a time
 * PURPOSE
 *	A DMARC report of 100,000 records is never one JSON tree: the store
 *	keeps its records in chunks (a JSON array each) and prints them one
 *	at a time between the head and the tail of the report's own text.
 *	These are the codec's functions for that; the text they make is the
 *	text record_json_write() makes of the whole report.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void
jb_put(struct jbuf *b, const char *s, size_t n)
{
	size_t	cap;
	char   *p;

	if (b->failed)
		return;
	if (n > b->cap - b->len) {
		for (cap = b->cap ? b->cap : 4096; n > cap - b->len; cap *= 2)
			;
		if ((p = realloc(b->p, cap)) == NULL) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

#define JB_LIT(b, s)	jb_put((b), (s), sizeof(s) - 1)

/* A JSON string, or null for NULL. */
static void
jb_str(struct jbuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run;
	char	esc[6];
	unsigned char c;

	if (s == NULL) {
		JB_LIT(b, "null");
		return;
	}
	JB_LIT(b, "\"");
	for (run = s; (c = (unsigned char) *s) != '\0'; s++) {
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		jb_put(b, run, (size_t) (s - run));
		run = s + 1;
		esc[0] = '\\';
		switch (c) {
		case '"': case '\\': esc[1] = (char) c; break;
		case '\b': esc[1] = 'b'; break;
		case '\t': esc[1] = 't'; break;
		case '\n': esc[1] = 'n'; break;
		case '\f': esc[1] = 'f'; break;
		case '\r': esc[1] = 'r'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			jb_put(b, esc, 6);
			continue;
		}
		jb_put(b, esc, 2);
	}
	jb_put(b, run, (size_t) (s - run));
	JB_LIT(b, "\"");
}

/* ,"name": (the comma unless first) then a string value. */
static void
jb_member(struct jbuf *b, const char *name, const char *value, int first)
{
	if (!first)
		JB_LIT(b, ",");
	JB_LIT(b, "\"");
	jb_put(b, name, strlen(name));
	JB_LIT(b, "\":");
	jb_str(b, value);
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
	char	num[32];
	size_t	i;

	jb_put(b, "{", 1);
	jb_member(b, "sourceIp", r->source_ip, 1);
	jb_put(b, num, (size_t) snprintf(num, sizeof(num), ",\"count\":%" PRIu64,
	    r->count));
	jb_member(b, "evaluatedDisposition", record_enum_name(RENUM_DMARC_ACTION,
	    r->evaluated_disposition), 0);
	jb_member(b, "evaluatedDkim", record_enum_name(RENUM_DMARC_RESULT,
	    r->evaluated_dkim), 0);
	jb_member(b, "evaluatedSpf", record_enum_name(RENUM_DMARC_RESULT,
	    r->evaluated_spf), 0);
	JB_LIT(b, ",\"policyOverrideReasons\":[");
	for (i = 0; i < r->n_overrides; i++) {
		jb_open(b, i);
		jb_member(b, "overrideType", record_enum_name(RENUM_DMARC_OVERRIDE,
		    r->overrides[i].type), 1);
		jb_member(b, "comment", r->overrides[i].comment, 0);
		JB_LIT(b, "}");
	}
	JB_LIT(b, "]");
	jb_member(b, "envelopeTo", r->envelope_to, 0);
	jb_member(b, "envelopeFrom", r->envelope_from, 0);
	jb_member(b, "headerFrom", r->header_from, 0);
	JB_LIT(b, ",\"dkimResults\":[");
	for (i = 0; i < r->n_dkim; i++) {
		jb_open(b, i);
		jb_member(b, "domain", r->dkim[i].domain, 1);
		jb_member(b, "selector", r->dkim[i].selector, 0);
		jb_member(b, "result", record_enum_name(RENUM_DKIM_RESULT,
		    r->dkim[i].result), 0);
		jb_member(b, "humanResult", r->dkim[i].human_result, 0);
		JB_LIT(b, "}");
	}
	JB_LIT(b, "],\"spfResults\":[");
	for (i = 0; i < r->n_spf; i++) {
		jb_open(b, i);
		jb_member(b, "domain", r->spf[i].domain, 1);
		jb_member(b, "scope", record_enum_name(RENUM_SPF_SCOPE,
		    r->spf[i].scope), 0);
		jb_member(b, "result", record_enum_name(RENUM_SPF_RESULT,
		    r->spf[i].result), 0);
		jb_member(b, "humanResult", r->spf[i].human_result, 0);
		JB_LIT(b, "}");
	}
	JB_LIT(b, "],\"extensions\":[");
	for (i = 0; i < r->n_ext; i++) {
		jb_open(b, i);
		jb_member(b, "name", r->ext[i].name, 1);
		jb_member(b, "definition", r->ext[i].definition, 0);
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
	if ((st = record_json_parse_text(text, len, &a, err)) != PARSE_OK)
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

/*
 * Finds where the (empty) records list of a DMARC report is in text. The
 * name of a member is followed by '"' and ':' only outside strings
 * (inside one the quote is escaped), so the first match is the member.
 */
static char *
find_records(char *text, unsigned flags)
{
	const char *pat = (flags & RECORD_JSON_PRETTY) ?
	    "\"records\": []" : "\"records\":[]";
	char   *p = strstr(text, pat);

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
	if ((close = find_records(text, flags)) == NULL) {
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
