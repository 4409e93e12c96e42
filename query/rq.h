/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq.h - report-query: the verbs and what they share
 * PURPOSE
 *	report-query is one small file per verb; each verb is a function
 *	that takes its own arguments (argv[0] is the verb) and returns the
 *	process exit status: RQ_EXIT_OK, RQ_EXIT_FAIL or RQ_EXIT_USAGE.
 *	The helpers below (rq_common.c, rq_config.c) give every verb the
 *	same --store default, the same messages and the same time syntax.
 */
#ifndef RQ_H
#define RQ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "store.h"

enum {
	RQ_EXIT_OK = 0,		/* everything asked for was done */
	RQ_EXIT_FAIL = 1,	/* something could not be done; stderr says what */
	RQ_EXIT_USAGE = 2	/* the command line is wrong */
};

/* The program name for messages ("report-query"). */
extern const char *rq_progname;

/* The milter's configuration, read for its StoreDir. */
#ifndef SYSCONFDIR
#define SYSCONFDIR	"/etc"
#endif
#define RQ_CONFIG_FILE	SYSCONFDIR "/report-milter.conf"
/* The store when the configuration names none. */
#define RQ_DEFAULT_STORE "./report-store"

/* Prints "report-query VERB: message" and a hint to stderr; RQ_EXIT_USAGE. */
int	rq_usage_error(const char *verb, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Prints "report-query VERB: message" to stderr; returns RQ_EXIT_FAIL. */
int	rq_fail(const char *verb, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Prints what a store call said ("report-query VERB: store DIR: not
 * found: reason") and returns RQ_EXIT_FAIL.
 */
int	rq_store_fail(const char *verb, const char *dir, enum store_status st,
	    const struct store_error *err);

/*
 * The value of the StoreDir line of a configuration read from fp into
 * buf (size bytes; cut if longer): "StoreDir /var/lib/x", "StoreDir =
 * /var/lib/x" or "StoreDir \"/var/lib/x\"", the key in any case, '#'
 * comments; the last such line counts. Returns true when one was found.
 */
bool	rq_config_store_dir(FILE *fp, char *buf, size_t size);

/*
 * The same for any key (read from where fp is to its end): the value of
 * the last "KEY value" line into buf. Returns true when one was found.
 */
bool	rq_config_value(FILE *fp, const char *key, char *buf, size_t size);

/*
 * The store a verb uses without --store: the StoreDir of RQ_CONFIG_FILE
 * when that file exists and names one, else RQ_DEFAULT_STORE. The text
 * is static.
 */
const char *rq_default_store(void);

/*
 * Opens the store in dir: read-only (not creating it) unless write is
 * true. On failure prints why and returns RQ_EXIT_FAIL (*out NULL).
 */
int	rq_open(const char *verb, const char *dir, bool write,
	    struct store **out);

/*
 * Reads a time option (RFC 3339, or a date YYYY-MM-DD meaning its UTC
 * midnight) into *t. Returns 0, or a usage error's exit status naming
 * the option.
 */
int	rq_time_arg(const char *verb, const char *opt, const char *text,
	    int64_t *t);

/* Reads a count of days (0 .. 36500) into *seconds; 0 or a usage error. */
int	rq_days_arg(const char *verb, const char *opt, const char *text,
	    int64_t *seconds);

/* Reads a count (0 .. SIZE_MAX) into *n; 0 or a usage error. */
int	rq_count_arg(const char *verb, const char *opt, const char *text,
	    size_t *n);

/*
 * Flushes standard output: status, or RQ_EXIT_FAIL with a message when
 * writing failed (a full disk, a closed pipe).
 */
int	rq_flush(const char *verb, int status);

/* The verbs, one file each (rq_<verb>.c). */
int	rq_parse(int argc, char **argv);
int	rq_get(int argc, char **argv);
int	rq_delete(int argc, char **argv);
int	rq_purge(int argc, char **argv);
int	rq_query(int argc, char **argv);
int	rq_import(int argc, char **argv);
int	rq_export(int argc, char **argv);
int	rq_summary(int argc, char **argv);
int	rq_quarantine(int argc, char **argv);
int	rq_reparse(int argc, char **argv);
int	rq_stat(int argc, char **argv);
int	rq_push(int argc, char **argv);
int	rq_html(int argc, char **argv);
int	rq_metrics(int argc, char **argv);
int	rq_enrich(int argc, char **argv);
int	rq_alerts(int argc, char **argv);

#endif
