/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_pg.h - report-query's PostgreSQL connection (push only)
 * PURPOSE
 *	The one place besides rq_push*.c and rq_copy.c that includes
 *	<libpq-fe.h>: connecting with a libpq connection string or service
 *	name (passwords only from libpq's own means), naming the destination
 *	by what the server is rather than how it was reached, and bringing
 *	the schema (contrib/postgresql/schema.sql) up to date.
 *
 *	Every function prints what went wrong ("report-query push: ...")
 *	and returns -1; 0 is success.
 */
#ifndef RQ_PG_H
#define RQ_PG_H

#include <stddef.h>

#include <libpq-fe.h>

/* The schema's migrations, as contrib/postgresql/schema.sql holds them. */
extern const char rq_pg_schema_sql[];

/*
 * Connects to conninfo (a connection string, a URI, or "service=NAME";
 * a bare word is taken as a service name). A password inside conninfo is
 * refused: it would be in argv for every user of the host to read. The
 * session gets client_encoding UTF8, UTC and the application name.
 * *out is the caller's (PQfinish) on 0.
 */
int	rq_pg_connect(const char *verb, const char *conninfo, PGconn **out);

/*
 * The destination's name, "SYSTEM-IDENTIFIER/DATABASE": the same
 * however the server is reached (another host name, port or service).
 */
int	rq_pg_destination(const char *verb, PGconn *pg, char *buf, size_t size);

/*
 * Creates the schema, or applies the migrations it has not had yet, each
 * in a transaction under an advisory lock (hosts that push for the first
 * time together wait for each other). *version gets the version now.
 */
int	rq_pg_migrate(const char *verb, PGconn *pg, int *version);

/* Runs sql (no result rows wanted); 0 or -1 with what failed printed. */
int	rq_pg_exec(const char *verb, PGconn *pg, const char *sql);

/*
 * Runs sql with n text parameters (NULL is SQL NULL). Returns the result
 * (the caller's: PQclear) when it is PGRES_COMMAND_OK or PGRES_TUPLES_OK,
 * else prints why and returns NULL.
 */
PGresult *rq_pg_query(const char *verb, PGconn *pg, const char *sql, int n,
	    const char *const *params);

/*
 * Pipeline mode (libpq 14 and later), for the statements of a batch that
 * do not wait for each other: rq_pg_pipe_begin() enters it, each
 * rq_pg_pipe_send() queues a statement (n text parameters, copied at
 * once), rq_pg_pipe_sync() sends the queue, and rq_pg_pipe_result()
 * reads the statements' results in the order they were queued (the
 * caller's: PQclear; NULL with the reason printed when the statement, or
 * one before it, failed). rq_pg_pipe_end() reads what is left and leaves
 * pipeline mode. The caller keeps the number of statements queued before
 * a sync moderate (a few hundred): their results wait in the socket until
 * read. Each returns 0 or -1 (printed) unless said otherwise.
 */
int	rq_pg_pipe_begin(const char *verb, PGconn *pg);
int	rq_pg_pipe_send(const char *verb, PGconn *pg, const char *sql, int n,
	    const char *const *params);
int	rq_pg_pipe_sync(const char *verb, PGconn *pg);
PGresult *rq_pg_pipe_result(const char *verb, PGconn *pg);
int	rq_pg_pipe_end(const char *verb, PGconn *pg);

/* Prints "VERB: what: the server's message" and returns -1. */
int	rq_pg_fail(const char *verb, PGconn *pg, const char *what);

#endif
