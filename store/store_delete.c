/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_delete - delete reports, and purge the expired ones
 * PURPOSE
 *	A report goes with everything written for it: its chunks, its dedup
 *	entry (when it still names this report), its index keys and its IP
 *	set. The keys are computed again from the report read back, by the
 *	same function that computed them for the write, so exactly the keys
 *	written are removed.
 *
 *	Purge walks the expiresAt index from the oldest and deletes in
 *	transactions of a bounded size, so that it never holds the writer
 *	for long. An index key whose report is gone is removed as it is met.
 *	A write that met a full map is begun again after the map grew.
 */
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

/* Deletes the chunks and the IP set of report n. */
static enum store_status
store_delete_chunks(struct store *s, MDB_txn *txn, uint64_t n,
    struct store_error *err)
{
	unsigned char key[12];
	MDB_cursor *c;
	MDB_val	k, v;
	int	rc;

	k.mv_size = store_index_ipset_key(n, key);
	k.mv_data = key;
	rc = mdb_del(txn, s->dbi[STORE_DB_INDEX], &k, NULL);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return (store_env_fail(s, rc, "deleting the IP index", err));
	if ((rc = mdb_cursor_open(txn, s->dbi[STORE_DB_RECORDS], &c)) != 0)
		return (store_env_fail(s, rc, "deleting records", err));
	for (;;) {
		store_be64_put(key, n);
		store_be32_put(key + 8, 0);
		k.mv_size = sizeof(key);
		k.mv_data = key;
		if ((rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE)) != 0)
			break;
		if (k.mv_size != 12 || store_be64_get(k.mv_data) != n)
			break;
		if ((rc = mdb_cursor_del(c, 0)) != 0)
			break;
	}
	mdb_cursor_close(c);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return (store_env_fail(s, rc, "deleting records", err));
	return (STORE_OK);
}

struct store_delete_key {
	struct store *s;
	MDB_txn *txn;
	int	rc;
};

static int
store_delete_index_del(void *arg, const unsigned char *key, size_t len)
{
	struct store_delete_key *d = arg;
	MDB_val	k = {len, (void *)key};

	d->rc = mdb_del(d->txn, d->s->dbi[STORE_DB_INDEX], &k, NULL);
	if (d->rc == MDB_NOTFOUND)
		d->rc = 0;
	return (d->rc != 0);
}

/* Deletes the dedup entry of digest when it names report n. */
static enum store_status
store_delete_dedup(struct store *s, MDB_txn *txn,
    const unsigned char digest[SHA256_LEN], uint64_t n,
    struct store_error *err)
{
	MDB_val	k = {SHA256_LEN, (void *)digest}, v;
	int	rc;

	rc = mdb_get(txn, s->dbi[STORE_DB_DEDUP], &k, &v);
	if (rc == 0 && v.mv_size == 8 && store_be64_get(v.mv_data) == n)
		rc = mdb_del(txn, s->dbi[STORE_DB_DEDUP], &k, NULL);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return (store_env_fail(s, rc, "deleting dedup", err));
	return (STORE_OK);
}

enum store_status
store_delete_one(struct store *s, MDB_txn *txn, uint64_t n,
    struct store_error *err)
{
	struct store_delete_key d = {s, txn, 0};
	struct external_report *x = NULL;
	struct store_value h;
	enum store_status st;
	unsigned char key[8];
	MDB_val	k = {8, key}, v;
	int	rc;

	store_be64_put(key, n);
	rc = mdb_get(txn, s->dbi[STORE_DB_REPORTS], &k, &v);
	if (rc == MDB_NOTFOUND)
		return (STORE_NOTFOUND);
	if (rc != 0)
		return (store_env_fail(s, rc, "deleting a report", err));
	st = store_value_report(s, n, v.mv_data, v.mv_size, &x, &h, err);
	/* A damaged report still goes; only its index keys stay behind. */
	if (st == STORE_CORRUPT && store_value_head(v.mv_data, v.mv_size, &h) < 0)
		memset(&h, 0, sizeof(h));
	else if (st != STORE_OK && st != STORE_CORRUPT)
		return (st);
	if ((st = store_delete_chunks(s, txn, n, err)) == STORE_OK &&
	    (st = store_delete_dedup(s, txn, h.digest, n, err)) == STORE_OK &&
	    (st = store_change_forget(s, txn, n, err)) == STORE_OK &&
	    x != NULL && store_index_keys(x, n, store_delete_index_del, &d) != 0)
		st = store_env_fail(s, d.rc, "deleting index keys", err);
	external_report_free(x);
	if (st != STORE_OK)
		return (st);
	k.mv_size = 8;
	k.mv_data = key;
	if ((rc = mdb_del(txn, s->dbi[STORE_DB_REPORTS], &k, NULL)) != 0)
		return (store_env_fail(s, rc, "deleting a report", err));
	return (STORE_OK);
}

/* One try of store_delete(): all ids in one txn. */
static enum store_status
store_delete_try(struct store *s, const char *const *ids, size_t n,
    size_t *missing, struct store_error *err)
{
	enum store_status st = STORE_OK;
	MDB_txn *txn;
	uint64_t id;
	size_t	i;

	*missing = 0;
	if ((st = store_env_write_begin(s, &txn, err)) != STORE_OK)
		return (st);
	for (i = 0; i < n && st == STORE_OK; i++) {
		if (store_id_parse(ids[i], &id) < 0 ||
		    (st = store_delete_one(s, txn, id, err)) == STORE_NOTFOUND) {
			(*missing)++;
			st = STORE_OK;
		}
	}
	if (st != STORE_OK) {
		(void)store_env_write_end(s, txn, false, NULL);
		return (st);
	}
	return (store_env_write_end(s, txn, true, err));
}

enum store_status
store_delete(struct store *s, const char *const *ids, size_t n,
    size_t *missing, struct store_error *err)
{
	enum store_status st;
	size_t	miss = 0;
	int	tries;

	for (tries = 0; tries < STORE_RETRIES; tries++)
		if ((st = store_delete_try(s, ids, n, &miss, err)) != STORE_RETRY)
			break;
	if (st == STORE_OK && missing != NULL)
		*missing = miss;
	return (st);
}

/* An expired report met on the expiresAt index. */
struct store_purge_item {
	uint64_t id;
	bool	stale;			/* its report is gone: drop the key */
	unsigned char key[17];		/* the index key */
};

/*
 * Gathers expired reports from the start of the expiresAt index, up to
 * a weight of batch (a report weighs its chunks, at least 1).
 */
static enum store_status
store_purge_gather(struct store *s, MDB_txn *txn, int64_t now, size_t batch,
    struct store_purge_item *items, size_t *count, struct store_error *err)
{
	unsigned char start[1] = {STORE_IDX_EXPIRES}, limit[8], rkey[8];
	struct store_value h;
	MDB_cursor *c;
	MDB_val	k = {1, start}, v, rk = {8, rkey};
	size_t	weight = 0;
	int	rc, op = MDB_SET_RANGE;

	*count = 0;
	store_key_time(now, limit);
	if ((rc = mdb_cursor_open(txn, s->dbi[STORE_DB_INDEX], &c)) != 0)
		return (store_env_fail(s, rc, "purging", err));
	while (weight < batch && (rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
		struct store_purge_item *it = &items[*count];

		op = MDB_NEXT;
		if (k.mv_size != 17 || ((unsigned char *)k.mv_data)[0] !=
		    STORE_IDX_EXPIRES || memcmp((unsigned char *)k.mv_data + 1,
		    limit, 8) >= 0)
			break;
		memcpy(it->key, k.mv_data, 17);
		memcpy(rkey, it->key + 9, 8);
		it->id = store_be64_get(rkey);
		rc = mdb_get(txn, s->dbi[STORE_DB_REPORTS], &rk, &v);
		if (rc != 0 && rc != MDB_NOTFOUND)
			break;
		it->stale = rc == MDB_NOTFOUND;
		weight += !it->stale && store_value_head(v.mv_data, v.mv_size,
		    &h) == 0 && h.n_chunks > 1 ? h.n_chunks : 1;
		(*count)++;
	}
	mdb_cursor_close(c);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return (store_env_fail(s, rc, "purging", err));
	return (STORE_OK);
}

/* One purge txn; *done gets the reports deleted, *met the items met. */
static enum store_status
store_purge_once(struct store *s, int64_t now, size_t batch,
    struct store_purge_item *items, size_t *done, size_t *met,
    struct store_error *err)
{
	enum store_status st;
	MDB_txn *txn;
	MDB_val	k;
	size_t	i;
	int	rc;

	*done = *met = 0;
	if ((st = store_env_write_begin(s, &txn, err)) != STORE_OK)
		return (st);
	st = store_purge_gather(s, txn, now, batch, items, met, err);
	for (i = 0; st == STORE_OK && i < *met; i++) {
		if (!items[i].stale) {
			st = store_delete_one(s, txn, items[i].id, err);
			(*done)++;
			continue;
		}
		k.mv_size = sizeof(items[i].key);
		k.mv_data = items[i].key;
		rc = mdb_del(txn, s->dbi[STORE_DB_INDEX], &k, NULL);
		if (rc != 0 && rc != MDB_NOTFOUND)
			st = store_env_fail(s, rc, "purging", err);
	}
	if (st != STORE_OK) {
		(void)store_env_write_end(s, txn, false, NULL);
		return (st);
	}
	return (store_env_write_end(s, txn, true, err));
}

enum store_status
store_purge(struct store *s, int64_t now, size_t batch, size_t *deleted,
    struct store_error *err)
{
	struct store_purge_item *items;
	enum store_status st = STORE_OK;
	size_t	done, met, total = 0;
	int	tries = 0;

	if (batch == 0)
		batch = 100;
	if ((items = calloc(batch, sizeof(*items))) == NULL) {
		store_env_reason(err, "store %s: out of memory", s->dir);
		return (STORE_NOMEM);
	}
	for (;;) {
		st = store_purge_once(s, now, batch, items, &done, &met, err);
		if (st == STORE_RETRY && ++tries < STORE_RETRIES)
			continue;
		if (st != STORE_OK || met == 0)
			break;
		total += done;
		tries = 0;
	}
	free(items);
	if (deleted != NULL)
		*deleted = total;
	return (st);
}
