/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	finish.h - the end of a report mail: ingest, then the verdict
 * PURPOSE
 *	Called from the end-of-message callback with the message it took
 *	from the connection (the caller frees it afterwards, whatever
 *	happens here). Runs the one ingest path over the spooled message,
 *	logs one line, and answers the MTA: a temporary failure with a
 *	4.x.x reply saying why when nothing could be stored, else accept,
 *	after applying ReportAction and AddHeader.
 */
#ifndef FINISH_H
#define FINISH_H

#include <stdbool.h>
#include <libmilter/mfapi.h>

#include "context.h"
#include "ingest.h"

sfsistat finish_message(SMFICTX *ctx, struct conn *c, struct msg *m);

/* The ingest options of configuration cfg (ReportRetention, limits, ...). */
void	finish_options(const struct config *cfg, struct ingest_options *o);

/*
 * The one log line of a report mail ingested: queue id, what was stored,
 * the sender, size and what became of the mail (done).
 */
void	finish_log(const char *qid, const char *sender,
	    const struct ingest_result *res, size_t len, const char *done);

#endif
