/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	test_rq_sum - summary figures, tables and query rows
 * PURPOSE
 *	The tally (counting, growing, sorting), the summary's sums over
 *	hand-made reports (a DMARC record passes on DKIM or SPF; counts are
 *	messages), the printed tables as text, CSV quoting and the query
 *	row of each type. Every expected figure is worked out in the
 *	comments from the reports built here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "rq_row.h"
#include "rq_sum.h"
#include "rq_table.h"
#include "rq_tally.h"

/* What fn printed into a memory stream, as a string the caller frees. */
static char *
printed(void (*fn)(void *, FILE *), void *arg)
{
	char   *buf = NULL;
	size_t	len = 0;
	FILE   *fp = open_memstream(&buf, &len);

	fn(arg, fp);
	fclose(fp);
	return (buf);
}

static void
tally(void)
{
	struct rq_tally *t = rq_tally_new();
	struct rq_tally_row **rows;
	char	key[32];
	size_t	n, i;
	int	all = 1;

	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "k%zu", i % 300);
		rq_tally_get(t, key)[0] += i % 300;
		rq_tally_get(t, key)[1]++;
	}
	is_int((intmax_t) rq_tally_count(t), 300, "300 distinct keys");
	rows = rq_tally_sorted(t, 0, &n);
	is_int((intmax_t) n, 300, "all rows sorted");
	/* k299 came at i = 299, 599 and 899: three times 299. */
	is_str(rows[0]->key, "k299", "largest first");
	is_int((intmax_t) rows[0]->v[0], 299 * 3, "counters add up");
	for (i = 1; i < n; i++)
		all = all && rows[i - 1]->v[0] >= rows[i]->v[0];
	ok(all, "sorted by the column, descending");
	free(rows);
	rows = rq_tally_sorted(t, 1, &n);
	/* k0..k99 were seen 4 times (i < 1000 and i % 300 < 100), by key. */
	ok(strcmp(rows[0]->key, "k0") == 0 && strcmp(rows[1]->key, "k1") == 0 &&
	    strcmp(rows[2]->key, "k10") == 0 && rows[0]->v[1] == 4,
	    "ties sorted by key");
	free(rows);
	rq_tally_free(t);
	t = rq_tally_new();
	ok(rq_tally_sorted(t, 0, &n) == NULL && n == 0, "empty: no rows");
	rq_tally_free(t);
}

static void
print_table(void *arg, FILE *fp)
{
	rq_table_print(arg, fp, "  ");
}

static void
table(void)
{
	static const char *const head[] = { "name", "n", "last" };
	const char *r1[] = { "\xc3\xa9t\xc3\xa9", "5", "a\tb" };
	const char *r2[] = { "x", "12345", NULL };
	char	longcell[80];
	const char *r3[] = { longcell, "1", "" };
	struct rq_table t;
	char   *out;

	rq_table_init(&t, 3, head, 1u << 1);
	rq_table_add(&t, r1);
	rq_table_add(&t, r2);
	out = printed(print_table, &t);
	/* "été" is 3 characters wide; the tab becomes '?'; NULL is "-". */
	is_str(out, "  name      n  last\n"
	    "  \xc3\xa9t\xc3\xa9       5  a?b\n"
	    "  x     12345  -\n", "columns, right-aligned numbers, UTF-8 width");
	free(out);
	memset(longcell, 'a', 60);
	longcell[60] = '\0';
	rq_table_add(&t, r3);
	is_int((intmax_t) strlen(t.cells.v[6]), RQ_TABLE_CELL_MAX,
	    "a long cell is cut to RQ_TABLE_CELL_MAX");
	ok(strcmp(t.cells.v[6] + RQ_TABLE_CELL_MAX - 3, "...") == 0,
	    "and ends in ...");
	is_int((intmax_t) rq_table_rows(&t), 3, "three rows");
	rq_table_clear(&t);
}

static void
print_csv(void *arg, FILE *fp)
{
	const char *cells[] = { "plain", "a,b", "say \"hi\"", NULL, "l1\nl2" };

	(void) arg;
	rq_csv_row(fp, cells, 5);
}

static void
csv(void)
{
	char   *out = printed(print_csv, NULL);

	is_str(out, "plain,\"a,b\",\"say \"\"hi\"\"\",,\"l1\nl2\"\n",
	    "CSV quoting (RFC 4180)");
	free(out);
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
	r->header_from = strdup("");
}

static struct external_report *
dmarc(const char *org, const char *domain)
{
	struct external_report *x = external_report_new();
	struct dmarc_report *d;

	x->report = report_new(RECORD_DMARC);
	d = &x->report->u.dmarc;
	d->org_name = strdup(org);
	d->email = strdup("dmarc@reporter.example");
	d->report_id = strdup("r1");
	d->policy_domain = strdup(domain);
	d->date_range_begin = 1769817600;	/* 2026-01-31T00:00:00Z */
	d->date_range_end = 1769903999;
	x->id = strdup("000000a");
	x->received_at = 1769904000;		/* 2026-02-01T00:00:00Z */
	return (x);
}

static void
print_sum(void *arg, FILE *fp)
{
	rq_sum_print(arg, fp, 1);
}

static void
sum_dmarc(struct rq_sum *s)
{
	struct external_report *a = dmarc("google.com", "Example.com");
	struct external_report *b = dmarc("Yahoo", "example.com");
	struct dmarc_record r[3];

	/* a: 10 pass (DKIM) from .1, 4 fail from .2; b: 6 pass (SPF) from .1. */
	record(&r[0], "192.0.2.1", 10, DMARC_RESULT_PASS, DMARC_RESULT_FAIL);
	record(&r[1], "192.0.2.2", 4, DMARC_RESULT_FAIL, DMARC_RESULT_FAIL);
	record(&r[2], "192.0.2.1", 6, DMARC_RESULT_FAIL, DMARC_RESULT_PASS);
	ok(rq_sum_report(s, a) == 0 && rq_sum_records(s, a, r, 2) == 0 &&
	    rq_sum_report(s, b) == 0 && rq_sum_records(s, b, &r[2], 1) == 0,
	    "two DMARC reports added up");
	is_int((intmax_t) s->reports[RECORD_DMARC], 2, "two DMARC reports");
	/* example.com (case folded): 2 reports, 20 messages, 16 pass, 4 fail. */
	{
		uint64_t *v = rq_tally_get(s->t[RQ_SUM_DMARC_DOMAIN],
		    "example.com");

		ok(v[0] == 2 && v[1] == 20 && v[2] == 16 && v[3] == 4,
		    "per domain: reports, messages, pass, fail");
		v = rq_tally_get(s->t[RQ_SUM_DMARC_IP], "192.0.2.1");
		ok(v[0] == 16 && v[1] == 16 && v[2] == 0,
		    "per source IP: messages, pass, fail");
	}
	dmarc_record_clear(&r[0]);
	dmarc_record_clear(&r[1]);
	dmarc_record_clear(&r[2]);
	external_report_free(a);
	external_report_free(b);
}

static void
sum_tls_arf(struct rq_sum *s)
{
	struct external_report *t = external_report_new();
	struct external_report *f = external_report_new();
	struct tls_policy *p;

	t->report = report_new(RECORD_TLS);
	t->report->u.tls.report_id = strdup("t1");
	p = t->report->u.tls.policies = calloc(1, sizeof(*p));
	t->report->u.tls.n_policies = 1;
	p->policy_domain = strdup("example.com");
	p->total_successful_sessions = 100;
	p->total_failed_sessions = 3;
	p->failures = calloc(1, sizeof(*p->failures));
	p->n_failures = 1;
	p->failures[0].result_type = TLS_RESULT_CERTIFICATE_EXPIRED;
	p->failures[0].failed_session_count = 3;
	f->report = report_new(RECORD_ARF);
	f->report->u.arf.source_ip = strdup("198.51.100.7");
	f->report->u.arf.incidents = 5;
	ok(rq_sum_report(s, t) == 0 && rq_sum_report(s, f) == 0,
	    "a TLS and an ARF report added up");
	external_report_free(t);
	external_report_free(f);
}

static void
summary(void)
{
	struct rq_sum s;
	char   *out;

	ok(rq_sum_init(&s) == 0, "summary initialised");
	sum_dmarc(&s);
	sum_tls_arf(&s);
	out = printed(print_sum, &s);
	ok(strstr(out, "\nDMARC aggregate reports: 2\n") != NULL,
	    "DMARC report count");
	ok(strstr(out, "\nDMARC messages by policy domain\n"
	    "  policy domain  reports  messages  pass  fail  pass %\n"
	    "  example.com          2        20    16     4    80.0\n") != NULL,
	    "the policy domain table");
	/* --top 1: 192.0.2.1 (16 messages) before 192.0.2.2 (4). */
	ok(strstr(out, "\nDMARC messages by source IP (top 1 of 2)\n"
	    "  source IP  messages  pass  fail  pass %\n"
	    "  192.0.2.1        16    16     0   100.0\n\n") != NULL,
	    "the source IP table, cut to the top");
	ok(strstr(out, "  google.com        1        14    10     4    71.4\n")
	    != NULL && strstr(out, "  Yahoo             1         6     6"
	    "     0   100.0\n") != NULL, "the reporter table");
	ok(strstr(out, "\nTLS sessions by policy domain\n"
	    "  policy domain  reports  successful  failed\n"
	    "  example.com          1         100       3\n") != NULL,
	    "the TLS domain table");
	ok(strstr(out, "  certificateExpired        1         3\n") != NULL,
	    "the TLS result type table");
	ok(strstr(out, "\nARF reports by feedback type\n"
	    "  feedback type  reports  incidents\n"
	    "  abuse                1          5\n") != NULL,
	    "the ARF feedback type table");
	free(out);
	rq_sum_clear(&s);
	ok(rq_sum_init(&s) == 0, "an empty summary");
	out = printed(print_sum, &s);
	is_str(out, "\nDMARC aggregate reports: 0\n\nTLS reports: 0\n\n"
	    "ARF reports: 0\n", "no reports: the counts alone");
	free(out);
	rq_sum_clear(&s);
}

static void
rows(void)
{
	struct external_report *x = dmarc("google.com", "example.com");
	struct rq_figures f = { 0, 0, 0 };
	struct dmarc_record r[2];
	struct strlist c = { NULL, 0, 0 };
	const char *const *head;
	unsigned right;

	record(&r[0], "192.0.2.1", 10, DMARC_RESULT_PASS, DMARC_RESULT_FAIL);
	record(&r[1], NULL, 4, DMARC_RESULT_FAIL, DMARC_RESULT_FAIL);
	rq_figures_add(&f, r, 2);
	ok(f.messages == 14 && f.pass == 10 && f.fail == 4, "figures");
	is_int((intmax_t) rq_row_head(RECORD_DMARC, &head, &right), 10,
	    "DMARC: ten columns");
	ok(rq_row_cells(x, &f, 1, &c) == 0 && c.n == 10, "a CSV row");
	ok(strcmp(c.v[0], "000000a") == 0 &&
	    strcmp(c.v[1], "2026-02-01T00:00:00Z") == 0 &&
	    strcmp(c.v[5], "2026-01-31T00:00:00Z") == 0 &&
	    strcmp(c.v[7], "14") == 0 && strcmp(c.v[9], "4") == 0,
	    "CSV: RFC 3339 times and the figures");
	strlist_clear(&c);
	ok(rq_row_cells(x, &f, 0, &c) == 0 &&
	    strcmp(c.v[1], "2026-02-01 00:00") == 0, "table: times to the minute");
	strlist_clear(&c);
	dmarc_record_clear(&r[0]);
	dmarc_record_clear(&r[1]);
	external_report_free(x);
}

int
main(void)
{
	tally();
	table();
	csv();
	summary();
	rows();
	return (done_testing());
}
