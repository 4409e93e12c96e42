/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_alerts_check - the conditions of report-query alerts
 * PURPOSE
 *	One pass over the store (rq_sum_store_each(): summary's figures,
 *	plus TLS failure types per policy domain and when each reporter
 *	sent), then each condition compares what it finds with the last
 *	run's state. The state holds, per key, what the next run compares
 *	against: totals (failed sessions, DMARC messages and passes, the
 *	quarantine's size) so that only what came since is judged, and
 *	marks (a failure type, a source, a quiet reporter) so that each is
 *	told once. A total that shrank (reports purged) is taken as the
 *	new base and says nothing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "record_enum.h"

#include "rq.h"
#include "rq_alerts.h"
#include "rq_sum_store.h"

#define VERB	"alerts"
#define DAY	86400

/* What the pass adds up beside the summary's tables. */
struct gather {
	struct rq_tally *tls_types;	/* "domain\ttype": failed sessions */
	struct rq_tally *reporters;	/* last receivedAt, days, last day */
};

static const char *
reporter_of(const struct external_report *x)
{
	const struct report *r = x->report;

	if (r->type == RECORD_DMARC)
		return (r->u.dmarc.org_name[0] ? r->u.dmarc.org_name :
		    r->u.dmarc.email);
	if (r->type == RECORD_TLS && r->u.tls.organization_name != NULL &&
	    r->u.tls.organization_name[0] != '\0')
		return (r->u.tls.organization_name);
	return (x->from);
}

static int
gather_one(void *arg, const struct external_report *x)
{
	struct gather *g = arg;
	const struct tls_report *t;
	char	key[1024];
	uint64_t *v, day = x->received_at > 0 ? (uint64_t) x->received_at / DAY : 0;
	size_t	i, j;

	if (x->report->type == RECORD_TLS) {
		t = &x->report->u.tls;
		for (i = 0; i < t->n_policies; i++)
			for (j = 0; j < t->policies[i].n_failures; j++) {
				snprintf(key, sizeof(key), "%s\t%s",
				    t->policies[i].policy_domain,
				    record_enum_name(RENUM_TLS_RESULT_TYPE,
				    (int) t->policies[i].failures[j].result_type));
				if ((v = rq_tally_get(g->tls_types, key)) == NULL)
					return (-1);
				v[0] += t->policies[i].failures[j].failed_session_count;
				v[1]++;
			}
	}
	if ((v = rq_tally_get(g->reporters, reporter_of(x))) == NULL)
		return (-1);
	/* Reports come in receivedAt order: a new day is a later one. */
	if (v[1] == 0 || v[2] != day)
		v[1]++;
	v[2] = day;
	if ((uint64_t) x->received_at > v[0])
		v[0] = (uint64_t) x->received_at;
	return (0);
}

/* The rows of t in key order (the caller frees the array); n 0: none. */
static struct rq_tally_row **
by_key(struct rq_tally *t, size_t *n)
{
	/* The last column is never counted by these tallies: key order. */
	return (rq_tally_sorted(t, RQ_TALLY_COLS - 1, n));
}

#define NOMEM	(-1)

/*
 * The rows of (kind, key) in the last run's state (*was, zeros when it
 * is new) and in the state to be written (*now). The two are different
 * tallies, so neither pointer moves while the other is got. NOMEM when
 * out of memory.
 */
static int
carry(struct rq_tally *old, struct rq_tally *next, const char *kind,
    const char *key, const uint64_t **was, uint64_t **now)
{
	if ((*was = rq_alerts_state_get(old, kind, key)) == NULL ||
	    (*now = rq_alerts_state_get(next, kind, key)) == NULL)
		return (NOMEM);
	return (0);
}

/* A new TLS failure type for a policy domain. */
static int
tls_types(struct gather *g, struct rq_tally *old, struct rq_tally *next,
    struct rq_alerts *out)
{
	struct rq_tally_row **r = NULL;
	const uint64_t *o;
	uint64_t *nx, seen;
	size_t	n, i;
	char   *tab, subj[1024];

	if ((r = by_key(g->tls_types, &n)) == NULL && n > 0)
		return (NOMEM);
	for (i = 0; i < n; i++) {
		snprintf(subj, sizeof(subj), "%s", r[i]->key);
		if (carry(old, next, "tls-type", subj, &o, &nx) < 0)
			goto nomem;
		seen = o[0];
		nx[0] = 1;
		if (seen)
			continue;
		tab = strchr(subj, '\t');
		*tab = ' ';		/* the subject: "domain type" */
		if (rq_alerts_add(out, "tls-type", subj, "TLS-RPT %.*s: new "
		    "failure type %s (%" PRIu64 " failed sessions)",
		    (int) (tab - subj), subj, tab + 1, r[i]->v[0]) < 0)
			goto nomem;
	}
	free(r);
	return (0);
nomem:
	free(r);
	return (NOMEM);
}

/* TLS failed sessions for a policy domain since the last run. */
static int
tls_failed(struct rq_sum *sum, const struct rq_alerts_conf *c,
    struct rq_tally *old, struct rq_tally *next, struct rq_alerts *out)
{
	struct rq_tally_row **r;
	const uint64_t *o;
	uint64_t *nx, prev, now;
	size_t	n, i;

	if ((r = by_key(sum->t[RQ_SUM_TLS_DOMAIN], &n)) == NULL && n > 0)
		return (NOMEM);
	for (i = 0; i < n; i++) {
		now = r[i]->v[2];
		if (carry(old, next, "tls-failed", r[i]->key, &o, &nx) < 0)
			goto nomem;
		prev = o[0];
		nx[0] = now;
		if (now > prev && now - prev >= c->tls_failed &&
		    rq_alerts_add(out, "tls-failed", r[i]->key, "TLS-RPT %s: %"
		    PRIu64 " failed sessions since the last run (threshold %"
		    PRIu64 ")", r[i]->key, now - prev, c->tls_failed) < 0)
			goto nomem;
	}
	free(r);
	return (0);
nomem:
	free(r);
	return (NOMEM);
}

/* A policy domain's DMARC compliance, in the messages since the last run. */
static int
compliance(struct rq_sum *sum, const struct rq_alerts_conf *c,
    struct rq_tally *old, struct rq_tally *next, struct rq_alerts *out)
{
	struct rq_tally_row **r;
	const uint64_t *o;
	uint64_t *nx, pm, pp, m, p;
	size_t	n, i;

	if ((r = by_key(sum->t[RQ_SUM_DMARC_DOMAIN], &n)) == NULL && n > 0)
		return (NOMEM);
	for (i = 0; i < n; i++) {
		if (carry(old, next, "dmarc-compliance", r[i]->key, &o,
		    &nx) < 0)
			goto nomem;
		pm = o[0];
		pp = o[1];
		nx[0] = r[i]->v[1];
		nx[1] = r[i]->v[2];
		if (r[i]->v[1] <= pm || r[i]->v[2] < pp)
			continue;	/* nothing new, or purged */
		m = r[i]->v[1] - pm;
		p = r[i]->v[2] - pp;
		if (p * 100 < c->compliance * m &&
		    rq_alerts_add(out, "dmarc-compliance", r[i]->key, "DMARC %s: "
		    "%.1f%% of %" PRIu64 " new messages passed (threshold %"
		    PRIu64 "%%)", r[i]->key, 100.0 * (double) p / (double) m, m,
		    c->compliance) < 0)
			goto nomem;
	}
	free(r);
	return (0);
nomem:
	free(r);
	return (NOMEM);
}

/* A source failing DMARC with more messages than the threshold. */
static int
sources(struct rq_sum *sum, const struct rq_alerts_conf *c,
    struct rq_tally *old, struct rq_tally *next, struct rq_alerts *out)
{
	struct rq_tally_row **r;
	const uint64_t *o;
	uint64_t *nx, seen;
	size_t	n, i;

	if ((r = by_key(sum->t[RQ_SUM_DMARC_IP], &n)) == NULL && n > 0)
		return (NOMEM);
	for (i = 0; i < n; i++) {
		if (r[i]->v[2] <= c->source_messages || r[i]->key[0] == '\0')
			continue;
		if (carry(old, next, "dmarc-source", r[i]->key, &o, &nx) < 0)
			goto nomem;
		seen = o[0];
		nx[0] = r[i]->v[2];
		if (!seen && rq_alerts_add(out, "dmarc-source", r[i]->key,
		    "DMARC new failing source %s: %" PRIu64 " of %" PRIu64
		    " messages failed (threshold %" PRIu64 ")", r[i]->key,
		    r[i]->v[2], r[i]->v[0], c->source_messages) < 0)
			goto nomem;
	}
	free(r);
	return (0);
nomem:
	free(r);
	return (NOMEM);
}

/* A reporter that sent on many days and has gone quiet. */
static int
quiet(struct gather *g, const struct rq_alerts_conf *c, int64_t now,
    struct rq_tally *old, struct rq_tally *next, struct rq_alerts *out)
{
	struct rq_tally_row **r;
	const uint64_t *o;
	uint64_t *nx, seen;
	size_t	n, i;
	char	when[32];
	time_t	t;

	if ((r = by_key(g->reporters, &n)) == NULL && n > 0)
		return (NOMEM);
	for (i = 0; i < n; i++) {
		if (r[i]->v[1] < c->daily_days || r[i]->key[0] == '\0' ||
		    (uint64_t) now < r[i]->v[0] + c->quiet_days * DAY)
			continue;
		if (carry(old, next, "quiet", r[i]->key, &o, &nx) < 0)
			goto nomem;
		seen = o[0];
		nx[0] = r[i]->v[0];
		if (seen == r[i]->v[0])
			continue;	/* told already, and still quiet */
		t = (time_t) r[i]->v[0];
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
		if (rq_alerts_add(out, "quiet", r[i]->key, "reporter %s: sent "
		    "on %" PRIu64 " days, nothing since %s", r[i]->key,
		    r[i]->v[1], when) < 0)
			goto nomem;
	}
	free(r);
	return (0);
nomem:
	free(r);
	return (NOMEM);
}

/* The quarantine grew by the threshold since the last run. */
static int
quarantine(uint64_t q, const struct rq_alerts_conf *c, struct rq_tally *old,
    struct rq_tally *next, struct rq_alerts *out)
{
	const uint64_t *o;
	uint64_t *nx, prev;

	if (carry(old, next, "quarantine", "size", &o, &nx) < 0)
		return (NOMEM);
	prev = o[0];
	nx[0] = q;
	if (q > prev && q - prev >= c->quarantine_growth &&
	    rq_alerts_add(out, "quarantine", "size", "quarantine: %" PRIu64
	    " report mails, %" PRIu64 " more since the last run (report-query "
	    "quarantine list)", q, q - prev) < 0)
		return (NOMEM);
	return (0);
}

int
rq_alerts_check(const char *dir, struct store *s,
    const struct rq_alerts_conf *c, struct rq_tally *old,
    struct rq_tally *next, int64_t now, struct rq_alerts *out)
{
	struct gather g = { rq_tally_new(), rq_tally_new() };
	struct store_error err = { "" };
	struct store_stat st;
	enum store_status sst;
	struct rq_sum sum;
	int	rc;

	if (g.tls_types == NULL || g.reporters == NULL || rq_sum_init(&sum) < 0) {
		rq_tally_free(g.tls_types);
		rq_tally_free(g.reporters);
		return (rq_fail(VERB, "out of memory"));
	}
	rc = rq_sum_store_each(VERB, dir, s, &sum, 0, INT64_MAX, gather_one,
	    &g);
	if (rc == RQ_EXIT_OK && (sst = store_stat(s, &st, &err)) != STORE_OK)
		rc = rq_store_fail(VERB, dir, sst, &err);
	if (rc == RQ_EXIT_OK && (tls_types(&g, old, next, out) < 0 ||
	    tls_failed(&sum, c, old, next, out) < 0 ||
	    compliance(&sum, c, old, next, out) < 0 ||
	    sources(&sum, c, old, next, out) < 0 ||
	    quiet(&g, c, now, old, next, out) < 0 ||
	    quarantine(st.quarantined, c, old, next, out) < 0))
		rc = rq_fail(VERB, "out of memory");
	rq_sum_clear(&sum);
	rq_tally_free(g.tls_types);
	rq_tally_free(g.reporters);
	return (rc);
}
