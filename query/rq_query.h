/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_query.h - report-query query: what its two files share
 * PURPOSE
 *	rq_query.c reads the command line and finds the matching reports;
 *	rq_query_out.c prints them in the format asked for.
 */
#ifndef RQ_QUERY_H
#define RQ_QUERY_H

#include <stdint.h>

#include "record.h"
#include "store.h"

enum rq_format {
	RQ_FORMAT_TABLE,
	RQ_FORMAT_JSON,
	RQ_FORMAT_NDJSON,
	RQ_FORMAT_CSV
};

/* One matching report and what it is sorted by. */
struct rq_hit {
	char	id[16];
	int64_t	received;
	int64_t	date;		/* start of the report's period; ARF arrival */
	char   *domain;		/* owned; the first domain, lower case */
	char   *reporter;	/* owned */
};

struct rq_hosts;

/*
 * Prints the reports of hits[0..n) (read again from the store, in that
 * order) in format fmt for reports of type, each DMARC source IP with
 * its host entry read through hosts (borrowed). Returns RQ_EXIT_OK or
 * RQ_EXIT_FAIL (a message was printed).
 */
int	rq_query_print(struct store *s, const char *dir, struct rq_hosts *hosts,
	    enum record_type type, enum rq_format fmt,
	    const struct rq_hit *hits, size_t n);

#endif
