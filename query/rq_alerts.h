/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_alerts.h - report-query alerts: what is new and worth a look
 * PURPOSE
 *	The parts of the alerts verb: its thresholds (the Alert* keys of
 *	the milter's configuration), the list of alerts one run finds, the
 *	state file that remembers what was said already (so that a run
 *	with nothing new is silent), and the checks over the store's
 *	figures (rq_sum_store_each()).
 *
 *	The state is an rq_tally keyed "KIND<TAB>SUBJECT" with two
 *	figures a key (v[0], v[1]): what the check saw at the last run.
 */
#ifndef RQ_ALERTS_H
#define RQ_ALERTS_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "rq_tally.h"

/* The thresholds, report-milter.conf(5), ALERTS. */
struct rq_alerts_conf {
	uint64_t tls_failed;		/* AlertTlsFailedSessions */
	uint64_t compliance;		/* AlertDmarcCompliance, percent */
	uint64_t source_messages;	/* AlertSourceMessages */
	uint64_t daily_days;		/* AlertDailyDays */
	uint64_t quiet_days;		/* AlertQuietDays */
	uint64_t quarantine_growth;	/* AlertQuarantineGrowth */
};

/* One alert: kind ("tls-type", ...), what it is about, the line to read. */
struct rq_alert {
	const char *kind;		/* static */
	char   *subject;
	char   *text;
};

struct rq_alerts {
	struct rq_alert *v;
	size_t	n, cap;
};

/*
 * The defaults, then the Alert* keys of the configuration file path
 * (a missing file keeps the defaults). When store_dir is not NULL it
 * gets the file's StoreDir ("" when it names none). Returns 0, or -1
 * after printing "report-query alerts: FILE: KEY: ..." for a bad value.
 */
int	rq_alerts_conf_read(const char *path, struct rq_alerts_conf *c,
	    char *store_dir, size_t size);

/*
 * Adds an alert (subject and the formatted text copied). Returns 0, or
 * -1 when out of memory.
 */
int	rq_alerts_add(struct rq_alerts *a, const char *kind,
	    const char *subject, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

/* Frees every alert; the list may be used again. */
void	rq_alerts_clear(struct rq_alerts *a);

/*
 * The state in path into a new tally (*out, the caller's); a file that
 * does not exist is an empty state. Returns 0, or -1 after printing why
 * (unreadable, a line that is not "KIND\tSUBJECT\tN\tN", out of memory).
 */
int	rq_alerts_state_load(const char *path, struct rq_tally **out);

/*
 * Writes state to path (a temporary file beside it, then rename).
 * Returns 0, or -1 after printing why.
 */
int	rq_alerts_state_save(const char *path, struct rq_tally *state);

/*
 * The figures of "KIND\tSUBJECT" in state, made (zeroed) when new: a
 * key the last run did not see reads as zeros. NULL when out of memory.
 * subject's tabs and line ends are taken as spaces.
 */
uint64_t *rq_alerts_state_get(struct rq_tally *state, const char *kind,
	    const char *subject);

/*
 * Reads every report of store s (opened on dir) and its quarantine,
 * compares what it finds with old (the last run's state) by the
 * thresholds of c, and adds the alerts to out and what it saw to next
 * (the state to save). now: seconds since the epoch. Returns
 * RQ_EXIT_OK, or RQ_EXIT_FAIL after printing why.
 */
int	rq_alerts_check(const char *dir, struct store *s,
	    const struct rq_alerts_conf *c, struct rq_tally *old,
	    struct rq_tally *next, int64_t now, struct rq_alerts *out);

#endif
