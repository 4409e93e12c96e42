/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_html.h - the figures of report-query html, and its page
 * PURPOSE
 *	The page shows the tables of report-query summary (struct rq_sum,
 *	added up by the same code, so that every figure they share is the
 *	same by construction) and what a picture needs beside them, in
 *	tallies of their own: messages per day, dispositions, alignment,
 *	the class of each source, TLS sessions per day and failure details,
 *	ARF reports per day and reported domain. A report whose date range
 *	covers several days is spread over them: each day gets an equal
 *	share of its messages (the remainder to the first days), so that
 *	the days add up to the report. Pure: the caller feeds the reports
 *	and streams the DMARC records (rq_html.c), then writes the page.
 */
#ifndef RQ_HTML_H
#define RQ_HTML_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "record.h"
#include "rq_hosts.h"
#include "rq_html_svg.h"
#include "rq_sum.h"
#include "rq_tally.h"

/*
 * Day keys are "YYYY-MM-DD" (UTC); keys of a tally per domain (or
 * type) and day are "DOMAIN DAY", the day being the last 10 bytes.
 */
#define RQ_HTML_DAY	10

enum rq_html_table {
	RQ_HTML_DMARC_DAY,	/* day: pass, fail */
	RQ_HTML_DMARC_DOMAIN_DAY, /* domain day: pass, fail */
	RQ_HTML_DISPOSITION,	/* evaluated disposition: messages */
	RQ_HTML_ALIGN,		/* "spf", "dkim": aligned, passed not aligned,
				   did not pass */
	RQ_HTML_TLS_DAY,	/* day: successful, failed */
	RQ_HTML_TLS_DOMAIN_DAY,	/* domain day: successful, failed */
	RQ_HTML_TLS_FAILURE,	/* result type \x1f MX \x1f sending IP:
				   details, sessions */
	RQ_HTML_ARF_DAY,	/* feedback type day: reports */
	RQ_HTML_ARF_DOMAIN,	/* reported domain: reports */
	RQ_HTML_DKIM,		/* DKIM domain \x1f selector: messages, passed */
	RQ_HTML_TABLES
};

/*
 * The classes of a DMARC record, as the commercial dashboards group
 * sources. A source's messages per class are kept beside the summary's
 * counters of its IP (messages, pass, fail): v[3] the compliant, v[4]
 * the non-compliant; the forwarded are pass - v[3], the other fail - v[4].
 */
enum rq_html_class {
	RQ_HTML_COMPLIANT,	/* SPF aligned pass (DKIM either way) */
	RQ_HTML_FORWARDED,	/* DKIM aligned pass, SPF not */
	RQ_HTML_NONCOMPLIANT,	/* both evaluated fail */
	RQ_HTML_OTHER		/* neither passed, one not evaluated */
};

/* One of the last reports received, as the list of them shows it. */
struct rq_html_recent {
	enum record_type type;
	int64_t	received_at;
	char   *reporter;		/* owned, each never NULL */
	char   *report_id;
	char   *domain;
	char   *subject;
};

struct rq_html {
	struct rq_sum sum;		/* what report-query summary shows */
	struct rq_tally *t[RQ_HTML_TABLES];
	uint64_t rep_msgs[2];		/* the streaming report's pass, fail */
	uint64_t align[2][3];		/* SPF, DKIM: as RQ_HTML_ALIGN */
	uint64_t disp[DMARC_ACTION_REJECT + 1];	/* by evaluated disposition */
	int64_t	since, until;		/* the range shown (receivedAt) */
	const char *const *domains;	/* --domain, borrowed; n_domains 0: all */
	size_t	n_domains;
	size_t	top;			/* rows of the long tables; 0: all */
	struct rq_html_recent *recent;	/* a ring of the last n_recent */
	struct rq_hosts *hosts;		/* what enrich found (NULL: none) */
	size_t	n_recent, cap_recent, next_recent;
};

/*
 * Makes the tallies, and room for the last top (0: RQ_HTML_RECENT)
 * reports received; 0, or -1 when out of memory (then rq_html_clear()).
 * Set h->top first.
 */
#define RQ_HTML_RECENT	20
int	rq_html_init(struct rq_html *h);

/* Frees the tallies and the list of reports. */
void	rq_html_clear(struct rq_html *h);

/*
 * Counts one report (borrowed), and the records it holds in memory.
 * Stream the rest of a DMARC report's records with rq_html_records(),
 * then call rq_html_report_end(). Each returns 0 or -1 (out of memory).
 */
int	rq_html_report(struct rq_html *h, const struct external_report *x);
int	rq_html_records(struct rq_html *h, const struct external_report *x,
	    const struct dmarc_record *recs, size_t n);
int	rq_html_report_end(struct rq_html *h, const struct external_report *x);

/*
 * The bars of the rows of tally t whose key is "PREFIX DAY" (prefix
 * NULL: the key is the day), in time order, gaps filled with empty
 * bars, by day, or by month or year when there would be too many bars.
 * *out is the caller's (free()); n 0 and *out NULL when there is
 * nothing. Returns 0 or -1 (out of memory).
 */
int	rq_html_days(struct rq_tally *t, const char *prefix, size_t nser,
	    struct rq_html_bar **out, size_t *n);

/*
 * Moves the counters kept in h (alignment, dispositions) into their
 * tallies; call once, after the last report. 0 or -1 (out of memory).
 */
int	rq_html_finish(struct rq_html *h);

/* Writes the whole page to fp; 0, or -1 when out of memory. */
int	rq_html_page(struct rq_html *h, FILE *fp);

/* The sections of the page (rq_html_dmarc.c, rq_html_more.c). */
int	rq_html_page_dmarc(struct rq_html *h, FILE *fp);
int	rq_html_page_tls(struct rq_html *h, FILE *fp);
int	rq_html_page_arf(struct rq_html *h, FILE *fp);
int	rq_html_page_recent(struct rq_html *h, FILE *fp);

/*
 * The one place where a source IP is written: the address, and under it
 * what report-query enrich found for it (name, service, base domain,
 * country, AS), when h->hosts has an entry.
 */
void	rq_html_source(struct rq_html *h, FILE *fp, const char *ip);

#endif
