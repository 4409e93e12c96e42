/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	test_tlsrpt_json - TLS-RPT JSON into a TlsReport
 * PURPOSE
 *	The RFC 8460 example, the leniencies real reporters need (mx-host as
 *	a string or list, null optionals, dates without a zone, counts as
 *	strings or past 2^63, unknown types), and every refusal: not JSON,
 *	not an object, a required member missing, over the size cap, too
 *	deep. Checks what the stored JSON would say.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "parse.h"
#include "record.h"
#include "tlsrpt_json.h"

static struct parse_limits limits;

/* Parses text; returns the status, *out the report or NULL. */
static enum parse_status
parse(const char *text, struct report **out, struct parse_error *err)
{
	parse_error_clear(err);
	return (tlsrpt_json_parse(text, strlen(text), &limits, out, err));
}

static const char rfc8460[] =
    "{\"organization-name\": \"Company-X\",\n"
    " \"date-range\": {\"start-datetime\": \"2016-04-01T00:00:00Z\",\n"
    "                \"end-datetime\": \"2016-04-01T23:59:59Z\"},\n"
    " \"contact-info\": \"sts-reporting@company-x.example\",\n"
    " \"report-id\": \"5065427c-23d3-47ca-b6e0-946ea0e8c4be\",\n"
    " \"policies\": [{\n"
    "   \"policy\": {\"policy-type\": \"sts\",\n"
    "     \"policy-string\": [\"version: STSv1\", \"mode: testing\",\n"
    "       \"mx: *.mail.company-y.example\", \"max_age: 86400\"],\n"
    "     \"policy-domain\": \"company-y.example\",\n"
    "     \"mx-host\": \"*.mail.company-y.example\"},\n"
    "   \"summary\": {\"total-successful-session-count\": 5326,\n"
    "     \"total-failure-session-count\": 303},\n"
    "   \"failure-details\": [{\"result-type\": \"certificate-expired\",\n"
    "       \"sending-mta-ip\": \"2001:db8:abcd:0012::1\",\n"
    "       \"receiving-mx-hostname\": \"mx1.mail.company-y.example\",\n"
    "       \"failed-session-count\": 100},\n"
    "     {\"result-type\": \"starttls-not-supported\",\n"
    "       \"sending-mta-ip\": \"2001:db8:abcd:0013::1\",\n"
    "       \"receiving-mx-hostname\": \"mx2.mail.company-y.example\",\n"
    "       \"receiving-mx-helo\": \"mx2.example\",\n"
    "       \"receiving-ip\": \"203.0.113.56\",\n"
    "       \"failed-session-count\": 200,\n"
    "       \"additional-information\": \"https://x.example/i\"},\n"
    "     {\"result-type\": \"validation-failure\",\n"
    "       \"sending-mta-ip\": \"198.51.100.62\",\n"
    "       \"receiving-ip\": \"203.0.113.58\",\n"
    "       \"receiving-mx-hostname\": \"mx-backup.mail.company-y.example\",\n"
    "       \"failed-session-count\": 3,\n"
    "       \"failure-reason-code\": \"X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED\"}]\n"
    " }]}\n";

static void
test_rfc8460(void)
{
	struct parse_error err;
	struct report *r;
	struct tls_report *t;
	struct tls_policy *p;

	if (!is_int(parse(rfc8460, &r, &err), PARSE_OK, "RFC 8460 example")) {
		diag("%s", err.reason);
		return;
	}
	t = &r->u.tls;
	is_int(r->type, RECORD_TLS, "type is TLS");
	is_str(t->organization_name, "Company-X", "organizationName");
	is_str(t->contact_info, "sts-reporting@company-x.example",
	    "contactInfo");
	is_str(t->report_id, "5065427c-23d3-47ca-b6e0-946ea0e8c4be",
	    "reportId");
	is_int(t->date_range_start, 1459468800, "dateRangeStart");
	is_int(t->date_range_end, 1459555199, "dateRangeEnd");
	is_int(t->n_policies, 1, "one policy");
	p = &t->policies[0];
	is_int(p->policy_type, TLS_POLICY_STS, "policyType sts");
	is_int(p->policy_strings.n, 4, "four policy strings");
	is_str(p->policy_strings.v[2], "mx: *.mail.company-y.example",
	    "policy string kept as written");
	is_str(p->policy_domain, "company-y.example", "policyDomain");
	is_int(p->mx_hosts.n, 1, "mx-host as a string: one host");
	is_str(p->mx_hosts.v[0], "*.mail.company-y.example", "mxHosts[0]");
	is_int(p->total_successful_sessions, 5326, "totalSuccessfulSessions");
	is_int(p->total_failed_sessions, 303, "totalFailedSessions");
	is_int(p->n_failures, 3, "three failure details");
	is_int(p->failures[0].result_type, TLS_RESULT_CERTIFICATE_EXPIRED,
	    "certificate-expired");
	is_str(p->failures[0].receiving_ip, NULL, "absent receivingIp: NULL");
	is_int(p->failures[1].result_type, TLS_RESULT_START_TLS_NOT_SUPPORTED,
	    "starttls-not-supported");
	is_str(p->failures[1].receiving_mx_helo, "mx2.example",
	    "receivingMxHelo");
	is_str(p->failures[1].receiving_ip, "203.0.113.56", "receivingIp");
	is_int(p->failures[1].failed_session_count, 200, "failedSessionCount");
	is_str(p->failures[1].additional_information, "https://x.example/i",
	    "additionalInformation");
	is_int(p->failures[2].result_type, TLS_RESULT_VALIDATION_FAILURE,
	    "validation-failure");
	is_str(p->failures[2].failure_reason_code,
	    "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED", "failureReasonCode");
	report_free(r);
}

#define HEAD	"{\"report-id\":\"id\",\"date-range\":{" \
		"\"start-datetime\":\"2026-01-01T00:00:00Z\"," \
		"\"end-datetime\":\"2026-01-02T00:00:00Z\"},"

/* Parses HEAD + "policies": [one policy] and returns it (r to free). */
static struct tls_policy *
one_policy(const char *policy, struct report **r, const char *name)
{
	struct parse_error err;
	char	buf[4096];

	snprintf(buf, sizeof(buf), HEAD "\"policies\":[%s]}", policy);
	if (!is_int(parse(buf, r, &err), PARSE_OK, name)) {
		diag("%s", err.reason);
		return (NULL);
	}
	if (!is_int((*r)->u.tls.n_policies, 1, "  one policy")) {
		report_free(*r);
		return (NULL);
	}
	return (&(*r)->u.tls.policies[0]);
}

static void
test_mx_and_nulls(void)
{
	struct parse_error err;
	struct report *r;
	struct tls_policy *p;

	p = one_policy("{\"policy\":{\"policy-type\":\"sts\",\"mx-host\":"
	    "[\"a.example\",\"b.example\"],\"policy-domain\":\"x.example\"}}",
	    &r, "mx-host as a list");
	if (p != NULL) {
		is_int(p->mx_hosts.n, 2, "  two hosts");
		is_str(p->mx_hosts.v[1], "b.example", "  second host");
		is_int(p->total_successful_sessions, 0, "  no summary: 0");
		is_int(p->n_failures, 0, "  no failure-details: []");
		report_free(r);
	}
	p = one_policy("{\"policy\":{\"policy-type\":\"no-policy-found\","
	    "\"policy-string\":null,\"policy-domain\":null,\"mx-host\":null},"
	    "\"summary\":null,\"failure-details\":null}", &r,
	    "null optionals");
	if (p != NULL) {
		is_int(p->policy_type, TLS_POLICY_NO_POLICY_FOUND,
		    "  no-policy-found");
		is_str(p->policy_domain, "", "  null policy-domain: \"\"");
		is_int(p->policy_strings.n + p->mx_hosts.n, 0, "  empty lists");
		report_free(r);
	}
	p = one_policy("{\"policy\":{\"policy-type\":\"TLSA\","
	    "\"policy-string\":\"one line\"}}", &r, "policy-string a string");
	if (p != NULL) {
		is_int(p->policy_type, TLS_POLICY_TLSA, "  TLSA in capitals");
		is_int(p->policy_strings.n, 1, "  one policy string");
		is_str(p->policy_domain, "", "  missing policy-domain: \"\"");
		report_free(r);
	}
	p = one_policy("{\"policy\":{\"policy-type\":\"invalid-policy-type\"}}",
	    &r, "unknown policy-type");
	if (p != NULL) {
		is_int(p->policy_type, TLS_POLICY_OTHER, "  other");
		report_free(r);
	}
	is_int(parse(HEAD "\"policies\":[],\"organization-name\":null,"
	    "\"contact-info\":null}", &r, &err), PARSE_OK, "empty policies");
	if (r != NULL) {
		is_str(r->u.tls.organization_name, NULL, "  null org: NULL");
		is_str(r->u.tls.contact_info, NULL, "  null contact: NULL");
		is_int(r->u.tls.n_policies, 0, "  no policies");
		report_free(r);
	}
}

static void
test_counts(void)
{
	struct report *r;
	struct tls_policy *p;

	p = one_policy("{\"summary\":{\"total-successful-session-count\":"
	    "18446744073709551615,\"total-failure-session-count\":-5},"
	    "\"failure-details\":[{\"result-type\":\"dane-required\","
	    "\"failed-session-count\":9223372036854775808},"
	    "{\"result-type\":\"dnssec-invalid\",\"failed-session-count\":"
	    "\"42\"},{\"result-type\":\"tlsa-invalid\","
	    "\"failed-session-count\":2.9},{\"result-type\":\"sts-webpki-invalid\","
	    "\"failed-session-count\":\"junk\"},"
	    "{\"result-type\":\"sts-policy-invalid\",\"failed-session-count\":"
	    "99999999999999999999999}]}", &r, "64-bit counts");
	if (p == NULL)
		return;
	ok(p->total_successful_sessions == UINT64_MAX, "  2^64-1 kept");
	is_int(p->total_failed_sessions, 0, "  negative count: 0");
	is_int(p->n_failures, 5, "  five failure details");
	ok(p->failures[0].failed_session_count == 9223372036854775808ULL,
	    "  2^63 kept");
	is_int(p->failures[0].result_type, TLS_RESULT_DANE_REQUIRED,
	    "  dane-required");
	is_int(p->failures[1].failed_session_count, 42, "  count as a string");
	is_int(p->failures[1].result_type, TLS_RESULT_DNSSEC_INVALID,
	    "  dnssec-invalid");
	is_int(p->failures[2].failed_session_count, 2, "  fraction truncated");
	is_int(p->failures[3].failed_session_count, 0, "  junk count: 0");
	is_int(p->failures[3].result_type, TLS_RESULT_STS_WEBPKI_INVALID,
	    "  sts-webpki-invalid");
	ok(p->failures[4].failed_session_count == UINT64_MAX,
	    "  past 2^64-1 saturates");
	report_free(r);
}

static void
test_result_types(void)
{
	static const struct {
		const char *text;
		enum tls_result_type want;
	} types[] = {
		{ "starttls-not-supported", TLS_RESULT_START_TLS_NOT_SUPPORTED },
		{ "certificate-host-mismatch",
		    TLS_RESULT_CERTIFICATE_HOST_MISMATCH },
		{ "CERTIFICATE-EXPIRED", TLS_RESULT_CERTIFICATE_EXPIRED },
		{ "certificate-not-trusted", TLS_RESULT_CERTIFICATE_NOT_TRUSTED },
		{ "validationfailure", TLS_RESULT_VALIDATION_FAILURE },
		{ "tlsaInvalid", TLS_RESULT_TLSA_INVALID },
		{ "sts-policy-fetch-error", TLS_RESULT_STS_POLICY_FETCH_ERROR },
	};
	char	buf[256];
	struct report *r;
	struct tls_policy *p;
	size_t	i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		snprintf(buf, sizeof(buf), "{\"failure-details\":"
		    "[{\"result-type\":\"%s\"}]}", types[i].text);
		p = one_policy(buf, &r, types[i].text);
		if (p == NULL)
			continue;
		is_int(p->failures[0].result_type, types[i].want, "  enum");
		is_str(p->failures[0].additional_information, NULL,
		    "  no additionalInformation");
		report_free(r);
	}
	p = one_policy("{\"failure-details\":[{\"result-type\":\"quantum-flux\","
	    "\"failed-session-count\":5},{\"result-type\":\"odd\","
	    "\"additional-information\":\"see https://x.example\"},"
	    "{\"sending-mta-ip\":\"192.0.2.1\"}, 7, null]}", &r,
	    "unknown result types");
	if (p == NULL)
		return;
	is_int(p->n_failures, 3, "  non-objects skipped");
	is_int(p->failures[0].result_type, TLS_RESULT_OTHER, "  other");
	is_str(p->failures[0].additional_information,
	    "result-type: quantum-flux", "  text kept");
	is_str(p->failures[1].additional_information,
	    "result-type: odd; see https://x.example", "  text and info kept");
	is_int(p->failures[2].result_type, TLS_RESULT_OTHER,
	    "  missing result-type: other");
	is_str(p->failures[2].additional_information, NULL,
	    "  missing result-type: nothing added");
	report_free(r);
}

static void
test_dates(void)
{
	struct parse_error err;
	struct report *r;

	is_int(parse("{\"report-id\":7,\"date-range\":{\"start-datetime\":"
	    "\"2026-01-01T00:00:00\",\"end-datetime\":"
	    "\"2026-01-01T23:59:59.5+01:00\"},\"policies\":[]}", &r, &err),
	    PARSE_OK, "dates without a zone, with an offset");
	if (r == NULL)
		return;
	is_int(r->u.tls.date_range_start, 1767225600, "  no zone: UTC");
	is_int(r->u.tls.date_range_end, 1767225600 + 82799, "  +01:00");
	is_str(r->u.tls.report_id, "7", "  numeric report-id as text");
	report_free(r);
}

/* Parses text that must be refused with st and a reason holding want. */
static void
refused(const char *text, size_t len, enum parse_status st,
    const char *want, const char *name)
{
	struct parse_error err;
	struct report *r = (struct report *) &r;

	parse_error_clear(&err);
	is_int(tlsrpt_json_parse(text, len, &limits, &r, &err), st, name);
	ok(r == NULL, "  *out is NULL");
	if (!ok(strstr(err.reason, want) != NULL, "  reason: %s", want))
		diag("reason: %s", err.reason);
}

static void
test_refusals(void)
{
	static const char no_id[] = "{\"date-range\":{\"start-datetime\":"
	    "\"2026-01-01T00:00:00Z\",\"end-datetime\":\"2026-01-02T00:00:00Z\"},"
	    "\"policies\":[]}";
	static const char no_end[] = "{\"report-id\":\"x\",\"date-range\":"
	    "{\"start-datetime\":\"2026-01-01T00:00:00Z\"},\"policies\":[]}";
	static const char bad_start[] = "{\"report-id\":\"x\",\"date-range\":"
	    "{\"start-datetime\":\"yesterday\",\"end-datetime\":"
	    "\"2026-01-02T00:00:00Z\"},\"policies\":[]}";
	char	deep[600];
	size_t	i;

#define R(s, st, w, n)	refused(s, strlen(s), st, w, n)
	R("", PARSE_INVALID, "JSON not well-formed", "empty input");
	R("<feedback/>", PARSE_INVALID, "JSON not well-formed", "not JSON");
	R("{\"report-id\":", PARSE_INVALID, "unexpected end", "truncated");
	R("[1,2,3]", PARSE_INVALID, "not an object", "root is a list");
	R("\"text\"", PARSE_INVALID, "not an object", "root is a string");
	R(no_id, PARSE_INVALID, "report-id", "missing report-id");
	R(HEAD "\"policies\":[]} trailing", PARSE_INVALID, "not well-formed",
	    "trailing garbage");
	R(no_end, PARSE_INVALID, "end-datetime", "missing end-datetime");
	R(bad_start, PARSE_INVALID, "start-datetime", "bad start-datetime");
	R("{\"report-id\":\"x\",\"policies\":[]}", PARSE_INVALID,
	    "date-range", "missing date-range");
	R(HEAD "\"x\":1}", PARSE_INVALID, "policies", "missing policies");
	R(HEAD "\"policies\":{}}", PARSE_INVALID, "policies",
	    "policies not a list");
	R("{\"report-id\":{},\"date-range\":{},\"policies\":[]}",
	    PARSE_INVALID, "report-id", "report-id an object");
	for (i = 0; i < 250; i++)
		deep[i] = '[';
	deep[i] = '\0';
	R(deep, PARSE_INVALID, "JSON not well-formed", "deep nesting");
	memset(deep, 0, sizeof(deep));
	strcpy(deep, HEAD "\"policies\":[],\"x\":");
	while (strlen(deep) < 400)
		strcat(deep, "{\"a\":");
	strcat(deep, "1");
	R(deep, PARSE_INVALID, "JSON not well-formed", "deep objects");
	limits.json_bytes = 10;
	R(HEAD "\"policies\":[]}", PARSE_LIMIT, "cap", "over json_bytes");
	parse_limits_default(&limits);
	refused("{\"a\":1}\0{", 9, PARSE_INVALID, "not well-formed",
	    "NUL then garbage");
#undef R
}

/*
 * json-c's tree is estimated before it is built: a report of the densest
 * real shape (policies of a hundred failure details) is read near the
 * text cap, a list of bare values of the same length is refused.
 */
static void
test_density(void)
{
	static const char detail[] = "{\"result-type\":\"starttls-not-supported\","
	    "\"sending-mta-ip\":\"192.0.2.1\",\"receiving-mx-hostname\":"
	    "\"mx1.example.com\",\"failed-session-count\":500}";
	struct parse_error err;
	struct report *r = NULL;
	size_t	cap = 256 << 10, len = 0, i, d, n_details = 0;
	char   *text;

	if ((text = malloc(cap)) == NULL)
		return;
	len = (size_t) snprintf(text, cap, "%s\"policies\":[", HEAD);
	for (i = 0; len + 1024 + 100 * sizeof(detail) < cap * 3 / 4; i++) {
		len += (size_t) snprintf(text + len, cap - len, "%s{\"policy\":"
		    "{\"policy-type\":\"sts\",\"policy-domain\":\"d%zu.example\"},"
		    "\"summary\":{\"total-successful-session-count\":1,"
		    "\"total-failure-session-count\":5000},\"failure-details\":[",
		    i ? "," : "", i);
		for (d = 0; d < 100; d++, n_details++)
			len += (size_t) snprintf(text + len, cap - len, "%s%s",
			    d ? "," : "", detail);
		len += (size_t) snprintf(text + len, cap - len, "]}");
	}
	len += (size_t) snprintf(text + len, cap - len, "]}");
	limits.json_bytes = cap;
	parse_error_clear(&err);
	ok(tlsrpt_json_parse(text, len, &limits, &r, &err) == PARSE_OK,
	    "a report of %zu failure details in %zu bytes, a %zu-byte cap: "
	    "read (%s)", n_details, len, cap, err.reason);
	ok(r != NULL && r->u.tls.n_policies == i &&
	    r->u.tls.policies[i - 1].n_failures == 100, "  all %zu policies",
	    i);
	report_free(r);
	r = NULL;

	len = (size_t) snprintf(text, cap, "%s\"policies\":[],\"x\":[", HEAD);
	while (len + 4 < cap)
		len += (size_t) snprintf(text + len, cap - len, "0,");
	len += (size_t) snprintf(text + len, cap - len, "0]}");
	parse_error_clear(&err);
	is_int(tlsrpt_json_parse(text, len, &limits, &r, &err), PARSE_LIMIT,
	    "bare values of the same length: refused");
	ok(strstr(err.reason, "too many JSON values") != NULL, "  reason: %s",
	    err.reason);
	parse_limits_default(&limits);
	free(text);
}

static void
test_bom_and_nul(void)
{
	static const char text[] = "\xef\xbb\xbf" HEAD "\"policies\":[]}\n";
	struct parse_error err;
	struct report *r;

	is_int(tlsrpt_json_parse(text, sizeof(text), &limits, &r, &err),
	    PARSE_OK, "byte order mark and a trailing NUL");
	report_free(r);
}

/* The domains of text's policies, joined by ','; "FAIL: reason" on failure. */
static const char *
domains(const char *text)
{
	static char out[sizeof(((struct parse_error *) 0)->reason) + 16];
	struct parse_error err;
	struct report *r;
	size_t	i, n = 0;

	if (parse(text, &r, &err) != PARSE_OK) {
		snprintf(out, sizeof(out), "FAIL: %s", err.reason);
		return (out);
	}
	out[0] = '\0';
	for (i = 0; i < r->u.tls.n_policies; i++)
		n += snprintf(out + n, sizeof(out) - n, "%s%s", i ? "," : "",
		    r->u.tls.policies[i].policy_domain);
	report_free(r);
	return (out);
}

#define POL(d)	"{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"" d "\"}}"

/*
 * The policies are read one at a time, and what that way cannot read is
 * read whole: either way the report is the same.
 */
static void
test_one_at_a_time(void)
{
	char	doc[1024];
	int	i;

	is_str(domains(HEAD "\"policies\": [ " POL("a") " ,\n" POL("b") "]}"),
	    "a,b", "two policies, one at a time");
	is_str(domains(HEAD "\"policies\":[" POL("a") ",7,null,\"x\"," POL("b")
	    "]}"), "a,b", "elements that are not objects are skipped");
	is_str(domains(HEAD "\"policies\":[" POL("a") "],\"policies\":["
	    POL("b") "," POL("c") "]}"), "b,c",
	    "of two policies members, the last (as json-c)");
	is_str(domains(HEAD "\"polic\\u0069es\":[" POL("e") "]}"), "e",
	    "a member name written with an escape");
	is_str(domains(HEAD "\"policies\":null}"), "", "policies null");
	is_str(domains(HEAD "\"policies\":[" POL("a") ",{\"policy\" 1}]}"),
	    "FAIL: JSON not well-formed: object property name separator ':' "
	    "expected", "a policy that is not JSON: json-c says why");
	is_str(domains("{\"report-id\":\"id\",\"policies\":[" POL("a") "]}"),
	    "FAIL: TLS report has no \"date-range\" object",
	    "the header is checked first");
	is_str(domains("{\"date-range\":{},\"policies\":[{\"policy\":"
	    "{\"policy-type\":tru}}]}"),
	    "FAIL: JSON not well-formed: boolean expected",
	    "but a policy that is not JSON is said before it");
	is_str(domains(HEAD "\"policies\":[" POL("a") "],\"polic\\u0069es\":["
	    POL("b1") "," POL("b2") "]}"), "b1,b2",
	    "a later namesake written with an escape wins, as in json-c");
	is_str(domains(HEAD "\"policies\":[" POL("a\\\"]}") "]}"), "a\"]}",
	    "a string that holds an escaped quote and closers");
	/*
	 * Nesting: the document as a whole may be 20 levels deep; a policy
	 * is at the third (root, policies, the policy).
	 */
	for (i = 17; i <= 18; i++) {
		int	k;

		snprintf(doc, sizeof(doc), "%s\"policies\":[{\"x\":", HEAD);
		for (k = 1; k < i; k++)
			strcat(doc, "{\"x\":");
		strcat(doc, "1");
		for (k = 0; k < i; k++)
			strcat(doc, "}");
		strcat(doc, "]}");
		is_str(strncmp(domains(doc), "FAIL", 4) == 0 ? "refused" : "read",
		    i == 17 ? "read" : "refused", i == 17 ?
		    "a policy 20 levels down is read" :
		    "a policy 21 levels down is refused");
	}
}

int
main(void)
{
	parse_limits_default(&limits);
	test_rfc8460();
	test_mx_and_nulls();
	test_counts();
	test_result_types();
	test_dates();
	test_refusals();
	test_density();
	test_bom_and_nul();
	test_one_at_a_time();
	return (done_testing());
}
