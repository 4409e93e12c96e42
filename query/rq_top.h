/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_top.h - the top rows of a tally by one counter
 * PURPOSE
 *	Largest first, then by key (as rq_tally_sorted() orders them),
 *	without sorting every row: a table of two million source IPs is
 *	read once and only the rows shown are kept, as copies, so that the
 *	rows of a tally that spilled (rq_tally_each()) can be kept too.
 */
#ifndef RQ_TOP_H
#define RQ_TOP_H

#include <stddef.h>

#include "rq_tally.h"

struct rq_top {
	struct rq_tally_row *v;		/* copies (keys owned); in order after
					   rq_top_done() */
	size_t	n, cap;
	size_t	max;			/* rows kept; 0: all */
	size_t	col;
	size_t	seen;			/* rows offered */
};

/* Starts an empty selection; cannot fail. */
void	rq_top_init(struct rq_top *k, size_t max, size_t col);
/* Offers a row (copied when kept); 0, or -1 when out of memory. */
int	rq_top_add(struct rq_top *k, const struct rq_tally_row *r);
/* Offers every row of t (rq_tally_each()); 0 or -1. */
int	rq_top_tally(struct rq_top *k, struct rq_tally *t);
/* Puts the rows kept in order. */
void	rq_top_done(struct rq_top *k);
/* Frees the rows kept; k may be initialised again. */
void	rq_top_clear(struct rq_top *k);

#endif
