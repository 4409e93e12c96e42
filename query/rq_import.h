/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_import.h - report-query import: what its files share
 * PURPOSE
 *	rq_import.c reads the command line, finds the files (directories,
 *	Maildir folders) and prints the summary line; rq_import_file.c takes
 *	one file apart (an mbox, an export, one message) and hands each item
 *	to the ingest path; rq_import_walk.c lists the files under a path.
 */
#ifndef RQ_IMPORT_H
#define RQ_IMPORT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest.h"
#include "record.h"

#define RQ_IMPORT_JOBS_MAX	8	/* --jobs at most */
#define RQ_IMPORT_BATCH		64	/* --batch: messages a commit */
#define RQ_IMPORT_BATCH_MB	8	/* --batch-mb */
#define RQ_IMPORT_BATCH_MS	1000	/* --batch-ms */

struct rq_import {
	const char *dir;		/* the store's directory */
	struct store *s;
	unsigned jobs;			/* files imported at the same time */
	pthread_mutex_t lock;		/* the counts, notes and progress line */
	struct ingest_options o;
	struct strlist trusted;		/* --trusted-authserv, o.trusted */
	int64_t	received_at;		/* 0: now */
	bool	verbose;		/* also name what is not a report */
	bool	progress;		/* a progress line on stderr */
	int	progress_shown;		/* the width of the line on the screen */
	double	progress_at;		/* when it was last drawn */
	size_t	files_done;
	size_t	files_total;
	unsigned long stored;		/* items (messages, exported objects) */
	unsigned long duplicate;
	unsigned long not_report;
	unsigned long unparsable;
	unsigned long failed;		/* tempfail, unreadable, unusable */
	struct store_batch_limits batch; /* writes 1: each item its own commit */
	struct rq_import_wait *waits;	/* items written, not yet durable */
	size_t	n_waits;
	size_t	cap_waits;
	unsigned long unauthenticated;	/* not stored (--unauthenticated) */
};

/*
 * Counts the items whose batch commit is done (all of them with wait,
 * after store_batch_stop()), as stored or, when their commit failed,
 * as failed. The caller holds im->lock.
 */
void	rq_import_settle(struct rq_import *im, bool wait);

/*
 * Prints "report-query import: message" to stderr, first clearing the
 * progress line if one is shown. The caller holds im->lock (or no
 * import thread runs yet), as for rq_import_progress() and every count
 * of *im.
 */
void	rq_import_note(struct rq_import *im, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Draws the progress line (at most ten times a second) when asked for. */
void	rq_import_progress(struct rq_import *im, bool force);

/*
 * Imports the file at path: every message of an mbox, every object of
 * an export, or the file as one message. Counts every item in *im and
 * names the items that failed or were unparsable. Several threads may
 * import files at the same time (it takes im->lock itself).
 */
void	rq_import_file(struct rq_import *im, const char *path);

/*
 * Appends to files the files path stands for: itself when it is a
 * file; the messages of cur/ and new/ when it is a Maildir; every file
 * under it, in name order, when it is another directory (names starting
 * with '.' are skipped, symbolic links to directories are not
 * followed). Returns 0, or -1 when path (or a directory under it)
 * cannot be read: the reason was printed and counted as failed.
 */
int	rq_import_walk(struct rq_import *im, const char *path,
	    struct strlist *files);

#endif
