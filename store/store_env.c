/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_env - open and close the store; the one door to LMDB
 * PURPOSE
 *	Opens the LMDB environment in the store directory, opens (or
 *	creates) the named databases and checks the store version. Every
 *	transaction of the store begins and ends here, so that one place
 *	handles what LMDB asks of its callers: a map that is full (grown on
 *	the next write, up to the configured limit, the failed write answered
 *	with STORE_RETRY), a map grown by another process (MDB_MAP_RESIZED:
 *	adopt its size), and reader slots of dead processes (MDB_READERS_FULL,
 *	and once at open). Every LMDB and errno code becomes a store status
 *	with a reason a postmaster can read.
 *
 *	Threads: the writers of the process share commits (store_group.c);
 *	a rwlock is held shared by every
 *	transaction and exclusively by a map resize, which LMDB allows only
 *	while the process has no transaction open. The rwlock prefers the
 *	resize, so that a steady stream of reads cannot hold a grow off for
 *	ever; a read nested inside another read of the same thread (a scan
 *	callback that gets a report) is let through without locking again,
 *	since it would otherwise wait behind a resize that waits for it.
 */
#define _GNU_SOURCE	/* pthread_rwlockattr_setkind_np */
#include <sys/mman.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_impl.h"

#define MIB	((size_t)1 << 20)

static const char *const store_db_names[STORE_DB_COUNT] = {
	"meta", "reports", "records", "index", "dedup", "quarantine",
	"changes", "hosts", "pending"
};

/* The store whose map lock this thread holds shared, and how often. */
static _Thread_local const struct store *store_env_held;
static _Thread_local unsigned store_env_depth;

/* Whether this thread is inside a transaction of s already. */
bool
store_env_nested(const struct store *s)
{
	return (store_env_held == s && store_env_depth > 0);
}

/* Takes the map lock shared, once per thread however deep the nesting. */
void
store_env_share(struct store *s)
{
	if (store_env_nested(s)) {
		store_env_depth++;
		return;
	}
	pthread_rwlock_rdlock(&s->map_lock);
	if (store_env_depth == 0) {
		store_env_held = s;
		store_env_depth = 1;
	}
}

void
store_env_unshare(struct store *s)
{
	if (store_env_nested(s)) {
		if (--store_env_depth > 0)
			return;
		store_env_held = NULL;
	}
	pthread_rwlock_unlock(&s->map_lock);
}

/* Inside a txn of s under a map lock that the group's leader holds. */
void
store_env_borrow(struct store *s)
{
	store_env_held = s;
	store_env_depth = 1;
}

void
store_env_unborrow(struct store *s)
{
	(void)s;
	store_env_held = NULL;
	store_env_depth = 0;
}

const char *
store_status_name(enum store_status st)
{
	switch (st) {
	case STORE_OK:
		return ("ok");
	case STORE_NOTFOUND:
		return ("not found");
	case STORE_DUPLICATE:
		return ("duplicate");
	case STORE_RETRY:
		return ("retry");
	case STORE_FULL:
		return ("full");
	case STORE_IO:
		return ("i/o error");
	case STORE_NOMEM:
		return ("out of memory");
	case STORE_CORRUPT:
		return ("corrupt");
	case STORE_STOPPED:
		return ("stopped");
	}
	return ("unknown status");
}

bool
store_status_is_temporary(enum store_status st)
{
	return (st == STORE_FULL || st == STORE_IO || st == STORE_NOMEM ||
	    st == STORE_RETRY);
}

void
store_options_default(struct store_options *o)
{
	memset(o, 0, sizeof(*o));
	o->max_size = (size_t)1 << 30;
	o->initial_size = 16 * MIB;
	o->file_mode = 0640;
}

const char *
store_dir(const struct store *s)
{
	return (s->dir);
}

void
store_env_reason(struct store_error *err, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
}

/* STORE_FULL, with the limit the postmaster configured. */
static enum store_status
store_env_full(struct store *s, struct store_error *err)
{
	if (s->max_size >= MIB)
		store_env_reason(err, "store %s: full at %zu MiB limit "
		    "(StoreMaxSize)", s->dir, s->max_size / MIB);
	else
		store_env_reason(err, "store %s: full at %zu KiB limit "
		    "(StoreMaxSize)", s->dir, s->max_size / 1024);
	return (STORE_FULL);
}

enum store_status
store_env_fail(struct store *s, int rc, const char *what,
    struct store_error *err)
{
	MDB_envinfo info;

	memset(&info, 0, sizeof(info));
	switch (rc) {
	case MDB_MAP_FULL:
		if (mdb_env_info(s->env, &info) == 0 &&
		    info.me_mapsize >= s->max_size)
			return (store_env_full(s, err));
		s->grow_pending = true;
		store_env_reason(err, "store %s: %s: map full at %zu KiB: "
		    "grown on the next write, try again", s->dir, what,
		    info.me_mapsize / 1024);
		return (STORE_RETRY);
	case MDB_NOTFOUND:
		store_env_reason(err, "store %s: %s: not found", s->dir, what);
		return (STORE_NOTFOUND);
	case ENOMEM:
		store_env_reason(err, "store %s: %s: out of memory", s->dir, what);
		return (STORE_NOMEM);
	case EIO:
		/* LMDB answers a short write (a full disk) with EIO too. */
		store_env_reason(err, "store %s: %s: input/output error or no "
		    "space left on the device", s->dir, what);
		return (STORE_IO);
	case ENOSPC:
		store_env_reason(err, "store %s: %s: no space left on the "
		    "device", s->dir, what);
		return (STORE_IO);
	case MDB_CORRUPTED:
	case MDB_PAGE_NOTFOUND:
	case MDB_INCOMPATIBLE:
		store_env_reason(err, "store %s: %s: %s", s->dir, what,
		    mdb_strerror(rc));
		return (STORE_CORRUPT);
	default:
		store_env_reason(err, "store %s: %s: %s", s->dir, what,
		    mdb_strerror(rc));
		return (STORE_IO);
	}
}

void
store_env_release(struct store *s, const void *data, size_t len)
{
	uintptr_t page = (uintptr_t) sysconf(_SC_PAGESIZE);
	uintptr_t lo = (uintptr_t) data, hi = lo + len;

	pthread_mutex_lock(&s->pages_lock);
	if (s->seen_lo == 0 || lo < s->seen_lo)
		s->seen_lo = lo;
	if (hi > s->seen_hi)
		s->seen_hi = hi;
	/* A fault maps up to 64 KiB around it: count each read as such. */
	if ((s->seen_bytes += len + 65536) >= STORE_RELEASE_BYTES) {
		s->seen_bytes = 0;
		lo = s->seen_lo & ~(page - 1);
		hi = (s->seen_hi + page - 1) & ~(page - 1);
		(void) madvise((void *) lo, hi - lo, MADV_DONTNEED);
	}
	pthread_mutex_unlock(&s->pages_lock);
}

/* Forgets the addresses read: the map is being set up again (exclusive). */
static void
store_env_unseen(struct store *s)
{
	pthread_mutex_lock(&s->pages_lock);
	s->seen_lo = s->seen_hi = 0;
	s->seen_bytes = 0;
	pthread_mutex_unlock(&s->pages_lock);
}

/*
 * Adopts the map size another process gave the environment. LMDB
 * wants no transaction of this process open, hence the exclusive lock.
 */
void
store_env_adopt(struct store *s)
{
	pthread_rwlock_wrlock(&s->map_lock);
	store_env_unseen(s);
	(void)mdb_env_set_mapsize(s->env, 0);
	pthread_rwlock_unlock(&s->map_lock);
}

/*
 * Doubles the map (capped at max_size) before a write, because the last
 * write met a full map. Called by the leader of a new group before it
 * begins its txn (store_group.c), so no write txn is open. Returns
 * STORE_OK, STORE_FULL (at the limit already) or STORE_IO.
 */
enum store_status
store_env_grow(struct store *s, struct store_error *err)
{
	MDB_envinfo info;
	size_t	size;
	int	rc;

	pthread_rwlock_wrlock(&s->map_lock);
	/*
	 * No mdb_env_set_mapsize(env, 0) here: it goes back to the size of
	 * the last commit, and a map grown for a write that then failed again
	 * would shrink back, so that it never grows past one doubling.
	 */
	if ((rc = mdb_env_info(s->env, &info)) != 0) {
		pthread_rwlock_unlock(&s->map_lock);
		return (store_env_fail(s, rc, "map size", err));
	}
	if (info.me_mapsize >= s->max_size) {
		pthread_rwlock_unlock(&s->map_lock);
		s->grow_pending = false;
		return (store_env_full(s, err));
	}
	size = info.me_mapsize > s->max_size / 2 ? s->max_size :
	    info.me_mapsize * 2;
	store_env_unseen(s);
	rc = mdb_env_set_mapsize(s->env, size);
	pthread_rwlock_unlock(&s->map_lock);
	if (rc != 0)
		return (store_env_fail(s, rc, "growing the map", err));
	s->grow_pending = false;
	return (STORE_OK);
}

/*
 * Grows the map until at least need bytes are left past the file's last
 * page, or until the limit (not an error here: the write that follows
 * meets the full map and says so). For a batch (store_batch.c), whose
 * commit, if it met a full map, would fail all its writes at once: LMDB
 * allocates pages for its free list at commit too. No write txn open.
 */
enum store_status
store_env_make_room(struct store *s, size_t need, struct store_error *err)
{
	MDB_envinfo info;
	MDB_stat st;
	enum store_status rc;

	for (;;) {
		if (mdb_env_info(s->env, &info) != 0 ||
		    mdb_env_stat(s->env, &st) != 0)
			return (STORE_OK);	/* the write will say */
		if (info.me_mapsize >= s->max_size || info.me_mapsize -
		    (size_t)(info.me_last_pgno + 1) * st.ms_psize >= need)
			return (STORE_OK);
		if ((rc = store_env_grow(s, err)) != STORE_OK)
			return (rc == STORE_FULL ? STORE_OK : rc);
	}
}

enum store_status
store_env_read_begin(struct store *s, MDB_txn **txn, struct store_error *err)
{
	int	rc, dead, tries;

	for (tries = 0;; tries++) {
		store_env_share(s);
		if ((rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, txn)) == 0)
			return (STORE_OK);
		store_env_unshare(s);
		if (tries >= 3)
			break;
		/* Inside an outer read the map cannot be resized: fail. */
		if (rc == MDB_MAP_RESIZED && !store_env_nested(s)) {
			store_env_adopt(s);
			continue;
		}
		dead = 0;
		if (rc == MDB_READERS_FULL &&
		    mdb_reader_check(s->env, &dead) == 0 && dead > 0)
			continue;
		break;
	}
	*txn = NULL;
	return (store_env_fail(s, rc, "read transaction", err));
}

void
store_env_read_end(struct store *s, MDB_txn *txn)
{
	mdb_txn_abort(txn);
	store_env_unshare(s);
}

/*
 * Checks the directory: *fresh is true when it holds no store yet (and
 * one may be made: the directory is then created when missing).
 * Returns STORE_OK, STORE_NOTFOUND or STORE_IO.
 */
static enum store_status
store_env_dir(struct store *s, const struct store_options *o, mode_t mode,
    bool *fresh, struct store_error *err)
{
	struct stat sb;
	char	path[4096];

	if ((size_t)snprintf(path, sizeof(path), "%s/data.mdb", s->dir) >=
	    sizeof(path)) {
		store_env_reason(err, "store %s: path too long", s->dir);
		return (STORE_IO);
	}
	*fresh = false;
	if (stat(path, &sb) == 0)
		return (STORE_OK);
	if (errno != ENOENT) {
		store_env_reason(err, "store %s: %s", s->dir, strerror(errno));
		return (STORE_IO);
	}
	if (o->no_create || o->read_only) {
		store_env_reason(err, "store %s: no store there", s->dir);
		return (STORE_NOTFOUND);
	}
	*fresh = true;
	/* The directory gets x wherever the files get r. */
	if (mkdir(s->dir, mode | (mode & 0444) >> 2) != 0 && errno != EEXIST) {
		store_env_reason(err, "store %s: cannot create the directory: %s",
		    s->dir, strerror(errno));
		return (errno == ENOMEM ? STORE_NOMEM : STORE_IO);
	}
	return (STORE_OK);
}

/*
 * Opens the named databases in txn (creating them unless read-only) and
 * checks the version. An environment that holds other databases than ours
 * is not taken over. Returns STORE_OK, STORE_NOTFOUND, STORE_IO.
 */
static enum store_status
store_env_dbs(struct store *s, MDB_txn *txn, struct store_error *err)
{
	MDB_val	k = {7, (void *)"version"}, v;
	enum store_status st;
	MDB_dbi	main_dbi;
	MDB_stat ms;
	int	i, rc;

	if ((rc = mdb_dbi_open(txn, store_db_names[0], 0, &s->dbi[0])) != 0) {
		if (rc != MDB_NOTFOUND)
			return (store_env_fail(s, rc, "opening meta", err));
		if (s->read_only) {
			store_env_reason(err, "store %s: no store there", s->dir);
			return (STORE_NOTFOUND);
		}
		if ((rc = mdb_dbi_open(txn, NULL, 0, &main_dbi)) != 0 ||
		    (rc = mdb_stat(txn, main_dbi, &ms)) != 0)
			return (store_env_fail(s, rc, "opening", err));
		if (ms.ms_entries != 0) {
			store_env_reason(err, "store %s: an LMDB environment "
			    "that is not a report store", s->dir);
			return (STORE_IO);
		}
	}
	for (i = 0; i < STORE_DB_COUNT; i++) {
		rc = mdb_dbi_open(txn, store_db_names[i],
		    s->read_only ? 0 : MDB_CREATE, &s->dbi[i]);
		/*
		 * A store made before the change log, the host cache or
		 * the pending mail reads without them (read-only; a
		 * writer creates them).
		 */
		if (rc == MDB_NOTFOUND && (i == STORE_DB_CHANGES ||
		    i == STORE_DB_HOSTS || i == STORE_DB_PENDING))
			continue;
		if (rc == MDB_NOTFOUND) {
			store_env_reason(err, "store %s: not a report store "
			    "(no %s database)", s->dir, store_db_names[i]);
			return (STORE_IO);
		}
		if (rc != 0)
			return (store_env_fail(s, rc, store_db_names[i], err));
		if (i == STORE_DB_CHANGES)
			s->has_changes = true;
		if (i == STORE_DB_HOSTS)
			s->has_hosts = true;
		if (i == STORE_DB_PENDING)
			s->has_pending = true;
	}
	rc = mdb_get(txn, s->dbi[STORE_DB_META], &k, &v);
	if (rc == MDB_NOTFOUND && !s->read_only) {
		v.mv_data = (void *)STORE_VERSION;
		v.mv_size = strlen(STORE_VERSION);
		rc = mdb_put(txn, s->dbi[STORE_DB_META], &k, &v, 0);
		return (rc == 0 ? STORE_OK : store_env_fail(s, rc, "version", err));
	}
	if (rc != 0)
		return (store_env_fail(s, rc, "version", err));
	if (v.mv_size != strlen(STORE_VERSION) ||
	    memcmp(v.mv_data, STORE_VERSION, v.mv_size) != 0) {
		store_env_reason(err, "store %s: version %.*s, not %s", s->dir,
		    (int)(v.mv_size > 16 ? 16 : v.mv_size), (char *)v.mv_data,
		    STORE_VERSION);
		return (STORE_IO);
	}
	if (!s->read_only && (st = store_change_backfill(s, txn, err)) !=
	    STORE_OK)
		return (st);
	return (STORE_OK);
}

/* The environment's size and databases, once it is open. */
static enum store_status
store_env_setup(struct store *s, size_t initial, bool fresh,
    struct store_error *err)
{
	enum store_status st;
	MDB_envinfo info;
	MDB_txn *txn;
	int	rc, dead;

	(void)mdb_reader_check(s->env, &dead);
	if (!fresh && !s->read_only && mdb_env_info(s->env, &info) == 0 &&
	    info.me_mapsize < initial &&
	    (rc = mdb_env_set_mapsize(s->env, initial)) != 0)
		return (store_env_fail(s, rc, "setting the map size", err));
	rc = mdb_txn_begin(s->env, NULL, s->read_only ? MDB_RDONLY : 0, &txn);
	if (rc != 0)
		return (store_env_fail(s, rc, "opening", err));
	if ((st = store_env_dbs(s, txn, err)) != STORE_OK) {
		mdb_txn_abort(txn);
		return (st);
	}
	if ((rc = mdb_txn_commit(txn)) != 0) {
		st = store_env_fail(s, rc, "creating", err);
		return (st == STORE_RETRY ? store_env_full(s, err) : st);
	}
	return (STORE_OK);
}

/* A map size in whole pages, and 8 pages at least, as LMDB wants it. */
static size_t
store_env_pages(size_t size)
{
	long	page = sysconf(_SC_PAGESIZE);
	size_t	p = page > 0 ? (size_t)page : 4096;

	size -= size % p;
	return (size < 8 * p ? 8 * p : size);
}

/* The writers' group, and a map rwlock that lets a waiting resize in first. */
static void
store_env_locks(struct store *s)
{
	pthread_rwlockattr_t a;

	store_group_init(&s->group);
	pthread_rwlockattr_init(&a);
#ifdef __GLIBC__
	pthread_rwlockattr_setkind_np(&a,
	    PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
	pthread_rwlock_init(&s->map_lock, &a);
	pthread_mutex_init(&s->pages_lock, NULL);
	pthread_rwlockattr_destroy(&a);
}

enum store_status
store_open(const char *dir, const struct store_options *o, struct store **out,
    struct store_error *err)
{
	struct store_options def;
	enum store_status st;
	struct store *s;
	size_t	initial;
	mode_t	mode;
	bool	fresh;
	const char *inj;
	int	rc;

	*out = NULL;
	if (o == NULL) {
		store_options_default(&def);
		o = &def;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->dir = record_strdup(dir)) == NULL) {
		free(s);
		store_env_reason(err, "store %s: out of memory", dir);
		return (STORE_NOMEM);
	}
	s->read_only = o->read_only;
	s->max_size = store_env_pages(o->max_size ? o->max_size :
	    (size_t)1 << 30);
	initial = store_env_pages(o->initial_size ? o->initial_size : 16 * MIB);
	if (initial > s->max_size)
		initial = s->max_size;
	mode = o->file_mode ? o->file_mode : 0640;
	s->file_mode = mode;
	store_env_locks(s);
	if ((inj = getenv("REPORT_STORE_FAIL_COMMIT")) != NULL)
		s->fail_commit = strtoul(inj, NULL, 10);
	if ((inj = getenv("REPORT_STORE_FAIL_BATCH")) != NULL)
		s->group.fail_batch = strtoul(inj, NULL, 10);

	if ((st = store_env_dir(s, o, mode, &fresh, err)) != STORE_OK)
		goto fail;
	if ((rc = mdb_env_create(&s->env)) != 0 ||
	    (rc = mdb_env_set_maxdbs(s->env, 16)) != 0 ||
	    (fresh && (rc = mdb_env_set_mapsize(s->env, initial)) != 0) ||
	    (rc = mdb_env_open(s->env, s->dir,
	    MDB_NOTLS | (s->read_only ? MDB_RDONLY : 0), mode)) != 0) {
		st = store_env_fail(s, rc, "opening", err);
		goto fail;
	}
	if ((st = store_env_setup(s, initial, fresh, err)) != STORE_OK ||
	    (st = store_journal_open(s, o->journal_size, o->journal_drain,
	    err)) != STORE_OK)
		goto fail;
	*out = s;
	return (STORE_OK);
fail:
	store_close(s);
	return (st);
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	store_batch_stop(s);
	store_journal_close(s);
	if (s->env != NULL)
		mdb_env_close(s->env);
	pthread_rwlock_destroy(&s->map_lock);
	pthread_mutex_destroy(&s->pages_lock);
	store_group_destroy(&s->group);
	free(s->dir);
	free(s);
}
