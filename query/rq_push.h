/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_push.h - report-query push: what its files share
 * PURPOSE
 *	rq_push.c is the verb: it finds what changed in the store since the
 *	destination's cursor and sends it in batches, one transaction each.
 *	rq_push_report.c sends one report: the type's row and its child rows
 *	when the report's key is new (rq_push_dmarc.c, rq_push_tls.c,
 *	rq_push_arf.c), then the host's row, and a conflict row when the key
 *	is known with other content. Every value travels as a query
 *	parameter or as COPY data, never inside SQL text.
 */
#ifndef RQ_PUSH_H
#define RQ_PUSH_H

#include <stdint.h>

#include <libpq-fe.h>

#include "record.h"
#include "sha256.h"
#include "store.h"

struct rq_push {
	const char *verb;
	PGconn *pg;
	struct store *s;
	const char *host;	/* this host's name in report_host */
	uint64_t reports;	/* reports sent (new, repeats, conflicts) */
	uint64_t added;		/* ... of which the database had not had */
	uint64_t records;	/* DMARC records added */
	uint64_t conflicts;	/* keys known with other content (new ones) */
};

/* One report on its way. */
struct rq_push_item {
	struct external_report *x;	/* owned */
	struct store_meta meta;
	char	key[2 * STORE_KEY_LEN + 1];	/* hex digest of the dedup key */
	char   *object;		/* its JSON, as valid UTF-8 (owned) */
	struct sha256 hash;	/* of its content so far */
	char	hash_hex[2 * SHA256_LEN + 1];	/* ... when complete */
	char	row[24];	/* the new row's id; "" when the key was known */
	char	known_hash[2 * SHA256_LEN + 1];	/* the known row's content */
};

/*
 * Reads report id (a change of the store) into *it: 0, 1 when it has
 * gone since (nothing to send), -1 with the reason printed. Clear it
 * with rq_push_item_clear() either way.
 */
int	rq_push_item_load(struct rq_push *p, const char *id,
	    struct rq_push_item *it);
void	rq_push_item_clear(struct rq_push_item *it);

/*
 * Sends a loaded report; the caller holds the transaction open (and
 * sends a transaction's reports in the order of their keys: hosts that
 * push the same reports at once then wait for each other, never in a
 * circle). Returns 0, or -1 with the reason printed.
 */
int	rq_push_report(struct rq_push *p, struct rq_push_item *it);

/*
 * The type's part: adds the report's rows when its key is new (it->row
 * set) or reads the known row's content hash (it->known_hash), and
 * completes it->hash_hex. 0 or -1.
 */
int	rq_push_dmarc(struct rq_push *p, struct rq_push_item *it);
int	rq_push_tls(struct rq_push *p, struct rq_push_item *it);
int	rq_push_arf(struct rq_push *p, struct rq_push_item *it);

/*
 * For the type files: runs an INSERT ... ON CONFLICT (report_key) DO
 * NOTHING RETURNING id (params[0] is the key); when nothing was inserted,
 * reads the known row's content hash from table. 0 or -1.
 */
int	rq_push_insert(struct rq_push *p, struct rq_push_item *it,
	    const char *table, const char *sql, int n,
	    const char *const *params);

/* Hex of n bytes into out (2n + 1 bytes). */
void	rq_push_hex(const unsigned char *b, size_t n, char *out);

/* Completes it->hash into it->hash_hex. */
void	rq_push_hash_done(struct rq_push_item *it);

#endif
