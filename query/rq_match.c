/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_match - evaluates --where clauses on an External report
 * PURPOSE
 *	Each clause is an existence test over the values its field has in
 *	the report ("some policy domain equals", "some record's source IP is
 *	in"), negated for != and !~. The object itself is tested first; the
 *	clauses that look at DMARC records (ip, dmarc, text, and service,
 *	base-domain, country and asn through the caller's w->host) are completed
 *	from the records as the caller streams them, and streaming can stop
 *	as soon as no record can change the verdict.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "record_json.h"

#include "rq_where.h"

bool
rq_record_passes(const struct dmarc_record *rec)
{
	return (rec->evaluated_dkim == DMARC_RESULT_PASS ||
	    rec->evaluated_spf == DMARC_RESULT_PASS);
}

/* ASCII case-insensitive: does hay contain needle? */
static bool
ci_contains(const char *hay, const char *needle)
{
	size_t	n = strlen(needle), i;

	if (hay == NULL)
		return (false);
	for (; *hay; hay++) {
		for (i = 0; i < n && hay[i] != '\0'; i++)
			if (tolower((unsigned char) hay[i]) !=
			    tolower((unsigned char) needle[i]))
				break;
		if (i == n)
			return (true);
	}
	return (n == 0);
}

/* The positive test of a text clause (=, ~; != and !~ negate them). */
static bool
text_test(const struct rq_clause *c, const char *s)
{
	if (s == NULL)
		return (false);
	if (c->op == RQ_OP_HAS || c->op == RQ_OP_HASNT)
		return (ci_contains(s, c->text));
	return (strcasecmp(s, c->text) == 0);
}

static bool
list_test(const struct rq_clause *c, const struct strlist *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (text_test(c, l->v[i]))
			return (true);
	return (false);
}

/* The positive test of an ordered clause on t (!= tests = and negates). */
static bool
time_test(const struct rq_clause *c, int64_t t)
{
	switch (c->op) {
	case RQ_OP_LT:
		return (t < c->lo);
	case RQ_OP_LE:
		return (t < c->hi);
	case RQ_OP_GT:
		return (t >= c->hi);
	case RQ_OP_GE:
		return (t >= c->lo);
	default:
		return (t >= c->lo && t < c->hi);
	}
}

static bool
num_test(const struct rq_clause *c, uint64_t v)
{
	switch (c->op) {
	case RQ_OP_LT:
		return (v < c->num);
	case RQ_OP_LE:
		return (v <= c->num);
	case RQ_OP_GT:
		return (v > c->num);
	case RQ_OP_GE:
		return (v >= c->num);
	default:
		return (v == c->num);
	}
}

static bool
ip_test(const struct rq_clause *c, const char *text)
{
	unsigned char ip[16];
	unsigned bits, full, prefix;

	if (text == NULL || rq_where_ip(text, ip, &prefix) < 0)
		return (false);
	full = c->prefix / 8;
	bits = c->prefix % 8;
	if (memcmp(ip, c->ip, full) != 0)
		return (false);
	return (bits == 0 ||
	    ((ip[full] ^ c->ip[full]) & (0xff00u >> bits) & 0xff) == 0);
}

static bool
dmarc_test(const struct rq_clause *c, const struct external_report *x)
{
	const struct dmarc_report *d = &x->report->u.dmarc;

	switch (c->field) {
	case RQ_F_DOMAIN:
		return (text_test(c, d->policy_domain));
	case RQ_F_REPORTER:
		return (text_test(c, d->org_name) || text_test(c, d->email) ||
		    text_test(c, x->from));
	case RQ_F_REPORT_ID:
		return (text_test(c, d->report_id));
	case RQ_F_DATE:
		return (time_test(c, d->date_range_begin));
	default:
		return (false);
	}
}

static bool
tls_test(const struct rq_clause *c, const struct external_report *x)
{
	const struct tls_report *t = &x->report->u.tls;
	uint64_t failed = 0;
	size_t	i, j;
	bool	hit = false;

	for (i = 0; i < t->n_policies; i++) {
		const struct tls_policy *p = &t->policies[i];

		failed += p->total_failed_sessions;
		if (c->field == RQ_F_DOMAIN)
			hit = hit || text_test(c, p->policy_domain);
		for (j = 0; c->field == RQ_F_IP && j < p->n_failures; j++)
			hit = hit || ip_test(c, p->failures[j].sending_mta_ip);
	}
	switch (c->field) {
	case RQ_F_REPORTER:
		return (text_test(c, t->organization_name) ||
		    text_test(c, t->contact_info) || text_test(c, x->from));
	case RQ_F_REPORT_ID:
		return (text_test(c, t->report_id));
	case RQ_F_DATE:
		return (time_test(c, t->date_range_start));
	case RQ_F_TLS_FAILED:
		return (num_test(c, failed));
	default:
		return (hit);
	}
}

static bool
arf_test(const struct rq_clause *c, const struct external_report *x)
{
	const struct arf_report *a = &x->report->u.arf;

	switch (c->field) {
	case RQ_F_DOMAIN:
		return (list_test(c, &a->reported_domains));
	case RQ_F_REPORTER:
		return (text_test(c, x->from));
	case RQ_F_DATE:
		return (a->has_arrival_date && time_test(c, a->arrival_date));
	case RQ_F_IP:
		return (ip_test(c, a->source_ip));
	case RQ_F_FEEDBACK_TYPE:
		return ((int) a->feedback_type == c->value);
	default:
		return (false);
	}
}

/* The positive test of c on the object (a DMARC report's records aside). */
static bool
object_test(const struct rq_clause *c, const struct external_report *x)
{
	if (c->field == RQ_F_RECEIVED)
		return (time_test(c, x->received_at));
	if (c->field == RQ_F_EXPIRES)
		return (time_test(c, x->expires_at));
	if (c->field == RQ_F_AUTHENTICATED)
		return ((int) x->authenticated == c->value);
	switch (x->report->type) {
	case RECORD_DMARC:
		return (dmarc_test(c, x));
	case RECORD_TLS:
		return (tls_test(c, x));
	default:
		return (arf_test(c, x));
	}
}

/* Is the clause on a source's host entry? */
static bool
is_host(const struct rq_clause *c)
{
	return (c->field == RQ_F_SERVICE || c->field == RQ_F_BASE_DOMAIN ||
	    c->field == RQ_F_COUNTRY || c->field == RQ_F_ASN);
}

/* Does the clause look at DMARC records? */
static bool
on_records(const struct rq_where *w, const struct rq_clause *c)
{
	return (w->type == RECORD_DMARC && (c->field == RQ_F_IP ||
	    c->field == RQ_F_DMARC || c->field == RQ_F_TEXT ||
	    is_host(c)));
}

/*
 * True when no record can change the verdict: a negated record clause
 * already holds (so the report fails), or every record clause does.
 */
static bool
settled(const struct rq_match *m)
{
	size_t	i;
	bool	all = true;

	for (i = 0; i < m->w->n; i++) {
		if (!on_records(m->w, &m->w->v[i]))
			continue;
		if (m->hit[i] && rq_op_negates(m->w->v[i].op))
			return (true);
		all = all && m->hit[i];
	}
	return (all);
}

bool
rq_match_result(const struct rq_match *m)
{
	size_t	i;

	for (i = 0; i < m->w->n; i++)
		if (m->hit[i] == rq_op_negates(m->w->v[i].op))
			return (false);
	return (true);
}

enum rq_verdict
rq_match_report(struct rq_match *m, const struct rq_where *w,
    const struct external_report *x)
{
	char   *json = NULL;
	size_t	i;
	bool	need = false;

	memset(m, 0, sizeof(*m));
	m->w = w;
	if (x->report == NULL || x->report->type != w->type)
		return (RQ_MATCH_NO);
	for (i = 0; i < w->n; i++) {
		const struct rq_clause *c = &w->v[i];

		if (c->field != RQ_F_TEXT)
			m->hit[i] = object_test(c, x);
		else if (json != NULL ||
		    (json = record_json_write(x, 0, NULL)) != NULL)
			m->hit[i] = ci_contains(json, c->text);
		else
			return (RQ_MATCH_NOMEM);
		if (on_records(w, c))
			need = true;
		else if (m->hit[i] == rq_op_negates(c->op)) {
			free(json);
			return (RQ_MATCH_NO);
		}
	}
	free(json);
	if (need && !settled(m))
		return (RQ_MATCH_RECORDS);
	return (rq_match_result(m) ? RQ_MATCH_YES : RQ_MATCH_NO);
}

/* The positive test of a host clause on what is known of a source. */
static bool
host_test(const struct rq_clause *c, const struct rq_where_host *h)
{
	const char *s;

	switch (c->field) {
	case RQ_F_ASN:
		return (h->asn != 0 && h->asn == c->num);
	case RQ_F_SERVICE:
		s = h->service;
		break;
	case RQ_F_BASE_DOMAIN:
		s = h->base_domain;
		break;
	default:
		s = h->country;
		break;
	}
	return (s != NULL && *s != '\0' && text_test(c, s));
}

/*
 * The host entry of rec's source into *h, asked of w->host once per
 * record. Returns 1 (known), 0 (nothing known) or -1 (w->host failed).
 */
static int
record_host(const struct rq_where *w, const struct dmarc_record *rec,
    struct rq_where_host *h, int *asked)
{
	static const struct rq_where_host none;
	int	known;

	if (*asked)
		return (*asked > 0 ? 1 : 0);
	*h = none;
	known = w->host == NULL || rec->source_ip == NULL ? 0 :
	    w->host(w->host_arg, rec->source_ip, h);
	if (known < 0)
		return (-1);
	*asked = known ? 1 : -1;
	return (known);
}

/* Tests one record against the record clauses not yet true; 0 or -1. */
static int
record_test(struct rq_match *m, const struct dmarc_record *rec)
{
	struct rq_where_host h;
	char   *json = NULL;
	size_t	i;
	int	asked = 0, known;

	for (i = 0; i < m->w->n; i++) {
		const struct rq_clause *c = &m->w->v[i];

		if (m->hit[i] || !on_records(m->w, c))
			continue;
		if (is_host(c)) {
			if ((known = record_host(m->w, rec, &h, &asked)) < 0) {
				free(json);
				return (-1);
			}
			m->hit[i] = known && host_test(c, &h);
		} else if (c->field == RQ_F_IP)
			m->hit[i] = ip_test(c, rec->source_ip);
		else if (c->field == RQ_F_DMARC)
			m->hit[i] = rq_record_passes(rec) == (c->value != 0);
		else if (json != NULL ||
		    (json = record_json_write_record(rec, 0, NULL)) != NULL)
			m->hit[i] = ci_contains(json, c->text);
		else
			return (-1);
	}
	free(json);
	return (0);
}

int
rq_match_records(struct rq_match *m, const struct dmarc_record *recs,
    size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (record_test(m, &recs[i]) < 0)
			return (-1);
		if (settled(m))
			return (1);
	}
	return (0);
}
