/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	record_json_read - reads the schema's JSON back into the record model
 * PURPOSE
 *	The inverse of record_json.c, for the store and for import of
 *	exported reports. Strict about shapes and enum spellings (what it
 *	reads was written by record_json.c or by another Stalwart-schema
 *	producer), lenient about absent optional members.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "json_span.h"
#include "record.h"
#include "record_enum.h"
#include "record_json.h"
#include "record_json_int.h"
#include "timeparse.h"

/* The reading state: where failures are reported. */
struct rd {
	struct parse_error *err;
	enum parse_status st;		/* first failure */
};

static int
fail(struct rd *rd, enum parse_status st, const char *key, const char *what)
{
	if (rd->st == PARSE_OK)
		rd->st = st;
	parse_error_set(rd->err, "member \"%s\": %s", key, what);
	return (-1);
}

static int
nomem(struct rd *rd, const char *key)
{
	return (fail(rd, PARSE_NOMEM, key, "out of memory"));
}

static struct json_object *
member(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return (v);
}

/* A string member; null or absent gives NULL unless required. */
static int
get_str(struct rd *rd, struct json_object *o, const char *key, char **out,
    int required)
{
	struct json_object *v = member(o, key);

	free(*out);
	*out = NULL;
	if (v == NULL)
		return (required ? fail(rd, PARSE_INVALID, key, "missing") : 0);
	if (!json_object_is_type(v, json_type_string))
		return (fail(rd, PARSE_INVALID, key, "not a string"));
	if ((*out = record_strndup(json_object_get_string(v),
	    (size_t) json_object_get_string_len(v))) == NULL)
		return (nomem(rd, key));
	return (0);
}

/* A required string that may be empty: absent or null reads as "". */
static int
get_text(struct rd *rd, struct json_object *o, const char *key, char **out)
{
	if (get_str(rd, o, key, out, 0) < 0)
		return (-1);
	if (*out == NULL && (*out = record_strdup("")) == NULL)
		return (nomem(rd, key));
	return (0);
}

static int
get_u64(struct rd *rd, struct json_object *o, const char *key, uint64_t *out,
    uint64_t dflt)
{
	struct json_object *v = member(o, key);

	*out = dflt;
	if (v == NULL)
		return (0);
	if (!json_object_is_type(v, json_type_int))
		return (fail(rd, PARSE_INVALID, key, "not an integer"));
	errno = 0;
	*out = json_object_get_uint64(v);
	if (errno != 0 || json_object_get_int64(v) < 0)
		return (fail(rd, PARSE_INVALID, key, "not a count"));
	return (0);
}

static int
get_time(struct rd *rd, struct json_object *o, const char *key, int64_t *out)
{
	struct json_object *v = member(o, key);

	if (v == NULL || !json_object_is_type(v, json_type_string))
		return (fail(rd, PARSE_INVALID, key, "missing or not a time"));
	if (timeparse_rfc3339(json_object_get_string(v), out) < 0)
		return (fail(rd, PARSE_INVALID, key, "not an RFC 3339 time"));
	return (0);
}

/* An enum member; absent or null gives dflt. */
static int
get_enum(struct rd *rd, struct json_object *o, const char *key,
    enum record_enum e, int dflt, int *out)
{
	struct json_object *v = member(o, key);

	*out = dflt;
	if (v == NULL)
		return (0);
	if (!json_object_is_type(v, json_type_string) ||
	    (*out = record_enum_value(e, json_object_get_string(v))) < 0)
		return (fail(rd, PARSE_INVALID, key, "not a known value"));
	return (0);
}

#define GET_ENUM(rd, o, key, e, dflt, lvalue) do {			\
	int	v_;							\
	if (get_enum((rd), (o), (key), (e), (dflt), &v_) < 0)		\
		return (-1);						\
	(lvalue) = v_;							\
} while (0)

/* An array member; absent or null reads as empty. *n gets its length. */
static int
get_array(struct rd *rd, struct json_object *o, const char *key,
    struct json_object **arr, size_t *n)
{
	struct json_object *v = member(o, key);

	*arr = NULL;
	*n = 0;
	if (v == NULL)
		return (0);
	if (!json_object_is_type(v, json_type_array))
		return (fail(rd, PARSE_INVALID, key, "not a list"));
	*arr = v;
	*n = json_object_array_length(v);
	return (0);
}

/* calloc() of an array for n elements of a JSON list. */
static void *
alloc_array(struct rd *rd, const char *key, size_t n, size_t size)
{
	void   *p;

	if (n == 0)
		return (NULL);
	if ((p = calloc(n, size)) == NULL)
		nomem(rd, key);
	return (p);
}

static int
get_strlist(struct rd *rd, struct json_object *o, const char *key,
    struct strlist *l)
{
	struct json_object *a, *v;
	size_t	i, n;

	strlist_clear(l);
	if (get_array(rd, o, key, &a, &n) < 0)
		return (-1);
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(a, i);
		if (!json_object_is_type(v, json_type_string))
			return (fail(rd, PARSE_INVALID, key, "not a string list"));
		if (strlist_add(l, json_object_get_string(v),
		    (size_t) json_object_get_string_len(v)) < 0)
			return (nomem(rd, key));
	}
	return (0);
}

static int
is_object(struct rd *rd, struct json_object *v, const char *key)
{
	if (v == NULL || !json_object_is_type(v, json_type_object))
		return (fail(rd, PARSE_INVALID, key, "not an object"));
	return (0);
}

static int
read_extensions(struct rd *rd, struct json_object *o,
    struct dmarc_extension **ext, size_t *n_ext)
{
	struct json_object *a, *e;
	size_t	i, n;

	if (get_array(rd, o, "extensions", &a, &n) < 0)
		return (-1);
	if (n && (*ext = alloc_array(rd, "extensions", n, sizeof(**ext))) == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(a, i);
		*n_ext = i + 1;
		if (is_object(rd, e, "extensions") < 0 ||
		    get_text(rd, e, "name", &(*ext)[i].name) < 0 ||
		    get_text(rd, e, "definition", &(*ext)[i].definition) < 0)
			return (-1);
	}
	return (0);
}

static int
read_overrides(struct rd *rd, struct json_object *o, struct dmarc_record *r)
{
	struct json_object *a, *e;
	size_t	i, n;

	if (get_array(rd, o, "policyOverrideReasons", &a, &n) < 0)
		return (-1);
	if (n && (r->overrides = alloc_array(rd, "policyOverrideReasons", n,
	    sizeof(*r->overrides))) == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(a, i);
		r->n_overrides = i + 1;
		if (is_object(rd, e, "policyOverrideReasons") < 0)
			return (-1);
		GET_ENUM(rd, e, "overrideType", RENUM_DMARC_OVERRIDE,
		    DMARC_OVERRIDE_OTHER, r->overrides[i].type);
		if (get_str(rd, e, "comment", &r->overrides[i].comment, 0) < 0)
			return (-1);
	}
	return (0);
}

static int
read_dkim(struct rd *rd, struct json_object *o, struct dmarc_record *r)
{
	struct json_object *a, *e;
	size_t	i, n;

	if (get_array(rd, o, "dkimResults", &a, &n) < 0)
		return (-1);
	if (n && (r->dkim = alloc_array(rd, "dkimResults", n,
	    sizeof(*r->dkim))) == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		struct dmarc_dkim_result *d = &r->dkim[i];

		e = json_object_array_get_idx(a, i);
		r->n_dkim = i + 1;
		if (is_object(rd, e, "dkimResults") < 0 ||
		    get_text(rd, e, "domain", &d->domain) < 0 ||
		    get_text(rd, e, "selector", &d->selector) < 0 ||
		    get_str(rd, e, "humanResult", &d->human_result, 0) < 0)
			return (-1);
		GET_ENUM(rd, e, "result", RENUM_DKIM_RESULT, DKIM_RESULT_NONE,
		    d->result);
	}
	return (0);
}

static int
read_spf(struct rd *rd, struct json_object *o, struct dmarc_record *r)
{
	struct json_object *a, *e;
	size_t	i, n;

	if (get_array(rd, o, "spfResults", &a, &n) < 0)
		return (-1);
	if (n && (r->spf = alloc_array(rd, "spfResults", n,
	    sizeof(*r->spf))) == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		struct dmarc_spf_result *s = &r->spf[i];

		e = json_object_array_get_idx(a, i);
		r->n_spf = i + 1;
		if (is_object(rd, e, "spfResults") < 0 ||
		    get_text(rd, e, "domain", &s->domain) < 0 ||
		    get_str(rd, e, "humanResult", &s->human_result, 0) < 0)
			return (-1);
		GET_ENUM(rd, e, "scope", RENUM_SPF_SCOPE, SPF_SCOPE_UNSPECIFIED,
		    s->scope);
		GET_ENUM(rd, e, "result", RENUM_SPF_RESULT, SPF_RESULT_NONE,
		    s->result);
	}
	return (0);
}

static int
read_dmarc_record(struct rd *rd, struct json_object *o, struct dmarc_record *r)
{
	if (is_object(rd, o, "records") < 0 ||
	    get_str(rd, o, "sourceIp", &r->source_ip, 0) < 0 ||
	    get_u64(rd, o, "count", &r->count, 0) < 0 ||
	    get_str(rd, o, "envelopeTo", &r->envelope_to, 0) < 0 ||
	    get_text(rd, o, "envelopeFrom", &r->envelope_from) < 0 ||
	    get_text(rd, o, "headerFrom", &r->header_from) < 0 ||
	    read_overrides(rd, o, r) < 0 || read_dkim(rd, o, r) < 0 ||
	    read_spf(rd, o, r) < 0 ||
	    read_extensions(rd, o, &r->ext, &r->n_ext) < 0)
		return (-1);
	GET_ENUM(rd, o, "evaluatedDisposition", RENUM_DMARC_ACTION,
	    DMARC_ACTION_UNSPECIFIED, r->evaluated_disposition);
	GET_ENUM(rd, o, "evaluatedDkim", RENUM_DMARC_RESULT,
	    DMARC_RESULT_UNSPECIFIED, r->evaluated_dkim);
	GET_ENUM(rd, o, "evaluatedSpf", RENUM_DMARC_RESULT,
	    DMARC_RESULT_UNSPECIFIED, r->evaluated_spf);
	return (0);
}

static int
read_fo(struct rd *rd, struct json_object *o, unsigned *fo)
{
	struct json_object *a, *v;
	size_t	i, n;
	int	bit;

	*fo = 0;
	if (get_array(rd, o, "policyFailureReportingOptions", &a, &n) < 0)
		return (-1);
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(a, i);
		if (!json_object_is_type(v, json_type_string) ||
		    (bit = record_enum_value(RENUM_DMARC_FO,
		    json_object_get_string(v))) < 0)
			return (fail(rd, PARSE_INVALID,
			    "policyFailureReportingOptions", "not a known value"));
		*fo |= 1u << bit;
	}
	return (0);
}

static int
read_dmarc_records(struct rd *rd, struct json_object *o, struct dmarc_report *d)
{
	struct json_object *a;
	struct dmarc_record rec;
	size_t	i, n;

	if (get_array(rd, o, "records", &a, &n) < 0)
		return (-1);
	for (i = 0; i < n; i++) {
		memset(&rec, 0, sizeof(rec));
		if (read_dmarc_record(rd, json_object_array_get_idx(a, i),
		    &rec) < 0 || dmarc_report_add_record(d, &rec) < 0) {
			dmarc_record_clear(&rec);
			return (rd->st == PARSE_OK ? nomem(rd, "records") : -1);
		}
	}
	return (0);
}

static int
read_dmarc(struct rd *rd, struct json_object *o, struct dmarc_report *d)
{
	struct json_object *v = member(o, "version");

	if (v != NULL && !json_object_is_type(v, json_type_null)) {
		if (!json_object_is_type(v, json_type_double) &&
		    !json_object_is_type(v, json_type_int))
			return (fail(rd, PARSE_INVALID, "version", "not a number"));
		d->version = json_object_get_double(v);
	}
	if (get_text(rd, o, "orgName", &d->org_name) < 0 ||
	    get_text(rd, o, "email", &d->email) < 0 ||
	    get_str(rd, o, "extraContactInfo", &d->extra_contact_info, 0) < 0 ||
	    get_str(rd, o, "reportId", &d->report_id, 1) < 0 ||
	    get_time(rd, o, "dateRangeBegin", &d->date_range_begin) < 0 ||
	    get_time(rd, o, "dateRangeEnd", &d->date_range_end) < 0 ||
	    get_strlist(rd, o, "errors", &d->errors) < 0 ||
	    get_str(rd, o, "policyDomain", &d->policy_domain, 1) < 0 ||
	    get_str(rd, o, "policyVersion", &d->policy_version, 0) < 0 ||
	    read_fo(rd, o, &d->policy_fo) < 0 ||
	    read_dmarc_records(rd, o, d) < 0 ||
	    read_extensions(rd, o, &d->ext, &d->n_ext) < 0)
		return (-1);
	GET_ENUM(rd, o, "policyAdkim", RENUM_DMARC_ALIGNMENT,
	    DMARC_ALIGN_UNSPECIFIED, d->policy_adkim);
	GET_ENUM(rd, o, "policyAspf", RENUM_DMARC_ALIGNMENT,
	    DMARC_ALIGN_UNSPECIFIED, d->policy_aspf);
	GET_ENUM(rd, o, "policyDisposition", RENUM_DMARC_DISPOSITION,
	    DMARC_DISP_UNSPECIFIED, d->policy_disposition);
	GET_ENUM(rd, o, "policySubdomainDisposition", RENUM_DMARC_DISPOSITION,
	    DMARC_DISP_UNSPECIFIED, d->policy_subdomain_disposition);
	v = member(o, "policyTestingMode");
	d->policy_testing_mode = v != NULL && json_object_get_boolean(v);
	return (0);
}

static int
read_tls_failure(struct rd *rd, struct json_object *o, struct tls_failure *f)
{
	if (is_object(rd, o, "failureDetails") < 0 ||
	    get_str(rd, o, "sendingMtaIp", &f->sending_mta_ip, 0) < 0 ||
	    get_str(rd, o, "receivingMxHostname", &f->receiving_mx_hostname,
		0) < 0 ||
	    get_str(rd, o, "receivingMxHelo", &f->receiving_mx_helo, 0) < 0 ||
	    get_str(rd, o, "receivingIp", &f->receiving_ip, 0) < 0 ||
	    get_u64(rd, o, "failedSessionCount", &f->failed_session_count,
		0) < 0 ||
	    get_str(rd, o, "additionalInformation", &f->additional_information,
		0) < 0 ||
	    get_str(rd, o, "failureReasonCode", &f->failure_reason_code, 0) < 0)
		return (-1);
	GET_ENUM(rd, o, "resultType", RENUM_TLS_RESULT_TYPE, TLS_RESULT_OTHER,
	    f->result_type);
	return (0);
}

static int
read_tls_policy(struct rd *rd, struct json_object *o, struct tls_policy *p)
{
	struct json_object *a;
	size_t	i, n;

	if (is_object(rd, o, "policies") < 0 ||
	    get_strlist(rd, o, "policyStrings", &p->policy_strings) < 0 ||
	    get_text(rd, o, "policyDomain", &p->policy_domain) < 0 ||
	    get_strlist(rd, o, "mxHosts", &p->mx_hosts) < 0 ||
	    get_u64(rd, o, "totalSuccessfulSessions",
		&p->total_successful_sessions, 0) < 0 ||
	    get_u64(rd, o, "totalFailedSessions", &p->total_failed_sessions,
		0) < 0 ||
	    get_array(rd, o, "failureDetails", &a, &n) < 0)
		return (-1);
	GET_ENUM(rd, o, "policyType", RENUM_TLS_POLICY_TYPE, TLS_POLICY_OTHER,
	    p->policy_type);
	if (n && (p->failures = alloc_array(rd, "failureDetails", n,
	    sizeof(*p->failures))) == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		p->n_failures = i + 1;
		if (read_tls_failure(rd, json_object_array_get_idx(a, i),
		    &p->failures[i]) < 0)
			return (-1);
	}
	return (0);
}

static int
read_tls(struct rd *rd, struct json_object *o, struct tls_report *t)
{
	struct json_object *a;
	size_t	i, n;

	if (get_str(rd, o, "organizationName", &t->organization_name, 0) < 0 ||
	    get_str(rd, o, "contactInfo", &t->contact_info, 0) < 0 ||
	    get_str(rd, o, "reportId", &t->report_id, 1) < 0 ||
	    get_time(rd, o, "dateRangeStart", &t->date_range_start) < 0 ||
	    get_time(rd, o, "dateRangeEnd", &t->date_range_end) < 0 ||
	    get_array(rd, o, "policies", &a, &n) < 0)
		return (-1);
	if (n && (t->policies = alloc_array(rd, "policies", n,
	    sizeof(*t->policies))) == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		t->n_policies = i + 1;
		if (read_tls_policy(rd, json_object_array_get_idx(a, i),
		    &t->policies[i]) < 0)
			return (-1);
	}
	return (0);
}

static int
read_arf_strings(struct rd *rd, struct json_object *o, struct arf_report *a)
{
	static const struct {
		const char *key;
		size_t	off;
	} opt[] = {
#define F(k, m)	{ k, offsetof(struct arf_report, m) }
		F("originalEnvelopeId", original_envelope_id),
		F("originalMailFrom", original_mail_from),
		F("originalRcptTo", original_rcpt_to),
		F("reportingMta", reporting_mta),
		F("sourceIp", source_ip),
		F("userAgent", user_agent),
		F("dkimAdspDns", dkim_adsp_dns),
		F("dkimCanonicalizedBody", dkim_canonicalized_body),
		F("dkimCanonicalizedHeader", dkim_canonicalized_header),
		F("dkimDomain", dkim_domain),
		F("dkimIdentity", dkim_identity),
		F("dkimSelector", dkim_selector),
		F("dkimSelectorDns", dkim_selector_dns),
		F("spfDns", spf_dns),
		F("message", message),
		F("headers", headers),
#undef F
	};
	size_t	i;

	for (i = 0; i < sizeof(opt) / sizeof(opt[0]); i++)
		if (get_str(rd, o, opt[i].key,
		    (char **) ((char *) a + opt[i].off), 0) < 0)
			return (-1);
	return (0);
}

static int
read_arf(struct rd *rd, struct json_object *o, struct arf_report *a)
{
	struct json_object *v = member(o, "arrivalDate");
	uint64_t u;

	a->has_arrival_date = v != NULL;
	if ((a->has_arrival_date &&
	    get_time(rd, o, "arrivalDate", &a->arrival_date) < 0) ||
	    get_strlist(rd, o, "authenticationResults",
		&a->authentication_results) < 0 ||
	    get_u64(rd, o, "incidents", &a->incidents, 1) < 0 ||
	    get_strlist(rd, o, "reportedDomains", &a->reported_domains) < 0 ||
	    get_strlist(rd, o, "reportedUris", &a->reported_uris) < 0 ||
	    read_arf_strings(rd, o, a) < 0)
		return (-1);
	if (get_u64(rd, o, "sourcePort", &u, 0) < 0)
		return (-1);
	if (u > 65535)
		return (fail(rd, PARSE_INVALID, "sourcePort", "out of range"));
	a->source_port = (uint32_t) u;
	if (get_u64(rd, o, "version", &u, 1) < 0)
		return (-1);
	a->version = u > UINT32_MAX ? UINT32_MAX : (uint32_t) u;
	GET_ENUM(rd, o, "feedbackType", RENUM_ARF_FEEDBACK_TYPE,
	    ARF_FEEDBACK_OTHER, a->feedback_type);
	GET_ENUM(rd, o, "authFailure", RENUM_ARF_AUTH_FAILURE,
	    ARF_AUTH_FAILURE_UNSPECIFIED, a->auth_failure);
	GET_ENUM(rd, o, "deliveryResult", RENUM_ARF_DELIVERY_RESULT,
	    ARF_DELIVERY_UNSPECIFIED, a->delivery_result);
	GET_ENUM(rd, o, "identityAlignment", RENUM_ARF_IDENTITY_ALIGNMENT,
	    ARF_ALIGN_UNSPECIFIED, a->identity_alignment);
	return (0);
}

/* The type named by "@type", else told from the report's members. */
static int
type_of(struct json_object *x, struct json_object *rep)
{
	struct json_object *t = member(x, "@type");
	const char *s = t ? json_object_get_string(t) : NULL;

	if (s != NULL) {
		if (strcmp(s, "DmarcExternalReport") == 0)
			return (RECORD_DMARC);
		if (strcmp(s, "TlsExternalReport") == 0)
			return (RECORD_TLS);
		if (strcmp(s, "ArfExternalReport") == 0)
			return (RECORD_ARF);
		return (0);
	}
	if (member(rep, "policyDomain") != NULL)
		return (RECORD_DMARC);
	if (member(rep, "policies") != NULL)
		return (RECORD_TLS);
	if (member(rep, "feedbackType") != NULL)
		return (RECORD_ARF);
	return (0);
}

static int
read_report(struct rd *rd, struct json_object *rep, struct report *r)
{
	if (is_object(rd, rep, "report") < 0)
		return (-1);
	switch (r->type) {
	case RECORD_DMARC:
		return (read_dmarc(rd, rep, &r->u.dmarc));
	case RECORD_TLS:
		return (read_tls(rd, rep, &r->u.tls));
	case RECORD_ARF:
		return (read_arf(rd, rep, &r->u.arf));
	}
	return (-1);
}

static int
read_external(struct rd *rd, struct json_object *o, struct external_report *x)
{
	struct json_object *rep;
	int	type;

	if (is_object(rd, o, "(top level)") < 0)
		return (-1);
	rep = member(o, "report");
	if (is_object(rd, rep, "report") < 0)
		return (-1);
	if ((type = type_of(o, rep)) == 0)
		return (fail(rd, PARSE_INVALID, "@type", "unknown report type"));
	if ((x->report = report_new(type)) == NULL)
		return (nomem(rd, "report"));
	return (read_report(rd, rep, x->report) < 0 ||
	    get_str(rd, o, "id", &x->id, 0) < 0 ||
	    get_text(rd, o, "from", &x->from) < 0 ||
	    get_text(rd, o, "subject", &x->subject) < 0 ||
	    get_strlist(rd, o, "to", &x->to) < 0 ||
	    get_time(rd, o, "receivedAt", &x->received_at) < 0 ||
	    get_time(rd, o, "expiresAt", &x->expires_at) < 0 ||
	    get_str(rd, o, "memberTenantId", &x->member_tenant_id, 0) < 0 ?
	    -1 : 0);
}

enum parse_status
record_json_parse_text(const char *text, size_t len, int depth,
    struct json_object **out, struct parse_error *err)
{
	struct json_tokener *tok;

	*out = NULL;
	if (len > INT32_MAX) {
		parse_error_set(err, "JSON text too large");
		return (PARSE_LIMIT);
	}
	if ((tok = json_tokener_new_ex(depth)) == NULL)
		return (PARSE_NOMEM);
	*out = json_tokener_parse_ex(tok, text, (int) len);
	if (*out == NULL) {
		parse_error_set(err, "JSON not well-formed: %s",
		    json_tokener_error_desc(json_tokener_get_error(tok)));
		json_tokener_free(tok);
		return (PARSE_INVALID);
	}
	json_tokener_free(tok);
	return (PARSE_OK);
}

enum parse_status
record_json_read_dmarc_record(struct json_object *o, struct dmarc_record *r,
    struct parse_error *err)
{
	struct rd rd = { err, PARSE_OK };

	return (read_dmarc_record(&rd, o, r) < 0 ? rd.st : PARSE_OK);
}

static enum parse_status
read_whole(const char *text, size_t len, struct external_report **out,
    struct parse_error *err)
{
	struct json_object *o;
	struct external_report *x;
	struct rd rd = { err, PARSE_OK };
	enum parse_status st;

	*out = NULL;
	if ((st = record_json_parse_text(text, len, RECORD_JSON_DEPTH, &o,
	    err)) != PARSE_OK)
		return (st);
	if ((x = external_report_new()) == NULL) {
		json_object_put(o);
		return (PARSE_NOMEM);
	}
	if (read_external(&rd, o, x) < 0) {
		json_object_put(o);
		external_report_free(x);
		return (rd.st);
	}
	json_object_put(o);
	*out = x;
	return (PARSE_OK);
}

/*
 * A TLS report's policies, whose array is text[0..len), one json-c tree
 * at a time into t (its policies none yet).
 */
static enum parse_status
read_policies(const char *text, size_t len, struct tls_report *t,
    struct parse_error *err)
{
	struct rd rd = { err, PARSE_OK };
	struct json_span_array a;
	struct json_object *o;
	enum parse_status st;
	size_t	off, elen, n;
	int	rc;

	if (json_span_array_count(text, len, &n) < 0) {
		(void) fail(&rd, PARSE_INVALID, "policies", "not a list");
		return (rd.st);
	}
	if (n == 0)
		return (PARSE_OK);
	if ((t->policies = alloc_array(&rd, "policies", n,
	    sizeof(*t->policies))) == NULL)
		return (rd.st);
	(void) json_span_array_begin(&a, text, len);
	while (json_span_array_next(&a, &off, &elen) == 1) {
		/* As read_tls_policy() says of it (json-c reads "7" on). */
		if (text[off] != '{') {
			(void) fail(&rd, PARSE_INVALID, "policies",
			    "not an object");
			return (rd.st);
		}
		if ((st = record_json_parse_text(text + off, elen,
		    RECORD_JSON_ELEMENT_DEPTH, &o, err)) != PARSE_OK)
			return (st);
		rc = read_tls_policy(&rd, o, &t->policies[t->n_policies++]);
		json_object_put(o);
		if (rc < 0)
			return (rd.st);
	}
	return (PARSE_OK);
}

/*
 * The tree of a TLS report of 100,000 failure details would take 200 MB
 * and more: its policies are found in the text (json_span), the rest is
 * read with them left out, then they are read one at a time.
 */
enum parse_status
record_json_read(const char *text, size_t len, struct external_report **out,
    struct parse_error *err)
{
	static const char *const path[] = { "report", "policies" };
	enum parse_status st;
	size_t	off, plen, hlen;
	char   *head;

	if (json_span_find(text, len, path, 2, &off, &plen) != 1 ||
	    text[off] != '[')
		return (read_whole(text, len, out, err));
	if ((head = json_span_emptied(text, len, off, plen, &hlen)) == NULL)
		return (PARSE_NOMEM);
	st = read_whole(head, hlen, out, err);
	free(head);
	/*
	 * A report of another kind, policies found in the rest after all,
	 * or anything refused: read whole, which says what the whole says
	 * (the first failure json-c or the reader meets).
	 */
	if (st == PARSE_OK && ((*out)->report->type != RECORD_TLS ||
	    (*out)->report->u.tls.n_policies != 0))
		st = PARSE_INVALID;
	if (st == PARSE_OK && (st = read_policies(text + off, plen,
	    &(*out)->report->u.tls, err)) == PARSE_OK)
		return (PARSE_OK);
	external_report_free(*out);
	*out = NULL;
	if (st == PARSE_NOMEM)
		return (st);
	parse_error_clear(err);
	return (read_whole(text, len, out, err));
}
