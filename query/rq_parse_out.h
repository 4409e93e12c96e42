/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_parse_out.h - parse's reports printed as the parsers hand them over
 * PURPOSE
 *	report-query parse prints each report of a file as an External
 *	report object. A DMARC report's records arrive in batches
 *	(dmarc_xml.h) and leave as they come, between the head and the tail
 *	of the report's text, as get prints a stored one: memory stays
 *	bounded whatever the report's size. Up to RQ_PARSE_OUT_HOLD bytes
 *	of record text are held back, so that a report of ordinary size is
 *	printed only once it is known whole (a report refused halfway
 *	prints nothing, and errors found among its records are in its
 *	head); a larger one begins to print when the hold is full.
 */
#ifndef RQ_PARSE_OUT_H
#define RQ_PARSE_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "extract.h"
#include "record.h"

/* Record text held back before a DMARC report begins to print. */
#define RQ_PARSE_OUT_HOLD	((size_t) 4 << 20)

struct rq_parse_out {
	/* Set by the caller before the walk. */
	FILE   *fp;
	unsigned json_flags;		/* record_json.h flags */
	int64_t	received_at;
	int64_t	expires_at;
	const struct message_info *info; /* filled by extract_message() */
	const char *path;		/* for warnings on stderr */
	/* The DMARC report whose records are arriving. */
	bool	open;			/* a batch arrived, the report did not */
	bool	printing;		/* its head left: records go to fp */
	size_t	n_records;
	char   *hold;			/* record text not yet printed */
	size_t	hold_len, hold_cap;
	char   *head;			/* the head printed, when printing */
	/* The outcome. */
	unsigned printed;		/* objects printed whole */
	bool	cut;			/* an object was left cut short */
	bool	nomem;
};

/*
 * For the extract_sink callbacks (extract.h): records of a DMARC report
 * (borrowed, as dmarc_batch_fn), and a report complete (the callee's:
 * printed, then freed). Both return PARSE_OK, or PARSE_NOMEM (o->nomem
 * set) when memory ran out.
 */
enum parse_status rq_parse_out_records(struct rq_parse_out *o,
    const struct dmarc_report *hdr, const struct dmarc_record *recs,
    size_t n);
enum parse_status rq_parse_out_report(struct rq_parse_out *o,
    struct report *r);

/*
 * The DMARC report whose records were arriving failed (or the walk
 * stopped): held records are dropped; an object that began to print is
 * ended where it stands with a line end and o->cut is set. Nothing
 * happens when no report is open.
 */
void	rq_parse_out_abandon(struct rq_parse_out *o);

/* Frees what o holds (not fp, info or path). */
void	rq_parse_out_clear(struct rq_parse_out *o);

#endif
