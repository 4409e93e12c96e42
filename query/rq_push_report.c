/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_push_report - one report into PostgreSQL (rq_push.h)
 * PURPOSE
 *	The report's row and child rows go in once, under its key, by
 *	whichever host sends it first (the unique key makes a second sender
 *	wait for the first one's commit, then find the row). Every sender
 *	then writes its own report_host row with its own figures, as they
 *	are: a re-sent batch (after a crash, a lost connection) writes the
 *	same values again and doubles nothing. The content hash (SHA-256 of
 *	the report's JSON and, for DMARC, of each record's) tells a true
 *	repeat from a report that only shares the key; that one becomes a
 *	report_conflict row and a warning, and its rows are not added.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_json.h"

#include "rq.h"
#include "rq_copy.h"
#include "rq_pg.h"
#include "rq_push.h"

void
rq_push_hex(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t	i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

void
rq_push_hash_done(struct rq_push_item *it)
{
	unsigned char d[SHA256_LEN];

	sha256_final(&it->hash, d);
	rq_push_hex(d, SHA256_LEN, it->hash_hex);
}

static const char *
rq_push_type(enum record_type t)
{
	return (t == RECORD_DMARC ? "dmarc" : t == RECORD_TLS ? "tls" : "arf");
}

/* This host's row: its id, receipt, expiry, repeats and last repeat. */
static int
rq_push_host(struct rq_push *p, struct rq_push_item *it)
{
	char	rcv[32], exp[32], last[32], dups[16];
	const char *params[8];

	rq_copy_time_text(it->x->received_at, rcv);
	rq_copy_time_text(it->x->expires_at, exp);
	rq_copy_time_text(it->meta.last_seen, last);
	snprintf(dups, sizeof(dups), "%u", it->meta.duplicates);
	params[0] = it->key;
	params[1] = p->host;
	params[2] = rq_push_type(it->x->report->type);
	params[3] = it->x->id;
	params[4] = rcv;
	params[5] = exp;
	params[6] = dups;
	params[7] = it->meta.last_seen != 0 ? last : NULL;
	return (rq_pg_pipe_send(p->verb, p->pg, "INSERT INTO "
	    "report_milter.report_host "
	    "(report_key, host, type, local_id, received_at, expires_at, "
	    "duplicates, last_seen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
	    "ON CONFLICT (report_key, host) DO UPDATE SET "
	    "local_id = EXCLUDED.local_id, received_at = EXCLUDED.received_at, "
	    "expires_at = EXCLUDED.expires_at, duplicates = EXCLUDED.duplicates, "
	    "last_seen = EXCLUDED.last_seen, pushed_at = now()", 8, params));
}

/* Is it a key known with other content? */
static bool
rq_push_conflicting(const struct rq_push_item *it)
{
	return (it->row[0] == '\0' && strcmp(it->known_hash, it->hash_hex) != 0);
}

/* A key known with other content: kept aside (then counted and said). */
static int
rq_push_conflict(struct rq_push *p, struct rq_push_item *it)
{
	const char *params[6];

	params[0] = it->key;
	params[1] = it->hash_hex;
	params[2] = p->host;
	params[3] = rq_push_type(it->x->report->type);
	params[4] = it->x->id;
	params[5] = it->object;
	return (rq_pg_pipe_send(p->verb, p->pg, "INSERT INTO "
	    "report_milter.report_conflict (report_key, content_hash, host, "
	    "type, local_id, object) VALUES ($1, $2, $3, $4, $5, $6) "
	    "ON CONFLICT DO NOTHING RETURNING 1", 6, params));
}

/* The conflict row's result: a new conflict is counted and said. */
static void
rq_push_conflict_said(struct rq_push *p, struct rq_push_item *it,
    const PGresult *r)
{
	if (PQntuples(r) == 1) {
		p->conflicts++;
		fprintf(stderr, "%s %s: conflict: report %s (key %.16s...) has "
		    "the key of a report in the database but other content; "
		    "kept in report_milter.report_conflict, not added\n",
		    rq_progname, p->verb, it->x->id, it->key);
	}
}

int
rq_push_item_load(struct rq_push *p, const char *id, struct rq_push_item *it)
{
	struct store_error err = { "" };
	enum store_status st;

	memset(it, 0, sizeof(*it));
	st = store_get(p->s, id, false, &it->x, &it->meta, &err);
	if (st == STORE_NOTFOUND)
		return (1);	/* deleted since it changed */
	if (st != STORE_OK)
		return (rq_store_fail(p->verb, store_dir(p->s), st, &err), -1);
	rq_push_hex(it->meta.key, STORE_KEY_LEN, it->key);
	return (0);
}

void
rq_push_item_clear(struct rq_push_item *it)
{
	free(it->object);
	external_report_free(it->x);
	memset(it, 0, sizeof(*it));
}

/* The report's JSON, and its content hash begun. 0 or -1. */
static int
rq_push_prepare(struct rq_push *p, struct rq_push_item *it)
{
	char   *json, *head;
	int	rc = 0;

	free(it->object);
	it->object = NULL;
	json = record_json_write(it->x, RECORD_JSON_TYPE, NULL);
	head = record_json_write_report(it->x->report, 0, NULL);
	if (json == NULL || head == NULL ||
	    (it->object = rq_copy_utf8(json)) == NULL)
		rc = rq_fail(p->verb, "out of memory");
	else {
		sha256_init(&it->hash);
		sha256_update(&it->hash, head, strlen(head));
	}
	free(json);
	free(head);
	return (rc);
}

/*
 * One step of the batch in pipelines of up to RQ_PUSH_PIPE items: send()
 * queues each item's statements, then recv() reads their results in the
 * same order (it returns the number of statements it read, or -1). A
 * step with nothing to send sends nothing.
 */
#define RQ_PUSH_PIPE	250

static int
rq_push_step(struct rq_push *p, struct rq_push_item *items, size_t n,
    int (*send)(struct rq_push *, struct rq_push_item *),
    int (*recv)(struct rq_push *, struct rq_push_item *))
{
	size_t	i, j, end;
	int	queued, rc;

	for (i = 0; i < n; i = end) {
		end = n - i > RQ_PUSH_PIPE ? i + RQ_PUSH_PIPE : n;
		if (rq_pg_pipe_begin(p->verb, p->pg) < 0)
			return (-1);
		for (j = i, queued = 0, rc = 0; j < end && rc >= 0; j++)
			if ((rc = send(p, &items[j])) > 0)
				queued += rc;
		/* What was queued is synced and read even after a failure. */
		if (queued > 0 && rq_pg_pipe_sync(p->verb, p->pg) < 0)
			rc = -1;
		for (j = i; j < end && rc >= 0 && queued > 0; j++)
			rc = recv(p, &items[j]);
		if (rq_pg_pipe_end(p->verb, p->pg) < 0 || rc < 0)
			return (-1);
	}
	return (0);
}

/* Step 1: the type's row; it->row gets its id when it is new. */
static int
rq_push_send_row(struct rq_push *p, struct rq_push_item *it)
{
	int	rc = -1;

	switch (it->x->report->type) {
	case RECORD_DMARC: rc = rq_push_dmarc_row(p, it); break;
	case RECORD_TLS: rc = rq_push_tls_row(p, it); break;
	case RECORD_ARF: rc = rq_push_arf_row(p, it); break;
	}
	return (rc < 0 ? -1 : 1);
}

static int
rq_push_recv_row(struct rq_push *p, struct rq_push_item *it)
{
	PGresult *r;

	it->row[0] = it->known_hash[0] = '\0';
	if ((r = rq_pg_pipe_result(p->verb, p->pg)) == NULL)
		return (-1);
	if (PQntuples(r) == 1)
		snprintf(it->row, sizeof(it->row), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return (1);
}

/*
 * Step 2: a known key's content hash. A statement of its own, after the
 * INSERT has waited for another host's transaction that held the key:
 * its snapshot sees that commit.
 */
static int
rq_push_send_known(struct rq_push *p, struct rq_push_item *it)
{
	char	q[160];
	const char *params[1];

	if (it->row[0] != '\0')
		return (0);
	snprintf(q, sizeof(q), "SELECT content_hash FROM report_milter.%s_report "
	    "WHERE report_key = $1", rq_push_type(it->x->report->type));
	params[0] = it->key;
	return (rq_pg_pipe_send(p->verb, p->pg, q, 1, params) < 0 ? -1 : 1);
}

static int
rq_push_recv_known(struct rq_push *p, struct rq_push_item *it)
{
	PGresult *r;

	if (it->row[0] != '\0')
		return (0);
	if ((r = rq_pg_pipe_result(p->verb, p->pg)) == NULL)
		return (-1);
	if (PQntuples(r) == 1)
		snprintf(it->known_hash, sizeof(it->known_hash), "%s",
		    PQgetvalue(r, 0, 0));
	PQclear(r);
	return (1);
}

/* Does step 4 update the counts of a new DMARC row? */
static bool
rq_push_counted(const struct rq_push_item *it)
{
	return (it->x->report->type == RECORD_DMARC && it->row[0] != '\0');
}

/* Step 4: a new DMARC row's counts, this host's row, a conflict's row. */
static int
rq_push_send_last(struct rq_push *p, struct rq_push_item *it)
{
	if ((rq_push_counted(it) && rq_push_dmarc_counts(p, it) < 0) ||
	    rq_push_host(p, it) < 0 ||
	    (rq_push_conflicting(it) && rq_push_conflict(p, it) < 0))
		return (-1);
	return (1 + rq_push_counted(it) + rq_push_conflicting(it));
}

static int
rq_push_recv_last(struct rq_push *p, struct rq_push_item *it)
{
	PGresult *r;
	int	i, n = 1 + rq_push_counted(it) + rq_push_conflicting(it);

	for (i = 0; i < n; i++) {
		if ((r = rq_pg_pipe_result(p->verb, p->pg)) == NULL)
			return (-1);
		if (i == n - 1 && rq_push_conflicting(it))
			rq_push_conflict_said(p, it, r);
		PQclear(r);
	}
	p->reports++;
	if (it->row[0] != '\0')
		p->added++;
	return (n);
}

int
rq_push_reports(struct rq_push *p, struct rq_push_item *items, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (rq_push_prepare(p, &items[i]) < 0)
			return (-1);
	if (rq_push_step(p, items, n, rq_push_send_row, rq_push_recv_row) < 0 ||
	    rq_push_step(p, items, n, rq_push_send_known,
	    rq_push_recv_known) < 0 ||
	    rq_push_dmarc_records(p, items, n) < 0 ||
	    rq_push_tls_children(p, items, n) < 0 ||
	    rq_push_step(p, items, n, rq_push_send_last, rq_push_recv_last) < 0)
		return (-1);
	return (0);
}
