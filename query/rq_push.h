/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_push.h - report-query push: what its files share
 * PURPOSE
 *	rq_push.c is the verb: it finds what changed in the store since the
 *	destination's cursor and sends it in batches, one transaction each.
 *	rq_push_report.c sends a batch of reports: the types' rows, the
 *	child rows of those whose keys are new (rq_push_dmarc.c,
 *	rq_push_tls.c, rq_push_arf.c), then the host's rows, and a conflict
 *	row for each key known with other content. rq_push_hosts.c sends the
 *	host entries enrich wrote since the last push, apart from the
 *	reports. Every value travels as a query parameter or as COPY data,
 *	never inside SQL text.
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
	uint64_t hosts;		/* host entries sent */
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
	uint64_t n_records;	/* DMARC: its records ... */
	uint64_t n_messages;	/* ... and their messages */
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
 * Sends a batch of loaded reports; the caller holds the transaction open
 * and sorts items by key (hosts that push the same reports at once then
 * wait for each other, never in a circle). The statements of a step go
 * in one pipeline, the child rows of the whole batch in one COPY per
 * table: a handful of round trips per batch, not per report. Returns 0,
 * or -1 with the reason printed.
 */
int	rq_push_reports(struct rq_push *p, struct rq_push_item *items,
	    size_t n);

/*
 * The type's row: queues its INSERT ... ON CONFLICT (report_key) DO
 * NOTHING RETURNING id into the pipeline (params[0] the key). TLS and ARF
 * complete it->hash_hex first; DMARC sends '' and fills in the hash with
 * rq_push_dmarc_counts() once its records have passed. 0 or -1.
 */
int	rq_push_dmarc_row(struct rq_push *p, struct rq_push_item *it);
int	rq_push_tls_row(struct rq_push *p, struct rq_push_item *it);
int	rq_push_arf_row(struct rq_push *p, struct rq_push_item *it);

/*
 * The child rows of the batch's new reports (it->row set): DMARC records
 * in one COPY (streamed from the store, so that a report of any size
 * goes through in bounded memory), TLS policies and failures in one COPY
 * each. DMARC records of a known key pass through the hash only; every
 * DMARC item gets its hash_hex and counts. 0 or -1.
 */
int	rq_push_dmarc_records(struct rq_push *p, struct rq_push_item *items,
	    size_t n);
int	rq_push_tls_children(struct rq_push *p, struct rq_push_item *items,
	    size_t n);

/* Queues the UPDATE of a new DMARC row's hash and counts. 0 or -1. */
int	rq_push_dmarc_counts(struct rq_push *p, struct rq_push_item *it);

/*
 * Sends the host entries the store wrote since the cursor of that name
 * (every entry the first time) into report_milter.source_host, in a
 * transaction of their own, and moves the cursor once it is committed;
 * nothing new sends nothing. p->hosts counts the entries. Returns 0, or
 * -1 with the reason printed (rolled back: they go next time).
 */
int	rq_push_hosts(struct rq_push *p, const char *cursor);

/* Hex of n bytes into out (2n + 1 bytes). */
void	rq_push_hex(const unsigned char *b, size_t n, char *out);

/* Completes it->hash into it->hash_hex. */
void	rq_push_hash_done(struct rq_push_item *it);

#endif
