/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	ingest - the one path from a report mail to the store
 * PURPOSE
 *	Runs the parsers over a message and writes what they find as it
 *	comes: DMARC records batch by batch, each complete report stamped
 *	with the mail's fields, a quarantine entry for parts that failed,
 *	all in one write transaction that is begun when the first report
 *	appears (mail without a report never touches the store, unless it
 *	was kept pending: its entry goes in the same commit). When the
 *	map must grow, the transaction is dropped and the message is read
 *	again from the start: nothing is ever half written.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "authres.h"
#include "extract.h"
#include "parse.h"
#include "record.h"
#include "record_json.h"

#include "ingest.h"
#include "store.h"

#define INGEST_QUARANTINE_BYTES	((size_t) 10 << 20)
#define INGEST_MAX_FAILURES	32	/* failure lines kept in the reason */
#define INGEST_RECORDS_BATCH	1000	/* an export's records read at a time */

/* One attempt at writing a message. */
struct ingest_run {
	struct store *store;
	struct store_write *w;		/* begun at the first report */
	const struct ingest_envelope *env;
	const struct ingest_options *o;
	struct ingest_result *res;
	const struct message_info *info;
	int64_t	received_at;
	enum record_auth auth;		/* the mail's, for every report */
	bool	hold;			/* not authenticated: store nothing */
	bool	pending;		/* a streamed DMARC report is open */
	enum store_status st;		/* the first store failure, or STORE_OK */
	struct store_error err;
	struct strlist failures;	/* "where: status: reason" */
};

void
ingest_options_default(struct ingest_options *o)
{
	memset(o, 0, sizeof(*o));
	o->hold_seconds = (int64_t) INGEST_HOLD_DAYS * 86400;
	o->quarantine_bytes = INGEST_QUARANTINE_BYTES;
	o->retries = 8;
	parse_limits_default(&o->limits);
}

const char *
ingest_status_name(enum ingest_status st)
{
	switch (st) {
	case INGEST_STORED:
		return ("stored");
	case INGEST_DUPLICATE:
		return ("duplicate");
	case INGEST_NOT_REPORT:
		return ("not a report");
	case INGEST_UNPARSABLE:
		return ("unparsable");
	case INGEST_TEMPFAIL:
		return ("tempfail");
	case INGEST_UNAUTHENTICATED:
		return ("unauthenticated");
	}
	return ("unknown");
}

/* Keeps the first store failure; PARSE_STOPPED ends the walk. */
static enum parse_status
store_failed(struct ingest_run *r, enum store_status st)
{
	if (r->st == STORE_OK)
		r->st = st;
	return (PARSE_STOPPED);
}

/* Begins the write transaction when the first report needs it. */
static enum store_status
ensure_write(struct ingest_run *r)
{
	if (r->w != NULL)
		return (STORE_OK);
	return (store_write_begin(r->store, &r->w, &r->err));
}

static enum parse_status
on_dmarc_records(void *arg, const struct dmarc_report *hdr,
    struct dmarc_record *recs, size_t n)
{
	struct ingest_run *r = arg;
	struct store_chunk *c = NULL;
	enum store_status st;

	(void) hdr;
	if (r->hold)
		return (PARSE_OK);	/* on_report counts the report */
	/*
	 * Before the write begins, the batch is encoded outside it: the
	 * process' writers take turns in their writes, not in this.
	 */
	if (r->w == NULL && store_chunk_encode(recs, n, &c) != STORE_OK)
		return (store_failed(r, STORE_NOMEM));
	if ((st = ensure_write(r)) == STORE_OK && !r->pending) {
		st = store_write_dmarc_begin(r->w, hdr, &r->err);
		if (st == STORE_DUPLICATE)
			st = STORE_OK;
		r->pending = st == STORE_OK;
	}
	if (st == STORE_OK)
		st = store_write_dmarc_records(r->w, c, recs, n, &r->err);
	store_chunk_free(c);
	if (st != STORE_OK)
		return (store_failed(r, st));
	return (PARSE_OK);
}

/* Fills the mail's fields of x from the headers, else the envelope. */
static int
stamp(struct ingest_run *r, struct external_report *x)
{
	const struct message_info *info = r->info;
	const char *from = info->from ? info->from : r->env->sender;
	size_t	i;

	free(x->from);
	free(x->subject);
	if ((x->from = record_strdup(from ? from : "")) == NULL ||
	    (x->subject = record_strdup(info->subject ? info->subject :
	    "")) == NULL)
		return (-1);
	if (info->to.n > 0) {
		for (i = 0; i < info->to.n; i++)
			if (strlist_add_str(&x->to, info->to.v[i]) < 0)
				return (-1);
	} else
		for (i = 0; i < r->env->n_rcpts; i++)
			if (strlist_add_str(&x->to, r->env->rcpts[i]) < 0)
				return (-1);
	x->received_at = r->received_at;
	x->authenticated = r->auth;
	x->expires_at = r->received_at + r->o->hold_seconds;
	return (0);
}

/* Counts what store_write_report() said of x. */
static void
count(struct ingest_result *res, const struct external_report *x,
    enum store_status st)
{
	if (st == STORE_OK)
		res->stored[x->report->type]++;
	else
		res->duplicates++;
	if (res->first_id[0] == '\0' && x->id != NULL)
		snprintf(res->first_id, sizeof(res->first_id), "%s", x->id);
}

static enum parse_status
on_report(void *arg, struct report *rep, const char *where)
{
	struct ingest_run *r = arg;
	struct external_report *x;
	enum store_status st;

	(void) where;
	if (r->hold) {
		r->res->held++;
		report_free(rep);
		return (PARSE_OK);
	}
	if ((x = external_report_new()) == NULL) {
		report_free(rep);
		return (store_failed(r, STORE_NOMEM));
	}
	x->report = rep;
	if (stamp(r, x) < 0) {
		external_report_free(x);
		return (store_failed(r, STORE_NOMEM));
	}
	if ((st = ensure_write(r)) == STORE_OK)
		st = store_write_report(r->w, x, &r->err);
	r->pending = false;
	if (st == STORE_OK || st == STORE_DUPLICATE)
		count(r->res, x, st);
	external_report_free(x);
	if (st != STORE_OK && st != STORE_DUPLICATE)
		return (store_failed(r, st));
	return (PARSE_OK);
}

static void
on_failure(void *arg, const char *where, enum parse_status st,
    const char *reason)
{
	struct ingest_run *r = arg;
	char	line[1024];
	enum store_status sst;

	r->res->failed++;
	if (r->pending) {
		/* The DMARC part failed after batches left: drop them. */
		r->pending = false;
		if ((sst = store_write_drop_pending(r->w, &r->err)) != STORE_OK)
			(void) store_failed(r, sst);
	}
	if (r->failures.n >= INGEST_MAX_FAILURES)
		return;
	snprintf(line, sizeof(line), "%s: %s: %s", where,
	    parse_status_name(st), reason);
	if (strlist_add_str(&r->failures, line) < 0)
		(void) store_failed(r, STORE_NOMEM);
}

/* The failure lines as one text, one a line; NULL when out of memory. */
static char *
join_failures(const struct strlist *l)
{
	size_t	i, n = 1;
	char   *s;

	for (i = 0; i < l->n; i++)
		n += strlen(l->v[i]) + 1;
	if ((s = malloc(n)) == NULL)
		return (NULL);
	s[0] = '\0';
	for (i = 0; i < l->n; i++) {
		if (i > 0)
			strcat(s, "\n");
		strcat(s, l->v[i]);
	}
	return (s);
}

/* Why the reports of a mail were held back. */
static const char *
unauth_reason(enum record_auth a)
{
	return (a == RECORD_AUTH_NONE ? "not authenticated: no "
	    "Authentication-Results of a trusted authserv-id" :
	    "not authenticated: no DKIM pass aligned with the From: domain "
	    "in the trusted Authentication-Results");
}

/* Keeps the message raw, with why, in the write transaction. */
static enum store_status
quarantine(struct ingest_run *r, const char *data, size_t len)
{
	struct store_quarantine q;
	enum store_status st;

	memset(&q, 0, sizeof(q));
	if ((st = ensure_write(r)) != STORE_OK)
		return (st);
	q.received_at = r->received_at;
	q.sender = (char *) (r->env->sender ? r->env->sender : "");
	q.queue_id = (char *) (r->env->queue_id ? r->env->queue_id : "");
	q.message_len = len;
	q.kept_len = len < r->o->quarantine_bytes ? len :
	    r->o->quarantine_bytes;
	q.message = (char *) data;
	if ((q.reason = join_failures(&r->failures)) == NULL)
		return (STORE_NOMEM);
	st = store_write_quarantine(r->w, &q, &r->err);
	if (st == STORE_OK)
		snprintf(r->res->qid, sizeof(r->res->qid), "%s", q.qid);
	free(q.qid);
	free(q.reason);
	return (st);
}

/* The outcome of a run that was committed (or had nothing to commit). */
static enum ingest_status
outcome(const struct ingest_result *res)
{
	if (res->held > 0)
		return (INGEST_UNAUTHENTICATED);
	if (res->stored[RECORD_DMARC] + res->stored[RECORD_TLS] +
	    res->stored[RECORD_ARF] > 0)
		return (INGEST_STORED);
	if (res->duplicates > 0)
		return (INGEST_DUPLICATE);
	if (res->failed > 0)
		return (INGEST_UNPARSABLE);
	return (INGEST_NOT_REPORT);
}

/*
 * One attempt: parse, write, quarantine, commit. Returns the store
 * status that ended it (STORE_OK when committed or nothing to write).
 */
static enum store_status
attempt(struct ingest_run *r, const char *data, size_t len)
{
	struct extract_sink sink = { on_dmarc_records, on_report, on_failure, r };
	struct message_info info;
	struct parse_error perr = { "" };
	enum parse_status ps;

	memset(&info, 0, sizeof(info));
	r->info = &info;
	ps = extract_message(data, len, &r->o->limits, &sink, &info, &perr);
	r->info = NULL;
	message_info_clear(&info);
	if (ps == PARSE_NOMEM && r->st == STORE_OK) {
		r->st = STORE_NOMEM;
		snprintf(r->err.reason, sizeof(r->err.reason),
		    "out of memory while parsing");
	}
	if (r->st == STORE_OK && r->res->held > 0 &&
	    r->o->unauthenticated == INGEST_UNAUTH_QUARANTINE &&
	    strlist_add_str(&r->failures, unauth_reason(r->auth)) < 0)
		r->st = STORE_NOMEM;
	if (r->st == STORE_OK && r->failures.n > 0)
		r->st = quarantine(r, data, len);
	if (r->st == STORE_OK && r->env->pending_id != 0 &&
	    (r->st = ensure_write(r)) == STORE_OK)
		r->st = store_write_pending_done(r->w, r->env->pending_id,
		    &r->err);
	if (r->st != STORE_OK) {
		store_write_abort(r->w);
		r->w = NULL;
		return (r->st);
	}
	if (r->w == NULL)
		return (STORE_OK);
	r->st = store_write_commit_batched(r->w, &r->res->batch, &r->err);
	r->w = NULL;
	return (r->st);
}

/* Empties what one attempt counted, for the next. */
static void
reset(struct ingest_run *r, struct ingest_result *res)
{
	memset(res, 0, sizeof(*res));
	strlist_clear(&r->failures);
	r->pending = false;
	r->st = STORE_OK;
	r->err.reason[0] = '\0';
}

/* Turns a store failure into a tempfail with its reason. */
static enum ingest_status
tempfail(struct ingest_result *res, enum store_status st,
    const struct store_error *err)
{
	unsigned failed = res->failed;

	memset(res, 0, sizeof(*res));
	res->failed = failed;
	res->status = INGEST_TEMPFAIL;
	res->cause = st;
	snprintf(res->reason, sizeof(res->reason), "%s",
	    err->reason[0] ? err->reason : store_status_name(st));
	return (res->status);
}

enum ingest_status
ingest_message(struct store *store, const char *data, size_t len,
    const struct ingest_envelope *env, const struct ingest_options *o,
    struct ingest_result *res)
{
	static const struct ingest_envelope none;
	struct ingest_run r;
	enum store_status st;
	unsigned tries = 0;

	memset(&r, 0, sizeof(r));
	r.store = store;
	r.env = env != NULL ? env : &none;
	r.o = o;
	r.res = res;
	r.received_at = r.env->received_at ? r.env->received_at :
	    (int64_t) time(NULL);
	if (o->n_trusted > 0)
		r.auth = authres_message(data, len, o->trusted, o->n_trusted);
	r.hold = o->unauthenticated != INGEST_UNAUTH_ACCEPT &&
	    r.auth != RECORD_AUTH_PASS;
	for (;;) {
		reset(&r, res);
		st = attempt(&r, data, len);
		if (st != STORE_RETRY || tries++ >= o->retries)
			break;
	}
	if (st != STORE_OK) {
		strlist_clear(&r.failures);
		return (tempfail(res, st, &r.err));
	}
	if (res->held > 0)
		snprintf(res->reason, sizeof(res->reason), "%s",
		    unauth_reason(r.auth));
	else if (r.failures.n > 0)
		snprintf(res->reason, sizeof(res->reason), "%s",
		    r.failures.v[0]);
	strlist_clear(&r.failures);
	res->authenticated = r.auth;
	res->status = outcome(res);
	return (res->status);
}

/* What ingest_external() needs for a batch of an export's records. */
struct external_run {
	struct store_write *w;
	struct store_error *err;
	enum store_status st;	/* the store's first failure */
};

static enum parse_status
on_external_records(void *arg, struct dmarc_record *recs, size_t n)
{
	struct external_run *r = arg;

	if ((r->st = store_write_dmarc_records(r->w, NULL, recs, n,
	    r->err)) != STORE_OK)
		return (PARSE_STOPPED);
	return (PARSE_OK);
}

/*
 * One try of ingest_external(): x's records streamed from records, then
 * x itself. STORE_STOPPED: a record did not read (*ps, perr say why).
 */
static enum store_status
external_write(struct store_write *w, struct external_report *x,
    const char *records, size_t rlen, enum parse_status *ps,
    struct parse_error *perr, struct store_error *err)
{
	struct external_run r = { w, err, STORE_OK };
	enum store_status st;

	*ps = PARSE_OK;
	if (records == NULL)
		return (store_write_report(w, x, err));
	st = store_write_dmarc_begin(w, &x->report->u.dmarc, err);
	if (st != STORE_OK && st != STORE_DUPLICATE)
		return (st);
	*ps = record_json_read_records_each(records, rlen,
	    INGEST_RECORDS_BATCH, on_external_records, &r, perr);
	if (*ps == PARSE_STOPPED)
		return (r.st);
	if (*ps != PARSE_OK)
		return (*ps == PARSE_NOMEM ? STORE_NOMEM : STORE_STOPPED);
	return (store_write_report(w, x, err));
}

enum ingest_status
ingest_external(struct store *store, struct external_report *x,
    const struct store_meta *seen, const char *records, size_t rlen,
    const struct ingest_options *o, struct ingest_result *res)
{
	struct store_write *w;
	struct store_error err = { "" };
	struct parse_error perr = { "" };
	enum parse_status ps;
	enum store_status st;
	unsigned tries = 0;

	do {
		memset(res, 0, sizeof(*res));
		free(x->id);
		x->id = NULL;
		if ((st = store_write_begin(store, &w, &err)) != STORE_OK)
			continue;
		st = external_write(w, x, records, rlen, &ps, &perr, &err);
		if (st == STORE_OK && seen != NULL && (seen->duplicates > 0 ||
		    seen->last_seen != 0))
			st = store_write_set_seen(w, x->id, seen, &err);
		if (st != STORE_OK && st != STORE_DUPLICATE) {
			store_write_abort(w);
			continue;
		}
		count(res, x, st);
		st = store_write_commit_batched(w, &res->batch, &err);
	} while (st == STORE_RETRY && tries++ < o->retries);
	if (st == STORE_STOPPED) {
		snprintf(res->reason, sizeof(res->reason), "%s", perr.reason);
		res->status = INGEST_UNPARSABLE;
		return (res->status);
	}
	if (st != STORE_OK)
		return (tempfail(res, st, &err));
	res->status = outcome(res);
	return (res->status);
}
