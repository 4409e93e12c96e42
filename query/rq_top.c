/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_top - the top rows of a tally by one counter
 * PURPOSE
 *	A bounded selection kept in order by insertion (max rows, a few
 *	tens), or every row sorted once at the end (max 0).
 */
#include <stdlib.h>
#include <string.h>

#include "rq_top.h"

static size_t top_col;		/* qsort has no argument for it */

/* Is a before b: a larger counter, or the same and a smaller key? */
static int
before(const struct rq_tally_row *a, const struct rq_tally_row *b,
    size_t col)
{
	if (a->v[col] != b->v[col])
		return (a->v[col] > b->v[col]);
	return (strcmp(a->key, b->key) < 0);
}

static int
by_top_col(const void *a, const void *b)
{
	const struct rq_tally_row *x = a, *y = b;

	return (before(x, y, top_col) ? -1 : before(y, x, top_col) ? 1 : 0);
}

void
rq_top_init(struct rq_top *k, size_t max, size_t col)
{
	memset(k, 0, sizeof(*k));
	k->max = max;
	k->col = col < RQ_TALLY_COLS ? col : 0;
}

int
rq_top_add(struct rq_top *k, const struct rq_tally_row *r)
{
	struct rq_tally_row *v, copy;
	size_t	i, cap;

	k->seen++;
	if (k->max > 0 && k->n == k->max) {
		if (!before(r, &k->v[k->n - 1], k->col))
			return (0);
		free(k->v[--k->n].key);	/* the last one gives way */
	} else if (k->n == k->cap) {
		cap = k->cap ? k->cap * 2 : 16;
		if (k->max > 0 && cap > k->max)
			cap = k->max;
		if (cap < k->cap || (v = realloc(k->v, cap * sizeof(*v))) ==
		    NULL)
			return (-1);
		k->v = v;
		k->cap = cap;
	}
	copy = *r;
	if ((copy.key = strdup(r->key)) == NULL)
		return (-1);
	if (k->max == 0) {		/* all: sorted once, at the end */
		k->v[k->n++] = copy;
		return (0);
	}
	for (i = k->n; i > 0 && before(&copy, &k->v[i - 1], k->col); i--)
		k->v[i] = k->v[i - 1];
	k->v[i] = copy;
	k->n++;
	return (0);
}

static int
top_row(void *arg, struct rq_tally_row *r)
{
	return (rq_top_add(arg, r) < 0 ? -1 : 0);
}

int
rq_top_tally(struct rq_top *k, struct rq_tally *t)
{
	return (rq_tally_each(t, top_row, k) != 0 ? -1 : 0);
}

void
rq_top_done(struct rq_top *k)
{
	if (k->max == 0 && k->n > 1) {
		top_col = k->col;
		qsort(k->v, k->n, sizeof(*k->v), by_top_col);
	}
}

void
rq_top_clear(struct rq_top *k)
{
	size_t	i;

	for (i = 0; i < k->n; i++)
		free(k->v[i].key);
	free(k->v);
	memset(k, 0, sizeof(*k));
}
