/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_change - the order in which reports changed, for push
 * PURPOSE
 *	Every write that changes what a copy of a report elsewhere should
 *	hold (a new report; a repeat that changes its duplicate count and
 *	last-seen time) gives the report the next change number of the
 *	store. The changes database keeps both directions:
 *
 *	  'S' + change number (8 bytes) -> id (8 bytes)
 *	  'R' + id (8 bytes)            -> change number (8 bytes)
 *
 *	so a report is listed once, under its latest change, and a reader
 *	that remembers the last number it has seen (a cursor, kept in meta
 *	as "cursor/" + a name) finds what changed since by one range scan.
 *	Change numbers come from the meta counter "nextseq" and never go
 *	back. A store made before the changes database existed gets one,
 *	every report in the order of receipt, when it is first opened for
 *	writing (store_change_backfill()).
 */
#include <string.h>

#include "store_impl.h"

#define STORE_CURSOR_PREFIX	"cursor/"

_Static_assert(STORE_KEY_LEN == SHA256_LEN, "a dedup key is a SHA-256 digest");

static void
store_change_key(unsigned char key[9], char kind, uint64_t v)
{
	key[0] = (unsigned char)kind;
	store_be64_put(key + 1, v);
}

enum store_status
store_change_mark(struct store *s, MDB_txn *txn, uint64_t n,
    struct store_error *err)
{
	unsigned char rkey[9], skey[9], val[8];
	MDB_val	k = {9, rkey}, v;
	enum store_status st;
	uint64_t seq;
	int	rc;

	if (!s->has_changes)
		return (STORE_OK);
	store_change_key(rkey, 'R', n);
	rc = mdb_get(txn, s->dbi[STORE_DB_CHANGES], &k, &v);
	if (rc == 0 && v.mv_size == 8) {
		store_change_key(skey, 'S', store_be64_get(v.mv_data));
		k.mv_data = skey;
		rc = mdb_del(txn, s->dbi[STORE_DB_CHANGES], &k, NULL);
		if (rc == MDB_NOTFOUND)
			rc = 0;
	} else if (rc == MDB_NOTFOUND || rc == 0) {
		rc = 0;
	}
	if (rc != 0)
		return (store_env_fail(s, rc, "writing the change log", err));
	if ((st = store_id_next(s, txn, "nextseq", &seq, err)) != STORE_OK)
		return (st);
	store_change_key(skey, 'S', seq);
	store_be64_put(val, n);
	k.mv_data = skey;
	v.mv_size = 8;
	v.mv_data = val;
	if ((rc = mdb_put(txn, s->dbi[STORE_DB_CHANGES], &k, &v, 0)) != 0)
		return (store_env_fail(s, rc, "writing the change log", err));
	store_change_key(rkey, 'R', n);
	store_be64_put(val, seq);
	k.mv_data = rkey;
	v.mv_data = val;
	if ((rc = mdb_put(txn, s->dbi[STORE_DB_CHANGES], &k, &v, 0)) != 0)
		return (store_env_fail(s, rc, "writing the change log", err));
	return (STORE_OK);
}

enum store_status
store_change_forget(struct store *s, MDB_txn *txn, uint64_t n,
    struct store_error *err)
{
	unsigned char rkey[9], skey[9];
	MDB_val	k = {9, rkey}, v;
	int	rc;

	if (!s->has_changes)
		return (STORE_OK);
	store_change_key(rkey, 'R', n);
	rc = mdb_get(txn, s->dbi[STORE_DB_CHANGES], &k, &v);
	if (rc == MDB_NOTFOUND)
		return (STORE_OK);
	if (rc == 0 && v.mv_size == 8) {
		store_change_key(skey, 'S', store_be64_get(v.mv_data));
		k.mv_data = skey;
		rc = mdb_del(txn, s->dbi[STORE_DB_CHANGES], &k, NULL);
		if (rc == MDB_NOTFOUND)
			rc = 0;
		k.mv_data = rkey;
	}
	if (rc == 0)
		rc = mdb_del(txn, s->dbi[STORE_DB_CHANGES], &k, NULL);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return (store_env_fail(s, rc, "deleting from the change log",
		    err));
	return (STORE_OK);
}

enum store_status
store_change_backfill(struct store *s, MDB_txn *txn, struct store_error *err)
{
	enum store_status st = STORE_OK;
	MDB_cursor *c;
	MDB_stat ms;
	MDB_val	k, v;
	int	rc;

	if ((rc = mdb_stat(txn, s->dbi[STORE_DB_CHANGES], &ms)) != 0)
		return (store_env_fail(s, rc, "the change log", err));
	if (ms.ms_entries != 0)
		return (STORE_OK);
	if ((rc = mdb_cursor_open(txn, s->dbi[STORE_DB_REPORTS], &c)) != 0)
		return (store_env_fail(s, rc, "the change log", err));
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 8)
			continue;
		st = store_change_mark(s, txn, store_be64_get(k.mv_data), err);
		if (st != STORE_OK)
			break;
	}
	mdb_cursor_close(c);
	if (st == STORE_OK && rc != MDB_NOTFOUND)
		st = store_env_fail(s, rc, "the change log", err);
	return (st);
}

enum store_status
store_changes(struct store *s, uint64_t after, store_change_fn fn, void *arg,
    struct store_error *err)
{
	enum store_status st;
	unsigned char key[9];
	char	id[STORE_ID_CHARS + 1];
	MDB_cursor *c;
	MDB_txn *txn;
	MDB_val	k = {9, key}, v;
	int	rc;

	if (!s->has_changes)
		return (STORE_OK);
	if ((st = store_env_read_begin(s, &txn, err)) != STORE_OK)
		return (st);
	if ((rc = mdb_cursor_open(txn, s->dbi[STORE_DB_CHANGES], &c)) != 0) {
		store_env_read_end(s, txn);
		return (store_env_fail(s, rc, "reading the change log", err));
	}
	store_change_key(key, 'S', after == UINT64_MAX ? after : after + 1);
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 9 || ((unsigned char *)k.mv_data)[0] != 'S')
			break;
		if (v.mv_size != 8)
			continue;
		store_id_format(store_be64_get(v.mv_data), id);
		if (fn(arg, store_be64_get((unsigned char *)k.mv_data + 1),
		    id) != 0) {
			st = STORE_STOPPED;
			break;
		}
	}
	mdb_cursor_close(c);
	store_env_read_end(s, txn);
	if (st == STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
		st = store_env_fail(s, rc, "reading the change log", err);
	return (st);
}

/* The meta key of cursor name in buf; its length, or 0 when too long. */
static size_t
store_cursor_key(const char *name, char *buf, size_t size)
{
	size_t	len = strlen(STORE_CURSOR_PREFIX) + strlen(name);

	if (*name == '\0' || len >= size || len > 400)
		return (0);
	memcpy(buf, STORE_CURSOR_PREFIX, strlen(STORE_CURSOR_PREFIX));
	memcpy(buf + strlen(STORE_CURSOR_PREFIX), name, strlen(name));
	return (len);
}

enum store_status
store_cursor_get(struct store *s, const char *name, uint64_t *seq,
    struct store_error *err)
{
	enum store_status st;
	char	buf[512];
	MDB_txn *txn;
	MDB_val	k, v;
	int	rc;

	*seq = 0;
	if ((k.mv_size = store_cursor_key(name, buf, sizeof(buf))) == 0) {
		store_env_reason(err, "store %s: bad cursor name", s->dir);
		return (STORE_IO);
	}
	k.mv_data = buf;
	if ((st = store_env_read_begin(s, &txn, err)) != STORE_OK)
		return (st);
	rc = mdb_get(txn, s->dbi[STORE_DB_META], &k, &v);
	if (rc == 0 && v.mv_size == 8)
		*seq = store_be64_get(v.mv_data);
	store_env_read_end(s, txn);
	if (rc == MDB_NOTFOUND)
		return (STORE_NOTFOUND);
	if (rc != 0)
		return (store_env_fail(s, rc, "reading a cursor", err));
	if (v.mv_size != 8) {
		store_env_reason(err, "store %s: cursor %s is damaged", s->dir,
		    name);
		return (STORE_CORRUPT);
	}
	return (STORE_OK);
}

enum store_status
store_cursor_set(struct store *s, const char *name, uint64_t seq,
    struct store_error *err)
{
	enum store_status st;
	unsigned char val[8];
	char	buf[512];
	MDB_txn *txn;
	MDB_val	k, v = {8, val};
	int	rc, tries;

	if ((k.mv_size = store_cursor_key(name, buf, sizeof(buf))) == 0) {
		store_env_reason(err, "store %s: bad cursor name", s->dir);
		return (STORE_IO);
	}
	k.mv_data = buf;
	store_be64_put(val, seq);
	for (tries = 0; tries < STORE_RETRIES; tries++) {
		if ((st = store_env_write_begin(s, &txn, err)) != STORE_OK)
			return (st);
		if ((rc = mdb_put(txn, s->dbi[STORE_DB_META], &k, &v, 0)) != 0) {
			st = store_env_fail(s, rc, "writing a cursor", err);
			(void)store_env_write_end(s, txn, false, NULL);
		} else {
			st = store_env_write_end(s, txn, true, err);
		}
		if (st != STORE_RETRY)
			break;
	}
	return (st);
}
