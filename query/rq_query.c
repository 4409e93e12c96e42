/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_query - report-query query: the reports of a type that match
 * PURPOSE
 *	Reads TYPE and the --where clauses (rq_where.h), takes candidates
 *	from the best index (rq_candidates()), evaluates every clause on
 *	each candidate (streaming a DMARC report's records when a clause
 *	needs them), sorts the matches, keeps the first --limit and prints
 *	them (rq_query_out.c). The host cache (rq_hosts.h) serves both the
 *	service, base-domain, country and asn clauses and the output.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rq.h"
#include "rq_hosts.h"
#include "rq_ids.h"
#include "rq_query.h"
#include "rq_where.h"

enum sort_key { SORT_RECEIVED, SORT_DATE, SORT_DOMAIN, SORT_REPORTER };

struct query {
	const char *dir;
	struct rq_where w;
	enum sort_key sort;
	int	reverse;
	size_t	limit;			/* 0: all */
	enum rq_format fmt;
	struct store *s;
	struct rq_hosts *hosts;		/* one read per source IP, all along */
	enum store_status host_st;	/* a host read that failed */
	struct store_error host_err;
	struct rq_hit *hits;
	size_t	n, cap;
};

static const struct {
	const char *name, *alias;
	enum record_type type;
} types[] = {
	{ "dmarc-external-report", "dmarc", RECORD_DMARC },
	{ "tls-external-report", "tls", RECORD_TLS },
	{ "arf-external-report", "arf", RECORD_ARF },
};

static void
query_help(void)
{
	printf("usage: %s query TYPE [--store DIR] [--where EXPR]... "
	    "[--sort FIELD]\n"
	    "       [--reverse] [--limit N] [--format table|csv|json|ndjson]\n\n"
	    "Lists the stored reports of TYPE (dmarc-external-report,\n"
	    "tls-external-report, arf-external-report) that match every EXPR.\n\n"
	    "  --where EXPR   FIELD OP VALUE; FIELD is domain, reporter,\n"
	    "                 report-id, received, expires, date, ip, dmarc,\n"
	    "                 tls-failed, feedback-type, authenticated, text,\n"
	    "                 or, for a DMARC record's source as enrich found\n"
	    "                 it, service, base-domain, country or asn; OP is\n"
	    "                 =, !=, <, <=, >, >=, ~ (contains) or !~\n"
	    "  --sort FIELD   received (default, newest first), date (newest\n"
	    "                 first), domain or reporter (A to Z)\n"
	    "  --reverse      the other way round\n"
	    "  --limit N      the first N only\n"
	    "  --format F     table (default), csv, json (an array) or ndjson;\n"
	    "                 source IPs (DMARC records, TLS sending MTAs and\n"
	    "                 receiving IPs, ARF sources) come with what\n"
	    "                 enrich found of them (the sources column; in\n"
	    "                 JSON \"@host\", \"@sendingMtaHost\" and\n"
	    "                 \"@receivingHost\")\n"
	    "  --store DIR    the store (default: StoreDir of %s,\n"
	    "                 else %s)\n\n"
	    "Examples: --where domain=example.com --where dmarc=fail\n"
	    "          --where ip=192.0.2.0/24 --where received>=2026-01-01\n"
	    "          --where service=Google --where asn=AS15169\n\n"
	    "Exit status: 0 done (also when nothing matches), 1 the store\n"
	    "failed, 2 usage error.\n", rq_progname, RQ_CONFIG_FILE,
	    RQ_DEFAULT_STORE);
}

/* ---- matching ---- */

/* rq_where_host_fn over the host cache; a failure is kept in q. */
static int
source_host(void *arg, const char *ip, struct rq_where_host *wh)
{
	struct query *q = arg;
	const struct store_host *h;
	enum store_status st;

	if ((st = rq_hosts_get(q->hosts, ip, &h, &q->host_err)) != STORE_OK) {
		q->host_st = st;
		return (-1);
	}
	if (h == NULL)
		return (0);
	wh->service = h->service;
	wh->base_domain = h->base_domain;
	wh->country = h->country;
	wh->asn = h->asn;
	return (1);
}

static int
feed_records(void *arg, const struct dmarc_record *recs, size_t n)
{
	return (rq_match_records(arg, recs, n) != 0);
}

/* The first domain of a report, lower case, and its reporter. */
static int
hit_keys(struct rq_hit *h, const struct external_report *x)
{
	const struct report *r = x->report;
	const char *dom = "", *rep = x->from;
	size_t	i;

	if (r->type == RECORD_DMARC) {
		dom = r->u.dmarc.policy_domain;
		rep = r->u.dmarc.org_name[0] ? r->u.dmarc.org_name :
		    r->u.dmarc.email;
	} else if (r->type == RECORD_TLS) {
		if (r->u.tls.n_policies > 0)
			dom = r->u.tls.policies[0].policy_domain;
		if (r->u.tls.organization_name != NULL)
			rep = r->u.tls.organization_name;
	} else if (r->u.arf.reported_domains.n > 0)
		dom = r->u.arf.reported_domains.v[0];
	if ((h->domain = strdup(dom)) == NULL ||
	    (h->reporter = strdup(rep)) == NULL)
		return (-1);
	for (i = 0; h->domain[i]; i++)
		h->domain[i] = (char) tolower((unsigned char) h->domain[i]);
	return (0);
}

/* Keeps x as a match; RQ_EXIT_OK or RQ_EXIT_FAIL (out of memory). */
static int
add_hit(struct query *q, const struct external_report *x)
{
	struct rq_hit *h;
	const struct report *r = x->report;

	if (q->n == q->cap) {
		size_t	cap = q->cap ? q->cap * 2 : 64;

		if ((h = realloc(q->hits, cap * sizeof(*h))) == NULL)
			return (rq_fail("query", "out of memory"));
		q->hits = h;
		q->cap = cap;
	}
	h = &q->hits[q->n];
	memset(h, 0, sizeof(*h));
	snprintf(h->id, sizeof(h->id), "%s", x->id);
	h->received = x->received_at;
	h->date = r->type == RECORD_DMARC ? r->u.dmarc.date_range_begin :
	    r->type == RECORD_TLS ? r->u.tls.date_range_start :
	    r->u.arf.has_arrival_date ? r->u.arf.arrival_date : 0;
	if (hit_keys(h, x) < 0) {
		free(h->domain);
		return (rq_fail("query", "out of memory"));
	}
	q->n++;
	return (RQ_EXIT_OK);
}

/* Reads and evaluates one candidate; RQ_EXIT_OK or RQ_EXIT_FAIL. */
static int
consider(struct query *q, const char *id)
{
	struct external_report *x;
	struct store_error err = { "" };
	struct rq_match m;
	enum store_status st;
	enum rq_verdict v;
	int	rc = RQ_EXIT_OK;

	if ((st = store_get(q->s, id, false, &x, NULL, &err)) == STORE_NOTFOUND)
		return (RQ_EXIT_OK);
	if (st != STORE_OK)
		return (rq_store_fail("query", q->dir, st, &err));
	v = rq_match_report(&m, &q->w, x);
	if (v == RQ_MATCH_RECORDS) {
		st = store_get_records(q->s, id, feed_records, &m, &err);
		if (st != STORE_OK && st != STORE_STOPPED)
			rc = rq_store_fail("query", q->dir, st, &err);
		else if (q->host_st != STORE_OK)
			rc = rq_store_fail("query", q->dir, q->host_st,
			    &q->host_err);
		v = rq_match_result(&m) ? RQ_MATCH_YES : RQ_MATCH_NO;
	}
	if (v == RQ_MATCH_NOMEM)
		rc = rq_fail("query", "out of memory");
	else if (v == RQ_MATCH_YES && rc == RQ_EXIT_OK)
		rc = add_hit(q, x);
	external_report_free(x);
	return (rc);
}

/* ---- sorting ---- */

static const struct query *sorting;	/* qsort has no argument for it */

static int
by_key(const void *a, const void *b)
{
	const struct rq_hit *x = a, *y = b;
	int	c = 0;

	switch (sorting->sort) {
	case SORT_DATE:
		c = x->date == y->date ? 0 : x->date > y->date ? -1 : 1;
		break;
	case SORT_DOMAIN:
		c = strcmp(x->domain, y->domain);
		break;
	case SORT_REPORTER:
		c = strcasecmp(x->reporter, y->reporter);
		break;
	default:
		break;
	}
	/* Ties, and the default: newest received first, then newest id. */
	if (c == 0 && x->received != y->received)
		c = x->received > y->received ? -1 : 1;
	if (c == 0)
		c = -strcmp(x->id, y->id);
	return (sorting->reverse ? -c : c);
}

/* ---- the verb ---- */

static int
run(struct query *q)
{
	struct rq_ids ids = { NULL, 0, 0, 0 };
	struct store_error err = { "" };
	enum store_status st;
	size_t	i;
	int	rc = RQ_EXIT_OK;

	if (rq_open("query", q->dir, false, &q->s) != RQ_EXIT_OK)
		return (RQ_EXIT_FAIL);
	if ((q->hosts = rq_hosts_new(q->s)) == NULL) {
		store_close(q->s);
		return (rq_fail("query", "out of memory"));
	}
	q->w.host = source_host;
	q->w.host_arg = q;
	if ((st = rq_candidates(q->s, &q->w, &ids, &err)) != STORE_OK)
		rc = rq_store_fail("query", q->dir, st, &err);
	for (i = 0; i < ids.n && rc == RQ_EXIT_OK; i++)
		rc = consider(q, ids.v[i]);
	rq_ids_clear(&ids);
	if (rc == RQ_EXIT_OK) {
		sorting = q;
		if (q->n > 1)
			qsort(q->hits, q->n, sizeof(*q->hits), by_key);
		rc = rq_query_print(q->s, q->dir, q->hosts, q->w.type, q->fmt,
		    q->hits, q->limit && q->limit < q->n ? q->limit : q->n);
	}
	rq_hosts_free(q->hosts);
	store_close(q->s);
	for (i = 0; i < q->n; i++) {
		free(q->hits[i].domain);
		free(q->hits[i].reporter);
	}
	free(q->hits);
	return (rq_flush("query", rc));
}

static int
set_format(struct query *q, const char *f)
{
	static const char *const names[] = { "table", "json", "ndjson", "csv" };
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(f, names[i]) == 0) {
			q->fmt = (enum rq_format) i;
			return (0);
		}
	return (rq_usage_error("query", "unknown format '%s'", f));
}

static int
set_sort(struct query *q, const char *f)
{
	static const char *const names[] = { "received", "date", "domain",
	    "reporter" };
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(f, names[i]) == 0) {
			q->sort = (enum sort_key) i;
			return (0);
		}
	return (rq_usage_error("query", "cannot sort by '%s' (received, "
	    "date, domain, reporter)", f));
}

/* TYPE, then every --where clause (kept in wheres until TYPE is known). */
static int
set_type_and_where(struct query *q, const char *type,
    const struct strlist *wheres)
{
	char	why[256];
	size_t	i;
	int	rc;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(type, types[i].name) == 0 ||
		    strcmp(type, types[i].alias) == 0)
			break;
	if (i == sizeof(types) / sizeof(types[0]))
		return (rq_usage_error("query", "unknown TYPE '%s' "
		    "(dmarc-external-report, tls-external-report, "
		    "arf-external-report)", type));
	rq_where_init(&q->w, types[i].type);
	for (i = 0; i < wheres->n; i++)
		if ((rc = rq_where_add(&q->w, wheres->v[i], why,
		    sizeof(why))) != 0)
			return (rc == -2 ? rq_fail("query", "out of memory") :
			    rq_usage_error("query", "--where %s: %s",
			    wheres->v[i], why));
	return (0);
}

static int
query_options(struct query *q, int argc, char **argv, struct strlist *wheres)
{
	static const struct option longopts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "where", required_argument, NULL, 'w' },
		{ "sort", required_argument, NULL, 'o' },
		{ "reverse", no_argument, NULL, 'r' },
		{ "limit", required_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			q->dir = optarg;
			break;
		case 'w':
			if (strlist_add_str(wheres, optarg) < 0)
				return (rq_fail("query", "out of memory"));
			break;
		case 'o':
			if (set_sort(q, optarg) != 0)
				return (RQ_EXIT_USAGE);
			break;
		case 'r':
			q->reverse = 1;
			break;
		case 'l':
			if (rq_count_arg("query", "--limit", optarg,
			    &q->limit) != 0)
				return (RQ_EXIT_USAGE);
			if (q->limit == 0)
				return (rq_usage_error("query", "--limit: "
				    "give 1 or more"));
			break;
		case 'f':
			if (set_format(q, optarg) != 0)
				return (RQ_EXIT_USAGE);
			break;
		case 'h':
			query_help();
			return (-1);
		default:
			return (rq_usage_error("query", "unknown option"));
		}
	}
	if (optind >= argc)
		return (rq_usage_error("query", "no TYPE given"));
	if (optind + 1 < argc)
		return (rq_usage_error("query", "unexpected argument '%s'",
		    argv[optind + 1]));
	return (set_type_and_where(q, argv[optind], wheres));
}

int
rq_query(int argc, char **argv)
{
	struct query q;
	struct strlist wheres = { NULL, 0, 0 };
	int	rc;

	memset(&q, 0, sizeof(q));
	rq_where_init(&q.w, RECORD_DMARC);
	rc = query_options(&q, argc, argv, &wheres);
	strlist_clear(&wheres);
	if (rc == 0) {
		if (q.dir == NULL)
			q.dir = rq_default_store();
		rc = run(&q);
	}
	rq_where_clear(&q.w);
	return (rc < 0 ? RQ_EXIT_OK : rc);
}
