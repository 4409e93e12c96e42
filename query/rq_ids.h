/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_ids.h - lists of report ids, and the ids a query looks at
 * PURPOSE
 *	A store scan hands ids to a callback inside a read transaction; the
 *	verbs collect them first and read each report afterwards, so that
 *	no store call runs inside another. rq_candidates() picks the index
 *	that narrows a query most and collects what it finds.
 */
#ifndef RQ_IDS_H
#define RQ_IDS_H

#include <stddef.h>

#include "rq_where.h"
#include "store.h"

/* Ids are 7 characters now; the room allows for longer ones later. */
#define RQ_ID_SIZE	16

struct rq_ids {
	char	(*v)[RQ_ID_SIZE];
	size_t	n;
	size_t	cap;
	int	nomem;		/* an add failed (rq_ids_collect) */
};

/* Appends id (copied; one longer than RQ_ID_SIZE - 1 is cut); 0 or -1. */
int	rq_ids_add(struct rq_ids *ids, const char *id);

/*
 * A store_ids_fn that appends to the struct rq_ids at arg. When memory
 * runs out it sets nomem and stops the scan.
 */
int	rq_ids_collect(void *arg, const char *id);

/* Sorts the ids and drops repeats. */
void	rq_ids_unique(struct rq_ids *ids);

/* Frees the list; it is left empty. */
void	rq_ids_clear(struct rq_ids *ids);

/*
 * The ids of every report that may match w: those an index gives for
 * the most selective clause (report id, IP, domain, reporter, then the
 * time ranges), else every report of w's type. The list is a superset:
 * evaluate each report with rq_match_report(). Sorted, without repeats.
 * Returns STORE_OK, STORE_NOMEM or the scan's status.
 */
enum store_status rq_candidates(struct store *s, const struct rq_where *w,
    struct rq_ids *out, struct store_error *err);

#endif
