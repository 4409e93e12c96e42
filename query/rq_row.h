/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_row.h - one report as a row of query --format table|csv
 * PURPOSE
 *	The columns of a listing, per report type: what a postmaster looks
 *	at first (id, when, who, which domain, which period, how it went).
 *	Pure: the caller adds a DMARC report's records up in struct
 *	rq_figures while it streams them.
 */
#ifndef RQ_ROW_H
#define RQ_ROW_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

/* A DMARC report's messages, passed and failed (rq_record_passes()). */
struct rq_figures {
	uint64_t messages;
	uint64_t pass;
	uint64_t fail;
};

/* Adds n records (borrowed) to *f. */
void	rq_figures_add(struct rq_figures *f, const struct dmarc_record *recs,
	    size_t n);

/* At most this many columns in a row. */
#define RQ_ROW_MAX	10

/*
 * The column names for reports of type (borrowed, static), and in
 * *right the columns that hold numbers (bit i: column i). Returns how
 * many columns there are.
 */
size_t	rq_row_head(enum record_type type, const char *const **head,
	    unsigned *right);

/*
 * Appends the cells of x (borrowed) to cells: times as RFC 3339 for CSV
 * (csv true) or "YYYY-MM-DD HH:MM" (UTC) for a table. f gives a DMARC
 * report's figures (NULL: zero). Returns 0, or -1 when out of memory.
 */
int	rq_row_cells(const struct external_report *x,
	    const struct rq_figures *f, int csv, struct strlist *cells);

#endif
