/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_tally - counters per key in an open-addressing hash table
 * PURPOSE
 *	Keys are compared as bytes; the table doubles when it is half full,
 *	so that a summary over many distinct source IPs stays linear.
 */
#include <stdlib.h>
#include <string.h>

#include "rq_tally.h"

struct rq_tally {
	struct rq_tally_row *slot;	/* key NULL: free */
	size_t	cap;			/* a power of two */
	size_t	n;
};

/* FNV-1a: short keys, no adversary worth a keyed hash here. */
static size_t
hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char) *s++) * 1099511628211ULL;
	return ((size_t) h);
}

struct rq_tally *
rq_tally_new(void)
{
	struct rq_tally *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return (NULL);
	t->cap = 64;
	if ((t->slot = calloc(t->cap, sizeof(*t->slot))) == NULL) {
		free(t);
		return (NULL);
	}
	return (t);
}

void
rq_tally_free(struct rq_tally *t)
{
	size_t	i;

	if (t == NULL)
		return;
	for (i = 0; i < t->cap; i++)
		free(t->slot[i].key);
	free(t->slot);
	free(t);
}

size_t
rq_tally_count(const struct rq_tally *t)
{
	return (t->n);
}

struct rq_tally_row *
rq_tally_next(struct rq_tally *t, size_t *pos)
{
	while (*pos < t->cap)
		if (t->slot[(*pos)++].key != NULL)
			return (&t->slot[*pos - 1]);
	return (NULL);
}

/* The slot of key, or the free slot where it would go. */
static struct rq_tally_row *
find(struct rq_tally_row *slot, size_t cap, const char *key)
{
	size_t	i = hash(key) & (cap - 1);

	while (slot[i].key != NULL && strcmp(slot[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return (&slot[i]);
}

/* Doubles the table; 0 or -1 (out of memory, the table unchanged). */
static int
grow(struct rq_tally *t)
{
	struct rq_tally_row *slot;
	size_t	cap = t->cap * 2, i;

	if (cap < t->cap || (slot = calloc(cap, sizeof(*slot))) == NULL)
		return (-1);
	for (i = 0; i < t->cap; i++)
		if (t->slot[i].key != NULL)
			*find(slot, cap, t->slot[i].key) = t->slot[i];
	free(t->slot);
	t->slot = slot;
	t->cap = cap;
	return (0);
}

uint64_t *
rq_tally_get(struct rq_tally *t, const char *key)
{
	struct rq_tally_row *r;

	if (t->n + 1 > t->cap / 2 && grow(t) < 0)
		return (NULL);
	r = find(t->slot, t->cap, key);
	if (r->key == NULL) {
		if ((r->key = strdup(key)) == NULL)
			return (NULL);
		memset(r->v, 0, sizeof(r->v));
		t->n++;
	}
	return (r->v);
}

static size_t sort_col;		/* qsort has no argument for it */

static int
by_col(const void *a, const void *b)
{
	const struct rq_tally_row *x = *(const struct rq_tally_row *const *) a;
	const struct rq_tally_row *y = *(const struct rq_tally_row *const *) b;

	if (x->v[sort_col] != y->v[sort_col])
		return (x->v[sort_col] > y->v[sort_col] ? -1 : 1);
	return (strcmp(x->key, y->key));
}

struct rq_tally_row **
rq_tally_sorted(struct rq_tally *t, size_t col, size_t *n)
{
	struct rq_tally_row **v;
	size_t	i, j;

	*n = 0;
	if (t->n == 0 || (v = malloc(t->n * sizeof(*v))) == NULL)
		return (NULL);
	for (i = j = 0; i < t->cap; i++)
		if (t->slot[i].key != NULL)
			v[j++] = &t->slot[i];
	sort_col = col < RQ_TALLY_COLS ? col : 0;
	qsort(v, j, sizeof(*v), by_col);
	*n = j;
	return (v);
}
