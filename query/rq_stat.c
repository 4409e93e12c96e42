/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_stat - report-query stat: what the store holds, how full it is
 * PURPOSE
 *	Reports per type, quarantined and pending mail, and the map: its size now,
 *	the bytes in use and the configured limit.
 */
#include <getopt.h>
#include <inttypes.h>

#include "rq.h"

static void
stat_help(void)
{
	printf("usage: %s stat [--store DIR]\n\n"
	    "Prints how many reports of each type, quarantined messages and\n"
	    "report mail kept pending (report-milter's DeferParse) the store\n"
	    "holds, and its map size, use and limit.\n\n"
	    "  --store DIR   the store (default: StoreDir of %s,\n"
	    "                else %s)\n\n"
	    "Exit status: 0 done, 1 the store failed, 2 usage error.\n",
	    rq_progname, RQ_CONFIG_FILE, RQ_DEFAULT_STORE);
}

static void
print_stat(const char *dir, const struct store_stat *st)
{
	printf("store                  %s\n", dir);
	printf("dmarc-external-report  %" PRIu64 "\n", st->reports[RECORD_DMARC]);
	printf("tls-external-report    %" PRIu64 "\n", st->reports[RECORD_TLS]);
	printf("arf-external-report    %" PRIu64 "\n", st->reports[RECORD_ARF]);
	printf("quarantined            %" PRIu64 "\n", st->quarantined);
	printf("pending                %" PRIu64 "\n", st->pending);
	printf("map size               %zu bytes\n", st->map_size);
	printf("used                   %zu bytes (%.1f%% of the map)\n",
	    st->used_size, st->map_size ? 100.0 * (double) st->used_size /
	    (double) st->map_size : 0.0);
	printf("limit                  %zu bytes\n", st->max_size);
}

int
rq_stat(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL;
	struct store *s;
	struct store_stat st;
	struct store_error err = { "" };
	enum store_status rc;
	int	ch;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == 's')
			dir = optarg;
		else if (ch == 'h') {
			stat_help();
			return (RQ_EXIT_OK);
		} else
			return (rq_usage_error("stat", "unknown option"));
	}
	if (optind < argc)
		return (rq_usage_error("stat", "unexpected argument '%s'",
		    argv[optind]));
	if (dir == NULL)
		dir = rq_default_store();
	if (rq_open("stat", dir, false, &s) != RQ_EXIT_OK)
		return (RQ_EXIT_FAIL);
	rc = store_stat(s, &st, &err);
	store_close(s);
	if (rc != STORE_OK)
		return (rq_store_fail("stat", dir, rc, &err));
	print_stat(dir, &st);
	return (rq_flush("stat", RQ_EXIT_OK));
}
