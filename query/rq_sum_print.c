/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_sum_print - prints the summary's tables
 * PURPOSE
 *	One table description per tally: its title, column names, which
 *	counters it shows, the counter it is sorted by (largest first) and
 *	whether it gets a percentage of passed messages. The source-IP
 *	tables are cut to their top rows; the others are printed whole,
 *	since a postmaster has few domains and reporters.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "rq_sum.h"
#include "rq_sum_by.h"
#include "rq_table.h"
#include "rq_top.h"

#define NOPCT	((size_t) -1)

static const struct section {
	enum rq_sum_table table;
	enum record_type type;
	const char *title;
	const char *head[6];
	size_t	nvals;		/* counters shown: v[0] .. v[nvals-1] */
	size_t	sort;		/* counter sorted by */
	size_t	pct_of, pct_part;	/* pass %: v[part] / v[of] */
	int	top;		/* cut to the top rows */
} sections[] = {
	{ RQ_SUM_DMARC_DOMAIN, RECORD_DMARC, "DMARC messages by policy domain",
	    { "policy domain", "reports", "messages", "pass", "fail",
	    "pass %" }, 4, 1, 1, 2, 0 },
	{ RQ_SUM_DMARC_IP, RECORD_DMARC, "DMARC messages by source IP",
	    { "source IP", "messages", "pass", "fail", "pass %" }, 3, 0, 0,
	    1, 1 },
	{ RQ_SUM_DMARC_REPORTER, RECORD_DMARC, "DMARC messages by reporter",
	    { "reporter", "reports", "messages", "pass", "fail", "pass %" }, 4,
	    1, 1, 2, 0 },
	{ RQ_SUM_TLS_DOMAIN, RECORD_TLS, "TLS sessions by policy domain",
	    { "policy domain", "reports", "successful", "failed" }, 3, 2,
	    NOPCT, 0, 0 },
	{ RQ_SUM_TLS_RESULT, RECORD_TLS, "TLS failed sessions by result type",
	    { "result type", "details", "sessions" }, 2, 1, NOPCT, 0, 0 },
	{ RQ_SUM_ARF_TYPE, RECORD_ARF, "ARF reports by feedback type",
	    { "feedback type", "reports", "incidents" }, 2, 0, NOPCT, 0, 0 },
	{ RQ_SUM_ARF_IP, RECORD_ARF, "ARF reports by source IP",
	    { "source IP", "reports", "incidents" }, 2, 0, NOPCT, 0, 1 },
};

/* The cells of one row into buf (room for 6 numbers), cells[] pointing in. */
static void
row_cells(const struct section *sec, const struct rq_tally_row *r,
    char buf[6][32], const char *cells[6])
{
	size_t	i, n = 0;

	cells[n++] = r->key;
	for (i = 0; i < sec->nvals; i++) {
		snprintf(buf[n], sizeof(buf[n]), "%" PRIu64, r->v[i]);
		cells[n] = buf[n];
		n++;
	}
	if (sec->pct_of != NOPCT) {
		if (r->v[sec->pct_of] == 0)
			snprintf(buf[n], sizeof(buf[n]), "-");
		else
			snprintf(buf[n], sizeof(buf[n]), "%.1f", 100.0 *
			    (double) r->v[sec->pct_part] /
			    (double) r->v[sec->pct_of]);
		cells[n] = buf[n];
	}
}

static int
print_tally(struct rq_tally *tally, const struct section *sec, FILE *fp,
    size_t top)
{
	struct rq_top k;
	struct rq_table t;
	size_t	i, ncols = 1 + sec->nvals + (sec->pct_of != NOPCT ? 1 : 0);
	char	buf[6][32];
	const char *cells[6];

	rq_top_init(&k, sec->top ? top : 0, sec->sort);
	if (rq_top_tally(&k, tally) < 0) {
		rq_top_clear(&k);
		return (-1);
	}
	rq_top_done(&k);
	if (k.n < k.seen)
		fprintf(fp, "\n%s (top %zu of %zu)\n", sec->title, k.n, k.seen);
	else
		fprintf(fp, "\n%s\n", sec->title);
	if (k.seen == 0) {
		fprintf(fp, "  (none)\n");
		return (0);
	}
	rq_table_init(&t, ncols, sec->head, ~1u);
	t.cut = 0;		/* a key is shown whole: it is what is looked for */
	for (i = 0; i < k.n; i++) {
		row_cells(sec, &k.v[i], buf, cells);
		if (rq_table_add(&t, cells) < 0) {
			rq_table_clear(&t);
			rq_top_clear(&k);
			return (-1);
		}
	}
	rq_table_print(&t, fp, "  ");
	rq_table_clear(&t);
	rq_top_clear(&k);
	return (0);
}

static int
print_section(struct rq_sum *s, const struct section *sec, FILE *fp,
    size_t top)
{
	return (print_tally(s->t[sec->table], sec, fp, top));
}

/* summary --by: another grouping, with the per-source-IP columns. */
int
rq_sum_print_dmarc(struct rq_tally *t, const char *title, const char *key,
    FILE *fp, size_t top)
{
	const struct section *ip = sections;
	struct section sec;

	while (ip->table != RQ_SUM_DMARC_IP)
		ip++;
	sec = *ip;
	sec.title = title;
	sec.head[0] = key;
	return (print_tally(t, &sec, fp, top));
}

int
rq_sum_print(struct rq_sum *s, FILE *fp, size_t top)
{
	static const char *const names[] = { "", "DMARC aggregate", "TLS",
	    "ARF" };
	enum record_type last = 0;
	size_t	i;

	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		const struct section *sec = &sections[i];

		if (sec->type != last) {
			fprintf(fp, "\n%s reports: %" PRIu64 "\n",
			    names[sec->type], s->reports[sec->type]);
			last = sec->type;
		}
		if (s->reports[sec->type] == 0)
			continue;
		if (print_section(s, sec, fp, top) < 0)
			return (-1);
	}
	return (0);
}
