/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_html - report-query html: one self-contained page with charts
 * PURPOSE
 *	Reads the reports received in [--since, --until) through the
 *	receivedAt index, as summary does, keeps those of the --domain
 *	policy domains (DMARC policy domain, a TLS policy's domain, an ARF
 *	reported domain: the domain= of query), streams the DMARC records
 *	and writes the page (rq_html_page.c) to standard output or -o FILE.
 *	Memory is the tallies': records are never all in memory.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rq.h"
#include "rq_html.h"
#include "rq_ids.h"

struct html {
	const char *dir;
	struct store *s;
	struct rq_html h;
	const struct external_report *x;	/* the DMARC report streaming */
	int	nomem;
};

static void
html_help(void)
{
	printf("usage: %s html [--store DIR] [--since TIME] [--until TIME]\n"
	    "       [--domain DOMAIN]... [--top N] [-o FILE]\n\n"
	    "Writes one self-contained HTML page (inline style, inline SVG\n"
	    "charts, no script, nothing fetched) for the reports received from\n"
	    "--since up to (not including) --until: DMARC messages per day,\n"
	    "passing and failing, per policy domain and overall, dispositions,\n"
	    "SPF and DKIM alignment, the sources grouped as compliant,\n"
	    "forwarded, non-compliant and other, p=reject readiness and the\n"
	    "reporters; TLS sessions per day and the failure details; ARF\n"
	    "reports per day per feedback type, source IPs and reported\n"
	    "domains. Its figures are those of summary.\n\n"
	    "  --since TIME     RFC 3339 time or date (default: the first report)\n"
	    "  --until TIME     RFC 3339 time or date (default: no end)\n"
	    "  --domain DOMAIN  only reports about this domain (as query's\n"
	    "                   domain=); may be given again for more\n"
	    "  --top N          long tables show the N largest rows and how\n"
	    "                   many more there are (default 20; 0: all)\n"
	    "  -o, --output FILE  write the page to FILE (default: standard\n"
	    "                   output)\n"
	    "  --store DIR      the store (default: StoreDir of %s,\n"
	    "                   else %s)\n\n"
	    "Exit status: 0 done, 1 the store or the output failed, 2 usage "
	    "error.\n", rq_progname, RQ_CONFIG_FILE, RQ_DEFAULT_STORE);
}

static int
html_records(void *arg, const struct dmarc_record *recs, size_t n)
{
	struct html *hm = arg;

	if (rq_html_records(&hm->h, hm->x, recs, n) < 0) {
		hm->nomem = 1;
		return (1);
	}
	return (0);
}

static bool
is_domain(const struct rq_html *h, const char *d)
{
	size_t	i;

	for (i = 0; i < h->n_domains; i++)
		if (d != NULL && strcasecmp(h->domains[i], d) == 0)
			return (true);
	return (false);
}

/* Is the report about one of the --domain domains (or are there none)? */
static bool
wanted(const struct rq_html *h, const struct report *r)
{
	size_t	i;

	if (h->n_domains == 0)
		return (true);
	if (r->type == RECORD_DMARC)
		return (is_domain(h, r->u.dmarc.policy_domain));
	if (r->type == RECORD_TLS) {
		for (i = 0; i < r->u.tls.n_policies; i++)
			if (is_domain(h, r->u.tls.policies[i].policy_domain))
				return (true);
		return (false);
	}
	for (i = 0; i < r->u.arf.reported_domains.n; i++)
		if (is_domain(h, r->u.arf.reported_domains.v[i]))
			return (true);
	return (false);
}

/* Adds one report up; RQ_EXIT_OK or RQ_EXIT_FAIL. */
static int
html_one(struct html *hm, const char *id)
{
	struct external_report *x;
	struct store_error err = { "" };
	enum store_status st;
	int	rc = RQ_EXIT_OK;

	if ((st = store_get(hm->s, id, false, &x, NULL, &err)) ==
	    STORE_NOTFOUND)
		return (RQ_EXIT_OK);
	if (st != STORE_OK)
		return (rq_store_fail("html", hm->dir, st, &err));
	if (!wanted(&hm->h, x->report)) {
		external_report_free(x);
		return (RQ_EXIT_OK);
	}
	if (rq_html_report(&hm->h, x) < 0)
		rc = rq_fail("html", "out of memory");
	else if (x->report->type == RECORD_DMARC) {
		hm->x = x;
		st = store_get_lean_records(hm->s, id, html_records, hm, &err);
		if (hm->nomem)
			rc = rq_fail("html", "out of memory");
		else if (st != STORE_OK)
			rc = rq_store_fail("html", hm->dir, st, &err);
	}
	if (rc == RQ_EXIT_OK && rq_html_report_end(&hm->h, x) < 0)
		rc = rq_fail("html", "out of memory");
	external_report_free(x);
	return (rc);
}

static int
html_gather(struct html *hm)
{
	unsigned char lo[8], hi[8];
	struct store_range r = { STORE_IDX_RECEIVED, lo, 0, NULL, 0 };
	struct rq_ids ids = { NULL, 0, 0, 0 };
	struct store_error err = { "" };
	enum store_status st = STORE_OK;
	size_t	i;
	int	rc = RQ_EXIT_OK;

	r.lo_len = hm->h.since ? store_key_time(hm->h.since, lo) : 0;
	if (hm->h.until != INT64_MAX) {
		r.hi = hi;
		r.hi_len = store_key_time(hm->h.until - 1, hi);
	}
	if (hm->h.until > hm->h.since)
		st = store_scan(hm->s, &r, rq_ids_collect, &ids, &err);
	if (st == STORE_STOPPED && ids.nomem)
		st = STORE_NOMEM;
	if (st != STORE_OK)
		rc = rq_store_fail("html", hm->dir, st, &err);
	for (i = 0; i < ids.n && rc == RQ_EXIT_OK; i++)
		rc = html_one(hm, ids.v[i]);
	rq_ids_clear(&ids);
	return (rc);
}

/* Writes the page to out (NULL: standard output). */
static int
html_write(struct html *hm, const char *out)
{
	FILE   *fp = stdout;
	int	rc = RQ_EXIT_OK;

	if (out != NULL && (fp = fopen(out, "w")) == NULL)
		return (rq_fail("html", "%s: cannot create: %m", out));
	if (rq_html_page(&hm->h, fp) < 0)
		rc = rq_fail("html", "out of memory");
	if (out == NULL)
		return (rq_flush("html", rc));
	if ((ferror(fp) | fclose(fp)) != 0 && rc == RQ_EXIT_OK)
		rc = rq_fail("html", "%s: write failed: %m", out);
	return (rc);
}

int
rq_html(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "since", required_argument, NULL, 'a' },
		{ "until", required_argument, NULL, 'b' },
		{ "domain", required_argument, NULL, 'd' },
		{ "top", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct html hm;
	const char **domains;
	const char *out = NULL;
	int	ch, rc;

	memset(&hm, 0, sizeof(hm));
	hm.h.until = INT64_MAX;
	hm.h.top = 20;
	/* --domain can be given at most argc times. */
	if ((domains = calloc((size_t) argc, sizeof(*domains))) == NULL)
		return (rq_fail("html", "out of memory"));
	hm.h.domains = domains;
	rc = RQ_EXIT_OK;
	while (rc == RQ_EXIT_OK &&
	    (ch = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		if (ch == 's')
			hm.dir = optarg;
		else if (ch == 'a' || ch == 'b')
			rc = rq_time_arg("html", ch == 'a' ? "--since" :
			    "--until", optarg, ch == 'a' ? &hm.h.since :
			    &hm.h.until) != 0 ? RQ_EXIT_USAGE : RQ_EXIT_OK;
		else if (ch == 'd')
			domains[hm.h.n_domains++] = optarg;
		else if (ch == 't')
			rc = rq_count_arg("html", "--top", optarg, &hm.h.top) != 0 ?
			    RQ_EXIT_USAGE : RQ_EXIT_OK;
		else if (ch == 'o')
			out = optarg;
		else if (ch == 'h') {
			html_help();
			free(domains);
			return (RQ_EXIT_OK);
		} else
			rc = rq_usage_error("html", "unknown option");
	}
	if (rc == RQ_EXIT_OK && optind < argc)
		rc = rq_usage_error("html", "unexpected argument '%s'",
		    argv[optind]);
	if (rc != RQ_EXIT_OK) {
		free(domains);
		return (rc);
	}
	if (hm.dir == NULL)
		hm.dir = rq_default_store();
	if (rq_open("html", hm.dir, false, &hm.s) != RQ_EXIT_OK) {
		free(domains);
		return (RQ_EXIT_FAIL);
	}
	if (rq_html_init(&hm.h) < 0 ||
	    (hm.h.hosts = rq_hosts_new(hm.s)) == NULL)
		rc = rq_fail("html", "out of memory");
	else if ((rc = html_gather(&hm)) == RQ_EXIT_OK) {
		if (rq_html_finish(&hm.h) < 0)
			rc = rq_fail("html", "out of memory");
		else
			rc = html_write(&hm, out);
	}
	rq_hosts_free(hm.h.hosts);
	rq_html_clear(&hm.h);
	store_close(hm.s);
	free(domains);
	return (rc);
}
