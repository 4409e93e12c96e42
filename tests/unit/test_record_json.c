/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	test_record_json - the JSON codec writes the schema and reads it back
 * PURPOSE
 *	Fills every field of the three External report objects, writes them,
 *	reads them back and writes again: both texts must be equal, and
 *	spot checks compare the text with the schema's spellings. Every enum
 *	value goes through the same round trip.
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "record.h"
#include "record_enum.h"
#include "record_json.h"
#include "zbuf.h"

static char *
xstr(const char *s)
{
	char   *p = record_strdup(s);

	if (p == NULL)
		abort();
	return (p);
}

static void
xadd(struct strlist *l, const char *s)
{
	if (strlist_add_str(l, s) < 0)
		abort();
}

static void *
xcalloc(size_t n, size_t size)
{
	void   *p = calloc(n, size);

	if (p == NULL)
		abort();
	return (p);
}

static struct dmarc_record
full_dmarc_record(int k)
{
	struct dmarc_record r;

	memset(&r, 0, sizeof(r));
	r.source_ip = xstr(k ? "2001:db8::1" : "192.0.2.1");
	r.count = k ? 18446744073709551615ULL : 7;
	r.evaluated_disposition = DMARC_ACTION_QUARANTINE;
	r.evaluated_dkim = DMARC_RESULT_PASS;
	r.evaluated_spf = DMARC_RESULT_FAIL;
	r.overrides = xcalloc(2, sizeof(*r.overrides));
	r.n_overrides = 2;
	r.overrides[0].type = DMARC_OVERRIDE_MAILING_LIST;
	r.overrides[0].comment = xstr("list \"x\" \\ / é");
	r.overrides[1].type = DMARC_OVERRIDE_SAMPLED_OUT;
	r.envelope_to = k ? NULL : xstr("example.net");
	r.envelope_from = xstr("bounce.example.com");
	r.header_from = xstr("example.com");
	r.dkim = xcalloc(2, sizeof(*r.dkim));
	r.n_dkim = 2;
	r.dkim[0].domain = xstr("example.com");
	r.dkim[0].selector = xstr("s1");
	r.dkim[0].result = DKIM_RESULT_PERM_ERROR;
	r.dkim[0].human_result = xstr("bad key");
	r.dkim[1].domain = xstr("example.org");
	r.dkim[1].selector = xstr("");
	r.dkim[1].result = DKIM_RESULT_PASS;
	r.spf = xcalloc(1, sizeof(*r.spf));
	r.n_spf = 1;
	r.spf[0].domain = xstr("example.com");
	r.spf[0].scope = SPF_SCOPE_MAIL_FROM;
	r.spf[0].result = SPF_RESULT_SOFT_FAIL;
	r.ext = xcalloc(1, sizeof(*r.ext));
	r.n_ext = 1;
	r.ext[0].name = xstr("vendor");
	r.ext[0].definition = xstr("value");
	return (r);
}

static struct external_report *
full_dmarc(void)
{
	struct external_report *x = external_report_new();
	struct dmarc_report *d;
	struct dmarc_record r;
	int	k;

	x->report = report_new(RECORD_DMARC);
	d = &x->report->u.dmarc;
	d->version = 2.0;
	d->org_name = xstr("Example Receiver");
	d->email = xstr("dmarc@receiver.example");
	d->extra_contact_info = xstr("https://receiver.example/help");
	d->report_id = xstr("r-1");
	d->date_range_begin = 1700000000;
	d->date_range_end = 1700086399;
	xadd(&d->errors, "one error");
	d->policy_domain = xstr("example.com");
	d->policy_version = xstr("DMARC1");
	d->policy_adkim = DMARC_ALIGN_STRICT;
	d->policy_aspf = DMARC_ALIGN_RELAXED;
	d->policy_disposition = DMARC_DISP_REJECT;
	d->policy_subdomain_disposition = DMARC_DISP_QUARANTINE;
	d->policy_testing_mode = true;
	d->policy_fo = DMARC_FO_ANY | DMARC_FO_SPF;
	for (k = 0; k < 2; k++) {
		r = full_dmarc_record(k);
		if (dmarc_report_add_record(d, &r) < 0)
			abort();
	}
	d->ext = xcalloc(1, sizeof(*d->ext));
	d->n_ext = 1;
	d->ext[0].name = xstr("np");
	d->ext[0].definition = xstr("reject");
	free(x->from);
	x->from = xstr("noreply-dmarc@receiver.example");
	free(x->subject);
	x->subject = xstr("Report Domain: example.com");
	xadd(&x->to, "dmarc@example.com");
	xadd(&x->to, "copy@example.com");
	x->received_at = 1767225600;		/* 2026-01-01T00:00:00Z */
	x->expires_at = 1767225600 + 30 * 86400;
	x->id = xstr("a1");
	return (x);
}

static struct external_report *
full_tls(void)
{
	struct external_report *x = external_report_new();
	struct tls_report *t;
	struct tls_policy *p;

	x->report = report_new(RECORD_TLS);
	t = &x->report->u.tls;
	t->organization_name = xstr("Company-X");
	t->contact_info = xstr("sts-reporting@company-x.example");
	t->report_id = xstr("5065427c-23d3-47ca-b6e0-946ea0e8c4be");
	t->date_range_start = 1461110400;
	t->date_range_end = 1461196799;
	t->policies = xcalloc(2, sizeof(*t->policies));
	t->n_policies = 2;
	p = &t->policies[0];
	p->policy_type = TLS_POLICY_STS;
	xadd(&p->policy_strings, "version: STSv1");
	xadd(&p->policy_strings, "mode: testing");
	p->policy_domain = xstr("company-y.example");
	xadd(&p->mx_hosts, "*.mail.company-y.example");
	p->total_successful_sessions = 5326;
	p->total_failed_sessions = 303;
	p->failures = xcalloc(1, sizeof(*p->failures));
	p->n_failures = 1;
	p->failures[0].result_type = TLS_RESULT_CERTIFICATE_EXPIRED;
	p->failures[0].sending_mta_ip = xstr("2001:db8:abcd:0012::1");
	p->failures[0].receiving_mx_hostname = xstr("mx2.mail.company-y.example");
	p->failures[0].receiving_mx_helo = xstr("mx2");
	p->failures[0].receiving_ip = xstr("203.0.113.56");
	p->failures[0].failed_session_count = 100;
	p->failures[0].additional_information = xstr("https://x.example/");
	p->failures[0].failure_reason_code = xstr("X509_V_ERR");
	p = &t->policies[1];
	p->policy_type = TLS_POLICY_NO_POLICY_FOUND;
	p->policy_domain = xstr("");
	x->received_at = 1767225600;
	x->expires_at = 1767225600;
	return (x);
}

static struct external_report *
full_arf(void)
{
	struct external_report *x = external_report_new();
	struct arf_report *a;

	x->report = report_new(RECORD_ARF);
	a = &x->report->u.arf;
	a->feedback_type = ARF_FEEDBACK_AUTH_FAILURE;
	a->has_arrival_date = true;
	a->arrival_date = 1110308400;
	xadd(&a->authentication_results, "mx.example.com; spf=fail");
	a->incidents = 3;
	a->original_envelope_id = xstr("envid");
	a->original_mail_from = xstr("<spammer@example.net>");
	a->original_rcpt_to = xstr("<user@example.com>");
	xadd(&a->reported_domains, "example.net");
	xadd(&a->reported_uris, "http://example.net/x");
	a->reporting_mta = xstr("dns; mail.example.com");
	a->source_ip = xstr("192.0.2.1");
	a->source_port = 65535;
	a->user_agent = xstr("SomeGenerator/1.0");
	a->version = 1;
	a->auth_failure = ARF_AUTH_FAILURE_DMARC;
	a->delivery_result = ARF_DELIVERY_REJECT;
	a->dkim_adsp_dns = xstr("adsp");
	a->dkim_canonicalized_body = xstr("body");
	a->dkim_canonicalized_header = xstr("header");
	a->dkim_domain = xstr("example.com");
	a->dkim_identity = xstr("@example.com");
	a->dkim_selector = xstr("sel");
	a->dkim_selector_dns = xstr("v=DKIM1");
	a->spf_dns = xstr("v=spf1 -all");
	a->identity_alignment = ARF_ALIGN_DKIM_SPF;
	a->message = xstr("From: a@example.net\r\n\r\nbody\r\n");
	a->headers = NULL;
	x->received_at = 1767225600;
	x->expires_at = 1767225600;
	return (x);
}

/* Writes x, reads it back, writes again; returns the read copy. */
static struct external_report *
round_trip(const struct external_report *x, const char *name)
{
	struct external_report *y = NULL;
	struct parse_error err = { "" };
	char   *a, *b;
	size_t	alen = 0;

	a = record_json_write(x, RECORD_JSON_TYPE, &alen);
	ok(a != NULL && strlen(a) == alen, "%s: written", name);
	if (a == NULL)
		return (NULL);
	if (!is_int(record_json_read(a, alen, &y, &err), PARSE_OK, name))
		diag("reason: %s", err.reason);
	b = y ? record_json_write(y, RECORD_JSON_TYPE, NULL) : NULL;
	if (!is_str(b, a, "written again, same text"))
		diag("first: %s", a);
	free(a);
	free(b);
	return (y);
}

static int
contains(const char *hay, const char *needle, const char *name)
{
	int	found = hay != NULL && strstr(hay, needle) != NULL;

	if (!ok(found, "%s", name))
		diag("'%s' not in %s", needle, hay ? hay : "(null)");
	return (found);
}

static void
test_dmarc_object(void)
{
	struct external_report *x, *y;
	char   *s;

	x = full_dmarc();
	y = round_trip(x, "DmarcExternalReport round trip");
	s = record_json_write(x, RECORD_JSON_TYPE, NULL);
	contains(s, "{\"@type\":\"DmarcExternalReport\",\"id\":\"a1\",\"report\":"
	    "{\"version\":2.0,", "@type first, then id and report");
	contains(s, "\"dateRangeBegin\":\"2023-11-14T22:13:20Z\"", "RFC 3339 UTC");
	contains(s, "\"policyFailureReportingOptions\":[\"any\",\"spfFailure\"]",
	    "fo options");
	contains(s, "\"count\":18446744073709551615", "64-bit count");
	contains(s, "\"envelopeTo\":null", "absent optional is null");
	contains(s, "\"policyOverrideReasons\":[{\"overrideType\":\"MailingList\","
	    "\"comment\":\"list \\\"x\\\" \\\\ / é\"}", "override and escaping");
	contains(s, "\"result\":\"softFail\"", "spf spelling");
	contains(s, "\"scope\":\"mailFrom\"", "scope spelling");
	contains(s, "\"receivedAt\":\"2026-01-01T00:00:00Z\","
	    "\"expiresAt\":\"2026-01-31T00:00:00Z\",\"memberTenantId\":null}",
	    "envelope fields close the object");
	ok(y && y->report->u.dmarc.n_records == 2 &&
	    y->report->u.dmarc.records[1].count == 18446744073709551615ULL,
	    "records read back");
	free(s);
	external_report_free(y);
	external_report_free(x);
}

static void
test_tls_arf_objects(void)
{
	struct external_report *x, *y;
	char   *s;

	x = full_tls();
	y = round_trip(x, "TlsExternalReport round trip");
	s = record_json_write(x, 0, NULL);
	contains(s, "\"policyType\":\"noPolicyFound\",\"policyStrings\":[],"
	    "\"policyDomain\":\"\",\"mxHosts\":[]", "empty lists are []");
	contains(s, "\"resultType\":\"certificateExpired\"", "result type");
	ok(strstr(s, "@type") == NULL && strstr(s, "\"id\":null") != NULL,
	    "no @type unless asked; id null before the store assigns one");
	free(s);
	s = record_json_write(x, RECORD_JSON_PRETTY, NULL);
	contains(s, "\"policyStrings\": [],", "pretty: an empty list is []");
	contains(s, "\n  \"report\": {\n    \"organizationName\": \"Company-X\",",
	    "pretty: two spaces per level");
	free(s);
	external_report_free(y);
	external_report_free(x);

	x = full_arf();
	y = round_trip(x, "ArfExternalReport round trip");
	s = record_json_write(x, 0, NULL);
	contains(s, "\"feedbackType\":\"authFailure\",\"arrivalDate\":"
	    "\"2005-03-08T19:00:00Z\"", "arf type and date");
	contains(s, "\"identityAlignment\":\"dkimSpf\"", "alignment");
	contains(s, "\"sourcePort\":65535", "port");
	contains(s, "\"headers\":null", "headers null");
	free(s);
	external_report_free(y);
	external_report_free(x);
}

/* Sets enum kind e to value v in the object x (one field per enum). */
static void
set_enum(struct external_report *x, enum record_enum e, int v)
{
	struct dmarc_report *d = &x->report->u.dmarc;
	struct tls_report *t = &x->report->u.tls;
	struct arf_report *a = &x->report->u.arf;

	switch (e) {
	case RENUM_DMARC_ALIGNMENT: d->policy_adkim = v; break;
	case RENUM_DMARC_DISPOSITION: d->policy_disposition = v; break;
	case RENUM_DMARC_FO: d->policy_fo = 1u << v; break;
	case RENUM_DMARC_ACTION: d->records[0].evaluated_disposition = v; break;
	case RENUM_DMARC_RESULT: d->records[0].evaluated_dkim = v; break;
	case RENUM_DMARC_OVERRIDE: d->records[0].overrides[0].type = v; break;
	case RENUM_DKIM_RESULT: d->records[0].dkim[0].result = v; break;
	case RENUM_SPF_SCOPE: d->records[0].spf[0].scope = v; break;
	case RENUM_SPF_RESULT: d->records[0].spf[0].result = v; break;
	case RENUM_TLS_POLICY_TYPE: t->policies[0].policy_type = v; break;
	case RENUM_TLS_RESULT_TYPE:
		t->policies[0].failures[0].result_type = v;
		break;
	case RENUM_ARF_FEEDBACK_TYPE: a->feedback_type = v; break;
	case RENUM_ARF_AUTH_FAILURE: a->auth_failure = v; break;
	case RENUM_ARF_DELIVERY_RESULT: a->delivery_result = v; break;
	case RENUM_ARF_IDENTITY_ALIGNMENT: a->identity_alignment = v; break;
	case RENUM_COUNT: break;
	}
}

static struct external_report *
object_for(enum record_enum e)
{
	if (e <= RENUM_SPF_RESULT)
		return (full_dmarc());
	if (e <= RENUM_TLS_RESULT_TYPE)
		return (full_tls());
	return (full_arf());
}

static void
test_every_enum(void)
{
	struct external_report *x, *y;
	struct parse_error err;
	enum record_enum e;
	char   *a, *b, want[128];
	int	v, good;

	for (e = 0; e < RENUM_COUNT; e++) {
		good = 1;
		for (v = 0; v < record_enum_count(e); v++) {
			x = object_for(e);
			set_enum(x, e, v);
			a = record_json_write(x, 0, NULL);
			y = NULL;
			err.reason[0] = '\0';
			record_json_read(a, strlen(a), &y, &err);
			b = y ? record_json_write(y, 0, NULL) : NULL;
			snprintf(want, sizeof(want), "\"%s\"",
			    record_enum_name(e, v));
			if (b == NULL || strcmp(a, b) != 0 ||
			    strstr(a, want) == NULL) {
				diag("enum %d value %s: %s", (int) e, want,
				    err.reason);
				good = 0;
			}
			free(a);
			free(b);
			external_report_free(x);
			external_report_free(y);
		}
		ok(good, "enum %d: all %d values round-trip", (int) e,
		    record_enum_count(e));
	}
}

static void
test_bad_input(void)
{
	static const char *const bad[] = {
		"", "{", "[]", "{\"report\":{}}",
		"{\"@type\":\"DmarcExternalReport\",\"report\":{\"reportId\":\"x\"}}",
		"{\"@type\":\"Nope\",\"report\":{}}",
		"{\"report\":{\"policies\":[],\"reportId\":\"x\",\"dateRangeStart\":"
		    "\"2026-01-01T00:00:00Z\",\"dateRangeEnd\":\"yesterday\"}}",
		"{\"report\":{\"feedbackType\":\"spam!\"},\"receivedAt\":"
		    "\"2026-01-01T00:00:00Z\",\"expiresAt\":\"2026-01-01T00:00:00Z\"}",
	};
	struct external_report *y;
	struct parse_error err;
	size_t	i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.reason[0] = '\0';
		y = (void *) 1;
		ok(record_json_read(bad[i], strlen(bad[i]), &y, &err) ==
		    PARSE_INVALID && y == NULL && err.reason[0] != '\0',
		    "refused with a reason: %s", err.reason);
	}
}

static void
test_time(void)
{
	char	buf[32];

	record_json_time(0, buf, sizeof(buf));
	is_str(buf, "1970-01-01T00:00:00Z", "epoch");
	record_json_time(951782400, buf, sizeof(buf));
	is_str(buf, "2000-02-29T00:00:00Z", "leap day 2000");
	record_json_time(4102444799LL, buf, sizeof(buf));
	is_str(buf, "2099-12-31T23:59:59Z", "end of 2099");
	record_json_time(-1, buf, sizeof(buf));
	is_str(buf, "1969-12-31T23:59:59Z", "before the epoch");
}

/*
 * A report printed whole and printed as head, records one by one, tail
 * (as the store streams a big one) must be the same text; a chunk of
 * records goes through the array codec and zbuf unchanged.
 */
static void
test_streaming(void)
{
	static const unsigned flags[] = { RECORD_JSON_TYPE,
	    RECORD_JSON_TYPE | RECORD_JSON_PRETTY };
	struct external_report *x = full_dmarc();
	struct dmarc_report *d = &x->report->u.dmarc;
	struct dmarc_record *recs = d->records, *back;
	struct parse_error err = { "" };
	size_t	n = d->n_records, nback, i, j, len, zlen, ilen;
	char   *whole, *head, *tail, *rec, *z, *inflated, *again;
	char	buf[65536];
	int	k;

	for (k = 0; k < 2; k++) {
		d->records = recs;
		d->n_records = n;
		whole = record_json_write(x, flags[k], NULL);
		d->records = NULL;
		d->n_records = 0;
		if (record_json_write_split(x, flags[k], 1, &head, &tail) < 0)
			abort();
		snprintf(buf, sizeof(buf), "%s", head);
		for (i = 0; i < n; i++) {
			rec = record_json_write_record(&recs[i], flags[k], NULL);
			if (i > 0)
				strcat(buf, ",");
			strcat(buf, rec);
			free(rec);
		}
		strcat(buf, tail);
		is_str(buf, whole, k ? "pretty: head + records + tail is the whole"
		    : "compact: head + records + tail is the whole");
		free(head);
		free(tail);
		free(whole);
		whole = record_json_write(x, flags[k], NULL);
		record_json_write_split(x, flags[k], 0, &head, &tail);
		snprintf(buf, sizeof(buf), "%s%s", head, tail);
		is_str(buf, whole, "no records: head + tail is the whole");
		free(head);
		free(tail);
		free(whole);
	}
	/* The chunk writer's text is json-c's: compare with the whole report. */
	free(recs[0].header_from);
	recs[0].header_from = xstr("ctl \x01\t\x1f\x7f \"q\" \\ /");
	for (k = 0; k < 2; k++) {
		char   *list;

		d->records = recs;
		d->n_records = n;
		whole = record_json_write(x, flags[k], NULL);
		d->records = NULL;
		d->n_records = 0;
		record_json_write_split(x, flags[k], 1, &head, &tail);
		list = record_json_write_record_list(recs, 1, flags[k], 1, NULL);
		rec = record_json_write_record_list(recs + 1, n - 1, flags[k], 0,
		    NULL);
		snprintf(buf, sizeof(buf), "%s%s%s%s", head, list, rec, tail);
		is_str(buf, whole, k ? "pretty: a list of records, escapes "
		    "as json-c's" : "compact: a list of records, escapes as "
		    "json-c's");
		free(list);
		free(rec);
		free(head);
		free(tail);
		free(whole);
	}
	d->records = recs;
	d->n_records = n;
	whole = record_json_write(x, 0, &len);
	d->records = NULL;
	d->n_records = 0;
	record_json_write_split(x, 0, 1, &head, &tail);
	snprintf(buf, sizeof(buf), "[%.*s]", (int) (len - strlen(head) -
	    strlen(tail)), whole + strlen(head));
	free(head);
	free(tail);
	free(whole);
	whole = record_json_write_records(recs, n, &len);
	is_str(whole, buf, "a chunk is written as json-c writes the records");
	ok(len == strlen(buf), "  and its length is right");
	ok(zbuf_deflate(whole, len, &z, &zlen) == PARSE_OK, "deflate a chunk");
	ok(zbuf_inflate(z, zlen, len, &inflated, &ilen, &err) == PARSE_OK &&
	    ilen == len && memcmp(inflated, whole, len) == 0,
	    "inflate gives it back");
	free(inflated);
	{
		static char as[100000];
		char   *za;
		size_t	zalen;

		memset(as, 'a', sizeof(as));
		zbuf_deflate(as, sizeof(as), &za, &zalen);
		ok(zbuf_inflate(za, zalen, sizeof(as), &inflated, &ilen, &err) ==
		    PARSE_OK && ilen == sizeof(as),
		    "inflate to exactly the cap, in many steps: ok");
		free(inflated);
		ok(zbuf_inflate(za, zalen, sizeof(as) - 1, &inflated, &ilen,
		    &err) == PARSE_LIMIT, "one byte past the cap: limit");
		free(za);
	}
	ok(zbuf_inflate(z, zlen, len - 1, &inflated, &ilen, &err) ==
	    PARSE_LIMIT && inflated == NULL, "inflate past the cap: limit");
	err.reason[0] = '\0';
	ok(zbuf_inflate(z, zlen / 2, len, &inflated, &ilen, &err) ==
	    PARSE_INVALID && err.reason[0] != '\0', "truncated: invalid, %s",
	    err.reason);
	err.reason[0] = '\0';
	ok(zbuf_inflate("junk", 4, len, &inflated, &ilen, &err) ==
	    PARSE_INVALID, "not zlib: invalid");
	free(z);
	ok(record_json_read_records(whole, len, &back, &nback, &err) ==
	    PARSE_OK && nback == n, "the chunk reads back: %zu records", nback);
	again = record_json_write_records(back, nback, NULL);
	is_str(again, whole, "and writes the same text again");
	for (j = 0; j < nback; j++)
		dmarc_record_clear(&back[j]);
	free(back);
	free(again);
	free(whole);
	ok(record_json_read_records("{}", 2, &back, &nback, &err) ==
	    PARSE_INVALID, "an object is not a chunk");
	d->records = recs;
	d->n_records = n;
	external_report_free(x);
}

/* The policy domains of the TLS object text, joined by ','; or "FAIL: why". */
static const char *
tls_domains(const char *text)
{
	static char out[256];
	struct external_report *y;
	struct parse_error err = { "" };
	size_t	i, n = 0;

	if (record_json_read(text, strlen(text), &y, &err) != PARSE_OK) {
		snprintf(out, sizeof(out), "FAIL: %.200s", err.reason);
		return (out);
	}
	out[0] = '\0';
	for (i = 0; i < y->report->u.tls.n_policies; i++)
		n += snprintf(out + n, sizeof(out) - n, "%s%s", i ? "," : "",
		    y->report->u.tls.policies[i].policy_domain);
	external_report_free(y);
	return (out);
}

#define TLS_OBJ(p) "{\"@type\":\"TlsExternalReport\",\"report\":{" \
	"\"reportId\":\"x\",\"dateRangeStart\":\"2026-01-01T00:00:00Z\"," \
	"\"dateRangeEnd\":\"2026-01-02T00:00:00Z\"," p "},\"receivedAt\":" \
	"\"2026-01-03T00:00:00Z\",\"expiresAt\":\"2026-02-02T00:00:00Z\"}"
#define TLS_POL(d) "{\"policyType\":\"sts\",\"policyDomain\":\"" d "\"}"

/* A TLS report's policies are read one tree at a time, as a whole would be. */
static void
test_tls_policies(void)
{
	is_str(tls_domains(TLS_OBJ("\"policies\":[" TLS_POL("a") ", "
	    TLS_POL("b") "]")), "a,b", "TLS policies one at a time");
	is_str(tls_domains(TLS_OBJ("\"policies\":[" TLS_POL("a") "],"
	    "\"policies\":[" TLS_POL("b") "]")), "b",
	    "of two policies members, the last (as json-c)");
	is_str(tls_domains(TLS_OBJ("\"polic\\u0069es\":[" TLS_POL("e") "]")),
	    "e", "a member name written with an escape: read whole");
	is_str(tls_domains(TLS_OBJ("\"policies\":[" TLS_POL("a") ",7]")),
	    "FAIL: member \"policies\": not an object",
	    "a policy that is not an object is refused");
	is_str(tls_domains(TLS_OBJ("\"policies\":[" TLS_POL("a") ",{\"x\" 1}]")),
	    "FAIL: JSON not well-formed: object property name separator ':' "
	    "expected", "a policy that is not JSON is refused");
	is_str(tls_domains(TLS_OBJ("\"policies\":[" TLS_POL("a\\\"]}") "]")),
	    "a\"]}", "a string with an escaped quote and closers");
	is_str(tls_domains(TLS_OBJ("\"policies\":[" TLS_POL("a") "],"
	    "\"polic\\u0069es\":[" TLS_POL("b1") "," TLS_POL("b2") ","
	    TLS_POL("b3") "]")), "b1,b2,b3",
	    "a later namesake written with an escape wins, as in json-c");
	is_str(tls_domains(TLS_OBJ("\"policies\":[{\"policyDomain\":5},"
	    "{\"policyDomain\":tru}]")), "FAIL: JSON not well-formed: "
	    "boolean expected", "a policy not JSON is said before a bad one");
	is_str(tls_domains("{\"@type\":\"TlsExternalReport\",\"report\":{"
	    "\"reportId\":\"x\",\"dateRangeStart\":\"2026-01-01T00:00:00Z\","
	    "\"dateRangeEnd\":\"2026-01-02T00:00:00Z\",\"policies\":["
	    "{\"policyDomain\":tru}]},\"receivedAt\":\"never\"}"),
	    "FAIL: JSON not well-formed: boolean expected",
	    "a policy not JSON is said before a bad receivedAt");
}

int
main(void)
{
	test_dmarc_object();
	test_tls_arf_objects();
	test_every_enum();
	test_bad_input();
	test_time();
	test_streaming();
	test_tls_policies();
	return (done_testing());
}
