/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_read - reports, their records, and scans of the indexes
 * PURPOSE
 *	Every call reads inside one read txn, so that it sees the store as
 *	it was when the call began, and copies out what it hands over: the
 *	caller never sees LMDB memory. Records come one chunk at a time, so a
 *	report of any size is read in bounded memory.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

/* The key of id text, or STORE_NOTFOUND with a reason. */
static enum store_status
store_read_key(struct store *s, const char *id, uint64_t *n,
    struct store_error *err)
{
	if (store_id_parse(id, n) < 0) {
		store_env_reason(err, "store %s: no report %s", s->dir,
		    id ? id : "(null)");
		return (STORE_NOTFOUND);
	}
	return (STORE_OK);
}

/* The stored value of report n (LMDB memory, valid inside txn). */
static enum store_status
store_read_value(struct store *s, MDB_txn *txn, uint64_t n, MDB_val *v,
    struct store_error *err)
{
	unsigned char key[8];
	MDB_val	k = {8, key};
	char	text[STORE_ID_CHARS + 1];
	int	rc;

	store_be64_put(key, n);
	if ((rc = mdb_get(txn, s->dbi[STORE_DB_REPORTS], &k, v)) == 0)
		return (STORE_OK);
	if (rc == MDB_NOTFOUND) {
		store_id_format(n, text);
		store_env_reason(err, "store %s: no report %s", s->dir, text);
		return (STORE_NOTFOUND);
	}
	return (store_env_fail(s, rc, "reading a report", err));
}

/*
 * Reads one chunk value of report n into *recs (*n_recs of them): its
 * lean records into l when l is not NULL and the chunk has them (then
 * *owned is false: they are l's), else all of its records (*owned true:
 * the caller frees them).
 */
static enum store_status
store_read_chunk(struct store *s, uint64_t n, struct store_lean *l,
    const MDB_val *v, struct dmarc_record **recs, size_t *n_recs,
    bool *owned, struct store_error *err)
{
	const void *lean = NULL, *z;
	char	text[STORE_ID_CHARS + 1];
	size_t	lean_len, zlen;
	int	got = 0;

	*owned = false;
	if (l != NULL)
		got = store_lean_split(v->mv_data, v->mv_size, &lean,
		    &lean_len, &z, &zlen);
	if (got == 0 && lean == NULL) {
		/* No lean records asked for, or a chunk from before them. */
		*owned = true;
		return (store_value_chunk_decode(s, n, v->mv_data, v->mv_size,
		    recs, n_recs, err));
	}
	if (got == 0)
		got = store_lean_decode(l, lean, lean_len, recs, n_recs);
	if (got == 0)
		return (STORE_OK);
	store_id_format(n, text);
	store_env_reason(err, got == -2 ? "store %s: report %s: out of memory" :
	    "store %s: report %s: a chunk of records cannot be read: damaged "
	    "lean block", s->dir, text);
	return (got == -2 ? STORE_NOMEM : STORE_CORRUPT);
}

enum store_status
store_read_chunks(struct store *s, MDB_txn *txn, uint64_t n,
    struct store_lean *l, store_read_chunk_fn fn, void *arg,
    struct store_error *err)
{
	struct dmarc_record *recs;
	enum store_status st = STORE_OK;
	unsigned char key[12];
	MDB_cursor *c;
	MDB_val	k = {sizeof(key), key}, v;
	size_t	count;
	bool	owned;
	int	rc, op = MDB_SET_RANGE;

	store_be64_put(key, n);
	store_be32_put(key + 8, 0);
	if ((rc = mdb_cursor_open(txn, s->dbi[STORE_DB_RECORDS], &c)) != 0)
		return (store_env_fail(s, rc, "reading records", err));
	while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
		op = MDB_NEXT;
		if (k.mv_size != 12 || store_be64_get(k.mv_data) != n)
			break;
		st = store_read_chunk(s, n, l, &v, &recs, &count, &owned, err);
		if (st != STORE_OK)
			break;
		/* The records are copies: the map's pages may go. */
		store_env_release(s, v.mv_data, v.mv_size);
		rc = fn(arg, recs, count);
		if (owned)
			store_value_chunk_free(recs, count);
		if (rc != 0) {
			st = STORE_STOPPED;
			break;
		}
	}
	mdb_cursor_close(c);
	if (st == STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
		st = store_env_fail(s, rc, "reading records", err);
	return (st);
}

/* Moves the records of a chunk into the report (store_get). */
struct store_read_into {
	struct dmarc_report *d;
	bool	nomem;
};

static int
store_read_append(void *arg, struct dmarc_record *recs, size_t n)
{
	struct store_read_into *in = arg;
	size_t	i;

	for (i = 0; i < n; i++)
		if (dmarc_report_add_record(in->d, &recs[i]) < 0) {
			in->nomem = true;
			return (1);
		}
	return (0);
}

enum store_status
store_get(struct store *s, const char *id, bool with_records,
    struct external_report **out, struct store_meta *meta,
    struct store_error *err)
{
	struct store_read_into in = {NULL, false};
	struct external_report *x = NULL;
	struct store_value h;
	enum store_status st;
	MDB_txn *txn;
	MDB_val	v;
	uint64_t n;

	*out = NULL;
	if ((st = store_read_key(s, id, &n, err)) != STORE_OK ||
	    (st = store_env_read_begin(s, &txn, err)) != STORE_OK)
		return (st);
	st = store_read_value(s, txn, n, &v, err);
	if (st == STORE_OK) {
		st = store_value_report(s, n, v.mv_data, v.mv_size, &x, &h, err);
		store_env_release(s, v.mv_data, v.mv_size);
	}
	if (st == STORE_OK && with_records && h.type == RECORD_DMARC) {
		in.d = &x->report->u.dmarc;
		st = store_read_chunks(s, txn, n, NULL, store_read_append, &in,
		    err);
		if (in.nomem) {
			store_env_reason(err, "store %s: report %s: out of memory",
			    s->dir, id);
			st = STORE_NOMEM;
		}
	}
	store_env_read_end(s, txn);
	if (st != STORE_OK) {
		external_report_free(x);
		return (st);
	}
	if (meta != NULL) {
		meta->duplicates = h.duplicates;
		meta->last_seen = h.last_seen;
		meta->n_records = h.n_records;
		memcpy(meta->key, h.digest, STORE_KEY_LEN);
	}
	*out = x;
	return (STORE_OK);
}

/* Hands a chunk to the caller's store_records_fn (store_get_records). */
struct store_read_pass {
	store_records_fn fn;
	void   *arg;
};

static int
store_read_pass(void *arg, struct dmarc_record *recs, size_t n)
{
	struct store_read_pass *p = arg;

	return (p->fn(p->arg, recs, n));
}

/* Reads the records of DMARC report id, lean or whole, inside one txn. */
static enum store_status
store_read_records(struct store *s, const char *id, bool lean,
    store_records_fn fn, void *arg, struct store_error *err)
{
	struct store_read_pass p = {fn, arg};
	struct store_lean l;
	struct store_value h;
	enum store_status st;
	MDB_txn *txn;
	MDB_val	v;
	uint64_t n;

	if ((st = store_read_key(s, id, &n, err)) != STORE_OK ||
	    (st = store_env_read_begin(s, &txn, err)) != STORE_OK)
		return (st);
	if ((st = store_read_value(s, txn, n, &v, err)) == STORE_OK &&
	    store_value_head(v.mv_data, v.mv_size, &h) < 0) {
		store_env_reason(err, "store %s: report %s: stored header "
		    "damaged", s->dir, id);
		st = STORE_CORRUPT;
	}
	memset(&l, 0, sizeof(l));
	if (st == STORE_OK && h.type == RECORD_DMARC)
		st = store_read_chunks(s, txn, n, lean ? &l : NULL,
		    store_read_pass, &p, err);
	store_env_read_end(s, txn);
	store_lean_clear(&l);
	return (st);
}

enum store_status
store_get_records(struct store *s, const char *id, store_records_fn fn,
    void *arg, struct store_error *err)
{
	return (store_read_records(s, id, false, fn, arg, err));
}

enum store_status
store_get_lean_records(struct store *s, const char *id, store_records_fn fn,
    void *arg, struct store_error *err)
{
	return (store_read_records(s, id, true, fn, arg, err));
}

/* Whether an index value of a key lies at or below hi. */
static bool
store_read_below(const unsigned char *value, size_t len,
    const struct store_range *r)
{
	size_t	m = len < r->hi_len ? len : r->hi_len;
	int	cmp = memcmp(value, r->hi, m);

	return (cmp < 0 || (cmp == 0 && len <= r->hi_len));
}

/* What store_read_hand() returns when the caller's callback said stop. */
#define STORE_READ_STOP	(-1)

/*
 * Hands the id of the 8 bytes at id to fn when its report is there (an
 * index entry whose report is gone is passed over). Returns 0 to go on,
 * STORE_READ_STOP, or an LMDB error.
 */
static int
store_read_hand(struct store *s, MDB_txn *txn, const unsigned char *id,
    store_ids_fn fn, void *arg)
{
	char	text[STORE_ID_CHARS + 1];
	unsigned char key[8];
	MDB_val	k = {8, key}, v;
	int	rc;

	memcpy(key, id, 8);
	if ((rc = mdb_get(txn, s->dbi[STORE_DB_REPORTS], &k, &v)) != 0)
		return (rc == MDB_NOTFOUND ? 0 : rc);
	store_env_release(s, v.mv_data, v.mv_size);
	store_id_format(store_be64_get(key), text);
	return (fn(arg, text) != 0 ? STORE_READ_STOP : 0);
}

/* The scan loop of store_scan() over an open cursor at the range start. */
static enum store_status
store_read_scan(struct store *s, MDB_txn *txn, MDB_cursor *c, MDB_val *k,
    const struct store_range *r, store_ids_fn fn, void *arg,
    struct store_error *err)
{
	size_t	tail = (r->index == STORE_IDX_DOMAIN ||
	    r->index == STORE_IDX_REPORTER ||
	    r->index == STORE_IDX_REPORT_ID) ? 9 : 8;
	const unsigned char *p;
	MDB_val	v;
	int	rc, op = MDB_SET_RANGE;

	while ((rc = mdb_cursor_get(c, k, &v, op)) == 0) {
		op = MDB_NEXT;
		p = k->mv_data;
		if (k->mv_size < 1 + tail || p[0] != (unsigned char)r->index)
			break;
		if (r->hi != NULL &&
		    !store_read_below(p + 1, k->mv_size - 1 - tail, r))
			break;
		if ((rc = store_read_hand(s, txn, p + k->mv_size - 8, fn,
		    arg)) != 0)
			break;
	}
	if (rc == STORE_READ_STOP)
		return (STORE_STOPPED);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return (store_env_fail(s, rc, "scanning the index", err));
	return (STORE_OK);
}

/* Whether the sorted addresses v (n of them) hold one within r. */
static bool
store_read_ipset_hit(const unsigned char *v, size_t n,
    const struct store_range *r)
{
	size_t	lo = 0, hi = n, mid;

	if (r->lo_len > 0) {	/* the first address at or above r->lo */
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (memcmp(v + mid * 16, r->lo, r->lo_len < 16 ?
			    r->lo_len : 16) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return (lo < n && (r->hi == NULL || store_read_below(v + lo * 16, 16, r)));
}

/*
 * The IP sets of DMARC reports ('p' and an id, see store_index.c): the id
 * of every report with a record address in range.
 */
static enum store_status
store_read_scan_ipsets(struct store *s, MDB_txn *txn, MDB_cursor *c,
    const struct store_range *r, store_ids_fn fn, void *arg,
    struct store_error *err)
{
	unsigned char start = STORE_IPSET_KIND;
	const unsigned char *p;
	MDB_val	k = {1, &start}, v;
	int	rc, op = MDB_SET_RANGE;

	while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
		op = MDB_NEXT;
		p = k.mv_data;
		if (k.mv_size != 9 || p[0] != STORE_IPSET_KIND)
			break;
		if (v.mv_size % 16 != 0 ||
		    !store_read_ipset_hit(v.mv_data, v.mv_size / 16, r))
			continue;
		if ((rc = store_read_hand(s, txn, p + 1, fn, arg)) != 0)
			break;
	}
	if (rc == STORE_READ_STOP)
		return (STORE_STOPPED);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return (store_env_fail(s, rc, "scanning the IP index", err));
	return (STORE_OK);
}

enum store_status
store_scan(struct store *s, const struct store_range *r, store_ids_fn fn,
    void *arg, struct store_error *err)
{
	unsigned char start[1 + 511];
	enum store_status st;
	MDB_cursor *c;
	MDB_txn *txn;
	MDB_val	k;
	size_t	lo_len = r->lo ? r->lo_len : 0;
	int	rc;

	assert(lo_len < sizeof(start));
	start[0] = (unsigned char)r->index;
	if (lo_len > 0)
		memcpy(start + 1, r->lo, lo_len);
	k.mv_size = 1 + lo_len;
	k.mv_data = start;
	if ((st = store_env_read_begin(s, &txn, err)) != STORE_OK)
		return (st);
	if ((rc = mdb_cursor_open(txn, s->dbi[STORE_DB_INDEX], &c)) != 0) {
		store_env_read_end(s, txn);
		return (store_env_fail(s, rc, "scanning the index", err));
	}
	st = store_read_scan(s, txn, c, &k, r, fn, arg, err);
	if (st == STORE_OK && r->index == STORE_IDX_IP)
		st = store_read_scan_ipsets(s, txn, c, r, fn, arg, err);
	mdb_cursor_close(c);
	store_env_read_end(s, txn);
	return (st);
}

enum store_status
store_scan_all(struct store *s, bool reverse, store_ids_fn fn, void *arg,
    struct store_error *err)
{
	char	text[STORE_ID_CHARS + 1];
	enum store_status st;
	MDB_cursor *c;
	MDB_txn *txn;
	MDB_val	k, v;
	int	rc, op = reverse ? MDB_LAST : MDB_FIRST;

	if ((st = store_env_read_begin(s, &txn, err)) != STORE_OK)
		return (st);
	if ((rc = mdb_cursor_open(txn, s->dbi[STORE_DB_REPORTS], &c)) != 0) {
		store_env_read_end(s, txn);
		return (store_env_fail(s, rc, "scanning reports", err));
	}
	while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
		op = reverse ? MDB_PREV : MDB_NEXT;
		if (k.mv_size != 8)
			continue;
		store_id_format(store_be64_get(k.mv_data), text);
		if (fn(arg, text) != 0) {
			st = STORE_STOPPED;
			break;
		}
	}
	mdb_cursor_close(c);
	store_env_read_end(s, txn);
	if (st == STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
		return (store_env_fail(s, rc, "scanning reports", err));
	return (st);
}
