/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_tally - counters per key in an open-addressing hash table
 * PURPOSE
 *	Keys are compared as bytes; the table doubles when it is half full,
 *	so that a summary over many distinct source IPs stays linear. Each
 *	row keeps its key's hash, so a probe compares bytes only on a likely
 *	match, and keys live in blocks of the tally's, not one allocation
 *	each.
 *
 *	A tally given a limit (rq_tally_spill) holds at most that many keys
 *	in memory: when it is full, its rows are appended to RQ_TALLY_PARTS
 *	temporary files, each key always to the same one (by its hash), and
 *	the table starts empty again. rq_tally_each() then adds up one file
 *	at a time, so every key's total is exact and memory stays that of
 *	the limit (as long as a file's keys fit it, that is up to about
 *	RQ_TALLY_PARTS times the limit distinct keys; past that the table
 *	grows for the file, and still counts right).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fnv1a.h"
#include "rq_tally.h"

#define RQ_TALLY_PARTS	64
#define RQ_TALLY_BLOCK	65536		/* bytes of a block of keys */

struct key_block {
	struct key_block *next;
	size_t	used, cap;
	char	data[];
};

struct rq_tally {
	struct rq_tally_row *slot;	/* key NULL: free */
	size_t	cap;			/* a power of two */
	size_t	n;
	struct key_block *keys;		/* the newest first */
	struct key_block *spare;	/* emptied, for the next keys */
	size_t	max;			/* keys held before spilling; 0: all */
	FILE   *part[RQ_TALLY_PARTS];	/* NULL until spilled */
	int	spilled;
	size_t	distinct;		/* of the last rq_tally_each() */
};

struct rq_tally *
rq_tally_new(void)
{
	struct rq_tally *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return (NULL);
	t->cap = 64;
	if ((t->slot = calloc(t->cap, sizeof(*t->slot))) == NULL) {
		free(t);
		return (NULL);
	}
	return (t);
}

/* Frees every block of keys. */
static void
keys_free(struct rq_tally *t)
{
	struct key_block *b;

	while ((b = t->keys) != NULL) {
		t->keys = b->next;
		free(b);
	}
}

/* Empties the table (keeping its size); the key blocks become spare. */
static void
table_clear(struct rq_tally *t)
{
	struct key_block *b;

	memset(t->slot, 0, t->cap * sizeof(*t->slot));
	t->n = 0;
	while ((b = t->keys) != NULL) {
		t->keys = b->next;
		if (b->cap != RQ_TALLY_BLOCK) {	/* a long key's own */
			free(b);
			continue;
		}
		b->next = t->spare;
		t->spare = b;
	}
}

void
rq_tally_free(struct rq_tally *t)
{
	size_t	i;

	if (t == NULL)
		return;
	keys_free(t);
	t->keys = t->spare;
	keys_free(t);
	for (i = 0; i < RQ_TALLY_PARTS; i++)
		if (t->part[i] != NULL)
			fclose(t->part[i]);
	free(t->slot);
	free(t);
}

void
rq_tally_spill(struct rq_tally *t, size_t max)
{
	t->max = max;
}

size_t
rq_tally_count(const struct rq_tally *t)
{
	return (t->spilled ? t->distinct : t->n);
}

struct rq_tally_row *
rq_tally_next(struct rq_tally *t, size_t *pos)
{
	if (t->spilled)
		return (NULL);
	while (*pos < t->cap)
		if (t->slot[(*pos)++].key != NULL)
			return (&t->slot[*pos - 1]);
	return (NULL);
}

/* The slot of key (hash h), or the free slot where it would go. */
static struct rq_tally_row *
find(struct rq_tally_row *slot, size_t cap, const char *key, uint64_t h)
{
	size_t	i = (size_t) h & (cap - 1);

	while (slot[i].key != NULL && (slot[i].hash != h ||
	    strcmp(slot[i].key, key) != 0))
		i = (i + 1) & (cap - 1);
	return (&slot[i]);
}

/* Doubles the table; 0 or -1 (out of memory, the table unchanged). */
static int
grow(struct rq_tally *t)
{
	struct rq_tally_row *slot;
	size_t	cap = t->cap * 2, i;

	if (cap < t->cap || (slot = calloc(cap, sizeof(*slot))) == NULL)
		return (-1);
	for (i = 0; i < t->cap; i++)
		if (t->slot[i].key != NULL)
			*find(slot, cap, t->slot[i].key, t->slot[i].hash) =
			    t->slot[i];
	free(t->slot);
	t->slot = slot;
	t->cap = cap;
	return (0);
}

/* A copy of key (len bytes and its NUL) among the tally's keys. */
static char *
key_copy(struct rq_tally *t, const char *key, size_t len)
{
	struct key_block *b = t->keys;
	char   *p;

	if (len + 1 > RQ_TALLY_BLOCK / 4) {
		/* A long key gets a block of its own, behind the current. */
		if ((b = malloc(sizeof(*b) + len + 1)) == NULL)
			return (NULL);
		b->used = b->cap = len + 1;
		if (t->keys == NULL) {
			b->next = NULL;
			t->keys = b;
		} else {
			b->next = t->keys->next;
			t->keys->next = b;
		}
		memcpy(b->data, key, len + 1);
		return (b->data);
	}
	if (b == NULL || b->used + len + 1 > b->cap) {
		if ((b = t->spare) != NULL)
			t->spare = b->next;
		else if ((b = malloc(sizeof(*b) + RQ_TALLY_BLOCK)) == NULL)
			return (NULL);
		b->cap = RQ_TALLY_BLOCK;
		b->used = 0;
		b->next = t->keys;
		t->keys = b;
	}
	p = b->data + b->used;
	memcpy(p, key, len + 1);
	b->used += len + 1;
	return (p);
}

/* ---- spilling ---- */

/* A temporary file that is gone once closed; NULL on failure. */
static FILE *
part_open(void)
{
	const char *dir = getenv("TMPDIR");
	char	path[4096];
	FILE   *fp;
	int	fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((size_t) snprintf(path, sizeof(path), "%s/report-query.XXXXXX",
	    dir) >= sizeof(path))
		return (NULL);
	if ((fd = mkstemp(path)) < 0)
		return (NULL);
	unlink(path);
	if ((fp = fdopen(fd, "w+")) == NULL)
		close(fd);
	return (fp);
}

static void
put_varint(FILE *fp, uint64_t v)
{
	while (v >= 0x80) {
		putc_unlocked((int) (v & 0x7f) | 0x80, fp);
		v >>= 7;
	}
	putc_unlocked((int) v, fp);
}

/* Which file a key of hash h goes to (bits the table does not use first). */
static size_t
part_of(uint64_t h)
{
	return ((size_t) (h >> 58) % RQ_TALLY_PARTS);
}

/* Appends every row of the table to its file and empties the table. */
static int
spill(struct rq_tally *t)
{
	struct rq_tally_row *r;
	size_t	i, j, len;
	FILE   *fp;

	for (i = 0; i < t->cap; i++) {
		r = &t->slot[i];
		if (r->key == NULL)
			continue;
		j = part_of(r->hash);
		if (t->part[j] == NULL && (t->part[j] = part_open()) == NULL)
			return (-1);
		fp = t->part[j];
		len = strlen(r->key);
		put_varint(fp, len);
		fwrite(r->key, 1, len, fp);
		for (j = 0; j < RQ_TALLY_COLS; j++)
			put_varint(fp, r->v[j]);
		if (ferror(fp))
			return (-1);
	}
	t->spilled = 1;
	table_clear(t);
	return (0);
}

uint64_t *
rq_tally_get(struct rq_tally *t, const char *key)
{
	struct rq_tally_row *r;
	size_t	len;
	uint64_t h = fnv1a_str(key, &len);

	if (t->n + 1 > t->cap / 2 && (t->max == 0 || t->n < t->max) &&
	    grow(t) < 0)
		return (NULL);
	r = find(t->slot, t->cap, key, h);
	if (r->key == NULL) {
		if (t->max > 0 && t->n >= t->max) {
			if (spill(t) < 0)
				return (NULL);
			r = find(t->slot, t->cap, key, h);
		}
		if ((r->key = key_copy(t, key, len)) == NULL)
			return (NULL);
		r->hash = h;
		memset(r->v, 0, sizeof(r->v));
		t->n++;
	}
	return (r->v);
}

static int
get_varint(FILE *fp, uint64_t *v)
{
	unsigned shift = 0;
	int	c;

	*v = 0;
	while ((c = getc_unlocked(fp)) != EOF && shift < 64) {
		*v |= (uint64_t) (c & 0x7f) << shift;
		if ((c & 0x80) == 0)
			return (0);
		shift += 7;
	}
	return (-1);
}

/* Adds the rows of one file into the (empty) table; 0, 1 at its end, -1. */
static int
merge_row(struct rq_tally *t, FILE *fp, char **buf, size_t *cap)
{
	uint64_t len, v[RQ_TALLY_COLS], *c;
	size_t	j;
	char   *p;

	if (get_varint(fp, &len) < 0)
		return (feof(fp) && !ferror(fp) ? 1 : -1);
	if (len + 1 > *cap) {
		if ((p = realloc(*buf, (size_t) len + 1)) == NULL)
			return (-1);
		*buf = p;
		*cap = (size_t) len + 1;
	}
	if (fread(*buf, 1, (size_t) len, fp) != len)
		return (-1);
	(*buf)[len] = '\0';
	for (j = 0; j < RQ_TALLY_COLS; j++)
		if (get_varint(fp, &v[j]) < 0)
			return (-1);
	if ((c = rq_tally_get(t, *buf)) == NULL)
		return (-1);
	for (j = 0; j < RQ_TALLY_COLS; j++)
		c[j] += v[j];
	return (0);
}

/* Calls fn with each row of the table; 0 or fn's non-zero. */
static int
each_row(struct rq_tally *t, rq_tally_fn *fn, void *arg)
{
	size_t	i;
	int	rc;

	for (i = 0; i < t->cap; i++)
		if (t->slot[i].key != NULL && (rc = fn(arg, &t->slot[i])) != 0)
			return (rc);
	return (0);
}

int
rq_tally_each(struct rq_tally *t, rq_tally_fn *fn, void *arg)
{
	size_t	i, max = t->max, cap = 0;
	char   *buf = NULL;
	int	rc = 0, m;

	if (!t->spilled)
		return (each_row(t, fn, arg));
	if (t->n > 0 && spill(t) < 0)
		return (-1);
	t->max = 0;			/* a file's keys all stay in memory */
	t->distinct = 0;
	for (i = 0; i < RQ_TALLY_PARTS && rc == 0; i++) {
		if (t->part[i] == NULL)
			continue;
		if (fflush(t->part[i]) != 0 || fseek(t->part[i], 0,
		    SEEK_SET) != 0) {
			rc = -1;
			break;
		}
		while ((m = merge_row(t, t->part[i], &buf, &cap)) == 0)
			;
		if (m < 0)
			rc = -1;
		else {
			t->distinct += t->n;
			rc = each_row(t, fn, arg);
		}
		table_clear(t);
		/* Appends go at the end again (a later spill, if any). */
		if (fseek(t->part[i], 0, SEEK_END) != 0 && rc == 0)
			rc = -1;
	}
	t->max = max;
	free(buf);
	return (rc);
}

static size_t sort_col;		/* qsort has no argument for it */

static int
by_col(const void *a, const void *b)
{
	const struct rq_tally_row *x = *(const struct rq_tally_row *const *) a;
	const struct rq_tally_row *y = *(const struct rq_tally_row *const *) b;

	if (x->v[sort_col] != y->v[sort_col])
		return (x->v[sort_col] > y->v[sort_col] ? -1 : 1);
	return (strcmp(x->key, y->key));
}

struct rq_tally_row **
rq_tally_sorted(struct rq_tally *t, size_t col, size_t *n)
{
	struct rq_tally_row **v;
	size_t	i, j;

	*n = 0;
	if (t->spilled || t->n == 0 || (v = malloc(t->n * sizeof(*v))) ==
	    NULL)
		return (NULL);
	for (i = j = 0; i < t->cap; i++)
		if (t->slot[i].key != NULL)
			v[j++] = &t->slot[i];
	sort_col = col < RQ_TALLY_COLS ? col : 0;
	qsort(v, j, sizeof(*v), by_col);
	*n = j;
	return (v);
}
