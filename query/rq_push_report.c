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

int
rq_push_insert(struct rq_push *p, struct rq_push_item *it, const char *table,
    const char *sql, int n, const char *const *params)
{
	char	q[160];
	PGresult *r;

	it->row[0] = it->known_hash[0] = '\0';
	if ((r = rq_pg_query(p->verb, p->pg, sql, n, params)) == NULL)
		return (-1);
	if (PQntuples(r) == 1) {
		snprintf(it->row, sizeof(it->row), "%s", PQgetvalue(r, 0, 0));
		PQclear(r);
		return (0);
	}
	PQclear(r);
	snprintf(q, sizeof(q), "SELECT content_hash FROM report_milter.%s "
	    "WHERE report_key = $1", table);
	if ((r = rq_pg_query(p->verb, p->pg, q, 1, params)) == NULL)
		return (-1);
	if (PQntuples(r) == 1)
		snprintf(it->known_hash, sizeof(it->known_hash), "%s",
		    PQgetvalue(r, 0, 0));
	PQclear(r);
	return (0);
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
	PGresult *r;

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
	r = rq_pg_query(p->verb, p->pg, "INSERT INTO report_milter.report_host "
	    "(report_key, host, type, local_id, received_at, expires_at, "
	    "duplicates, last_seen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
	    "ON CONFLICT (report_key, host) DO UPDATE SET "
	    "local_id = EXCLUDED.local_id, received_at = EXCLUDED.received_at, "
	    "expires_at = EXCLUDED.expires_at, duplicates = EXCLUDED.duplicates, "
	    "last_seen = EXCLUDED.last_seen, pushed_at = now()", 8, params);
	if (r == NULL)
		return (-1);
	PQclear(r);
	return (0);
}

/* A key known with other content: kept aside, counted, said. */
static int
rq_push_conflict(struct rq_push *p, struct rq_push_item *it)
{
	const char *params[6];
	PGresult *r;

	params[0] = it->key;
	params[1] = it->hash_hex;
	params[2] = p->host;
	params[3] = rq_push_type(it->x->report->type);
	params[4] = it->x->id;
	params[5] = it->object;
	r = rq_pg_query(p->verb, p->pg, "INSERT INTO "
	    "report_milter.report_conflict (report_key, content_hash, host, "
	    "type, local_id, object) VALUES ($1, $2, $3, $4, $5, $6) "
	    "ON CONFLICT DO NOTHING RETURNING 1", 6, params);
	if (r == NULL)
		return (-1);
	if (PQntuples(r) == 1) {
		p->conflicts++;
		fprintf(stderr, "%s %s: conflict: report %s (key %.16s...) has "
		    "the key of a report in the database but other content; "
		    "kept in report_milter.report_conflict, not added\n",
		    rq_progname, p->verb, it->x->id, it->key);
	}
	PQclear(r);
	return (0);
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

int
rq_push_report(struct rq_push *p, struct rq_push_item *it)
{
	char   *json, *head;
	int	rc = -1;

	free(it->object);
	it->object = NULL;
	json = record_json_write(it->x, RECORD_JSON_TYPE, NULL);
	head = record_json_write_report(it->x->report, 0, NULL);
	if (json == NULL || head == NULL ||
	    (it->object = rq_copy_utf8(json)) == NULL) {
		rq_fail(p->verb, "out of memory");
		goto out;
	}
	sha256_init(&it->hash);
	sha256_update(&it->hash, head, strlen(head));
	switch (it->x->report->type) {
	case RECORD_DMARC: rc = rq_push_dmarc(p, it); break;
	case RECORD_TLS: rc = rq_push_tls(p, it); break;
	case RECORD_ARF: rc = rq_push_arf(p, it); break;
	}
	if (rc == 0)
		rc = rq_push_host(p, it);
	if (rc == 0 && it->row[0] == '\0' &&
	    strcmp(it->known_hash, it->hash_hex) != 0)
		rc = rq_push_conflict(p, it);
	if (rc == 0) {
		p->reports++;
		if (it->row[0] != '\0')
			p->added++;
	}
out:
	free(json);
	free(head);
	return (rc);
}
