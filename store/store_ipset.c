/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_ipset - the distinct source IPs of one DMARC report
 * PURPOSE
 *	While the records of a report stream into the store, their source
 *	addresses are gathered here, each once, so that the report's IP index
 *	keys can be written with the report. The set is bounded: past
 *	STORE_IPSET_MAX members further addresses are ignored, so a hostile
 *	report cannot make the store hold an unbounded set. Which addresses
 *	are kept depends only on the order of the records, so that deleting
 *	the report, which gathers them again from its chunks, finds the same.
 *
 *	Open addressing with linear probing; the all-zero address marks an
 *	empty slot and is kept as a flag of its own.
 */
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"
#include "fnv1a.h"

static const unsigned char store_ipset_zero[16];

/* FNV-1a over the 16 bytes, folded. */
static size_t
store_ipset_hash(const unsigned char addr[16])
{
	uint64_t h = fnv1a_bytes(addr, 16);

	return ((size_t)(h ^ h >> 32));
}

/* Puts addr into a slot array known to hold a free slot. */
static void
store_ipset_place(unsigned char (*slot)[16], size_t cap,
    const unsigned char addr[16])
{
	size_t	i = store_ipset_hash(addr) & (cap - 1);

	while (memcmp(slot[i], store_ipset_zero, 16) != 0)
		i = (i + 1) & (cap - 1);
	memcpy(slot[i], addr, 16);
}

/* Doubles the slot array, so that at most half the slots are in use. */
static int
store_ipset_grow(struct store_ipset *set)
{
	unsigned char (*slot)[16];
	size_t	cap = set->cap ? set->cap * 2 : 64, i;

	if ((slot = calloc(cap, sizeof(*slot))) == NULL)
		return (-1);
	for (i = 0; i < set->cap; i++)
		if (memcmp(set->slot[i], store_ipset_zero, 16) != 0)
			store_ipset_place(slot, cap, set->slot[i]);
	free(set->slot);
	set->slot = slot;
	set->cap = cap;
	return (0);
}

int
store_ipset_add(struct store_ipset *set, const unsigned char addr[16])
{
	size_t	i;

	if (memcmp(addr, store_ipset_zero, 16) == 0) {
		if (!set->has_zero && set->n < STORE_IPSET_MAX) {
			set->has_zero = true;
			set->n++;
		}
		return (0);
	}
	if (set->cap != 0) {
		i = store_ipset_hash(addr) & (set->cap - 1);
		for (; memcmp(set->slot[i], store_ipset_zero, 16) != 0;
		    i = (i + 1) & (set->cap - 1))
			if (memcmp(set->slot[i], addr, 16) == 0)
				return (0);
	}
	if (set->n >= STORE_IPSET_MAX)
		return (0);
	if ((set->n + 1) * 2 > set->cap && store_ipset_grow(set) < 0)
		return (-1);
	store_ipset_place(set->slot, set->cap, addr);
	set->n++;
	return (0);
}

int
store_ipset_each(const struct store_ipset *set,
    int (*fn)(void *arg, const unsigned char addr[16]), void *arg)
{
	size_t	i;
	int	rc;

	if (set->has_zero && (rc = fn(arg, store_ipset_zero)) != 0)
		return (rc);
	for (i = 0; i < set->cap; i++)
		if (memcmp(set->slot[i], store_ipset_zero, 16) != 0 &&
		    (rc = fn(arg, set->slot[i])) != 0)
			return (rc);
	return (0);
}

void
store_ipset_clear(struct store_ipset *set)
{
	free(set->slot);
	memset(set, 0, sizeof(*set));
}

/* Appends a member to the array being filled (store_ipset_sorted). */
static int
store_ipset_copy(void *arg, const unsigned char addr[16])
{
	unsigned char **p = arg;

	memcpy(*p, addr, 16);
	*p += 16;
	return (0);
}

static int
store_ipset_cmp(const void *a, const void *b)
{
	return (memcmp(a, b, 16));
}

int
store_ipset_sorted(const struct store_ipset *set, unsigned char **out,
    size_t *len)
{
	unsigned char *v, *p;

	*out = NULL;
	*len = 0;
	if (set->n == 0)
		return (0);
	if ((v = malloc(set->n * 16)) == NULL)
		return (-1);
	p = v;
	(void)store_ipset_each(set, store_ipset_copy, &p);
	qsort(v, set->n, 16, store_ipset_cmp);
	*out = v;
	*len = set->n * 16;
	return (0);
}
