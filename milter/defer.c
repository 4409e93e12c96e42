/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	defer - the thread that parses report mail kept pending
 * PURPOSE
 *	With DeferParse, end of message keeps a report mail pending in the
 *	store (store_pending_put(): in the store's journal, one disk flush,
 *	or its pending database when the journal is full) and answers;
 *	this thread then runs the one ingest path over each pending mail,
 *	oldest first, and the pending entry leaves in the same commit as
 *	the reports parsed from it. So the parse and the records' writes
 *	cost the MTA nothing while report mail comes in bursts, and a crash
 *	loses nothing: what was pending when the daemon stopped is parsed
 *	at the next start. A store that cannot write keeps the entry, and
 *	it is tried again, later and later (1 s doubling to a minute).
 *
 *	While report mail keeps coming the thread waits (until none has
 *	come for DEFER_QUIET_MS, or the oldest has waited DEFER_WAIT_MAX
 *	seconds): the parse would take the CPU the MTA is receiving it with.
 *	It runs at a lower priority (nice +10 on Linux) than the
 *	connections: while mail comes in, it takes what CPU they leave.
 *	DeferBacklog bounds what may wait: past it, end of message parses
 *	the mail itself, as without DeferParse.
 *
 *	For tests: with REPORT_MILTER_DEFER_HOLD set in its environment (read
 *	at start), the thread parses nothing, so that what is kept pending
 *	stays pending until the daemon stops (or is killed).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "config_live.h"
#include "finish.h"
#include "log.h"
#include "stats.h"
#include "store_hold.h"

#include "defer.h"

#define DEFER_IDLE	30	/* seconds between looks when not woken */
#define DEFER_BACKOFF_MAX 60	/* seconds between tries of a failing store */
#define DEFER_NICE	10
#define DEFER_QUIET_MS	200	/* no report mail for this long: parse */
#define DEFER_WAIT_MAX	10	/* seconds the oldest waits at most */

static pthread_mutex_t defer_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t defer_wake = PTHREAD_COND_INITIALIZER;
static bool defer_stopping, defer_kicked, defer_running, defer_hold;
static bool defer_idle;		/* the thread waits to be kicked */
static pthread_t defer_thread;
static struct timespec defer_last;	/* when mail was last kept pending */

void
defer_kick(void)
{
	pthread_mutex_lock(&defer_lock);
	clock_gettime(CLOCK_MONOTONIC, &defer_last);
	defer_kicked = true;
	/* Waiting for quiet, the thread looks at defer_last when it wakes. */
	if (defer_idle)
		pthread_cond_signal(&defer_wake);
	pthread_mutex_unlock(&defer_lock);
}

/* Waits seconds, or until kicked (when kick counts); true when stopping. */
static bool
defer_sleep(unsigned seconds, bool kick)
{
	struct timespec until;
	bool	stop;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += seconds;
	pthread_mutex_lock(&defer_lock);
	defer_idle = kick;
	while (!defer_stopping && !(kick && defer_kicked) &&
	    pthread_cond_timedwait(&defer_wake, &defer_lock, &until) == 0)
		;
	defer_idle = false;
	defer_kicked = false;
	stop = defer_stopping;
	pthread_mutex_unlock(&defer_lock);
	return (stop);
}

/*
 * Waits while report mail keeps coming (the parse would take the CPU the
 * MTA is using to receive it), until none has come for DEFER_QUIET_MS or
 * the oldest pending mail, received at received_at, has waited
 * DEFER_WAIT_MAX seconds. True when stopping.
 */
static bool
defer_quiet(int64_t received_at)
{
	struct timespec now, until;
	long	ms;
	bool	stop;

	pthread_mutex_lock(&defer_lock);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (now.tv_sec - defer_last.tv_sec) * 1000 +
		    (now.tv_nsec - defer_last.tv_nsec) / 1000000;
		if (defer_stopping || ms >= DEFER_QUIET_MS ||
		    (int64_t) time(NULL) - received_at >= DEFER_WAIT_MAX)
			break;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += (DEFER_QUIET_MS - ms) * 1000000L;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		(void) pthread_cond_timedwait(&defer_wake, &defer_lock, &until);
	}
	defer_kicked = false;
	stop = defer_stopping;
	pthread_mutex_unlock(&defer_lock);
	return (stop);
}

static bool
defer_should_stop(void)
{
	bool	stop;

	pthread_mutex_lock(&defer_lock);
	stop = defer_stopping;
	pthread_mutex_unlock(&defer_lock);
	return (stop);
}

/* Removes an entry that cannot be read back (its reason is logged). */
static void
defer_drop(struct store *st, uint64_t id)
{
	struct store_error err = { "" };
	struct store_write *w;

	if (store_write_begin(st, &w, &err) != STORE_OK ||
	    store_write_pending_done(w, id, &err) != STORE_OK ||
	    store_write_commit(w, &err) != STORE_OK)
		log_msg(LOG_ERR, "pending mail %llu: cannot remove it: %s",
		    (unsigned long long) (id & ~STORE_PENDING_JOURNAL),
		    err.reason);
	else
		store_pending_release(st, id);
}

/*
 * Ingests pending mail p with the configuration in force. Returns false
 * when the store could not write (p stays pending).
 */
static bool
defer_ingest(struct store *st, const struct store_pending *p)
{
	struct ingest_envelope env;
	struct ingest_options o;
	struct ingest_result res;
	struct config *cfg;
	const char *qid = p->queue_id[0] ? p->queue_id : "NOQUEUE";

	memset(&env, 0, sizeof(env));
	env.sender = p->sender;
	env.rcpts = (const char *const *) p->rcpts.v;
	env.n_rcpts = p->rcpts.n;
	env.client_addr = p->client_addr[0] ? p->client_addr : NULL;
	env.queue_id = p->queue_id[0] ? p->queue_id : NULL;
	env.received_at = p->received_at;
	env.pending_id = p->id;
	cfg = config_live_get();
	finish_options(cfg, &o);
	(void) ingest_message(st, p->message, p->message_len, &env, &o, &res);
	config_live_put(cfg);
	if (res.status == INGEST_TEMPFAIL) {
		finish_log(qid, p->sender, &res, p->message_len,
		    "kept pending");
		stats_tempfail(stats_tempfail_of(res.cause));
		return (false);
	}
	store_pending_release(st, p->id);
	stats_ingest(&res);
	finish_log(qid, p->sender, &res, p->message_len, "delivered");
	return (true);
}

/*
 * Parses what is pending, oldest first, until none is left or the store
 * fails. Returns the seconds to wait before the next look: 0 when all is
 * done (wait to be woken), else the backoff.
 */
static unsigned
defer_drain(unsigned backoff)
{
	struct store_error err = { "" };
	struct store_pending *p;
	enum store_status sst;
	struct store *st;
	uint64_t id;

	if (store_hold_get(&st, &err) != STORE_OK)
		return (backoff);	/* report mail logs why */
	while (!defer_should_stop()) {
		sst = store_pending_next(st, 0, &id, &p, &err);
		if (sst == STORE_NOTFOUND)
			return (0);
		if (sst == STORE_CORRUPT) {
			log_msg(LOG_ERR, "%s: removed", err.reason);
			defer_drop(st, id);
			continue;
		}
		if (sst != STORE_OK) {
			log_msg(LOG_ERR, "pending mail: %s", err.reason);
			return (backoff);
		}
		if (defer_quiet(p->received_at)) {
			store_pending_free(p);
			break;
		}
		if (!defer_ingest(st, p)) {
			store_pending_free(p);
			return (backoff);
		}
		store_pending_free(p);
	}
	return (0);
}

static void *
defer_main(void *arg)
{
	unsigned wait, backoff = 1;

	(void) arg;
#if defined(__linux__)
	(void) setpriority(PRIO_PROCESS, (id_t) syscall(SYS_gettid), DEFER_NICE);
#endif
	for (;;) {
		if (defer_hold) {
			if (defer_sleep(DEFER_IDLE, false))
				break;
			continue;
		}
		wait = defer_drain(backoff);
		if (wait == 0) {
			backoff = 1;
			if (defer_sleep(DEFER_IDLE, true))
				break;
		} else {
			backoff = backoff * 2 > DEFER_BACKOFF_MAX ?
			    DEFER_BACKOFF_MAX : backoff * 2;
			if (defer_sleep(wait, false))
				break;
		}
	}
	return (NULL);
}

int
defer_start(void)
{
	defer_hold = getenv("REPORT_MILTER_DEFER_HOLD") != NULL;
	if (pthread_create(&defer_thread, NULL, defer_main, NULL) != 0)
		return (-1);
	defer_running = true;
	return (0);
}

void
defer_stop(void)
{
	if (!defer_running)
		return;
	pthread_mutex_lock(&defer_lock);
	defer_stopping = true;
	pthread_cond_broadcast(&defer_wake);
	pthread_mutex_unlock(&defer_lock);
	pthread_join(defer_thread, NULL);
	defer_running = false;
}
