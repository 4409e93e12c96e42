/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_pg - connecting to PostgreSQL, the destination's name, migrations
 * PURPOSE
 *	See rq_pg.h. The migrations are the "-- migration N" sections of
 *	contrib/postgresql/schema.sql, built into the program as one string
 *	(rq_pg_schema_sql) so that what runs is what the file documents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rq.h"
#include "rq_pg.h"

#define RQ_PG_MARK	"-- migration "
/* The advisory lock that serialises migrations ("report-milter" as bytes). */
#define RQ_PG_LOCK	"7526505049434d4c"

int
rq_pg_fail(const char *verb, PGconn *pg, const char *what)
{
	char	msg[1024];
	size_t	len;

	snprintf(msg, sizeof(msg), "%s", pg != NULL ? PQerrorMessage(pg) : "");
	len = strlen(msg);
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		msg[--len] = '\0';
	rq_fail(verb, "%s%s%s", what, len ? ": " : "", msg);
	return (-1);
}

/* Is text a connection string or URI, rather than a service name? */
static int
rq_pg_is_conninfo(const char *text)
{
	return (strchr(text, '=') != NULL ||
	    strncmp(text, "postgres://", 11) == 0 ||
	    strncmp(text, "postgresql://", 13) == 0);
}

/* -1 when conninfo cannot be read or carries a password. */
static int
rq_pg_check(const char *verb, const char *conninfo)
{
	PQconninfoOption *opts, *o;
	char   *msg = NULL;
	int	rc = 0;

	if ((opts = PQconninfoParse(conninfo, &msg)) == NULL) {
		rq_fail(verb, "--to: %s", msg != NULL ? msg :
		    "cannot be read (out of memory)");
		PQfreemem(msg);
		return (-1);
	}
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL &&
		    o->val[0] != '\0') {
			rq_fail(verb, "--to: a password does not belong on the "
			    "command line, where every user of this host can "
			    "read it: use ~/.pgpass, PGPASSFILE or a service file");
			rc = -1;
		}
	PQconninfoFree(opts);
	return (rc);
}

int
rq_pg_connect(const char *verb, const char *conninfo, PGconn **out)
{
	const char *keys[] = { "dbname", "fallback_application_name",
	    "client_encoding", NULL };
	const char *vals[4];
	char   *service = NULL;
	PGconn *pg;

	*out = NULL;
	if (!rq_pg_is_conninfo(conninfo)) {
		if ((service = malloc(strlen(conninfo) + 9)) == NULL)
			return (rq_fail(verb, "out of memory"), -1);
		sprintf(service, "service=%s", conninfo);
		conninfo = service;
	}
	if (rq_pg_check(verb, conninfo) < 0) {
		free(service);
		return (-1);
	}
	vals[0] = conninfo;
	vals[1] = "report-query";
	vals[2] = "UTF8";
	vals[3] = NULL;
	pg = PQconnectdbParams(keys, vals, 1);
	free(service);
	if (pg == NULL)
		return (rq_fail(verb, "out of memory"), -1);
	if (PQstatus(pg) != CONNECTION_OK) {
		rq_pg_fail(verb, pg, "cannot connect to PostgreSQL");
		PQfinish(pg);
		return (-1);
	}
	if (rq_pg_exec(verb, pg, "SET TimeZone = 'UTC'; "
	    "SET client_min_messages = warning") < 0) {
		PQfinish(pg);
		return (-1);
	}
	*out = pg;
	return (0);
}

int
rq_pg_exec(const char *verb, PGconn *pg, const char *sql)
{
	PGresult *r = PQexec(pg, sql);
	ExecStatusType st = r != NULL ? PQresultStatus(r) : PGRES_FATAL_ERROR;

	PQclear(r);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return (0);
	return (rq_pg_fail(verb, pg, "PostgreSQL"));
}

PGresult *
rq_pg_query(const char *verb, PGconn *pg, const char *sql, int n,
    const char *const *params)
{
	PGresult *r = PQexecParams(pg, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType st = r != NULL ? PQresultStatus(r) : PGRES_FATAL_ERROR;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return (r);
	PQclear(r);
	rq_pg_fail(verb, pg, "PostgreSQL");
	return (NULL);
}

int
rq_pg_pipe_begin(const char *verb, PGconn *pg)
{
	if (PQenterPipelineMode(pg) != 1)
		return (rq_pg_fail(verb, pg, "PostgreSQL pipeline"));
	return (0);
}

int
rq_pg_pipe_send(const char *verb, PGconn *pg, const char *sql, int n,
    const char *const *params)
{
	if (PQsendQueryParams(pg, sql, n, NULL, params, NULL, NULL, 0) != 1)
		return (rq_pg_fail(verb, pg, "PostgreSQL"));
	return (0);
}

int
rq_pg_pipe_sync(const char *verb, PGconn *pg)
{
	if (PQpipelineSync(pg) != 1)
		return (rq_pg_fail(verb, pg, "PostgreSQL"));
	return (0);
}

PGresult *
rq_pg_pipe_result(const char *verb, PGconn *pg)
{
	PGresult *r = PQgetResult(pg), *more;
	ExecStatusType st = r != NULL ? PQresultStatus(r) : PGRES_FATAL_ERROR;

	/* A statement's result is followed by NULL, the end of its results. */
	while (r != NULL && (more = PQgetResult(pg)) != NULL)
		PQclear(more);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return (r);
	PQclear(r);
	if (st != PGRES_PIPELINE_ABORTED)	/* a failure before: said */
		rq_pg_fail(verb, pg, "PostgreSQL");
	return (NULL);
}

int
rq_pg_pipe_end(const char *verb, PGconn *pg)
{
	PGresult *r;
	int	nulls = 0;

	/*
	 * Up to the sync's result; two NULLs in a row mean nothing is left
	 * (the connection broke, or nothing was synced).
	 */
	while (nulls < 2 && PQstatus(pg) == CONNECTION_OK) {
		if ((r = PQgetResult(pg)) == NULL) {
			nulls++;
			continue;
		}
		nulls = 0;
		if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			break;
		}
		PQclear(r);
	}
	if (PQexitPipelineMode(pg) != 1)
		return (rq_pg_fail(verb, pg, "PostgreSQL pipeline"));
	return (0);
}

int
rq_pg_destination(const char *verb, PGconn *pg, char *buf, size_t size)
{
	PGresult *r;
	int	len;

	r = rq_pg_query(verb, pg, "SELECT system_identifier::text, "
	    "current_database() FROM pg_control_system()", 0, NULL);
	if (r == NULL)
		return (-1);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return (rq_fail(verb, "PostgreSQL: no system identifier"), -1);
	}
	len = snprintf(buf, size, "%s/%s", PQgetvalue(r, 0, 0),
	    PQgetvalue(r, 0, 1));
	PQclear(r);
	if (len < 0 || (size_t)len >= size)
		return (rq_fail(verb, "PostgreSQL: database name too long"), -1);
	return (0);
}

/*
 * The next migration section at or after *p: its number in *n, its text
 * [*sql, *end). Returns 0, or -1 when there is none.
 */
static int
rq_pg_section(const char **p, int *n, const char **sql, const char **end)
{
	const char *s = *p, *next;
	size_t	mlen = strlen(RQ_PG_MARK);

	while (s != NULL && strncmp(s, RQ_PG_MARK, mlen) != 0) {
		s = strchr(s, '\n');
		if (s != NULL)
			s++;
	}
	if (s == NULL)
		return (-1);
	*n = atoi(s + mlen);
	*sql = s;
	for (next = strchr(s, '\n'); next != NULL; next = strchr(next, '\n')) {
		next++;
		if (strncmp(next, RQ_PG_MARK, mlen) == 0)
			break;
	}
	*end = next != NULL ? next : s + strlen(s);
	*p = *end;
	return (0);
}

/* Applies migration text [sql, end) inside the open transaction. */
static int
rq_pg_apply(const char *verb, PGconn *pg, int n, const char *sql,
    const char *end)
{
	char   *text, what[64];
	int	rc;

	if ((text = malloc((size_t)(end - sql) + 1)) == NULL)
		return (rq_fail(verb, "out of memory"), -1);
	memcpy(text, sql, (size_t)(end - sql));
	text[end - sql] = '\0';
	rc = rq_pg_exec(verb, pg, text);
	free(text);
	if (rc < 0) {
		snprintf(what, sizeof(what), "schema migration %d failed", n);
		return (rq_fail(verb, "%s", what), -1);
	}
	return (0);
}

int
rq_pg_migrate(const char *verb, PGconn *pg, int *version)
{
	const char *p = rq_pg_schema_sql, *sql, *end;
	PGresult *r;
	int	have, n;

	if (rq_pg_exec(verb, pg, "BEGIN") < 0)
		return (-1);
	if (rq_pg_exec(verb, pg, "SELECT pg_advisory_xact_lock(x'"
	    RQ_PG_LOCK "'::bigint)") < 0 ||
	    rq_pg_exec(verb, pg, "CREATE SCHEMA IF NOT EXISTS report_milter") < 0 ||
	    rq_pg_exec(verb, pg, "CREATE TABLE IF NOT EXISTS "
	    "report_milter.schema_version (version integer PRIMARY KEY, "
	    "applied_at timestamptz NOT NULL DEFAULT now())") < 0 ||
	    (r = rq_pg_query(verb, pg, "SELECT coalesce(max(version), 0) "
	    "FROM report_milter.schema_version", 0, NULL)) == NULL)
		goto fail;
	have = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	*version = have;
	while (rq_pg_section(&p, &n, &sql, &end) == 0) {
		if (n <= have)
			continue;
		if (rq_pg_apply(verb, pg, n, sql, end) < 0)
			goto fail;
		*version = n;
	}
	return (rq_pg_exec(verb, pg, "COMMIT"));
fail:
	PQclear(PQexec(pg, "ROLLBACK"));
	return (-1);
}
