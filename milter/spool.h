/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	spool.h - one message as the MTA hands it over, in bounded memory
 * PURPOSE
 *	The milter gathers a report mail (headers rebuilt as received, then
 *	the body) before it calls the ingest path at end of message. A spool
 *	keeps up to mem_limit bytes in memory, then moves to an unlinked
 *	temporary file, which spool_map() maps for reading; past max_bytes
 *	it drops what it holds and only counts (the mail is let through
 *	untouched). One spool belongs to one message and one thread at a
 *	time.
 */
#ifndef SPOOL_H
#define SPOOL_H

#include <stdbool.h>
#include <stddef.h>

enum spool_status {
	SPOOL_OK = 0,
	SPOOL_TOO_BIG,		/* past max_bytes: nothing is kept any more */
	SPOOL_NOMEM,
	SPOOL_IO		/* the temporary file failed (err says why) */
};

struct spool;

/*
 * A new empty spool; NULL when out of memory. max_bytes 0: no limit.
 * tmpdir (borrowed, kept) is where the file goes past mem_limit.
 */
struct spool *spool_new(size_t mem_limit, size_t max_bytes,
    const char *tmpdir);

/*
 * Appends data[0..len). Returns SPOOL_OK, SPOOL_TOO_BIG (also for every
 * call after the first), SPOOL_NOMEM or SPOOL_IO; after an error the
 * spool stays in that state.
 */
enum spool_status spool_add(struct spool *, const void *data, size_t len);

/*
 * Appends the header line "name:value\r\n". Line breaks inside a folded
 * value become CRLF. When lead_space is false (the MTA stripped the
 * space after the colon) one space is put back. Statuses as spool_add().
 */
enum spool_status spool_add_header(struct spool *, const char *name,
    const char *value, bool lead_space);

/*
 * Everything appended, readable at *data (valid until spool_free()).
 * Returns SPOOL_OK, or the spool's error, or SPOOL_IO when mapping fails.
 */
enum spool_status spool_map(struct spool *, const char **data, size_t *len);

/*
 * Why the spool failed (SPOOL_IO, SPOOL_NOMEM), for the log and the
 * reply; "" when it did not.
 */
const char *spool_error(const struct spool *);

/* Bytes offered so far, also those dropped past max_bytes. */
size_t	spool_size(const struct spool *);

/* True once the data lives in a temporary file. */
bool	spool_on_disk(const struct spool *);

/* Frees the memory, closes (and so deletes) the file; NULL is fine. */
void	spool_free(struct spool *);

#endif
