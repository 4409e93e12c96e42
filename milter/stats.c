/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	stats - report-milter's counters, written to StatsFile
 * PURPOSE
 *	Counting is one relaxed atomic add, from any callback thread:
 *	a counter needs no order with anything else, and a write of the
 *	file reads each one once. Figures written in one file may
 *	therefore come from a few microseconds apart, as with any scrape.
 *	The writer thread sleeps as the purge thread does (a condition
 *	variable with a deadline, so stats_stop() wakes it at once).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config_live.h"
#include "log.h"

#include "stats.h"

#define PFX		"report_milter_"
#define STATS_RECHECK	60	/* seconds, while no StatsFile is set */

/* The histogram's upper bounds, in seconds (+Inf follows). */
static const double stats_bounds[] = {
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
	5, 10, 30
};
#define NBOUNDS	(sizeof(stats_bounds) / sizeof(stats_bounds[0]))

static atomic_ullong n_messages, n_report_mail, n_bytes, n_duplicates,
    n_quarantined;
static atomic_ullong n_stored[4];		/* by enum record_type */
static atomic_ullong n_tempfail[STATS_TEMPFAIL_N];
static atomic_ullong n_refused[STATS_REFUSED_N];
static atomic_ullong n_bucket[NBOUNDS + 1];	/* not cumulative; +Inf last */
static atomic_ullong answer_us;			/* the sum, microseconds */
static time_t stats_started;

static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stats_wake = PTHREAD_COND_INITIALIZER;
static bool stats_stopping, stats_running;
static pthread_t stats_thread;

static void
add(atomic_ullong *c, unsigned long long n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

static unsigned long long
get(atomic_ullong *c)
{
	return (atomic_load_explicit(c, memory_order_relaxed));
}

void
stats_message(void)
{
	add(&n_messages, 1);
}

void
stats_report_mail(size_t len)
{
	add(&n_report_mail, 1);
	add(&n_bytes, len);
}

void
stats_ingest(const struct ingest_result *res)
{
	int	i;

	for (i = RECORD_DMARC; i <= RECORD_ARF; i++)
		if (res->stored[i] > 0)
			add(&n_stored[i], res->stored[i]);
	if (res->duplicates > 0)
		add(&n_duplicates, res->duplicates);
	if (res->qid[0] != '\0')
		add(&n_quarantined, 1);
}

void
stats_tempfail(enum stats_tempfail why)
{
	add(&n_tempfail[why], 1);
}

enum stats_tempfail
stats_tempfail_of(enum store_status st)
{
	switch (st) {
	case STORE_FULL:
		return (STATS_TEMPFAIL_FULL);
	case STORE_NOMEM:
		return (STATS_TEMPFAIL_NOMEM);
	default:
		return (STATS_TEMPFAIL_IO);
	}
}

void
stats_refused(enum stats_refused why)
{
	add(&n_refused[why], 1);
}

void
stats_answer_time(double seconds)
{
	size_t	i;

	if (seconds < 0)
		seconds = 0;
	for (i = 0; i < NBOUNDS && seconds > stats_bounds[i]; i++)
		;
	add(&n_bucket[i], 1);
	add(&answer_us, (unsigned long long) (seconds * 1e6 + 0.5));
}

static void
head(FILE *fp, const char *name, const char *type, const char *help)
{
	fprintf(fp, "# HELP " PFX "%s %s\n# TYPE " PFX "%s %s\n", name, help,
	    name, type);
}

static void
one(FILE *fp, const char *name, const char *type, const char *help,
    atomic_ullong *c)
{
	head(fp, name, type, help);
	fprintf(fp, PFX "%s %llu\n", name, get(c));
}

/* A counter with one series per label value: names[i] counts c[i]. */
static void
labelled(FILE *fp, const char *name, const char *help, const char *label,
    const char *const *names, atomic_ullong *c, size_t n)
{
	size_t	i;

	head(fp, name, "counter", help);
	for (i = 0; i < n; i++)
		if (names[i] != NULL)
			fprintf(fp, PFX "%s{%s=\"%s\"} %llu\n", name, label,
			    names[i], get(&c[i]));
}

static void
histogram(FILE *fp)
{
	unsigned long long cum = 0;
	size_t	i;

	head(fp, "answer_seconds", "histogram", "Time from the end of a "
	    "report mail's data to the milter's answer, in seconds.");
	for (i = 0; i < NBOUNDS; i++) {
		cum += get(&n_bucket[i]);
		fprintf(fp, PFX "answer_seconds_bucket{le=\"%g\"} %llu\n",
		    stats_bounds[i], cum);
	}
	cum += get(&n_bucket[NBOUNDS]);
	fprintf(fp, PFX "answer_seconds_bucket{le=\"+Inf\"} %llu\n", cum);
	fprintf(fp, PFX "answer_seconds_sum %.6f\n",
	    (double) get(&answer_us) / 1e6);
	fprintf(fp, PFX "answer_seconds_count %llu\n", cum);
}

/* Every metric, in the Prometheus text exposition format. */
static void
stats_print(FILE *fp)
{
	static const char *const type[] = { NULL, "dmarc", "tls", "arf" };
	static const char *const tf[] = { "store_full", "io", "memory" };
	static const char *const rf[] = { "too_big", "memory" };

	one(fp, "messages_total", "counter", "Messages begun (MAIL FROM), "
	    "report mail or not.", &n_messages);
	one(fp, "report_mail_total", "counter", "Messages for a report "
	    "mailbox that reached the end of their data.", &n_report_mail);
	one(fp, "report_mail_bytes_total", "counter", "Bytes of the report "
	    "mail counted in report_milter_report_mail_total.", &n_bytes);
	labelled(fp, "reports_stored_total", "Reports stored, by report type.",
	    "type", type, n_stored, sizeof(type) / sizeof(type[0]));
	one(fp, "duplicates_total", "counter", "Reports received that the "
	    "store held already.", &n_duplicates);
	one(fp, "quarantined_mail_total", "counter", "Report mail kept in the "
	    "quarantine: a report part in it could not be parsed.",
	    &n_quarantined);
	labelled(fp, "tempfails_total", "Report mail answered with a "
	    "temporary failure, by reason (store_full: StoreMaxSize reached; "
	    "io: read-only, disk full, I/O error; memory).", "reason", tf,
	    n_tempfail, STATS_TEMPFAIL_N);
	labelled(fp, "refused_total", "Mail not looked at, by reason "
	    "(too_big: report mail over MaxMessageSize, accepted untouched; "
	    "memory: a connection refused for want of memory).", "reason", rf,
	    n_refused, STATS_REFUSED_N);
	histogram(fp);
	head(fp, "start_time_seconds", "gauge",
	    "When the daemon started, in seconds since the epoch.");
	fprintf(fp, PFX "start_time_seconds %lld\n", (long long) stats_started);
}

int
stats_write(const char *path, struct milter_error *err)
{
	char	tmp[4096];
	FILE   *fp = NULL;
	int	fd, saved;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int) sizeof(tmp)) {
		merror_set(err, "StatsFile %s: the name is too long", path);
		return (-1);
	}
	if ((fd = mkstemp(tmp)) < 0) {
		merror_sys(err, "StatsFile %s: cannot make a temporary file "
		    "beside it", path);
		return (-1);
	}
	if (fchmod(fd, 0644) != 0 || (fp = fdopen(fd, "w")) == NULL)
		goto fail;
	stats_print(fp);
	if (fflush(fp) != 0 || ferror(fp) || fclose(fp) != 0) {
		fp = NULL;
		goto fail;
	}
	fp = NULL;
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	return (0);
fail:
	saved = errno;
	if (fp != NULL)
		fclose(fp);
	else if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = saved;
	merror_sys(err, "StatsFile %s", path);
	return (-1);
}

/* Writes StatsFile when one is set; *interval gets StatsInterval. */
static void
stats_write_live(unsigned *interval)
{
	struct milter_error err = { "" };
	struct config *cfg = config_live_get();

	*interval = cfg->stats_interval;
	if (cfg->stats_file != NULL && stats_write(cfg->stats_file, &err) < 0)
		log_msg(LOG_WARNING, "%s", err.reason);
	if (cfg->stats_file == NULL)
		*interval = STATS_RECHECK;
	config_live_put(cfg);
}

/* Sleeps for seconds or until stats_stop(); true when stopping. */
static bool
stats_sleep(unsigned seconds)
{
	struct timespec until;
	bool	stop;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += seconds;
	pthread_mutex_lock(&stats_lock);
	while (!stats_stopping &&
	    pthread_cond_timedwait(&stats_wake, &stats_lock, &until) == 0)
		;
	stop = stats_stopping;
	pthread_mutex_unlock(&stats_lock);
	return (stop);
}

static void *
stats_main(void *arg)
{
	unsigned interval;

	(void) arg;
	do
		stats_write_live(&interval);
	while (!stats_sleep(interval));
	return (NULL);
}

int
stats_start(void)
{
	stats_started = time(NULL);
	if (pthread_create(&stats_thread, NULL, stats_main, NULL) != 0)
		return (-1);
	stats_running = true;
	return (0);
}

void
stats_stop(void)
{
	unsigned interval;

	if (!stats_running)
		return;
	pthread_mutex_lock(&stats_lock);
	stats_stopping = true;
	pthread_cond_broadcast(&stats_wake);
	pthread_mutex_unlock(&stats_lock);
	pthread_join(stats_thread, NULL);
	stats_running = false;
	stats_write_live(&interval);
}
