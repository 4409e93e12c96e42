/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_html_page.h - the building blocks the sections of the page share
 * PURPOSE
 *	Tables from tallies (top N rows and "and N more"), cells that carry
 *	their figure in data-v, pass-rate colours and figure cards. Names
 *	(table, card and chart names, column heads) are constants of the
 *	page, written as they are; keys come from reports and are escaped.
 */
#ifndef RQ_HTML_PAGE_H
#define RQ_HTML_PAGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rq_tally.h"
#include "rq_top.h"

#define RQ_HTML_NOPCT	((size_t) -1)

/* How a tally is shown as a table. */
struct rq_html_tdesc {
	const char *name;		/* data-table */
	const char *head[6];		/* key, the counters, pass % */
	size_t	nvals;			/* counters shown: v[0] .. */
	size_t	sort;			/* counter sorted by, largest first */
	size_t	pct_of, pct_part;	/* pass %: v[part] / v[of], or NOPCT */
	int	is_ip;			/* the key is a source IP */
};

/* Writes the top rows of t (0: all); 0, or -1 when out of memory. */
struct rq_html;
int	rq_html_tally(struct rq_html *h, FILE *fp, struct rq_tally *t,
	    const struct rq_html_tdesc *d, size_t top);

/* A table's head (n column heads), and its end with "and N more". */
void	rq_html_table_head(FILE *fp, const char *name, const char *const *head,
	    size_t n);
void	rq_html_table_end(FILE *fp, size_t ncols, size_t shown, size_t n);

/* A cell with a figure; a cell with a pass rate, coloured. */
void	rq_html_cell(FILE *fp, uint64_t v);
void	rq_html_pct_cell(FILE *fp, uint64_t part, uint64_t whole);

/* "good", "warn", "bad" (or "none" for 0/0): the colour of a pass rate. */
const char *rq_html_rate_class(uint64_t pass, uint64_t all);

/* A figure card: a big number and what it counts. */
void	rq_html_card(FILE *fp, const char *name, const char *what, uint64_t v);

#endif
