/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_hosts - the store's host entries, each read once per command
 * PURPOSE
 *	An open-addressing hash table keyed by the address's 16 bytes (IPv4
 *	mapped into IPv6), so that two spellings of one address share a
 *	slot. A slot remembers a miss as well as an entry: a source the
 *	store does not know is not asked for again.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fnv1a.h"
#include "rq_hosts.h"

struct slot {
	unsigned char ip[16];
	int	used;
	struct store_host *h;		/* owned; NULL: the store has none */
};

struct rq_hosts {
	struct store *s;		/* borrowed */
	struct slot *v;
	size_t	cap, n;			/* cap: a power of two, or 0 */
	size_t	reads;
};

struct rq_hosts *
rq_hosts_new(struct store *s)
{
	struct rq_hosts *c;

	if ((c = calloc(1, sizeof(*c))) != NULL)
		c->s = s;
	return (c);
}

void
rq_hosts_free(struct rq_hosts *c)
{
	size_t	i;

	if (c == NULL)
		return;
	for (i = 0; i < c->cap; i++)
		free(c->v[i].h);
	free(c->v);
	free(c);
}

size_t
rq_hosts_reads(const struct rq_hosts *c)
{
	return (c->reads);
}

/* FNV-1a over the 16 bytes, folded. */
static size_t
hash(const unsigned char ip[16])
{
	uint64_t h = fnv1a_bytes(ip, 16);

	return ((size_t) (h ^ (h >> 32)));
}

/* The slot of ip, or the free slot where it goes. */
static struct slot *
find(struct slot *v, size_t cap, const unsigned char ip[16])
{
	size_t	i = hash(ip) & (cap - 1);

	while (v[i].used && memcmp(v[i].ip, ip, 16) != 0)
		i = (i + 1) & (cap - 1);
	return (&v[i]);
}

/* Doubles the table; 0, or -1 when out of memory (the table is unchanged). */
static int
grow(struct rq_hosts *c)
{
	size_t	cap = c->cap ? c->cap * 2 : 64, i;
	struct slot *v;

	if (cap > SIZE_MAX / sizeof(*v) || (v = calloc(cap, sizeof(*v))) ==
	    NULL)
		return (-1);
	for (i = 0; i < c->cap; i++)
		if (c->v[i].used)
			*find(v, cap, c->v[i].ip) = c->v[i];
	free(c->v);
	c->v = v;
	c->cap = cap;
	return (0);
}

/* The address text as 16 bytes; -1 when it is none. */
static int
key(const char *text, unsigned char ip[16])
{
	memset(ip, 0, 16);
	if (inet_pton(AF_INET, text, ip + 12) == 1) {
		ip[10] = ip[11] = 0xff;
		return (0);
	}
	return (inet_pton(AF_INET6, text, ip) == 1 ? 0 : -1);
}

enum store_status
rq_hosts_get(struct rq_hosts *c, const char *ip,
    const struct store_host **out, struct store_error *err)
{
	unsigned char k[16];
	struct store_host *h;
	struct slot *sl;
	enum store_status st;

	*out = NULL;
	if (ip == NULL || key(ip, k) < 0)
		return (STORE_OK);	/* no address: the store has no entry */
	if (c->cap > 0 && (sl = find(c->v, c->cap, k))->used) {
		*out = sl->h;
		return (STORE_OK);
	}
	if ((c->n + 1) * 2 > c->cap && grow(c) < 0)
		return (STORE_NOMEM);
	if ((h = malloc(sizeof(*h))) == NULL)
		return (STORE_NOMEM);
	c->reads++;
	st = store_host_get(c->s, ip, h, err);
	if (st == STORE_NOTFOUND || st == STORE_CORRUPT) {
		free(h);
		h = NULL;
	} else if (st != STORE_OK) {
		free(h);
		return (st);
	}
	sl = find(c->v, c->cap, k);
	memcpy(sl->ip, k, 16);
	sl->used = 1;
	sl->h = h;
	c->n++;
	*out = h;
	return (STORE_OK);
}
