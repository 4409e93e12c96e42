/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store.h - the report store: External report objects kept in LMDB
 * PURPOSE
 *	A store is a directory holding one LMDB environment. It keeps the
 *	External report objects of the record model under ids it assigns,
 *	with the indexes the query verbs use, a dedup table so that one
 *	report is kept once, and a quarantine of report mail that could not
 *	be parsed. This file and the store_*.c files behind it are the only
 *	code that includes <lmdb.h>; no LMDB type crosses this interface.
 *
 *	Layout (named databases of one environment):
 *	  meta        "version" -> "1"; "nextid", "nextq" -> counters
 *	  reports     id (8 bytes, big-endian) -> stored header + JSON
 *	              (the External report object as record_json writes
 *	              it; DMARC records are not inside, see records)
 *	  records     id + chunk number (4 bytes) -> one chunk of DMARC
 *	              records (a JSON array of DmarcReportRecord), so that
 *	              a 100,000-record report is written and read in
 *	              bounded memory
 *	  index       kind + value + id -> "" (see enum store_index)
 *	  dedup       SHA-256 of the dedup key -> id
 *	  quarantine  qid (8 bytes) -> reason, envelope and the raw message
	  changes     the order in which reports changed (store_changes())
 *	  hosts       IP (16 bytes, store_key_ip()) -> what report-query
 *	              enrich learnt of it (struct store_host, store_host.c)
 *	  pending     counter (8 bytes) -> a report mail kept raw until it
 *	              is parsed (report-milter's DeferParse; store_pending.c)
 *	Large values are compressed (zlib, through parsers/zbuf.h).
 *
 *	Ids are the receipt counter written in lower-case Crockford base32,
 *	7 characters ("0000001", "000000z", "0000010", ...): short,
 *	printable, unique, and in the order of receipt whether compared as
 *	text or as numbers. An id is never reused.
 *
 *	Dedup keys. DMARC: type, lower-cased org name and e-mail, report
 *	id, lower-cased policy domain, begin and end. TLS: type, lower-cased
 *	organization name, report id, start and end, and every policy
 *	domain. ARF: type, feedback type, the feedback fields that identify
 *	the incident (arrival date, source IP, original mail from and rcpt
 *	to, reported domains and URIs, authentication results) and the
 *	Message-ID of the returned message or headers. A report whose key is
 *	known is not stored again; the kept one counts the repeat and
 *	remembers when it was last seen (struct store_meta). The SHA-256
 *	digest of the key (store_dedup.c) is also the report's key where
 *	report-query push sends it (report_key in PostgreSQL); report-query(1),
 *	DEDUP KEYS, documents the same definition.
 *
 * THREADS
 *	One struct store may be used by many threads at once. Writes are
 *	serialised inside the store; every read and write transaction
 *	begins and ends inside one call (a struct store_write is the one
 *	exception and must be used by one thread, begun and ended inside one
 *	milter callback). Open the store after fork(), never before.
 *
 * STATUSES
 *	Every function returns an enum store_status and, where it can fail,
 *	fills a caller-supplied struct store_error with a reason a
 *	postmaster can read ("store /var/lib/x: full at 1024 MiB limit
 *	(StoreMaxSize)").
 */
#ifndef STORE_H
#define STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "record.h"

enum store_status {
	STORE_OK = 0,
	STORE_NOTFOUND,		/* no such id (or nothing to read) */
	STORE_DUPLICATE,	/* the report is kept already (see store_write_report) */
	STORE_RETRY,		/* the map was grown: begin the write again */
	STORE_FULL,		/* the store reached its configured size limit */
	STORE_IO,		/* read-only, disk full, I/O error, locked, ... */
	STORE_NOMEM,		/* out of memory */
	STORE_CORRUPT,		/* stored data could not be read back */
	STORE_STOPPED		/* a caller's callback asked to stop */
};

struct store_error {
	char	reason[512];	/* "" when there is nothing to say */
};

/* A short lower-case name for a status ("ok", "not found", ...). */
const char *store_status_name(enum store_status);

/*
 * True for the statuses that mean "the store could not write now, try
 * again later" (STORE_FULL, STORE_IO, STORE_NOMEM, STORE_RETRY): the
 * milter answers them with a temporary failure.
 */
bool	store_status_is_temporary(enum store_status);

struct store_options {
	size_t	max_size;	/* the map never grows past this (bytes); 0: 1 GiB */
	size_t	initial_size;	/* the first map size (bytes); 0: 16 MiB */
	mode_t	file_mode;	/* mode of new files; 0: 0640 */
	bool	read_only;	/* open for reading only (report-query get, ...) */
	bool	no_create;	/* fail with STORE_NOTFOUND if DIR has no store */
	uint64_t journal_size;	/* bytes of the journal of pending mail
				   (store_pending_put()); 0: none */
	bool	journal_drain;	/* with journal_size 0: a journal an earlier
				   run left mail in is opened all the same,
				   to parse that mail, never to add to it */
};

/* Fills *o with the defaults above. */
void	store_options_default(struct store_options *o);

struct store;

/*
 * Opens (creating when allowed and needed) the store in directory dir.
 * The directory is created with file_mode plus the x bits. On STORE_OK
 * *out is the caller's (store_close()). Returns STORE_NOTFOUND (no store
 * there and no_create or read_only), STORE_IO (permissions, a lock, not
 * a store of this version: err says which), STORE_NOMEM.
 */
enum store_status store_open(const char *dir, const struct store_options *o,
    struct store **out, struct store_error *err);

/* Closes the store; NULL is fine. No call may be running on it. */
void	store_close(struct store *);

/* The directory the store was opened on (borrowed). */
const char *store_dir(const struct store *);

/* ---- writing ---- */

/*
 * One write transaction. Everything written through it becomes visible
 * at store_write_commit(), all or nothing; store_write_abort() forgets it.
 * Begin and end it inside one call of the caller's (no callback of an
 * MTA may fall between): LMDB lets one writer at a time in, and the
 * store serialises its callers on that.
 */
struct store_write;

/*
 * Begins a write. Grows the map first when a previous write stopped
 * with STORE_RETRY, and picks up a map grown by another process. On
 * STORE_OK *out is the caller's until commit or abort. Returns STORE_IO,
 * STORE_FULL, STORE_NOMEM.
 */
enum store_status store_write_begin(struct store *, struct store_write **out,
    struct store_error *err);

/*
 * Starts a DMARC report whose records arrive in batches before the
 * report itself is complete (dmarc_xml.h): hdr is the report as read so
 * far (metadata and policy). Reserves the id that store_write_report()
 * will give it and looks the report up in the dedup table: STORE_DUPLICATE
 * when it is kept already (then store_write_dmarc_records() discards the
 * batches and store_write_report() counts the repeat). Any unfinished
 * pending report is dropped first (store_write_drop_pending()). Returns
 * STORE_OK, STORE_DUPLICATE, or an error status.
 */
enum store_status store_write_dmarc_begin(struct store_write *,
    const struct dmarc_report *hdr, struct store_error *err);

/*
 * A batch of DMARC records encoded as the store keeps them, made before
 * the write begins: the writers of a process take turns in their writes,
 * and encoding is most of what writing records costs. Encoding needs no
 * store. *out is the caller's (store_chunk_free()). Returns STORE_OK or
 * STORE_NOMEM.
 */
struct store_chunk;
enum store_status store_chunk_encode(const struct dmarc_record *recs,
    size_t n, struct store_chunk **out);
void	store_chunk_free(struct store_chunk *);

/*
 * Writes a batch of records of the pending DMARC report (borrowed: the
 * caller still owns recs). c is the same records encoded already
 * (store_chunk_encode(); borrowed), or NULL: they are encoded here.
 * Returns STORE_OK (also when discarding for a duplicate) or an error
 * status. Without a pending report: assert.
 */
enum store_status store_write_dmarc_records(struct store_write *,
    const struct store_chunk *c, const struct dmarc_record *recs, size_t n,
    struct store_error *err);

/*
 * Forgets the pending DMARC report and every batch written for it (its
 * parse failed after some batches had left). No pending report: no-op.
 */
enum store_status store_write_drop_pending(struct store_write *,
    struct store_error *err);

/*
 * Writes one External report (x->report complete; x is borrowed). A
 * DMARC report whose records were streamed with store_write_dmarc_begin()
 * takes them with it (x's records list is then empty); records that x
 * holds in memory (an import of exported JSON) are written as chunks the
 * same way (a report that is not DMARC leaves a pending report pending).
 * Sets x->id (owned by x) on STORE_OK. When the dedup key is
 * known, nothing is stored: the kept report's duplicate count grows, its
 * last-seen time becomes x->received_at, x->id is set to the kept id, and
 * STORE_DUPLICATE is returned. Indexes are written with the report.
 * Returns STORE_OK, STORE_DUPLICATE, or an error status (the write must
 * then be aborted).
 */
enum store_status store_write_report(struct store_write *,
    struct external_report *x, struct store_error *err);

/*
 * Gives the report with id, written in this txn or kept already, the
 * duplicate count and last-seen time of seen (an import of an export:
 * the counts the report had where it came from). Returns STORE_OK,
 * STORE_NOTFOUND (no report id in the txn) or an error status.
 */
struct store_meta;
enum store_status store_write_set_seen(struct store_write *, const char *id,
    const struct store_meta *seen, struct store_error *err);

/* A message kept raw because a report part in it could not be parsed. */
struct store_quarantine {
	char   *qid;		/* assigned by the store ("q" + id form) */
	int64_t	received_at;
	char   *reason;		/* never NULL: every failed part, one a line */
	char   *sender;		/* envelope sender, "" when unknown */
	char   *queue_id;	/* the MTA's queue id or the file imported; "" */
	size_t	message_len;	/* length of the message as received */
	char   *message;	/* the raw message, cut at the cap (kept_len) */
	size_t	kept_len;
};

/* Frees a quarantine entry; NULL is fine. */
void	store_quarantine_free(struct store_quarantine *);

/*
 * Keeps q (borrowed) in the quarantine; sets q->qid (owned by q).
 * Returns STORE_OK or an error status.
 */
enum store_status store_write_quarantine(struct store_write *,
    struct store_quarantine *q, struct store_error *err);

/*
 * Commits everything written and frees w. A pending DMARC report that
 * store_write_report() never took is dropped first. A commit that fails
 * is a write that never happened: STORE_RETRY (the map was full and will
 * be grown: do it all again), STORE_FULL, STORE_IO, STORE_NOMEM; so is a
 * commit of a write that failed before (that status is returned).
 */
enum store_status store_write_commit(struct store_write *w,
    struct store_error *err);

/* Forgets everything written and frees w; NULL is fine. */
void	store_write_abort(struct store_write *w);

/* ---- pending: report mail kept raw, to be parsed later ---- */

/*
 * A report mail as the MTA handed it over, kept durably before the MTA
 * is answered and parsed afterwards (report-milter, DeferParse): the
 * envelope ingest needs and the raw message.
 */
struct store_pending {
	uint64_t id;		/* assigned by store_pending_put(), from 1 */
	int64_t	received_at;	/* seconds since the epoch */
	char   *sender;		/* MAIL FROM, "" when none */
	char   *client_addr;	/* the SMTP client's address, "" when unknown */
	char   *queue_id;	/* the MTA's queue id, "" when unknown */
	struct strlist rcpts;	/* the report recipients */
	char   *message;	/* the raw message */
	size_t	message_len;
};

/* Frees an entry read by store_pending_next(); NULL is fine. */
void	store_pending_free(struct store_pending *);

/* The ids of entries kept in the journal (store_options.journal_size). */
#define STORE_PENDING_JOURNAL	(UINT64_C(1) << 63)

/*
 * Keeps p (borrowed; p->id is ignored) in one durable write of its own
 * and sets *id: in the journal when the store has one with room (one
 * disk flush), else in the pending database (a commit). Returns
 * STORE_OK or an error status (the mail must then be refused for now:
 * nothing was kept).
 */
enum store_status store_pending_put(struct store *, const struct store_pending *p,
    uint64_t *id, struct store_error *err);

/*
 * The oldest entry whose id is above after, in *out (the caller's); its
 * id in *id whenever there is one, also when it is damaged. Returns
 * STORE_OK, STORE_NOTFOUND (none), STORE_CORRUPT (remove it with
 * store_write_pending_done()), STORE_NOMEM, STORE_IO.
 */
enum store_status store_pending_next(struct store *, uint64_t after,
    uint64_t *id, struct store_pending **out, struct store_error *err);

/* How many entries wait, in *n. */
enum store_status store_pending_count(struct store *, size_t *n,
    struct store_error *err);

/*
 * Removes entry id inside w, so that the reports parsed from it and its
 * removal become durable in one commit. An id that is not there is fine
 * (STORE_OK): it was done before.
 */
enum store_status store_write_pending_done(struct store_write *, uint64_t id,
    struct store_error *err);

/*
 * Entry id was removed in a commit that succeeded: its room in the
 * journal may be used again. Nothing to do for an entry of the database.
 */
void	store_pending_release(struct store *, uint64_t id);

/* ---- batches: the writes of many calls, one durable commit ---- */

/*
 * The bounds of one batch commit. A commit is made as soon as one is
 * reached (and no write is under way), so a write waits at most about
 * ms for its commit, and a commit holds about bytes at most (a single
 * write bigger than that is a commit alone).
 */
struct store_batch_limits {
	unsigned writes;	/* writes in one commit at most (0: 64) */
	size_t	bytes;		/* bytes put in one commit, about (0: 8 MiB) */
	unsigned ms;		/* a commit's wait after it opened (0: 1000) */
};

/*
 * Starts a batch on s: until store_batch_stop(), one thread of the store
 * begins and commits the write txn of every group (store_write_counts),
 * and each write of store_write_commit_batched() is merged into it (a
 * nested txn: each write stays all or none) and returns before it is
 * durable, with a ticket. A write that commits with store_write_commit()
 * meanwhile waits for the commit and makes it come at once. For a
 * program that writes many things one after another and can wait to
 * count them (report-query import); report-milter does not use it.
 * Returns STORE_OK, STORE_NOMEM, STORE_IO (read-only, no thread).
 */
enum store_status store_batch_start(struct store *,
    const struct store_batch_limits *lim, struct store_error *err);

/*
 * Commits what the batch holds, waits for it and ends the batch: every
 * ticket is then done. No write of the store may be under way. A batch
 * that is not running: no-op.
 */
void	store_batch_stop(struct store *);

/*
 * As store_write_commit(), but while a batch runs the write is merged
 * into it and STORE_OK returns at once with *ticket the number of the
 * commit that makes it durable (nothing of it is on disk before; ask
 * store_batch_done()). *ticket is 0 when the write was durable on return
 * (no batch runs) or failed. Statuses as store_write_commit().
 */
enum store_status store_write_commit_batched(struct store_write *w,
    uint64_t *ticket, struct store_error *err);

/*
 * Whether the commit of ticket (non-zero) is done; with wait, waits for
 * it. When done, *st is its outcome: STORE_OK (durable), or the status
 * of a commit that failed (then none of its writes is on disk; err says
 * why). Every ticket is done after store_batch_stop().
 */
bool	store_batch_done(struct store *, uint64_t ticket, bool wait,
	    enum store_status *st, struct store_error *err);

/* ---- reading ---- */

/* What the store knows of a report beside its Stalwart fields. */
#define STORE_KEY_LEN	32	/* bytes of a dedup key's digest */
struct store_meta {
	uint32_t duplicates;	/* repeats received after the first */
	int64_t	last_seen;	/* receipt of the newest repeat; 0: none */
	uint64_t n_records;	/* DMARC records kept in chunks */
	unsigned char key[STORE_KEY_LEN];	/* the SHA-256 digest of its
					   dedup key (see "Dedup keys") */
};

/*
 * Reads the report with id. *out is the caller's on STORE_OK; a DMARC
 * report comes without its records (read them with store_get_records),
 * unless with_records is true (then all are in memory: only for small
 * reports). meta may be NULL. Returns STORE_OK, STORE_NOTFOUND,
 * STORE_CORRUPT, STORE_NOMEM, STORE_IO.
 */
enum store_status store_get(struct store *, const char *id, bool with_records,
    struct external_report **out, struct store_meta *meta,
    struct store_error *err);

/*
 * Hands the DMARC records of report id to fn one chunk at a time, in
 * their order in the report. The records are borrowed for the call.
 * fn returns 0 to go on, non-zero to stop (then STORE_STOPPED).
 * Memory stays bounded by one chunk whatever the report's size. Returns
 * STORE_OK (also for a report without records), STORE_NOTFOUND,
 * STORE_STOPPED, STORE_CORRUPT, STORE_NOMEM, STORE_IO.
 */
typedef int (*store_records_fn)(void *arg, const struct dmarc_record *recs,
    size_t n);
enum store_status store_get_records(struct store *, const char *id,
    store_records_fn fn, void *arg, struct store_error *err);

/*
 * store_get_records(), with lean records: each has only its source IP,
 * count, evaluated disposition, DKIM and SPF, its DKIM results' domain,
 * selector and result, and its SPF results' result (the other strings
 * are "", the other lists empty): what a summary adds up, read without
 * inflating or parsing the JSON. A chunk written before lean records
 * existed is read whole (then the records are complete). The same
 * statuses.
 */
enum store_status store_get_lean_records(struct store *, const char *id,
    store_records_fn fn, void *arg, struct store_error *err);

/* The indexes, and what their values are. */
enum store_index {
	STORE_IDX_RECEIVED = 'R',	/* receivedAt; every report */
	STORE_IDX_EXPIRES = 'E',	/* expiresAt; every report */
	STORE_IDX_TYPE = 'T',		/* type (enum record_type as one byte) */
	STORE_IDX_DOMAIN = 'D',		/* policy domain (DMARC, TLS), reported
					   domains (ARF); lower case */
	STORE_IDX_REPORTER = 'O',	/* org name and e-mail (DMARC),
					   organization and contact (TLS), the
					   mail's From (every type); lower case */
	STORE_IDX_REPORT_ID = 'I',	/* report id (DMARC, TLS) */
	STORE_IDX_IP = 'P',		/* source IPs (DMARC records, ARF),
					   sending MTA and receiving IPs
					   (TLS; reports stored before
					   receiving IPs were keys lack
					   those); 16 bytes,
					   IPv4 as ::ffff:a.b.c.d (a scan
					   gives the DMARC reports last, in
					   id order, each once) */
	STORE_IDX_DATE = 'B'		/* report date range begin (DMARC, TLS),
					   arrival date (ARF) */
};

/*
 * A range of one index: values from lo to hi inclusive, compared as
 * bytes. Times are 8 bytes big-endian (use store_key_time()), IPs 16
 * bytes (store_key_ip()), text is lower-cased UTF-8 (store_key_text()).
 * lo_len 0 means from the start; hi NULL means to the end. For one
 * exact value, lo and hi are the same.
 */
struct store_range {
	enum store_index index;
	const void *lo;
	size_t	lo_len;
	const void *hi;
	size_t	hi_len;
};

/* Text index values are cut at this many bytes, as store_key_text() cuts. */
#define STORE_KEY_TEXT_MAX	400

/* Helpers that make range bounds; each writes into buf and returns its length. */
size_t	store_key_time(int64_t t, unsigned char buf[8]);
/* 16 bytes of an IPv4 or IPv6 address text; 0 when text is no address. */
size_t	store_key_ip(const char *text, unsigned char buf[16]);
/*
 * Lower-cased (ASCII letters) copy of text into buf, at most size and at
 * most STORE_KEY_TEXT_MAX bytes; its length. A NUL follows when there is
 * room (not counted).
 */
size_t	store_key_text(const char *text, char *buf, size_t size);

/*
 * Hands the id of every report with an index value in range to fn, in
 * index order (then id order), each id once per value; fn returns 0 to go
 * on, non-zero to stop (STORE_STOPPED). The ids are borrowed for the
 * call; only ids of reports that are there are handed over. A reader
 * sees the store as it was when the call began. Returns STORE_OK,
 * STORE_STOPPED, STORE_IO, STORE_NOMEM.
 */
typedef int (*store_ids_fn)(void *arg, const char *id);
enum store_status store_scan(struct store *, const struct store_range *range,
    store_ids_fn fn, void *arg, struct store_error *err);

/*
 * Every report id in the order of receipt (oldest first, or newest first
 * when reverse), as store_scan().
 */
enum store_status store_scan_all(struct store *, bool reverse,
    store_ids_fn fn, void *arg, struct store_error *err);

/* ---- changes, for copies of the store elsewhere ---- */

/*
 * Hands fn, in the order of their changes, every report that changed
 * after change number after (0: every report): a new report, or one
 * whose duplicate count and last-seen time changed. A report comes once,
 * under its latest change number seq; fn returns 0 to go on, non-zero to
 * stop (STORE_STOPPED). The id is borrowed for the call. Deleted reports
 * are not listed. Returns STORE_OK, STORE_STOPPED or an error status.
 */
typedef int (*store_change_fn)(void *arg, uint64_t seq, const char *id);
enum store_status store_changes(struct store *, uint64_t after,
    store_change_fn fn, void *arg, struct store_error *err);

/*
 * A named cursor into the changes: the change number a reader (a push
 * to one destination) has taken up to. store_cursor_get gives 0 and
 * STORE_NOTFOUND for a name never set; store_cursor_set writes it in a
 * write transaction of its own (durable on STORE_OK). Names are
 * printable text of at most 400 bytes.
 */
enum store_status store_cursor_get(struct store *, const char *name,
    uint64_t *seq, struct store_error *err);
enum store_status store_cursor_set(struct store *, const char *name,
    uint64_t seq, struct store_error *err);

/* ---- deleting ---- */

/*
 * Deletes the reports with the given ids, with their records, index and
 * dedup entries, in one write transaction (all or none). Ids that are not
 * there are counted in *missing (may be NULL) and are no error. Returns
 * STORE_OK or an error status.
 */
enum store_status store_delete(struct store *, const char *const *ids,
    size_t n, size_t *missing, struct store_error *err);

/*
 * Deletes every report whose expiresAt is before now (not at now),
 * oldest first, in write transactions of at most batch reports each
 * (0: 100; a big DMARC report counts as many as its chunks, and a txn
 * holds one report at least), so that a long purge never holds the
 * writer for long. *deleted gets the count. Returns STORE_OK
 * or the status of the first transaction that failed (the reports
 * deleted before it stay deleted).
 */
enum store_status store_purge(struct store *, int64_t now, size_t batch,
    size_t *deleted, struct store_error *err);

/* ---- quarantine ---- */

/*
 * Hands every quarantine entry to fn, oldest first; with_message false
 * leaves q->message NULL (a listing). The entry is borrowed for the
 * call; fn returns 0 to go on. Returns STORE_OK, STORE_STOPPED or an error.
 */
typedef int (*store_quarantine_fn)(void *arg, const struct store_quarantine *q);
enum store_status store_quarantine_each(struct store *, bool with_message,
    store_quarantine_fn fn, void *arg, struct store_error *err);

/* Reads one entry; *out is the caller's on STORE_OK (or STORE_NOTFOUND). */
enum store_status store_quarantine_get(struct store *, const char *qid,
    struct store_quarantine **out, struct store_error *err);

/* Deletes one entry; STORE_OK, STORE_NOTFOUND or an error status. */
enum store_status store_quarantine_delete(struct store *, const char *qid,
    struct store_error *err);

/* ---- the host cache ---- */

/*
 * What is known of one source IP: filled by report-query enrich (reverse
 * DNS, the Public Suffix List, an MMDB file and the service map), read
 * wherever a source is shown. Strings are NUL-terminated and empty when
 * unknown; longer ones are cut at their buffer. A failed lookup keeps
 * what an earlier one found and sets error and retry_at.
 */
#define STORE_HOST_NAME_MAX	256
struct store_host {
	char	name[STORE_HOST_NAME_MAX];	/* reverse DNS name ("" none) */
	bool	confirmed;		/* name resolves back to the IP */
	int64_t	resolved_at;		/* when the last answer came (Unix s) */
	int64_t	expires_at;		/* resolved_at + the DNS TTL */
	char	base_domain[STORE_HOST_NAME_MAX];	/* registrable domain of name */
	char	country[4];		/* ISO 3166 alpha-2 ("" unknown) */
	uint32_t asn;			/* AS number (0 unknown) */
	char	as_name[128];		/* AS organisation */
	char	service[64];		/* service map: name ("Google") */
	char	service_type[32];	/* ... and type ("email") */
	char	error[128];		/* the last lookup's failure ("" none) */
	int64_t	retry_at;		/* when to try again after error (0: now) */
	uint64_t seq;			/* the change number of its last write
					   (store_host_put() sets it; 0: written
					   before entries had one) */
};

/*
 * Reads the cached entry of the address text ip into *h. Returns
 * STORE_OK, STORE_NOTFOUND (never enriched, not an address, or a store
 * made before the cache), STORE_CORRUPT (an entry of an unknown encoding
 * version or cut short) or an error status. One read txn per call: cheap
 * enough for each row of a listing.
 */
enum store_status store_host_get(struct store *, const char *ip,
    struct store_host *h, struct store_error *err);

/*
 * Writes n entries, hosts[i] under the address text ips[i], in one write
 * transaction (all or none; durable on STORE_OK), each with the same
 * next host change number (hosts[i].seq is ignored: the store gives it,
 * from the meta counter "hostseq", which never goes back). An ip that is
 * no address is skipped. Returns STORE_OK, STORE_FULL, STORE_IO (read-only
 * store) or another error status; STORE_RETRY is handled inside.
 */
enum store_status store_host_put(struct store *, const char *const *ips,
    const struct store_host *hosts, size_t n, struct store_error *err);

/*
 * Calls fn with every cached entry in address order (ip as text) until
 * fn returns non-zero. Returns STORE_OK, STORE_STOPPED or an error status.
 * fn runs inside a read transaction (see CAVEATS).
 */
typedef int (*store_host_fn)(void *arg, const char *ip,
    const struct store_host *h);
enum store_status store_host_each(struct store *, store_host_fn fn, void *arg,
    struct store_error *err);

/*
 * The entries written since a reader last looked (a push to one
 * destination, its place kept as a cursor, store_cursor_set()): calls fn
 * with every entry whose seq is from or more, in address order, until fn
 * returns non-zero, and sets *next to the change number the next write
 * will have, read in the same transaction, so that from = *next next
 * time lists exactly what was written after this call. from 0 lists
 * every entry. When nothing was written since (from == *next) no entry
 * is read. Returns STORE_OK, STORE_STOPPED (fn stopped it: what follows
 * was not seen, keep from), STORE_CORRUPT (a damaged counter) or an
 * error status. fn runs inside a read transaction (see CAVEATS).
 */
enum store_status store_host_changes(struct store *, uint64_t from,
    store_host_fn fn, void *arg, uint64_t *next, struct store_error *err);

/*
 * Calls fn with every distinct source IP of the store's reports (DMARC
 * record sources, TLS sending MTAs and receiving IPs, ARF sources) once,
 * as text, in address order, until fn returns non-zero. fn runs after
 * the read transaction has ended and may write. Returns STORE_OK,
 * STORE_STOPPED, STORE_NOMEM or an error status.
 */
typedef int (*store_ips_fn)(void *arg, const char *ip);
enum store_status store_ips_each(struct store *, store_ips_fn fn, void *arg,
    struct store_error *err);

/* ---- figures ---- */

struct store_stat {
	uint64_t reports[4];	/* by enum record_type (index 0 unused) */
	uint64_t quarantined;
	uint64_t chunks;	/* chunks of DMARC records kept */
	uint64_t index_keys;	/* entries of all indexes */
	uint64_t dedup_keys;	/* entries of the dedup table */
	uint64_t pending;	/* report mail kept pending, not parsed yet */
	size_t	map_size;	/* bytes mapped now */
	size_t	max_size;	/* the configured limit */
	size_t	used_size;	/* bytes in use (pages up to the highest in use,
				   times the page size; free pages inside count) */
};

/* Fills *st. Returns STORE_OK or STORE_IO. */
enum store_status store_stat(struct store *, struct store_stat *st,
    struct store_error *err);

/*
 * The writes of this process since the store was opened, and the durable
 * commits that made them so: writers that come at the same time share a
 * commit (a group), so commits <= writes. Counts only writes that asked
 * to commit; aborted ones are not counted.
 */
struct store_write_counts {
	uint64_t writes;
	uint64_t commits;
};
void	store_write_counts(struct store *, struct store_write_counts *out);

/*
 * CAVEATS
 *	A callback of a read (store_get_records, store_scan, store_scan_all,
 *	store_quarantine_each) runs inside the call's read transaction: it
 *	may read the store, but not write to it (a write may need to grow
 *	the map, which waits for every read of the process to end): a write
 *	begun there, or while the same thread holds a struct store_write,
 *	fails with STORE_IO. Gather ids, return, then write.
 *
 *	Error injection for tests: when the environment variable
 *	REPORT_STORE_FAIL_COMMIT is set to N, the N-th write commit through
 *	the struct store opened then (store_write_commit, and the txns of
 *	store_delete, store_purge and store_quarantine_delete) fails with
 *	STORE_IO ("injected commit failure") after LMDB aborted it, as a
 *	failing disk would. It is read once, at store_open().
 *	REPORT_STORE_FAIL_BATCH=N does the same to the N-th commit of a
 *	batch (store_batch_start): every write merged into it fails.
 */

#endif
