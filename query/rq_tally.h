/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_tally.h - counters per key (domain, IP, reporter, ...)
 * PURPOSE
 *	The summary adds figures up per key: a hash table of keys, each with
 *	RQ_TALLY_COLS counters, and a sorted listing of it. Pure: no store,
 *	no output.
 */
#ifndef RQ_TALLY_H
#define RQ_TALLY_H

#include <stddef.h>
#include <stdint.h>

/* Four for the summary's tables; report-query html keeps a fifth per source. */
#define RQ_TALLY_COLS	5

struct rq_tally_row {
	char   *key;			/* owned by the tally */
	uint64_t v[RQ_TALLY_COLS];
	uint64_t hash;			/* the key's, the tally's own */
};

struct rq_tally;

/* A new empty tally (rq_tally_free()); NULL when out of memory. */
struct rq_tally *rq_tally_new(void);

/* Frees the tally and every key; NULL is fine. */
void	rq_tally_free(struct rq_tally *);

/*
 * The counters of key (copied in the first time it is seen, zeroed).
 * The pointer stays valid until the next rq_tally_get() or rq_tally_free().
 * NULL when out of memory or a spill cannot be written.
 */
uint64_t *rq_tally_get(struct rq_tally *, const char *key);

/*
 * Holds at most max keys in memory (0: no limit, the default): past
 * that, rows go to temporary files in $TMPDIR (else /tmp), to be added
 * up by rq_tally_each(). Set it before the first rq_tally_get(). A
 * tally that spilled can only be read through rq_tally_each(), and takes
 * no rq_tally_get() after it.
 */
void	rq_tally_spill(struct rq_tally *, size_t max);

/*
 * Calls fn(arg, row) once with each key's total, in no order; the row
 * is borrowed for the call. Returns 0, fn's non-zero, or -1 when out of
 * memory or a temporary file cannot be read or written.
 */
typedef int rq_tally_fn(void *arg, struct rq_tally_row *row);
int	rq_tally_each(struct rq_tally *, rq_tally_fn *fn, void *arg);

/*
 * The rows one after another, in no order: start with *pos 0; NULL after
 * the last. The tally must not change meanwhile. Not for a tally that
 * spilled (NULL at once).
 */
struct rq_tally_row *rq_tally_next(struct rq_tally *, size_t *pos);

/*
 * How many keys the tally holds (one that spilled: as its last
 * rq_tally_each() counted them).
 */
size_t	rq_tally_count(const struct rq_tally *);

/*
 * The rows sorted by counter col, largest first, then by key. The array
 * is the caller's (free() it, not the rows: they stay the tally's).
 * NULL when out of memory, or when the tally is empty or spilled (*n is
 * 0).
 */
struct rq_tally_row **rq_tally_sorted(struct rq_tally *, size_t col,
    size_t *n);

#endif
