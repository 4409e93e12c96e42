/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_quarantine - report mail kept raw because it could not be parsed
 * PURPOSE
 *	An entry is kept under an 8-byte counter of its own ("nextq"); its
 *	text id is "q" and the 7 characters of a report id. The value is a
 *	fixed header, the reason, sender and queue id as they are, and the
 *	message, deflated when long, last, so that a listing reads the
 *	header and strings without inflating the message:
 *
 *	  0   format: 1 the message follows as is, 2 deflated
 *	  1   receivedAt, 8 bytes big-endian
 *	  9   length of the message as received, 8 bytes
 *	  17  length kept, 8 bytes
 *	  25  length of reason, sender, queue id: 4 bytes each
 *	  37  reason, sender, queue id, message
 *
 *	A message is quarantined once: the dedup table maps the SHA-256 of
 *	"quarantine", a NUL and the kept bytes to its entry, so that the
 *	same broken mail received or imported again names the entry it has.
 */
#include <stdlib.h>
#include <string.h>

#include "zbuf.h"
#include "store_impl.h"

#define STORE_QUARANTINE_PLAIN		1
#define STORE_QUARANTINE_DEFLATED	2
#define STORE_QUARANTINE_HEAD		37

void
store_quarantine_free(struct store_quarantine *q)
{
	if (q == NULL)
		return;
	free(q->qid);
	free(q->reason);
	free(q->sender);
	free(q->queue_id);
	free(q->message);
	free(q);
}

/* The value of q (the caller's in *out); STORE_OK or STORE_NOMEM. */
static enum store_status
store_quarantine_encode(const struct store_quarantine *q, unsigned char **out,
    size_t *out_len)
{
	const char *str[3] = {q->reason, q->sender ? q->sender : "",
	    q->queue_id ? q->queue_id : ""};
	size_t	slen[3], body_len = q->kept_len, len, i;
	const char *body = q->message ? q->message : "";
	char   *z = NULL;
	unsigned char *v, *p;
	int	format = STORE_QUARANTINE_PLAIN;

	*out = NULL;
	if (q->message == NULL)
		body_len = 0;
	if (body_len >= STORE_COMPRESS_MIN) {
		if (zbuf_deflate(body, body_len, &z, &body_len) != PARSE_OK)
			return (STORE_NOMEM);
		body = z;
		format = STORE_QUARANTINE_DEFLATED;
	}
	len = STORE_QUARANTINE_HEAD + body_len;
	for (i = 0; i < 3; i++) {
		slen[i] = strlen(str[i]);
		if (slen[i] > UINT32_MAX || len > SIZE_MAX - slen[i])
			goto nomem;
		len += slen[i];
	}
	if ((v = malloc(len)) == NULL)
		goto nomem;
	v[0] = (unsigned char)format;
	store_be64_put(v + 1, (uint64_t)q->received_at);
	store_be64_put(v + 9, q->message_len);
	store_be64_put(v + 17, q->message ? q->kept_len : 0);
	p = v + 25;
	for (i = 0; i < 3; i++, p += 4)
		store_be32_put(p, (uint32_t)slen[i]);
	for (i = 0; i < 3; p += slen[i], i++)
		memcpy(p, str[i], slen[i]);
	memcpy(p, body, body_len);
	free(z);
	*out = v;
	*out_len = len;
	return (STORE_OK);
nomem:
	free(z);
	return (STORE_NOMEM);
}

/* The dedup key of a quarantined message. */
static void
store_quarantine_digest(const char *message, size_t len,
    unsigned char digest[SHA256_LEN])
{
	struct sha256 c;

	sha256_init(&c);
	sha256_update(&c, "quarantine", 11);
	sha256_update(&c, message ? message : "", message ? len : 0);
	sha256_final(&c, digest);
}

/*
 * The entry that holds the message of digest already, in *n; false when
 * there is none (or the one the dedup table names is gone).
 */
static bool
store_quarantine_known(struct store_write *w, const unsigned char *digest,
    uint64_t *n)
{
	MDB_val	k = {SHA256_LEN, (void *)digest}, v;
	unsigned char key[8];

	if (mdb_get(w->txn, w->s->dbi[STORE_DB_DEDUP], &k, &v) != 0 ||
	    v.mv_size != 8)
		return (false);
	memcpy(key, v.mv_data, 8);
	k.mv_size = 8;
	k.mv_data = key;
	if (mdb_get(w->txn, w->s->dbi[STORE_DB_QUARANTINE], &k, &v) != 0)
		return (false);
	*n = store_be64_get(key);
	return (true);
}

enum store_status
store_write_quarantine(struct store_write *w, struct store_quarantine *q,
    struct store_error *err)
{
	unsigned char digest[SHA256_LEN];
	char	qid[STORE_ID_CHARS + 2], *copy;
	unsigned char key[8], *val;
	enum store_status st;
	MDB_val	k = {8, key}, v;
	uint64_t n;
	size_t	len;
	int	rc;

	if (w->failed != STORE_OK) {
		if (err != NULL)
			memcpy(err, &w->why, sizeof(*err));
		return (w->failed);
	}
	store_quarantine_digest(q->message, q->kept_len, digest);
	if (store_quarantine_known(w, digest, &n)) {
		qid[0] = 'q';
		store_id_format(n, qid + 1);
		if ((copy = record_strdup(qid)) == NULL) {
			store_env_reason(err, "store %s: out of memory", w->s->dir);
			st = STORE_NOMEM;
			goto fail;
		}
		free(q->qid);
		q->qid = copy;
		return (STORE_OK);
	}
	if ((st = store_id_next(w->s, w->txn, "nextq", &n, err)) != STORE_OK)
		goto fail;
	qid[0] = 'q';
	store_id_format(n, qid + 1);
	if (store_quarantine_encode(q, &val, &len) != STORE_OK ||
	    (copy = record_strdup(qid)) == NULL) {
		store_env_reason(err, "store %s: out of memory", w->s->dir);
		st = STORE_NOMEM;
		goto fail;
	}
	store_be64_put(key, n);
	v.mv_size = len;
	v.mv_data = val;
	rc = mdb_put(w->txn, w->s->dbi[STORE_DB_QUARANTINE], &k, &v, 0);
	free(val);
	if (rc == 0) {
		MDB_val	dk = {SHA256_LEN, digest}, dv = {8, key};

		rc = mdb_put(w->txn, w->s->dbi[STORE_DB_DEDUP], &dk, &dv, 0);
	}
	if (rc != 0) {
		free(copy);
		st = store_env_fail(w->s, rc, "writing the quarantine", err);
		goto fail;
	}
	free(q->qid);
	q->qid = copy;
	return (STORE_OK);
fail:
	w->failed = st;
	if (err != NULL)
		memcpy(&w->why, err, sizeof(w->why));
	return (st);
}

/* Reads one stored entry of id n into *out. */
static enum store_status
store_quarantine_decode(struct store *s, uint64_t n, const unsigned char *v,
    size_t len, bool with_message, struct store_quarantine **out,
    struct store_error *err)
{
	struct store_quarantine *q;
	struct parse_error perr;
	char	qid[STORE_ID_CHARS + 2], **dst[3];
	size_t	slen[3], body, i, got;
	const unsigned char *p;

	*out = NULL;
	qid[0] = 'q';
	store_id_format(n, qid + 1);
	if (len < STORE_QUARANTINE_HEAD || v[0] < STORE_QUARANTINE_PLAIN ||
	    v[0] > STORE_QUARANTINE_DEFLATED)
		goto corrupt;
	for (i = 0, body = STORE_QUARANTINE_HEAD; i < 3; i++) {
		slen[i] = store_be32_get(v + 25 + 4 * i);
		if (slen[i] > len - body)
			goto corrupt;
		body += slen[i];
	}
	if ((q = calloc(1, sizeof(*q))) == NULL)
		goto nomem;
	q->received_at = (int64_t)store_be64_get(v + 1);
	q->message_len = (size_t)store_be64_get(v + 9);
	q->kept_len = (size_t)store_be64_get(v + 17);
	dst[0] = &q->reason, dst[1] = &q->sender, dst[2] = &q->queue_id;
	for (i = 0, p = v + STORE_QUARANTINE_HEAD; i < 3; p += slen[i], i++)
		if ((*dst[i] = record_strndup((const char *)p, slen[i])) == NULL)
			goto nomem_q;
	if ((q->qid = record_strdup(qid)) == NULL)
		goto nomem_q;
	if (!with_message) {
		*out = q;
		return (STORE_OK);
	}
	if (v[0] == STORE_QUARANTINE_PLAIN) {
		if (len - body != q->kept_len)
			goto corrupt_q;
		if ((q->message = record_strndup((const char *)v + body,
		    len - body)) == NULL)
			goto nomem_q;
	} else {
		if (q->kept_len == SIZE_MAX)
			goto corrupt_q;
		perr.reason[0] = '\0';
		switch (zbuf_inflate(v + body, len - body, q->kept_len + 1,
		    &q->message, &got, &perr)) {
		case PARSE_OK:
			if (got == q->kept_len)
				break;
			/* FALLTHROUGH */
		default:
			goto corrupt_q;
		case PARSE_NOMEM:
			goto nomem_q;
		}
	}
	*out = q;
	return (STORE_OK);
corrupt_q:
	store_quarantine_free(q);
corrupt:
	store_env_reason(err, "store %s: quarantine %s: stored value damaged",
	    s->dir, qid);
	return (STORE_CORRUPT);
nomem_q:
	store_quarantine_free(q);
nomem:
	store_env_reason(err, "store %s: out of memory", s->dir);
	return (STORE_NOMEM);
}

enum store_status
store_quarantine_each(struct store *s, bool with_message,
    store_quarantine_fn fn, void *arg, struct store_error *err)
{
	struct store_quarantine *q;
	enum store_status st;
	MDB_cursor *c;
	MDB_txn *txn;
	MDB_val	k, v;
	int	rc, op = MDB_FIRST;

	if ((st = store_env_read_begin(s, &txn, err)) != STORE_OK)
		return (st);
	if ((rc = mdb_cursor_open(txn, s->dbi[STORE_DB_QUARANTINE], &c)) != 0) {
		store_env_read_end(s, txn);
		return (store_env_fail(s, rc, "reading the quarantine", err));
	}
	while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
		op = MDB_NEXT;
		if (k.mv_size != 8)
			continue;
		st = store_quarantine_decode(s, store_be64_get(k.mv_data),
		    v.mv_data, v.mv_size, with_message, &q, err);
		if (st != STORE_OK)
			break;
		rc = fn(arg, q);
		store_quarantine_free(q);
		if (rc != 0) {
			st = STORE_STOPPED;
			break;
		}
	}
	mdb_cursor_close(c);
	store_env_read_end(s, txn);
	if (st == STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
		st = store_env_fail(s, rc, "reading the quarantine", err);
	return (st);
}

enum store_status
store_quarantine_get(struct store *s, const char *qid,
    struct store_quarantine **out, struct store_error *err)
{
	enum store_status st;
	unsigned char key[8];
	MDB_txn *txn;
	MDB_val	k = {8, key}, v;
	uint64_t n;
	int	rc;

	*out = NULL;
	if (store_id_parse_qid(qid, &n) < 0) {
		store_env_reason(err, "store %s: no quarantine entry %s", s->dir,
		    qid ? qid : "(null)");
		return (STORE_NOTFOUND);
	}
	if ((st = store_env_read_begin(s, &txn, err)) != STORE_OK)
		return (st);
	store_be64_put(key, n);
	if ((rc = mdb_get(txn, s->dbi[STORE_DB_QUARANTINE], &k, &v)) == 0)
		st = store_quarantine_decode(s, n, v.mv_data, v.mv_size, true,
		    out, err);
	else if (rc == MDB_NOTFOUND) {
		store_env_reason(err, "store %s: no quarantine entry %s", s->dir,
		    qid);
		st = STORE_NOTFOUND;
	} else
		st = store_env_fail(s, rc, "reading the quarantine", err);
	store_env_read_end(s, txn);
	return (st);
}

/* Removes the dedup key of entry n, when it names n. */
static enum store_status
store_quarantine_forget(struct store *s, MDB_txn *txn, uint64_t n,
    struct store_error *err)
{
	struct store_quarantine *q = NULL;
	unsigned char key[8], digest[SHA256_LEN];
	MDB_val	k = {8, key}, v;
	enum store_status st;
	int	rc;

	store_be64_put(key, n);
	if ((rc = mdb_get(txn, s->dbi[STORE_DB_QUARANTINE], &k, &v)) != 0)
		return (rc == MDB_NOTFOUND ? STORE_OK :
		    store_env_fail(s, rc, "reading the quarantine", err));
	st = store_quarantine_decode(s, n, v.mv_data, v.mv_size, true, &q, err);
	if (st == STORE_CORRUPT)
		return (STORE_OK);	/* the entry goes; its key stays behind */
	if (st != STORE_OK)
		return (st);
	store_quarantine_digest(q->message, q->kept_len, digest);
	store_quarantine_free(q);
	k.mv_size = SHA256_LEN;
	k.mv_data = digest;
	rc = mdb_get(txn, s->dbi[STORE_DB_DEDUP], &k, &v);
	if (rc == 0 && v.mv_size == 8 && store_be64_get(v.mv_data) == n)
		rc = mdb_del(txn, s->dbi[STORE_DB_DEDUP], &k, NULL);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return (store_env_fail(s, rc, "deleting from the quarantine", err));
	return (STORE_OK);
}

/* One try of store_quarantine_delete(). */
static enum store_status
store_quarantine_del(struct store *s, uint64_t n, const char *qid,
    struct store_error *err)
{
	enum store_status st;
	unsigned char key[8];
	MDB_txn *txn;
	MDB_val	k = {8, key};
	int	rc;

	if ((st = store_env_write_begin(s, &txn, err)) != STORE_OK)
		return (st);
	store_be64_put(key, n);
	if ((st = store_quarantine_forget(s, txn, n, err)) != STORE_OK) {
		(void)store_env_write_end(s, txn, false, NULL);
		return (st);
	}
	if ((rc = mdb_del(txn, s->dbi[STORE_DB_QUARANTINE], &k, NULL)) != 0) {
		if (rc != MDB_NOTFOUND)
			st = store_env_fail(s, rc, "deleting from the quarantine",
			    err);
		else {
			store_env_reason(err, "store %s: no quarantine entry %s",
			    s->dir, qid);
			st = STORE_NOTFOUND;
		}
		(void)store_env_write_end(s, txn, false, NULL);
		return (st);
	}
	return (store_env_write_end(s, txn, true, err));
}

enum store_status
store_quarantine_delete(struct store *s, const char *qid,
    struct store_error *err)
{
	enum store_status st;
	uint64_t n;
	int	tries;

	if (store_id_parse_qid(qid, &n) < 0) {
		store_env_reason(err, "store %s: no quarantine entry %s", s->dir,
		    qid ? qid : "(null)");
		return (STORE_NOTFOUND);
	}
	for (tries = 0; tries < STORE_RETRIES; tries++)
		if ((st = store_quarantine_del(s, n, qid, err)) != STORE_RETRY)
			break;
	return (st);
}
