/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_html_page - the page of report-query html: head, style, tables
 * PURPOSE
 *	One self-contained document: the style is inline, the charts are
 *	inline SVG, and there is no script. The Content-Security-Policy
 *	meta element forbids every fetch (default-src 'none') and allows the
 *	inline style only, so that even a string that escaped its escaping
 *	could load nothing and run nothing. Tables carry their figures in
 *	data- attributes (data-table, data-key, data-v) beside the text.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "record_json.h"

#include "rq_hosts.h"
#include "rq_html.h"
#include "rq_html_esc.h"
#include "rq_html_page.h"

static const char style[] =
    ":root{color-scheme:light;--ok:#2e7d32;--bad:#c62828;--warn:#ef6c00;"
    "--other:#f9a825;--line:#ccc}\n"
    "body{font:15px/1.4 system-ui,sans-serif;margin:0 auto;max-width:72em;"
    "padding:0 1em;color:#222;background:#fff}\n"
    "h1{font-size:1.5em}h2{border-bottom:2px solid #444;margin-top:2em}"
    "h3{margin-top:1.5em}\n"
    ".scroll{overflow-x:auto}h3,h4,p{overflow-wrap:anywhere}\n"
    "table{border-collapse:collapse;margin:.5em 0}"
    "th,td{padding:.2em .6em;border-bottom:1px solid var(--line);"
    "text-align:right;vertical-align:top}"
    "th:first-child,td:first-child{text-align:left;overflow-wrap:anywhere;"
    "max-width:28em}\n"
    "tr.more td{font-style:italic;color:#555}\n"
    "td.good{background:#e8f5e9}td.warn{background:#fff3e0}"
    "td.bad{background:#ffebee}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:.6em}"
    ".card{border:1px solid var(--line);border-radius:4px;padding:.4em .8em}"
    ".card b{display:block;font-size:1.4em}\n"
    "figure.chart{margin:.5em 0;max-width:48em}"
    "figure.chart svg text{font-size:11px;fill:#444}"
    "figure.chart .axis{stroke:#999;stroke-width:1}\n"
    ".legend span{margin-right:1em}.none{color:#555}\n"
    "@media print{body{max-width:none;font-size:11pt}h2{break-before:page}"
    "table,figure{break-inside:avoid}}\n"
    "@media (max-width:40em){body{font-size:14px;padding:0 .4em}"
    "th,td{padding:.2em .3em}}\n";

void
rq_html_source(struct rq_html *h, FILE *fp, const char *ip)
{
	const struct store_host *host = NULL;
	struct store_error err = { "" };
	char   *cell = NULL;

	rq_html_esc(fp, ip);
	/* What enrich found, if it ran: a store failure only leaves it out. */
	if (h->hosts == NULL || rq_hosts_get(h->hosts, ip, &host, &err) !=
	    STORE_OK || host == NULL || rq_hosts_cell(&cell, "", host) < 0)
		return;
	if (cell[0] == ' ' && cell[1] != '\0') {
		fputs("<br><small class=\"host\">", fp);
		rq_html_esc(fp, cell + 1);
		fputs("</small>", fp);
	}
	free(cell);
}

/* The colour class of a pass rate: good from 98 %, bad under 50 %. */
const char *
rq_html_rate_class(uint64_t pass, uint64_t all)
{
	if (all == 0)
		return ("none");
	if (pass * 100 >= all * 98)
		return ("good");
	return (pass * 2 >= all ? "warn" : "bad");
}

void
rq_html_cell(FILE *fp, uint64_t v)
{
	fprintf(fp, "<td data-v=\"%" PRIu64 "\">", v);
	rq_html_num(fp, v);
	fputs("</td>", fp);
}

void
rq_html_pct_cell(FILE *fp, uint64_t part, uint64_t whole)
{
	fprintf(fp, "<td class=\"%s\">", rq_html_rate_class(part, whole));
	rq_html_pct(fp, part, whole);
	fputs("</td>", fp);
}

void
rq_html_table_head(FILE *fp, const char *name, const char *const *head,
    size_t n)
{
	size_t	i;

	fprintf(fp, "<div class=\"scroll\"><table data-table=\"%s\">"
	    "<thead><tr>", name);
	for (i = 0; i < n; i++)
		fprintf(fp, "<th scope=\"col\">%s</th>", head[i]);
	fputs("</tr></thead><tbody>\n", fp);
}

void
rq_html_table_end(FILE *fp, size_t ncols, size_t shown, size_t n)
{
	if (n == 0)
		fprintf(fp, "<tr><td colspan=\"%zu\">none</td></tr>\n", ncols);
	else if (shown < n)
		fprintf(fp, "<tr class=\"more\" data-more=\"%zu\"><td colspan="
		    "\"%zu\">and %zu more</td></tr>\n", n - shown, ncols,
		    n - shown);
	fputs("</tbody></table></div>\n", fp);
}

int
rq_html_tally(struct rq_html *h, FILE *fp, struct rq_tally *t,
    const struct rq_html_tdesc *d, size_t top)
{
	struct rq_top k;
	struct rq_tally_row *rows;
	size_t	i, j, ncols = 1 + d->nvals + (d->pct_of != RQ_HTML_NOPCT);

	rq_top_init(&k, top, d->sort);
	if (rq_top_tally(&k, t) < 0) {
		rq_top_clear(&k);
		return (-1);
	}
	rq_top_done(&k);
	rows = k.v;
	rq_html_table_head(fp, d->name, d->head, ncols);
	for (i = 0; i < k.n; i++) {
		fputs("<tr data-key=\"", fp);
		rq_html_esc(fp, rows[i].key);
		fputs("\"><td>", fp);
		if (d->is_ip)
			rq_html_source(h, fp, rows[i].key);
		else
			rq_html_esc(fp, rows[i].key);
		fputs("</td>", fp);
		for (j = 0; j < d->nvals; j++)
			rq_html_cell(fp, rows[i].v[j]);
		if (d->pct_of != RQ_HTML_NOPCT)
			rq_html_pct_cell(fp, rows[i].v[d->pct_part],
			    rows[i].v[d->pct_of]);
		fputs("</tr>\n", fp);
	}
	rq_html_table_end(fp, ncols, k.n, k.seen);
	rq_top_clear(&k);
	return (0);
}

void
rq_html_card(FILE *fp, const char *name, const char *what, uint64_t v)
{
	fprintf(fp, "<div class=\"card\" data-card=\"%s\"><b data-v=\"%"
	    PRIu64 "\">", name, v);
	rq_html_num(fp, v);
	fprintf(fp, "</b>%s</div>\n", what);
}

static void
period(FILE *fp, int64_t since, int64_t until)
{
	char	a[32], b[32];

	record_json_time(since, a, sizeof(a));
	record_json_time(until, b, sizeof(b));
	fputs("<p class=\"period\">", fp);
	if (since == 0 && until == INT64_MAX)
		fputs("All reports", fp);
	else if (until == INT64_MAX)
		fprintf(fp, "Reports received since %s", a);
	else if (since == 0)
		fprintf(fp, "Reports received before %s", b);
	else
		fprintf(fp, "Reports received since %s, before %s", a, b);
	fputs("</p>\n", fp);
}

int
rq_html_page(struct rq_html *h, FILE *fp)
{
	size_t	i;

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "\n<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
	    "base-uri 'none'; form-action 'none'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">"
	    "\n<title>Report overview</title>\n<style>\n", fp);
	fputs(style, fp);
	fputs("</style></head>\n<body>\n<h1>DMARC, TLS and ARF reports</h1>\n",
	    fp);
	period(fp, h->since, h->until);
	if (h->n_domains > 0) {
		fputs("<p class=\"domains\">Policy domains: ", fp);
		for (i = 0; i < h->n_domains; i++) {
			fputs(i ? ", " : "", fp);
			rq_html_esc(fp, h->domains[i]);
		}
		fputs("</p>\n", fp);
	}
	fputs("<div class=\"cards\">\n", fp);
	rq_html_card(fp, "dmarc-reports", "DMARC aggregate reports",
	    h->sum.reports[RECORD_DMARC]);
	rq_html_card(fp, "tls-reports", "TLS reports", h->sum.reports[RECORD_TLS]);
	rq_html_card(fp, "arf-reports", "ARF reports", h->sum.reports[RECORD_ARF]);
	fputs("</div>\n", fp);
	if (rq_html_page_dmarc(h, fp) < 0 || rq_html_page_tls(h, fp) < 0 ||
	    rq_html_page_arf(h, fp) < 0 || rq_html_page_recent(h, fp) < 0)
		return (-1);
	fputs("</body></html>\n", fp);
	return (0);
}
