/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_push_hosts - the store's host entries into source_host
 * PURPOSE
 *	enrich writes a host entry whenever it learns something of a
 *	source IP, often after the reports that name the address have gone
 *	to the database. So host entries travel on their own, not with a
 *	batch of reports: a push sends the entries written since its last
 *	push to the same destination (store_host_changes(), the place kept
 *	as a cursor of its own), all of them in one COPY into a temporary
 *	table and one INSERT ... ON CONFLICT from it, in a transaction of
 *	their own, and moves the cursor once that is committed. A push that
 *	finds nothing new pays one read of the store's counter and no
 *	round trip. A row is replaced unless it was resolved later than the
 *	entry: the latest resolution wins, whichever host pushes last. The
 *	rows go in address order, so that hosts pushing the same addresses
 *	at once wait for each other, never in a circle.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rq.h"
#include "rq_copy.h"
#include "rq_pg.h"
#include "rq_push.h"

struct rq_push_hosts {
	struct rq_push *p;
	struct rq_copy copy;
	bool	begun;		/* the transaction is open (or was tried) */
	bool	copying;	/* ... and the COPY too */
	int	failed;
};

/* The transaction, the temporary table and the COPY into it. 0 or -1. */
static int
rq_push_hosts_begin(struct rq_push_hosts *a)
{
	struct rq_push *p = a->p;

	a->begun = true;	/* from here on, a failure rolls back */
	if (rq_pg_exec(p->verb, p->pg, "BEGIN") < 0)
		return (-1);
	if (rq_pg_exec(p->verb, p->pg, "CREATE TEMPORARY TABLE "
	    "rq_source_host (ip inet, name text, confirmed boolean, "
	    "base_domain text, country text, asn bigint, as_name text, "
	    "service text, service_type text, resolved_at timestamptz, "
	    "expires_at timestamptz) ON COMMIT DROP") < 0)
		return (-1);
	if (rq_copy_begin(&a->copy, p->pg, p->verb, "COPY rq_source_host "
	    "FROM STDIN") < 0)
		return (-1);
	a->copying = true;
	return (0);
}

/* s, or NULL (\N) when it is empty. */
static void
rq_push_hosts_text(struct rq_copy *c, const char *s)
{
	rq_copy_text(c, s[0] != '\0' ? s : NULL);
}

/* A time, or NULL when there is none (0). */
static void
rq_push_hosts_time(struct rq_copy *c, int64_t t)
{
	if (t != 0)
		rq_copy_time(c, t);
	else
		rq_copy_null(c);
}

/* store_host_fn: one entry's row (the COPY begun with the first). */
static int
rq_push_hosts_row(void *arg, const char *ip, const struct store_host *h)
{
	struct rq_push_hosts *a = arg;
	struct rq_copy *c = &a->copy;

	if (!a->begun && rq_push_hosts_begin(a) < 0)
		return (a->failed = -1);
	rq_copy_text(c, ip);
	rq_push_hosts_text(c, h->name);
	rq_copy_bool(c, h->confirmed);
	rq_push_hosts_text(c, h->base_domain);
	rq_push_hosts_text(c, h->country);
	if (h->asn != 0)
		rq_copy_u64(c, h->asn);
	else
		rq_copy_null(c);
	rq_push_hosts_text(c, h->as_name);
	rq_push_hosts_text(c, h->service);
	rq_push_hosts_text(c, h->service_type);
	rq_push_hosts_time(c, h->resolved_at);
	rq_push_hosts_time(c, h->expires_at);
	if (rq_copy_row(c, a->p->verb) < 0)
		return (a->failed = -1);
	a->p->hosts++;
	return (0);
}

/* The rows of the temporary table into source_host, then COMMIT. */
static int
rq_push_hosts_merge(struct rq_push *p)
{
	const char *params[1] = { p->host };
	PGresult *r;

	r = rq_pg_query(p->verb, p->pg, "INSERT INTO report_milter.source_host "
	    "AS o (ip, name, confirmed, base_domain, country, asn, as_name, "
	    "service, service_type, resolved_at, expires_at, pushed_by) "
	    "SELECT ip, name, confirmed, base_domain, country, asn, as_name, "
	    "service, service_type, resolved_at, expires_at, $1 "
	    "FROM rq_source_host ORDER BY ip "
	    "ON CONFLICT (ip) DO UPDATE SET name = EXCLUDED.name, "
	    "confirmed = EXCLUDED.confirmed, base_domain = EXCLUDED.base_domain, "
	    "country = EXCLUDED.country, asn = EXCLUDED.asn, "
	    "as_name = EXCLUDED.as_name, service = EXCLUDED.service, "
	    "service_type = EXCLUDED.service_type, "
	    "resolved_at = EXCLUDED.resolved_at, "
	    "expires_at = EXCLUDED.expires_at, pushed_by = EXCLUDED.pushed_by, "
	    "updated_at = now() "
	    "WHERE coalesce(EXCLUDED.resolved_at, '-infinity') >= "
	    "coalesce(o.resolved_at, '-infinity')", 1, params);
	if (r == NULL)
		return (-1);
	PQclear(r);
	return (rq_pg_exec(p->verb, p->pg, "COMMIT"));
}

int
rq_push_hosts(struct rq_push *p, const char *cursor)
{
	struct rq_push_hosts a;
	struct store_error err = { "" };
	enum store_status st;
	uint64_t from, next;
	int	rc = 0;

	memset(&a, 0, sizeof(a));
	a.p = p;
	st = store_cursor_get(p->s, cursor, &from, &err);
	if (st != STORE_OK && st != STORE_NOTFOUND)
		return (rq_store_fail(p->verb, store_dir(p->s), st, &err));
	st = store_host_changes(p->s, from, rq_push_hosts_row, &a, &next, &err);
	if (st != STORE_OK) {
		if (a.failed == 0)
			(void)rq_store_fail(p->verb, store_dir(p->s), st, &err);
		rc = -1;
	}
	if (a.copying && rq_copy_end(&a.copy, p->verb, rc == 0) < 0)
		rc = -1;
	if (a.begun && rc == 0)
		rc = rq_push_hosts_merge(p);
	if (a.begun && rc < 0 && PQstatus(p->pg) == CONNECTION_OK)
		PQclear(PQexec(p->pg, "ROLLBACK"));
	if (rc == 0 && next != from &&
	    (st = store_cursor_set(p->s, cursor, next, &err)) != STORE_OK) {
		(void)rq_store_fail(p->verb, store_dir(p->s), st, &err);
		rc = -1;
	}
	return (rc);
}
