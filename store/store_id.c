/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_id - report and quarantine ids, and the counters behind them
 * PURPOSE
 *	An id is a receipt counter kept in the meta database (8 bytes,
 *	big-endian) and written as 7 digits of lower-case Crockford base32,
 *	most significant first: fixed width, so that text order is number
 *	order. The counter only grows; an id once committed is never given
 *	again, not even after its report is deleted.
 */
#include <string.h>

#include "store_impl.h"

static const char store_id_alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

void
store_id_format(uint64_t n, char out[STORE_ID_CHARS + 1])
{
	int	i;

	for (i = STORE_ID_CHARS - 1; i >= 0; i--, n >>= 5)
		out[i] = store_id_alphabet[n & 31];
	out[STORE_ID_CHARS] = '\0';
}

int
store_id_parse(const char *text, uint64_t *n)
{
	const char *p;
	uint64_t v = 0;
	int	i;

	if (text == NULL || strlen(text) != STORE_ID_CHARS)
		return (-1);
	for (i = 0; i < STORE_ID_CHARS; i++) {
		if (text[i] == '\0' ||
		    (p = strchr(store_id_alphabet, text[i])) == NULL)
			return (-1);
		v = v << 5 | (uint64_t)(p - store_id_alphabet);
	}
	if (v == 0)
		return (-1);
	*n = v;
	return (0);
}

int
store_id_parse_qid(const char *text, uint64_t *n)
{
	if (text == NULL || text[0] != 'q')
		return (-1);
	return (store_id_parse(text + 1, n));
}

enum store_status
store_id_peek(struct store *s, MDB_txn *txn, const char *name, uint64_t *n,
    struct store_error *err)
{
	MDB_val	k = {strlen(name), (void *)name}, v;
	int	rc;

	*n = 1;
	rc = mdb_get(txn, s->dbi[STORE_DB_META], &k, &v);
	if (rc == 0 && v.mv_size == 8)
		*n = store_be64_get(v.mv_data);
	else if (rc == 0) {
		store_env_reason(err, "store %s: counter %s is damaged",
		    s->dir, name);
		return (STORE_CORRUPT);
	} else if (rc != MDB_NOTFOUND)
		return (store_env_fail(s, rc, name, err));
	return (STORE_OK);
}

enum store_status
store_id_next(struct store *s, MDB_txn *txn, const char *name, uint64_t *n,
    struct store_error *err)
{
	unsigned char buf[8];
	MDB_val	k = {strlen(name), (void *)name}, v;
	enum store_status st;
	uint64_t next;
	int	rc;

	if ((st = store_id_peek(s, txn, name, &next, err)) != STORE_OK)
		return (st);
	if (next == 0 || next > STORE_ID_MAX) {
		store_env_reason(err, "store %s: no %s left", s->dir,
		    strcmp(name, "nextq") == 0 ? "quarantine ids" : "ids");
		return (STORE_FULL);
	}
	store_be64_put(buf, next + 1);
	v.mv_size = sizeof(buf);
	v.mv_data = buf;
	if ((rc = mdb_put(txn, s->dbi[STORE_DB_META], &k, &v, 0)) != 0)
		return (store_env_fail(s, rc, name, err));
	*n = next;
	return (STORE_OK);
}
