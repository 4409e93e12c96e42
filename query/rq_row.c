/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_row - one report as a row of query --format table|csv
 * PURPOSE
 *	A TLS report's policy domains and an ARF report's reported domains
 *	are joined with spaces into one cell; an absent value is "-" in a
 *	table (rq_table.c) and empty in CSV.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_enum.h"
#include "record_json.h"

#include "rq_row.h"
#include "rq_where.h"

static const char *const dmarc_head[] = { "id", "received", "reporter",
    "domain", "report id", "begin", "end", "messages", "pass", "fail" };
static const char *const tls_head[] = { "id", "received", "reporter",
    "domains", "report id", "begin", "end", "successful", "failed" };
static const char *const arf_head[] = { "id", "received", "reporter",
    "feedback type", "source IP", "domains", "arrival", "incidents" };

#define N(a)	(sizeof(a) / sizeof(a[0]))

void
rq_figures_add(struct rq_figures *f, const struct dmarc_record *recs,
    size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		f->messages += recs[i].count;
		if (rq_record_passes(&recs[i]))
			f->pass += recs[i].count;
		else
			f->fail += recs[i].count;
	}
}

size_t
rq_row_head(enum record_type type, const char *const **head, unsigned *right)
{
	switch (type) {
	case RECORD_DMARC:
		*head = dmarc_head;
		*right = 7u << 7;
		return (N(dmarc_head));
	case RECORD_TLS:
		*head = tls_head;
		*right = 3u << 7;
		return (N(tls_head));
	default:
		*head = arf_head;
		*right = 1u << 7;
		return (N(arf_head));
	}
}

static int
add_time(struct strlist *cells, int64_t t, int csv)
{
	char	buf[32];

	record_json_time(t, buf, sizeof(buf));
	if (!csv) {
		buf[10] = ' ';
		buf[16] = '\0';		/* "YYYY-MM-DD HH:MM" */
	}
	return (strlist_add_str(cells, buf));
}

static int
add_num(struct strlist *cells, uint64_t v)
{
	char	buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return (strlist_add_str(cells, buf));
}

/* An absent or empty value: an empty CSV cell, "-" in a table. */
static int
add_opt(struct strlist *cells, const char *s, int csv)
{
	return (strlist_add_str(cells, s != NULL && *s ? s : csv ? "" : "-"));
}

/*
 * Appends item to the space-separated list *s (grown with realloc; *s
 * NULL to begin). Returns 0, or -1 when out of memory (*s unchanged).
 */
static int
join(char **s, const char *item)
{
	size_t	old = *s ? strlen(*s) : 0, add = strlen(item);
	char   *n;

	if ((n = realloc(*s, old + add + 2)) == NULL)
		return (-1);
	if (old > 0)
		n[old++] = ' ';
	memcpy(n + old, item, add + 1);
	*s = n;
	return (0);
}

/* Adds the joined list s (borrowed) as one cell, unless joining failed. */
static int
add_joined(struct strlist *cells, const char *s, int failed, int csv)
{
	return (failed ? -1 : add_opt(cells, s, csv));
}

static int
dmarc_cells(const struct dmarc_report *d, const struct rq_figures *f,
    int csv, struct strlist *c)
{
	static const struct rq_figures zero;

	if (f == NULL)
		f = &zero;
	return (add_opt(c, d->org_name[0] ? d->org_name : d->email, csv) ||
	    add_opt(c, d->policy_domain, csv) ||
	    add_opt(c, d->report_id, csv) ||
	    add_time(c, d->date_range_begin, csv) ||
	    add_time(c, d->date_range_end, csv) ||
	    add_num(c, f->messages) || add_num(c, f->pass) ||
	    add_num(c, f->fail) ? -1 : 0);
}

static int
tls_cells(const struct tls_report *t, int csv, struct strlist *c)
{
	uint64_t ok = 0, failed = 0;
	size_t	i;
	char   *domains = NULL;
	int	nomem = 0, rc;

	for (i = 0; i < t->n_policies; i++) {
		ok += t->policies[i].total_successful_sessions;
		failed += t->policies[i].total_failed_sessions;
		nomem = nomem || join(&domains, t->policies[i].policy_domain);
	}
	rc = (add_opt(c, t->organization_name, csv) ||
	    add_joined(c, domains, nomem, csv) ||
	    add_opt(c, t->report_id, csv) ||
	    add_time(c, t->date_range_start, csv) ||
	    add_time(c, t->date_range_end, csv) ||
	    add_num(c, ok) || add_num(c, failed) ? -1 : 0);
	free(domains);
	return (rc);
}

static int
arf_cells(const struct external_report *x, int csv, struct strlist *c)
{
	const struct arf_report *a = &x->report->u.arf;
	char   *domains = NULL;
	size_t	i;
	int	nomem = 0, rc;

	for (i = 0; i < a->reported_domains.n; i++)
		nomem = nomem || join(&domains, a->reported_domains.v[i]);
	rc = (add_opt(c, x->from, csv) ||
	    add_opt(c, record_enum_name(RENUM_ARF_FEEDBACK_TYPE,
	    (int) a->feedback_type), csv) ||
	    add_opt(c, a->source_ip, csv) ||
	    add_joined(c, domains, nomem, csv) ||
	    (a->has_arrival_date ? add_time(c, a->arrival_date, csv) :
	    add_opt(c, NULL, csv)) ||
	    add_num(c, a->incidents) ? -1 : 0);
	free(domains);
	return (rc);
}

int
rq_row_cells(const struct external_report *x, const struct rq_figures *f,
    int csv, struct strlist *cells)
{
	if (add_opt(cells, x->id, csv) < 0 ||
	    add_time(cells, x->received_at, csv) < 0)
		return (-1);
	switch (x->report->type) {
	case RECORD_DMARC:
		return (dmarc_cells(&x->report->u.dmarc, f, csv, cells));
	case RECORD_TLS:
		return (tls_cells(&x->report->u.tls, csv, cells));
	default:
		return (arf_cells(x, csv, cells));
	}
}
