/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_html_agg - adds reports up for report-query html
 * PURPOSE
 *	The summary's figures through rq_sum (the same function summary
 *	calls), and the page's own beside them. Domains are counted in lower
 *	case, as the summary counts them. A report's date range is spread
 *	over at most RQ_HTML_SPREAD days; a longer (or upside-down) range is
 *	counted on its first day, so that a hostile date cannot make the
 *	page count for years.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "record_enum.h"

#include "rq_html.h"
#include "rq_where.h"

#define RQ_HTML_SPREAD	366
#define DAY_SECONDS	86400
/* 9999-12-31: the last day a "YYYY-MM-DD" key can name. */
#define LAST_DAY	2932896

int
rq_html_init(struct rq_html *h)
{
	size_t	i;

	memset(h->t, 0, sizeof(h->t));
	memset(h->align, 0, sizeof(h->align));
	memset(h->disp, 0, sizeof(h->disp));
	h->rep_msgs[0] = h->rep_msgs[1] = 0;
	h->n_recent = h->next_recent = 0;
	h->cap_recent = h->top ? h->top : RQ_HTML_RECENT;
	if ((h->recent = calloc(h->cap_recent, sizeof(*h->recent))) == NULL)
		return (-1);
	if (rq_sum_init(&h->sum) < 0)
		return (-1);
	for (i = 0; i < RQ_HTML_TABLES; i++)
		if ((h->t[i] = rq_tally_new()) == NULL)
			return (-1);
	/* The long tables show their top rows: the rest may go to disk. */
	if (h->top > 0) {
		rq_sum_bound(&h->sum);
		rq_tally_spill(h->t[RQ_HTML_DKIM], RQ_SUM_KEYS);
	}
	return (0);
}

static void
recent_clear(struct rq_html_recent *r)
{
	free(r->reporter);
	free(r->report_id);
	free(r->domain);
	free(r->subject);
	memset(r, 0, sizeof(*r));
}

void
rq_html_clear(struct rq_html *h)
{
	size_t	i;

	rq_sum_clear(&h->sum);
	for (i = 0; h->recent != NULL && i < h->n_recent; i++)
		recent_clear(&h->recent[i]);
	free(h->recent);
	h->recent = NULL;
	for (i = 0; i < RQ_HTML_TABLES; i++) {
		rq_tally_free(h->t[i]);
		h->t[i] = NULL;
	}
}

/* The day number of t, kept within what a key can name. */
static int64_t
day_of(int64_t t)
{
	int64_t	d = t / DAY_SECONDS - (t % DAY_SECONDS < 0);

	return (d < 0 ? 0 : d > LAST_DAY ? LAST_DAY : d);
}

/* The counters of "PREFIX DAY" (prefix NULL: "DAY") in table i. */
static uint64_t *
day_counters(struct rq_html *h, enum rq_html_table i, const char *prefix,
    int64_t day)
{
	char	key[256 + 1 + RQ_HTML_DAY + 1], lower[256];
	struct tm tm;
	time_t	t = (time_t) (day * DAY_SECONDS);
	size_t	j = 0;

	if (prefix != NULL) {
		if (*prefix == '\0')
			prefix = "-";
		for (; prefix[j] && j + 1 < sizeof(lower); j++)
			lower[j] = (char) tolower((unsigned char) prefix[j]);
		lower[j] = '\0';
	}
	if (gmtime_r(&t, &tm) == NULL)
		return (NULL);
	/* The unsigned remainders tell the compiler the widths. */
	snprintf(key, sizeof(key), "%s%s%04u-%02u-%02u", prefix ? lower : "",
	    prefix ? " " : "", (unsigned) (tm.tm_year + 1900) % 10000u,
	    (unsigned) (tm.tm_mon + 1) % 100u, (unsigned) tm.tm_mday % 100u);
	return (rq_tally_get(h->t[i], key));
}

/*
 * Adds v[0..ncol-1] to "PREFIX DAY" of table i over the days of
 * [begin, end], an equal share each, the remainder to the first days.
 */
static int
spread(struct rq_html *h, enum rq_html_table i, const char *prefix,
    int64_t begin, int64_t end, const uint64_t *v, size_t ncol)
{
	int64_t	first = day_of(begin), last = day_of(end > begin ? end - 1 : begin), d;
	uint64_t *c, k;
	size_t	j;

	if (last < first || last - first >= RQ_HTML_SPREAD)
		last = first;
	k = (uint64_t) (last - first + 1);
	for (d = first; d <= last; d++) {
		if ((c = day_counters(h, i, prefix, d)) == NULL)
			return (-1);
		for (j = 0; j < ncol; j++)
			c[j] += v[j] / k + ((uint64_t) (d - first) < v[j] % k);
	}
	return (0);
}

static uint64_t *
counters(struct rq_html *h, enum rq_html_table i, const char *key)
{
	return (rq_tally_get(h->t[i], key && *key ? key : "-"));
}

static enum rq_html_class
class_of(const struct dmarc_record *r)
{
	if (r->evaluated_spf == DMARC_RESULT_PASS)
		return (RQ_HTML_COMPLIANT);
	if (r->evaluated_dkim == DMARC_RESULT_PASS)
		return (RQ_HTML_FORWARDED);
	if (r->evaluated_spf == DMARC_RESULT_FAIL &&
	    r->evaluated_dkim == DMARC_RESULT_FAIL)
		return (RQ_HTML_NONCOMPLIANT);
	return (RQ_HTML_OTHER);
}

/* Aligned (evaluated pass), passed but not aligned, did not pass. */
static size_t
align_col(enum dmarc_result evaluated, bool passed)
{
	return (evaluated == DMARC_RESULT_PASS ? 0 : passed ? 1 : 2);
}

/* The page's figures of one record; ip: its source's summary counters. */
static int
one_record(void *arg, const struct dmarc_record *r, uint64_t *ip)
{
	struct rq_html *h = arg;
	uint64_t *v;
	char	key[512];
	size_t	dl, sl;
	bool	spf = false, dkim = false;
	size_t	i;
	enum rq_html_class c = class_of(r);

	for (i = 0; i < r->n_spf; i++)
		spf = spf || r->spf[i].result == SPF_RESULT_PASS;
	for (i = 0; i < r->n_dkim; i++)
		dkim = dkim || r->dkim[i].result == DKIM_RESULT_PASS;
	h->align[0][align_col(r->evaluated_spf, spf)] += r->count;
	h->align[1][align_col(r->evaluated_dkim, dkim)] += r->count;
	if ((unsigned) r->evaluated_disposition <= DMARC_ACTION_REJECT)
		h->disp[r->evaluated_disposition] += r->count;
	if (c == RQ_HTML_COMPLIANT)
		ip[3] += r->count;
	else if (c == RQ_HTML_NONCOMPLIANT)
		ip[4] += r->count;
	h->rep_msgs[rq_record_passes(r) ? 0 : 1] += r->count;
	for (i = 0; i < r->n_dkim; i++) {
		/* "DOMAIN\x1fSELECTOR", each cut at 250 bytes. */
		dl = strnlen(r->dkim[i].domain, 250);
		sl = strnlen(r->dkim[i].selector, 250);
		memcpy(key, r->dkim[i].domain, dl);
		key[dl] = '\x1f';
		memcpy(key + dl + 1, r->dkim[i].selector, sl);
		key[dl + 1 + sl] = '\0';
		if ((v = counters(h, RQ_HTML_DKIM, key)) == NULL)
			return (-1);
		v[0] += r->count;
		if (r->dkim[i].result == DKIM_RESULT_PASS)
			v[1] += r->count;
	}
	return (0);
}

int
rq_html_finish(struct rq_html *h)
{
	static const char *const mech[] = { "spf", "dkim" };
	uint64_t *v;
	size_t	i, j;

	for (i = 0; i < 2; i++) {
		if ((v = counters(h, RQ_HTML_ALIGN, mech[i])) == NULL)
			return (-1);
		for (j = 0; j < 3; j++)
			v[j] += h->align[i][j];
	}
	for (i = 0; i <= DMARC_ACTION_REJECT; i++) {
		if (h->disp[i] == 0)
			continue;
		if ((v = counters(h, RQ_HTML_DISPOSITION, record_enum_name(
		    RENUM_DMARC_ACTION, (int) i))) == NULL)
			return (-1);
		v[0] += h->disp[i];
	}
	return (0);
}

int
rq_html_records(struct rq_html *h, const struct external_report *x,
    const struct dmarc_record *recs, size_t n)
{
	return (rq_sum_records_each(&h->sum, x, recs, n, one_record, h));
}

static int
tls_report(struct rq_html *h, const struct tls_report *t)
{
	const char *rt;
	char	key[1024];
	uint64_t *v, sessions[2];
	size_t	i, j;

	for (i = 0; i < t->n_policies; i++) {
		const struct tls_policy *p = &t->policies[i];

		sessions[0] = p->total_successful_sessions;
		sessions[1] = p->total_failed_sessions;
		if (spread(h, RQ_HTML_TLS_DAY, NULL, t->date_range_start,
		    t->date_range_end, sessions, 2) < 0 ||
		    spread(h, RQ_HTML_TLS_DOMAIN_DAY, p->policy_domain,
		    t->date_range_start, t->date_range_end, sessions, 2) < 0)
			return (-1);
		for (j = 0; j < p->n_failures; j++) {
			const struct tls_failure *f = &p->failures[j];

			rt = record_enum_name(RENUM_TLS_RESULT_TYPE,
			    (int) f->result_type);
			snprintf(key, sizeof(key), "%s\x1f%.400s\x1f%.100s", rt,
			    f->receiving_mx_hostname ? f->receiving_mx_hostname :
			    "-", f->sending_mta_ip ? f->sending_mta_ip : "-");
			if ((v = counters(h, RQ_HTML_TLS_FAILURE, key)) == NULL)
				return (-1);
			v[0]++;
			v[1] += f->failed_session_count;
		}
	}
	return (0);
}

static int
arf_report(struct rq_html *h, const struct external_report *x)
{
	const struct arf_report *a = &x->report->u.arf;
	int64_t	when = a->has_arrival_date ? a->arrival_date : x->received_at;
	uint64_t one = 1, *v;
	size_t	i;

	if (spread(h, RQ_HTML_ARF_DAY, record_enum_name(
	    RENUM_ARF_FEEDBACK_TYPE, (int) a->feedback_type), when, when + 1,
	    &one, 1) < 0)
		return (-1);
	for (i = 0; i < a->reported_domains.n; i++) {
		char	lower[256];
		const char *d = a->reported_domains.v[i];
		size_t	j;

		for (j = 0; d[j] && j + 1 < sizeof(lower); j++)
			lower[j] = (char) tolower((unsigned char) d[j]);
		lower[j] = '\0';
		if ((v = counters(h, RQ_HTML_ARF_DOMAIN, lower)) == NULL)
			return (-1);
		v[0]++;
	}
	return (0);
}

/* What the list of the last reports shows of x. */
static void
recent_fields(const struct external_report *x, const char **reporter,
    const char **id, const char **domain)
{
	const struct report *r = x->report;

	*reporter = *id = *domain = NULL;
	if (r->type == RECORD_DMARC) {
		*reporter = r->u.dmarc.org_name[0] ? r->u.dmarc.org_name :
		    r->u.dmarc.email;
		*id = r->u.dmarc.report_id;
		*domain = r->u.dmarc.policy_domain;
	} else if (r->type == RECORD_TLS) {
		*reporter = r->u.tls.organization_name;
		*id = r->u.tls.report_id;
		if (r->u.tls.n_policies > 0)
			*domain = r->u.tls.policies[0].policy_domain;
	} else {
		*reporter = r->u.arf.reporting_mta;
		*id = r->u.arf.original_envelope_id;
		if (r->u.arf.reported_domains.n > 0)
			*domain = r->u.arf.reported_domains.v[0];
	}
	if (*reporter == NULL || **reporter == '\0')
		*reporter = x->from;
}

/* Keeps x in the ring of the last reports; 0 or -1 (out of memory). */
static int
recent_add(struct rq_html *h, const struct external_report *x)
{
	struct rq_html_recent *r = &h->recent[h->next_recent];
	const char *reporter, *id, *domain;

	recent_fields(x, &reporter, &id, &domain);
	recent_clear(r);
	r->type = x->report->type;
	r->received_at = x->received_at;
	if ((r->reporter = strdup(reporter ? reporter : "")) == NULL ||
	    (r->report_id = strdup(id ? id : "")) == NULL ||
	    (r->domain = strdup(domain ? domain : "")) == NULL ||
	    (r->subject = strdup(x->subject)) == NULL) {
		recent_clear(r);
		return (-1);
	}
	h->next_recent = (h->next_recent + 1) % h->cap_recent;
	if (h->n_recent < h->cap_recent)
		h->n_recent++;
	return (0);
}

int
rq_html_report(struct rq_html *h, const struct external_report *x)
{
	const struct dmarc_report *d;
	size_t	i;

	h->rep_msgs[0] = h->rep_msgs[1] = 0;
	if (rq_sum_report(&h->sum, x) < 0 || recent_add(h, x) < 0)
		return (-1);
	switch (x->report->type) {
	case RECORD_DMARC:
		/* rq_sum_report() counted the records in memory already. */
		d = &x->report->u.dmarc;
		for (i = 0; i < d->n_records; i++) {
			const char *ip = d->records[i].source_ip;
			uint64_t *v;

			if ((v = rq_tally_get(h->sum.t[RQ_SUM_DMARC_IP], ip &&
			    *ip ? ip : "-")) == NULL ||
			    one_record(h, &d->records[i], v) < 0)
				return (-1);
		}
		return (0);
	case RECORD_TLS:
		return (tls_report(h, &x->report->u.tls));
	default:
		return (arf_report(h, x));
	}
}

int
rq_html_report_end(struct rq_html *h, const struct external_report *x)
{
	const struct dmarc_report *d = &x->report->u.dmarc;

	if (x->report->type != RECORD_DMARC)
		return (0);
	if (spread(h, RQ_HTML_DMARC_DAY, NULL, d->date_range_begin,
	    d->date_range_end, h->rep_msgs, 2) < 0 ||
	    spread(h, RQ_HTML_DMARC_DOMAIN_DAY, d->policy_domain,
	    d->date_range_begin, d->date_range_end, h->rep_msgs, 2) < 0)
		return (-1);
	return (0);
}
