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

sfsistat finish_message(SMFICTX *ctx, struct conn *c, struct msg *m);

#endif
