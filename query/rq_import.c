/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_import - report-query import: report mail and exports, stored
 * PURPOSE
 *	Lists the files the paths stand for (rq_import_walk.c), imports
 *	each (rq_import_file.c) through the same ingest path as the milter,
 *	draws a progress line on a terminal, and ends with one summary line:
 *	"N stored, N duplicate, N not a report, N unparsable, N failed",
 *	counting messages and exported objects. The exit status is 1 when
 *	anything failed: a file that could not be read, an object that is
 *	not a report, or a write the store refused (nothing of that item was
 *	written; import it again later).
 */
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "extract.h"

#include "rq.h"
#include "rq_import.h"

static void
import_help(void)
{
	printf("usage: %s import [--store DIR] [--received-at TIME] "
	    "[--hold DAYS]\n"
	    "       [--trusted-authserv ID]... [--unauthenticated WHAT]\n"
	    "       [--jobs N] [--batch N] [--batch-mb N] [--batch-ms N]\n"
	    "       [--verbose] PATH...\n\n"
	    "Stores the reports in each PATH: an e-mail (.eml), a bare report\n"
	    "(.xml, .xml.gz, .zip, .json), an mbox, a Maildir folder, a\n"
	    "directory (every file under it), or what '%s export' wrote.\n"
	    "Ends with the line 'N stored, N duplicate, N not a report,\n"
	    "N unparsable, N failed' (messages and exported objects).\n\n"
	    "  --store DIR         the store (default: StoreDir of %s,\n"
	    "                      else %s; created if needed)\n"
	    "  --received-at TIME  receivedAt of imported mail (default: now)\n"
	    "  --hold DAYS         expiresAt = receivedAt + DAYS (default 30)\n"
	    "  --trusted-authserv ID  believe Authentication-Results of ID\n"
	    "                      (\"@authenticated\"; repeat or use commas)\n"
	    "  --unauthenticated accept|quarantine|refuse  what becomes of\n"
	    "                      reports of mail not authenticated (accept)\n"
	    "  --jobs N            files imported at the same time (default:\n"
	    "                      the CPUs online, at most 8; 1 keeps the\n"
	    "                      ids in the order of the files)\n"
	    "  --batch N           messages made durable by one commit, at\n"
	    "                      most (default %d; 1: each message its own)\n"
	    "  --batch-mb N        about N MB written in one commit, at most\n"
	    "                      (default %d)\n"
	    "  --batch-ms N        a commit waits N ms at most (default %d);\n"
	    "                      a message counts as stored once committed\n"
	    "  --verbose           also name the files that are not reports\n\n"
	    "Exit status: 0 done, 1 something failed (named on stderr; run\n"
	    "the import again for it), 2 usage error.\n", rq_progname,
	    rq_progname, RQ_CONFIG_FILE, RQ_DEFAULT_STORE, RQ_IMPORT_BATCH,
	    RQ_IMPORT_BATCH_MB, RQ_IMPORT_BATCH_MS);
}

/* Adds the ids of "a,b" to l. -1: out of memory. */
static int
add_trusted(struct strlist *l, const char *v)
{
	size_t	n;

	for (; *v != '\0'; v += n + (v[n] == ',')) {
		if ((n = strcspn(v, ",")) > 0 && strlist_add(l, v, n) < 0)
			return (-1);
	}
	return (0);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double) ts.tv_sec + (double) ts.tv_nsec / 1e9);
}

static void
clear_progress(struct rq_import *im)
{
	if (im->progress_shown)
		fprintf(stderr, "\r%*s\r", im->progress_shown, "");
	im->progress_shown = 0;
}

void
rq_import_note(struct rq_import *im, const char *fmt, ...)
{
	va_list	ap;

	clear_progress(im);
	fprintf(stderr, "%s import: ", rq_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
rq_import_progress(struct rq_import *im, bool force)
{
	double	t;

	if (!im->progress || (!force && (t = now()) - im->progress_at < 0.1))
		return;
	im->progress_at = now();
	im->progress_shown = fprintf(stderr, "\rimported %zu/%zu files: %lu "
	    "stored, %lu duplicate, %lu failed", im->files_done,
	    im->files_total, im->stored, im->duplicate, im->failed);
	if (im->progress_shown < 0)
		im->progress_shown = 0;
}

/* What the import threads share: the files and the next one to take. */
struct import_jobs {
	struct rq_import *im;
	const struct strlist *files;
	size_t	next;
	pthread_mutex_t lock;
};

static void *
import_job(void *arg)
{
	struct import_jobs *jb = arg;
	size_t	i;

	for (;;) {
		pthread_mutex_lock(&jb->lock);
		i = jb->next++;
		pthread_mutex_unlock(&jb->lock);
		if (i >= jb->files->n)
			return (NULL);
		rq_import_file(jb->im, jb->files->v[i]);
	}
}

/*
 * Imports the files with im->jobs threads (this one among them): the
 * store lets their writes share commits (store.h).
 */
static void
import_files(struct rq_import *im, const struct strlist *files)
{
	struct import_jobs jb;
	pthread_t tid[RQ_IMPORT_JOBS_MAX];
	unsigned i, started = 0;

	jb.im = im;
	jb.files = files;
	jb.next = 0;
	pthread_mutex_init(&jb.lock, NULL);
	for (i = 1; i < im->jobs && i < files->n; i++) {
		if (pthread_create(&tid[started], NULL, import_job, &jb) != 0)
			break;
		started++;
	}
	(void) import_job(&jb);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_destroy(&jb.lock);
}

static int
import_paths(struct rq_import *im, int n, char **paths)
{
	struct strlist files = { NULL, 0, 0 };
	struct store_error err = { "" };
	int	j;

	for (j = 0; j < n; j++)
		(void) rq_import_walk(im, paths[j], &files);
	im->files_total = files.n;
	if (rq_open("import", im->dir, true, &im->s) != RQ_EXIT_OK) {
		strlist_clear(&files);
		return (RQ_EXIT_FAIL);
	}
	extract_init();
	rq_import_progress(im, true);
	if (im->batch.writes > 1 && store_batch_start(im->s, &im->batch,
	    &err) != STORE_OK) {
		/* Each message is then durable alone, as with --batch 1. */
		rq_import_note(im, "%s", err.reason);
	}
	import_files(im, &files);
	store_batch_stop(im->s);
	rq_import_settle(im, true);
	free(im->waits);
	rq_import_progress(im, true);
	clear_progress(im);
	extract_shutdown();
	store_close(im->s);
	strlist_clear(&files);
	printf("%lu stored, %lu duplicate, %lu not a report, %lu unparsable, "
	    "%lu failed", im->stored, im->duplicate, im->not_report,
	    im->unparsable, im->failed);
	if (im->o.unauthenticated != INGEST_UNAUTH_ACCEPT)
		printf(", %lu unauthenticated", im->unauthenticated);
	printf("\n");
	return (rq_flush("import", im->failed ? RQ_EXIT_FAIL : RQ_EXIT_OK));
}

/* --batch N, --batch-mb N, --batch-ms N: a whole number in range. */
static int
batch_arg(int ch, const char *arg, struct store_batch_limits *b)
{
	static const struct {
		int	ch;
		const char *name;
		long	max;
	} opt[] = {
		{ 'b', "--batch", 100000 },
		{ 'm', "--batch-mb", 1024 },
		{ 't', "--batch-ms", 60000 },
	};
	char   *end;
	long	v;
	size_t	i;

	for (i = 0; opt[i].ch != ch; i++)
		;
	v = strtol(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || v < 1 || v > opt[i].max) {
		return (rq_usage_error("import", "%s: a number from 1 to %ld",
		    opt[i].name, opt[i].max));
	}
	if (ch == 'b')
		b->writes = (unsigned)v;
	else if (ch == 'm')
		b->bytes = (size_t)v << 20;
	else
		b->ms = (unsigned)v;
	return (0);
}

int
rq_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "received-at", required_argument, NULL, 'r' },
		{ "hold", required_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "batch", required_argument, NULL, 'b' },
		{ "batch-mb", required_argument, NULL, 'm' },
		{ "batch-ms", required_argument, NULL, 't' },
		{ "trusted-authserv", required_argument, NULL, 'T' },
		{ "unauthenticated", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct rq_import im;
	long	cpus;
	char   *end;
	int	ch, rc;

	memset(&im, 0, sizeof(im));
	ingest_options_default(&im.o);
	im.batch.writes = RQ_IMPORT_BATCH;
	im.batch.bytes = (size_t)RQ_IMPORT_BATCH_MB << 20;
	im.batch.ms = RQ_IMPORT_BATCH_MS;
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	im.jobs = cpus < 1 ? 1 : cpus > RQ_IMPORT_JOBS_MAX ?
	    RQ_IMPORT_JOBS_MAX : (unsigned) cpus;
	while ((ch = getopt_long(argc, argv, "v", longopts, NULL)) != -1) {
		if (ch == 's')
			im.dir = optarg;
		else if (ch == 'r') {
			if (rq_time_arg("import", "--received-at", optarg,
			    &im.received_at) != 0)
				return (RQ_EXIT_USAGE);
		} else if (ch == 'd') {
			if (rq_days_arg("import", "--hold", optarg,
			    &im.o.hold_seconds) != 0)
				return (RQ_EXIT_USAGE);
		} else if (ch == 'j') {
			cpus = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || cpus < 1 ||
			    cpus > RQ_IMPORT_JOBS_MAX)
				return (rq_usage_error("import", "--jobs: "
				    "a number from 1 to 8"));
			im.jobs = (unsigned) cpus;
		} else if (ch == 'b' || ch == 'm' || ch == 't') {
			if (batch_arg(ch, optarg, &im.batch) != 0)
				return (RQ_EXIT_USAGE);
		} else if (ch == 'T') {
			if (add_trusted(&im.trusted, optarg) < 0)
				return (rq_usage_error("import", "out of memory"));
		} else if (ch == 'u') {
			if (strcmp(optarg, "accept") == 0)
				im.o.unauthenticated = INGEST_UNAUTH_ACCEPT;
			else if (strcmp(optarg, "quarantine") == 0)
				im.o.unauthenticated = INGEST_UNAUTH_QUARANTINE;
			else if (strcmp(optarg, "refuse") == 0)
				im.o.unauthenticated = INGEST_UNAUTH_REFUSE;
			else
				return (rq_usage_error("import", "--unauthenticated: "
				    "accept, quarantine or refuse"));
		} else if (ch == 'v')
			im.verbose = true;
		else if (ch == 'h') {
			import_help();
			return (RQ_EXIT_OK);
		} else
			return (rq_usage_error("import", "unknown option"));
	}
	if (optind >= argc)
		return (rq_usage_error("import", "no PATH given"));
	if (im.o.unauthenticated != INGEST_UNAUTH_ACCEPT && im.trusted.n == 0)
		return (rq_usage_error("import", "--unauthenticated needs "
		    "--trusted-authserv"));
	im.o.trusted = (const char *const *) im.trusted.v;
	im.o.n_trusted = im.trusted.n;
	if (im.dir == NULL)
		im.dir = rq_default_store();
	im.progress = isatty(STDERR_FILENO) == 1;
	pthread_mutex_init(&im.lock, NULL);
	rc = import_paths(&im, argc - optind, argv + optind);
	pthread_mutex_destroy(&im.lock);
	strlist_clear(&im.trusted);
	return (rc);
}
