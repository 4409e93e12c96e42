/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_html_more - the TLS-RPT and ARF sections of report-query html
 * PURPOSE
 *	TLS: sessions per day, successful and failed, overall and per policy
 *	domain; failed sessions per result type, and the failure details
 *	with receiving MX and sending MTA IP. ARF: reports per day for each
 *	feedback type, the top source IPs and reported domains. Last, the
 *	reports received last, newest first.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "record_json.h"

#include "rq_html.h"
#include "rq_html_esc.h"
#include "rq_html_page.h"

static const struct rq_html_series sessions = { 2, { "successful",
    "failed" }, { "#2e7d32", "#c62828" } };
static const struct rq_html_series arf_reports = { 1, { "reports" },
    { "#1565c0" } };

static const struct rq_html_tdesc tls_domains = { "tls-domains",
    { "policy domain", "reports", "successful", "failed" }, 3, 2,
    RQ_HTML_NOPCT, 0, 0 };
static const struct rq_html_tdesc tls_results = { "tls-results",
    { "result type", "details", "sessions" }, 2, 1, RQ_HTML_NOPCT, 0, 0 };
static const struct rq_html_tdesc arf_types = { "arf-types",
    { "feedback type", "reports", "incidents" }, 2, 0, RQ_HTML_NOPCT, 0, 0 };
static const struct rq_html_tdesc arf_ips = { "arf-ips",
    { "source", "reports", "incidents" }, 2, 0, RQ_HTML_NOPCT, 0, 1 };
static const struct rq_html_tdesc arf_domains = { "arf-domains",
    { "reported domain", "reports" }, 1, 0, RQ_HTML_NOPCT, 0, 0 };

static int
chart(FILE *fp, struct rq_tally *t, const char *name, const char *prefix,
    const struct rq_html_series *ser, const char *what)
{
	struct rq_html_bar *bars;
	size_t	n;

	if (rq_html_days(t, prefix, ser->n, &bars, &n) < 0)
		return (-1);
	rq_html_svg_bars(fp, name, what, bars, n, ser);
	free(bars);
	return (0);
}

/* The failure details: result type, receiving MX, sending IP. */
static int
failures(struct rq_html *h, FILE *fp)
{
	static const char *const head[] = { "result type", "receiving MX",
	    "sending MTA", "details", "sessions" };
	struct rq_tally_row **rows;
	size_t	n, i, shown;
	char   *key, *mx, *ip;

	rows = rq_tally_sorted(h->t[RQ_HTML_TLS_FAILURE], 1, &n);
	if (rows == NULL && rq_tally_count(h->t[RQ_HTML_TLS_FAILURE]) > 0)
		return (-1);
	shown = h->top > 0 && n > h->top ? h->top : n;
	rq_html_table_head(fp, "tls-failures", head, 5);
	for (i = 0; i < shown; i++) {
		if ((key = strdup(rows[i]->key)) == NULL) {
			free(rows);
			return (-1);
		}
		mx = strchr(key, '\x1f');
		*mx++ = '\0';
		ip = strchr(mx, '\x1f');
		*ip++ = '\0';
		fputs("<tr><td>", fp);
		rq_html_esc(fp, key);
		fputs("</td><td>", fp);
		rq_html_esc(fp, mx);
		fputs("</td><td>", fp);
		rq_html_source(h, fp, ip);
		fputs("</td>", fp);
		rq_html_cell(fp, rows[i]->v[0]);
		rq_html_cell(fp, rows[i]->v[1]);
		fputs("</tr>\n", fp);
		free(key);
	}
	rq_html_table_end(fp, 5, shown, n);
	free(rows);
	return (0);
}

/* The days of each policy domain, most failures first. */
static int
tls_per_domain(struct rq_html *h, FILE *fp)
{
	struct rq_tally_row **rows;
	size_t	n, i;

	rows = rq_tally_sorted(h->sum.t[RQ_SUM_TLS_DOMAIN], 2, &n);
	if (rows == NULL && rq_tally_count(h->sum.t[RQ_SUM_TLS_DOMAIN]) > 0)
		return (-1);
	for (i = 0; i < n && (h->top == 0 || i < h->top); i++) {
		fputs("<h4>", fp);
		rq_html_esc(fp, rows[i]->key);
		fputs("</h4>\n", fp);
		if (chart(fp, h->t[RQ_HTML_TLS_DOMAIN_DAY], "tls-domain-days",
		    rows[i]->key, &sessions, "TLS sessions per day") < 0) {
			free(rows);
			return (-1);
		}
	}
	if (i < n)
		fprintf(fp, "<p class=\"more\" data-more=\"%zu\">and %zu more "
		    "policy domains</p>\n", n - i, n - i);
	free(rows);
	return (0);
}

int
rq_html_page_tls(struct rq_html *h, FILE *fp)
{
	fputs("<section id=\"tls\"><h2>TLS-RPT</h2>\n", fp);
	if (h->sum.reports[RECORD_TLS] == 0) {
		fputs("<p class=\"none\">No TLS reports.</p></section>\n", fp);
		return (0);
	}
	fputs("<h3>Sessions over time</h3>\n", fp);
	if (chart(fp, h->t[RQ_HTML_TLS_DAY], "tls-days", NULL, &sessions,
	    "TLS sessions per day, successful and failed") < 0)
		return (-1);
	fputs("<h3>Policy domains</h3>\n", fp);
	if (rq_html_tally(h, fp, h->sum.t[RQ_SUM_TLS_DOMAIN], &tls_domains, 0) < 0
	    || tls_per_domain(h, fp) < 0)
		return (-1);
	fputs("<h3>Failed sessions by result type</h3>\n", fp);
	if (rq_html_tally(h, fp, h->sum.t[RQ_SUM_TLS_RESULT], &tls_results, 0) < 0)
		return (-1);
	fputs("<h3>Failure details</h3>\n", fp);
	if (failures(h, fp) < 0)
		return (-1);
	fputs("</section>\n", fp);
	return (0);
}

/* One chart per feedback type. */
static int
arf_days(struct rq_html *h, FILE *fp)
{
	struct rq_tally_row **rows;
	char	lower[64], name[96];
	size_t	n, i, j;

	rows = rq_tally_sorted(h->sum.t[RQ_SUM_ARF_TYPE], 0, &n);
	if (rows == NULL && rq_tally_count(h->sum.t[RQ_SUM_ARF_TYPE]) > 0)
		return (-1);
	for (i = 0; i < n; i++) {
		/* The keys are the schema's names of feedback types. */
		for (j = 0; rows[i]->key[j] && j + 1 < sizeof(lower); j++)
			lower[j] = (char) tolower((unsigned char)
			    rows[i]->key[j]);
		lower[j] = '\0';
		snprintf(name, sizeof(name), "arf-days-%s", lower);
		fputs("<h4>", fp);
		rq_html_esc(fp, rows[i]->key);
		fputs("</h4>\n", fp);
		if (chart(fp, h->t[RQ_HTML_ARF_DAY], name, lower, &arf_reports,
		    "ARF reports per day") < 0) {
			free(rows);
			return (-1);
		}
	}
	free(rows);
	return (0);
}

int
rq_html_page_arf(struct rq_html *h, FILE *fp)
{
	fputs("<section id=\"arf\"><h2>ARF</h2>\n", fp);
	if (h->sum.reports[RECORD_ARF] == 0) {
		fputs("<p class=\"none\">No ARF reports.</p></section>\n", fp);
		return (0);
	}
	fputs("<h3>Reports over time, by feedback type</h3>\n", fp);
	if (arf_days(h, fp) < 0)
		return (-1);
	fputs("<h3>Feedback types</h3>\n", fp);
	if (rq_html_tally(h, fp, h->sum.t[RQ_SUM_ARF_TYPE], &arf_types, 0) < 0)
		return (-1);
	fputs("<h3>Source IPs</h3>\n", fp);
	if (rq_html_tally(h, fp, h->sum.t[RQ_SUM_ARF_IP], &arf_ips, h->top) < 0)
		return (-1);
	fputs("<h3>Reported domains</h3>\n", fp);
	if (rq_html_tally(h, fp, h->t[RQ_HTML_ARF_DOMAIN], &arf_domains, h->top) < 0)
		return (-1);
	fputs("</section>\n", fp);
	return (0);
}

int
rq_html_page_recent(struct rq_html *h, FILE *fp)
{
	static const char *const head[] = { "received", "type", "reporter",
	    "report id", "domain", "subject" };
	static const char *const type[] = { "", "DMARC", "TLS", "ARF" };
	char	when[32];
	size_t	i, k;

	fputs("<section id=\"recent\"><h2>The last reports received</h2>\n",
	    fp);
	rq_html_table_head(fp, "recent", head, 6);
	for (i = 0; i < h->n_recent; i++) {
		const struct rq_html_recent *r;

		k = (h->next_recent + h->cap_recent - 1 - i) % h->cap_recent;
		r = &h->recent[k];
		record_json_time(r->received_at, when, sizeof(when));
		fprintf(fp, "<tr><td>%s</td><td>%s</td><td>", when,
		    type[r->type]);
		rq_html_esc(fp, r->reporter);
		fputs("</td><td>", fp);
		rq_html_esc(fp, r->report_id);
		fputs("</td><td>", fp);
		rq_html_esc(fp, r->domain);
		fputs("</td><td>", fp);
		rq_html_esc(fp, r->subject);
		fputs("</td></tr>\n", fp);
	}
	rq_html_table_end(fp, 6, h->n_recent, h->n_recent);
	fputs("</section>\n", fp);
	return (0);
}
