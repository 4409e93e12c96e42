/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_sum_store - adds up the reports of a store for summary and metrics
 * PURPOSE
 *	Collects the ids in the receivedAt range first, then reads each
 *	report (and streams a DMARC report's records) into the rq_sum.
 */
#include "rq.h"
#include "rq_ids.h"
#include "rq_sum_store.h"

struct sum_run {
	const char *verb;
	const char *dir;
	struct store *s;
	struct rq_sum *sum;
	rq_sum_store_fn *each;
	void   *arg;
	const struct external_report *x;	/* the DMARC report streaming */
	int	nomem;
};

static int
sum_records(void *arg, const struct dmarc_record *recs, size_t n)
{
	struct sum_run *sr = arg;

	if (rq_sum_records(sr->sum, sr->x, recs, n) < 0) {
		sr->nomem = 1;
		return (1);
	}
	return (0);
}

/* Adds one report up; RQ_EXIT_OK or RQ_EXIT_FAIL. */
static int
sum_one(struct sum_run *sr, const char *id)
{
	struct external_report *x;
	struct store_error err = { "" };
	enum store_status st;
	int	rc = RQ_EXIT_OK;

	if ((st = store_get(sr->s, id, false, &x, NULL, &err)) ==
	    STORE_NOTFOUND)
		return (RQ_EXIT_OK);
	if (st != STORE_OK)
		return (rq_store_fail(sr->verb, sr->dir, st, &err));
	if (rq_sum_report(sr->sum, x) < 0 ||
	    (sr->each != NULL && sr->each(sr->arg, x) < 0))
		rc = rq_fail(sr->verb, "out of memory");
	else if (x->report->type == RECORD_DMARC) {
		sr->x = x;
		st = store_get_lean_records(sr->s, id, sum_records, sr, &err);
		if (sr->nomem)
			rc = rq_fail(sr->verb, "out of memory");
		else if (st != STORE_OK)
			rc = rq_store_fail(sr->verb, sr->dir, st, &err);
	}
	external_report_free(x);
	return (rc);
}

int
rq_sum_store(const char *verb, const char *dir, struct store *s,
    struct rq_sum *sum, int64_t since, int64_t until)
{
	return (rq_sum_store_each(verb, dir, s, sum, since, until, NULL,
	    NULL));
}

int
rq_sum_store_each(const char *verb, const char *dir, struct store *s,
    struct rq_sum *sum, int64_t since, int64_t until,
    rq_sum_store_fn *each, void *arg)
{
	struct sum_run sr = { verb, dir, s, sum, each, arg, NULL, 0 };
	unsigned char lo[8], hi[8];
	struct store_range r = { STORE_IDX_RECEIVED, lo, 0, NULL, 0 };
	struct rq_ids ids = { NULL, 0, 0, 0 };
	struct store_error err = { "" };
	enum store_status st = STORE_OK;
	size_t	i;
	int	rc = RQ_EXIT_OK;

	r.lo_len = since ? store_key_time(since, lo) : 0;
	if (until != INT64_MAX) {
		r.hi = hi;
		r.hi_len = store_key_time(until - 1, hi);
	}
	if (until > since)
		st = store_scan(s, &r, rq_ids_collect, &ids, &err);
	if (st == STORE_STOPPED && ids.nomem)
		st = STORE_NOMEM;
	if (st != STORE_OK)
		rc = rq_store_fail(verb, dir, st, &err);
	for (i = 0; i < ids.n && rc == RQ_EXIT_OK; i++)
		rc = sum_one(&sr, ids.v[i]);
	rq_ids_clear(&ids);
	return (rc);
}
