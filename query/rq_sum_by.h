/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_sum_by.h - summary --by: DMARC messages by service or base domain
 * PURPOSE
 *	The per-source-IP DMARC table of rq_sum.h, regrouped by what the
 *	store's host cache (rq_hosts.h) knows of each IP: the service name
 *	enrich found for it, or its base domain. Sources without one are
 *	one "unknown" row. Reads only the store: nothing is resolved.
 */
#ifndef RQ_SUM_BY_H
#define RQ_SUM_BY_H

#include <stdio.h>

#include "store.h"

#include "rq_sum.h"

enum rq_sum_by {
	RQ_SUM_BY_NONE,
	RQ_SUM_BY_SERVICE,
	RQ_SUM_BY_BASE_DOMAIN
};

/*
 * Reads the --by argument ("service", "base-domain"). Returns 0, or -1
 * for another name.
 */
int	rq_sum_by_name(const char *name, enum rq_sum_by *by);

/*
 * Prints, after the tables of sum (added up from store s, opened on
 * dir), the table "DMARC messages by service" (or "by base domain") with
 * the columns of the per-source-IP table, its top rows (0: all). Each
 * distinct IP is read from the store's host cache once. Returns
 * RQ_EXIT_OK, or RQ_EXIT_FAIL after printing "report-query VERB: ...".
 */
int	rq_sum_by_print(const char *verb, const char *dir, struct store *s,
	    struct rq_sum *sum, enum rq_sum_by by, FILE *fp, size_t top);

/*
 * Prints tally t (DMARC messages, pass, fail per key, as the
 * per-source-IP table) as a summary section with that title and key
 * column (rq_sum_print.c). Returns 0, or -1 when out of memory.
 */
int	rq_sum_print_dmarc(struct rq_tally *t, const char *title,
	    const char *key, FILE *fp, size_t top);

#endif
