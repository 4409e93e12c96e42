/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_html_days - the bars of a chart over time, from a tally per day
 * PURPOSE
 *	A chart shows every bucket from the first to the last (a day without
 *	reports is an empty bar, not a missing one). Buckets are days while
 *	there are at most RQ_HTML_MAX_DAYS of them, else months, else years;
 *	the keys "YYYY-MM-DD" cut to 7 or 4 bytes name them, so a bucket is
 *	the sum of the days it holds.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rq_html.h"

#define RQ_HTML_MAX_DAYS	92
#define RQ_HTML_MAX_MONTHS	120

/* The day of "YYYY-MM-DD" (or "YYYY-MM", "YYYY") as a struct tm. */
static void
parse_label(const char *s, struct tm *tm)
{
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = atoi(s) - 1900;
	tm->tm_mday = 1;
	if (strlen(s) >= 7)
		tm->tm_mon = atoi(s + 5) - 1;
	if (strlen(s) >= 10)
		tm->tm_mday = atoi(s + 8);
}

/* The label after label, of the same length (10, 7 or 4). */
static void
next_label(const char *label, char *out, size_t size)
{
	struct tm tm;
	time_t	t;
	size_t	len = strlen(label);
	unsigned y, m, d;

	parse_label(label, &tm);
	if (len == 4)
		tm.tm_year++;
	else if (len == 7)
		tm.tm_mon++;
	else
		tm.tm_mday++;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	/* The unsigned remainders tell the compiler the widths. */
	y = (unsigned) (tm.tm_year + 1900) % 10000u;
	m = (unsigned) (tm.tm_mon + 1) % 100u;
	d = (unsigned) tm.tm_mday % 100u;
	if (len == 4)
		snprintf(out, size, "%04u", y);
	else if (len == 7)
		snprintf(out, size, "%04u-%02u", y, m);
	else
		snprintf(out, size, "%04u-%02u-%02u", y, m, d);
}

/* How many buckets of width len (10, 7, 4) lie from a to b. */
static long
buckets(const char *a, const char *b, size_t len)
{
	struct tm x, y;

	parse_label(a, &x);
	parse_label(b, &y);
	if (len == 4)
		return (y.tm_year - x.tm_year + 1);
	if (len == 7)
		return ((y.tm_year - x.tm_year) * 12L + y.tm_mon - x.tm_mon + 1);
	return ((long) ((timegm(&y) - timegm(&x)) / 86400) + 1);
}

static int
by_day(const void *a, const void *b)
{
	const struct rq_tally_row *x = *(const struct rq_tally_row *const *) a;
	const struct rq_tally_row *y = *(const struct rq_tally_row *const *) b;

	return (strcmp(x->key + strlen(x->key) - RQ_HTML_DAY,
	    y->key + strlen(y->key) - RQ_HTML_DAY));
}

/* Keeps the rows of prefix (NULL: all) in v; returns how many. */
static size_t
select_rows(struct rq_tally_row **v, size_t n, const char *prefix)
{
	size_t	i, k = 0, plen = prefix ? strlen(prefix) : 0;

	for (i = 0; i < n; i++) {
		const char *key = v[i]->key;
		size_t	len = strlen(key);

		if (len < RQ_HTML_DAY)
			continue;
		if (prefix != NULL && (len != plen + 1 + RQ_HTML_DAY ||
		    memcmp(key, prefix, plen) != 0 || key[plen] != ' '))
			continue;
		v[k++] = v[i];
	}
	return (k);
}

int
rq_html_days(struct rq_tally *t, const char *prefix, size_t nser,
    struct rq_html_bar **out, size_t *n)
{
	struct rq_tally_row **rows;
	struct rq_html_bar *bars;
	size_t	nrows, i, j, len = RQ_HTML_DAY, k;
	const char *first, *last;
	long	nb;

	*out = NULL;
	*n = 0;
	if ((rows = rq_tally_sorted(t, 0, &nrows)) == NULL)
		return (nrows == 0 && rq_tally_count(t) > 0 ? -1 : 0);
	if ((nrows = select_rows(rows, nrows, prefix)) == 0) {
		free(rows);
		return (0);
	}
	qsort(rows, nrows, sizeof(*rows), by_day);
	first = rows[0]->key + strlen(rows[0]->key) - RQ_HTML_DAY;
	last = rows[nrows - 1]->key + strlen(rows[nrows - 1]->key) -
	    RQ_HTML_DAY;
	if ((nb = buckets(first, last, 10)) > RQ_HTML_MAX_DAYS)
		len = (nb = buckets(first, last, 7)) > RQ_HTML_MAX_MONTHS ? 4 : 7;
	nb = buckets(first, last, len);
	if ((bars = calloc((size_t) nb, sizeof(*bars))) == NULL) {
		free(rows);
		return (-1);
	}
	snprintf(bars[0].label, sizeof(bars[0].label), "%.*s", (int) len, first);
	for (k = 1; k < (size_t) nb; k++)
		next_label(bars[k - 1].label, bars[k].label,
		    sizeof(bars[k].label));
	for (i = 0, k = 0; i < nrows; i++) {
		const char *day = rows[i]->key + strlen(rows[i]->key) -
		    RQ_HTML_DAY;

		while (k + 1 < (size_t) nb && strncmp(bars[k].label, day,
		    len) != 0)
			k++;
		for (j = 0; j < nser && j < RQ_HTML_SERIES; j++)
			bars[k].v[j] += rows[i]->v[j];
	}
	free(rows);
	*out = bars;
	*n = (size_t) nb;
	return (0);
}
