/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_ids - lists of report ids
 * PURPOSE
 *	Ids are short fixed-size strings, so a list is one array of them:
 *	a million reports take 16 MB, and sorting is one qsort().
 */
#include <stdlib.h>
#include <string.h>

#include "rq_ids.h"

int
rq_ids_add(struct rq_ids *ids, const char *id)
{
	size_t	len;

	if (ids->n == ids->cap) {
		size_t	cap = ids->cap ? ids->cap * 2 : 256;
		void   *v;

		if (cap < ids->cap || cap > SIZE_MAX / RQ_ID_SIZE ||
		    (v = realloc(ids->v, cap * RQ_ID_SIZE)) == NULL)
			return (-1);
		ids->v = v;
		ids->cap = cap;
	}
	len = strnlen(id, RQ_ID_SIZE - 1);
	memcpy(ids->v[ids->n], id, len);
	ids->v[ids->n][len] = '\0';
	ids->n++;
	return (0);
}

int
rq_ids_collect(void *arg, const char *id)
{
	struct rq_ids *ids = arg;

	if (rq_ids_add(ids, id) == 0)
		return (0);
	ids->nomem = 1;
	return (1);
}

static int
by_id(const void *a, const void *b)
{
	return (strcmp(a, b));
}

void
rq_ids_unique(struct rq_ids *ids)
{
	size_t	i, j;

	if (ids->n < 2)
		return;
	qsort(ids->v, ids->n, RQ_ID_SIZE, by_id);
	for (i = j = 1; i < ids->n; i++)
		if (strcmp(ids->v[i], ids->v[j - 1]) != 0)
			memcpy(ids->v[j++], ids->v[i], RQ_ID_SIZE);
	ids->n = j;
}

void
rq_ids_clear(struct rq_ids *ids)
{
	free(ids->v);
	memset(ids, 0, sizeof(*ids));
}
