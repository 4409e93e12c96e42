/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_group - writers of one process share a durable commit
 * PURPOSE
 *	Every write of the store begins and ends here. A durable LMDB commit
 *	costs two disk flushes, and LMDB lets one writer in at a time, so
 *	when each caller committed on its own, callers (report-milter's
 *	connection threads, report-query import's jobs) waited in line for
 *	each other's flushes. Here the writers of a process that arrive
 *	while a write is under way form a group that one commit makes
 *	durable:
 *
 *	- the first writer is the group's leader: it begins the LMDB write
 *	  txn and writes in it directly;
 *	- a writer that arrives while the group is open writes in a nested
 *	  txn of the leader's, one writer at a time; when its writes fail it
 *	  aborts its nested txn, which forgets them and nothing else;
 *	- when nobody is writing and nobody waits (or the group is full, or
 *	  the map must grow) the leader commits, with LMDB's flushes, and
 *	  tells every member the outcome; only then does each member's
 *	  store_env_write_end() return. A failed commit fails every member:
 *	  nothing of any of them was written.
 *
 *	So every call still returns only when what it wrote is on disk, all
 *	of it or none, as before; a caller alone commits at once. The leader
 *	begins and commits the LMDB txn in its own thread, as LMDB's write
 *	lock wants; members use the nested txns strictly one after another,
 *	handed over under the group mutex.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

#define STORE_GROUP_MAX	64	/* members of one group, leader included */
/* Room a batch's group asks for past its bytes bound: branch pages, free list. */
#define STORE_GROUP_ROOM	((size_t)4 << 20)

static enum store_status store_group_end(struct store *, MDB_txn *, bool,
    size_t, uint64_t *, struct store_error *);


void
store_group_init(struct store_group *g)
{
	memset(g, 0, sizeof(*g));
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->cond, NULL);
}

void
store_group_destroy(struct store_group *g)
{
	free(g->fails);
	pthread_cond_destroy(&g->cond);
	pthread_mutex_destroy(&g->lock);
}

/*
 * Opens a group with the caller as its leader: grows the map first when
 * asked (or, for a batch, when it has not room for three times the
 * batch's bytes bound: a full map at its commit would fail every write of
 * it), then begins the LMDB write txn. Called with g->lock held and
 * g->busy set by the caller; drops the lock while it waits for LMDB
 * (another process may hold its write lock). Returns STORE_OK with
 * g->parent set, or a status with g->busy cleared.
 */
enum store_status
store_group_open(struct store *s, struct store_error *err)
{
	struct store_group *g = &s->group;
	enum store_status st = STORE_OK;
	MDB_txn *txn = NULL;
	size_t	room = g->batching ? STORE_GROUP_ROOM + 3 * g->lim.bytes : 0;
	int	rc = 0, tries;

	pthread_mutex_unlock(&g->lock);
	if (s->grow_pending)
		st = store_env_grow(s, err);
	else if (room > 0)
		st = store_env_make_room(s, room, err);
	for (tries = 0; st == STORE_OK; tries++) {
		store_env_share(s);
		if ((rc = mdb_txn_begin(s->env, NULL, 0, &txn)) == 0)
			break;
		store_env_unshare(s);
		if (rc != MDB_MAP_RESIZED || tries >= 3) {
			st = store_env_fail(s, rc, "write transaction", err);
			break;
		}
		store_env_adopt(s);
	}
	pthread_mutex_lock(&g->lock);
	if (st != STORE_OK) {
		g->busy = false;
		pthread_cond_broadcast(&g->cond);
		return (st);
	}
	g->parent = txn;
	g->members = 1;
	return (STORE_OK);
}

/* Joins the open group: a nested txn of the leader's. g->lock held. */
enum store_status
store_group_join(struct store *s, MDB_txn **txn, struct store_error *err)
{
	struct store_group *g = &s->group;
	int	rc;

	if ((rc = mdb_txn_begin(s->env, g->parent, 0, txn)) != 0) {
		*txn = NULL;
		g->busy = false;
		pthread_cond_broadcast(&g->cond);
		return (store_env_fail(s, rc, "nested write transaction", err));
	}
	g->members++;
	/* The leader holds the map lock shared for the whole group. */
	store_env_borrow(s);
	return (STORE_OK);
}

enum store_status
store_env_write_begin(struct store *s, MDB_txn **txn, struct store_error *err)
{
	struct store_group *g = &s->group;
	enum store_status st;

	*txn = NULL;
	if (s->read_only) {
		store_env_reason(err, "store %s: opened read-only", s->dir);
		return (STORE_IO);
	}
	/* It could wait for a grow that waits for this thread's read. */
	if (store_env_nested(s)) {
		store_env_reason(err, "store %s: a write inside a read or write "
		    "of the same thread", s->dir);
		return (STORE_IO);
	}
	pthread_mutex_lock(&g->lock);
	g->waiting++;
	if (g->batching)
		return (store_batch_join(s, txn, err));
	for (;;) {
		if (!g->busy && !g->closing && g->parent == NULL) {
			g->waiting--;
			g->busy = true;
			if ((st = store_group_open(s, err)) == STORE_OK)
				*txn = g->parent;
			break;
		}
		if (!g->busy && !g->closing && g->parent != NULL &&
		    !s->grow_pending && g->members < STORE_GROUP_MAX) {
			g->waiting--;
			g->busy = true;
			st = store_group_join(s, txn, err);
			break;
		}
		pthread_cond_wait(&g->cond, &g->lock);
	}
	pthread_mutex_unlock(&g->lock);
	return (st);
}

/* Whether this commit is the one REPORT_STORE_FAIL_COMMIT picks. */
static bool
store_group_injected(struct store *s, struct store_error *err)
{
	if (s->fail_commit == 0 || ++s->commits != s->fail_commit)
		return (false);
	store_env_reason(err, "store %s: injected commit failure", s->dir);
	return (true);
}

/*
 * The leader, its own writes done: lets the members in, waits until
 * none writes or waits, commits, and hands every member the outcome.
 * g->lock held on entry and on return.
 */
static enum store_status
store_group_close(struct store *s, struct store_error *err)
{
	struct store_group *g = &s->group;
	struct store_ticket *t;
	enum store_status st = STORE_OK;
	int	rc;

	g->busy = false;
	pthread_cond_broadcast(&g->cond);
	while (g->busy || (g->waiting > 0 && !s->grow_pending &&
	    g->members < STORE_GROUP_MAX))
		pthread_cond_wait(&g->cond, &g->lock);
	g->closing = true;
	g->writes++;
	g->commits++;
	pthread_mutex_unlock(&g->lock);
	if ((rc = mdb_txn_commit(g->parent)) != 0)
		st = store_env_fail(s, rc, "commit", err);
	store_env_unshare(s);
	pthread_mutex_lock(&g->lock);
	for (t = g->tickets; t != NULL; t = t->next) {
		t->st = st;
		if (st != STORE_OK && err != NULL)
			memcpy(&t->err, err, sizeof(t->err));
		t->done = true;
	}
	g->tickets = NULL;
	g->parent = NULL;
	g->members = 0;
	g->closing = false;
	pthread_cond_broadcast(&g->cond);
	return (st);
}

/* A member's end: its nested txn merged (or dropped), then the wait. */
static enum store_status
store_group_leave(struct store *s, MDB_txn *txn, bool commit, size_t bytes,
    uint64_t *ticket, struct store_error *err)
{
	struct store_group *g = &s->group;
	struct store_ticket t;
	int	rc;

	memset(&t, 0, sizeof(t));
	store_env_unborrow(s);
	if (commit && store_group_injected(s, err)) {
		mdb_txn_abort(txn);
		t.st = STORE_IO;
		commit = false;
	} else if (!commit) {
		mdb_txn_abort(txn);
	} else if ((rc = mdb_txn_commit(txn)) != 0) {
		t.st = store_env_fail(s, rc, "commit", err);
		commit = false;
	}
	pthread_mutex_lock(&g->lock);
	g->busy = false;
	pthread_cond_broadcast(&g->cond);
	if (commit && g->batching) {
		g->batch_writes++;
		g->batch_bytes += bytes;
		if (ticket != NULL) {
			/* Merged: the keeper's commit makes it durable. */
			g->writes++;
			*ticket = g->batch_open;
			pthread_mutex_unlock(&g->lock);
			return (STORE_OK);
		}
		g->urgent++;	/* this one waits: commit at once */
	}
	if (commit) {
		g->writes++;
		t.next = g->tickets;
		g->tickets = &t;
		while (!t.done)
			pthread_cond_wait(&g->cond, &g->lock);
		if (t.st != STORE_OK && err != NULL)
			memcpy(err, &t.err, sizeof(*err));
	}
	pthread_mutex_unlock(&g->lock);
	return (t.st);
}

enum store_status
store_env_write_end(struct store *s, MDB_txn *txn, bool commit,
    struct store_error *err)
{
	return (store_group_end(s, txn, commit, 0, NULL, err));
}

enum store_status
store_env_write_merge(struct store *s, MDB_txn *txn, size_t bytes,
    uint64_t *ticket, struct store_error *err)
{
	*ticket = 0;
	return (store_group_end(s, txn, true, bytes, ticket, err));
}

static enum store_status
store_group_end(struct store *s, MDB_txn *txn, bool commit, size_t bytes,
    uint64_t *ticket, struct store_error *err)
{
	struct store_group *g = &s->group;
	enum store_status st = STORE_OK;

	pthread_mutex_lock(&g->lock);
	if (txn != g->parent) {
		pthread_mutex_unlock(&g->lock);
		return (store_group_leave(s, txn, commit, bytes, ticket, err));
	}
	/*
	 * The leader. Members join only once its own writes are done, so
	 * when it aborts (or the injected failure picks it) nobody else has
	 * written in the txn yet.
	 */
	if (commit && store_group_injected(s, err)) {
		commit = false;
		st = STORE_IO;
	}
	if (!commit) {
		mdb_txn_abort(txn);
		store_env_unshare(s);
		g->parent = NULL;
		g->members = 0;
		g->busy = false;
		pthread_cond_broadcast(&g->cond);
	} else {
		st = store_group_close(s, err);
	}
	pthread_mutex_unlock(&g->lock);
	return (st);
}

void
store_write_counts(struct store *s, struct store_write_counts *out)
{
	pthread_mutex_lock(&s->group.lock);
	out->writes = s->group.writes;
	out->commits = s->group.commits;
	pthread_mutex_unlock(&s->group.lock);
}
