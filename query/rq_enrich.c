/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_enrich - report-query enrich: names, places and services of sources
 * PURPOSE
 *	Finds what the host cache of the store does not know yet of the
 *	store's source IPs (store_ips_each()): never looked up, the TTL of
 *	the last answer passed, or a failure whose retry time has come. It
 *	looks those up in parallel (rq_enrich_dns.c) and writes each one's
 *	name, base domain, country, AS and service to the cache. The MMDB
 *	files and the service map are applied again to every cached entry,
 *	so that a new file or map line counts without a lookup. A failed
 *	lookup keeps what an earlier one found, and is recorded with its
 *	retry time; it is no failure of the run.
 *
 *	This is the only place of the program that uses the network for
 *	sources: report-milter never looks anything up.
 */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rq.h"
#include "rq_enrich.h"

#define RQ_ENRICH_MMDB_MAX	4
#define RQ_ENRICH_MAP_MAX	8
#define RQ_ENRICH_BATCH		1000	/* entries per write transaction */
#ifndef DATADIR
#define DATADIR	"/usr/share"
#endif
#define RQ_ENRICH_MAP		DATADIR "/report-milter/services.map"
#define RQ_ENRICH_LOCAL_MAP	SYSCONFDIR "/report-milter/services.map"

struct rq_enrich {
	struct store *s;
	struct rq_dns *dns;
	struct rq_mmdb *mmdb[RQ_ENRICH_MMDB_MAX];
	unsigned n_mmdb;
	struct rq_service *map;
	unsigned jobs;
	double	timeout;
	int64_t	retry_after;
	int64_t	now;
	/* the addresses of this run, and what is cached of each */
	char  **ips;
	struct store_host *hosts;
	bool   *lookup;		/* ips[i] is to be looked up */
	bool   *dirty;		/* hosts[i] is to be written */
	size_t	n, cap;
};

static volatile sig_atomic_t enrich_stop;

static void
enrich_on_signal(int sig)
{
	(void)sig;
	enrich_stop = 1;
}

static void
enrich_help(void)
{
	printf("usage: %s enrich [--store DIR] [--resolver ADDR[:PORT]] "
	    "[--mmdb FILE]...\n"
	    "           [--services FILE]... [--timeout S] [--jobs N] "
	    "[--retry-after S]\n"
	    "           [--follow [--interval S]]\n"
	    "       %s enrich --list [--store DIR]\n\n"
	    "Looks up the source IPs of the stored reports that the store's host\n"
	    "cache does not know yet (or whose DNS TTL has passed, or whose last\n"
	    "lookup failed and may be retried): the reverse DNS name, confirmed\n"
	    "forward, its base domain (Public Suffix List), country and AS (an\n"
	    "MMDB file) and the service (the service map).\n\n"
	    "  --resolver ADDR[:PORT]  the DNS server to ask (default: those of\n"
	    "                      /etc/resolv.conf)\n"
	    "  --mmdb FILE         a MaxMind-format file (City, Country or ASN);\n"
	    "                      up to %d\n"
	    "  --services FILE     a service map read after %s\n"
	    "                      and %s (default)\n"
	    "  --timeout S         seconds for each DNS query (default 5)\n"
	    "  --jobs N            lookups at once (default 200)\n"
	    "  --retry-after S     a failed lookup waits this long (default 300)\n"
	    "  --follow            enrich again every --interval seconds until TERM\n"
	    "  --interval S        (default 60)\n"
	    "  --list              print the host cache as JSON lines, look up "
	    "nothing\n\n"
	    "Exit status: 0 done (failed lookups included: they are retried),\n"
	    "1 the store or a file could not be used, 2 usage error.\n",
	    rq_progname, rq_progname, RQ_ENRICH_MMDB_MAX, RQ_ENRICH_MAP, RQ_ENRICH_LOCAL_MAP);
}

/* Applies the MMDB files and the service map to entry i. */
static void
enrich_annotate(struct rq_enrich *e, size_t i)
{
	struct store_host *h = &e->hosts[i], old = *h;
	const char *svc, *type;
	unsigned k;

	rq_psl_base(h->name, h->base_domain, sizeof(h->base_domain));
	for (k = 0; k < e->n_mmdb; k++)
		rq_mmdb_lookup(e->mmdb[k], e->ips[i], h);
	h->service[0] = h->service_type[0] = '\0';
	/* A name that does not lead back to the address is anyone's claim. */
	if (h->confirmed && rq_service_find(e->map, h->name, &svc, &type)) {
		snprintf(h->service, sizeof(h->service), "%s", svc);
		snprintf(h->service_type, sizeof(h->service_type), "%s", type);
	}
	if (memcmp(&old, h, sizeof(old)) != 0)
		e->dirty[i] = true;
}

/* Keeps ip and its cache entry; whether it is due for a lookup. */
static int
enrich_add(void *arg, const char *ip)
{
	struct rq_enrich *e = arg;
	struct store_error err = { "" };
	struct store_host *h;
	enum store_status st;
	size_t	cap;
	void   *p;

	if (e->n == e->cap) {
		cap = e->cap ? e->cap * 2 : 1024;
		if ((p = realloc(e->ips, cap * sizeof(*e->ips))) == NULL)
			return (-1);
		e->ips = p;
		if ((p = realloc(e->hosts, cap * sizeof(*e->hosts))) == NULL)
			return (-1);
		e->hosts = p;
		if ((p = realloc(e->lookup, cap)) == NULL)
			return (-1);
		e->lookup = p;
		if ((p = realloc(e->dirty, cap)) == NULL)
			return (-1);
		e->dirty = p;
		e->cap = cap;
	}
	h = &e->hosts[e->n];
	if ((e->ips[e->n] = strdup(ip)) == NULL)
		return (-1);
	st = store_host_get(e->s, ip, h, &err);
	e->dirty[e->n] = false;
	if (st != STORE_OK)
		e->lookup[e->n] = true;
	else if (h->error[0] != '\0')
		e->lookup[e->n] = h->retry_at <= e->now;
	else
		e->lookup[e->n] = h->expires_at <= e->now;
	e->n++;
	return (0);
}

static void
enrich_clear(struct rq_enrich *e)
{
	size_t	i;

	for (i = 0; i < e->n; i++)
		free(e->ips[i]);
	e->n = 0;
}

/* Looks up the due addresses and folds the answers into their entries. */
static int
enrich_resolve(struct rq_enrich *e, size_t *asked, size_t *failed)
{
	struct rq_dns_answer *a;
	const char **ips;
	size_t	i, k = 0, m = 0;
	char	why[256];
	int	rc = 0;

	for (i = 0; i < e->n; i++)
		m += e->lookup[i];
	*asked = m;
	*failed = 0;
	if (m == 0)
		return (0);
	a = calloc(m, sizeof(*a));
	ips = calloc(m, sizeof(*ips));
	if (a == NULL || ips == NULL) {
		free(a);
		free(ips);
		return (rq_fail("enrich", "out of memory"));
	}
	for (i = 0; i < e->n; i++)
		if (e->lookup[i])
			ips[k++] = e->ips[i];
	if (rq_dns_lookup(e->dns, ips, m, a, e->jobs, e->timeout, why,
	    sizeof(why)) < 0) {
		rc = rq_fail("enrich", "%s", why);
		goto out;
	}
	for (i = 0, k = 0; i < e->n; i++) {
		struct store_host *h = &e->hosts[i];

		if (!e->lookup[i])
			continue;
		e->dirty[i] = true;
		if (a[k].error[0] != '\0') {
			/* Keep what an earlier answer found; try again later. */
			snprintf(h->error, sizeof(h->error), "%s", a[k].error);
			h->retry_at = e->now + e->retry_after;
			(*failed)++;
		} else {
			memcpy(h->name, a[k].name, sizeof(h->name));
			h->confirmed = a[k].confirmed;
			h->resolved_at = e->now;
			h->expires_at = e->now + a[k].ttl;
			h->error[0] = '\0';
			h->retry_at = 0;
		}
		k++;
	}
out:
	free(a);
	free(ips);
	return (rc);
}

/* Writes the changed entries in batches. */
static int
enrich_write(struct rq_enrich *e, size_t *written)
{
	struct store_error err = { "" };
	struct store_host *batch;
	enum store_status st;
	const char **ips;
	size_t	i, k = 0;
	int	rc = 0;

	*written = 0;
	batch = calloc(RQ_ENRICH_BATCH, sizeof(*batch));
	ips = calloc(RQ_ENRICH_BATCH, sizeof(*ips));
	if (batch == NULL || ips == NULL) {
		rc = rq_fail("enrich", "out of memory");
		goto out;
	}
	for (i = 0; i <= e->n; i++) {
		if (i < e->n && e->dirty[i]) {
			ips[k] = e->ips[i];
			batch[k++] = e->hosts[i];
		}
		if (k == RQ_ENRICH_BATCH || (i == e->n && k > 0)) {
			st = store_host_put(e->s, ips, batch, k, &err);
			if (st != STORE_OK) {
				rc = rq_store_fail("enrich", store_dir(e->s), st,
				    &err);
				goto out;
			}
			*written += k;
			k = 0;
		}
	}
out:
	free(batch);
	free(ips);
	return (rc);
}

/* One pass over the store: gather, look up, annotate, write, report. */
static int
enrich_once(struct rq_enrich *e)
{
	struct store_error err = { "" };
	struct timespec t0, t1;
	enum store_status st;
	size_t	asked, failed, written, i, named = 0, confirmed = 0;
	double	secs;
	int	rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	e->now = (int64_t)time(NULL);
	enrich_clear(e);
	if ((st = store_ips_each(e->s, enrich_add, e, &err)) != STORE_OK)
		return (st == STORE_STOPPED ? rq_fail("enrich", "out of memory") :
		    rq_store_fail("enrich", store_dir(e->s), st, &err));
	if ((rc = enrich_resolve(e, &asked, &failed)) != 0)
		return (rc);
	for (i = 0; i < e->n; i++) {
		enrich_annotate(e, i);
		named += e->hosts[i].name[0] != '\0';
		confirmed += e->hosts[i].confirmed;
	}
	if ((rc = enrich_write(e, &written)) != 0)
		return (rc);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%zu sources: %zu looked up in %.2f s (%.0f/s), %zu failed "
	    "(retried later); %zu named, %zu confirmed; %zu entries written\n",
	    e->n, asked, secs, secs > 0 ? (double)asked / secs : 0.0, failed,
	    named, confirmed, written);
	return (rq_flush("enrich", RQ_EXIT_OK));
}

/* Opens what the options name; 0 or an exit status. */
static int
enrich_setup(struct rq_enrich *e, const char *resolver, char **mmdb,
    char **maps, unsigned n_maps)
{
	char	why[512];
	unsigned k;

	unsigned asked = e->jobs;

	if ((e->dns = rq_dns_new(resolver, &e->jobs, why, sizeof(why))) ==
	    NULL)
		return (rq_fail("enrich", "%s", why));
	if (e->jobs < asked)
		fprintf(stderr, "report-query enrich: --jobs %u: the open "
		    "files limit has room for %u at once\n", asked, e->jobs);
	for (k = 0; k < e->n_mmdb; k++)
		if ((e->mmdb[k] = rq_mmdb_open(mmdb[k], why, sizeof(why))) ==
		    NULL)
			return (rq_fail("enrich", "%s", why));
	if ((e->map = rq_service_new()) == NULL)
		return (rq_fail("enrich", "out of memory"));
	if (rq_service_load(e->map, RQ_ENRICH_MAP, true, why, sizeof(why)) < 0 ||
	    rq_service_load(e->map, RQ_ENRICH_LOCAL_MAP, true, why,
	    sizeof(why)) < 0)
		return (rq_fail("enrich", "%s", why));
	for (k = 0; k < n_maps; k++)
		if (rq_service_load(e->map, maps[k], false, why, sizeof(why)) < 0)
			return (rq_fail("enrich", "%s", why));
	return (0);
}

static void
enrich_free(struct rq_enrich *e)
{
	unsigned k;

	enrich_clear(e);
	free(e->ips);
	free(e->hosts);
	free(e->lookup);
	free(e->dirty);
	for (k = 0; k < e->n_mmdb; k++)
		rq_mmdb_close(e->mmdb[k]);
	rq_service_free(e->map);
	rq_dns_free(e->dns);
	store_close(e->s);
}

/* Reads a number of seconds (0 .. 86400, fractions allowed). */
static int
enrich_seconds(const char *opt, const char *text, double *out)
{
	char   *end;
	double	v = strtod(text, &end);

	if (end == text || *end != '\0' || !(v >= 0 && v <= 86400))
		return (rq_usage_error("enrich", "%s: not a number of seconds: "
		    "%s", opt, text));
	*out = v;
	return (0);
}

int
rq_enrich(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"store", required_argument, NULL, 's'},
		{"resolver", required_argument, NULL, 'r'},
		{"mmdb", required_argument, NULL, 'm'},
		{"services", required_argument, NULL, 'S'},
		{"timeout", required_argument, NULL, 't'},
		{"jobs", required_argument, NULL, 'j'},
		{"retry-after", required_argument, NULL, 'R'},
		{"follow", no_argument, NULL, 'f'},
		{"interval", required_argument, NULL, 'i'},
		{"list", no_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	struct rq_enrich e;
	const char *dir = NULL, *resolver = NULL;
	char   *mmdb[RQ_ENRICH_MMDB_MAX], *maps[RQ_ENRICH_MAP_MAX];
	unsigned n_maps = 0;
	double	retry = 300, interval = 60, slept;
	size_t	jobs = 200;
	bool	follow = false, list = false;
	int	c, rc;

	memset(&e, 0, sizeof(e));
	e.timeout = 5;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		rc = 0;
		switch (c) {
		case 's':
			dir = optarg;
			break;
		case 'r':
			resolver = optarg;
			break;
		case 'm':
			if (e.n_mmdb == RQ_ENRICH_MMDB_MAX)
				return (rq_usage_error("enrich", "at most %d "
				    "--mmdb files", RQ_ENRICH_MMDB_MAX));
			mmdb[e.n_mmdb++] = optarg;
			break;
		case 'S':
			if (n_maps == RQ_ENRICH_MAP_MAX)
				return (rq_usage_error("enrich", "at most %d "
				    "--services files", RQ_ENRICH_MAP_MAX));
			maps[n_maps++] = optarg;
			break;
		case 't':
			rc = enrich_seconds("--timeout", optarg, &e.timeout);
			break;
		case 'j':
			rc = rq_count_arg("enrich", "--jobs", optarg, &jobs);
			break;
		case 'R':
			rc = enrich_seconds("--retry-after", optarg, &retry);
			break;
		case 'f':
			follow = true;
			break;
		case 'i':
			rc = enrich_seconds("--interval", optarg, &interval);
			break;
		case 'l':
			list = true;
			break;
		case 'h':
			enrich_help();
			return (RQ_EXIT_OK);
		default:
			return (rq_usage_error("enrich", "unknown option"));
		}
		if (rc != 0)
			return (rc);
	}
	if (optind != argc)
		return (rq_usage_error("enrich", "unexpected argument: %s",
		    argv[optind]));
	if (jobs < 1 || jobs > 10000 || e.timeout <= 0)
		return (rq_usage_error("enrich", "--jobs wants 1 to 10000, "
		    "--timeout more than 0"));
	if (list) {
		if ((rc = rq_open("enrich", dir ? dir : rq_default_store(),
		    false, &e.s)) != 0)
			return (rc);
		rc = rq_enrich_list(e.s);
		store_close(e.s);
		return (rc);
	}
	e.jobs = (unsigned)jobs;
	e.retry_after = (int64_t)retry;
	if ((rc = rq_open("enrich", dir ? dir : rq_default_store(), true,
	    &e.s)) != 0)
		return (rc);
	if ((rc = enrich_setup(&e, resolver, mmdb, maps, n_maps)) != 0) {
		enrich_free(&e);
		return (rc);
	}
	signal(SIGTERM, enrich_on_signal);
	signal(SIGINT, enrich_on_signal);
	while ((rc = enrich_once(&e)) == 0 && follow && !enrich_stop)
		for (slept = 0; slept < interval && !enrich_stop; slept += 0.2)
			usleep(200000);
	enrich_free(&e);
	return (rc);
}
