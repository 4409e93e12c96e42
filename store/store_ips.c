/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_ips - every distinct source IP the store holds
 * PURPOSE
 *	Reads the IP index in one read txn: the 'P' keys (TLS sending MTAs
 *	and receiving IPs, ARF sources) and the 'p' values that hold the
 *	distinct record IPs of each DMARC report (store_index.c). The
 *	addresses are gathered, sorted and made unique before the caller
 *	sees them, outside the txn, so that its callback may write.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

struct store_ips_list {
	unsigned char (*a)[16];
	size_t	n, cap;
};

static int
store_ips_push(struct store_ips_list *l, const unsigned char *ip)
{
	void   *p;
	size_t	cap;

	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 1024;
		if (cap > SIZE_MAX / 16 || (p = realloc(l->a, cap * 16)) == NULL)
			return (-1);
		l->a = p;
		l->cap = cap;
	}
	memcpy(l->a[l->n++], ip, 16);
	return (0);
}

static int
store_ips_cmp(const void *a, const void *b)
{
	return (memcmp(a, b, 16));
}

/* Gathers the addresses of the index into l inside txn. */
static enum store_status
store_ips_read(struct store *s, MDB_txn *txn, struct store_ips_list *l,
    struct store_error *err)
{
	unsigned char lo = STORE_IDX_IP;
	const unsigned char *p;
	MDB_cursor *c;
	MDB_val	k = {1, &lo}, v;
	size_t	i;
	int	rc, op = MDB_SET_RANGE;

	if ((rc = mdb_cursor_open(txn, s->dbi[STORE_DB_INDEX], &c)) != 0)
		return (store_env_fail(s, rc, "index", err));
	while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
		op = MDB_NEXT;
		p = k.mv_data;
		if (p[0] == STORE_IDX_IP && k.mv_size == 25) {
			if (store_ips_push(l, p + 1) < 0)
				goto nomem;
		} else if (p[0] == STORE_IPSET_KIND && k.mv_size == 9) {
			for (i = 0; i + 16 <= v.mv_size; i += 16)
				if (store_ips_push(l,
				    (const unsigned char *)v.mv_data + i) < 0)
					goto nomem;
		} else if (p[0] > STORE_IPSET_KIND) {
			break;
		} else if (p[0] > STORE_IDX_IP && p[0] < STORE_IPSET_KIND) {
			/* Skip the kinds between the two. */
			lo = STORE_IPSET_KIND;
			k.mv_size = 1;
			k.mv_data = &lo;
			op = MDB_SET_RANGE;
		}
	}
	mdb_cursor_close(c);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return (store_env_fail(s, rc, "index", err));
	return (STORE_OK);
nomem:
	mdb_cursor_close(c);
	store_env_reason(err, "store %s: source IPs: out of memory", s->dir);
	return (STORE_NOMEM);
}

enum store_status
store_ips_each(struct store *s, store_ips_fn fn, void *arg,
    struct store_error *err)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff};
	struct store_ips_list l = {NULL, 0, 0};
	enum store_status st;
	MDB_txn *txn;
	char	text[INET6_ADDRSTRLEN];
	size_t	i;

	if ((st = store_env_read_begin(s, &txn, err)) != STORE_OK)
		return (st);
	st = store_ips_read(s, txn, &l, err);
	store_env_read_end(s, txn);
	if (st == STORE_OK && l.n > 0)
		qsort(l.a, l.n, 16, store_ips_cmp);
	for (i = 0; st == STORE_OK && i < l.n; i++) {
		if (i > 0 && memcmp(l.a[i], l.a[i - 1], 16) == 0)
			continue;
		if (memcmp(l.a[i], mapped, 12) == 0)
			inet_ntop(AF_INET, l.a[i] + 12, text, sizeof(text));
		else
			inet_ntop(AF_INET6, l.a[i], text, sizeof(text));
		if (fn(arg, text) != 0)
			st = STORE_STOPPED;
	}
	free(l.a);
	return (st);
}
