/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_table.h - plain-text tables and CSV rows
 * PURPOSE
 *	report-query prints lists (query --format table, summary,
 *	quarantine list) as columns a person reads at a glance, and
 *	query --format csv as RFC 4180 rows. A text table is kept until it
 *	is printed, because a column is as wide as its widest cell.
 */
#ifndef RQ_TABLE_H
#define RQ_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "record.h"

/* A text cell wider than this many characters is cut ("..."). */
#define RQ_TABLE_CELL_MAX	48

struct rq_table {
	size_t	ncols;
	const char *const *head;	/* borrowed: ncols column names */
	unsigned right;			/* bit i: column i is right-aligned */
	unsigned cut;			/* bit i: column i's long cells are cut
					   (all, unless the caller says) */
	struct strlist cells;		/* row after row, ncols each */
};

/* Starts an empty table; head is borrowed and must outlive it. */
void	rq_table_init(struct rq_table *t, size_t ncols,
	    const char *const *head, unsigned right);

/*
 * Appends a row of t->ncols cells (copied; NULL and "" print as "-"). Control
 * characters become '?'; a cell longer than RQ_TABLE_CELL_MAX characters
 * is cut when its column is in t->cut. Returns 0, or -1 when out of
 * memory (the table is unchanged).
 */
int	rq_table_add(struct rq_table *t, const char *const *cells);

/* How many rows the table has. */
size_t	rq_table_rows(const struct rq_table *t);

/*
 * Prints the head and the rows, columns two spaces apart, each line
 * prefixed with indent (may be "").
 */
void	rq_table_print(const struct rq_table *t, FILE *fp, const char *indent);

/* Frees the cells; the table is left empty. */
void	rq_table_clear(struct rq_table *t);

/*
 * Prints n cells as one CSV line ending in a line feed, quoted as RFC
 * 4180 says: a cell with a comma, a quote or a line end is quoted, its
 * quotes doubled; NULL is an empty cell.
 */
void	rq_csv_row(FILE *fp, const char *const *cells, size_t n);

#endif
