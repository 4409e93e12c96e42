/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_sum - adds reports up for report-query summary, and prints that
 * PURPOSE
 *	Domains are counted in lower case (Example.COM and example.com are
 *	one domain); a missing key (a record without a source IP, a report
 *	without an organization name) is counted under "-".
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "record_enum.h"

#include "rq_sum.h"
#include "rq_where.h"

int
rq_sum_init(struct rq_sum *s)
{
	size_t	i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < RQ_SUM_TABLES; i++)
		if ((s->t[i] = rq_tally_new()) == NULL)
			return (-1);
	return (0);
}

void
rq_sum_bound(struct rq_sum *s)
{
	rq_tally_spill(s->t[RQ_SUM_DMARC_IP], RQ_SUM_KEYS);
	rq_tally_spill(s->t[RQ_SUM_ARF_IP], RQ_SUM_KEYS);
}

void
rq_sum_clear(struct rq_sum *s)
{
	size_t	i;

	for (i = 0; i < RQ_SUM_TABLES; i++)
		rq_tally_free(s->t[i]);
	memset(s, 0, sizeof(*s));
}

/* The counters of key in table i, "-" standing for a missing key. */
static uint64_t *
counters(struct rq_sum *s, enum rq_sum_table i, const char *key, int lower)
{
	char	buf[256];
	size_t	j;

	if (key == NULL || *key == '\0')
		key = "-";
	if (lower) {
		for (j = 0; key[j] && j + 1 < sizeof(buf); j++)
			buf[j] = (char) tolower((unsigned char) key[j]);
		buf[j] = '\0';
		key = buf;
	}
	return (rq_tally_get(s->t[i], key));
}

static const char *
dmarc_reporter(const struct dmarc_report *d)
{
	return (d->org_name[0] ? d->org_name : d->email);
}

static int
sum_tls(struct rq_sum *s, const struct tls_report *t)
{
	uint64_t *v;
	size_t	i, j;

	for (i = 0; i < t->n_policies; i++) {
		const struct tls_policy *p = &t->policies[i];

		if ((v = counters(s, RQ_SUM_TLS_DOMAIN, p->policy_domain,
		    1)) == NULL)
			return (-1);
		v[0]++;
		v[1] += p->total_successful_sessions;
		v[2] += p->total_failed_sessions;
		for (j = 0; j < p->n_failures; j++) {
			if ((v = counters(s, RQ_SUM_TLS_RESULT,
			    record_enum_name(RENUM_TLS_RESULT_TYPE,
			    (int) p->failures[j].result_type), 0)) == NULL)
				return (-1);
			v[0]++;
			v[1] += p->failures[j].failed_session_count;
		}
	}
	return (0);
}

static int
sum_arf(struct rq_sum *s, const struct arf_report *a)
{
	uint64_t *v, *w;

	if ((v = counters(s, RQ_SUM_ARF_TYPE, record_enum_name(
	    RENUM_ARF_FEEDBACK_TYPE, (int) a->feedback_type), 0)) == NULL)
		return (-1);
	v[0]++;
	v[1] += a->incidents;
	if ((w = counters(s, RQ_SUM_ARF_IP, a->source_ip, 0)) == NULL)
		return (-1);
	w[0]++;
	w[1] += a->incidents;
	return (0);
}

int
rq_sum_report(struct rq_sum *s, const struct external_report *x)
{
	const struct dmarc_report *d;
	uint64_t *v;

	s->reports[x->report->type]++;
	switch (x->report->type) {
	case RECORD_DMARC:
		d = &x->report->u.dmarc;
		if ((v = counters(s, RQ_SUM_DMARC_DOMAIN, d->policy_domain,
		    1)) == NULL)
			return (-1);
		v[0]++;
		if ((v = counters(s, RQ_SUM_DMARC_REPORTER, dmarc_reporter(d),
		    0)) == NULL)
			return (-1);
		v[0]++;
		/* Records held in memory are counted here, streamed ones later. */
		return (rq_sum_records(s, x, d->records, d->n_records));
	case RECORD_TLS:
		return (sum_tls(s, &x->report->u.tls));
	default:
		return (sum_arf(s, &x->report->u.arf));
	}
}

int
rq_sum_records(struct rq_sum *s, const struct external_report *x,
    const struct dmarc_record *recs, size_t n)
{
	return (rq_sum_records_each(s, x, recs, n, NULL, NULL));
}

int
rq_sum_records_each(struct rq_sum *s, const struct external_report *x,
    const struct dmarc_record *recs, size_t n, rq_sum_record_fn *fn,
    void *arg)
{
	const struct dmarc_report *d = &x->report->u.dmarc;
	uint64_t *dom, *rep, *ip;
	size_t	i, side;

	if (n == 0)
		return (0);
	/* Each pointer is into a tally of its own: looking up ip moves neither. */
	if ((dom = counters(s, RQ_SUM_DMARC_DOMAIN, d->policy_domain,
	    1)) == NULL || (rep = counters(s, RQ_SUM_DMARC_REPORTER,
	    dmarc_reporter(d), 0)) == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		side = rq_record_passes(&recs[i]) ? 0 : 1;
		if ((ip = counters(s, RQ_SUM_DMARC_IP, recs[i].source_ip,
		    0)) == NULL)
			return (-1);
		ip[0] += recs[i].count;
		ip[1 + side] += recs[i].count;
		dom[1] += recs[i].count;
		dom[2 + side] += recs[i].count;
		rep[1] += recs[i].count;
		rep[2 + side] += recs[i].count;
		if (fn != NULL && fn(arg, &recs[i], ip) < 0)
			return (-1);
	}
	return (0);
}
