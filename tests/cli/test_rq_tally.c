/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	test_rq_tally - a tally that spills counts as one that does not
 * PURPOSE
 *	The same stream of keys (50,000 adds over 20,000 keys, skewed so
 *	that some keys come back across many spills, with keys long enough
 *	to get a block of their own) goes into a tally without a limit and
 *	into ones limited to 1, 7 and 1,000 keys in memory. Every key's
 *	totals, the count of keys and the top rows by two counters must be
 *	the same; a second rq_tally_each() gives the same again. The
 *	expected totals are added up beside the tallies, in a plain array.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rq_tally.h"
#include "rq_top.h"
#include "tap.h"

#define NKEYS	20000
#define NADDS	50000

static uint64_t want[NKEYS][RQ_TALLY_COLS];
static char long_key[40000];

/* The text of key k (a few are very long). */
static const char *
key_text(unsigned k, char *buf, size_t len)
{
	if (k % 5000 == 17) {
		snprintf(long_key, sizeof(long_key), "%u", k);
		memset(long_key + strlen(long_key), 'k', sizeof(long_key) -
		    strlen(long_key) - 1);
		long_key[sizeof(long_key) - 1] = '\0';
		return (long_key);
	}
	snprintf(buf, len, "203.0.%u.%u", k / 256, k % 256);
	return (buf);
}

/* Which key the k-th add touches: every key once, then skewed. */
static unsigned
pick(unsigned i, unsigned *seed)
{
	double	r;

	if (i < NKEYS)
		return (i);
	*seed = *seed * 1103515245u + 12345u;
	r = (double) (*seed >> 8 & 0xffff) / 65536.0;
	return ((unsigned) (NKEYS * r * r * r));
}

static struct rq_tally *
fill(size_t max)
{
	struct rq_tally *t = rq_tally_new();
	unsigned i, k, seed = 42;
	uint64_t *v;
	char	buf[64];
	size_t	j;

	rq_tally_spill(t, max);
	for (i = 0; i < NADDS; i++) {
		k = pick(i, &seed);
		if ((v = rq_tally_get(t, key_text(k, buf, sizeof(buf)))) ==
		    NULL)
			return (NULL);
		for (j = 0; j < RQ_TALLY_COLS; j++)
			v[j] += (k + j) % 11 + (j == 4 ? UINT64_C(1) << 40 : 0);
	}
	return (t);
}

struct check {
	size_t	rows, right, seen[NKEYS];
};

/* The key number of a row's text. */
static long
key_number(const char *key)
{
	unsigned a, b;

	if (sscanf(key, "203.0.%u.%u", &a, &b) == 2)
		return ((long) (a * 256 + b));
	return (strtol(key, NULL, 10));
}

static int
check_row(void *arg, struct rq_tally_row *r)
{
	struct check *c = arg;
	long	k = key_number(r->key);

	c->rows++;
	if (k >= 0 && k < NKEYS && memcmp(r->v, want[k], sizeof(want[k])) ==
	    0 && c->seen[k]++ == 0)
		c->right++;
	return (0);
}

/* The top 25 rows by col as "key=value ..." (static). */
static const char *
top_text(struct rq_tally *t, size_t col)
{
	static char out[4096];
	struct rq_top k;
	size_t	i, at = 0;

	out[0] = '\0';
	rq_top_init(&k, 25, col);
	if (rq_top_tally(&k, t) < 0)
		return ("(failed)");
	rq_top_done(&k);
	for (i = 0; i < k.n && at < sizeof(out); i++)
		at += (size_t) snprintf(out + at, sizeof(out) - at, "%ld=%llu ",
		    key_number(k.v[i].key), (unsigned long long) k.v[i].v[col]);
	if (at < sizeof(out))
		snprintf(out + at, sizeof(out) - at, "of %zu", k.seen);
	rq_top_clear(&k);
	return (out);
}

int
main(void)
{
	static const size_t limits[] = { 1, 7, 1000 };
	static struct check c;
	struct rq_tally *all, *t;
	unsigned i, k, seed = 42, distinct = 0;
	char	top0[4096], top2[4096];
	size_t	j, l, pass;

	for (i = 0; i < NADDS; i++) {
		k = pick(i, &seed);
		for (j = 0; j < RQ_TALLY_COLS; j++)
			want[k][j] += (k + j) % 11 + (j == 4 ? UINT64_C(1) << 40 :
			    0);
	}
	for (k = 0; k < NKEYS; k++)
		distinct += want[k][4] != 0;
	all = fill(0);
	ok(all != NULL, "an unlimited tally is filled");
	is_int((intmax_t) rq_tally_count(all), distinct, "it holds every key");
	snprintf(top0, sizeof(top0), "%s", top_text(all, 0));
	snprintf(top2, sizeof(top2), "%s", top_text(all, 2));
	for (l = 0; l < sizeof(limits) / sizeof(limits[0]); l++) {
		t = fill(limits[l]);
		ok(t != NULL, "a tally of at most %zu keys is filled", limits[l]);
		for (pass = 1; pass <= 2; pass++) {
			memset(&c, 0, sizeof(c));
			ok(rq_tally_each(t, check_row, &c) == 0,
			    "limit %zu, pass %zu: every row is read back",
			    limits[l], pass);
			is_int((intmax_t) c.rows, distinct, "one row per key");
			is_int((intmax_t) c.right, distinct,
			    "each key once, with its exact totals");
			is_int((intmax_t) rq_tally_count(t), distinct,
			    "the count of keys");
		}
		is_str(top_text(t, 0), top0, "the top rows by the first counter");
		is_str(top_text(t, 2), top2, "the top rows by the third counter");
		ok(rq_tally_next(t, &(size_t){ 0 }) == NULL &&
		    rq_tally_sorted(t, 0, &j) == NULL && j == 0,
		    "a tally that spilled is read only through rq_tally_each()");
		rq_tally_free(t);
	}
	rq_tally_free(all);
	return (done_testing());
}
