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
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "record_json.h"
#include "record_json_int.h"

/* Pretty printing indents a record of External report > report > records. */
#define RECORD_INDENT	"      "

char *
record_json_write_records(const struct dmarc_record *recs, size_t n,
    size_t *len)
{
	struct json_object *a, *o;
	size_t	i;

	if ((a = json_object_new_array_ext((int) (n ? n : 1))) == NULL)
		return (NULL);
	for (i = 0; i < n; i++) {
		if ((o = record_json_dmarc_record(&recs[i])) == NULL ||
		    json_object_array_add(a, o) != 0) {
			json_object_put(o);
			json_object_put(a);
			return (NULL);
		}
	}
	return (record_json_print(a, 0, len));
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
