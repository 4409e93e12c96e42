/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_summary - report-query summary: the tables of a glance
 * PURPOSE
 *	Reads every report received in [--since, --until) through the
 *	receivedAt index, streams the DMARC records, and prints the tables
 *	of rq_sum.h, and with --by the table of rq_sum_by.h.
 */
#include <getopt.h>
#include <inttypes.h>

#include "record_json.h"

#include "rq.h"
#include "rq_sum_by.h"
#include "rq_sum_store.h"

struct summary {
	const char *dir;
	struct store *s;
	struct rq_sum sum;
	enum rq_sum_by by;
};

static void
summary_help(void)
{
	printf("usage: %s summary [--store DIR] [--since TIME] [--until TIME] "
	    "[--top N]\n"
	    "       [--by service|base-domain]\n\n"
	    "Prints, for the reports received from --since up to (not\n"
	    "including) --until: DMARC messages passed and failed per policy\n"
	    "domain, source IP and reporter; TLS sessions per policy domain and\n"
	    "failed sessions per result type; ARF reports per feedback type\n"
	    "and source IP. A DMARC record passes when DKIM or SPF passed\n"
	    "aligned in the evaluated policy.\n\n"
	    "  --since TIME  RFC 3339 time or date (default: the first report)\n"
	    "  --until TIME  RFC 3339 time or date (default: no end)\n"
	    "  --top N       source-IP tables show the N largest (default 10;\n"
	    "                0: all)\n"
	    "  --by KEY      also DMARC messages by service or base-domain of\n"
	    "                the source IP, as enrich found it (the top N;\n"
	    "                sources it knows nothing of are \"unknown\")\n"
	    "  --store DIR   the store (default: StoreDir of %s,\n"
	    "                else %s)\n\n"
	    "Exit status: 0 done, 1 the store failed, 2 usage error.\n",
	    rq_progname, RQ_CONFIG_FILE, RQ_DEFAULT_STORE);
}

static void
print_period(int64_t since, int64_t until)
{
	char	a[32], b[32];

	record_json_time(since, a, sizeof(a));
	record_json_time(until, b, sizeof(b));
	if (since == 0 && until == INT64_MAX)
		printf("All reports\n");
	else if (until == INT64_MAX)
		printf("Reports received since %s\n", a);
	else if (since == 0)
		printf("Reports received before %s\n", b);
	else
		printf("Reports received since %s, before %s\n", a, b);
}

static int
summarize(struct summary *sm, int64_t since, int64_t until, size_t top)
{
	int	rc;

	rc = rq_sum_store("summary", sm->dir, sm->s, &sm->sum, since, until);
	if (rc == RQ_EXIT_OK) {
		print_period(since, until);
		if (rq_sum_print(&sm->sum, stdout, top) < 0)
			rc = rq_fail("summary", "out of memory");
		else
			rc = rq_sum_by_print("summary", sm->dir, sm->s,
			    &sm->sum, sm->by, stdout, top);
	}
	return (rc);
}

int
rq_summary(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "since", required_argument, NULL, 'a' },
		{ "until", required_argument, NULL, 'b' },
		{ "top", required_argument, NULL, 't' },
		{ "by", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct summary sm = { NULL, NULL, { { NULL }, { 0 } }, RQ_SUM_BY_NONE };
	int64_t	since = 0, until = INT64_MAX;
	size_t	top = 10;
	int	ch, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == 's')
			sm.dir = optarg;
		else if (ch == 'a' || ch == 'b') {
			if (rq_time_arg("summary", ch == 'a' ? "--since" :
			    "--until", optarg, ch == 'a' ? &since : &until) != 0)
				return (RQ_EXIT_USAGE);
		} else if (ch == 't') {
			if (rq_count_arg("summary", "--top", optarg, &top) != 0)
				return (RQ_EXIT_USAGE);
		} else if (ch == 'g') {
			if (rq_sum_by_name(optarg, &sm.by) < 0)
				return (rq_usage_error("summary", "cannot "
				    "group by '%s' (service, base-domain)",
				    optarg));
		} else if (ch == 'h') {
			summary_help();
			return (RQ_EXIT_OK);
		} else
			return (rq_usage_error("summary", "unknown option"));
	}
	if (optind < argc)
		return (rq_usage_error("summary", "unexpected argument '%s'",
		    argv[optind]));
	if (sm.dir == NULL)
		sm.dir = rq_default_store();
	if (rq_open("summary", sm.dir, false, &sm.s) != RQ_EXIT_OK)
		return (RQ_EXIT_FAIL);
	if (rq_sum_init(&sm.sum) < 0)
		rc = rq_fail("summary", "out of memory");
	else {
		/* Only the top rows are shown: the rest may go to disk. */
		if (top > 0)
			rq_sum_bound(&sm.sum);
		rc = summarize(&sm, since, until, top);
	}
	rq_sum_clear(&sm.sum);
	store_close(sm.s);
	return (rq_flush("summary", rc));
}
