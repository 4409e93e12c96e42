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

/* The source IPs of class c, largest first, with the summary's figures. */
static int
sources(struct rq_html *h, FILE *fp, enum rq_html_class c)
{
	static const char *const head[] = { "source", "messages", "pass",
	    "pass %" };
	struct rq_tally_row **rows;
	uint64_t k[4];
	size_t	n, i, shown = 0, in = 0, j, best;
	char	name[64];

	rows = rq_tally_sorted(h->sum.t[RQ_SUM_DMARC_IP], 0, &n);
	if (rows == NULL && n == 0 && rq_tally_count(h->sum.t[RQ_SUM_DMARC_IP]))
		return (-1);
	fprintf(fp, "<h4>%s</h4><p>%s.</p>\n", class_name[c], class_help[c]);
	snprintf(name, sizeof(name), "dmarc-sources-%s", class_name[c]);
	rq_html_table_head(fp, name, head, 4);
	for (i = 0; i < n; i++) {
		const uint64_t *v = rows[i]->v;

		/* A source belongs to the class most of its messages are in. */
		k[RQ_HTML_COMPLIANT] = v[3];
		k[RQ_HTML_FORWARDED] = v[1] - v[3];
		k[RQ_HTML_NONCOMPLIANT] = v[4];
		k[RQ_HTML_OTHER] = v[2] - v[4];
		for (best = 0, j = 1; j < 4; j++)
			if (k[j] > k[best])
				best = j;
		if (best != (size_t) c)
			continue;
		in++;
		if (h->top > 0 && shown >= h->top)
			continue;
		shown++;
		fputs("<tr data-key=\"", fp);
		rq_html_esc(fp, rows[i]->key);
		fputs("\"><td>", fp);
		rq_html_source(fp, rows[i]->key);
		fputs("</td>", fp);
		rq_html_cell(fp, rows[i]->v[0]);
		rq_html_cell(fp, rows[i]->v[1]);
		rq_html_pct_cell(fp, rows[i]->v[1], rows[i]->v[0]);
		fputs("</tr>\n", fp);
	}
	rq_html_table_end(fp, 4, shown, in);
	free(rows);
	return (0);
}

/* The sources of the failing mail, most failures first. */
static int
reject_sources(struct rq_html *h, FILE *fp)
{
	static const char *const head[] = { "source", "failed", "messages",
	    "pass %" };
	struct rq_tally_row **rows;
	size_t	n, i, shown = 0, failing = 0;

	rows = rq_tally_sorted(h->sum.t[RQ_SUM_DMARC_IP], 2, &n);
	if (rows == NULL && n == 0 && rq_tally_count(h->sum.t[RQ_SUM_DMARC_IP]))
		return (-1);
	while (failing < n && rows[failing]->v[2] > 0)
		failing++;
	rq_html_table_head(fp, "dmarc-reject-sources", head, 4);
	for (i = 0; i < failing && (h->top == 0 || i < h->top); i++) {
		shown++;
		fputs("<tr data-key=\"", fp);
		rq_html_esc(fp, rows[i]->key);
		fputs("\"><td>", fp);
		rq_html_source(fp, rows[i]->key);
		fputs("</td>", fp);
		rq_html_cell(fp, rows[i]->v[2]);
		rq_html_cell(fp, rows[i]->v[0]);
		rq_html_pct_cell(fp, rows[i]->v[1], rows[i]->v[0]);
		fputs("</tr>\n", fp);
	}
	rq_html_table_end(fp, 4, shown, failing);
	free(rows);
	return (0);
}

/* The DKIM domains and selectors (the key holds both, \x1f between). */
static int
dkim_table(struct rq_html *h, FILE *fp)
{
	struct rq_tally_row **rows;
	size_t	n, i, shown;
	char   *key, *sel;

	rows = rq_tally_sorted(h->t[RQ_HTML_DKIM], 0, &n);
	if (rows == NULL && rq_tally_count(h->t[RQ_HTML_DKIM]) > 0)
		return (-1);
	shown = h->top > 0 && n > h->top ? h->top : n;
	rq_html_table_head(fp, dkim.name, dkim.head, 4);
	for (i = 0; i < shown; i++) {
		if ((key = strdup(rows[i]->key)) == NULL) {
			free(rows);
			return (-1);
		}
		if ((sel = strchr(key, '\x1f')) != NULL)
			*sel++ = '\0';
		fputs("<tr><td>", fp);
		rq_html_esc(fp, key);
		fputs(" <small>s=", fp);
		rq_html_esc(fp, sel);
		fputs("</small></td>", fp);
		rq_html_cell(fp, rows[i]->v[0]);
		rq_html_cell(fp, rows[i]->v[1]);
		rq_html_pct_cell(fp, rows[i]->v[1], rows[i]->v[0]);
		fputs("</tr>\n", fp);
		free(key);
	}
	rq_html_table_end(fp, 4, shown, n);
	free(rows);
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
	size_t	c;

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
	if (rq_html_tally(fp, h->sum.t[RQ_SUM_DMARC_DOMAIN], &domains, 0) < 0)
		return (-1);
	fputs("<h3>Disposition</h3>\n", fp);
	if (rq_html_tally(fp, h->t[RQ_HTML_DISPOSITION], &dispositions, 0) < 0)
		return (-1);
	fputs("<h3>SPF and DKIM: aligned against merely passing</h3>\n", fp);
	if (rq_html_tally(fp, h->t[RQ_HTML_ALIGN], &alignment, 0) < 0)
		return (-1);
	fputs("<h3>DKIM signatures</h3>\n", fp);
	if (dkim_table(h, fp) < 0)
		return (-1);
	fputs("<h3>Sources</h3>\n", fp);
	for (c = RQ_HTML_COMPLIANT; c <= RQ_HTML_OTHER; c++)
		if (sources(h, fp, (enum rq_html_class) c) < 0)
			return (-1);
	fputs("<h3>p=reject readiness</h3>\n<p>A reject policy would refuse "
	    "the mail that failed DMARC: ", fp);
	rq_html_pct(fp, t[2], t[0]);
	fputs(" % of the messages. The sources of that mail:</p>\n", fp);
	if (reject_sources(h, fp) < 0)
		return (-1);
	fputs("<h3>Reporters</h3>\n", fp);
	if (rq_html_tally(fp, h->sum.t[RQ_SUM_DMARC_REPORTER], &reporters,
	    h->top) < 0)
		return (-1);
	fputs("<h3>Each policy domain</h3>\n", fp);
	if (per_domain(h, fp) < 0)
		return (-1);
	fputs("</section>\n", fp);
	return (0);
}
