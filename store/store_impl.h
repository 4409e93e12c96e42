/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_impl.h - the inside of the report store (store_*.c only)
 * PURPOSE
 *	The one header besides the store_*.c files that includes <lmdb.h>.
 *	It describes struct store and struct store_write, the encodings the
 *	files share (ids, the stored value header, chunks, index keys, dedup
 *	digests) and the internal calls between the files. Nothing here is
 *	for code outside store_*.c.
 *
 *	Internal calls follow the public conventions: they return an enum
 *	store_status, fill err with a reason, and leave *out NULL on failure.
 */
#ifndef STORE_IMPL_H
#define STORE_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <lmdb.h>

#include "record.h"
#include "sha256.h"
#include "store.h"

/* The named databases (see store.h). */
enum store_db {
	STORE_DB_META = 0,
	STORE_DB_REPORTS,
	STORE_DB_RECORDS,
	STORE_DB_INDEX,
	STORE_DB_DEDUP,
	STORE_DB_QUARANTINE,
	STORE_DB_CHANGES,
	STORE_DB_HOSTS,
	STORE_DB_PENDING,
	STORE_DB_COUNT
};

#define STORE_VERSION		"1"
#define STORE_ID_CHARS		7	/* characters of a text id */
#define STORE_ID_MAX		((UINT64_C(1) << 35) - 1)	/* 7 base32 digits */
#define STORE_CHUNK_RECORDS	256	/* records of one chunk (in-memory reports) */
#define STORE_IPSET_MAX		100000	/* distinct source IPs indexed per report */
#define STORE_COMPRESS_MIN	1024	/* values this long or longer are deflated */
#define STORE_CHUNK_MAX		((size_t)256 << 20)	/* inflated chunk cap */
#define STORE_RETRIES		8	/* internal writes begun again on STORE_RETRY */

/* The writers of this process that share one commit (store_group.c). */
struct store_group {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	MDB_txn *parent;		/* the leader's txn; NULL: no group open */
	bool	busy;			/* a member writes (or the group opens) */
	bool	closing;		/* the leader commits: newcomers wait */
	unsigned waiting;		/* writers waiting to begin */
	unsigned members;		/* writers in the open group */
	struct store_ticket *tickets;	/* members waiting for the commit */
	uint64_t writes;		/* store_write_counts() */
	uint64_t commits;
	/* A batch (store_batch_start): a keeper thread leads every group. */
	bool	batching;		/* the keeper runs */
	bool	batch_stop;		/* the keeper commits and ends */
	pthread_t keeper;
	struct store_batch_limits lim;
	struct timespec batch_deadline;	/* CLOCK_REALTIME: commit by then */
	unsigned batch_writes;		/* writes merged in the open group */
	size_t	batch_bytes;		/* bytes they wrote, about */
	unsigned urgent;		/* writers waiting for the commit itself */
	uint64_t batch_open;		/* number of the commit now being filled */
	uint64_t batch_done;		/* last batch commit done */
	uint64_t open_failed;		/* count of failed opens (a generation) */
	enum store_status open_st;	/* how the last one failed */
	struct store_error open_err;
	struct store_batch_fail *fails;	/* batch commits that failed */
	size_t	n_fails;
	bool	fails_lost;		/* one could not be kept (no memory) */
	unsigned long fail_batch;	/* REPORT_STORE_FAIL_BATCH; 0: off */
	unsigned long batches;		/* batch commits attempted */
};

struct store {
	char   *dir;
	MDB_env *env;
	MDB_dbi	dbi[STORE_DB_COUNT];
	size_t	max_size;
	bool	read_only;
	bool	has_changes;		/* the changes database is there */
	bool	has_hosts;		/* the hosts database is there */
	bool	has_pending;		/* the pending database is there */
	mode_t	file_mode;		/* of the files the store makes */
	struct store_journal *journal;	/* report-milter's pending mail; NULL: none */
	atomic_bool grow_pending;	/* a write met a full map: grow first */
	unsigned long fail_commit;	/* REPORT_STORE_FAIL_COMMIT; 0: off */
	unsigned long commits;		/* write commits attempted since open */
	struct store_group group;	/* the writers of this process */
	pthread_rwlock_t map_lock;	/* txns shared, map resize exclusive */
	pthread_mutex_t pages_lock;	/* the three below */
	uintptr_t seen_lo, seen_hi;	/* map addresses read since the map
					   was last set up; 0: none */
	size_t	seen_bytes;		/* read since the last release */
};

/* A set of 16-byte addresses, bounded at STORE_IPSET_MAX members. */
struct store_ipset {
	unsigned char (*slot)[16];	/* open addressing; all zero: empty */
	size_t	cap;			/* slots, a power of two (or 0) */
	size_t	n;			/* members, the zero address included */
	bool	has_zero;		/* the address :: is a member */
};

struct store_write {
	struct store *s;
	MDB_txn *txn;
	enum store_status failed;	/* STORE_OK while the txn is usable */
	bool	pending;		/* a streamed DMARC report is open */
	bool	pending_dup;		/* ... and is kept already */
	uint64_t pending_id;		/* its reserved id (not for a dup) */
	uint64_t dup_id;		/* the kept report (for a dup) */
	uint32_t n_chunks;		/* chunks written for it */
	uint64_t n_records;		/* records written for it */
	unsigned char digest[SHA256_LEN];	/* its dedup digest */
	struct store_ipset ips;		/* its distinct source IPs */
	struct store_error why;		/* the reason of the first failure */
	size_t	bytes;			/* keys and values put, for a batch */
};

/*
 * store_pending.c: the value of a pending entry, its size (false: too
 * big to keep), written into v, and read back.
 */
bool	store_pending_size(const struct store_pending *p, size_t *len);
void	store_pending_fill(const struct store_pending *p, unsigned char *v);
enum store_status store_pending_decode(struct store *s, uint64_t id,
    const unsigned char *v, size_t len, struct store_pending **out,
    struct store_error *err);

/*
 * store_journal.c: the journal of pending mail. Opened by store_open()
 * when asked (a journal another process holds is not used: STORE_OK),
 * or, with size 0 and drain, only while mail waits in it (no puts);
 * closed by store_close(). put: STORE_OK, or STORE_FULL when the mail
 * goes to the database instead (no journal, no room, a failed write).
 * next: the oldest entry, STORE_NOTFOUND when none waits. count: what
 * waits, read from the file when this process does not hold it.
 */
enum store_status store_journal_open(struct store *s, uint64_t size,
    bool drain, struct store_error *err);
void	store_journal_close(struct store *s);
enum store_status store_journal_put(struct store *s,
    const struct store_pending *p, size_t len, uint64_t *id,
    struct store_error *err);
enum store_status store_journal_next(struct store *s, uint64_t *id,
    struct store_pending **out, struct store_error *err);
size_t	store_journal_waiting(struct store *s);
enum store_status store_journal_count(struct store *s, MDB_txn *txn,
    uint64_t *n, struct store_error *err);
enum store_status store_write_journal_done(struct store_write *w,
    uint64_t id, struct store_error *err);

/*
 * store_write.c: remembers st as the first failure that leaves w's txn
 * unusable (not STORE_OK, STORE_DUPLICATE, STORE_NOTFOUND) with err's
 * reason, and returns st; and the status of a txn that failed before,
 * with that first reason in err.
 */
enum store_status store_write_failed(struct store_write *w, enum store_status st,
    const struct store_error *err);
enum store_status store_write_poisoned(struct store_write *w,
    struct store_error *err);

/* The fixed header in front of every stored report (store_value.c). */
struct store_value {
	enum record_type type;
	int64_t	received_at;
	int64_t	expires_at;
	uint32_t duplicates;
	int64_t	last_seen;
	uint64_t n_records;
	uint32_t n_chunks;
	unsigned char digest[SHA256_LEN];	/* the dedup entry written */
	enum record_auth authenticated;	/* was the report mail authenticated */
};

/* ---- byte order ---- */

static inline void
store_be64_put(unsigned char *p, uint64_t v)
{
	int	i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

static inline uint64_t
store_be64_get(const unsigned char *p)
{
	uint64_t v = 0;
	int	i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return (v);
}

static inline void
store_be32_put(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static inline uint32_t
store_be32_get(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3]);
}

/* ---- store_env.c: the one door to LMDB ---- */

/* Formats a reason into err (NULL is fine); a later call overwrites. */
void	store_env_reason(struct store_error *err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Maps an LMDB or errno code rc, met while doing what, to a status and
 * a reason "store DIR: what: text". MDB_MAP_FULL (only met by a writer,
 * who holds the write lock) marks the map for growth and is STORE_RETRY,
 * or STORE_FULL when the map is at its limit already.
 */
enum store_status store_env_fail(struct store *s, int rc, const char *what,
    struct store_error *err);

/* Begins a read txn (shared map lock held until store_env_read_end). */
enum store_status store_env_read_begin(struct store *s, MDB_txn **txn,
    struct store_error *err);
void	store_env_read_end(struct store *s, MDB_txn *txn);

/*
 * The map lock of the calling thread (store_env.c): share takes it
 * shared (once however deep a thread nests), unshare lets it go; borrow
 * marks the thread as inside a transaction under a lock that another
 * thread (a group's leader) holds for it. nested: the thread is inside
 * a transaction of s. grow doubles the map (capped) while no txn of the
 * process is open; adopt takes the size another process gave the map.
 */
void	store_env_share(struct store *s);
void	store_env_unshare(struct store *s);
void	store_env_borrow(struct store *s);
void	store_env_unborrow(struct store *s);
bool	store_env_nested(const struct store *s);
enum store_status store_env_grow(struct store *s, struct store_error *err);
enum store_status store_env_make_room(struct store *s, size_t need,
    struct store_error *err);
void	store_env_adopt(struct store *s);

/* A member waiting for its group's commit (on its stack). */
struct store_ticket {
	struct store_ticket *next;
	bool	done;
	enum store_status st;
	struct store_error err;
};

/* A batch commit that failed (store_batch.c). */
struct store_batch_fail {
	uint64_t seq;
	enum store_status st;
	struct store_error err;
};

/*
 * For store_batch.c: open opens a group (g->lock held, g->busy set by the
 * caller; see store_group.c), join joins the open one (g->lock held).
 * store_batch_join is store_env_write_begin() while a batch runs: called
 * with g->lock held and the caller counted in g->waiting; returns with
 * the lock released.
 */
enum store_status store_group_open(struct store *s, struct store_error *err);
enum store_status store_group_join(struct store *s, MDB_txn **txn,
    struct store_error *err);
enum store_status store_batch_join(struct store *s, MDB_txn **txn,
    struct store_error *err);

/* The group of writers (store_group.c), set up and torn down with s. */
void	store_group_init(struct store_group *g);
void	store_group_destroy(struct store_group *g);

/*
 * Begins a write txn (store_group.c): the txn of a new group of this
 * process' writers, or a nested txn in the open one. Held until
 * store_env_write_end(), which commits (commit true: the injected
 * failure and MDB_MAP_FULL are decided there) or aborts. A commit
 * returns when the group's commit is on disk, with its outcome.
 */
enum store_status store_env_write_begin(struct store *s, MDB_txn **txn,
    struct store_error *err);
enum store_status store_env_write_end(struct store *s, MDB_txn *txn,
    bool commit, struct store_error *err);
/*
 * As store_env_write_end(s, txn, true, err), but while a batch runs
 * (store_batch_start) the write is merged into the batch's txn and this
 * returns at once, *ticket the number of the commit that will make it
 * durable (store_batch_done); *ticket is 0 when the write is durable on
 * return. bytes: about how much the write put, for the batch's bound.
 */
enum store_status store_env_write_merge(struct store *s, MDB_txn *txn,
    size_t bytes, uint64_t *ticket, struct store_error *err);

/* ---- store_id.c: ids and counters ---- */

/* Writes the 7-character text of n (1 .. STORE_ID_MAX) and a NUL. */
void	store_id_format(uint64_t n, char out[STORE_ID_CHARS + 1]);
/* Reads a text id strictly (7 characters of the alphabet); -1: not one. */
int	store_id_parse(const char *text, uint64_t *n);
/* Reads a quarantine id ("q" and a text id); -1: not one. */
int	store_id_parse_qid(const char *text, uint64_t *n);
/*
 * Takes the next number of the meta counter name ("nextid", "nextq")
 * inside txn. Returns STORE_OK, STORE_FULL (ids exhausted) or an error.
 */
enum store_status store_id_next(struct store *s, MDB_txn *txn,
    const char *name, uint64_t *n, struct store_error *err);

/*
 * The number the meta counter name would give next, as txn sees it (1
 * when it was never taken), taking nothing. STORE_OK, STORE_CORRUPT (a
 * damaged counter) or an error.
 */
enum store_status store_id_peek(struct store *s, MDB_txn *txn,
    const char *name, uint64_t *n, struct store_error *err);

/* ---- store_ipset.c ---- */

/* Adds addr; at STORE_IPSET_MAX members the rest are ignored. -1: no memory. */
int	store_ipset_add(struct store_ipset *set, const unsigned char addr[16]);
/* Calls fn for every member until fn returns non-zero (returned). */
int	store_ipset_each(const struct store_ipset *set,
	    int (*fn)(void *arg, const unsigned char addr[16]), void *arg);
/* Empties the set and frees its memory; the set stays usable. */
void	store_ipset_clear(struct store_ipset *set);
/*
 * The members in byte order, 16 bytes each, in *out (the caller's;
 * NULL when the set is empty) and their bytes in *len. -1: no memory.
 */
int	store_ipset_sorted(const struct store_ipset *set, unsigned char **out,
	    size_t *len);

/* ---- store_value.c: what a stored value looks like ---- */

/*
 * Builds a stored report value: the header h, then json (deflated when
 * long). *out is the caller's. Returns STORE_OK or STORE_NOMEM.
 */
enum store_status store_value_encode(const struct store_value *h,
    const char *json, size_t json_len, char **out, size_t *out_len);
/* Reads the header of a stored value; -1 when it is none. */
int	store_value_head(const void *data, size_t len, struct store_value *h);
/* Overwrites the duplicate count and last seen time in a value (a copy). */
void	store_value_set_repeat(void *data, uint32_t duplicates, int64_t last_seen);
/*
 * Reads the report of the stored value data (of report id n) into *x,
 * without records; h (may be NULL) gets the header. Returns STORE_OK,
 * STORE_CORRUPT, STORE_NOMEM.
 */
enum store_status store_value_report(struct store *s, uint64_t n,
    const void *data, size_t len, struct external_report **x,
    struct store_value *h, struct store_error *err);
/* An encoded chunk (store_chunk_encode()). */
struct store_chunk {
	char   *val;
	size_t	len;
};

/* A chunk value for n records (deflated JSON). STORE_OK or STORE_NOMEM. */
enum store_status store_value_chunk_encode(const struct dmarc_record *recs,
    size_t n, char **out, size_t *out_len);
/* Reads a chunk value into *recs (n of them, the caller's). */
enum store_status store_value_chunk_decode(struct store *s, uint64_t id,
    const void *data, size_t len, struct dmarc_record **recs, size_t *n,
    struct store_error *err);
/* Frees n records as store_value_chunk_decode() returned them. */
void	store_value_chunk_free(struct dmarc_record *recs, size_t n);

/*
 * Notes that [data, data + len) of the map was read (inside a read
 * txn). Once STORE_RELEASE_BYTES were read so, the pages of the map
 * between the lowest and the highest address read are let go of: they
 * stay in the kernel's page cache and come back when read again, so
 * that a scan of a whole store keeps only what it holds itself, not
 * every page of the file it passed (the kernel maps neighbouring pages
 * on each fault, so the pages of one value alone cannot be let go of).
 * The map is read-only and one range, so this is always safe; it only
 * costs a read again (store_env.c).
 */
#define STORE_RELEASE_BYTES	((size_t)8 << 20)
void	store_env_release(struct store *s, const void *data, size_t len);

/* ---- store_lean.c ---- */

/* What lean records are read into, reused chunk after chunk. */
struct store_lean {
	struct dmarc_record *recs;
	size_t	cap_recs;
	struct dmarc_dkim_result *dkim;
	size_t	n_dkim, cap_dkim;
	struct dmarc_spf_result *spf;
	size_t	n_spf, cap_spf;
	char   *text;			/* the strings, each with its NUL */
	size_t	n_text, cap_text;
	size_t *strings;		/* offsets in text */
	size_t	cap_strings;
};

/*
 * A chunk value: 'L', the lean block of recs (n of them), then deflated
 * (the deflated JSON array of the same records). *out is the caller's.
 * STORE_OK or STORE_NOMEM.
 */
enum store_status store_lean_encode(const struct dmarc_record *recs, size_t n,
    const char *deflated, size_t deflated_len, char **out, size_t *out_len);
/*
 * Splits a chunk value into its lean block (*lean NULL: a value written
 * before there were lean blocks) and its deflated JSON. -1 when damaged.
 */
int	store_lean_split(const void *data, size_t len, const void **lean,
	    size_t *lean_len, const void **deflated, size_t *deflated_len);
/*
 * Reads a lean block into l: *recs (n of them) point into l and stay
 * valid until the next call or store_lean_clear(). Each has its source
 * IP, count, evaluated disposition, DKIM and SPF, its DKIM results'
 * domain, selector and result and its SPF results' result; the rest is
 * empty. 0, -1 when the block is damaged, -2 when out of memory.
 */
int	store_lean_decode(struct store_lean *l, const void *data, size_t len,
	    struct dmarc_record **recs, size_t *n);
/* Frees what l holds; l may be used again. */
void	store_lean_clear(struct store_lean *l);

/* ---- store_index.c ---- */

typedef int (*store_index_key_fn)(void *arg, const unsigned char *key,
    size_t len);
/*
 * Calls fn with every index key of report x under id n (not the IP set
 * of a DMARC report: see store_index_ipset_key). Returns 0 or fn's
 * non-zero.
 */
int	store_index_keys(const struct external_report *x, uint64_t n,
	    store_index_key_fn fn, void *arg);
/*
 * The index key under which the distinct record IPs of DMARC report n
 * are kept as one value (sorted 16-byte addresses). Returns its length.
 */
#define STORE_IPSET_KIND	'p'
size_t	store_index_ipset_key(uint64_t n, unsigned char key[9]);
/* Adds the source IPs of n records to ips. -1: out of memory. */
int	store_index_add_ips(struct store_ipset *ips,
	    const struct dmarc_record *recs, size_t n);

/* ---- store_dedup.c ---- */

/* The dedup digest of a report, and of a DMARC report header. */
void	store_dedup_digest(const struct report *r, unsigned char out[SHA256_LEN]);
void	store_dedup_digest_dmarc(const struct dmarc_report *d,
	    unsigned char out[SHA256_LEN]);
/*
 * The id kept under digest in *n: STORE_OK, STORE_NOTFOUND, or an error.
 * An entry whose report is gone counts as not found.
 */
enum store_status store_dedup_find(struct store *s, MDB_txn *txn,
    const unsigned char digest[SHA256_LEN], uint64_t *n,
    struct store_error *err);
/* Counts a repeat of report n received at t. STORE_OK or an error. */
enum store_status store_dedup_repeat(struct store *s, MDB_txn *txn,
    uint64_t n, int64_t t, struct store_error *err);
/* Sets report n's repeats and last-seen time. STORE_OK or an error. */
enum store_status store_dedup_set_seen(struct store *s, MDB_txn *txn,
    uint64_t n, uint32_t duplicates, int64_t t, struct store_error *err);

/* ---- store_change.c: the change log ---- */

/*
 * Gives report n the next change number inside txn (a new report, or
 * its repeats changed), dropping its earlier one. STORE_OK or an error.
 */
enum store_status store_change_mark(struct store *s, MDB_txn *txn, uint64_t n,
    struct store_error *err);
/* Drops report n from the change log (it is deleted). */
enum store_status store_change_forget(struct store *s, MDB_txn *txn,
    uint64_t n, struct store_error *err);
/* Lists every report when the change log is empty (a store made before it). */
enum store_status store_change_backfill(struct store *s, MDB_txn *txn,
    struct store_error *err);

/* ---- store_read.c ---- */

typedef int (*store_read_chunk_fn)(void *arg, struct dmarc_record *recs,
    size_t n);
/*
 * Calls fn with the decoded records of every chunk of report n in order
 * (the records are freed when fn returns): the lean records, read into
 * l, when l is not NULL, else whole. fn returns 0 to go on, else
 * STORE_STOPPED. Returns STORE_OK, STORE_STOPPED or an error status.
 */
struct store_lean;
enum store_status store_read_chunks(struct store *s, MDB_txn *txn, uint64_t n,
    struct store_lean *l, store_read_chunk_fn fn, void *arg,
    struct store_error *err);

/* ---- store_delete.c ---- */

/*
 * Deletes report n with its chunks, index and dedup entries inside txn.
 * Returns STORE_OK, STORE_NOTFOUND (no such report) or an error status.
 */
enum store_status store_delete_one(struct store *s, MDB_txn *txn, uint64_t n,
    struct store_error *err);

#endif
