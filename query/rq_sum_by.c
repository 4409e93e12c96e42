/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_sum_by - summary --by: DMARC messages by service or base domain
 * PURPOSE
 *	Built from the summary's finished per-source-IP tally rather than
 *	from the records again: each IP there is one host read, however
 *	many records and reports name it, and its messages, passes and
 *	failures are added to the row of its service or base domain.
 *	Base domains are counted in lower case, as domains are elsewhere in
 *	the summary.
 */
#include <ctype.h>
#include <string.h>

#include "rq.h"
#include "rq_hosts.h"
#include "rq_sum_by.h"

#define UNKNOWN	"unknown"

int
rq_sum_by_name(const char *name, enum rq_sum_by *by)
{
	if (strcmp(name, "service") == 0)
		*by = RQ_SUM_BY_SERVICE;
	else if (strcmp(name, "base-domain") == 0)
		*by = RQ_SUM_BY_BASE_DOMAIN;
	else
		return (-1);
	return (0);
}

/* The row key of a source whose host entry is h (NULL: none), in buf. */
static const char *
group_key(const struct store_host *h, enum rq_sum_by by, char *buf,
    size_t size)
{
	const char *k;
	size_t	i;

	if (h == NULL)
		return (UNKNOWN);
	k = by == RQ_SUM_BY_SERVICE ? h->service : h->base_domain;
	if (*k == '\0')
		return (UNKNOWN);
	if (by == RQ_SUM_BY_SERVICE)
		return (k);
	for (i = 0; k[i] && i + 1 < size; i++)
		buf[i] = (char) tolower((unsigned char) k[i]);
	buf[i] = '\0';
	return (buf);
}

struct regroup {
	struct rq_hosts *hosts;
	enum rq_sum_by by;
	struct rq_tally *to;
	struct store_error err;
	enum store_status st;
};

/* Adds one source IP row to its group (rq_tally_each()). */
static int
regroup_row(void *arg, struct rq_tally_row *r)
{
	struct regroup *g = arg;
	const struct store_host *h;
	char	buf[STORE_HOST_NAME_MAX];
	uint64_t *v;
	size_t	i;

	if ((g->st = rq_hosts_get(g->hosts, r->key, &h, &g->err)) !=
	    STORE_OK)
		return (1);
	if ((v = rq_tally_get(g->to, group_key(h, g->by, buf,
	    sizeof(buf)))) == NULL) {
		g->st = STORE_NOMEM;
		return (1);
	}
	for (i = 0; i < RQ_TALLY_COLS; i++)
		v[i] += r->v[i];
	return (0);
}

/* Adds every source IP row of from to its group in to; RQ_EXIT_*. */
static int
regroup(const char *verb, const char *dir, struct store *s,
    struct rq_tally *from, enum rq_sum_by by, struct rq_tally *to)
{
	struct regroup g = { NULL, by, to, { "" }, STORE_OK };

	if ((g.hosts = rq_hosts_new(s)) == NULL)
		return (rq_fail(verb, "out of memory"));
	if (rq_tally_each(from, regroup_row, &g) < 0)
		g.st = STORE_NOMEM;
	rq_hosts_free(g.hosts);
	if (g.st == STORE_NOMEM)
		return (rq_fail(verb, "out of memory"));
	return (g.st == STORE_OK ? RQ_EXIT_OK :
	    rq_store_fail(verb, dir, g.st, &g.err));
}

int
rq_sum_by_print(const char *verb, const char *dir, struct store *s,
    struct rq_sum *sum, enum rq_sum_by by, FILE *fp, size_t top)
{
	struct rq_tally *t;
	int	rc;

	if (by == RQ_SUM_BY_NONE || sum->reports[RECORD_DMARC] == 0)
		return (RQ_EXIT_OK);
	if ((t = rq_tally_new()) == NULL)
		return (rq_fail(verb, "out of memory"));
	if (top > 0)
		rq_tally_spill(t, RQ_SUM_KEYS);
	rc = regroup(verb, dir, s, sum->t[RQ_SUM_DMARC_IP], by, t);
	if (rc == RQ_EXIT_OK && rq_sum_print_dmarc(t, by ==
	    RQ_SUM_BY_SERVICE ? "DMARC messages by service" :
	    "DMARC messages by base domain", by == RQ_SUM_BY_SERVICE ?
	    "service" : "base domain", fp, top) < 0)
		rc = rq_fail(verb, "out of memory");
	rq_tally_free(t);
	return (rc);
}
