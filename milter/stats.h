/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	stats.h - the daemon's own counters, for Prometheus
 * PURPOSE
 *	Counters of what report-milter saw and decided (messages, report
 *	mail, reports stored by type, duplicates, quarantined mail,
 *	tempfails by reason, mail it did not look at, bytes) and a
 *	histogram of the time from the end of a message to the answer.
 *	Any callback thread counts at any time: every counter is a C11
 *	atomic, so counting takes no lock. A thread of its own writes them
 *	to StatsFile every StatsInterval seconds, in the Prometheus text
 *	format for node_exporter's textfile collector, and once more when
 *	the daemon stops. The file is written whole to a temporary file in
 *	the same directory and renamed over the old one, so a reader never
 *	sees half of it. There is no HTTP listener.
 *
 *	Counters start at zero with the process, as Prometheus counters
 *	do: a restart is a counter reset, which rate() allows for.
 */
#ifndef STATS_H
#define STATS_H

#include <stddef.h>

#include "ingest.h"
#include "merror.h"

/* Why a report mail was tempfailed (label reason="..."). */
enum stats_tempfail {
	STATS_TEMPFAIL_FULL = 0,	/* the store is at StoreMaxSize */
	STATS_TEMPFAIL_IO,		/* read-only, disk full, I/O, corrupt */
	STATS_TEMPFAIL_NOMEM,		/* out of memory */
	STATS_TEMPFAIL_N
};

/* Why a message was refused a look (label reason="..."). */
enum stats_refused {
	STATS_REFUSED_TOO_BIG = 0,	/* larger than MaxMessageSize: accepted
					   untouched */
	STATS_REFUSED_NOMEM,		/* a connection refused at negotiation:
					   no memory for its state */
	STATS_REFUSED_N
};

/* A MAIL FROM began a message (report mail or not). */
void	stats_message(void);

/* A message for a report mailbox reached end of data, len bytes spooled. */
void	stats_report_mail(size_t len);

/*
 * The outcome of ingest for one report mail: reports stored by type,
 * duplicates, and a quarantined mail when res->qid is set. A tempfail
 * is counted with stats_tempfail() instead (its reason is the store's).
 */
void	stats_ingest(const struct ingest_result *res);

/* A report mail answered with a temporary failure, for why. */
void	stats_tempfail(enum stats_tempfail why);

/* The tempfail reason of a store status (STORE_FULL, _NOMEM, else I/O). */
enum stats_tempfail stats_tempfail_of(enum store_status st);

/* A message (or connection) that was not looked at, for why. */
void	stats_refused(enum stats_refused why);

/* One end of message answered, seconds after it came. */
void	stats_answer_time(double seconds);

/*
 * Writes every counter to path (a temporary file beside it, then
 * rename(2)). Returns 0, or -1 with err saying why; the old file, if
 * any, is then left as it was.
 */
int	stats_write(const char *path, struct milter_error *err);

/*
 * Starts the thread that writes StatsFile every StatsInterval seconds
 * (both read anew each time: a reload changes them; no StatsFile: no
 * writes). Returns 0, or -1 when it cannot be made.
 */
int	stats_start(void);

/*
 * Stops the thread and writes StatsFile a last time (when one is
 * configured), so the file holds the final figures after a clean stop.
 */
void	stats_stop(void);

#endif
