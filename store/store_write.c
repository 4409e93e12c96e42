/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_write - one write transaction: reports, streamed records
 * PURPOSE
 *	A struct store_write is the write txn of one caller's call. It takes
 *	reports (store_write_report), the records of a DMARC report as they
 *	stream from the parser (store_write_dmarc_begin, _records, then
 *	store_write_report), and quarantine entries (store_quarantine.c), and
 *	commits them all or none.
 *
 *	A report is its header and JSON under its id, its DMARC records in
 *	chunks beside it, a dedup entry and its index keys. The first LMDB
 *	failure poisons the txn (LMDB allows only an abort after it): every
 *	later call returns that status until the caller aborts.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "record_json.h"
#include "store_impl.h"

enum store_status
store_write_begin(struct store *s, struct store_write **out,
    struct store_error *err)
{
	struct store_write *w;
	enum store_status st;

	*out = NULL;
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		store_env_reason(err, "store %s: out of memory", s->dir);
		return (STORE_NOMEM);
	}
	w->s = s;
	if ((st = store_env_write_begin(s, &w->txn, err)) != STORE_OK) {
		free(w);
		return (st);
	}
	*out = w;
	return (STORE_OK);
}

/* Remembers the first failure that leaves the txn unusable. */
enum store_status
store_write_failed(struct store_write *w, enum store_status st,
    const struct store_error *err)
{
	if (st != STORE_OK && st != STORE_DUPLICATE && st != STORE_NOTFOUND &&
	    w->failed == STORE_OK) {
		w->failed = st;
		if (err != NULL)
			memcpy(&w->why, err, sizeof(w->why));
	}
	return (st);
}

/* The status of a txn that failed before, with the first reason. */
enum store_status
store_write_poisoned(struct store_write *w, struct store_error *err)
{
	if (err != NULL)
		memcpy(err, &w->why, sizeof(*err));
	return (w->failed);
}

/* Puts k -> v; an LMDB failure becomes the txn's status. */
static enum store_status
store_write_put(struct store_write *w, enum store_db db, const void *key,
    size_t klen, const void *val, size_t vlen, const char *what,
    struct store_error *err)
{
	MDB_val	k = {klen, (void *)key}, v = {vlen, (void *)val};
	int	rc;

	w->bytes += klen + vlen;
	if ((rc = mdb_put(w->txn, w->s->dbi[db], &k, &v, 0)) == 0)
		return (STORE_OK);
	return (store_write_failed(w, store_env_fail(w->s, rc, what, err), err));
}

/* Writes chunk number w->n_chunks of report id and gathers its IPs. */
static enum store_status
store_write_chunk(struct store_write *w, uint64_t id,
    const struct dmarc_record *recs, size_t n, const struct store_chunk *pre,
    struct store_error *err)
{
	struct store_chunk mine = { NULL, 0 };
	const struct store_chunk *c = pre;
	unsigned char key[12];
	enum store_status st;

	if (store_index_add_ips(&w->ips, recs, n) < 0 || (c == NULL &&
	    store_value_chunk_encode(recs, n, &mine.val, &mine.len) !=
	    STORE_OK)) {
		store_env_reason(err, "store %s: out of memory", w->s->dir);
		return (store_write_failed(w, STORE_NOMEM, err));
	}
	if (c == NULL)
		c = &mine;
	store_be64_put(key, id);
	store_be32_put(key + 8, w->n_chunks);
	st = store_write_put(w, STORE_DB_RECORDS, key, sizeof(key), c->val,
	    c->len, "writing records", err);
	free(mine.val);
	if (st == STORE_OK) {
		w->n_chunks++;
		w->n_records += n;
	}
	return (st);
}

/* Writes the distinct record IPs of DMARC report n as one index value. */
static enum store_status
store_write_ipset(struct store_write *w, uint64_t n, struct store_error *err)
{
	unsigned char key[9], *v;
	enum store_status st;
	size_t	len;

	if (store_ipset_sorted(&w->ips, &v, &len) < 0) {
		store_env_reason(err, "store %s: out of memory", w->s->dir);
		return (store_write_failed(w, STORE_NOMEM, err));
	}
	if (len == 0)
		return (STORE_OK);
	st = store_write_put(w, STORE_DB_INDEX, key, store_index_ipset_key(n,
	    key), v, len, "writing the IP index", err);
	free(v);
	return (st);
}

/* Forgets the pending report's state (not its chunks). */
static void
store_write_reset(struct store_write *w)
{
	w->pending = w->pending_dup = false;
	w->pending_id = w->dup_id = 0;
	w->n_chunks = 0;
	w->n_records = 0;
	store_ipset_clear(&w->ips);
}

enum store_status
store_write_drop_pending(struct store_write *w, struct store_error *err)
{
	unsigned char key[12];
	MDB_val	k = {sizeof(key), key};
	uint32_t i;
	int	rc;

	if (!w->pending)
		return (STORE_OK);
	if (w->failed != STORE_OK)
		return (store_write_poisoned(w, err));
	store_be64_put(key, w->pending_id);
	for (i = 0; !w->pending_dup && i < w->n_chunks; i++) {
		store_be32_put(key + 8, i);
		rc = mdb_del(w->txn, w->s->dbi[STORE_DB_RECORDS], &k, NULL);
		if (rc != 0 && rc != MDB_NOTFOUND)
			return (store_write_failed(w, store_env_fail(w->s, rc,
			    "dropping records", err), err));
	}
	store_write_reset(w);
	return (STORE_OK);
}

enum store_status
store_write_dmarc_begin(struct store_write *w, const struct dmarc_report *hdr,
    struct store_error *err)
{
	enum store_status st;
	uint64_t n;

	if (w->failed != STORE_OK)
		return (store_write_poisoned(w, err));
	if ((st = store_write_drop_pending(w, err)) != STORE_OK)
		return (st);
	store_dedup_digest_dmarc(hdr, w->digest);
	st = store_dedup_find(w->s, w->txn, w->digest, &n, err);
	if (st == STORE_OK) {
		w->pending = w->pending_dup = true;
		w->dup_id = n;
		return (STORE_DUPLICATE);
	}
	if (st != STORE_NOTFOUND)
		return (store_write_failed(w, st, err));
	if ((st = store_id_next(w->s, w->txn, "nextid", &n, err)) != STORE_OK)
		return (store_write_failed(w, st, err));
	w->pending = true;
	w->pending_id = n;
	return (STORE_OK);
}

enum store_status
store_write_dmarc_records(struct store_write *w, const struct store_chunk *c,
    const struct dmarc_record *recs, size_t n, struct store_error *err)
{
	assert(w->pending);
	if (w->failed != STORE_OK)
		return (store_write_poisoned(w, err));
	if (w->pending_dup || n == 0)
		return (STORE_OK);
	return (store_write_chunk(w, w->pending_id, recs, n, c, err));
}

/* Replaces x->id with the text of id n; -1: out of memory. */
static int
store_write_set_id(struct external_report *x, uint64_t n)
{
	char	text[STORE_ID_CHARS + 1], *copy;

	store_id_format(n, text);
	if ((copy = record_strdup(text)) == NULL)
		return (-1);
	free(x->id);
	x->id = copy;
	return (0);
}

struct store_write_key {
	struct store_write *w;
	int	rc;
};

static int
store_write_index_put(void *arg, const unsigned char *key, size_t len)
{
	struct store_write_key *p = arg;
	MDB_val	k = {len, (void *)key}, v = {0, NULL};

	p->w->bytes += len;
	p->rc = mdb_put(p->w->txn, p->w->s->dbi[STORE_DB_INDEX], &k, &v, 0);
	return (p->rc != 0);
}

/*
 * The report's value: header and JSON, records left out of the JSON.
 * Only a DMARC report has chunks: w's counts are its own then.
 */
static enum store_status
store_write_value(struct store_write *w, struct external_report *x,
    uint64_t n, const unsigned char digest[SHA256_LEN],
    struct store_error *err)
{
	struct store_value h;
	struct dmarc_report *d = NULL;
	struct dmarc_record *recs = NULL;
	enum store_status st;
	unsigned char key[8];
	char   *json, *val;
	size_t	nrecs = 0, len, vlen;

	if (x->report->type == RECORD_DMARC) {
		d = &x->report->u.dmarc;
		recs = d->records;
		nrecs = d->n_records;
		d->records = NULL;
		d->n_records = 0;
	}
	json = record_json_write(x, 0, &len);
	if (d != NULL) {
		d->records = recs;
		d->n_records = nrecs;
	}
	memset(&h, 0, sizeof(h));
	h.type = x->report->type;
	h.received_at = x->received_at;
	h.expires_at = x->expires_at;
	h.authenticated = x->authenticated;
	if (d != NULL) {
		h.n_records = w->n_records;
		h.n_chunks = w->n_chunks;
	}
	memcpy(h.digest, digest, SHA256_LEN);
	if (json == NULL || store_value_encode(&h, json, len, &val, &vlen) !=
	    STORE_OK) {
		free(json);
		store_env_reason(err, "store %s: out of memory", w->s->dir);
		return (store_write_failed(w, STORE_NOMEM, err));
	}
	free(json);
	store_be64_put(key, n);
	st = store_write_put(w, STORE_DB_REPORTS, key, 8, val, vlen,
	    "writing a report", err);
	free(val);
	return (st);
}

/*
 * Writes report x as id n, with the records x holds in memory (after
 * those streamed, for DMARC), its dedup entry and its index keys.
 */
static enum store_status
store_write_new(struct store_write *w, struct external_report *x, uint64_t n,
    const unsigned char digest[SHA256_LEN], struct store_error *err)
{
	struct store_write_key p = {w, 0};
	enum store_status st;
	unsigned char key[8];
	size_t	i, take;

	if (x->report->type == RECORD_DMARC) {
		const struct dmarc_report *d = &x->report->u.dmarc;

		for (i = 0; i < d->n_records; i += take) {
			take = d->n_records - i;
			if (take > STORE_CHUNK_RECORDS)
				take = STORE_CHUNK_RECORDS;
			st = store_write_chunk(w, n, d->records + i, take, NULL,
			    err);
			if (st != STORE_OK)
				return (st);
		}
	}
	if ((st = store_write_value(w, x, n, digest, err)) != STORE_OK)
		return (st);
	store_be64_put(key, n);
	if ((st = store_write_put(w, STORE_DB_DEDUP, digest, SHA256_LEN,
	    key, 8, "writing dedup", err)) != STORE_OK)
		return (st);
	if (store_index_keys(x, n, store_write_index_put, &p) != 0)
		return (store_write_failed(w, store_env_fail(w->s, p.rc,
		    "writing the index", err), err));
	if ((st = store_change_mark(w->s, w->txn, n, err)) != STORE_OK)
		return (store_write_failed(w, st, err));
	if (x->report->type == RECORD_DMARC)
		return (store_write_ipset(w, n, err));
	return (STORE_OK);
}

/* A repeat of the kept report n: count it and hand its id back in x. */
static enum store_status
store_write_repeat(struct store_write *w, struct external_report *x,
    uint64_t n, struct store_error *err)
{
	enum store_status st;

	if ((st = store_dedup_repeat(w->s, w->txn, n, x->received_at, err)) !=
	    STORE_OK)
		return (store_write_failed(w, st, err));
	if (store_write_set_id(x, n) < 0) {
		store_env_reason(err, "store %s: out of memory", w->s->dir);
		return (store_write_failed(w, STORE_NOMEM, err));
	}
	return (STORE_DUPLICATE);
}

enum store_status
store_write_report(struct store_write *w, struct external_report *x,
    struct store_error *err)
{
	unsigned char digest[SHA256_LEN];
	enum store_status st;
	char   *old_id;
	uint64_t n;

	assert(x != NULL && x->report != NULL);
	if (w->failed != STORE_OK)
		return (store_write_poisoned(w, err));
	if (x->report->type == RECORD_DMARC && w->pending) {
		if (w->pending_dup) {
			n = w->dup_id;
			store_write_reset(w);
			return (store_write_repeat(w, x, n, err));
		}
		n = w->pending_id;
		memcpy(digest, w->digest, SHA256_LEN);
	} else {
		store_dedup_digest(x->report, digest);
		st = store_dedup_find(w->s, w->txn, digest, &n, err);
		if (st == STORE_OK)
			return (store_write_repeat(w, x, n, err));
		if (st != STORE_NOTFOUND)
			return (store_write_failed(w, st, err));
		st = store_id_next(w->s, w->txn, "nextid", &n, err);
		if (st != STORE_OK)
			return (store_write_failed(w, st, err));
		if (x->report->type == RECORD_DMARC)
			store_write_reset(w);
	}
	old_id = x->id;
	x->id = NULL;
	if (store_write_set_id(x, n) < 0) {
		x->id = old_id;
		store_env_reason(err, "store %s: out of memory", w->s->dir);
		return (store_write_failed(w, STORE_NOMEM, err));
	}
	st = store_write_new(w, x, n, digest, err);
	if (x->report->type == RECORD_DMARC)
		store_write_reset(w);
	if (st != STORE_OK) {
		free(x->id);
		x->id = old_id;
		return (st);
	}
	free(old_id);
	return (STORE_OK);
}

enum store_status
store_write_set_seen(struct store_write *w, const char *id,
    const struct store_meta *seen, struct store_error *err)
{
	enum store_status st;
	uint64_t n;

	if (w->failed != STORE_OK)
		return (store_write_poisoned(w, err));
	if (store_id_parse(id, &n) < 0) {
		store_env_reason(err, "store %s: %s is no id", w->s->dir, id);
		return (STORE_NOTFOUND);
	}
	st = store_dedup_set_seen(w->s, w->txn, n, seen->duplicates,
	    seen->last_seen, err);
	if (st == STORE_NOTFOUND)
		return (st);
	return (store_write_failed(w, st, err));
}

enum store_status
store_write_commit(struct store_write *w, struct store_error *err)
{
	return (store_write_commit_batched(w, NULL, err));
}

enum store_status
store_write_commit_batched(struct store_write *w, uint64_t *ticket,
    struct store_error *err)
{
	struct store *s = w->s;
	enum store_status st;

	/* An unfinished streamed report never reaches the disk. */
	if (w->failed == STORE_OK)
		(void)store_write_drop_pending(w, err);
	if (w->failed != STORE_OK) {
		st = store_write_poisoned(w, err);
		(void)store_env_write_end(s, w->txn, false, NULL);
	} else if (ticket == NULL) {
		st = store_env_write_end(s, w->txn, true, err);
	} else {
		st = store_env_write_merge(s, w->txn, w->bytes, ticket, err);
	}
	if (ticket != NULL && st != STORE_OK)
		*ticket = 0;
	store_ipset_clear(&w->ips);
	free(w);
	return (st);
}

void
store_write_abort(struct store_write *w)
{
	if (w == NULL)
		return;
	(void)store_env_write_end(w->s, w->txn, false, NULL);
	store_ipset_clear(&w->ips);
	free(w);
}
