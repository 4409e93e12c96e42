/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_sum_store.h - the figures of rq_sum.h, read from a store
 * PURPOSE
 *	The loop that summary and metrics share: every report received in
 *	[since, until) through the receivedAt index, its DMARC records
 *	streamed, added up with rq_sum_report() and rq_sum_records().
 */
#ifndef RQ_SUM_STORE_H
#define RQ_SUM_STORE_H

#include <stdint.h>

#include "store.h"

#include "rq_sum.h"

/*
 * Adds every report of store s (opened on dir) received in [since,
 * until) to sum (initialised by the caller). Returns RQ_EXIT_OK, or
 * RQ_EXIT_FAIL after printing "report-query VERB: ..." (sum then holds
 * part of the figures; the caller still clears it).
 */
int	rq_sum_store(const char *verb, const char *dir, struct store *s,
	    struct rq_sum *sum, int64_t since, int64_t until);

/*
 * Called with each report (borrowed, without its streamed DMARC
 * records) after it was added to the sum; reports come in receivedAt
 * order. Returns 0, or -1 when out of memory.
 */
typedef int rq_sum_store_fn(void *arg, const struct external_report *x);

/*
 * rq_sum_store(), with each(arg, x) called for every report too (each
 * NULL: none). The same statuses; out of memory in each() is said as
 * any other.
 */
int	rq_sum_store_each(const char *verb, const char *dir, struct store *s,
	    struct rq_sum *sum, int64_t since, int64_t until,
	    rq_sum_store_fn *each, void *arg);

#endif
