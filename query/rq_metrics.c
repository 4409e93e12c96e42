/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_metrics - report-query metrics: the store for Prometheus
 * PURPOSE
 *	Prints the figures of summary (rq_sum_store()) and of stat in the
 *	Prometheus text exposition format, for node_exporter's textfile
 *	collector: every metric with its HELP and TYPE lines, labels only
 *	of bounded sets (policy domain, result, result type, feedback type,
 *	report type; never a source IP). -o FILE writes a temporary file
 *	beside FILE and renames it over FILE, so a scrape never reads half.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rq.h"
#include "rq_sum_store.h"

#define PFX	"report_milter_"

static void
metrics_help(void)
{
	printf("usage: %s metrics [--store DIR] [-o FILE]\n\n"
	    "Prints the store's figures in the Prometheus text format (for\n"
	    "node_exporter's textfile collector): DMARC messages per policy\n"
	    "domain and result, TLS sessions per policy domain and result,\n"
	    "TLS failed sessions per result type, ARF reports per feedback\n"
	    "type, reports stored per type, the quarantine and the map.\n\n"
	    "  -o FILE       write FILE atomically (a temporary file beside\n"
	    "                it, then rename) instead of standard output\n"
	    "  --store DIR   the store (default: StoreDir of %s,\n"
	    "                else %s)\n\n"
	    "Exit status: 0 done, 1 the store or FILE failed, 2 usage error.\n",
	    rq_progname, RQ_CONFIG_FILE, RQ_DEFAULT_STORE);
}

static void
head(FILE *fp, const char *name, const char *type, const char *help)
{
	fprintf(fp, "# HELP " PFX "%s %s\n# TYPE " PFX "%s %s\n", name, help,
	    name, type);
}

/* A label value, escaped as the format wants (\\, \", \n). */
static void
label(FILE *fp, const char *v)
{
	for (; *v; v++)
		if (*v == '\\')
			fputs("\\\\", fp);
		else if (*v == '"')
			fputs("\\\"", fp);
		else if (*v == '\n')
			fputs("\\n", fp);
		else
			putc(*v, fp);
}

/*
 * One sample per row of table (sorted by key) for each of the columns
 * cols[0..ncols): NAME{LAB="key"[,WHAT="names[j]"]} value.
 */
static int
rows(FILE *fp, struct rq_tally *t, const char *name, const char *lab,
    const char *what, const char *const *names, const size_t *cols,
    size_t ncols)
{
	struct rq_tally_row **r;
	size_t	n, i, j;

	if ((r = rq_tally_sorted(t, 0, &n)) == NULL)
		return (n == 0 && rq_tally_count(t) == 0 ? 0 : -1);
	for (i = 0; i < n; i++)
		for (j = 0; j < ncols; j++) {
			fprintf(fp, PFX "%s{%s=\"", name, lab);
			label(fp, r[i]->key);
			if (what != NULL)
				fprintf(fp, "\",%s=\"%s", what, names[j]);
			fprintf(fp, "\"} %" PRIu64 "\n", r[i]->v[cols[j]]);
		}
	free(r);
	return (0);
}

static int
print_sum(FILE *fp, struct rq_sum *s)
{
	static const char *const pf[] = { "pass", "fail" };
	static const char *const sf[] = { "successful", "failed" };
	static const size_t c0[] = { 0 }, c1[] = { 1 }, c12[] = { 1, 2 },
	    c23[] = { 2, 3 };
	static const char *const type[] = { NULL, "dmarc", "tls", "arf" };
	int	i;

	head(fp, "reports", "gauge", "Reports stored, by report type.");
	for (i = RECORD_DMARC; i <= RECORD_ARF; i++)
		fprintf(fp, PFX "reports{type=\"%s\"} %" PRIu64 "\n", type[i],
		    s->reports[i]);
	head(fp, "dmarc_reports", "gauge",
	    "DMARC aggregate reports stored, by policy domain.");
	if (rows(fp, s->t[RQ_SUM_DMARC_DOMAIN], "dmarc_reports",
	    "policy_domain", NULL, NULL, c0, 1) < 0)
		return (-1);
	head(fp, "dmarc_messages", "gauge", "Messages in the DMARC records "
	    "stored, by policy domain and DMARC result (pass: DKIM or SPF "
	    "passed aligned).");
	if (rows(fp, s->t[RQ_SUM_DMARC_DOMAIN], "dmarc_messages",
	    "policy_domain", "result", pf, c23, 2) < 0)
		return (-1);
	head(fp, "tls_reports", "gauge",
	    "TLS-RPT policies reported, by policy domain.");
	if (rows(fp, s->t[RQ_SUM_TLS_DOMAIN], "tls_reports",
	    "policy_domain", NULL, NULL, c0, 1) < 0)
		return (-1);
	head(fp, "tls_sessions", "gauge",
	    "TLS sessions reported, by policy domain and result.");
	if (rows(fp, s->t[RQ_SUM_TLS_DOMAIN], "tls_sessions",
	    "policy_domain", "result", sf, c12, 2) < 0)
		return (-1);
	head(fp, "tls_failed_sessions", "gauge",
	    "TLS failed sessions reported, by result type.");
	if (rows(fp, s->t[RQ_SUM_TLS_RESULT], "tls_failed_sessions",
	    "result_type", NULL, NULL, c1, 1) < 0)
		return (-1);
	head(fp, "arf_reports", "gauge",
	    "ARF feedback reports stored, by feedback type.");
	if (rows(fp, s->t[RQ_SUM_ARF_TYPE], "arf_reports", "feedback_type",
	    NULL, NULL, c0, 1) < 0)
		return (-1);
	return (0);
}

static void
print_stat(FILE *fp, const struct store_stat *st)
{
	head(fp, "quarantined", "gauge",
	    "Report mail in the quarantine (could not be parsed).");
	fprintf(fp, PFX "quarantined %" PRIu64 "\n", st->quarantined);
	head(fp, "pending", "gauge", "Report mail kept pending "
	    "(report-milter's DeferParse), not parsed yet.");
	fprintf(fp, PFX "pending %" PRIu64 "\n", st->pending);
	head(fp, "store_map_bytes", "gauge", "Bytes the store maps now.");
	fprintf(fp, PFX "store_map_bytes %zu\n", st->map_size);
	head(fp, "store_used_bytes", "gauge", "Bytes of the map in use.");
	fprintf(fp, PFX "store_used_bytes %zu\n", st->used_size);
	head(fp, "store_limit_bytes", "gauge",
	    "The configured limit of the map.");
	fprintf(fp, PFX "store_limit_bytes %zu\n", st->max_size);
}

/* Writes everything to fp; RQ_EXIT_OK or RQ_EXIT_FAIL (said why). */
static int
metrics(const char *dir, FILE *fp)
{
	struct store *s;
	struct store_stat st;
	struct store_error err = { "" };
	struct rq_sum sum;
	enum store_status sst;
	int	rc;

	if (rq_open("metrics", dir, false, &s) != RQ_EXIT_OK)
		return (RQ_EXIT_FAIL);
	if (rq_sum_init(&sum) < 0)
		rc = rq_fail("metrics", "out of memory");
	else if ((rc = rq_sum_store("metrics", dir, s, &sum, 0, INT64_MAX)) ==
	    RQ_EXIT_OK) {
		if ((sst = store_stat(s, &st, &err)) != STORE_OK)
			rc = rq_store_fail("metrics", dir, sst, &err);
		else if (print_sum(fp, &sum) < 0)
			rc = rq_fail("metrics", "out of memory");
		else
			print_stat(fp, &st);
	}
	rq_sum_clear(&sum);
	store_close(s);
	return (rc);
}

/* metrics into a temporary file beside path, renamed over path. */
static int
metrics_file(const char *dir, const char *path)
{
	size_t	len = strlen(path) + sizeof(".tmpXXXXXX");
	char   *tmp;
	FILE   *fp = NULL;
	int	fd, rc;

	if ((tmp = malloc(len)) == NULL)
		return (rq_fail("metrics", "out of memory"));
	snprintf(tmp, len, "%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0 || fchmod(fd, 0644) != 0 ||
	    (fp = fdopen(fd, "w")) == NULL) {
		rc = rq_fail("metrics", "%s: %s", tmp, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return (rc);
	}
	rc = metrics(dir, fp);
	if (fflush(fp) != 0 || ferror(fp) || fsync(fd) != 0) {
		if (rc == RQ_EXIT_OK)
			rc = rq_fail("metrics", "%s: %s", tmp, strerror(errno));
	}
	if (fclose(fp) != 0 && rc == RQ_EXIT_OK)
		rc = rq_fail("metrics", "%s: %s", tmp, strerror(errno));
	if (rc == RQ_EXIT_OK && rename(tmp, path) != 0)
		rc = rq_fail("metrics", "%s: %s", path, strerror(errno));
	if (rc != RQ_EXIT_OK)
		unlink(tmp);
	free(tmp);
	return (rc);
}

int
rq_metrics(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL, *out = NULL;
	int	ch;

	while ((ch = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		if (ch == 's')
			dir = optarg;
		else if (ch == 'o')
			out = optarg;
		else if (ch == 'h') {
			metrics_help();
			return (RQ_EXIT_OK);
		} else
			return (rq_usage_error("metrics", "unknown option"));
	}
	if (optind < argc)
		return (rq_usage_error("metrics", "unexpected argument '%s'",
		    argv[optind]));
	if (dir == NULL)
		dir = rq_default_store();
	if (out != NULL)
		return (metrics_file(dir, out));
	return (rq_flush("metrics", metrics(dir, stdout)));
}
