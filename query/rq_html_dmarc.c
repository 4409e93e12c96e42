/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_html_dmarc - the DMARC section of report-query html
 * PURPOSE
 *	Messages per day (passing and failing), the policy domains, the
 *	dispositions, SPF and DKIM aligned against merely passing, the
 *	sources grouped by class, p=reject readiness (the share of mail a
 *	reject policy would refuse: the messages that failed DMARC) and the
 *	reporters; then each policy domain on its own. The per-domain,
 *	per-IP and per-reporter figures are the summary's tallies.
 */
#include <stdlib.h>
#include <string.h>

#include "rq_html.h"
#include "rq_html_esc.h"
#include "rq_html_page.h"

static const struct rq_html_series pass_fail = { 2, { "pass", "fail" },
    { "#2e7d32", "#c62828" } };

static const struct rq_html_tdesc domains = { "dmarc-domains",
    { "policy domain", "reports", "messages", "pass", "fail", "pass %" },
    4, 1, 1, 2, 0 };
static const struct rq_html_tdesc reporters = { "dmarc-reporters",
    { "reporter", "reports", "messages", "pass", "fail", "pass %" },
    4, 1, 1, 2, 0 };
static const struct rq_html_tdesc dispositions = { "dmarc-disposition",
    { "disposition", "messages" }, 1, 0, RQ_HTML_NOPCT, 0, 0 };
static const struct rq_html_tdesc alignment = { "dmarc-alignment",
    { "mechanism", "aligned pass", "pass, not aligned", "no pass" }, 3, 0,
    RQ_HTML_NOPCT, 0, 0 };

static const struct rq_html_tdesc dkim = { "dmarc-dkim",
    { "DKIM domain and selector", "messages", "passed", "pass %" }, 2, 0,
    0, 1, 0 };

static const char *const class_name[] = { "compliant", "forwarded",
    "non-compliant", "other" };
static const char *const class_help[] = {
    "SPF passed aligned (DKIM either way)",
    "DKIM passed aligned, SPF did not: typically forwarded mail",
    "neither SPF nor DKIM passed aligned",
    "no pass, and SPF or DKIM not evaluated" };

/* The totals of the summary's domain table: messages, pass, fail. */
static void
totals(struct rq_sum *s, uint64_t out[3])
{
	struct rq_tally_row **rows;
	size_t	n, i;

	out[0] = out[1] = out[2] = 0;
	rows = rq_tally_sorted(s->t[RQ_SUM_DMARC_DOMAIN], 0, &n);
	for (i = 0; i < n; i++) {
		out[0] += rows[i]->v[1];
		out[1] += rows[i]->v[2];
		out[2] += rows[i]->v[3];
	}
	free(rows);
}

static int
chart(struct rq_html *h, FILE *fp, const char *name, const char *prefix,
    const char *what)
{
	struct rq_html_bar *bars;
	size_t	n;

	if (rq_html_days(h->t[prefix ? RQ_HTML_DMARC_DOMAIN_DAY :
	    RQ_HTML_DMARC_DAY], prefix, 2, &bars, &n) < 0)
		return (-1);
	rq_html_svg_bars(fp, name, what, bars, n, &pass_fail);
	free(bars);
	return (0);
}

static void
cards(FILE *fp, const char *scope, const uint64_t t[3])
{
	char	name[64];

	fputs("<div class=\"cards\">\n", fp);
	snprintf(name, sizeof(name), "%s-messages", scope);
	rq_html_card(fp, name, "messages", t[0]);
	snprintf(name, sizeof(name), "%s-pass", scope);
	rq_html_card(fp, name, "passed DMARC", t[1]);
	snprintf(name, sizeof(name), "%s-fail", scope);
	rq_html_card(fp, name, "failed DMARC", t[2]);
	fprintf(fp, "<div class=\"card\" data-card=\"%s-reject\"><b>", scope);
	rq_html_pct(fp, t[2], t[0]);
	fputs(" %</b>would be refused by p=reject today</div>\n</div>\n", fp);
}

/* A row of a source table: the IP and the summary's figures. */
static void
source_row(struct rq_html *h, FILE *fp, const struct rq_tally_row *r,
    uint64_t first, uint64_t second)
{
	fputs("<tr data-key=\"", fp);
	rq_html_esc(fp, r->key);
	fputs("\"><td>", fp);
	rq_html_source(h, fp, r->key);
	fputs("</td>", fp);
	rq_html_cell(fp, first);
	rq_html_cell(fp, second);
	rq_html_pct_cell(fp, r->v[1], r->v[0]);
	fputs("</tr>\n", fp);
}

/* The class of a source: the one most of its messages are in. */
static enum rq_html_class
source_class(const uint64_t *v)
{
	uint64_t k[4];
	size_t	best, j;

	k[RQ_HTML_COMPLIANT] = v[3];
	k[RQ_HTML_FORWARDED] = v[1] - v[3];
	k[RQ_HTML_NONCOMPLIANT] = v[4];
	k[RQ_HTML_OTHER] = v[2] - v[4];
	for (best = 0, j = 1; j < 4; j++)
		if (k[j] > k[best])
			best = j;
	return ((enum rq_html_class) best);
}

/* The five selections of the sources: a class each, then the failing. */
static int
source_offer(void *arg, struct rq_tally_row *r)
{
	struct rq_top *k = arg;

	if (rq_top_add(&k[source_class(r->v)], r) < 0 ||
	    (r->v[2] > 0 && rq_top_add(&k[4], r) < 0))
		return (-1);
	return (0);
}

/*
 * The source IPs by class, largest first, and the sources of the
 * failing mail, most failures first: one pass over the IPs.
 */
static int
sources(struct rq_html *h, FILE *fp, const uint64_t t[3])
{
	static const char *const head[] = { "source", "messages", "pass",
	    "pass %" };
	static const char *const fhead[] = { "source", "failed", "messages",
	    "pass %" };
	struct rq_top k[5];
	size_t	c, i;
	char	name[64];
	int	rc = 0;

	for (c = 0; c < 4; c++)
		rq_top_init(&k[c], h->top, 0);
	rq_top_init(&k[4], h->top, 2);
	if (rq_tally_each(h->sum.t[RQ_SUM_DMARC_IP], source_offer, k) != 0)
		rc = -1;
	for (c = 0; c < 4 && rc == 0; c++) {
		rq_top_done(&k[c]);
		fprintf(fp, "<h4>%s</h4><p>%s.</p>\n", class_name[c],
		    class_help[c]);
		snprintf(name, sizeof(name), "dmarc-sources-%s", class_name[c]);
		rq_html_table_head(fp, name, head, 4);
		for (i = 0; i < k[c].n; i++)
			source_row(h, fp, &k[c].v[i], k[c].v[i].v[0],
			    k[c].v[i].v[1]);
		rq_html_table_end(fp, 4, k[c].n, k[c].seen);
	}
	if (rc == 0) {
		rq_top_done(&k[4]);
		fputs("<h3>p=reject readiness</h3>\n<p>A reject policy would "
		    "refuse the mail that failed DMARC: ", fp);
		rq_html_pct(fp, t[2], t[0]);
		fputs(" % of the messages. The sources of that mail:</p>\n",
		    fp);
		rq_html_table_head(fp, "dmarc-reject-sources", fhead, 4);
		for (i = 0; i < k[4].n; i++)
			source_row(h, fp, &k[4].v[i], k[4].v[i].v[2],
			    k[4].v[i].v[0]);
		rq_html_table_end(fp, 4, k[4].n, k[4].seen);
	}
	for (c = 0; c < 5; c++)
		rq_top_clear(&k[c]);
	return (rc);
}

/* The DKIM domains and selectors (the key holds both, \x1f between). */
static int
dkim_table(struct rq_html *h, FILE *fp)
{
	struct rq_top k;
	struct rq_tally_row *rows;
	size_t	i;
	char   *key, *sel;

	rq_top_init(&k, h->top, 0);
	if (rq_top_tally(&k, h->t[RQ_HTML_DKIM]) < 0) {
		rq_top_clear(&k);
		return (-1);
	}
	rq_top_done(&k);
	rows = k.v;
	rq_html_table_head(fp, dkim.name, dkim.head, 4);
	for (i = 0; i < k.n; i++) {
		key = rows[i].key;
		if ((sel = strchr(key, '\x1f')) != NULL)
			*sel++ = '\0';
		fputs("<tr><td>", fp);
		rq_html_esc(fp, key);
		fputs(" <small>s=", fp);
		rq_html_esc(fp, sel);
		fputs("</small></td>", fp);
		rq_html_cell(fp, rows[i].v[0]);
		rq_html_cell(fp, rows[i].v[1]);
		rq_html_pct_cell(fp, rows[i].v[1], rows[i].v[0]);
		fputs("</tr>\n", fp);
	}
	rq_html_table_end(fp, 4, k.n, k.seen);
	rq_top_clear(&k);
	return (0);
}

/* Each policy domain: its figures and its days. */
static int
per_domain(struct rq_html *h, FILE *fp)
{
	struct rq_tally_row **rows;
	uint64_t t[3];
	size_t	n, i;

	rows = rq_tally_sorted(h->sum.t[RQ_SUM_DMARC_DOMAIN], 1, &n);
	if (rows == NULL && n == 0 &&
	    rq_tally_count(h->sum.t[RQ_SUM_DMARC_DOMAIN]))
		return (-1);
	for (i = 0; i < n && (h->top == 0 || i < h->top); i++) {
		fputs("<section class=\"domain\" data-domain=\"", fp);
		rq_html_esc(fp, rows[i]->key);
		fputs("\"><h3>", fp);
		rq_html_esc(fp, rows[i]->key);
		fputs("</h3>\n", fp);
		t[0] = rows[i]->v[1];
		t[1] = rows[i]->v[2];
		t[2] = rows[i]->v[3];
		cards(fp, "domain", t);
		if (chart(h, fp, "dmarc-domain-days", rows[i]->key,
		    "messages per day, passing and failing") < 0) {
			free(rows);
			return (-1);
		}
		fputs("</section>\n", fp);
	}
	if (i < n)
		fprintf(fp, "<p class=\"more\" data-more=\"%zu\">and %zu more "
		    "policy domains (see the table above)</p>\n", n - i, n - i);
	free(rows);
	return (0);
}

int
rq_html_page_dmarc(struct rq_html *h, FILE *fp)
{
	uint64_t t[3];

	fputs("<section id=\"dmarc\"><h2>DMARC</h2>\n", fp);
	if (h->sum.reports[RECORD_DMARC] == 0) {
		fputs("<p class=\"none\">No DMARC aggregate reports.</p>"
		    "</section>\n", fp);
		return (0);
	}
	totals(&h->sum, t);
	cards(fp, "dmarc", t);
	fputs("<h3>Messages over time</h3>\n", fp);
	if (chart(h, fp, "dmarc-days", NULL,
	    "DMARC messages per day, passing and failing") < 0)
		return (-1);
	fputs("<h3>Policy domains</h3>\n", fp);
	if (rq_html_tally(h, fp, h->sum.t[RQ_SUM_DMARC_DOMAIN], &domains, 0) < 0)
		return (-1);
	fputs("<h3>Disposition</h3>\n", fp);
	if (rq_html_tally(h, fp, h->t[RQ_HTML_DISPOSITION], &dispositions, 0) < 0)
		return (-1);
	fputs("<h3>SPF and DKIM: aligned against merely passing</h3>\n", fp);
	if (rq_html_tally(h, fp, h->t[RQ_HTML_ALIGN], &alignment, 0) < 0)
		return (-1);
	fputs("<h3>DKIM signatures</h3>\n", fp);
	if (dkim_table(h, fp) < 0)
		return (-1);
	fputs("<h3>Sources</h3>\n", fp);
	if (sources(h, fp, t) < 0)
		return (-1);
	fputs("<h3>Reporters</h3>\n", fp);
	if (rq_html_tally(h, fp, h->sum.t[RQ_SUM_DMARC_REPORTER], &reporters,
	    h->top) < 0)
		return (-1);
	fputs("<h3>Each policy domain</h3>\n", fp);
	if (per_domain(h, fp) < 0)
		return (-1);
	fputs("</section>\n", fp);
	return (0);
}
