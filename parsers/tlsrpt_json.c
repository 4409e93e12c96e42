/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	tlsrpt_json - SMTP TLS report (RFC 8460) into a TlsReport
 * PURPOSE
 *	Reads one TLS-RPT JSON document with json-c and copies what it says
 *	into the record model; no json-c object leaves this file. json-c
 *	builds the whole tree of what it parses, at 6 to 11 times the text
 *	for a report. So the "policies" array, nearly all of a big report,
 *	is found in the text (json_span) and json-c reads the document with
 *	it left empty, then one policy at a time: the trees live one at a
 *	time, and memory follows the model, not the tree. Text that does not
 *	scan so, or a policy json-c refuses, is read whole as before, and
 *	json-c says what is wrong. The size is checked against
 *	limits->json_bytes before a byte is parsed, and the tokener's nesting
 *	depth is capped (a report needs five levels).
 *
 *	Strict where the record cannot exist without a value (report-id, the
 *	two dates, a "policies" member), lenient everywhere else, as real
 *	reports are: null for an absent optional, mx-host as a string or a
 *	list, policy-string as a string, counts written as strings, negative
 *	or fractional counts, date-times without a zone (UTC), unknown
 *	policy and result types ("other", the result type's text kept in
 *	additionalInformation).
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "json_span.h"
#include "parse.h"
#include "record.h"
#include "record_enum.h"
#include "timeparse.h"
#include "tlsrpt_json.h"

/*
 * Nesting the tokener accepts. A report uses five levels (root, policies,
 * policy entry, failure-details, failure detail); the rest is room for
 * extensions a reporter may add. Deeper input is refused as not
 * well-formed: it cannot be a report, and json-c recurses per level.
 */
#define TLSRPT_JSON_DEPTH	20

/*
 * json-c builds the whole tree, and a value costs far more than its text:
 * "0," is two bytes of text and some 70 bytes of json-c, "{}," three
 * bytes and some 800 (each object gets a hash table), a failure detail
 * of four members some 1,200 for its 140 bytes. Before parsing, the
 * tree's size is estimated from the text (TLSRPT_COST_* per object,
 * array and other value, each above what json-c takes) and refused past
 * TLSRPT_COST_RATIO times limits->json_bytes (768 MiB for the default
 * 64 MiB), never less than TLSRPT_COST_MIN. A report of real shape
 * estimates at 6 to 11 times its text (the biggest seen, 1,000 policies
 * of 100 failure details, in 28.6 MB), so it is read up to the text cap
 * or near it; a document of bare values or empty objects, 64 times its
 * text and more, is refused before json-c sees it.
 */
#define TLSRPT_COST_RATIO	12
#define TLSRPT_COST_OBJECT	((size_t) 1024)
#define TLSRPT_COST_ARRAY	((size_t) 512)
#define TLSRPT_COST_VALUE	((size_t) 128)
#define TLSRPT_COST_MIN		((size_t) 1 << 20)

/* The member key of obj, or NULL when it is absent or JSON null. */
static struct json_object *
tlsrpt_member(struct json_object *obj, const char *key)
{
	struct json_object *v = NULL;

	if (obj == NULL || !json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, key, &v))
		return (NULL);
	return (v);
}

/*
 * A scalar as text: a string as written, a number or boolean in json-c's
 * spelling (a report-id written as a number is still an id). Objects and
 * arrays have no text: *out stays NULL. Returns 0, or -1 out of memory.
 */
static int
tlsrpt_text(struct json_object *v, char **out)
{
	const char *s;

	*out = NULL;
	if (v == NULL || json_object_is_type(v, json_type_object) ||
	    json_object_is_type(v, json_type_array))
		return (0);
	if (json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		*out = record_strndup(s, (size_t) json_object_get_string_len(v));
	} else {
		s = json_object_get_string(v);
		*out = record_strdup(s != NULL ? s : "");
	}
	return (*out == NULL ? -1 : 0);
}

/* The text of member key of obj (see tlsrpt_text). */
static int
tlsrpt_string(struct json_object *obj, const char *key, char **out)
{
	return (tlsrpt_text(tlsrpt_member(obj, key), out));
}

/*
 * Decimal digits in a string, as reporters that quote their counts write
 * them. Values past 2^64-1 saturate, as json-c does for numbers; a sign,
 * a fraction or anything else that is not a count gives 0.
 */
static uint64_t
tlsrpt_count_text(const char *s)
{
	uint64_t v = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '+')
		s++;
	if (*s < '0' || *s > '9')
		return (0);
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - (uint64_t) (*s - '0')) / 10)
			v = UINT64_MAX;
		else
			v = v * 10 + (uint64_t) (*s - '0');
	}
	while (*s == ' ' || *s == '\t')
		s++;
	return (*s == '\0' ? v : 0);
}

/*
 * A session count. Absent, null, negative, NaN and non-numeric values
 * are 0; fractions are truncated; json-c saturates integers past 2^64-1
 * and this function does the same for doubles.
 */
static uint64_t
tlsrpt_count(struct json_object *obj, const char *key)
{
	struct json_object *v = tlsrpt_member(obj, key);
	double	d;

	if (v == NULL)
		return (0);
	switch (json_object_get_type(v)) {
	case json_type_int:
		if (json_object_get_int64(v) < 0)
			return (0);
		return (json_object_get_uint64(v));
	case json_type_double:
		d = json_object_get_double(v);
		if (!(d > 0))
			return (0);
		if (d >= 18446744073709551616.0)
			return (UINT64_MAX);
		return ((uint64_t) d);
	case json_type_string:
		return (tlsrpt_count_text(json_object_get_string(v)));
	default:
		return (0);
	}
}

/*
 * Appends member key of obj to l: a list of strings, or one string (some
 * reporters write policy-string or mx-host that way). Nulls and
 * non-scalar elements are skipped. Returns 0, or -1 out of memory.
 */
static int
tlsrpt_strings(struct json_object *obj, const char *key, struct strlist *l)
{
	struct json_object *v = tlsrpt_member(obj, key);
	size_t	i, n;
	char   *s;

	if (v == NULL)
		return (0);
	if (!json_object_is_type(v, json_type_array)) {
		if (tlsrpt_text(v, &s) < 0)
			return (-1);
		n = 1;
	} else
		n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		if (json_object_is_type(v, json_type_array) &&
		    tlsrpt_text(json_object_array_get_idx(v, i), &s) < 0)
			return (-1);
		if (s == NULL)
			continue;
		if (strlist_add_str(l, s) < 0) {
			free(s);
			return (-1);
		}
		free(s);
	}
	return (0);
}

/*
 * The result type of a failure detail. An unknown one is "other" and its
 * text goes before any additional-information ("result-type: X; info"),
 * because the schema has no other place for it. Returns 0 or -1 (OOM).
 */
static int
tlsrpt_result_type(struct json_object *fd, struct tls_failure *f)
{
	char   *type, *info;
	size_t	need;
	int	v;

	if (tlsrpt_string(fd, "result-type", &type) < 0)
		return (-1);
	v = type != NULL ? record_enum_value_loose(RENUM_TLS_RESULT_TYPE, type) : -1;
	f->result_type = v >= 0 ? (enum tls_result_type) v : TLS_RESULT_OTHER;
	if (v >= 0 || type == NULL || type[0] == '\0') {
		free(type);
		return (0);
	}
	info = f->additional_information;
	need = strlen("result-type: ") + strlen(type) +
	    (info != NULL ? 2 + strlen(info) : 0) + 1;
	if ((f->additional_information = malloc(need)) == NULL) {
		f->additional_information = info;
		free(type);
		return (-1);
	}
	strcpy(f->additional_information, "result-type: ");
	strcat(f->additional_information, type);
	if (info != NULL) {
		strcat(f->additional_information, "; ");
		strcat(f->additional_information, info);
	}
	free(info);
	free(type);
	return (0);
}

/* One element of failure-details. Returns 0, or -1 out of memory. */
static int
tlsrpt_failure(struct json_object *fd, struct tls_failure *f)
{
	if (tlsrpt_string(fd, "sending-mta-ip", &f->sending_mta_ip) < 0 ||
	    tlsrpt_string(fd, "receiving-mx-hostname",
	    &f->receiving_mx_hostname) < 0 ||
	    tlsrpt_string(fd, "receiving-mx-helo", &f->receiving_mx_helo) < 0 ||
	    tlsrpt_string(fd, "receiving-ip", &f->receiving_ip) < 0 ||
	    tlsrpt_string(fd, "additional-information",
	    &f->additional_information) < 0 ||
	    tlsrpt_string(fd, "failure-reason-code",
	    &f->failure_reason_code) < 0 ||
	    tlsrpt_result_type(fd, f) < 0)
		return (-1);
	f->failed_session_count = tlsrpt_count(fd, "failed-session-count");
	return (0);
}

/*
 * The failure-details of one policy. Elements that are not objects are
 * skipped rather than failing the report. Returns 0 or -1 (OOM).
 */
static int
tlsrpt_failures(struct json_object *entry, struct tls_policy *p)
{
	struct json_object *v = tlsrpt_member(entry, "failure-details");
	struct json_object *fd;
	size_t	i, n;

	if (v == NULL || !json_object_is_type(v, json_type_array) ||
	    (n = json_object_array_length(v)) == 0)
		return (0);
	if ((p->failures = calloc(n, sizeof(*p->failures))) == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		fd = json_object_array_get_idx(v, i);
		if (fd == NULL || !json_object_is_type(fd, json_type_object))
			continue;
		/* Counted first: a half-filled element is still freed. */
		if (tlsrpt_failure(fd, &p->failures[p->n_failures++]) < 0)
			return (-1);
	}
	return (0);
}

/*
 * One element of policies: {"policy": {...}, "summary": {...},
 * "failure-details": [...]}. A policy without policy-domain gets ""
 * (RFC 8460 requires it, but real reports omit it for no-policy-found).
 * Returns 0 or -1 (OOM).
 */
static int
tlsrpt_policy(struct json_object *entry, struct tls_policy *p)
{
	struct json_object *pol = tlsrpt_member(entry, "policy");
	struct json_object *sum = tlsrpt_member(entry, "summary");
	char   *type;
	int	v;

	if (tlsrpt_string(pol, "policy-type", &type) < 0)
		return (-1);
	v = type != NULL ? record_enum_value_loose(RENUM_TLS_POLICY_TYPE, type) : -1;
	p->policy_type = v >= 0 ? (enum tls_policy_type) v : TLS_POLICY_OTHER;
	free(type);
	if (tlsrpt_strings(pol, "policy-string", &p->policy_strings) < 0 ||
	    tlsrpt_string(pol, "policy-domain", &p->policy_domain) < 0 ||
	    tlsrpt_strings(pol, "mx-host", &p->mx_hosts) < 0)
		return (-1);
	if (p->policy_domain == NULL &&
	    (p->policy_domain = record_strdup("")) == NULL)
		return (-1);
	p->total_successful_sessions = tlsrpt_count(sum,
	    "total-successful-session-count");
	p->total_failed_sessions = tlsrpt_count(sum,
	    "total-failure-session-count");
	return (tlsrpt_failures(entry, p));
}

/*
 * The policies member: required, a list (null reads as an empty one).
 * Elements that are not objects are skipped.
 */
static enum parse_status
tlsrpt_policies(struct json_object *root, struct tls_report *t,
    struct parse_error *err)
{
	struct json_object *v = NULL, *entry;
	size_t	i, n;

	if (!json_object_object_get_ex(root, "policies", &v)) {
		parse_error_set(err, "TLS report has no \"policies\" member");
		return (PARSE_INVALID);
	}
	if (v == NULL)
		return (PARSE_OK);
	if (!json_object_is_type(v, json_type_array)) {
		parse_error_set(err, "TLS report \"policies\" is not a list");
		return (PARSE_INVALID);
	}
	if ((n = json_object_array_length(v)) == 0)
		return (PARSE_OK);
	if ((t->policies = calloc(n, sizeof(*t->policies))) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		entry = json_object_array_get_idx(v, i);
		if (entry == NULL || !json_object_is_type(entry, json_type_object))
			continue;
		if (tlsrpt_policy(entry, &t->policies[t->n_policies++]) < 0)
			goto nomem;
	}
	return (PARSE_OK);
nomem:
	parse_error_set(err, "out of memory reading a TLS report");
	return (PARSE_NOMEM);
}

/* One of the two date-times of date-range, required. */
static enum parse_status
tlsrpt_date(struct json_object *range, const char *key, int64_t *t,
    struct parse_error *err)
{
	struct json_object *v = tlsrpt_member(range, key);

	if (v == NULL) {
		parse_error_set(err, "TLS report has no \"date-range\".\"%s\"",
		    key);
		return (PARSE_INVALID);
	}
	if (!json_object_is_type(v, json_type_string) ||
	    timeparse_rfc3339(json_object_get_string(v), t) < 0) {
		parse_error_set(err, "TLS report \"date-range\".\"%s\" is not "
		    "an RFC 3339 date-time: \"%.64s\"", key,
		    json_object_get_string(v));
		return (PARSE_INVALID);
	}
	return (PARSE_OK);
}

/* report-id, date-range, organization-name and contact-info. */
static enum parse_status
tlsrpt_header(struct json_object *root, struct tls_report *t,
    struct parse_error *err)
{
	struct json_object *range;
	enum parse_status st;

	if (tlsrpt_string(root, "report-id", &t->report_id) < 0 ||
	    tlsrpt_string(root, "organization-name",
	    &t->organization_name) < 0 ||
	    tlsrpt_string(root, "contact-info", &t->contact_info) < 0) {
		parse_error_set(err, "out of memory reading a TLS report");
		return (PARSE_NOMEM);
	}
	if (t->report_id == NULL) {
		parse_error_set(err, "TLS report has no \"report-id\" %s",
		    tlsrpt_member(root, "report-id") == NULL ? "member" :
		    "string");
		return (PARSE_INVALID);
	}
	if ((range = tlsrpt_member(root, "date-range")) == NULL ||
	    !json_object_is_type(range, json_type_object)) {
		parse_error_set(err, "TLS report has no \"date-range\" object");
		return (PARSE_INVALID);
	}
	if ((st = tlsrpt_date(range, "start-datetime", &t->date_range_start,
	    err)) != PARSE_OK)
		return (st);
	return (tlsrpt_date(range, "end-datetime", &t->date_range_end, err));
}

/* White space, or the NUL bytes some generators leave at the end. */
static int
tlsrpt_blank(const char *p, size_t len)
{
	for (; len > 0; p++, len--)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' &&
		    *p != '\0')
			return (0);
	return (1);
}

/*
 * An upper bound of what json-c would allocate for buf (see above): one
 * value per ':' or ',' outside a string, the costs of '{' and '[', and
 * the document itself. Stops counting past max.
 */
static size_t
tlsrpt_cost(const char *buf, size_t len, size_t max)
{
	size_t	cost = TLSRPT_COST_VALUE, i;
	int	in_string = 0;

	for (i = 0; i < len && cost <= max; i++) {
		if (in_string) {
			if (buf[i] == '\\')
				i++;
			else if (buf[i] == '"')
				in_string = 0;
		} else if (buf[i] == '"')
			in_string = 1;
		else if (buf[i] == '{')
			cost += TLSRPT_COST_OBJECT;
		else if (buf[i] == '[')
			cost += TLSRPT_COST_ARRAY;
		else if (buf[i] == ':' || buf[i] == ',')
			cost += TLSRPT_COST_VALUE;
	}
	return (cost);
}

/*
 * Tokenizes the whole buffer into *root (a JSON object), nested depth
 * levels at most. Anything but white space after the value is an error.
 */
static enum parse_status
tlsrpt_tokenize(const char *buf, size_t len, int depth,
    struct json_object **root, struct parse_error *err)
{
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	size_t	end;

	*root = NULL;
	if ((tok = json_tokener_new_ex(depth)) == NULL) {
		parse_error_set(err, "out of memory reading a TLS report");
		return (PARSE_NOMEM);
	}
	*root = json_tokener_parse_ex(tok, buf, (int) len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr == json_tokener_success && *root != NULL &&
	    end <= len && !tlsrpt_blank(buf + end, len - end))
		jerr = json_tokener_error_parse_unexpected;
	if (jerr != json_tokener_success || *root == NULL) {
		parse_error_set(err, "JSON not well-formed: %s%s",
		    jerr == json_tokener_continue ? "unexpected end of data" :
		    json_tokener_error_desc(jerr),
		    jerr == json_tokener_error_parse_unexpected &&
		    *root != NULL ? " after the report" : "");
		json_object_put(*root);
		*root = NULL;
		return (PARSE_INVALID);
	}
	if (!json_object_is_type(*root, json_type_object)) {
		parse_error_set(err, "TLS report is JSON but not an object");
		json_object_put(*root);
		*root = NULL;
		return (PARSE_INVALID);
	}
	return (PARSE_OK);
}

/* The whole text as one tree: header, then policies. */
static enum parse_status
tlsrpt_whole(const char *buf, size_t len, struct tls_report *t,
    struct parse_error *err)
{
	struct json_object *root;
	enum parse_status st;

	if ((st = tlsrpt_tokenize(buf, len, TLSRPT_JSON_DEPTH, &root,
	    err)) != PARSE_OK)
		return (st);
	if ((st = tlsrpt_header(root, t, err)) == PARSE_OK)
		st = tlsrpt_policies(root, t, err);
	json_object_put(root);
	return (st);
}

/*
 * The policies whose array text is buf[0..len), one tree at a time.
 * Returns PARSE_OK, PARSE_NOMEM, or PARSE_INVALID when the text does not
 * scan or json-c refuses an element (then the caller reads it whole).
 */
static enum parse_status
tlsrpt_policies_each(const char *buf, size_t len, struct tls_report *t,
    struct parse_error *err)
{
	struct json_span_array a;
	struct json_object *entry;
	size_t	off, elen, n;
	enum parse_status st;
	int	rc;

	/* Counted first, so that the model's array is allocated once. */
	if (json_span_array_count(buf, len, &n) < 0)
		return (PARSE_INVALID);
	if (n == 0)
		return (PARSE_OK);
	if ((t->policies = calloc(n, sizeof(*t->policies))) == NULL)
		goto nomem;
	(void) json_span_array_begin(&a, buf, len);
	while (json_span_array_next(&a, &off, &elen) == 1) {
		/* An element lies two levels down: root, policies. */
		if ((st = tlsrpt_tokenize(buf + off, elen,
		    TLSRPT_JSON_DEPTH - 2, &entry, err)) != PARSE_OK)
			return (st);	/* json-c says why (not an object too) */
		rc = tlsrpt_policy(entry, &t->policies[t->n_policies++]);
		json_object_put(entry);
		if (rc < 0)
			goto nomem;
	}
	return (PARSE_OK);
nomem:
	parse_error_set(err, "out of memory reading a TLS report");
	return (PARSE_NOMEM);
}

/*
 * Reads the text with its policies array (buf[off..off + plen)) left
 * empty, then the policies one at a time. Returns what the header or
 * the policies gave: on PARSE_INVALID the caller reads the text whole,
 * so that the reason is the whole's (json-c's or the header's, whichever
 * comes first).
 */
static enum parse_status
tlsrpt_streamed(const char *buf, size_t len, size_t off, size_t plen,
    struct tls_report *t, struct parse_error *err)
{
	struct json_object *root;
	enum parse_status st;
	size_t	rlen;
	char   *rest;

	if ((rest = json_span_emptied(buf, len, off, plen, &rlen)) == NULL) {
		parse_error_set(err, "out of memory reading a TLS report");
		return (PARSE_NOMEM);
	}
	st = tlsrpt_tokenize(rest, rlen, TLSRPT_JSON_DEPTH, &root, err);
	free(rest);
	if (st != PARSE_OK)
		return (st);
	st = tlsrpt_header(root, t, err);
	json_object_put(root);
	if (st == PARSE_OK)
		st = tlsrpt_policies_each(buf + off, plen, t, err);
	return (st);
}

enum parse_status
tlsrpt_json_parse(const char *buf, size_t len,
    const struct parse_limits *limits, struct report **out,
    struct parse_error *err)
{
	static const char *const policies[] = { "policies" };
	struct report *r;
	enum parse_status st = PARSE_INVALID;	/* until read: read whole */
	size_t	max_cost, off, plen;

	*out = NULL;
	/* json-c counts in int: the cap can never let more than that in. */
	if (len > limits->json_bytes || len > (size_t) INT_MAX) {
		parse_error_set(err, "TLS report of %zu bytes is over the "
		    "%zu-byte JSON cap", len, limits->json_bytes);
		return (PARSE_LIMIT);
	}
	max_cost = limits->json_bytes * TLSRPT_COST_RATIO;
	if (max_cost < TLSRPT_COST_MIN)
		max_cost = TLSRPT_COST_MIN;
	if (tlsrpt_cost(buf, len, max_cost) > max_cost) {
		parse_error_set(err, "TLS report holds too many JSON values to "
		    "be read in %zu bytes", max_cost);
		return (PARSE_LIMIT);
	}
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		buf += 3;	/* a UTF-8 byte order mark */
		len -= 3;
	}
	if ((r = report_new(RECORD_TLS)) == NULL)
		goto nomem;
	if (json_span_find(buf, len, policies, 1, &off, &plen) == 1 &&
	    buf[off] == '[' && (st = tlsrpt_streamed(buf, len, off, plen,
	    &r->u.tls, err)) == PARSE_INVALID) {
		/* A fresh start: what was read is dropped. */
		report_free(r);
		if ((r = report_new(RECORD_TLS)) == NULL)
			goto nomem;
		parse_error_clear(err);
	}
	if (st == PARSE_INVALID)
		st = tlsrpt_whole(buf, len, &r->u.tls, err);
	if (st != PARSE_OK) {
		report_free(r);
		return (st);
	}
	*out = r;
	return (PARSE_OK);
nomem:
	parse_error_set(err, "out of memory reading a TLS report");
	return (PARSE_NOMEM);
}
