/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	ingest.h - the one path from a report mail to the store
 * PURPOSE
 *	report-milter (at the end of a message) and report-query import
 *	(for each message or file) call ingest_message(): the bytes go
 *	through the parsers (extract.h), every report found is stamped with
 *	the mail's from, subject, to, receivedAt and expiresAt and written
 *	in one write transaction of the store: all reports of the message or
 *	none. DMARC records are written as they stream from the parser, so a
 *	report of any size is stored in bounded memory.
 *
 *	A message with a report part that could not be parsed is kept raw
 *	in the quarantine (cut at the cap), with the reason, in the same
 *	transaction; the reports of its other parts are stored as usual.
 *
 *	Whether the report mail was authenticated (authres.h, with the
 *	authserv-ids that the options trust) is stored with each report.
 *	With o->unauthenticated other than INGEST_UNAUTH_ACCEPT, the reports
 *	of a mail that was not (no trusted field, or no aligned DKIM pass)
 *	are not stored: the message is quarantined, or only counted.
 *
 *	When the store cannot write (limit reached, disk full, read-only,
 *	I/O error, out of memory) nothing at all is written and the outcome
 *	is INGEST_TEMPFAIL: the caller must make the sender retry. A report
 *	is never silently dropped.
 */
#ifndef INGEST_H
#define INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "parse.h"
#include "store.h"

enum ingest_status {
	INGEST_STORED = 0,	/* at least one report was stored */
	INGEST_DUPLICATE,	/* every report in it was kept already */
	INGEST_NOT_REPORT,	/* nothing in it looks like a report */
	INGEST_UNPARSABLE,	/* report parts, none usable: quarantined (an
				   exported object: not stored, see below) */
	INGEST_TEMPFAIL,	/* the store could not write: nothing written */
	INGEST_UNAUTHENTICATED	/* reports in a mail not authenticated, with
				   o->unauthenticated set: none stored (the
				   message quarantined when res->qid is set) */
};

/* What becomes of the reports of a mail that was not authenticated. */
enum ingest_unauth {
	INGEST_UNAUTH_ACCEPT = 0,	/* stored, "@authenticated" false/null */
	INGEST_UNAUTH_QUARANTINE,	/* the message goes to the quarantine */
	INGEST_UNAUTH_REFUSE		/* not stored at all */
};

/* What the MTA knows of the message (every member may be NULL/0). */
struct ingest_envelope {
	const char *sender;		/* MAIL FROM, without <> */
	const char *const *rcpts;	/* RCPT TO (or ORCPT), without <> */
	size_t	n_rcpts;
	const char *client_addr;	/* the SMTP client's address */
	const char *queue_id;		/* the MTA's queue id, or a file name */
	int64_t	received_at;		/* seconds since the epoch; 0: now */
	uint64_t pending_id;		/* the store_pending entry the message
					   is, removed in the commit of what
					   is parsed from it; 0: none */
};

/* How long a report is kept by default, as Stalwart keeps it. */
#define INGEST_HOLD_DAYS	30

struct ingest_options {
	int64_t	hold_seconds;		/* expiresAt = receivedAt + this */
	size_t	quarantine_bytes;	/* raw message kept at most */
	unsigned retries;		/* writes begun again after STORE_RETRY */
	struct parse_limits limits;	/* the parsers' caps */
	const char *const *trusted;	/* authserv-ids trusted (authres.h);
					   borrowed, NULL when n_trusted 0 */
	size_t	n_trusted;
	enum ingest_unauth unauthenticated;
};

/*
 * Fills *o with the defaults: a hold of 30 days (as Stalwart), 10 MiB of
 * quarantined message, 8 retries, parse_limits_default(), no trusted
 * authserv-id and INGEST_UNAUTH_ACCEPT.
 */
void	ingest_options_default(struct ingest_options *o);

struct ingest_result {
	enum ingest_status status;
	unsigned stored[4];	/* reports stored, by enum record_type */
	unsigned duplicates;	/* reports that were kept already */
	unsigned failed;	/* report parts that could not be parsed */
	unsigned held;		/* reports not stored: not authenticated */
	enum record_auth authenticated;	/* what the mail's headers said */
	char	first_id[16];	/* id of the first report stored or matched; "" */
	char	qid[16];	/* quarantine entry written, "" when none */
	char	reason[512];	/* why (failed parts, tempfail), "" when none */
	uint64_t batch;		/* 0: durable on return; else, while the
				   store runs a batch (store_batch_start),
				   the ticket of the commit that makes it
				   durable: nothing of it is stored before
				   store_batch_done() says so */
	enum store_status cause;	/* INGEST_TEMPFAIL: the store's status
					   (STORE_FULL, STORE_IO, ...) */
};

/*
 * Ingests the message data[0..len) (an e-mail, or a bare report file:
 * then from, subject and to come from the envelope). env and o are
 * borrowed; *res is overwritten. Returns res->status.
 *
 * from is the address of From: (else the envelope sender), subject the
 * decoded Subject:, to the addresses of To: (else the envelope
 * recipients).
 */
enum ingest_status ingest_message(struct store *, const char *data, size_t len,
    const struct ingest_envelope *env, const struct ingest_options *o,
    struct ingest_result *res);

/*
 * Stores one External report read back from exported JSON (x borrowed,
 * its id replaced by the store's), in a write transaction of its own, with
 * the same retry and dedup as ingest_message(). seen (NULL: none) holds
 * the duplicate count and last-seen time the export gave it: a report
 * new to the store keeps them; a repeat counts once more, as any repeat.
 * records (NULL: none) is the JSON text of a DMARC report's records
 * array, records[0..rlen), read and written a batch at a time beside
 * the records x holds: a report of any size is stored in bounded memory.
 * Returns INGEST_STORED, INGEST_DUPLICATE, INGEST_UNPARSABLE (a record
 * does not read: nothing is stored, nor quarantined) or INGEST_TEMPFAIL
 * (res->reason says why).
 */
enum ingest_status ingest_external(struct store *, struct external_report *x,
    const struct store_meta *seen, const char *records, size_t rlen,
    const struct ingest_options *o, struct ingest_result *res);

/*
 * Sets the C library allocator for ingest's pattern (a few
 * hundred KB taken and given back per message, by many threads; see
 * ingest_malloc.c). A program that ingests calls it once, first thing
 * in main(), before any thread starts.
 */
void	ingest_tune_malloc(void);

/*
 * "stored", "duplicate", "not a report", "unparsable", "tempfail",
 * "unauthenticated".
 */
const char *ingest_status_name(enum ingest_status);

#endif
