/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	arf - ARF feedback report (RFC 5965, RFC 6591, RFC 7489 §7.3)
 * PURPOSE
 *	Reads the header-style fields of a message/feedback-report part into
 *	an ArfFeedbackReport, and keeps the returned message or headers.
 *	This file splits the text into fields (folded lines joined, white
 *	space collapsed, names matched in any case) and dispatches each one
 *	through a table; arf_fields.c reads the values that are more than
 *	text (dates, numbers, addresses, enums).
 *
 *	Real feedback parts are untidy: CRLF or LF, blank lines, stray MIME
 *	header lines (Content-Type, MIME-Version, Content-Transfer-Encoding)
 *	ahead of or among the fields, pre-RFC names (Received-Date). Fields
 *	this parser does not know are skipped, so those need no special case.
 */
#include <assert.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arf.h"
#include "arf_fields.h"
#include "parse.h"
#include "record.h"

/* One field as it stands in the text: name, and value through its folds. */
struct arf_raw {
	const char *name;
	size_t	name_len;
	const char *value;
	size_t	value_len;
};

/* Stores the value of a known field; returns 0, or -1 out of memory. */
typedef int (*arf_setter)(struct arf_ctx *, const char *value, size_t off);

struct arf_field {
	const char *name;
	arf_setter set;
	size_t	off;		/* the member of struct arf_report, if any */
};

#define ARF_OFF(m)	offsetof(struct arf_report, m)

/* The first occurrence of a single-valued text field wins. */
static int
arf_set_str(struct arf_ctx *c, const char *value, size_t off)
{
	char  **slot = (char **) (void *) ((char *) c->a + off);

	if (*slot != NULL)
		return (0);
	return ((*slot = record_strdup(value)) == NULL ? -1 : 0);
}

/* List fields keep every repetition, in order, empty values included. */
static int
arf_add_list(struct arf_ctx *c, const char *value, size_t off)
{
	struct strlist *l = (struct strlist *) (void *) ((char *) c->a + off);

	return (strlist_add_str(l, value));
}

/*
 * Every field the schema has a place for. Original-Rcpt-To may repeat
 * (RFC 5965 §3.2) but originalRcptTo holds one address: the first is
 * kept. Names are compared without regard to case.
 */
static const struct arf_field arf_fields[] = {
	{ "Feedback-Type", arf_set_feedback_type, 0 },
	{ "User-Agent", arf_set_str, ARF_OFF(user_agent) },
	{ "Version", arf_set_version, 0 },
	{ "Arrival-Date", arf_set_arrival_date, 0 },
	{ "Received-Date", arf_set_received_date, 0 },
	{ "Authentication-Results", arf_add_list,
	    ARF_OFF(authentication_results) },
	{ "Incidents", arf_set_incidents, 0 },
	{ "Original-Envelope-Id", arf_set_str, ARF_OFF(original_envelope_id) },
	{ "Original-Mail-From", arf_set_str, ARF_OFF(original_mail_from) },
	{ "Original-Rcpt-To", arf_set_str, ARF_OFF(original_rcpt_to) },
	{ "Reported-Domain", arf_add_list, ARF_OFF(reported_domains) },
	{ "Reported-Uri", arf_add_list, ARF_OFF(reported_uris) },
	{ "Reporting-MTA", arf_set_str, ARF_OFF(reporting_mta) },
	{ "Source-IP", arf_set_source_ip, 0 },
	{ "Source-Port", arf_set_source_port, 0 },
	{ "Auth-Failure", arf_set_auth_failure, 0 },
	{ "Delivery-Result", arf_set_delivery_result, 0 },
	{ "DKIM-ADSP-DNS", arf_set_str, ARF_OFF(dkim_adsp_dns) },
	{ "DKIM-Canonicalized-Body", arf_set_str,
	    ARF_OFF(dkim_canonicalized_body) },
	{ "DKIM-Canonicalized-Header", arf_set_str,
	    ARF_OFF(dkim_canonicalized_header) },
	{ "DKIM-Domain", arf_set_str, ARF_OFF(dkim_domain) },
	{ "DKIM-Identity", arf_set_str, ARF_OFF(dkim_identity) },
	{ "DKIM-Selector", arf_set_str, ARF_OFF(dkim_selector) },
	{ "DKIM-Selector-DNS", arf_set_str, ARF_OFF(dkim_selector_dns) },
	{ "SPF-DNS", arf_set_str, ARF_OFF(spf_dns) },
	{ "Identity-Alignment", arf_set_identity_alignment, 0 },
};

static const struct arf_field *
arf_lookup(const char *name, size_t len)
{
	size_t	i;

	for (i = 0; i < sizeof(arf_fields) / sizeof(arf_fields[0]); i++)
		if (strlen(arf_fields[i].name) == len &&
		    strncasecmp(arf_fields[i].name, name, len) == 0)
			return (&arf_fields[i]);
	return (NULL);
}

static int
arf_wsp(int c)
{
	return (c == ' ' || c == '\t');
}

/* The end of the line at pos (the '\n' or len) and where the next starts. */
static size_t
arf_line_end(const char *buf, size_t len, size_t pos, size_t *next)
{
	const char *nl = memchr(buf + pos, '\n', len - pos);
	size_t	end = nl != NULL ? (size_t) (nl - buf) : len;

	*next = nl != NULL ? end + 1 : len;
	return (end);
}

/*
 * The name of a field line: printable ASCII up to ':' (RFC 5322 ftext),
 * with the obsolete white space before the colon allowed. Returns the
 * offset of the colon in the line, or 0 when the line is not a field.
 */
static size_t
arf_field_name(const char *line, size_t len, size_t *name_len)
{
	size_t	i, n;

	for (i = 0; i < len && line[i] != ':'; i++)
		;
	if (i == len)
		return (0);
	for (n = i; n > 0 && arf_wsp((unsigned char) line[n - 1]); n--)
		;
	if (n == 0)
		return (0);
	for (*name_len = 0; *name_len < n; (*name_len)++)
		if ((unsigned char) line[*name_len] <= ' ' ||
		    (unsigned char) line[*name_len] > '~')
			return (0);
	return (i);
}

/*
 * The next field at or after *pos: f gets its name and its raw value,
 * which runs over the continuation lines (those that open with white
 * space). Blank lines, orphan continuation lines and lines that are not
 * fields are skipped. Returns 1 with *pos past the field, or 0 at the end.
 */
static int
arf_next_field(const char *buf, size_t len, size_t *pos, struct arf_raw *f)
{
	size_t	p = *pos, end, next, colon;

	for (; p < len; p = next) {
		end = arf_line_end(buf, len, p, &next);
		if (end == p || arf_wsp((unsigned char) buf[p]) ||
		    (colon = arf_field_name(buf + p, end - p,
		    &f->name_len)) == 0)
			continue;
		f->name = buf + p;
		f->value = buf + p + colon + 1;
		while (next < len && arf_wsp((unsigned char) buf[next]))
			end = arf_line_end(buf, len, next, &next);
		f->value_len = (size_t) (buf + end - f->value);
		*pos = next;
		return (1);
	}
	*pos = len;
	return (0);
}

/*
 * A copy of the raw value with the folds undone: every run of white
 * space (line ends included) becomes one space, none at either end. NUL
 * bytes are dropped, as they cannot be kept in a C string. NULL: no
 * memory.
 */
static char *
arf_collapse(const char *s, size_t len, size_t *out_len)
{
	char   *out, *o;
	size_t	i;
	int	space = 0;

	if ((out = malloc(len + 1)) == NULL)
		return (NULL);
	for (o = out, i = 0; i < len; i++) {
		unsigned char ch = (unsigned char) s[i];

		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' ||
		    ch == '\v' || ch == '\f') {
			space = o != out;
			continue;
		}
		if (ch == '\0')
			continue;
		if (space)
			*o++ = ' ';
		space = 0;
		*o++ = (char) ch;
	}
	*o = '\0';
	*out_len = (size_t) (o - out);
	return (out);
}

/* Reads every field into c->a. */
static enum parse_status
arf_read_fields(struct arf_ctx *c, const char *buf, size_t len)
{
	const struct arf_field *fd;
	struct arf_raw raw;
	size_t	pos = 0, vlen;
	char   *value;
	int	rc;

	while (arf_next_field(buf, len, &pos, &raw)) {
		if ((fd = arf_lookup(raw.name, raw.name_len)) == NULL)
			continue;
		if ((value = arf_collapse(raw.value, raw.value_len,
		    &vlen)) == NULL)
			goto nomem;
		/*
		 * One over-long field (an RFC 6591 canonicalized body can
		 * be large) must not lose the report: it is cut at the cap,
		 * on a UTF-8 character boundary.
		 */
		if (vlen > c->limits->field_bytes) {
			vlen = c->limits->field_bytes;
			while (vlen > 0 && ((unsigned char) value[vlen] & 0xC0) == 0x80)
				vlen--;
			value[vlen] = '\0';
		}
		rc = fd->set(c, value, fd->off);
		free(value);
		if (rc < 0)
			goto nomem;
	}
	return (PARSE_OK);
nomem:
	parse_error_set(c->err, "out of memory reading an ARF report");
	return (PARSE_NOMEM);
}

/*
 * Keeps the returned message (or headers) up to the cap. A cut never
 * splits a UTF-8 sequence, so that the stored text stays valid where the
 * original was. Returns 0, or -1 out of memory.
 */
static int
arf_returned(struct arf_report *a, const char *text, size_t len,
    bool headers_only, size_t cap)
{
	char  **slot = headers_only ? &a->headers : &a->message;
	size_t	n = len, back;

	if (text == NULL)
		return (0);
	if (n > cap) {
		n = cap;
		for (back = 0; back < 3 && n > 0 &&
		    ((unsigned char) text[n] & 0xc0) == 0x80; back++)
			n--;
	}
	return ((*slot = record_strndup(text, n)) == NULL ? -1 : 0);
}

enum parse_status
arf_parse(const char *fields, size_t len, const char *returned,
    size_t returned_len, bool headers_only,
    const struct parse_limits *limits, struct report **out,
    struct parse_error *err)
{
	struct arf_ctx c;
	enum parse_status st;

	assert(limits != NULL && out != NULL && (fields != NULL || len == 0));
	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.limits = limits;
	c.err = err;
	if ((*out = report_new(RECORD_ARF)) == NULL) {
		parse_error_set(err, "out of memory reading an ARF report");
		return (PARSE_NOMEM);
	}
	c.a = &(*out)->u.arf;
	st = arf_read_fields(&c, fields, len);
	if (st == PARSE_OK && !c.have_feedback_type) {
		parse_error_set(err, "no Feedback-Type field in the "
		    "feedback report");
		st = PARSE_INVALID;
	}
	if (st == PARSE_OK) {
		arf_fields_finish(&c);
		if (arf_returned(c.a, returned, returned_len, headers_only,
		    limits->returned_message_bytes) < 0) {
			parse_error_set(err, "out of memory reading an ARF "
			    "report");
			st = PARSE_NOMEM;
		}
	}
	if (st != PARSE_OK) {
		report_free(*out);
		*out = NULL;
	}
	return (st);
}
