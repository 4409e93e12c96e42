/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	purge - the thread that deletes expired reports
 * PURPOSE
 *	store_purge() works in short write transactions, so a purge never
 *	keeps a report mail waiting for long.
 */
#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "config_live.h"
#include "log.h"
#include "store_hold.h"

#include "purge.h"

#define PURGE_FIRST	60	/* seconds after startup */
#define PURGE_RECHECK	60	/* while purging is off */

static pthread_mutex_t purge_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t purge_wake = PTHREAD_COND_INITIALIZER;
static bool purge_stopping;
static pthread_t purge_thread;
static bool purge_running;

static void
purge_once(void)
{
	struct store_error err = { "" };
	struct store *st;
	size_t	deleted = 0;

	if (store_hold_get(&st, &err) != STORE_OK)
		return;		/* report mail logs why */
	if (store_purge(st, (int64_t) time(NULL), 0, &deleted, &err) != STORE_OK)
		log_msg(LOG_ERR, "purge: %s (%zu expired reports deleted "
		    "before)", err.reason, deleted);
	else if (deleted > 0)
		log_msg(LOG_INFO, "purge: %zu expired reports deleted", deleted);
}

/* Sleeps for seconds or until purge_stop(); true when stopping. */
static bool
purge_sleep(unsigned seconds)
{
	struct timespec until;
	bool	stop;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += seconds;
	pthread_mutex_lock(&purge_lock);
	while (!purge_stopping &&
	    pthread_cond_timedwait(&purge_wake, &purge_lock, &until) == 0)
		;
	stop = purge_stopping;
	pthread_mutex_unlock(&purge_lock);
	return (stop);
}

static void *
purge_main(void *arg)
{
	struct config *cfg;
	unsigned wait = PURGE_FIRST, interval;

	(void) arg;
	while (!purge_sleep(wait)) {
		cfg = config_live_get();
		interval = cfg->purge_interval;
		config_live_put(cfg);
		if (interval > 0)
			purge_once();
		wait = interval > 0 ? interval : PURGE_RECHECK;
	}
	return (NULL);
}

int
purge_start(void)
{
	if (pthread_create(&purge_thread, NULL, purge_main, NULL) != 0)
		return (-1);
	purge_running = true;
	return (0);
}

void
purge_stop(void)
{
	if (!purge_running)
		return;
	pthread_mutex_lock(&purge_lock);
	purge_stopping = true;
	pthread_cond_broadcast(&purge_wake);
	pthread_mutex_unlock(&purge_lock);
	pthread_join(purge_thread, NULL);
	purge_running = false;
}
