/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_sum.h - the figures of report-query summary
 * PURPOSE
 *	Adds reports up into the tables a postmaster reads: DMARC messages
 *	passed and failed per policy domain, per source IP and per reporter
 *	(a record passes when DKIM or SPF passed aligned in the evaluated
 *	policy, rq_record_passes(); its count is added to one side), TLS
 *	sessions per policy domain and failed sessions per result type, ARF
 *	reports per feedback type and per source IP. Pure: the caller feeds
 *	the reports (and streams the DMARC records) and prints the tables.
 */
#ifndef RQ_SUM_H
#define RQ_SUM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "record.h"
#include "rq_tally.h"

enum rq_sum_table {
	RQ_SUM_DMARC_DOMAIN,	/* reports, messages, pass, fail */
	RQ_SUM_DMARC_IP,	/* messages, pass, fail */
	RQ_SUM_DMARC_REPORTER,	/* reports, messages, pass, fail */
	RQ_SUM_TLS_DOMAIN,	/* reports, successful, failed */
	RQ_SUM_TLS_RESULT,	/* failure details, failed sessions */
	RQ_SUM_ARF_TYPE,	/* reports, incidents */
	RQ_SUM_ARF_IP,		/* reports, incidents */
	RQ_SUM_TABLES
};

struct rq_sum {
	struct rq_tally *t[RQ_SUM_TABLES];
	uint64_t reports[4];	/* by enum record_type */
};

/* Makes the tallies; 0, or -1 when out of memory (then rq_sum_clear()). */
int	rq_sum_init(struct rq_sum *s);

/*
 * Bounds the source-IP tallies to RQ_SUM_KEYS keys in memory each
 * (rq_tally_spill()): for a caller that reads them only through
 * rq_tally_each(), as the top rows of a table do.
 */
#define RQ_SUM_KEYS	16384
void	rq_sum_bound(struct rq_sum *s);

/* Frees the tallies; the structure may be initialised again. */
void	rq_sum_clear(struct rq_sum *s);

/*
 * Counts one report (borrowed; a DMARC report without its records: feed
 * them with rq_sum_records()). Returns 0 or -1 (out of memory).
 */
int	rq_sum_report(struct rq_sum *s, const struct external_report *x);

/* Adds a batch of the records of DMARC report x; 0 or -1 (out of memory). */
int	rq_sum_records(struct rq_sum *s, const struct external_report *x,
	    const struct dmarc_record *recs, size_t n);

/*
 * rq_sum_records(), calling fn(arg, rec, ip) after each record was added,
 * with the counters of its source IP (valid until fn returns: fn must
 * not look up the source-IP tally). fn returns 0, or -1 when out of
 * memory (then so does this).
 */
typedef int rq_sum_record_fn(void *arg, const struct dmarc_record *rec,
    uint64_t *ip);
int	rq_sum_records_each(struct rq_sum *s, const struct external_report *x,
	    const struct dmarc_record *recs, size_t n, rq_sum_record_fn *fn,
	    void *arg);

/*
 * Prints every table with a title line, the per-source-IP tables cut to
 * their top rows (0: all). Returns 0 or -1 (out of memory).
 */
int	rq_sum_print(struct rq_sum *s, FILE *fp, size_t top);

#endif
