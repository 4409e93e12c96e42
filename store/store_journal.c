/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_journal - report mail kept pending with one disk flush
 * PURPOSE
 *	A durable LMDB commit waits for the disk twice (the data pages,
 *	then the meta page), and it queues behind every other write of the
 *	store, the parse of earlier mail included. DeferParse keeps a mail
 *	before the MTA is answered, so that wait is in every SMTP
 *	transaction. The journal is a file of its own beside the store,
 *	written once to its full size (zeros) when it is made, so that
 *	putting a mail is one write over blocks the file already has and
 *	one fdatasync() that flushes data alone: one wait, shared with no
 *	other writer. When it has no room left, or cannot be used, mail is
 *	kept in the pending database as before (store_pending.c).
 *
 *	  "pending.journal": page 0 a header ("report-milter journal 1\n"),
 *	  then records, each at a page boundary (a torn write can only
 *	  damage the record written, never one acknowledged before it):
 *	    0   'R' 'M' 'J' '1'
 *	    4   length of the value, 4 bytes big-endian
 *	    8   sequence number, 8 bytes
 *	    16  CRC-32 of the value, then of bytes 4 to 15
 *	    20  the value: the encoding of store_pending.c
 *
 *	The records from the start of the file whose sequence numbers run
 *	on by one, each with its CRC right, are the journal; the first that
 *	is not ends it. Ingest writes, in the commit of the reports parsed
 *	from a record, its sequence number as the meta key "journal"
 *	(store_write_pending_done()), so the records at or below it are done
 *	whatever happens after. Once every record is done the next is
 *	written at the start again; what stays behind it is older, so its
 *	numbers do not run on and it is never read again. A process holds
 *	the journal under flock(); another one on the same store keeps its
 *	mail in the database.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "store_impl.h"
#include "zbuf.h"

#define JOURNAL_NAME	"pending.journal"
#define JOURNAL_PAGE	4096
#define JOURNAL_START	JOURNAL_PAGE	/* the first record */
#define JOURNAL_HEAD	20		/* a record's header */
#define JOURNAL_FILL	((size_t)1 << 20)	/* zeros written at a time */
static const char journal_magic[4] = { 'R', 'M', 'J', '1' };
static const char journal_banner[] = "report-milter journal 1\n";

/*
 * Records are written in order under the lock, and made durable by
 * fdatasync() outside it: writers that arrive while a flush is under way
 * wait for the next one, which one of them makes for all. A record is
 * acknowledged, and shown to the parsing thread, only once every record
 * before it is durable too: the journal ends at its first bad record.
 */
struct store_journal {
	int	fd;
	pthread_mutex_t lock;		/* all below */
	pthread_cond_t flushed;		/* a flush ended */
	uint64_t size;			/* bytes of the file */
	uint64_t head;			/* the oldest record not done, or tail */
	uint64_t head_seq;		/* its number (next_seq when none) */
	uint64_t tail;			/* where the next record goes */
	uint64_t next_seq;		/* the number of the next record */
	uint64_t durable_seq;		/* records up to this one are on disk */
	bool	flushing;		/* a writer is in fdatasync() */
	bool	broken;			/* a write failed: not used again */
	bool	draining;		/* opened to parse what waits: no puts */
};
/* What walking a journal found. */
struct journal_walk {
	uint64_t head, head_seq, tail, last_seq;
	size_t	waiting;
};

static uint64_t
journal_span(size_t len)
{
	return (((uint64_t)JOURNAL_HEAD + len + JOURNAL_PAGE - 1) /
	    JOURNAL_PAGE * JOURNAL_PAGE);
}

/* A record's CRC-32: its value's, then its header's length and number. */
static uint32_t
journal_crc(uint32_t crc_value, const unsigned char *head)
{
	return (zbuf_crc32(crc_value, head + 4, 12));
}

/* Reads (or writes) len bytes at off; false on an error or a short file. */
static bool
journal_io(int fd, bool write, void *buf, size_t len, uint64_t off)
{
	unsigned char *p = buf;
	ssize_t	n;

	while (len > 0) {
		n = write ? pwrite(fd, p, len, (off_t)off) :
		    pread(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return (false);
		p += n, len -= (size_t)n, off += (uint64_t)n;
	}
	return (true);
}

static bool
journal_read(int fd, void *buf, size_t len, uint64_t off)
{
	return (journal_io(fd, false, buf, len, off));
}

static bool
journal_write(int fd, const void *buf, size_t len, uint64_t off)
{
	return (journal_io(fd, true, (void *)buf, len, off));
}

/*
 * The record at off, when it is one that follows prev (0: the first):
 * its value in *value (malloc'd; NULL when value is NULL), its length in
 * *len, its number in *seq.
 */
static bool
journal_record(int fd, uint64_t size, uint64_t off, uint64_t prev,
    unsigned char **value, size_t *len, uint64_t *seq)
{
	unsigned char h[JOURNAL_HEAD], *v;

	if (off + JOURNAL_HEAD > size || !journal_read(fd, h, sizeof(h), off) ||
	    memcmp(h, journal_magic, 4) != 0)
		return (false);
	*len = store_be32_get(h + 4);
	*seq = store_be64_get(h + 8);
	if (*seq == 0 || (prev != 0 && *seq != prev + 1) ||
	    journal_span(*len) > size - off)
		return (false);
	if ((v = malloc(*len + 1)) == NULL)
		return (false);
	if (!journal_read(fd, v, *len, off + JOURNAL_HEAD) ||
	    journal_crc(zbuf_crc32(0, v, *len), h) !=
	    store_be32_get(h + 16)) {
		free(v);
		return (false);
	}
	if (value != NULL)
		*value = v;
	else
		free(v);
	return (true);
}

/* Walks the journal in fd; records numbered up to applied are done. */
static void
journal_walk(int fd, uint64_t size, uint64_t applied, struct journal_walk *w)
{
	uint64_t off = JOURNAL_START, seq, prev = 0;
	size_t	len;

	memset(w, 0, sizeof(*w));
	w->head = w->tail = JOURNAL_START;
	while (journal_record(fd, size, off, prev, NULL, &len, &seq)) {
		if (seq > applied && w->waiting++ == 0) {
			w->head = off;
			w->head_seq = seq;
		}
		off += journal_span(len);
		prev = w->last_seq = seq;
	}
	w->tail = off;
	if (w->waiting == 0)
		w->head = w->tail;
}

/* The meta key "journal" in txn: the last record done (0: none). */
static enum store_status
journal_applied(struct store *s, MDB_txn *txn, uint64_t *seq,
    struct store_error *err)
{
	MDB_val	k = {7, (void *)"journal"}, v;
	int	rc;

	*seq = 0;
	rc = mdb_get(txn, s->dbi[STORE_DB_META], &k, &v);
	if (rc == 0 && v.mv_size == 8)
		*seq = store_be64_get(v.mv_data);
	else if (rc == 0) {
		store_env_reason(err, "store %s: the journal's mark is damaged",
		    s->dir);
		return (STORE_CORRUPT);
	} else if (rc != MDB_NOTFOUND)
		return (store_env_fail(s, rc, "journal", err));
	return (STORE_OK);
}

static enum store_status
journal_applied_now(struct store *s, uint64_t *seq, struct store_error *err)
{
	enum store_status st;
	MDB_txn *txn;

	if ((st = store_env_read_begin(s, &txn, err)) != STORE_OK)
		return (st);
	st = journal_applied(s, txn, seq, err);
	store_env_read_end(s, txn);
	return (st);
}

/* Makes fd's file size bytes long, the new part written with zeros. */
static bool
journal_fill(int fd, uint64_t from, uint64_t size)
{
	unsigned char *zero;
	size_t	n;
	bool	ok = true;

	if ((zero = calloc(1, JOURNAL_FILL)) == NULL)
		return (false);
	for (; ok && from < size; from += n) {
		n = size - from < JOURNAL_FILL ? (size_t)(size - from) :
		    JOURNAL_FILL;
		ok = journal_write(fd, zero, n, from);
	}
	free(zero);
	return (ok);
}

/* Makes the new journal's name durable: fsync() of the store's directory. */
static bool
journal_sync_dir(struct store *s)
{
	int	fd, rc;

	if ((fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return (false);
	rc = fsync(fd);
	close(fd);
	return (rc == 0);
}

static enum store_status
journal_fail(struct store *s, const char *what, struct store_error *err)
{
	store_env_reason(err, "store %s: journal: %s: %s", s->dir, what,
	    strerror(errno));
	return (STORE_IO);
}

enum store_status
store_journal_open(struct store *s, uint64_t size, bool drain,
    struct store_error *err)
{
	struct store_journal *j;
	struct journal_walk w;
	struct stat sb;
	char	path[4096], banner[sizeof(journal_banner) - 1];
	uint64_t applied;
	enum store_status st;

	if (s->read_only || s->journal != NULL || (size == 0 && !drain))
		return (STORE_OK);
	if (size > 0 && size < 2 * JOURNAL_PAGE)
		size = 2 * JOURNAL_PAGE;
	size = (size + JOURNAL_PAGE - 1) / JOURNAL_PAGE * JOURNAL_PAGE;
	if ((st = journal_applied_now(s, &applied, err)) != STORE_OK)
		return (st);
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		store_env_reason(err, "store %s: out of memory", s->dir);
		return (STORE_NOMEM);
	}
	snprintf(path, sizeof(path), "%s/%s", s->dir, JOURNAL_NAME);
	if ((j->fd = open(path, O_RDWR | O_CLOEXEC | (size > 0 ? O_CREAT : 0),
	    s->file_mode)) < 0) {
		/* Without a size only a journal that is there is opened. */
		st = size == 0 && errno == ENOENT ? STORE_OK :
		    journal_fail(s, "opening", err);
		free(j);
		return (st);
	}
	if (flock(j->fd, LOCK_EX | LOCK_NB) < 0) {
		/* Another process uses it: this one keeps mail in the database. */
		close(j->fd);
		free(j);
		return (errno == EWOULDBLOCK ? STORE_OK :
		    journal_fail(s, "locking", err));
	}
	if (fstat(j->fd, &sb) < 0) {
		st = journal_fail(s, "reading its size", err);
		goto fail;
	}
	j->size = (uint64_t)sb.st_size;
	if (j->size == 0 && size == 0) {
		st = STORE_OK;		/* nothing was ever kept in it */
		goto fail;
	}
	if (j->size == 0) {
		/* New: the banner first, so a fill cut short is ours to go on. */
		if (!journal_write(j->fd, journal_banner, sizeof(banner), 0) ||
		    !journal_fill(j->fd, sizeof(banner), size) ||
		    !journal_sync_dir(s)) {
			st = journal_fail(s, "making it", err);
			goto fail;
		}
		j->size = size;
	} else if (!journal_read(j->fd, banner, sizeof(banner), 0) ||
	    memcmp(banner, journal_banner, sizeof(banner)) != 0) {
		store_env_reason(err, "store %s: %s is not a journal of "
		    "report-milter", s->dir, JOURNAL_NAME);
		st = STORE_CORRUPT;
		goto fail;
	} else if (j->size < size) {
		if (!journal_fill(j->fd, j->size, size)) {
			st = journal_fail(s, "making it bigger", err);
			goto fail;
		}
		j->size = size;
	}
	j->size = j->size / JOURNAL_PAGE * JOURNAL_PAGE;
	journal_walk(j->fd, j->size, applied, &w);
	if (size == 0 && w.waiting == 0) {
		st = STORE_OK;		/* nothing to parse: let it be */
		goto fail;
	}
	if (fsync(j->fd) < 0) {
		st = journal_fail(s, "flushing it", err);
		goto fail;
	}
	j->draining = size == 0;
	j->tail = w.tail;
	j->next_seq = (w.last_seq > applied ? w.last_seq : applied) + 1;
	j->durable_seq = j->next_seq - 1;
	j->head = w.head;
	j->head_seq = w.waiting > 0 ? w.head_seq : j->next_seq;
	if (w.waiting == 0)
		j->head = j->tail = JOURNAL_START;
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->flushed, NULL);
	s->journal = j;
	return (STORE_OK);
fail:
	close(j->fd);
	free(j);
	return (st);
}

void
store_journal_close(struct store *s)
{
	struct store_journal *j = s->journal;

	if (j == NULL)
		return;
	close(j->fd);		/* the lock goes with it */
	pthread_cond_destroy(&j->flushed);
	pthread_mutex_destroy(&j->lock);
	free(j);
	s->journal = NULL;
}

/*
 * A write or a flush failed: what reached the disk is not known, so the
 * journal is not used again and mail goes to the database (with j->lock
 * held). Should a record written then be read at the next start, its
 * reports are duplicates of the ones stored from the database, and
 * counted so.
 */
static enum store_status
journal_broken(struct store *s, struct store_journal *j, const char *what,
    struct store_error *err)
{
	j->broken = true;
	(void)journal_fail(s, what, err);
	return (STORE_FULL);
}

enum store_status
store_journal_put(struct store *s, const struct store_pending *p, size_t len,
    uint64_t *id, struct store_error *err)
{
	struct store_journal *j = s->journal;
	unsigned char *rec;
	enum store_status st = STORE_OK;
	uint64_t span = journal_span(len), seq, upto;
	uint32_t crc_value;
	int	rc;

	/* j->size and j->draining are set at open; j->broken is read under
	 * the lock below. */
	if (j == NULL || j->draining || span > j->size - JOURNAL_START)
		return (STORE_FULL);
	/* The record is made outside the lock; its number inside. */
	if ((rec = calloc(1, (size_t)span)) == NULL)
		return (STORE_FULL);
	memcpy(rec, journal_magic, 4);
	store_be32_put(rec + 4, (uint32_t)len);
	store_pending_fill(p, rec + JOURNAL_HEAD);
	crc_value = zbuf_crc32(0, rec + JOURNAL_HEAD, len);
	pthread_mutex_lock(&j->lock);
	if (j->broken || j->tail + span > j->size) {
		pthread_mutex_unlock(&j->lock);
		free(rec);
		return (STORE_FULL);
	}
	seq = j->next_seq;
	store_be64_put(rec + 8, seq);
	store_be32_put(rec + 16, journal_crc(crc_value, rec));
	if (!journal_write(j->fd, rec, (size_t)span, j->tail)) {
		st = journal_broken(s, j, "writing", err);
		goto out;
	}
	j->tail += span;
	j->next_seq++;
	while (j->durable_seq < seq && !j->broken) {
		if (j->flushing) {
			pthread_cond_wait(&j->flushed, &j->lock);
			continue;
		}
		/* This writer flushes for everyone written so far. */
		j->flushing = true;
		upto = j->next_seq - 1;
		pthread_mutex_unlock(&j->lock);
		rc = fdatasync(j->fd) < 0 ? errno : 0;
		pthread_mutex_lock(&j->lock);
		j->flushing = false;
		if (rc != 0) {
			errno = rc;	/* its reason, whatever came between */
			(void)journal_broken(s, j, "flushing", err);
		}
		else if (upto > j->durable_seq)
			j->durable_seq = upto;
		pthread_cond_broadcast(&j->flushed);
	}
	if (j->durable_seq >= seq)
		*id = STORE_PENDING_JOURNAL | seq;
	else
		st = STORE_FULL;
out:
	pthread_mutex_unlock(&j->lock);
	free(rec);
	return (st);
}

enum store_status
store_journal_next(struct store *s, uint64_t *id, struct store_pending **out,
    struct store_error *err)
{
	struct store_journal *j = s->journal;
	unsigned char *v;
	uint64_t off, seq, got;
	size_t	len;
	enum store_status st;

	if (j == NULL)
		return (STORE_NOTFOUND);
	pthread_mutex_lock(&j->lock);
	off = j->head;
	seq = j->head_seq;
	got = j->durable_seq;
	pthread_mutex_unlock(&j->lock);
	if (seq > got)
		return (STORE_NOTFOUND);
	/* Records from head on stay as they are until they are done. */
	*id = STORE_PENDING_JOURNAL | seq;
	if (!journal_record(j->fd, j->size, off, seq - 1, &v, &len, &got) ||
	    got != seq) {
		store_env_reason(err, "store %s: journal: pending mail %llu "
		    "cannot be read back", s->dir, (unsigned long long)seq);
		return (STORE_CORRUPT);
	}
	st = store_pending_decode(s, *id, v, len, out, err);
	free(v);
	return (st);
}

void
store_pending_release(struct store *s, uint64_t id)
{
	struct store_journal *j = s->journal;
	unsigned char h[JOURNAL_HEAD];

	if (j == NULL || !(id & STORE_PENDING_JOURNAL))
		return;
	pthread_mutex_lock(&j->lock);
	if ((id & ~STORE_PENDING_JOURNAL) == j->head_seq &&
	    j->head_seq <= j->durable_seq &&
	    journal_read(j->fd, h, sizeof(h), j->head)) {
		j->head += journal_span(store_be32_get(h + 4));
		/* All done, and no writer between its write and its flush. */
		if (++j->head_seq == j->next_seq && !j->flushing)
			j->head = j->tail = JOURNAL_START;
	}
	pthread_mutex_unlock(&j->lock);
}

size_t
store_journal_waiting(struct store *s)
{
	struct store_journal *j = s->journal;
	size_t	n;

	if (j == NULL)
		return (0);
	pthread_mutex_lock(&j->lock);
	n = j->durable_seq >= j->head_seq ?
	    (size_t)(j->durable_seq - j->head_seq + 1) : 0;
	pthread_mutex_unlock(&j->lock);
	return (n);
}

enum store_status
store_journal_count(struct store *s, MDB_txn *txn, uint64_t *n,
    struct store_error *err)
{
	struct journal_walk w;
	struct stat sb;
	char	path[4096];
	uint64_t applied;
	enum store_status st;
	int	fd;

	*n = 0;
	if (s->journal != NULL) {
		*n = store_journal_waiting(s);
		return (STORE_OK);
	}
	snprintf(path, sizeof(path), "%s/%s", s->dir, JOURNAL_NAME);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return (errno == ENOENT ? STORE_OK :
		    journal_fail(s, "opening", err));
	if ((st = journal_applied(s, txn, &applied, err)) == STORE_OK &&
	    fstat(fd, &sb) == 0) {
		journal_walk(fd, (uint64_t)sb.st_size, applied, &w);
		*n = w.waiting;
	}
	close(fd);
	return (st);
}

enum store_status
store_write_journal_done(struct store_write *w, uint64_t id,
    struct store_error *err)
{
	unsigned char buf[8];
	MDB_val	k = {7, (void *)"journal"}, v = {8, buf};
	int	rc;

	if (w->failed != STORE_OK)
		return (store_write_poisoned(w, err));
	store_be64_put(buf, id & ~STORE_PENDING_JOURNAL);
	if ((rc = mdb_put(w->txn, w->s->dbi[STORE_DB_META], &k, &v, 0)) != 0)
		return (store_write_failed(w, store_env_fail(w->s, rc,
		    "noting the parsed mail", err), err));
	return (STORE_OK);
}
