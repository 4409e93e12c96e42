/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	record_json - writes the record model as the schema's JSON
 * PURPOSE
 *	Builds a json-c tree per External report in the schema's member
 *	order and prints it (record_json_write() is in record_json_stream.c:
 *	a TLS report's policies go one tree at a time). json-c stays inside
 *	the codec's files: callers get text.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "record.h"
#include "record_enum.h"
#include "record_json.h"
#include "record_json_int.h"

/*
 * Every add_* helper returns 0, or -1 when json-c could not allocate; the
 * callers chain them with || so that the first failure ends the build.
 */
static int
add(struct json_object *o, const char *key, struct json_object *v)
{
	if (v == NULL)
		return (-1);
	if (json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		return (-1);
	}
	return (0);
}

/* A NULL string is written as null (absent optional). */
static int
add_str(struct json_object *o, const char *key, const char *s)
{
	if (s == NULL)
		return (json_object_object_add(o, key, NULL));
	return (add(o, key, json_object_new_string(s)));
}

static int
add_u64(struct json_object *o, const char *key, uint64_t v)
{
	return (add(o, key, json_object_new_uint64(v)));
}

static int
add_bool(struct json_object *o, const char *key, int v)
{
	return (add(o, key, json_object_new_boolean(v)));
}

static int
add_enum(struct json_object *o, const char *key, enum record_enum e, int v)
{
	return (add(o, key, json_object_new_string(record_enum_name(e, v))));
}

void
record_json_time(int64_t t, char *buf, size_t size)
{
	int64_t	days = t / 86400, secs = t % 86400;
	int64_t	z, era, doe, yoe, y, doy, mp, d, m;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* Civil date from days since 1970-01-01 (proleptic Gregorian). */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		y++;
	snprintf(buf, size, "%04" PRId64 "-%02" PRId64 "-%02" PRId64
	    "T%02" PRId64 ":%02" PRId64 ":%02" PRId64 "Z", y, m, d,
	    secs / 3600, secs / 60 % 60, secs % 60);
}

static int
add_time(struct json_object *o, const char *key, int64_t t)
{
	char	buf[64];

	record_json_time(t, buf, sizeof(buf));
	return (add(o, key, json_object_new_string(buf)));
}

/* Appends v to the array a; frees v when it cannot. */
static int
append(struct json_object *a, struct json_object *v)
{
	if (v == NULL)
		return (-1);
	if (json_object_array_add(a, v) != 0) {
		json_object_put(v);
		return (-1);
	}
	return (0);
}

static struct json_object *
strlist_json(const struct strlist *l)
{
	struct json_object *a;
	size_t	i;

	if ((a = json_object_new_array()) == NULL)
		return (NULL);
	for (i = 0; i < l->n; i++)
		if (append(a, json_object_new_string(l->v[i])) < 0)
			goto fail;
	return (a);
fail:
	json_object_put(a);
	return (NULL);
}

static int
add_strlist(struct json_object *o, const char *key, const struct strlist *l)
{
	return (add(o, key, strlist_json(l)));
}

static struct json_object *
extensions_json(const struct dmarc_extension *ext, size_t n)
{
	struct json_object *a, *e;
	size_t	i;

	if ((a = json_object_new_array()) == NULL)
		return (NULL);
	for (i = 0; i < n; i++) {
		if ((e = json_object_new_object()) == NULL || append(a, e) < 0)
			goto fail;
		if (add_str(e, "name", ext[i].name) ||
		    add_str(e, "definition", ext[i].definition))
			goto fail;
	}
	return (a);
fail:
	json_object_put(a);
	return (NULL);
}

static int
record_overrides(struct json_object *o, const struct dmarc_record *r)
{
	struct json_object *a, *e;
	size_t	i;

	if ((a = json_object_new_array()) == NULL || add(o,
	    "policyOverrideReasons", a) < 0)
		return (-1);
	for (i = 0; i < r->n_overrides; i++) {
		if ((e = json_object_new_object()) == NULL || append(a, e) < 0)
			return (-1);
		if (add_enum(e, "overrideType", RENUM_DMARC_OVERRIDE,
		    r->overrides[i].type) ||
		    add_str(e, "comment", r->overrides[i].comment))
			return (-1);
	}
	return (0);
}

static int
record_auth(struct json_object *o, const struct dmarc_record *r)
{
	struct json_object *a, *e;
	size_t	i;

	if ((a = json_object_new_array()) == NULL || add(o, "dkimResults", a))
		return (-1);
	for (i = 0; i < r->n_dkim; i++) {
		if ((e = json_object_new_object()) == NULL || append(a, e) < 0)
			return (-1);
		if (add_str(e, "domain", r->dkim[i].domain) ||
		    add_str(e, "selector", r->dkim[i].selector) ||
		    add_enum(e, "result", RENUM_DKIM_RESULT, r->dkim[i].result) ||
		    add_str(e, "humanResult", r->dkim[i].human_result))
			return (-1);
	}
	if ((a = json_object_new_array()) == NULL || add(o, "spfResults", a))
		return (-1);
	for (i = 0; i < r->n_spf; i++) {
		if ((e = json_object_new_object()) == NULL || append(a, e) < 0)
			return (-1);
		if (add_str(e, "domain", r->spf[i].domain) ||
		    add_enum(e, "scope", RENUM_SPF_SCOPE, r->spf[i].scope) ||
		    add_enum(e, "result", RENUM_SPF_RESULT, r->spf[i].result) ||
		    add_str(e, "humanResult", r->spf[i].human_result))
			return (-1);
	}
	return (0);
}

struct json_object *
record_json_dmarc_record(const struct dmarc_record *r)
{
	struct json_object *o;

	if ((o = json_object_new_object()) == NULL)
		return (NULL);
	if (add_str(o, "sourceIp", r->source_ip) ||
	    add_u64(o, "count", r->count) ||
	    add_enum(o, "evaluatedDisposition", RENUM_DMARC_ACTION,
		r->evaluated_disposition) ||
	    add_enum(o, "evaluatedDkim", RENUM_DMARC_RESULT, r->evaluated_dkim) ||
	    add_enum(o, "evaluatedSpf", RENUM_DMARC_RESULT, r->evaluated_spf) ||
	    record_overrides(o, r) ||
	    add_str(o, "envelopeTo", r->envelope_to) ||
	    add_str(o, "envelopeFrom", r->envelope_from) ||
	    add_str(o, "headerFrom", r->header_from) ||
	    record_auth(o, r) ||
	    add(o, "extensions", extensions_json(r->ext, r->n_ext))) {
		json_object_put(o);
		return (NULL);
	}
	return (o);
}

static struct json_object *
fo_json(unsigned fo)
{
	struct json_object *a;
	int	i;

	if ((a = json_object_new_array()) == NULL)
		return (NULL);
	for (i = 0; i < record_enum_count(RENUM_DMARC_FO); i++)
		if ((fo & (1u << i)) && append(a, json_object_new_string(
		    record_enum_name(RENUM_DMARC_FO, i))) < 0) {
			json_object_put(a);
			return (NULL);
		}
	return (a);
}

static struct json_object *
dmarc_report_json(const struct dmarc_report *d)
{
	struct json_object *o, *recs;
	size_t	i;

	if ((o = json_object_new_object()) == NULL)
		return (NULL);
	if (add(o, "version", json_object_new_double(d->version)) ||
	    add_str(o, "orgName", d->org_name) ||
	    add_str(o, "email", d->email) ||
	    add_str(o, "extraContactInfo", d->extra_contact_info) ||
	    add_str(o, "reportId", d->report_id) ||
	    add_time(o, "dateRangeBegin", d->date_range_begin) ||
	    add_time(o, "dateRangeEnd", d->date_range_end) ||
	    add_strlist(o, "errors", &d->errors) ||
	    add_str(o, "policyDomain", d->policy_domain) ||
	    add_str(o, "policyVersion", d->policy_version) ||
	    add_enum(o, "policyAdkim", RENUM_DMARC_ALIGNMENT, d->policy_adkim) ||
	    add_enum(o, "policyAspf", RENUM_DMARC_ALIGNMENT, d->policy_aspf) ||
	    add_enum(o, "policyDisposition", RENUM_DMARC_DISPOSITION,
		d->policy_disposition) ||
	    add_enum(o, "policySubdomainDisposition", RENUM_DMARC_DISPOSITION,
		d->policy_subdomain_disposition) ||
	    add_bool(o, "policyTestingMode", d->policy_testing_mode) ||
	    add(o, "policyFailureReportingOptions", fo_json(d->policy_fo)) ||
	    add(o, "records", recs = json_object_new_array()))
		goto fail;
	for (i = 0; i < d->n_records; i++)
		if (append(recs, record_json_dmarc_record(&d->records[i])) < 0)
			goto fail;
	if (add(o, "extensions", extensions_json(d->ext, d->n_ext)))
		goto fail;
	return (o);
fail:
	json_object_put(o);
	return (NULL);
}

static struct json_object *
tls_failure_json(const struct tls_failure *f)
{
	struct json_object *o;

	if ((o = json_object_new_object()) == NULL)
		return (NULL);
	if (add_enum(o, "resultType", RENUM_TLS_RESULT_TYPE, f->result_type) ||
	    add_str(o, "sendingMtaIp", f->sending_mta_ip) ||
	    add_str(o, "receivingMxHostname", f->receiving_mx_hostname) ||
	    add_str(o, "receivingMxHelo", f->receiving_mx_helo) ||
	    add_str(o, "receivingIp", f->receiving_ip) ||
	    add_u64(o, "failedSessionCount", f->failed_session_count) ||
	    add_str(o, "additionalInformation", f->additional_information) ||
	    add_str(o, "failureReasonCode", f->failure_reason_code)) {
		json_object_put(o);
		return (NULL);
	}
	return (o);
}

struct json_object *
record_json_tls_policy(const struct tls_policy *p)
{
	struct json_object *o, *a;
	size_t	i;

	if ((o = json_object_new_object()) == NULL)
		return (NULL);
	if (add_enum(o, "policyType", RENUM_TLS_POLICY_TYPE, p->policy_type) ||
	    add_strlist(o, "policyStrings", &p->policy_strings) ||
	    add_str(o, "policyDomain", p->policy_domain) ||
	    add_strlist(o, "mxHosts", &p->mx_hosts) ||
	    add_u64(o, "totalSuccessfulSessions", p->total_successful_sessions) ||
	    add_u64(o, "totalFailedSessions", p->total_failed_sessions) ||
	    add(o, "failureDetails", a = json_object_new_array()))
		goto fail;
	for (i = 0; i < p->n_failures; i++)
		if (append(a, tls_failure_json(&p->failures[i])) < 0)
			goto fail;
	return (o);
fail:
	json_object_put(o);
	return (NULL);
}

static struct json_object *
tls_report_json(const struct tls_report *t)
{
	struct json_object *o, *a;
	size_t	i;

	if ((o = json_object_new_object()) == NULL)
		return (NULL);
	if (add_str(o, "organizationName", t->organization_name) ||
	    add_str(o, "contactInfo", t->contact_info) ||
	    add_str(o, "reportId", t->report_id) ||
	    add_time(o, "dateRangeStart", t->date_range_start) ||
	    add_time(o, "dateRangeEnd", t->date_range_end) ||
	    add(o, "policies", a = json_object_new_array()))
		goto fail;
	for (i = 0; i < t->n_policies; i++)
		if (append(a, record_json_tls_policy(&t->policies[i])) < 0)
			goto fail;
	return (o);
fail:
	json_object_put(o);
	return (NULL);
}

static int
arf_dkim_json(struct json_object *o, const struct arf_report *a)
{
	return (add_str(o, "dkimAdspDns", a->dkim_adsp_dns) ||
	    add_str(o, "dkimCanonicalizedBody", a->dkim_canonicalized_body) ||
	    add_str(o, "dkimCanonicalizedHeader", a->dkim_canonicalized_header) ||
	    add_str(o, "dkimDomain", a->dkim_domain) ||
	    add_str(o, "dkimIdentity", a->dkim_identity) ||
	    add_str(o, "dkimSelector", a->dkim_selector) ||
	    add_str(o, "dkimSelectorDns", a->dkim_selector_dns) ||
	    add_str(o, "spfDns", a->spf_dns) ? -1 : 0);
}

static struct json_object *
arf_report_json(const struct arf_report *a)
{
	struct json_object *o;
	int	rc;

	if ((o = json_object_new_object()) == NULL)
		return (NULL);
	rc = add_enum(o, "feedbackType", RENUM_ARF_FEEDBACK_TYPE,
	    a->feedback_type);
	if (!rc && a->has_arrival_date)
		rc = add_time(o, "arrivalDate", a->arrival_date);
	else if (!rc)
		rc = add_str(o, "arrivalDate", NULL);
	if (rc ||
	    add_strlist(o, "authenticationResults", &a->authentication_results) ||
	    add_u64(o, "incidents", a->incidents) ||
	    add_str(o, "originalEnvelopeId", a->original_envelope_id) ||
	    add_str(o, "originalMailFrom", a->original_mail_from) ||
	    add_str(o, "originalRcptTo", a->original_rcpt_to) ||
	    add_strlist(o, "reportedDomains", &a->reported_domains) ||
	    add_strlist(o, "reportedUris", &a->reported_uris) ||
	    add_str(o, "reportingMta", a->reporting_mta) ||
	    add_str(o, "sourceIp", a->source_ip) ||
	    (a->source_port ? add_u64(o, "sourcePort", a->source_port) :
		add_str(o, "sourcePort", NULL)) ||
	    add_str(o, "userAgent", a->user_agent) ||
	    add_u64(o, "version", a->version) ||
	    add_enum(o, "authFailure", RENUM_ARF_AUTH_FAILURE, a->auth_failure) ||
	    add_enum(o, "deliveryResult", RENUM_ARF_DELIVERY_RESULT,
		a->delivery_result) ||
	    arf_dkim_json(o, a) ||
	    add_enum(o, "identityAlignment", RENUM_ARF_IDENTITY_ALIGNMENT,
		a->identity_alignment) ||
	    add_str(o, "message", a->message) ||
	    add_str(o, "headers", a->headers)) {
		json_object_put(o);
		return (NULL);
	}
	return (o);
}

static struct json_object *
report_json(const struct report *r)
{
	switch (r->type) {
	case RECORD_DMARC:
		return (dmarc_report_json(&r->u.dmarc));
	case RECORD_TLS:
		return (tls_report_json(&r->u.tls));
	case RECORD_ARF:
		return (arf_report_json(&r->u.arf));
	}
	return (NULL);
}

const char *
record_json_type_name(enum record_type type)
{
	switch (type) {
	case RECORD_DMARC:
		return ("DmarcExternalReport");
	case RECORD_TLS:
		return ("TlsExternalReport");
	case RECORD_ARF:
		return ("ArfExternalReport");
	}
	return ("UnknownReport");
}

struct json_object *
record_json_external(const struct external_report *x, unsigned flags)
{
	struct json_object *o;

	if ((o = json_object_new_object()) == NULL)
		return (NULL);
	if (((flags & RECORD_JSON_TYPE) && add_str(o, "@type",
	    record_json_type_name(x->report->type))) ||
	    add_str(o, "id", x->id) ||
	    add(o, "report", report_json(x->report)) ||
	    add_str(o, "from", x->from) ||
	    add_str(o, "subject", x->subject) ||
	    add_strlist(o, "to", &x->to) ||
	    add_time(o, "receivedAt", x->received_at) ||
	    add_time(o, "expiresAt", x->expires_at) ||
	    add_str(o, "memberTenantId", x->member_tenant_id)) {
		json_object_put(o);
		return (NULL);
	}
	return (o);
}

/*
 * json-c prints an empty list as "[", a newline, indentation and "]";
 * this writes "[]". A raw newline only occurs between tokens (inside a
 * string it is escaped), so the rewrite never touches a value. Returns the
 * new length.
 */
static size_t
squeeze_empty_lists(char *s, size_t n)
{
	size_t	i, j, k;

	for (i = j = 0; i < n; i++) {
		s[j++] = s[i];
		if (s[i] != '[')
			continue;
		for (k = i + 1; k < n && (s[k] == '\n' || s[k] == ' '); k++)
			;
		if (k < n && k > i + 1 && s[k] == ']') {
			s[j++] = ']';
			i = k;
		}
	}
	s[j] = '\0';
	return (j);
}

char *
record_json_print(struct json_object *o, unsigned flags, size_t *len)
{
	const char *s;
	size_t	n;
	char   *copy = NULL;
	int	how = JSON_C_TO_STRING_NOSLASHESCAPE;

	if (o == NULL)
		return (NULL);
	how |= (flags & RECORD_JSON_PRETTY) ?
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
	    JSON_C_TO_STRING_PLAIN;
	if ((s = json_object_to_json_string_length(o, how, &n)) != NULL &&
	    (copy = record_strndup(s, n)) != NULL) {
		if (flags & RECORD_JSON_PRETTY)
			n = squeeze_empty_lists(copy, n);
		if (len != NULL)
			*len = n;
	}
	json_object_put(o);
	return (copy);
}

char *
record_json_write_report(const struct report *r, unsigned flags, size_t *len)
{
	return (record_json_print(report_json(r), flags, len));
}
