/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_query_out - prints the reports a query found
 * PURPOSE
 *	json is an array of whole objects, ndjson one whole object a line
 *	(both as get prints them, rq_print.h); table and csv are one row per
 *	report (rq_row.h), a DMARC report's messages, passes and failures
 *	added up from its records as they stream. A table is printed once
 *	every row is known (columns are as wide as their widest cell); the
 *	other formats print each report as it is read.
 */
#include <stdlib.h>
#include <string.h>

#include "record_json.h"

#include "rq.h"
#include "rq_print.h"
#include "rq_query.h"
#include "rq_row.h"
#include "rq_table.h"

struct out {
	struct store *s;
	const char *dir;
	enum rq_format fmt;
	struct rq_table table;
	size_t	printed;
};

static int
add_figures(void *arg, const struct dmarc_record *recs, size_t n)
{
	rq_figures_add(arg, recs, n);
	return (0);
}

/* One report as a table or CSV row; RQ_EXIT_OK or RQ_EXIT_FAIL. */
static int
print_row(struct out *o, const struct external_report *x)
{
	struct strlist cells = { NULL, 0, 0 };
	struct rq_figures f = { 0, 0, 0 };
	struct store_error err = { "" };
	enum store_status st;
	int	rc = RQ_EXIT_OK;

	if (x->report->type == RECORD_DMARC &&
	    (st = store_get_records(o->s, x->id, add_figures, &f, &err)) !=
	    STORE_OK)
		return (rq_store_fail("query", o->dir, st, &err));
	if (rq_row_cells(x, &f, o->fmt == RQ_FORMAT_CSV, &cells) < 0)
		rc = rq_fail("query", "out of memory");
	else if (o->fmt == RQ_FORMAT_CSV)
		rq_csv_row(stdout, (const char *const *) cells.v, cells.n);
	else if (rq_table_add(&o->table, (const char *const *) cells.v) < 0)
		rc = rq_fail("query", "out of memory");
	strlist_clear(&cells);
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
		st = rq_print_object(stdout, o->s, x, &meta, o->fmt ==
		    RQ_FORMAT_JSON ? RECORD_JSON_PRETTY : 0, &err);
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
rq_query_print(struct store *s, const char *dir, enum record_type type,
    enum rq_format fmt, const struct rq_hit *hits, size_t n)
{
	struct out o;
	const char *const *head;
	unsigned right;
	size_t	ncols = rq_row_head(type, &head, &right), i;
	int	rc = RQ_EXIT_OK;

	memset(&o, 0, sizeof(o));
	o.s = s;
	o.dir = dir;
	o.fmt = fmt;
	rq_table_init(&o.table, ncols, head, right);
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
