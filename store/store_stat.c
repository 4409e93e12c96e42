/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_stat - figures of a store
 * PURPOSE
 *	Counts what the store holds (reports by type, quarantine entries,
 *	chunks, index keys, dedup entries) and how much of the map is used,
 *	in one read txn.
 */
#include <string.h>

#include "store_impl.h"

/* Counts the reports of each type on the type index. */
static enum store_status
store_stat_types(struct store *s, MDB_txn *txn, struct store_stat *st,
    struct store_error *err)
{
	unsigned char lo = STORE_IDX_TYPE;
	MDB_cursor *c;
	MDB_val	k = {1, &lo}, v;
	const unsigned char *p;
	int	rc, op = MDB_SET_RANGE;

	if ((rc = mdb_cursor_open(txn, s->dbi[STORE_DB_INDEX], &c)) != 0)
		return (store_env_fail(s, rc, "index", err));
	while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
		op = MDB_NEXT;
		p = k.mv_data;
		if (k.mv_size < 1 || p[0] != STORE_IDX_TYPE)
			break;
		if (k.mv_size == 10 && p[1] >= RECORD_DMARC && p[1] <= RECORD_ARF)
			st->reports[p[1]]++;
	}
	mdb_cursor_close(c);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return (store_env_fail(s, rc, "index", err));
	return (STORE_OK);
}

/* The entry counts of the databases that have no count of their own. */
static enum store_status
store_stat_entries(struct store *s, MDB_txn *txn, struct store_stat *st,
    struct store_error *err)
{
	static const enum store_db db[4] = {STORE_DB_QUARANTINE,
	    STORE_DB_RECORDS, STORE_DB_INDEX, STORE_DB_DEDUP};
	uint64_t *to[4] = {&st->quarantined, &st->chunks, &st->index_keys,
	    &st->dedup_keys};
	enum store_status rs;
	uint64_t waiting;
	MDB_stat ms;
	int	i, rc;

	for (i = 0; i < 4; i++) {
		if ((rc = mdb_stat(txn, s->dbi[db[i]], &ms)) != 0)
			return (store_env_fail(s, rc, "figures", err));
		*to[i] = ms.ms_entries;
	}
	if (s->has_pending) {
		if ((rc = mdb_stat(txn, s->dbi[STORE_DB_PENDING], &ms)) != 0)
			return (store_env_fail(s, rc, "figures", err));
		st->pending = ms.ms_entries;
	}
	/* And what waits in report-milter's journal. */
	if ((rs = store_journal_count(s, txn, &waiting, err)) != STORE_OK)
		return (rs);
	st->pending += waiting;
	return (STORE_OK);
}

enum store_status
store_stat(struct store *s, struct store_stat *st, struct store_error *err)
{
	enum store_status rs;
	MDB_envinfo info;
	MDB_stat ms;
	MDB_txn *txn;
	int	rc;

	memset(st, 0, sizeof(*st));
	if ((rs = store_env_read_begin(s, &txn, err)) != STORE_OK)
		return (rs);
	rs = store_stat_types(s, txn, st, err);
	if (rs == STORE_OK)
		rs = store_stat_entries(s, txn, st, err);
	if (rs == STORE_OK && ((rc = mdb_env_info(s->env, &info)) != 0 ||
	    (rc = mdb_env_stat(s->env, &ms)) != 0))
		rs = store_env_fail(s, rc, "figures", err);
	store_env_read_end(s, txn);
	if (rs != STORE_OK)
		return (rs);
	st->map_size = info.me_mapsize;
	st->max_size = s->max_size;
	st->used_size = (info.me_last_pgno + 1) * (size_t)ms.ms_psize;
	return (STORE_OK);
}
