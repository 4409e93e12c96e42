/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	test_rq_where - report-query's --where clauses, read and evaluated
 * PURPOSE
 *	The grammar (what is refused, and why), the time and IP values, and
 *	the verdict of each field on hand-made DMARC, TLS and ARF reports,
 *	with the records of a DMARC report streamed as the store streams
 *	them, and the host clauses through a host function of the test's
 *	own. Expected epoch values were computed with Python's datetime.
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "timeparse.h"
#include "rq_where.h"

#define T_20260131	1769817600	/* 2026-01-31T00:00:00Z */
#define T_20260201	1769904000	/* 2026-02-01T00:00:00Z */

static void
grammar(void)
{
	static const struct { const char *expr; enum record_type type;
	    const char *why; } bad[] = {
		{ "nofield=1", RECORD_DMARC, "is no field" },
		{ "domain", RECORD_DMARC, "is not FIELD OP VALUE" },
		{ "domain=", RECORD_DMARC, "is not FIELD OP VALUE" },
		{ "domain<x", RECORD_DMARC, "does not take '<'" },
		{ "text=x", RECORD_DMARC, "does not take '='" },
		{ "dmarc=maybe", RECORD_DMARC, "'pass' or 'fail'" },
		{ "ip=300.1.1.1", RECORD_DMARC, "not an IP address" },
		{ "ip=10.0.0.0/33", RECORD_DMARC, "not an IP address" },
		{ "ip=10.0.0.0/", RECORD_DMARC, "not an IP address" },
		{ "received>=yesterday", RECORD_DMARC, "not a date" },
		{ "date=2026-02-30", RECORD_DMARC, "not a date" },
		{ "tls-failed>x", RECORD_TLS, "not a number" },
		{ "tls-failed>-1", RECORD_TLS, "not a number" },
		{ "feedback-type=abuse", RECORD_DMARC, "does not apply" },
		{ "report-id=1", RECORD_ARF, "does not apply" },
		{ "dmarc=pass", RECORD_TLS, "does not apply" },
		{ "feedback-type=spam", RECORD_ARF, "not a feedback type" },
		{ "authenticated=yes", RECORD_TLS, "'true', 'false' or 'null'" },
		{ "authenticated~true", RECORD_DMARC, "does not take '~'" },
	};
	struct rq_where w;
	char	why[256];
	size_t	i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rq_where_init(&w, bad[i].type);
		why[0] = '\0';
		if (!ok(rq_where_add(&w, bad[i].expr, why, sizeof(why)) == -1 &&
		    strstr(why, bad[i].why) != NULL && w.n == 0,
		    "refused: %s", bad[i].expr))
			diag("why: %s", why);
		rq_where_clear(&w);
	}
	rq_where_init(&w, RECORD_ARF);
	ok(rq_where_add(&w, "feedback-type=auth-failure", why,
	    sizeof(why)) == 0 && w.v[0].value == 1 && w.v[0].op == RQ_OP_EQ,
	    "auth-failure is authFailure");
	ok(rq_where_add(&w, "text!~a<b=c", why, sizeof(why)) == 0 &&
	    w.v[1].op == RQ_OP_HASNT && strcmp(w.v[1].text, "a<b=c") == 0,
	    "the value is everything after the first operator");
	rq_where_clear(&w);
	for (i = 0; i < RQ_WHERE_MAX; i++)
		(void) rq_where_add(&w, "domain=x", why, sizeof(why));
	ok(rq_where_add(&w, "domain=x", why, sizeof(why)) == -1 &&
	    strstr(why, "more than") != NULL, "at most RQ_WHERE_MAX clauses");
	rq_where_clear(&w);
}

static void
values(void)
{
	unsigned char ip[16], want4[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff, 192, 0, 2, 0 };
	unsigned prefix;
	int64_t	lo, hi;

	ok(rq_where_time("2026-01-31", &lo, &hi) == 0 && lo == T_20260131 &&
	    hi == T_20260201, "a date is its whole UTC day");
	ok(rq_where_time("2026-01-31T12:00:00+01:00", &lo, &hi) == 0 &&
	    lo == T_20260131 + 11 * 3600 && hi == lo + 1,
	    "an RFC 3339 time is its second");
	ok(rq_where_time("2026-1-31", &lo, &hi) == -1, "2026-1-31 refused");
	ok(rq_where_ip("192.0.2.77/24", ip, &prefix) == 0 && prefix == 120 &&
	    memcmp(ip, want4, 16) == 0, "IPv4 block: mapped, host bits cleared");
	ok(rq_where_ip("192.0.2.1", ip, &prefix) == 0 && prefix == 128,
	    "an IPv4 address is a /32");
	ok(rq_where_ip("2001:db8::1/32", ip, &prefix) == 0 && prefix == 32 &&
	    ip[0] == 0x20 && ip[1] == 0x01 && ip[2] == 0x0d && ip[3] == 0xb8 &&
	    ip[15] == 0, "IPv6 block");
	ok(rq_where_ip("example.com", ip, &prefix) == -1, "a name is no IP");
}

static void
record(struct dmarc_record *r, const char *ip, uint64_t count,
    enum dmarc_result dkim, enum dmarc_result spf)
{
	memset(r, 0, sizeof(*r));
	r->source_ip = record_strdup(ip);
	r->count = count;
	r->evaluated_dkim = dkim;
	r->evaluated_spf = spf;
	r->envelope_from = strdup("");
	r->header_from = strdup("example.com");
}

static struct external_report *
dmarc_report(void)
{
	struct external_report *x = external_report_new();
	struct dmarc_report *d;

	x->report = report_new(RECORD_DMARC);
	d = &x->report->u.dmarc;
	d->org_name = strdup("google.com");
	d->email = strdup("noreply-dmarc-support@google.com");
	d->report_id = strdup("123");
	d->policy_domain = strdup("Example.COM");
	d->date_range_begin = T_20260131;
	d->date_range_end = T_20260201 - 1;
	x->id = strdup("0000001");
	x->received_at = T_20260201 + 36000;	/* 10:00 */
	x->expires_at = x->received_at + 30 * 86400;
	return (x);
}

/* The verdict of one clause list on x, records streamed in batches of 1. */
static int
verdict(const char *const *exprs, enum record_type type,
    const struct external_report *x, const struct dmarc_record *recs,
    size_t n, int *needed)
{
	struct rq_where w;
	struct rq_match m;
	enum rq_verdict v;
	char	why[256];
	size_t	i;
	int	result;

	rq_where_init(&w, type);
	for (i = 0; exprs[i] != NULL; i++)
		if (rq_where_add(&w, exprs[i], why, sizeof(why)) != 0) {
			diag("%s: %s", exprs[i], why);
			rq_where_clear(&w);
			return (-1);
		}
	v = rq_match_report(&m, &w, x);
	*needed = v == RQ_MATCH_RECORDS;
	if (v == RQ_MATCH_RECORDS) {
		for (i = 0; i < n && rq_match_records(&m, &recs[i], 1) == 0; i++)
			;
		result = rq_match_result(&m);
	} else
		result = v == RQ_MATCH_YES;
	rq_where_clear(&w);
	return (result);
}

#define E(...)	((const char *const []) { __VA_ARGS__, NULL })

static void
check(const char *name, const char *const *exprs, enum record_type type,
    const struct external_report *x, const struct dmarc_record *recs,
    size_t n, int want, int want_records)
{
	int	needed, got = verdict(exprs, type, x, recs, n, &needed);

	if (!ok(got == want && needed == want_records, "%s", name))
		diag("got %d (records %s), want %d (records %s)", got,
		    needed ? "read" : "not read", want,
		    want_records ? "read" : "not read");
}

static void
dmarc(void)
{
	struct external_report *x = dmarc_report();
	struct dmarc_record r[2], good[1];

	record(&r[0], "192.0.2.1", 3, DMARC_RESULT_PASS, DMARC_RESULT_FAIL);
	record(&r[1], "2001:db8::1", 2, DMARC_RESULT_FAIL, DMARC_RESULT_FAIL);
	record(&good[0], "192.0.2.9", 1, DMARC_RESULT_FAIL, DMARC_RESULT_PASS);
	check("domain= ignores case", E("domain=example.com"), RECORD_DMARC,
	    x, r, 2, 1, 0);
	check("domain= is the whole domain", E("domain=ample.com"),
	    RECORD_DMARC, x, r, 2, 0, 0);
	check("domain~ is a substring", E("domain~AMPLE"), RECORD_DMARC, x,
	    r, 2, 1, 0);
	check("domain!=", E("domain!=example.com"), RECORD_DMARC, x, r, 2, 0,
	    0);
	check("reporter= org name", E("reporter=Google.com"), RECORD_DMARC,
	    x, r, 2, 1, 0);
	check("reporter= e-mail", E("reporter=noreply-dmarc-support@google.com"),
	    RECORD_DMARC, x, r, 2, 1, 0);
	check("reporter= is not a substring", E("reporter=google"),
	    RECORD_DMARC, x, r, 2, 0, 0);
	check("report-id=", E("report-id=123"), RECORD_DMARC, x, r, 2, 1, 0);
	check("date= the day the period begins", E("date=2026-01-31"),
	    RECORD_DMARC, x, r, 2, 1, 0);
	check("date< before that day", E("date<2026-01-31"), RECORD_DMARC, x,
	    r, 2, 0, 0);
	check("date<= up to its end", E("date<=2026-01-31"), RECORD_DMARC, x,
	    r, 2, 1, 0);
	check("date> after its end", E("date>2026-01-31"), RECORD_DMARC, x, r,
	    2, 0, 0);
	check("date>= from its start", E("date>=2026-01-31"), RECORD_DMARC, x,
	    r, 2, 1, 0);
	check("received< a date", E("received<2026-02-01"), RECORD_DMARC, x,
	    r, 2, 0, 0);
	check("received range", E("received>=2026-02-01",
	    "received<2026-02-01T10:00:01Z"), RECORD_DMARC, x, r, 2, 1, 0);
	check("received> a second", E("received>2026-02-01T10:00:00Z"),
	    RECORD_DMARC, x, r, 2, 0, 0);
	check("expires>", E("expires>2026-03-02"), RECORD_DMARC, x, r, 2, 1,
	    0);
	check("ip= a block, from the records", E("ip=192.0.2.0/24"),
	    RECORD_DMARC, x, r, 2, 1, 1);
	check("ip= no record has it", E("ip=198.51.100.1"), RECORD_DMARC, x,
	    r, 2, 0, 1);
	check("ip= IPv6 block", E("ip=2001:db8::/32"), RECORD_DMARC, x, r, 2,
	    1, 1);
	check("ip= a v4 block does not hold v6", E("ip=0.0.0.0/0"),
	    RECORD_DMARC, x, &r[1], 1, 0, 1);
	check("ip!= some record has it", E("ip!=192.0.2.1"), RECORD_DMARC, x,
	    r, 2, 0, 1);
	check("dmarc=fail: a record failed both", E("dmarc=fail"),
	    RECORD_DMARC, x, r, 2, 1, 1);
	check("dmarc=pass: a record passed DKIM", E("dmarc=pass"),
	    RECORD_DMARC, x, r, 2, 1, 1);
	check("dmarc!=fail: not when one failed", E("dmarc!=fail"),
	    RECORD_DMARC, x, r, 2, 0, 1);
	check("dmarc=fail: SPF pass alone passes", E("dmarc=fail"),
	    RECORD_DMARC, x, good, 1, 0, 1);
	check("dmarc!=fail: every record passed", E("dmarc!=fail"),
	    RECORD_DMARC, x, good, 1, 1, 1);
	check("dmarc=fail: a report without records", E("dmarc=fail"),
	    RECORD_DMARC, x, NULL, 0, 0, 1);
	check("text~ in the head: records not read", E("text~NOREPLY-DMARC"),
	    RECORD_DMARC, x, r, 2, 1, 0);
	check("text~ in a record", E("text~2001:db8::1"), RECORD_DMARC, x, r,
	    2, 1, 1);
	check("text!~ found in a record", E("text!~2001:db8::1"),
	    RECORD_DMARC, x, r, 2, 0, 1);
	check("clauses are ANDed, each over the records",
	    E("domain=example.com", "dmarc=fail", "ip=192.0.2.1"),
	    RECORD_DMARC, x, r, 2, 1, 1);
	check("a clause that fails on the object ends it",
	    E("domain=other.example", "dmarc=fail"), RECORD_DMARC, x, r, 2, 0,
	    0);
	check("a TLS query never matches a DMARC report", E("domain=example.com"),
	    RECORD_TLS, x, r, 2, 0, 0);
	dmarc_record_clear(&r[0]);
	dmarc_record_clear(&r[1]);
	dmarc_record_clear(&good[0]);
	external_report_free(x);
}

static void
stops_early(void)
{
	struct external_report *x = dmarc_report();
	struct dmarc_record r[3];
	struct rq_where w;
	struct rq_match m;
	char	why[64];

	record(&r[0], "192.0.2.1", 1, DMARC_RESULT_FAIL, DMARC_RESULT_FAIL);
	record(&r[1], "192.0.2.2", 1, DMARC_RESULT_PASS, DMARC_RESULT_PASS);
	record(&r[2], "192.0.2.3", 1, DMARC_RESULT_PASS, DMARC_RESULT_PASS);
	rq_where_init(&w, RECORD_DMARC);
	(void) rq_where_add(&w, "dmarc=fail", why, sizeof(why));
	ok(rq_match_report(&m, &w, x) == RQ_MATCH_RECORDS &&
	    rq_match_records(&m, r, 3) == 1 && rq_match_result(&m),
	    "a record that settles it: streaming may stop");
	rq_where_clear(&w);
	(void) rq_where_add(&w, "ip=10.0.0.1", why, sizeof(why));
	ok(rq_match_report(&m, &w, x) == RQ_MATCH_RECORDS &&
	    rq_match_records(&m, r, 3) == 0 && !rq_match_result(&m),
	    "nothing settles a clause that never holds");
	rq_where_clear(&w);
	(void) rq_where_add(&w, "ip!=192.0.2.1", why, sizeof(why));
	ok(rq_match_report(&m, &w, x) == RQ_MATCH_RECORDS &&
	    rq_match_records(&m, r, 1) == 1 && !rq_match_result(&m),
	    "a negated clause that held settles it as no");
	rq_where_clear(&w);
	dmarc_record_clear(&r[0]);
	dmarc_record_clear(&r[1]);
	dmarc_record_clear(&r[2]);
	external_report_free(x);
}

static struct external_report *
tls_report(void)
{
	struct external_report *x = external_report_new();
	struct tls_report *t;

	x->report = report_new(RECORD_TLS);
	t = &x->report->u.tls;
	t->organization_name = strdup("Google Inc.");
	t->contact_info = strdup("smtp-tls-reporting@google.com");
	t->report_id = strdup("2026-01-31T00:00:00Z_example.com");
	t->date_range_start = T_20260131;
	t->date_range_end = T_20260201 - 1;
	t->policies = calloc(2, sizeof(*t->policies));
	t->n_policies = 2;
	t->policies[0].policy_domain = strdup("example.com");
	t->policies[0].total_successful_sessions = 10;
	t->policies[0].total_failed_sessions = 3;
	t->policies[1].policy_domain = strdup("mail.example.org");
	t->policies[1].total_failed_sessions = 2;
	t->policies[1].failures = calloc(1, sizeof(struct tls_failure));
	t->policies[1].n_failures = 1;
	t->policies[1].failures[0].sending_mta_ip = strdup("203.0.113.5");
	t->policies[1].failures[0].failed_session_count = 2;
	x->received_at = T_20260201;
	return (x);
}

static void
tls(void)
{
	struct external_report *x = tls_report();

	check("TLS domain= any policy", E("domain=mail.example.org"),
	    RECORD_TLS, x, NULL, 0, 1, 0);
	check("TLS domain!= when one policy has it", E("domain!=example.com"),
	    RECORD_TLS, x, NULL, 0, 0, 0);
	check("TLS tls-failed>0", E("tls-failed>0"), RECORD_TLS, x, NULL, 0, 1,
	    0);
	check("TLS tls-failed= sums the policies", E("tls-failed=5"),
	    RECORD_TLS, x, NULL, 0, 1, 0);
	check("TLS tls-failed<5", E("tls-failed<5"), RECORD_TLS, x, NULL, 0,
	    0, 0);
	check("TLS ip= a sending MTA", E("ip=203.0.113.0/24"), RECORD_TLS, x,
	    NULL, 0, 1, 0);
	check("TLS reporter= contact", E("reporter=smtp-tls-reporting@google.com"),
	    RECORD_TLS, x, NULL, 0, 1, 0);
	check("TLS reporter~ organization", E("reporter~google"), RECORD_TLS,
	    x, NULL, 0, 1, 0);
	check("TLS report-id=", E("report-id=2026-01-31T00:00:00Z_EXAMPLE.COM"),
	    RECORD_TLS, x, NULL, 0, 1, 0);
	external_report_free(x);
}

static void
arf(void)
{
	struct external_report *x = external_report_new();
	struct arf_report *a;

	x->report = report_new(RECORD_ARF);
	a = &x->report->u.arf;
	a->feedback_type = ARF_FEEDBACK_AUTH_FAILURE;
	a->source_ip = strdup("192.0.2.77");
	(void) strlist_add_str(&a->reported_domains, "example.net");
	(void) strlist_add_str(&a->reported_domains, "example.org");
	free(x->from);
	x->from = strdup("abuse@isp.example");
	check("ARF feedback-type=auth-failure", E("feedback-type=auth-failure"),
	    RECORD_ARF, x, NULL, 0, 1, 0);
	check("ARF feedback-type!=abuse", E("feedback-type!=abuse"),
	    RECORD_ARF, x, NULL, 0, 1, 0);
	check("ARF domain= a reported domain", E("domain=example.org"),
	    RECORD_ARF, x, NULL, 0, 1, 0);
	check("ARF ip=", E("ip=192.0.2.77"), RECORD_ARF, x, NULL, 0, 1, 0);
	check("ARF reporter= the mail's From", E("reporter=abuse@isp.example"),
	    RECORD_ARF, x, NULL, 0, 1, 0);
	check("ARF date: no arrival date never matches", E("date<2100-01-01"),
	    RECORD_ARF, x, NULL, 0, 0, 0);
	a->has_arrival_date = true;
	a->arrival_date = T_20260131 + 60;
	check("ARF date= the arrival day", E("date=2026-01-31"), RECORD_ARF, x,
	    NULL, 0, 1, 0);
	check("ARF text~ over the JSON", E("text~\"feedbackType\":\"authFailure\""),
	    RECORD_ARF, x, NULL, 0, 1, 0);
	check("ARF authenticated=null: no trusted field", E("authenticated=null"),
	    RECORD_ARF, x, NULL, 0, 1, 0);
	check("ARF authenticated=true: not so", E("authenticated=true"),
	    RECORD_ARF, x, NULL, 0, 0, 0);
	x->authenticated = RECORD_AUTH_PASS;
	check("ARF authenticated=true", E("authenticated=TRUE"), RECORD_ARF, x,
	    NULL, 0, 1, 0);
	check("ARF authenticated!=false", E("authenticated!=false"),
	    RECORD_ARF, x, NULL, 0, 1, 0);
	x->authenticated = RECORD_AUTH_FAIL;
	check("ARF authenticated=false", E("authenticated=false"), RECORD_ARF,
	    x, NULL, 0, 1, 0);
	check("ARF authenticated!=false: not so", E("authenticated!=false"),
	    RECORD_ARF, x, NULL, 0, 0, 0);
	external_report_free(x);
}

/* What the host clauses see: 192.0.2.1 is known, 198.51.100.1 fails. */
static int host_calls;

static int
fake_host(void *arg, const char *ip, struct rq_where_host *h)
{
	(void) arg;
	host_calls++;
	if (strcmp(ip, "198.51.100.1") == 0)
		return (-1);
	if (strcmp(ip, "192.0.2.1") != 0)
		return (0);
	h->service = "Google";
	h->base_domain = "example.net";
	h->country = "DE";
	h->asn = 64500;
	return (1);
}

/* The verdict of exprs on x's records r[0..n) with fake_host; -1: refused. */
static int
host_verdict(const char *const *exprs, const struct external_report *x,
    const struct dmarc_record *r, size_t n, int *fed)
{
	struct rq_where w;
	struct rq_match m;
	char	why[256];
	size_t	i;
	int	result = -1;

	rq_where_init(&w, RECORD_DMARC);
	w.host = fake_host;
	for (i = 0; exprs[i] != NULL; i++)
		if (rq_where_add(&w, exprs[i], why, sizeof(why)) != 0) {
			diag("%s: %s", exprs[i], why);
			rq_where_clear(&w);
			return (-1);
		}
	*fed = 0;
	if (rq_match_report(&m, &w, x) == RQ_MATCH_RECORDS) {
		for (i = 0; i < n && (*fed = rq_match_records(&m, &r[i], 1)) ==
		    0; i++)
			;
		result = *fed < 0 ? -2 : rq_match_result(&m);
	}
	rq_where_clear(&w);
	return (result);
}

static void
hosts(void)
{
	const struct { const char *const *exprs; int want; } cases[] = {
		{ E("service=google"), 1 },
		{ E("service=Microsoft"), 0 },
		{ E("service!=Google"), 0 },
		{ E("service~oog"), 1 },
		{ E("base-domain=EXAMPLE.net"), 1 },
		{ E("base-domain!=example.org"), 1 },
		{ E("country=de"), 1 },
		{ E("country!=DE"), 0 },
		{ E("asn=64500"), 1 },
		{ E("asn=AS64500"), 1 },
		{ E("asn=as64501"), 0 },
		{ E("asn!=64501"), 1 },
		{ E("service=Google", "country=DE", "asn=64500", "dmarc=fail"),
		    1 },
	};
	static const char *const refused[] = { "asn=0", "asn=x", "asn~645",
	    "asn=AS", "service<x", "country>=DE", "base-domain" };
	struct external_report *x = dmarc_report();
	struct dmarc_record r[3], bad[1];
	struct rq_where w;
	char	why[256];
	size_t	i;
	int	fed;

	record(&r[0], "2001:db8::1", 2, DMARC_RESULT_FAIL, DMARC_RESULT_FAIL);
	record(&r[1], "192.0.2.1", 3, DMARC_RESULT_PASS, DMARC_RESULT_FAIL);
	record(&r[2], "192.0.2.1", 1, DMARC_RESULT_FAIL, DMARC_RESULT_FAIL);
	record(&bad[0], "198.51.100.1", 1, DMARC_RESULT_PASS,
	    DMARC_RESULT_PASS);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int	got = host_verdict(cases[i].exprs, x, r, 3, &fed);

		if (!ok(got == cases[i].want, "host clause %s%s: %s",
		    cases[i].exprs[0], cases[i].exprs[1] ? " ..." : "",
		    cases[i].want ? "matches" : "does not"))
			diag("got %d", got);
	}
	host_calls = 0;
	ok(host_verdict(E("service=Google", "country=DE", "asn=64500"), x, r,
	    3, &fed) == 1 && host_calls == 2, "three host clauses: one lookup "
	    "a record, and none once they all hold");
	ok(host_verdict(E("service=Google"), x, &r[0], 1, &fed) == 0,
	    "an unknown source has no service");
	ok(host_verdict(E("service!=Google"), x, &r[0], 1, &fed) == 1,
	    "so service!= holds for it");
	ok(host_verdict(E("service=Google"), x, bad, 1, &fed) == -2,
	    "a lookup that fails stops the records with -1");
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		rq_where_init(&w, RECORD_DMARC);
		ok(rq_where_add(&w, refused[i], why, sizeof(why)) == -1,
		    "refused: %s (%s)", refused[i], why);
		rq_where_clear(&w);
	}
	rq_where_init(&w, RECORD_TLS);
	ok(rq_where_add(&w, "service=Google", why, sizeof(why)) == -1,
	    "service= is for DMARC reports only (%s)", why);
	rq_where_clear(&w);
	for (i = 0; i < 3; i++)
		dmarc_record_clear(&r[i]);
	dmarc_record_clear(&bad[0]);
	external_report_free(x);
}

/* Without a host function no source is known: nothing to match. */
static void
no_host_fn(void)
{
	struct external_report *x = dmarc_report();
	struct dmarc_record r[1];

	record(&r[0], "192.0.2.1", 1, DMARC_RESULT_PASS, DMARC_RESULT_PASS);
	check("service= without a host function: nothing known",
	    E("service=Google"), RECORD_DMARC, x, r, 1, 0, 1);
	check("service!= without a host function: holds",
	    E("service!=Google"), RECORD_DMARC, x, r, 1, 1, 1);
	dmarc_record_clear(&r[0]);
	external_report_free(x);
}

int
main(void)
{
	grammar();
	values();
	dmarc();
	hosts();
	no_host_fn();
	stops_early();
	tls();
	arf();
	return (done_testing());
}
