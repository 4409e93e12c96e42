/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	dmarc_fields - what each element of a DMARC report does to the model
 * PURPOSE
 *	dmarc_xml.c calls in here when an element it recognised closes; this
 *	file stores the value into the report or the record being read,
 *	completes records and hands them on, and enforces the per-report and
 *	per-record caps that keep hostile input from growing memory.
 *
 *	Nothing a report says is dropped silently: a value that maps to no
 *	enum is kept as an extension named after its element (report level
 *	for metadata and policy, record level inside a record), an unknown
 *	DKIM/SPF result in humanResult, an unknown override type in the
 *	comment. A record with a value that cannot be used (a <count> that
 *	is not a number, a <source_ip> that is not an address) is kept with
 *	the default for that value (0, null) and the report's errors say why.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc_fields.h"
#include "dmarc_values.h"
#include "parse.h"
#include "record.h"

/*
 * Makes room for element n of an array of n elements of size bytes that
 * the model keeps without a capacity: it grows at powers of two, so the
 * capacity is implied by n. arrayp points to the array pointer. Returns
 * 0, or -1 out of memory (the array is unchanged).
 */
static int
array_room(void *arrayp, size_t n, size_t size)
{
	void   *v, *nv;
	size_t	cap;

	if (n != 0 && (n & (n - 1)) != 0)
		return (0);
	cap = n == 0 ? 1 : n * 2;
	if (cap > SIZE_MAX / size)
		return (-1);
	memcpy(&v, arrayp, sizeof(v));
	if ((nv = realloc(v, cap * size)) == NULL)
		return (-1);
	memcpy(arrayp, &nv, sizeof(nv));
	return (0);
}

/*
 * Replaces *dst with a copy of text. An optional value (JSON null when
 * absent) stays NULL when the element is empty.
 */
static void
set_str(struct dmarc_xml *p, char **dst, const char *text, bool optional)
{
	char   *s = NULL;

	if (!(optional && *text == '\0') && (s = record_strdup(text)) == NULL) {
		dmarc_fail(p, PARSE_NOMEM, "out of memory");
		return;
	}
	free(*dst);
	*dst = s;
}

/* Appends to the report's errors, up to DMARC_XML_MAX_ERRORS. */
static void
errors_add(struct dmarc_xml *p, const char *s)
{
	struct strlist *l = &p->report->u.dmarc.errors;

	if (l->n >= DMARC_XML_MAX_ERRORS)
		return;
	if (l->n == DMARC_XML_MAX_ERRORS - 1)
		s = "further errors omitted";
	if (strlist_add_str(l, s) < 0)
		dmarc_fail(p, PARSE_NOMEM, "out of memory");
}

/* A problem with the record being read, as a report error. */
static void __attribute__((format(printf, 2, 3)))
record_error(struct dmarc_xml *p, const char *fmt, ...)
{
	char	buf[512];
	int	n;
	va_list	ap;

	n = snprintf(buf, sizeof(buf), "record %ju: ", (uintmax_t) p->rec_no);
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - (size_t) n, fmt, ap);
	va_end(ap);
	errors_add(p, buf);
}

/* A cap was hit: said once per record, or once per report. */
static void
cap_note(struct dmarc_xml *p, const char *what)
{
	char	buf[128];

	if (p->in_record) {
		if (!p->rec_full)
			record_error(p, "more than %d %s, the rest dropped",
			    DMARC_XML_MAX_LIST, what);
		p->rec_full = true;
	} else if (!p->ext_full) {
		snprintf(buf, sizeof(buf), "more than %d report %s, the rest "
		    "dropped", DMARC_XML_MAX_EXT, what);
		errors_add(p, buf);
		p->ext_full = true;
	}
}

/* An extension of the record being read, or else of the report. */
static void
ext_add(struct dmarc_xml *p, const char *name, const char *def)
{
	struct dmarc_report *d = &p->report->u.dmarc;
	struct dmarc_extension **v = p->in_record ? &p->rec.ext : &d->ext;
	size_t *n = p->in_record ? &p->rec.n_ext : &d->n_ext;
	size_t	max = p->in_record ? DMARC_XML_MAX_LIST : DMARC_XML_MAX_EXT;
	char   *nm = NULL, *df = NULL;

	if (*n >= max) {
		cap_note(p, "extensions");
		return;
	}
	if (array_room(v, *n, sizeof(**v)) < 0 ||
	    (nm = record_strdup(name)) == NULL ||
	    (df = record_strdup(def)) == NULL) {
		free(nm);
		dmarc_fail(p, PARSE_NOMEM, "out of memory");
		return;
	}
	(*v)[*n].name = nm;
	(*v)[*n].definition = df;
	(*n)++;
}

/* A value no enum spells: kept as an extension named after its element. */
static void
keep(struct dmarc_xml *p, const char *name, const char *text)
{
	if (*text != '\0')
		ext_add(p, name, text);
}

static void
date_leaf(const char *text, int64_t *t, bool *has, bool *bad)
{
	if (*text == '\0')
		return;
	*has = dmarc_values_timestamp(text, t) == 0;
	*bad = !*has;
}

/* <policy_published> values (and <pct>, <fo>, <testing>: both kept). */
static void
policy_leaf(struct dmarc_xml *p, enum dmarc_field field, const char *name,
    const char *text)
{
	struct dmarc_report *d = &p->report->u.dmarc;
	uint64_t pct;
	unsigned fo;
	int	v = -1;

	switch (field) {
	case DF_ADKIM:
		if ((v = dmarc_values_alignment(text)) >= 0)
			d->policy_adkim = (enum dmarc_alignment) v;
		break;
	case DF_ASPF:
		if ((v = dmarc_values_alignment(text)) >= 0)
			d->policy_aspf = (enum dmarc_alignment) v;
		break;
	case DF_P:
		if ((v = dmarc_values_disposition(text)) >= 0)
			d->policy_disposition = (enum dmarc_disposition) v;
		break;
	case DF_SP:
		if ((v = dmarc_values_disposition(text)) >= 0)
			d->policy_subdomain_disposition =
			    (enum dmarc_disposition) v;
		break;
	case DF_FO:
		v = dmarc_values_fo(text, &fo);
		d->policy_fo = fo;
		break;
	case DF_PCT:		/* no Stalwart field: always an extension */
		if (dmarc_values_uint(text, &pct) == 0 && pct < 100)
			d->policy_testing_mode = true;
		break;
	case DF_TESTING:	/* likewise, so that "n" is not lost */
		if (dmarc_values_testing(text))
			d->policy_testing_mode = true;
		break;
	default:
		return;
	}
	if (v < 0)
		keep(p, name, text);
}

/* Report metadata, version and policy values. */
static void
report_leaf(struct dmarc_xml *p, enum dmarc_field field, const char *name,
    const char *text)
{
	struct dmarc_report *d = &p->report->u.dmarc;

	switch (field) {
	case DF_VERSION:
		if (dmarc_values_version(text, &d->version) < 0)
			keep(p, name, text);
		break;
	case DF_ORG_NAME:
		set_str(p, &d->org_name, text, false);
		break;
	case DF_EMAIL:
		set_str(p, &d->email, text, false);
		break;
	case DF_EXTRA_CONTACT:
		set_str(p, &d->extra_contact_info, text, false);
		break;
	case DF_REPORT_ID:
		set_str(p, &d->report_id, text, false);
		break;
	case DF_ERROR:
		if (*text != '\0')
			errors_add(p, text);
		break;
	case DF_BEGIN:
		date_leaf(text, &d->date_range_begin, &p->has_begin,
		    &p->bad_begin);
		break;
	case DF_END:
		date_leaf(text, &d->date_range_end, &p->has_end, &p->bad_end);
		break;
	case DF_POLICY_DOMAIN:
		set_str(p, &d->policy_domain, text, false);
		break;
	case DF_POLICY_VERSION:
		set_str(p, &d->policy_version, text, true);
		break;
	default:
		policy_leaf(p, field, name, text);
		break;
	}
}

static void
source_ip_leaf(struct dmarc_xml *p, const char *text)
{
	unsigned char addr[16];

	if (inet_pton(AF_INET, text, addr) == 1 ||
	    inet_pton(AF_INET6, text, addr) == 1) {
		set_str(p, &p->rec.source_ip, text, true);
		return;
	}
	if (*text != '\0')
		record_error(p, "<source_ip> is not an IP address: '%.64s'",
		    text);
}

/* <row> and <identifiers> values. */
static void
record_leaf(struct dmarc_xml *p, enum dmarc_field field, const char *name,
    const char *text)
{
	struct dmarc_record *r = &p->rec;
	int	v = 0;

	switch (field) {
	case DF_SOURCE_IP:
		source_ip_leaf(p, text);
		break;
	case DF_COUNT:
		if (*text != '\0' && dmarc_values_uint(text, &r->count) < 0) {
			r->count = 0;
			record_error(p, "<count> is not a number: '%.64s'",
			    text);
		}
		break;
	case DF_DISPOSITION:
		if ((v = dmarc_values_action(text)) >= 0)
			r->evaluated_disposition = (enum dmarc_action) v;
		break;
	case DF_EVAL_DKIM:
		if ((v = dmarc_values_result(text)) >= 0)
			r->evaluated_dkim = (enum dmarc_result) v;
		break;
	case DF_EVAL_SPF:
		if ((v = dmarc_values_result(text)) >= 0)
			r->evaluated_spf = (enum dmarc_result) v;
		break;
	case DF_HEADER_FROM:
		set_str(p, &r->header_from, text, false);
		break;
	case DF_ENVELOPE_FROM:
		set_str(p, &r->envelope_from, text, false);
		break;
	case DF_ENVELOPE_TO:
		set_str(p, &r->envelope_to, text, true);
		break;
	default:
		break;
	}
	if (v < 0)
		keep(p, name, text);
}

/* <reason>, <dkim> and <spf> values: they go to the last entry opened. */
static void
entry_leaf(struct dmarc_xml *p, enum dmarc_field field, const char *name,
    const char *text)
{
	struct dmarc_record *r = &p->rec;
	struct dmarc_dkim_result *k = r->n_dkim ? &r->dkim[r->n_dkim - 1] : NULL;
	struct dmarc_spf_result *s = r->n_spf ? &r->spf[r->n_spf - 1] : NULL;
	int	v;

	if (field == DF_REASON_TYPE || field == DF_DKIM_RESULT ||
	    field == DF_SPF_RESULT) {
		v = field == DF_DKIM_RESULT ? dmarc_values_dkim(text) :
		    field == DF_SPF_RESULT ? dmarc_values_spf(text) : -1;
		if (k != NULL && field == DF_DKIM_RESULT && v >= 0)
			k->result = (enum dkim_auth_result) v;
		if (s != NULL && field == DF_SPF_RESULT && v >= 0)
			s->result = (enum spf_auth_result) v;
		/* The original text, for the end of the entry to place. */
		set_str(p, &p->raw, v >= 0 ? "" : text, true);
		return;
	}
	if (field == DF_REASON_COMMENT && r->n_overrides > 0)
		set_str(p, &r->overrides[r->n_overrides - 1].comment, text, true);
	else if (field == DF_DKIM_DOMAIN && k != NULL)
		set_str(p, &k->domain, text, false);
	else if (field == DF_DKIM_SELECTOR && k != NULL)
		set_str(p, &k->selector, text, false);
	else if (field == DF_DKIM_HUMAN && k != NULL)
		set_str(p, &k->human_result, text, true);
	else if (field == DF_SPF_DOMAIN && s != NULL)
		set_str(p, &s->domain, text, false);
	else if (field == DF_SPF_HUMAN && s != NULL)
		set_str(p, &s->human_result, text, true);
	else if (field == DF_SPF_SCOPE && s != NULL) {
		if ((v = dmarc_values_scope(text)) >= 0)
			s->scope = (enum spf_scope) v;
		else
			keep(p, name, text);
	}
}

void
dmarc_fields_leaf(struct dmarc_xml *p, enum dmarc_field field,
    const char *name, const char *text)
{
	if (field < DF_SOURCE_IP)
		report_leaf(p, field, name, text);
	else if (field < DF_REASON_TYPE || (field >= DF_HEADER_FROM &&
	    field <= DF_ENVELOPE_TO))
		record_leaf(p, field, name, text);
	else
		entry_leaf(p, field, name, text);
}

void
dmarc_fields_unknown(struct dmarc_xml *p, const char *name, const char *text)
{
	ext_add(p, name, text);
}

void
dmarc_fields_extension_start(struct dmarc_xml *p, const char *name,
    size_t name_len, const char *def, size_t def_len)
{
	free(p->ext_name);
	free(p->ext_def);
	p->ext_name = p->ext_def = NULL;
	if (name_len > p->limits->field_bytes ||
	    def_len > p->limits->field_bytes) {
		dmarc_fail(p, PARSE_LIMIT, "attribute of <extension> exceeds "
		    "%zu bytes", p->limits->field_bytes);
		return;
	}
	if ((name != NULL &&
	    (p->ext_name = record_strndup(name, name_len)) == NULL) ||
	    (def != NULL &&
	    (p->ext_def = record_strndup(def, def_len)) == NULL))
		dmarc_fail(p, PARSE_NOMEM, "out of memory");
}

/*
 * A DMARCbis <extension name="..." definition="...">: the attributes are
 * the extension (as Stalwart reads them); without a definition, the
 * element's text stands in for it.
 */
void
dmarc_fields_extension_end(struct dmarc_xml *p, const char *text)
{
	ext_add(p, p->ext_name != NULL ? p->ext_name : "extension",
	    p->ext_def != NULL ? p->ext_def : text);
	free(p->ext_name);
	free(p->ext_def);
	p->ext_name = p->ext_def = NULL;
}

/* ---- containers: records and the entries inside them ---- */

/*
 * Opens a zeroed entry at the end of a record's list (arrayp points to
 * the array pointer, *n is its length). Returns false when the entry
 * must be dropped: the list is at its cap (noted once per record) or
 * memory ran out (the parse fails).
 */
static bool
entry_open(struct dmarc_xml *p, void *arrayp, size_t *n, size_t size,
    const char *what)
{
	char   *v;

	if (*n >= DMARC_XML_MAX_LIST) {
		cap_note(p, what);
		return (false);
	}
	if (array_room(arrayp, *n, size) < 0) {
		dmarc_fail(p, PARSE_NOMEM, "out of memory");
		return (false);
	}
	memcpy(&v, arrayp, sizeof(v));
	memset(v + *n * size, 0, size);
	(*n)++;
	free(p->raw);
	p->raw = NULL;
	return (true);
}

bool
dmarc_fields_enter(struct dmarc_xml *p, enum dmarc_ctx ctx)
{
	struct dmarc_record *r = &p->rec;

	switch (ctx) {
	case DCTX_RECORD:
		dmarc_record_clear(r);
		p->in_record = true;
		p->rec_full = false;
		p->rec_no++;
		return (true);
	case DCTX_REASON:
		if (!entry_open(p, &r->overrides, &r->n_overrides,
		    sizeof(*r->overrides), "reasons"))
			return (false);
		r->overrides[r->n_overrides - 1].type = DMARC_OVERRIDE_OTHER;
		return (true);
	case DCTX_DKIM:
		return (entry_open(p, &r->dkim, &r->n_dkim, sizeof(*r->dkim),
		    "dkim results"));
	case DCTX_SPF:
		return (entry_open(p, &r->spf, &r->n_spf, sizeof(*r->spf),
		    "spf results"));
	default:
		return (true);
	}
}

/*
 * Moves the original text of an unmapped value (p->raw) into *dst, the
 * place the schema has for it, before what *dst already says.
 */
static void
keep_raw(struct dmarc_xml *p, char **dst)
{
	char   *s;
	size_t	len;

	if (p->raw == NULL)
		return;
	if (*dst == NULL) {
		*dst = p->raw;
		p->raw = NULL;
		return;
	}
	len = strlen(p->raw) + strlen(*dst) + 3;
	if ((s = malloc(len)) == NULL) {
		dmarc_fail(p, PARSE_NOMEM, "out of memory");
		return;
	}
	snprintf(s, len, "%s: %s", p->raw, *dst);
	free(*dst);
	*dst = s;
	free(p->raw);
	p->raw = NULL;
}

/* The defaults of the strings the model never leaves NULL. */
static void
strings_default(struct dmarc_xml *p, char **const *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (*v[i] == NULL && (*v[i] = record_strdup("")) == NULL)
			dmarc_fail(p, PARSE_NOMEM, "out of memory");
}

/* A complete record goes to the report, or to the batch. */
static void
record_end(struct dmarc_xml *p)
{
	struct dmarc_record *r = &p->rec;
	char  **const strs[] = { &r->envelope_from, &r->header_from };

	p->in_record = false;
	strings_default(p, strs, 2);
	if (p->status != PARSE_OK)
		return;
	if (p->batch == NULL) {
		if (dmarc_report_add_record(&p->report->u.dmarc, r) < 0)
			dmarc_fail(p, PARSE_NOMEM, "out of memory");
		return;
	}
	p->batch_recs[p->n_batch++] = *r;
	memset(r, 0, sizeof(*r));
	if (p->n_batch == DMARC_XML_BATCH)
		dmarc_fields_flush(p);
}

static void
dkim_end(struct dmarc_xml *p, struct dmarc_dkim_result *k)
{
	char  **const strs[] = { &k->domain, &k->selector };

	strings_default(p, strs, 2);
	keep_raw(p, &k->human_result);
}

static void
spf_end(struct dmarc_xml *p, struct dmarc_spf_result *s)
{
	char  **const strs[] = { &s->domain };

	strings_default(p, strs, 1);
	keep_raw(p, &s->human_result);
}

void
dmarc_fields_leave(struct dmarc_xml *p, enum dmarc_ctx ctx)
{
	struct dmarc_record *r = &p->rec;
	struct dmarc_override_reason *o;
	int	v;

	switch (ctx) {
	case DCTX_RECORD:
		record_end(p);
		break;
	case DCTX_REASON:	/* an unknown type is Other, its text kept */
		o = &r->overrides[r->n_overrides - 1];
		if (p->raw != NULL &&
		    (v = dmarc_values_override(p->raw)) >= 0) {
			o->type = (enum dmarc_override) v;
			set_str(p, &p->raw, "", true);
		}
		keep_raw(p, &o->comment);
		break;
	case DCTX_DKIM:		/* an unknown result is none, its text kept */
		dkim_end(p, &r->dkim[r->n_dkim - 1]);
		break;
	case DCTX_SPF:
		spf_end(p, &r->spf[r->n_spf - 1]);
		break;
	default:
		break;
	}
}

/*
 * The fields without which a report cannot be stored. Fails with
 * PARSE_INVALID naming every one that is missing.
 */
static bool
required_ok(struct dmarc_xml *p)
{
	const struct dmarc_report *d = &p->report->u.dmarc;
	char	missing[160] = "";

	if (d->report_id == NULL || *d->report_id == '\0')
		strcat(missing, ", report_id");
	if (!p->has_begin)
		strcat(missing, p->bad_begin ? ", date_begin (not a timestamp)" :
		    ", date_begin");
	if (!p->has_end)
		strcat(missing, p->bad_end ? ", date_end (not a timestamp)" :
		    ", date_end");
	if (d->policy_domain == NULL || *d->policy_domain == '\0')
		strcat(missing, ", policy_domain");
	if (missing[0] == '\0')
		return (true);
	dmarc_fail(p, PARSE_INVALID, "report lacks required field(s): %s",
	    missing + 2);
	return (false);
}

/* Metadata as the batch callback and the caller see it. */
static void
report_defaults(struct dmarc_xml *p)
{
	struct dmarc_report *d = &p->report->u.dmarc;
	char  **const strs[] = {
		&d->org_name, &d->email, &d->report_id, &d->policy_domain
	};

	strings_default(p, strs, 4);
}

/*
 * The header is checked before any record leaves: a callback never
 * stores records of a report that will be refused. Metadata and policy
 * therefore must precede the 256th record, as in every report seen.
 */
void
dmarc_fields_flush(struct dmarc_xml *p)
{
	enum parse_status st;
	size_t	i;

	if (p->n_batch == 0 || !required_ok(p))
		return;
	report_defaults(p);
	if (p->status != PARSE_OK)
		return;
	st = p->batch(p->arg, &p->report->u.dmarc, p->batch_recs, p->n_batch);
	for (i = 0; i < p->n_batch; i++)
		dmarc_record_clear(&p->batch_recs[i]);
	p->n_batch = 0;
	if (st != PARSE_OK)
		dmarc_fail(p, st, "the batch callback stopped the parse (%s)",
		    parse_status_name(st));
}

void
dmarc_fields_complete(struct dmarc_xml *p)
{
	if (required_ok(p))
		report_defaults(p);
}
