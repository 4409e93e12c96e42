/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_host - the host cache: what enrichment learnt of source IPs
 * PURPOSE
 *	Keeps one struct store_host per IP in the hosts database, keyed by
 *	the 16-byte address of store_key_ip(). The value is versioned so
 *	that a later release can add fields and still read what this one
 *	wrote:
 *	  1 byte   encoding version (1)
 *	  1 byte   flags (bit 0: the name is forward-confirmed)
 *	  8 bytes  resolved_at, 8 expires_at, 8 retry_at (big-endian, signed)
 *	  4 bytes  asn
 *	  then name, base_domain, country, as_name, service, service_type,
 *	  error: each a 2-byte length and its bytes (no NUL)
 *	  8 bytes  seq, the change number of the write (big-endian)
 *	A reader of version 1 ignores bytes after the last string, where a
 *	later version 1 writer may put more: seq came so, and an entry
 *	written before it reads as seq 0.
 *
 *	Change numbers come from the meta counter "hostseq", one per write
 *	transaction, so that a reader that keeps the counter as it read it
 *	(store_host_changes()) finds, next time, what was written after,
 *	however the clocks of the writers go.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

#define STORE_HOST_VERSION	1
#define STORE_HOST_FIXED	30	/* bytes before the strings */
#define STORE_HOST_SEQ		"hostseq"	/* the meta counter */

/* The strings of an entry in their stored order, with their sizes. */
struct store_host_field {
	char   *p;
	size_t	size;
};

static void
store_host_fields(struct store_host *h, struct store_host_field f[7])
{
	f[0] = (struct store_host_field){h->name, sizeof(h->name)};
	f[1] = (struct store_host_field){h->base_domain, sizeof(h->base_domain)};
	f[2] = (struct store_host_field){h->country, sizeof(h->country)};
	f[3] = (struct store_host_field){h->as_name, sizeof(h->as_name)};
	f[4] = (struct store_host_field){h->service, sizeof(h->service)};
	f[5] = (struct store_host_field){h->service_type, sizeof(h->service_type)};
	f[6] = (struct store_host_field){h->error, sizeof(h->error)};
}

/* Encodes h into buf (big enough: sizeof(*h) + 64); its length. */
static size_t
store_host_encode(const struct store_host *h, unsigned char *buf)
{
	struct store_host_field f[7];
	size_t	off = STORE_HOST_FIXED, len;
	int	i;

	buf[0] = STORE_HOST_VERSION;
	buf[1] = h->confirmed ? 1 : 0;
	store_be64_put(buf + 2, (uint64_t)h->resolved_at);
	store_be64_put(buf + 10, (uint64_t)h->expires_at);
	store_be64_put(buf + 18, (uint64_t)h->retry_at);
	store_be32_put(buf + 26, h->asn);
	store_host_fields((struct store_host *)h, f);
	for (i = 0; i < 7; i++) {
		len = strnlen(f[i].p, f[i].size - 1);
		buf[off] = (unsigned char)(len >> 8);
		buf[off + 1] = (unsigned char)len;
		memcpy(buf + off + 2, f[i].p, len);
		off += 2 + len;
	}
	store_be64_put(buf + off, h->seq);
	return (off + 8);
}

/* Decodes a stored value into *h; -1 when it is cut short or unknown. */
static int
store_host_decode(const unsigned char *p, size_t len, struct store_host *h)
{
	struct store_host_field f[7];
	size_t	off = STORE_HOST_FIXED, n, keep;
	int	i;

	memset(h, 0, sizeof(*h));
	if (len < STORE_HOST_FIXED || p[0] != STORE_HOST_VERSION)
		return (-1);
	h->confirmed = (p[1] & 1) != 0;
	h->resolved_at = (int64_t)store_be64_get(p + 2);
	h->expires_at = (int64_t)store_be64_get(p + 10);
	h->retry_at = (int64_t)store_be64_get(p + 18);
	h->asn = store_be32_get(p + 26);
	store_host_fields(h, f);
	for (i = 0; i < 7; i++) {
		if (len - off < 2)
			return (-1);
		n = (size_t)p[off] << 8 | p[off + 1];
		off += 2;
		if (len - off < n)
			return (-1);
		keep = n < f[i].size - 1 ? n : f[i].size - 1;
		memcpy(f[i].p, p + off, keep);
		f[i].p[keep] = '\0';
		off += n;
	}
	if (len - off >= 8)
		h->seq = store_be64_get(p + off);
	return (0);
}

enum store_status
store_host_get(struct store *s, const char *ip, struct store_host *h,
    struct store_error *err)
{
	unsigned char key[16];
	enum store_status st;
	MDB_txn *txn;
	MDB_val	k = {16, key}, v;
	int	rc;

	memset(h, 0, sizeof(*h));
	if (!s->has_hosts || store_key_ip(ip, key) == 0)
		return (STORE_NOTFOUND);
	if ((st = store_env_read_begin(s, &txn, err)) != STORE_OK)
		return (st);
	rc = mdb_get(txn, s->dbi[STORE_DB_HOSTS], &k, &v);
	if (rc == 0 && store_host_decode(v.mv_data, v.mv_size, h) != 0) {
		store_env_reason(err, "store %s: host %s: unreadable entry",
		    s->dir, ip);
		st = STORE_CORRUPT;
	} else if (rc == MDB_NOTFOUND) {
		st = STORE_NOTFOUND;
	} else if (rc != 0) {
		st = store_env_fail(s, rc, "reading a host", err);
	}
	store_env_read_end(s, txn);
	return (st);
}

/* Puts the n entries inside txn. */
static enum store_status
store_host_put_txn(struct store *s, MDB_txn *txn, const char *const *ips,
    const struct store_host *hosts, size_t n, struct store_error *err)
{
	unsigned char key[16], buf[sizeof(struct store_host) + 64];
	MDB_val	k = {16, key}, v = {0, buf};
	struct store_host h;
	enum store_status st;
	uint64_t seq;
	size_t	i;
	int	rc;

	if ((st = store_id_next(s, txn, STORE_HOST_SEQ, &seq, err)) !=
	    STORE_OK)
		return (st);
	for (i = 0; i < n; i++) {
		if (store_key_ip(ips[i], key) == 0)
			continue;
		h = hosts[i];
		h.seq = seq;
		v.mv_size = store_host_encode(&h, buf);
		if ((rc = mdb_put(txn, s->dbi[STORE_DB_HOSTS], &k, &v, 0)) != 0)
			return (store_env_fail(s, rc, "writing a host", err));
	}
	return (STORE_OK);
}

enum store_status
store_host_put(struct store *s, const char *const *ips,
    const struct store_host *hosts, size_t n, struct store_error *err)
{
	enum store_status st = STORE_OK;
	MDB_txn *txn;
	int	tries;

	if (s->read_only || !s->has_hosts) {
		store_env_reason(err, "store %s: read-only", s->dir);
		return (STORE_IO);
	}
	for (tries = 0; tries < STORE_RETRIES; tries++) {
		if ((st = store_env_write_begin(s, &txn, err)) != STORE_OK)
			return (st);
		st = store_host_put_txn(s, txn, ips, hosts, n, err);
		if (st != STORE_OK)
			(void)store_env_write_end(s, txn, false, NULL);
		else
			st = store_env_write_end(s, txn, true, err);
		if (st != STORE_RETRY)
			break;
	}
	return (st);
}

/* The text of a 16-byte key: dotted for a mapped IPv4 address. */
static void
store_host_ip_text(const unsigned char key[16], char out[INET6_ADDRSTRLEN])
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff};

	if (memcmp(key, mapped, 12) == 0)
		inet_ntop(AF_INET, key + 12, out, INET6_ADDRSTRLEN);
	else
		inet_ntop(AF_INET6, key, out, INET6_ADDRSTRLEN);
}

/* Calls fn with the entries of seq from or more, inside txn. */
static enum store_status
store_host_walk(struct store *s, MDB_txn *txn, uint64_t from,
    store_host_fn fn, void *arg, struct store_error *err)
{
	struct store_host h;
	enum store_status st = STORE_OK;
	MDB_cursor *c;
	MDB_val	k, v;
	char	ip[INET6_ADDRSTRLEN];
	int	rc, op = MDB_FIRST;

	if ((rc = mdb_cursor_open(txn, s->dbi[STORE_DB_HOSTS], &c)) != 0)
		return (store_env_fail(s, rc, "hosts", err));
	while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
		op = MDB_NEXT;
		if (k.mv_size != 16 || store_host_decode(v.mv_data, v.mv_size,
		    &h) != 0)
			continue;	/* a later version's entry: skip it */
		if (h.seq < from)
			continue;
		store_host_ip_text(k.mv_data, ip);
		if (fn(arg, ip, &h) != 0) {
			st = STORE_STOPPED;
			break;
		}
	}
	if (st == STORE_OK && rc != MDB_NOTFOUND)
		st = store_env_fail(s, rc, "hosts", err);
	mdb_cursor_close(c);
	return (st);
}

enum store_status
store_host_each(struct store *s, store_host_fn fn, void *arg,
    struct store_error *err)
{
	enum store_status st;
	MDB_txn *txn;

	if (!s->has_hosts)
		return (STORE_OK);
	if ((st = store_env_read_begin(s, &txn, err)) != STORE_OK)
		return (st);
	st = store_host_walk(s, txn, 0, fn, arg, err);
	store_env_read_end(s, txn);
	return (st);
}

enum store_status
store_host_changes(struct store *s, uint64_t from, store_host_fn fn,
    void *arg, uint64_t *next, struct store_error *err)
{
	enum store_status st;
	MDB_txn *txn;

	*next = from;
	if (!s->has_hosts)
		return (STORE_OK);
	if ((st = store_env_read_begin(s, &txn, err)) != STORE_OK)
		return (st);
	if ((st = store_id_peek(s, txn, STORE_HOST_SEQ, next, err)) == STORE_OK &&
	    from < *next)
		st = store_host_walk(s, txn, from, fn, arg, err);
	store_env_read_end(s, txn);
	return (st);
}
