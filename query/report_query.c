/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	report_query - the report-query command: verb dispatch and help
 * PURPOSE
 *	Finds the verb in a table and hands it the rest of the command line.
 *	Each verb lives in a file of its own (rq_<verb>.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ingest.h"
#include "rq.h"

const char *rq_progname = "report-query";

static const struct verb {
	const char *name;
	int	(*run)(int, char **);
	const char *summary;
} verbs[] = {
	{ "parse", rq_parse,
	    "print the External report objects that files would give, storing nothing" },
	{ "import", rq_import,
	    "store the reports of e-mails, mboxes, Maildirs, files and exports" },
	{ "query", rq_query,
	    "list the reports of a type that match --where clauses" },
	{ "get", rq_get, "print stored reports by id, whole" },
	{ "summary", rq_summary,
	    "DMARC, TLS and ARF figures per domain, source IP and reporter" },
	{ "export", rq_export, "print every stored report (import reads it back)" },
	{ "delete", rq_delete, "delete reports by id" },
	{ "purge", rq_purge, "delete the reports that have expired" },
	{ "quarantine", rq_quarantine,
	    "list, show or delete report mail that could not be parsed" },
	{ "reparse", rq_reparse, "parse quarantined mail again, storing what now reads" },
	{ "stat", rq_stat, "reports per type, quarantine, map size and use" },
	{ "push", rq_push, "send new reports and repeat counts to PostgreSQL" },
	{ "html", rq_html, "one self-contained HTML page with charts of the reports" },
	{ "metrics", rq_metrics, "the store's figures for Prometheus (textfile)" },
	{ "enrich", rq_enrich,
	    "reverse DNS, base domain, country, AS and service of source IPs" },
	{ "alerts", rq_alerts, "what is new and worth a look since the last run" },
};

static void
usage(FILE *fp)
{
	size_t	i;

	fprintf(fp, "usage: %s VERB [OPTIONS] [ARGS]\n"
	    "       %s VERB --help\n\nverbs:\n", rq_progname, rq_progname);
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(fp, "  %-10s %s\n", verbs[i].name, verbs[i].summary);
	fprintf(fp, "\nEvery verb but parse takes --store DIR (default: the "
	    "StoreDir of\n%s, else %s).\n"
	    "Exit status: 0 success, 1 failure, 2 usage error.\n",
	    RQ_CONFIG_FILE, RQ_DEFAULT_STORE);
}

int
rq_usage_error(const char *verb, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "%s %s: ", rq_progname, verb);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s %s --help'.\n", rq_progname, verb);
	return (RQ_EXIT_USAGE);
}

int
main(int argc, char **argv)
{
	size_t	i;

	ingest_tune_malloc();
	if (argc < 2) {
		usage(stderr);
		return (RQ_EXIT_USAGE);
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return (RQ_EXIT_OK);
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("%s (%s) %s\n", rq_progname, PACKAGE_NAME, PACKAGE_VERSION);
		return (RQ_EXIT_OK);
	}
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(argv[1], verbs[i].name) == 0)
			return (verbs[i].run(argc - 1, argv + 1));
	fprintf(stderr, "%s: unknown verb '%s'\n", rq_progname, argv[1]);
	usage(stderr);
	return (RQ_EXIT_USAGE);
}
