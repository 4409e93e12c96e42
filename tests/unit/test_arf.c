/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	test_arf - message/feedback-report fields into an ArfFeedbackReport
 * PURPOSE
 *	The RFC 5965 and RFC 6591 examples, and what real feedback loops
 *	write: every feedback type, names in mixed case, Received-Date for
 *	Arrival-Date, repeated fields, folded lines, CRLF, stray MIME header
 *	lines, a Source-IP with a comment, odd versions, the returned
 *	message cut at its cap, and the one refusal (no Feedback-Type).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "arf.h"
#include "parse.h"
#include "record.h"

static struct parse_limits limits;

/* Parses fields (no returned message); NULL when not PARSE_OK. */
static struct report *
parse(const char *fields, const char *name)
{
	struct parse_error err;
	struct report *r = NULL;

	parse_error_clear(&err);
	if (!is_int(arf_parse(fields, strlen(fields), NULL, 0, false, &limits,
	    &r, &err), PARSE_OK, name))
		diag("%s", err.reason);
	return (r);
}

static const char rfc5965[] =
    "Feedback-Type: abuse\n"
    "User-Agent: SomeGenerator/1.0\n"
    "Version: 1\n"
    "Original-Mail-From: <somespammer@example.net>\n"
    "Original-Rcpt-To: <user@example.com>\n"
    "Arrival-Date: Thu, 8 Mar 2005 14:00:00 EDT\n"
    "Reporting-MTA: dns; mail.example.com\n"
    "Source-IP: 192.0.2.1\n"
    "Authentication-Results: mail.example.com;\n"
    "               spf=fail smtp.mail=somespammer@example.com\n"
    "Reported-Domain: example.net\n"
    "Reported-Uri: http://example.net/earn_money.html\n"
    "Reported-Uri: mailto:user@example.com\n"
    "Removal-Recipient: user@example.com\n";

static void
test_rfc5965(void)
{
	struct report *r = parse(rfc5965, "RFC 5965 example");
	struct arf_report *a;

	if (r == NULL)
		return;
	a = &r->u.arf;
	is_int(r->type, RECORD_ARF, "type is ARF");
	is_int(a->feedback_type, ARF_FEEDBACK_ABUSE, "abuse");
	is_str(a->user_agent, "SomeGenerator/1.0", "userAgent");
	is_int(a->version, 1, "version 1");
	is_str(a->original_mail_from, "<somespammer@example.net>",
	    "originalMailFrom as written");
	is_str(a->original_rcpt_to, "<user@example.com>", "originalRcptTo");
	ok(a->has_arrival_date && a->arrival_date == 1110304800,
	    "arrivalDate with EDT");
	is_str(a->reporting_mta, "dns; mail.example.com", "reportingMta");
	is_str(a->source_ip, "192.0.2.1", "sourceIp");
	is_int(a->source_port, 0, "no sourcePort");
	is_int(a->authentication_results.n, 1, "one Authentication-Results");
	is_str(a->authentication_results.v[0],
	    "mail.example.com; spf=fail smtp.mail=somespammer@example.com",
	    "folded value unfolded, white space collapsed");
	is_int(a->reported_domains.n, 1, "one reportedDomain");
	is_int(a->reported_uris.n, 2, "two reportedUris");
	is_str(a->reported_uris.v[1], "mailto:user@example.com", "second uri");
	is_int(a->incidents, 1, "Incidents absent: 1");
	is_int(a->auth_failure, ARF_AUTH_FAILURE_UNSPECIFIED,
	    "authFailure unspecified");
	is_int(a->delivery_result, ARF_DELIVERY_UNSPECIFIED,
	    "deliveryResult unspecified");
	is_int(a->identity_alignment, ARF_ALIGN_UNSPECIFIED,
	    "identityAlignment unspecified");
	is_str(a->message, NULL, "no message");
	is_str(a->headers, NULL, "no headers");
	report_free(r);
}

static const char rfc6591[] =
    "Feedback-Type: auth-failure\r\n"
    "User-Agent: SomeDKIMFilter/1.0\r\n"
    "Version: 1\r\n"
    "Original-Mail-From: <randomuser@example.net>\r\n"
    "Original-Rcpt-To: <user@example.com>\r\n"
    "Original-Rcpt-To: <second@example.com>\r\n"
    "Original-Envelope-Id: 8BE2660E72\r\n"
    "Received-Date: Wed, 14 Apr 2010 12:15:31 -0700 (PDT)\r\n"
    "Source-IP: 192.0.2.1\r\n"
    "Source-Port: 25\r\n"
    "Incidents: 3\r\n"
    "Authentication-Results: mail.example.com; dkim=fail\r\n"
    "\theader.d=example.net\r\n"
    "Authentication-Results: second.example; spf=pass\r\n"
    "Reported-Domain: example.net\r\n"
    "Reported-Domain: example.org\r\n"
    "DKIM-Domain: example.net\r\n"
    "DKIM-Identity: @example.net\r\n"
    "DKIM-Selector: sel\r\n"
    "DKIM-Canonicalized-Header: ZnJvbTpB\r\n"
    "DKIM-Canonicalized-Body: SGVsbG8=\r\n"
    "DKIM-Selector-DNS: v=DKIM1; p=MIGf\r\n"
    "DKIM-ADSP-DNS: dkim=all\r\n"
    "SPF-DNS: txt : example.net : v=spf1 -all\r\n"
    "Delivery-Result: reject\r\n"
    "Identity-Alignment: dkim, spf\r\n"
    "Auth-Failure: bodyhash\r\n";

static void
test_rfc6591(void)
{
	struct report *r = parse(rfc6591, "RFC 6591 auth-failure, CRLF");
	struct arf_report *a;

	if (r == NULL)
		return;
	a = &r->u.arf;
	is_int(a->feedback_type, ARF_FEEDBACK_AUTH_FAILURE, "authFailure");
	is_int(a->auth_failure, ARF_AUTH_FAILURE_BODY_HASH, "bodyhash");
	is_int(a->delivery_result, ARF_DELIVERY_REJECT, "reject");
	is_int(a->identity_alignment, ARF_ALIGN_DKIM_SPF, "dkim, spf");
	is_str(a->original_rcpt_to, "<user@example.com>",
	    "originalRcptTo: the first one");
	is_str(a->original_envelope_id, "8BE2660E72", "originalEnvelopeId");
	ok(a->has_arrival_date && a->arrival_date == 1271272531,
	    "Received-Date stands in for Arrival-Date");
	is_int(a->source_port, 25, "sourcePort");
	is_int(a->incidents, 3, "incidents");
	is_int(a->authentication_results.n, 2, "repeated A-R kept");
	is_str(a->authentication_results.v[0],
	    "mail.example.com; dkim=fail header.d=example.net",
	    "CRLF fold with a tab");
	is_int(a->reported_domains.n, 2, "repeated Reported-Domain kept");
	is_str(a->reported_domains.v[1], "example.org", "second domain");
	is_str(a->dkim_domain, "example.net", "dkimDomain");
	is_str(a->dkim_identity, "@example.net", "dkimIdentity");
	is_str(a->dkim_selector, "sel", "dkimSelector");
	is_str(a->dkim_canonicalized_header, "ZnJvbTpB",
	    "dkimCanonicalizedHeader");
	is_str(a->dkim_canonicalized_body, "SGVsbG8=",
	    "dkimCanonicalizedBody");
	is_str(a->dkim_selector_dns, "v=DKIM1; p=MIGf", "dkimSelectorDns");
	is_str(a->dkim_adsp_dns, "dkim=all", "dkimAdspDns");
	is_str(a->spf_dns, "txt : example.net : v=spf1 -all", "spfDns");
	is_str(a->reporting_mta, NULL, "absent reportingMta: NULL");
	report_free(r);
}

static void
test_feedback_types(void)
{
	static const struct {
		const char *text;
		enum arf_feedback_type want;
	} types[] = {
		{ "abuse", ARF_FEEDBACK_ABUSE },
		{ "auth-failure", ARF_FEEDBACK_AUTH_FAILURE },
		{ "fraud", ARF_FEEDBACK_FRAUD },
		{ "not-spam", ARF_FEEDBACK_NOT_SPAM },
		{ "virus", ARF_FEEDBACK_VIRUS },
		{ "other", ARF_FEEDBACK_OTHER },
		{ "ABUSE", ARF_FEEDBACK_ABUSE },
		{ "Not-Spam", ARF_FEEDBACK_NOT_SPAM },
		{ "opt-out", ARF_FEEDBACK_OTHER },
		{ "dmarc", ARF_FEEDBACK_OTHER },
		{ "", ARF_FEEDBACK_OTHER },
	};
	char	buf[128];
	struct report *r;
	size_t	i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		snprintf(buf, sizeof(buf), "Feedback-Type: %s\n",
		    types[i].text);
		if ((r = parse(buf, types[i].text)) == NULL)
			continue;
		is_int(r->u.arf.feedback_type, types[i].want, "  enum");
		report_free(r);
	}
}

static const char aol[] =
    "Content-Type: text/plain; charset=\"us-ascii\"\n"
    "MIME-Version: 1.0\n"
    "\n"
    "feedback-type: abuse\n"
    "RECEIVED-DATE: Wed, 17 Nov 2010 12:41:30 -0500 (EST)\n"
    "Redacted-Address: redacted\n"
    "Reported-Domain: mars-34.example.com\n"
    "Source-Ip: 173.193.210.34\n"
    "User-Agent:   AOL    SComp  \n"
    "Version: 0.1\n"
    "Content-Transfer-Encoding: 7bit\n"
    "\n";

static void
test_aol(void)
{
	struct report *r = parse(aol, "stray MIME lines, mixed-case names");
	struct arf_report *a;

	if (r == NULL)
		return;
	a = &r->u.arf;
	is_int(a->feedback_type, ARF_FEEDBACK_ABUSE, "feedback-type in lower");
	ok(a->has_arrival_date && a->arrival_date == 1290015690,
	    "RECEIVED-DATE with a comment");
	is_str(a->source_ip, "173.193.210.34", "Source-Ip spelling");
	is_str(a->user_agent, "AOL SComp", "white space collapsed");
	is_int(a->version, 1, "version 0.1: 1");
	is_int(a->reported_domains.n, 1, "reportedDomains");
	report_free(r);
}

static void
test_values(void)
{
	static const char text[] =
	    "Feedback-Type: auth-failure\n"
	    "Feedback-Type: virus\n"
	    "Arrival-Date: not a date\n"
	    "Received-Date: Thu, 29 Apr 2009 00:00:00 -0000 (EST)\n"
	    "Source-IP: x.x.x.x\n"
	    "Source-IP: 148.163.85.135 (sainay.interpublication.org)\n"
	    "Source-Port: 70000\n"
	    "Version: 2\n"
	    "Incidents: 0\n"
	    "Original-Mail-From:\n"
	    "Authentication-Results:\n"
	    "Auth-Failure: DMARC\n"
	    "Delivery-Result: quarantined\n"
	    "Identity-Alignment: none\n"
	    "\n"
	    " continuation of a field nobody reads\n"
	    "not a field line\n"
	    ": no name\n"
	    "Bad Name: value\n";
	struct report *r = parse(text, "odd values");
	struct arf_report *a;

	if (r == NULL)
		return;
	a = &r->u.arf;
	is_int(a->feedback_type, ARF_FEEDBACK_AUTH_FAILURE,
	    "the first Feedback-Type counts");
	ok(a->has_arrival_date && a->arrival_date == 1240963200,
	    "unreadable Arrival-Date: Received-Date used");
	is_str(a->source_ip, "148.163.85.135",
	    "x.x.x.x dropped, comment cut from the next");
	is_int(a->source_port, 0, "port 70000: absent");
	is_int(a->version, 2, "version 2");
	is_int(a->incidents, 1, "Incidents 0: 1");
	is_str(a->original_mail_from, "", "empty value: \"\"");
	is_int(a->authentication_results.n, 1, "empty A-R kept");
	is_str(a->authentication_results.v[0], "", "  as \"\"");
	is_int(a->auth_failure, ARF_AUTH_FAILURE_DMARC, "DMARC");
	is_int(a->delivery_result, ARF_DELIVERY_UNSPECIFIED,
	    "unknown Delivery-Result: unspecified");
	is_int(a->identity_alignment, ARF_ALIGN_NONE, "alignment none");
	report_free(r);
}

/* One field's value through the parser; checks a number it sets. */
static void
one_number(const char *field, const char *value, uint64_t want)
{
	char	buf[256];
	struct report *r;
	uint64_t got;

	snprintf(buf, sizeof(buf), "Feedback-Type: abuse\n%s: %s\n", field,
	    value);
	if ((r = parse(buf, field)) == NULL)
		return;
	if (strcmp(field, "Version") == 0)
		got = r->u.arf.version;
	else if (strcmp(field, "Incidents") == 0)
		got = r->u.arf.incidents;
	else
		got = r->u.arf.source_port;
	ok(got == want, "  %s \"%s\" is %ju", field, value, (uintmax_t) want);
	report_free(r);
}

static void
test_numbers(void)
{
	one_number("Version", "1.0", 1);
	one_number("Version", "0.1", 1);
	one_number("Version", "0", 1);
	one_number("Version", "3.7", 3);
	one_number("Version", "junk", 1);
	one_number("Version", "1.", 1);
	one_number("Version", "99999999999", 1);
	one_number("Incidents", "18446744073709551615", UINT64_MAX);
	one_number("Incidents", "18446744073709551616", 1);
	one_number("Incidents", "-3", 1);
	one_number("Incidents", "12 (about)", 1);
	one_number("Source-Port", "65535", 65535);
	one_number("Source-Port", "0", 0);
	one_number("Source-Port", "x", 0);
}

static void
one_ip(const char *value, const char *want)
{
	char	buf[256];
	struct report *r;

	snprintf(buf, sizeof(buf), "Feedback-Type: abuse\nSource-IP: %s\n",
	    value);
	if ((r = parse(buf, value)) == NULL)
		return;
	is_str(r->u.arf.source_ip, want, "  sourceIp");
	report_free(r);
}

static void
one_alignment(const char *value, enum arf_identity_alignment want)
{
	char	buf[256];
	struct report *r;

	snprintf(buf, sizeof(buf), "Feedback-Type: auth-failure\n"
	    "Identity-Alignment: %s\n", value);
	if ((r = parse(buf, value)) == NULL)
		return;
	is_int(r->u.arf.identity_alignment, want, "  identityAlignment");
	report_free(r);
}

static void
test_ip_and_alignment(void)
{
	one_ip("2001:db8::1", "2001:db8::1");
	one_ip("[192.0.2.7]", "192.0.2.7");
	one_ip("IPv6:2001:db8::2 (host)", "2001:db8::2");
	one_ip("192.0.2.1(host.example)", "192.0.2.1");
	one_ip("host.example", NULL);
	one_ip("192.0.2.256", NULL);
	one_ip("", NULL);
	one_alignment("dkim", ARF_ALIGN_DKIM);
	one_alignment("SPF", ARF_ALIGN_SPF);
	one_alignment("spf,dkim", ARF_ALIGN_DKIM_SPF);
	one_alignment("dkimSpf", ARF_ALIGN_DKIM_SPF);
	one_alignment("none, dkim", ARF_ALIGN_UNSPECIFIED);
	one_alignment("dkim, arc", ARF_ALIGN_UNSPECIFIED);
	one_alignment("", ARF_ALIGN_UNSPECIFIED);
}

static void
test_returned(void)
{
	static const char msg[] = "From: a@example.com\nSubject: caf\xc3\xa9\n"
	    "\nbody\n";
	struct parse_error err;
	struct report *r = NULL;
	size_t	cut = strlen("From: a@example.com\nSubject: caf\xc3");

	limits.returned_message_bytes = cut;
	is_int(arf_parse(rfc5965, strlen(rfc5965), msg, strlen(msg), false,
	    &limits, &r, &err), PARSE_OK, "returned message over the cap");
	if (r != NULL) {
		is_str(r->u.arf.message, "From: a@example.com\nSubject: caf",
		    "  cut at the cap, before a split UTF-8 sequence");
		is_str(r->u.arf.headers, NULL, "  headers NULL");
		report_free(r);
	}
	parse_limits_default(&limits);
	is_int(arf_parse(rfc5965, strlen(rfc5965), msg, 19, true, &limits,
	    &r, &err), PARSE_OK, "returned headers");
	if (r != NULL) {
		is_str(r->u.arf.headers, "From: a@example.com", "  headers kept");
		is_str(r->u.arf.message, NULL, "  message NULL");
		report_free(r);
	}
}

static void
test_refusals(void)
{
	static const char no_type[] = "User-Agent: x\nVersion: 1\n";
	char	big[200];
	struct parse_error err;
	struct report *r = (struct report *) &r;

	parse_error_clear(&err);
	is_int(arf_parse(no_type, strlen(no_type), NULL, 0, false, &limits,
	    &r, &err), PARSE_INVALID, "no Feedback-Type: invalid");
	ok(r == NULL, "  *out is NULL");
	ok(strstr(err.reason, "Feedback-Type") != NULL, "  reason: %s",
	    err.reason);
	parse_error_clear(&err);
	is_int(arf_parse("", 0, NULL, 0, false, &limits, &r, &err),
	    PARSE_INVALID, "empty part: invalid");
	parse_error_clear(&err);
	is_int(arf_parse(" Feedback-Type: abuse\n", 22, NULL, 0, false,
	    &limits, &r, &err), PARSE_INVALID,
	    "indented Feedback-Type is a continuation, not a field");
	memset(big, 'a', sizeof(big));
	memcpy(big, "Feedback-Type: abuse\nDKIM-Canonicalized-Body: ", 46);
	limits.field_bytes = 100;
	parse_error_clear(&err);
	is_int(arf_parse(big, sizeof(big), NULL, 0, false, &limits, &r, &err),
	    PARSE_OK, "field over field_bytes: the report is kept");
	ok(r != NULL && r->u.arf.dkim_canonicalized_body != NULL &&
	    strlen(r->u.arf.dkim_canonicalized_body) == 100,
	    "  the long field is cut at field_bytes");
	report_free(r);
	r = NULL;
	parse_limits_default(&limits);
}

static void
test_binary(void)
{
	static const char text[] = "Feedback-Type: ab\0use\nSource-IP: \0\n"
	    "\n\n\r\n   \nUser-Agent: \xff\xfe\n";
	struct parse_error err;
	struct report *r = NULL;

	is_int(arf_parse(text, sizeof(text) - 1, NULL, 0, false, &limits, &r,
	    &err), PARSE_OK, "NUL bytes and 8-bit junk: no crash");
	if (r != NULL) {
		is_int(r->u.arf.feedback_type, ARF_FEEDBACK_ABUSE,
		    "  NUL dropped from the value");
		is_str(r->u.arf.user_agent, "\xef\xbf\xbd\xef\xbf\xbd",
		    "  8-bit junk becomes U+FFFD (JSON is UTF-8)");
		report_free(r);
	}
}

int
main(void)
{
	parse_limits_default(&limits);
	test_rfc5965();
	test_rfc6591();
	test_feedback_types();
	test_aol();
	test_values();
	test_numbers();
	test_ip_and_alignment();
	test_returned();
	test_refusals();
	test_binary();
	return (done_testing());
}
