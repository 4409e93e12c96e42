/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_push - report-query push: the store's reports into PostgreSQL
 * PURPOSE
 *	Sends what changed in the store since the last push to the same
 *	destination: new reports, and reports whose repeats changed. The
 *	destination is the server's system identifier and the database name
 *	(rq_pg_destination()), so that another way of reaching the same
 *	database does not send everything again; the store keeps a cursor
 *	per destination (store_cursor_set()). Reports go in batches, one
 *	PostgreSQL transaction each, and the cursor moves past a batch only
 *	once PostgreSQL has committed it: a push killed or cut off in the
 *	middle sends that batch again next time, which writes the same rows
 *	(rq_push_report.c) and doubles nothing. After the reports, the host
 *	entries that enrich wrote since the last push go (rq_push_hosts.c),
 *	under a cursor of their own ("push-hosts/" and the destination).
 *
 *	--follow pushes again within --interval seconds of a change, until
 *	TERM or INT, which end it after the batch in progress; a lost
 *	connection there is said and tried again, not fatal.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rq.h"
#include "rq_pg.h"
#include "rq_push.h"

#define RQ_PUSH_BATCH		200	/* reports per transaction */
#define RQ_PUSH_RECORDS		500000	/* DMARC records per transaction */
#define RQ_PUSH_LIST		1000	/* changes read from the store at once */

static volatile sig_atomic_t push_stop;

static void
push_on_signal(int sig)
{
	(void)sig;
	push_stop = 1;
}

static void
push_help(void)
{
	printf("usage: %s push --to CONNINFO [--store DIR] [--host NAME]\n"
	    "           [--batch N] [--follow [--interval SECONDS]] "
	    "[--purge-expired]\n\n"
	    "Sends the store's new reports, and the repeat counts that changed,\n"
	    "to PostgreSQL (schema report_milter, created or upgraded on the\n"
	    "first push; contrib/postgresql/schema.sql). Each report is there\n"
	    "once whatever number of hosts push it; each host adds its own\n"
	    "report_host row. What enrich found of the source IPs goes to\n"
	    "source_host, one row per address (the latest resolution wins).\n\n"
	    "  --to CONNINFO       a libpq connection string, URI or service name;\n"
	    "                      passwords come from ~/.pgpass, PGPASSFILE or a\n"
	    "                      service file, never from here\n"
	    "  --store DIR         the store (default: StoreDir of %s,\n"
	    "                      else %s)\n"
	    "  --host NAME         this host's name in the database (default: the\n"
	    "                      host name)\n"
	    "  --batch N           reports per transaction (default %d)\n"
	    "  --follow            keep pushing new reports until TERM\n"
	    "  --interval SECONDS  how often --follow looks (default 2)\n"
	    "  --purge-expired     then delete the database's reports whose\n"
	    "                      expiresAt has passed\n\n"
	    "Exit status: 0 pushed, 1 failed (stderr says why; what was not\n"
	    "committed goes next time), 2 usage error.\n", rq_progname,
	    RQ_CONFIG_FILE, RQ_DEFAULT_STORE, RQ_PUSH_BATCH);
}

/* The changes read from the store, in change order. */
struct push_list {
	uint64_t seq[RQ_PUSH_LIST];
	char	id[RQ_PUSH_LIST][16];
	size_t	n;
};

static int
push_list_add(void *arg, uint64_t seq, const char *id)
{
	struct push_list *l = arg;

	l->seq[l->n] = seq;
	snprintf(l->id[l->n], sizeof(l->id[0]), "%s", id);
	return (++l->n == RQ_PUSH_LIST);
}

/* Commits the open transaction, then moves the cursor to seq. */
static int
push_commit(struct rq_push *p, const char *cursor, uint64_t seq)
{
	struct store_error err = { "" };
	enum store_status st;

	if (rq_pg_exec(p->verb, p->pg, "COMMIT") < 0)
		return (-1);
	if ((st = store_cursor_set(p->s, cursor, seq, &err)) != STORE_OK)
		return (rq_store_fail(p->verb, store_dir(p->s), st, &err), -1);
	return (0);
}

static int
push_by_key(const void *a, const void *b)
{
	const struct rq_push_item *x = a, *y = b;

	return (strcmp(x->key, y->key));
}

/*
 * Sends l's changes from *i on, as many as one transaction takes (batch
 * reports, RQ_PUSH_RECORDS records), in the order of their keys; moves
 * the cursor past them once committed. 0 or -1 (rolled back).
 */
static int
push_batch(struct rq_push *p, const char *cursor, const struct push_list *l,
    size_t *i, size_t batch, size_t *sent)
{
	static struct rq_push_item items[RQ_PUSH_LIST];
	uint64_t records = 0;
	size_t	n = 0, k, last;
	int	rc = 0;

	for (last = *i; last < l->n && n < batch && records < RQ_PUSH_RECORDS;
	    last++) {
		if ((rc = rq_push_item_load(p, l->id[last], &items[n])) < 0)
			break;
		if (rc == 1) {
			rq_push_item_clear(&items[n]);
			rc = 0;
			continue;
		}
		records += items[n].meta.n_records;
		n++;
	}
	if (rc == 0) {
		qsort(items, n, sizeof(items[0]), push_by_key);
		rc = rq_pg_exec(p->verb, p->pg, "BEGIN");
	}
	if (rc == 0)
		rc = rq_push_reports(p, items, n);
	if (rc == 0 && (rc = push_commit(p, cursor, l->seq[last - 1])) == 0) {
		*sent += n;
		*i = last;
	} else if (PQstatus(p->pg) == CONNECTION_OK) {
		PQclear(PQexec(p->pg, "ROLLBACK"));
	}
	for (k = 0; k < n; k++)
		rq_push_item_clear(&items[k]);
	return (rc < 0 ? -1 : 0);
}

/* The host entries, under the cursor "push-hosts/" + the destination. */
static int
push_hosts(struct rq_push *p, const char *cursor)
{
	char	name[540];

	snprintf(name, sizeof(name), "push-hosts/%s", cursor + 5);
	return (rq_push_hosts(p, name));
}

/*
 * One pass: everything that changed after the cursor, then the host
 * entries. *sent gets the reports sent. 0 or -1 (the transaction in
 * progress rolled back).
 */
static int
push_pass(struct rq_push *p, const char *cursor, size_t batch, size_t *sent)
{
	static struct push_list l;
	struct store_error err = { "" };
	enum store_status st;
	uint64_t at;
	size_t	i;

	*sent = 0;
	st = store_cursor_get(p->s, cursor, &at, &err);
	if (st != STORE_OK && st != STORE_NOTFOUND)
		return (rq_store_fail(p->verb, store_dir(p->s), st, &err), -1);
	for (;;) {
		l.n = 0;
		st = store_changes(p->s, at, push_list_add, &l, &err);
		if (st != STORE_OK && st != STORE_STOPPED)
			return (rq_store_fail(p->verb, store_dir(p->s), st,
			    &err), -1);
		if (l.n == 0)
			return (push_hosts(p, cursor));
		for (i = 0; i < l.n; )
			if (push_batch(p, cursor, &l, &i, batch, sent) < 0)
				return (-1);
		at = l.seq[l.n - 1];
		if (push_stop)
			return (0);
	}
}

static int
push_purge(struct rq_push *p)
{
	PGresult *r;

	r = rq_pg_query(p->verb, p->pg, "SELECT report_milter.purge_expired()",
	    0, NULL);
	if (r == NULL)
		return (-1);
	printf("purged %s expired reports from the database\n",
	    PQgetvalue(r, 0, 0));
	PQclear(r);
	return (0);
}

/* Sleeps up to seconds, or less when a signal came. */
static void
push_nap(unsigned seconds)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	unsigned i;

	for (i = 0; i < seconds * 10 && !push_stop; i++)
		(void)nanosleep(&ts, NULL);
}

static void
push_report(const struct rq_push *p, const char *dest)
{
	printf("pushed %" PRIu64 " reports (%" PRIu64 " new to the database, "
	    "%" PRIu64 " DMARC records, %" PRIu64 " conflicts) and %" PRIu64
	    " host entries to %s\n", p->reports, p->added, p->records,
	    p->conflicts, p->hosts, dest);
	fflush(stdout);
}

/* Connects and readies the schema; the destination's name in dest. */
static int
push_connect(struct rq_push *p, const char *to, char *dest, size_t size)
{
	int	version;

	if (rq_pg_connect(p->verb, to, &p->pg) < 0)
		return (-1);
	if (rq_pg_destination(p->verb, p->pg, dest, size) < 0 ||
	    rq_pg_migrate(p->verb, p->pg, &version) < 0) {
		PQfinish(p->pg);
		p->pg = NULL;
		return (-1);
	}
	return (0);
}

/* The loop of --follow: a failure is said, and tried again later. */
static int
push_follow(struct rq_push *p, const char *to, const char *cursor,
    size_t batch, unsigned interval)
{
	char	dest[512];
	size_t	sent;

	while (!push_stop) {
		if (p->pg == NULL && push_connect(p, to, dest, sizeof(dest)) < 0) {
			push_nap(interval);
			continue;
		}
		p->reports = p->added = p->records = p->conflicts = 0;
		p->hosts = 0;
		if (push_pass(p, cursor, batch, &sent) < 0) {
			PQfinish(p->pg);
			p->pg = NULL;
		} else if (sent > 0 || p->hosts > 0) {
			push_report(p, cursor + 5);
		}
		push_nap(interval);
	}
	return (RQ_EXIT_OK);
}

static int
push_run(struct rq_push *p, const char *to, size_t batch, bool follow,
    unsigned interval, bool purge)
{
	char	dest[512], cursor[520];
	size_t	sent;
	int	status = RQ_EXIT_OK;

	if (push_connect(p, to, dest, sizeof(dest)) < 0)
		return (RQ_EXIT_FAIL);
	snprintf(cursor, sizeof(cursor), "push/%s", dest);
	if (follow) {
		status = push_follow(p, to, cursor, batch, interval);
	} else if (push_pass(p, cursor, batch, &sent) < 0) {
		status = RQ_EXIT_FAIL;
		if (p->reports > 0 || p->hosts > 0)
			push_report(p, dest);
	} else {
		push_report(p, dest);
	}
	if (status == RQ_EXIT_OK && purge && p->pg != NULL && push_purge(p) < 0)
		status = RQ_EXIT_FAIL;
	if (p->pg != NULL)
		PQfinish(p->pg);
	return (status);
}

static int
push_open(const char *dir, struct store **s)
{
	struct store_options o;
	struct store_error err = { "" };
	enum store_status st;

	store_options_default(&o);
	o.no_create = true;
	if ((st = store_open(dir, &o, s, &err)) == STORE_OK)
		return (RQ_EXIT_OK);
	*s = NULL;
	if (st == STORE_NOTFOUND)
		return (rq_fail("push", "no store in %s (use --store DIR)", dir));
	return (rq_store_fail("push", dir, st, &err));
}

int
rq_push(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "store", required_argument, NULL, 's' },
		{ "host", required_argument, NULL, 'H' },
		{ "batch", required_argument, NULL, 'b' },
		{ "follow", no_argument, NULL, 'f' },
		{ "interval", required_argument, NULL, 'i' },
		{ "purge-expired", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL, *to = NULL;
	struct rq_push p;
	struct sigaction sa;
	char	host[256];
	size_t	batch = RQ_PUSH_BATCH, interval = 2;
	bool	follow = false, purge = false;
	int	ch, status;

	memset(&p, 0, sizeof(p));
	p.verb = "push";
	p.host = NULL;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 't': to = optarg; break;
		case 's': dir = optarg; break;
		case 'H': p.host = optarg; break;
		case 'b':
			if ((status = rq_count_arg("push", "--batch", optarg,
			    &batch)) != 0)
				return (status);
			if (batch == 0)
				return (rq_usage_error("push", "--batch: 0"));
			break;
		case 'f': follow = true; break;
		case 'i':
			if ((status = rq_count_arg("push", "--interval", optarg,
			    &interval)) != 0)
				return (status);
			if (interval == 0 || interval > 86400)
				return (rq_usage_error("push", "--interval: "
				    "1 to 86400 seconds"));
			break;
		case 'p': purge = true; break;
		case 'h':
			push_help();
			return (RQ_EXIT_OK);
		default:
			return (rq_usage_error("push", "unknown option"));
		}
	}
	if (optind < argc)
		return (rq_usage_error("push", "unexpected argument '%s'",
		    argv[optind]));
	if (to == NULL)
		return (rq_usage_error("push", "--to CONNINFO is required"));
	if (p.host == NULL) {
		if (gethostname(host, sizeof(host)) < 0)
			snprintf(host, sizeof(host), "localhost");
		host[sizeof(host) - 1] = '\0';
		p.host = host;
	}
	if (dir == NULL)
		dir = rq_default_store();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = push_on_signal;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	if (push_open(dir, &p.s) != RQ_EXIT_OK)
		return (RQ_EXIT_FAIL);
	status = push_run(&p, to, batch, follow, (unsigned)interval, purge);
	store_close(p.s);
	return (rq_flush("push", status));
}
