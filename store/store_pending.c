/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_pending - report mail kept raw until it is parsed
 * PURPOSE
 *	report-milter with DeferParse answers the MTA once a report mail is
 *	here, durably, and parses it afterwards: the parse and the records'
 *	writes leave the SMTP transaction, one small write stays in it. An
 *	entry is kept under an 8-byte counter of its own ("nextp"), and is
 *	removed in the same commit as the reports parsed from it
 *	(store_write_pending_done() inside ingest's write), so that a crash
 *	at any point leaves each mail either pending or stored, never both
 *	and never neither. A store opened with a journal keeps mail there
 *	first (store_journal.c: one disk flush instead of a commit's two),
 *	and here when the journal has no room; its entries have ids with
 *	STORE_PENDING_JOURNAL set and come first. The value (in the journal
 *	too) is not compressed (it lives seconds):
 *
 *	  0   format: 1
 *	  1   receivedAt, 8 bytes big-endian
 *	  9   strings that follow, 4 bytes (3 + recipients)
 *	  13  each string: its length, 4 bytes, and its bytes: sender,
 *	      client address, queue id, then each recipient
 *	  ..  the message, to the end of the value
 */
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

#define STORE_PENDING_FORMAT	1
#define STORE_PENDING_HEAD	13
#define STORE_PENDING_FIXED	3	/* sender, client address, queue id */
#define STORE_PENDING_TRIES	8	/* writes made again after STORE_RETRY */

void
store_pending_free(struct store_pending *p)
{
	if (p == NULL)
		return;
	free(p->sender);
	free(p->client_addr);
	free(p->queue_id);
	strlist_clear(&p->rcpts);
	free(p->message);
	free(p);
}

/* String i of p: the three fixed ones, then the recipients. */
static const char *
pending_string(const struct store_pending *p, size_t i)
{
	const char *s;

	if (i == 0)
		s = p->sender;
	else if (i == 1)
		s = p->client_addr;
	else if (i == 2)
		s = p->queue_id;
	else
		s = p->rcpts.v[i - STORE_PENDING_FIXED];
	return (s != NULL ? s : "");
}

/* The length of p's value in *len; false when it cannot be kept. */
bool
store_pending_size(const struct store_pending *p, size_t *len)
{
	size_t	n = STORE_PENDING_FIXED + p->rcpts.n, slen, i;

	*len = STORE_PENDING_HEAD + p->message_len;
	if (n > UINT32_MAX || *len < p->message_len)
		return (false);
	for (i = 0; i < n; i++) {
		slen = strlen(pending_string(p, i));
		if (slen > UINT32_MAX || *len > SIZE_MAX - 4 - slen)
			return (false);
		*len += 4 + slen;
	}
	return (true);
}

/* Writes p's value into v (store_pending_size() bytes). */
void
store_pending_fill(const struct store_pending *p, unsigned char *v)
{
	size_t	n = STORE_PENDING_FIXED + p->rcpts.n, slen, i;
	unsigned char *q;

	v[0] = STORE_PENDING_FORMAT;
	store_be64_put(v + 1, (uint64_t)p->received_at);
	store_be32_put(v + 9, (uint32_t)n);
	for (i = 0, q = v + STORE_PENDING_HEAD; i < n; i++) {
		slen = strlen(pending_string(p, i));
		store_be32_put(q, (uint32_t)slen);
		memcpy(q + 4, pending_string(p, i), slen);
		q += 4 + slen;
	}
	if (p->message_len > 0)
		memcpy(q, p->message, p->message_len);
}

/* Reads the value of entry id; STORE_CORRUPT when it is damaged. */
enum store_status
store_pending_decode(struct store *s, uint64_t id, const unsigned char *v,
    size_t len, struct store_pending **out, struct store_error *err)
{
	struct store_pending *p;
	const unsigned char *q, *end = v + len;
	char  **fixed[STORE_PENDING_FIXED];
	size_t	n, slen, i;

	*out = NULL;
	if (len < STORE_PENDING_HEAD || v[0] != STORE_PENDING_FORMAT)
		goto corrupt;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		goto nomem;
	p->id = id;
	p->received_at = (int64_t)store_be64_get(v + 1);
	n = store_be32_get(v + 9);
	if (n < STORE_PENDING_FIXED)
		goto corrupt_p;
	fixed[0] = &p->sender, fixed[1] = &p->client_addr;
	fixed[2] = &p->queue_id;
	for (i = 0, q = v + STORE_PENDING_HEAD; i < n; i++) {
		if (end - q < 4 || (slen = store_be32_get(q)) >
		    (size_t)(end - q) - 4)
			goto corrupt_p;
		if (i < STORE_PENDING_FIXED) {
			if ((*fixed[i] = record_strndup((const char *)q + 4,
			    slen)) == NULL)
				goto nomem_p;
		} else if (strlist_add(&p->rcpts, (const char *)q + 4,
		    slen) < 0)
			goto nomem_p;
		q += 4 + slen;
	}
	p->message_len = (size_t)(end - q);
	/* One byte more: the message reads as a C string too. */
	if ((p->message = malloc(p->message_len + 1)) == NULL)
		goto nomem_p;
	memcpy(p->message, q, p->message_len);
	p->message[p->message_len] = '\0';
	*out = p;
	return (STORE_OK);
corrupt_p:
	store_pending_free(p);
corrupt:
	store_env_reason(err, "store %s: pending mail %llu: stored value "
	    "damaged", s->dir, (unsigned long long)id);
	return (STORE_CORRUPT);
nomem_p:
	store_pending_free(p);
nomem:
	store_env_reason(err, "store %s: out of memory", s->dir);
	return (STORE_NOMEM);
}

/* One try of store_pending_put(): one write, one durable commit. */
static enum store_status
pending_put_once(struct store *s, const struct store_pending *p, size_t len,
    uint64_t *id, struct store_error *err)
{
	struct store_write *w;
	enum store_status st;
	unsigned char key[8];
	MDB_val	k = {8, key}, v = {len, NULL};
	uint64_t n;
	int	rc;

	if ((st = store_write_begin(s, &w, err)) != STORE_OK)
		return (st);
	if ((st = store_id_next(s, w->txn, "nextp", &n, err)) != STORE_OK) {
		store_write_abort(w);
		return (st);
	}
	store_be64_put(key, n);
	w->bytes += 8 + len;
	/* The value is written in place, in the map: no copy of the mail. */
	if ((rc = mdb_put(w->txn, s->dbi[STORE_DB_PENDING], &k, &v,
	    MDB_RESERVE)) != 0) {
		st = store_env_fail(s, rc, "keeping the mail to parse", err);
		store_write_abort(w);
		return (st);
	}
	store_pending_fill(p, v.mv_data);
	if ((st = store_write_commit(w, err)) == STORE_OK)
		*id = n;
	return (st);
}

enum store_status
store_pending_put(struct store *s, const struct store_pending *p, uint64_t *id,
    struct store_error *err)
{
	enum store_status st;
	unsigned tries = 0;
	size_t	len;

	*id = 0;
	if (!store_pending_size(p, &len)) {
		store_env_reason(err, "store %s: the mail is too big to keep",
		    s->dir);
		return (STORE_NOMEM);
	}
	/* One flush in the journal when it has room; else the database. */
	if (store_journal_put(s, p, len, id, err) == STORE_OK)
		return (STORE_OK);
	/* A full map is grown, and the write made again (as ingest does). */
	do
		st = pending_put_once(s, p, len, id, err);
	while (st == STORE_RETRY && tries++ < STORE_PENDING_TRIES);
	return (st);
}

enum store_status
store_pending_next(struct store *s, uint64_t after, uint64_t *id,
    struct store_pending **out, struct store_error *err)
{
	enum store_status st;
	unsigned char key[8];
	MDB_cursor *c;
	MDB_txn *txn;
	MDB_val	k = {8, key}, v;
	int	rc;

	*out = NULL;
	*id = 0;
	if ((st = store_journal_next(s, id, out, err)) != STORE_NOTFOUND)
		return (st);
	if (!s->has_pending)
		return (STORE_NOTFOUND);
	if ((st = store_env_read_begin(s, &txn, err)) != STORE_OK)
		return (st);
	if ((rc = mdb_cursor_open(txn, s->dbi[STORE_DB_PENDING], &c)) != 0) {
		store_env_read_end(s, txn);
		return (store_env_fail(s, rc, "reading the mail to parse", err));
	}
	store_be64_put(key, after + 1);
	rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
	if (rc == 0 && k.mv_size == 8) {
		*id = store_be64_get(k.mv_data);
		st = store_pending_decode(s, *id, v.mv_data, v.mv_size, out, err);
	}
	else if (rc == 0 || rc == MDB_NOTFOUND)
		st = STORE_NOTFOUND;
	else
		st = store_env_fail(s, rc, "reading the mail to parse", err);
	mdb_cursor_close(c);
	store_env_read_end(s, txn);
	return (st);
}

enum store_status
store_pending_count(struct store *s, size_t *n, struct store_error *err)
{
	enum store_status st;
	MDB_txn *txn;
	MDB_stat ms;
	int	rc;

	*n = store_journal_waiting(s);
	if (!s->has_pending)
		return (STORE_OK);
	if ((st = store_env_read_begin(s, &txn, err)) != STORE_OK)
		return (st);
	rc = mdb_stat(txn, s->dbi[STORE_DB_PENDING], &ms);
	store_env_read_end(s, txn);
	if (rc != 0)
		return (store_env_fail(s, rc, "counting the mail to parse", err));
	*n += ms.ms_entries;
	return (STORE_OK);
}

enum store_status
store_write_pending_done(struct store_write *w, uint64_t id,
    struct store_error *err)
{
	unsigned char key[8];
	MDB_val	k = {8, key};
	int	rc;

	if (id & STORE_PENDING_JOURNAL)
		return (store_write_journal_done(w, id, err));
	if (w->failed != STORE_OK)
		return (store_write_poisoned(w, err));
	store_be64_put(key, id);
	rc = mdb_del(w->txn, w->s->dbi[STORE_DB_PENDING], &k, NULL);
	if (rc == 0 || rc == MDB_NOTFOUND)
		return (STORE_OK);
	return (store_write_failed(w, store_env_fail(w->s, rc,
	    "removing the parsed mail", err), err));
}

