/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_scan - the candidates of a query, from the best index
 * PURPOSE
 *	A query is evaluated on every report it reads, so the index only
 *	has to give a superset of the answer. The clause to narrow by is the
 *	one whose index range is likely the smallest: an exact report id,
 *	IP, domain or reporter, then an IP block, then the time ranges (all
 *	the bounds on one time field taken together), and, when no clause
 *	can use an index, the reports of the query's type.
 */
#include <string.h>

#include "rq_ids.h"

/* A range and the bytes of its bounds. */
struct bounds {
	struct store_range r;
	unsigned char lo[256];
	unsigned char hi[256];
};

static void
exact_text(struct bounds *b, enum store_index idx, const char *text)
{
	b->r.index = idx;
	b->r.lo = b->lo;
	b->r.lo_len = store_key_text(text, (char *) b->lo, sizeof(b->lo));
	b->r.hi = b->lo;
	b->r.hi_len = b->r.lo_len;
}

static void
ip_block(struct bounds *b, const struct rq_clause *c)
{
	unsigned i;

	memcpy(b->lo, c->ip, 16);
	memcpy(b->hi, c->ip, 16);
	for (i = c->prefix; i < 128; i++)
		b->hi[i / 8] |= (unsigned char) (0x80u >> (i % 8));
	b->r.index = STORE_IDX_IP;
	b->r.lo = b->lo;
	b->r.lo_len = 16;
	b->r.hi = b->hi;
	b->r.hi_len = 16;
}

/* The first positive clause on field (with prefix 128 if exact_ip). */
static const struct rq_clause *
find(const struct rq_where *w, enum rq_field f, int exact_ip)
{
	size_t	i;

	for (i = 0; i < w->n; i++)
		if (w->v[i].field == f && w->v[i].op == RQ_OP_EQ &&
		    (f != RQ_F_IP || !exact_ip || w->v[i].prefix == 128))
			return (&w->v[i]);
	return (NULL);
}

/*
 * The bounds of every clause on time field f taken together: [*lo, *hi)
 * with *has_lo and *has_hi saying whether there is a bound. False when no
 * clause on f can narrow.
 */
static bool
time_bounds(const struct rq_where *w, enum rq_field f, int64_t *lo,
    int64_t *hi, bool *has_lo, bool *has_hi)
{
	size_t	i;

	*has_lo = *has_hi = false;
	for (i = 0; i < w->n; i++) {
		const struct rq_clause *c = &w->v[i];
		int64_t	l = c->lo, h = c->hi;

		if (c->field != f || c->op == RQ_OP_NE)
			continue;
		if (c->op == RQ_OP_LT || c->op == RQ_OP_LE) {
			h = c->op == RQ_OP_LT ? c->lo : c->hi;
			if (!*has_hi || h < *hi)
				*hi = h;
			*has_hi = true;
			continue;
		}
		l = c->op == RQ_OP_GT ? c->hi : l;
		if (!*has_lo || l > *lo)
			*lo = l;
		*has_lo = true;
		if (c->op == RQ_OP_EQ && (!*has_hi || h < *hi)) {
			*hi = h;
			*has_hi = true;
		}
	}
	return (*has_lo || *has_hi);
}

/* A time range on field f; false when f has no clause to narrow by. */
static bool
time_range(struct bounds *b, const struct rq_where *w, enum rq_field f,
    enum store_index idx, bool *empty)
{
	int64_t	lo = 0, hi = 0;
	bool	has_lo, has_hi;

	if (!time_bounds(w, f, &lo, &hi, &has_lo, &has_hi))
		return (false);
	*empty = has_lo && has_hi && hi <= lo;
	b->r.index = idx;
	b->r.lo = b->lo;
	b->r.lo_len = has_lo ? store_key_time(lo, b->lo) : 0;
	b->r.hi = has_hi ? b->hi : NULL;
	b->r.hi_len = has_hi ? store_key_time(hi - 1, b->hi) : 0;
	return (true);
}

/* Picks the range to scan; *empty when no report can match. */
static void
pick(struct bounds *b, const struct rq_where *w, bool *empty)
{
	const struct rq_clause *c;

	*empty = false;
	if ((c = find(w, RQ_F_REPORT_ID, 0)) != NULL)
		exact_text(b, STORE_IDX_REPORT_ID, c->text);
	else if ((c = find(w, RQ_F_IP, 1)) != NULL)
		ip_block(b, c);
	else if ((c = find(w, RQ_F_DOMAIN, 0)) != NULL)
		exact_text(b, STORE_IDX_DOMAIN, c->text);
	else if ((c = find(w, RQ_F_REPORTER, 0)) != NULL)
		exact_text(b, STORE_IDX_REPORTER, c->text);
	else if ((c = find(w, RQ_F_IP, 0)) != NULL)
		ip_block(b, c);
	else if (!time_range(b, w, RQ_F_DATE, STORE_IDX_DATE, empty) &&
	    !time_range(b, w, RQ_F_RECEIVED, STORE_IDX_RECEIVED, empty) &&
	    !time_range(b, w, RQ_F_EXPIRES, STORE_IDX_EXPIRES, empty)) {
		b->lo[0] = (unsigned char) w->type;
		b->r.index = STORE_IDX_TYPE;
		b->r.lo = b->r.hi = b->lo;
		b->r.lo_len = b->r.hi_len = 1;
	}
}

enum store_status
rq_candidates(struct store *s, const struct rq_where *w, struct rq_ids *out,
    struct store_error *err)
{
	struct bounds b;
	enum store_status st;
	bool	empty;

	memset(&b, 0, sizeof(b));
	pick(&b, w, &empty);
	if (empty)
		return (STORE_OK);
	st = store_scan(s, &b.r, rq_ids_collect, out, err);
	if (st == STORE_STOPPED && out->nomem)
		return (STORE_NOMEM);
	if (st == STORE_OK)
		rq_ids_unique(out);
	return (st);
}
