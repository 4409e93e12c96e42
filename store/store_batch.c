/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_batch - the writes of many calls, made durable by one commit
 * PURPOSE
 *	A group (store_group.c) lasts while its writers overlap, so a
 *	program that writes one thing after another (report-query import,
 *	parsing between its writes) still paid two disk flushes a write. A
 *	batch keeps the group open across calls, in bounded commits: a
 *	keeper thread begins the LMDB write txn (so that one thread begins
 *	and commits it, as LMDB wants), every write joins it as a nested
 *	txn (all or none, as before) and returns at once with a ticket,
 *	and the keeper commits when the group holds lim.writes writes or
 *	about lim.bytes bytes, when lim.ms have passed since it opened,
 *	when the map must grow, when a writer waits for the commit itself
 *	(store_write_commit) or when the batch stops. Then the ticket's
 *	outcome is known (store_batch_done): durable, or failed with all of
 *	that commit's writes. The caller counts a write only then.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

#define STORE_BATCH_WRITES	64
#define STORE_BATCH_BYTES	((size_t)8 << 20)
#define STORE_BATCH_MS		1000

/* Whether a writer may join the open group now. g->lock held. */
static bool
store_batch_room(struct store *s)
{
	struct store_group *g = &s->group;
	struct timespec now;

	if (g->busy || g->closing || g->parent == NULL || s->grow_pending ||
	    g->urgent > 0 || g->batch_stop ||
	    g->batch_writes >= g->lim.writes || g->batch_bytes >= g->lim.bytes)
		return (false);
	clock_gettime(CLOCK_REALTIME, &now);
	return (now.tv_sec < g->batch_deadline.tv_sec ||
	    (now.tv_sec == g->batch_deadline.tv_sec &&
	    now.tv_nsec < g->batch_deadline.tv_nsec));
}

enum store_status
store_batch_join(struct store *s, MDB_txn **txn, struct store_error *err)
{
	struct store_group *g = &s->group;
	uint64_t gen = g->open_failed;
	enum store_status st;

	pthread_cond_broadcast(&g->cond);	/* the keeper opens for us */
	for (;;) {
		if (store_batch_room(s)) {
			g->waiting--;
			g->busy = true;
			st = store_group_join(s, txn, err);
			break;
		}
		if (g->open_failed != gen) {
			/* The keeper could not begin the txn: say why. */
			g->waiting--;
			st = g->open_st;
			if (err != NULL)
				memcpy(err, &g->open_err, sizeof(*err));
			break;
		}
		pthread_cond_wait(&g->cond, &g->lock);
	}
	pthread_mutex_unlock(&g->lock);
	return (st);
}

/* Whether the open group must commit now. g->lock held. */
static bool
store_batch_due(struct store *s, const struct timespec *now)
{
	struct store_group *g = &s->group;

	if (g->busy)
		return (false);
	return (g->batch_stop || g->urgent > 0 || s->grow_pending ||
	    g->batch_writes >= g->lim.writes || g->batch_bytes >= g->lim.bytes ||
	    now->tv_sec > g->batch_deadline.tv_sec ||
	    (now->tv_sec == g->batch_deadline.tv_sec &&
	    now->tv_nsec >= g->batch_deadline.tv_nsec));
}

/* Remembers that commit seq failed. g->lock held. */
static void
store_batch_failed(struct store_group *g, uint64_t seq, enum store_status st,
    const struct store_error *err)
{
	struct store_batch_fail *f;

	if ((f = realloc(g->fails, (g->n_fails + 1) * sizeof(*f))) == NULL) {
		/* Cannot say which: every ticket reads as failed from now. */
		g->fails_lost = true;
		return;
	}
	g->fails = f;
	f += g->n_fails++;
	f->seq = seq;
	f->st = st;
	memcpy(&f->err, err, sizeof(f->err));
}

/* Commits the open group and hands out its outcome. g->lock held. */
static void
store_batch_commit(struct store *s)
{
	struct store_group *g = &s->group;
	struct store_ticket *t;
	struct store_error err;
	enum store_status st = STORE_OK;
	uint64_t seq = g->batch_open;
	int	rc;

	memset(&err, 0, sizeof(err));
	g->closing = true;
	g->commits++;
	pthread_mutex_unlock(&g->lock);
	if (g->fail_batch != 0 && ++g->batches == g->fail_batch) {
		mdb_txn_abort(g->parent);
		store_env_reason(&err, "store %s: injected batch commit "
		    "failure", s->dir);
		st = STORE_IO;
	} else if ((rc = mdb_txn_commit(g->parent)) != 0)
		st = store_env_fail(s, rc, "commit", &err);
	store_env_unshare(s);
	pthread_mutex_lock(&g->lock);
	for (t = g->tickets; t != NULL; t = t->next) {
		t->st = st;
		memcpy(&t->err, &err, sizeof(t->err));
		t->done = true;
	}
	if (st != STORE_OK)
		store_batch_failed(g, seq, st, &err);
	g->tickets = NULL;
	g->parent = NULL;
	g->members = 0;
	g->closing = false;
	g->urgent = 0;
	g->batch_done = seq;
	g->batch_open = seq + 1;
	pthread_cond_broadcast(&g->cond);
}

/* The keeper: opens a group when a writer comes, commits it when due. */
static void *
store_batch_keeper(void *arg)
{
	struct store *s = arg;
	struct store_group *g = &s->group;
	struct store_error err;
	struct timespec now;

	pthread_mutex_lock(&g->lock);
	for (;;) {
		while (!g->batch_stop && g->waiting == 0)
			pthread_cond_wait(&g->cond, &g->lock);
		if (g->waiting == 0)
			break;
		memset(&err, 0, sizeof(err));
		g->busy = true;
		if ((g->open_st = store_group_open(s, &err)) != STORE_OK) {
			memcpy(&g->open_err, &err, sizeof(err));
			g->open_failed++;
			pthread_cond_broadcast(&g->cond);
			continue;
		}
		g->busy = false;
		g->batch_writes = 0;
		g->batch_bytes = 0;
		clock_gettime(CLOCK_REALTIME, &g->batch_deadline);
		g->batch_deadline.tv_sec += g->lim.ms / 1000;
		g->batch_deadline.tv_nsec += (long)(g->lim.ms % 1000) * 1000000;
		if (g->batch_deadline.tv_nsec >= 1000000000) {
			g->batch_deadline.tv_sec++;
			g->batch_deadline.tv_nsec -= 1000000000;
		}
		pthread_cond_broadcast(&g->cond);
		for (;;) {
			clock_gettime(CLOCK_REALTIME, &now);
			if (store_batch_due(s, &now))
				break;
			if (g->busy)
				pthread_cond_wait(&g->cond, &g->lock);
			else
				(void)pthread_cond_timedwait(&g->cond, &g->lock,
				    &g->batch_deadline);
		}
		store_batch_commit(s);
	}
	pthread_mutex_unlock(&g->lock);
	return (NULL);
}

enum store_status
store_batch_start(struct store *s, const struct store_batch_limits *lim,
    struct store_error *err)
{
	struct store_group *g = &s->group;
	int	rc;

	if (s->read_only) {
		store_env_reason(err, "store %s: opened read-only", s->dir);
		return (STORE_IO);
	}
	pthread_mutex_lock(&g->lock);
	if (g->batching) {
		pthread_mutex_unlock(&g->lock);
		return (STORE_OK);
	}
	g->lim.writes = lim && lim->writes ? lim->writes : STORE_BATCH_WRITES;
	g->lim.bytes = lim && lim->bytes ? lim->bytes : STORE_BATCH_BYTES;
	g->lim.ms = lim && lim->ms ? lim->ms : STORE_BATCH_MS;
	g->batch_open = g->batch_done + 1;
	g->batch_stop = false;
	g->batching = true;
	if ((rc = pthread_create(&g->keeper, NULL, store_batch_keeper, s)) !=
	    0) {
		g->batching = false;
		pthread_mutex_unlock(&g->lock);
		store_env_reason(err, "store %s: batch thread: %s", s->dir,
		    strerror(rc));
		return (rc == EAGAIN ? STORE_NOMEM : STORE_IO);
	}
	pthread_mutex_unlock(&g->lock);
	return (STORE_OK);
}

void
store_batch_stop(struct store *s)
{
	struct store_group *g = &s->group;

	pthread_mutex_lock(&g->lock);
	if (!g->batching) {
		pthread_mutex_unlock(&g->lock);
		return;
	}
	g->batch_stop = true;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->keeper, NULL);
	pthread_mutex_lock(&g->lock);
	g->batching = false;
	g->batch_stop = false;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

bool
store_batch_done(struct store *s, uint64_t ticket, bool wait,
    enum store_status *st, struct store_error *err)
{
	struct store_group *g = &s->group;
	bool	done;
	size_t	i;

	pthread_mutex_lock(&g->lock);
	while (wait && ticket > g->batch_done && g->batching)
		pthread_cond_wait(&g->cond, &g->lock);
	done = ticket <= g->batch_done;
	*st = STORE_OK;
	for (i = 0; done && i < g->n_fails; i++)
		if (g->fails[i].seq == ticket) {
			*st = g->fails[i].st;
			if (err != NULL)
				memcpy(err, &g->fails[i].err, sizeof(*err));
			break;
		}
	if (done && *st == STORE_OK && g->fails_lost) {
		*st = STORE_NOMEM;
		store_env_reason(err, "store %s: out of memory: a batch "
		    "commit's outcome is lost", s->dir);
	}
	pthread_mutex_unlock(&g->lock);
	return (done);
}
