/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_query_out - prints the reports a query found
 * PURPOSE
 *	json is an array of whole objects, ndjson one whole object a line
 *	(both as get prints them, rq_print.h); table and csv are one row per
 *	report (rq_row.h), a DMARC report's messages, passes and failures
 *	added up from its records as they stream, and after them its
 *	"sources" column: each distinct source IP, in record order, with
 *	what the store's host cache knows of it (rq_hosts.h); in JSON each
 *	record has that as "@host". A TLS report's sources are its failure
 *	details' sending MTAs and receiving IPs, an ARF report's its source
 *	IP, in the same column and, in JSON, as "@sendingMtaHost",
 *	"@receivingHost" and "@host" (rq_print_hosts.c). A table is printed once
 *	every row is known (columns are as wide as their widest cell); the
 *	other formats print each report as it is read.
 */
#include <stdlib.h>
#include <string.h>

#include "record_json.h"

#include "rq.h"
#include "rq_hosts.h"
#include "rq_print.h"
#include "rq_query.h"
#include "rq_row.h"
#include "rq_table.h"
#include "rq_tally.h"

struct out {
	struct store *s;
	const char *dir;
	enum rq_format fmt;
	struct rq_hosts *hosts;		/* borrowed */
	struct rq_table table;
	size_t	printed;
};

/* A DMARC report's figures and sources, gathered as its records stream. */
struct gather {
	struct rq_figures f;
	struct rq_hosts *hosts;		/* borrowed */
	struct rq_tally *seen;		/* the source IPs already in cell */
	char   *cell;			/* owned: the "sources" cell */
	enum store_status st;		/* STORE_OK, else why it stopped */
	struct store_error err;
};

/* Adds ip (NULL: none) to g's cell, once; 0 or 1 (g->st says why). */
static int
add_source(struct gather *g, const char *ip)
{
	const struct store_host *h;
	uint64_t *v;

	if (ip == NULL || ip[0] == '\0')
		return (0);
	if ((v = rq_tally_get(g->seen, ip)) == NULL) {
		g->st = STORE_NOMEM;
		return (1);
	}
	if (v[0]++ > 0)
		return (0);
	if ((g->st = rq_hosts_get(g->hosts, ip, &h, &g->err)) != STORE_OK)
		return (1);
	if (rq_hosts_cell(&g->cell, ip, h) < 0) {
		g->st = STORE_NOMEM;
		return (1);
	}
	return (0);
}

static int
add_sources(struct gather *g, const struct dmarc_record *recs, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (add_source(g, recs[i].source_ip != NULL &&
		    recs[i].source_ip[0] ? recs[i].source_ip : "-"))
			return (1);
	return (0);
}

static int
add_figures(void *arg, const struct dmarc_record *recs, size_t n)
{
	struct gather *g = arg;

	rq_figures_add(&g->f, recs, n);
	return (add_sources(g, recs, n));
}

/*
 * Reads the records of DMARC report id into g (initialised by the
 * caller, who frees g->seen and g->cell); RQ_EXIT_OK or RQ_EXIT_FAIL.
 */
static int
gather(struct out *o, const char *id, struct gather *g)
{
	struct store_error err = { "" };
	enum store_status st;

	if ((g->seen = rq_tally_new()) == NULL)
		return (rq_fail("query", "out of memory"));
	st = store_get_records(o->s, id, add_figures, g, &err);
	if (st == STORE_STOPPED && g->st != STORE_OK) {
		st = g->st;
		err = g->err;
	}
	if (st != STORE_OK)
		return (rq_store_fail("query", o->dir, st, &err));
	return (RQ_EXIT_OK);
}

/*
 * The sources of a TLS report (each failure detail's sending MTA, then
 * its receiving IP) or of an ARF report (its source IP) into g's cell.
 * RQ_EXIT_OK or RQ_EXIT_FAIL.
 */
static int
other_sources(struct out *o, const struct external_report *x,
    struct gather *g)
{
	const struct tls_report *t = &x->report->u.tls;
	const struct tls_failure *f;
	size_t	i, j;
	int	stop = 0;

	if ((g->seen = rq_tally_new()) == NULL)
		return (rq_fail("query", "out of memory"));
	if (x->report->type == RECORD_ARF)
		stop = add_source(g, x->report->u.arf.source_ip);
	for (i = 0; x->report->type == RECORD_TLS && i < t->n_policies &&
	    !stop; i++)
		for (j = 0; j < t->policies[i].n_failures && !stop; j++) {
			f = &t->policies[i].failures[j];
			stop = add_source(g, f->sending_mta_ip) ||
			    add_source(g, f->receiving_ip);
		}
	if (stop)
		return (rq_store_fail("query", o->dir, g->st, &g->err));
	return (RQ_EXIT_OK);
}

/* The cells of one report's row; RQ_EXIT_OK or RQ_EXIT_FAIL. */
static int
row_cells(struct out *o, const struct external_report *x, struct gather *g,
    struct strlist *cells)
{
	int	csv = o->fmt == RQ_FORMAT_CSV, rc;

	if (x->report->type != RECORD_DMARC)
		rc = other_sources(o, x, g);
	else
		rc = gather(o, x->id, g);
	if (rc != RQ_EXIT_OK)
		return (rc);
	if (rq_row_cells(x, x->report->type == RECORD_DMARC ? &g->f : NULL,
	    csv, cells) < 0 ||
	    strlist_add_str(cells, g->cell ? g->cell : csv ? "" : "-") < 0)
		return (rq_fail("query", "out of memory"));
	return (RQ_EXIT_OK);
}

/* One report as a table or CSV row; RQ_EXIT_OK or RQ_EXIT_FAIL. */
static int
print_row(struct out *o, const struct external_report *x)
{
	struct strlist cells = { NULL, 0, 0 };
	struct gather g;
	int	rc;

	memset(&g, 0, sizeof(g));
	g.hosts = o->hosts;
	rc = row_cells(o, x, &g, &cells);
	if (rc == RQ_EXIT_OK && o->fmt == RQ_FORMAT_CSV)
		rq_csv_row(stdout, (const char *const *) cells.v, cells.n);
	else if (rc == RQ_EXIT_OK &&
	    rq_table_add(&o->table, (const char *const *) cells.v) < 0)
		rc = rq_fail("query", "out of memory");
	strlist_clear(&cells);
	rq_tally_free(g.seen);
	free(g.cell);
	return (rc);
}

static int
print_one(struct out *o, const char *id)
{
	struct external_report *x;
	struct store_meta meta;
	struct store_error err = { "" };
	enum store_status st;
	int	rc = RQ_EXIT_OK;

	/* A report deleted since the query read it is left out. */
	if ((st = store_get(o->s, id, false, &x, &meta, &err)) ==
	    STORE_NOTFOUND)
		return (RQ_EXIT_OK);
	if (st != STORE_OK)
		return (rq_store_fail("query", o->dir, st, &err));
	if (o->fmt == RQ_FORMAT_TABLE || o->fmt == RQ_FORMAT_CSV)
		rc = print_row(o, x);
	else {
		if (o->fmt == RQ_FORMAT_JSON)
			fputs(o->printed ? ",\n" : "[\n", stdout);
		st = rq_print_object_hosts(stdout, o->s, x, &meta, o->fmt ==
		    RQ_FORMAT_JSON ? RECORD_JSON_PRETTY : 0, o->hosts, &err);
		if (o->fmt == RQ_FORMAT_NDJSON)
			putchar('\n');
		if (st != STORE_OK)
			rc = rq_store_fail("query", o->dir, st, &err);
	}
	o->printed++;
	external_report_free(x);
	return (rc);
}

int
rq_query_print(struct store *s, const char *dir, struct rq_hosts *hosts,
    enum record_type type, enum rq_format fmt, const struct rq_hit *hits,
    size_t n)
{
	struct out o;
	const char *const *row_head, *head[RQ_ROW_MAX + 1];
	unsigned right;
	size_t	ncols = rq_row_head(type, &row_head, &right), i;
	int	rc = RQ_EXIT_OK;

	memset(&o, 0, sizeof(o));
	o.s = s;
	o.dir = dir;
	o.fmt = fmt;
	o.hosts = hosts;
	memcpy(head, row_head, ncols * sizeof(*head));
	head[ncols++] = "sources";
	rq_table_init(&o.table, ncols, head, right);
	/* The sources are what a reader looks for: never cut. */
	o.table.cut &= ~(1u << (ncols - 1));
	if (fmt == RQ_FORMAT_CSV)
		rq_csv_row(stdout, head, ncols);
	for (i = 0; i < n && rc == RQ_EXIT_OK; i++)
		rc = print_one(&o, hits[i].id);
	if (fmt == RQ_FORMAT_JSON)
		fputs(o.printed ? "\n]\n" : "[]\n", stdout);
	if (fmt == RQ_FORMAT_TABLE && rc == RQ_EXIT_OK)
		rq_table_print(&o.table, stdout, "");
	rq_table_clear(&o.table);
	return (rc);
}
