/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_purge - report-query purge: deletes the expired reports
 * PURPOSE
 *	Deletes every report whose expiresAt is before now (or --now), with
 *	its records and index entries, in bounded write transactions, and
 *	prints how many went.
 */
#include <getopt.h>
#include <time.h>

#include "rq.h"

static void
purge_help(void)
{
	printf("usage: %s purge [--store DIR] [--now TIME]\n\n"
	    "Deletes the reports whose expiresAt is before TIME, and prints\n"
	    "how many were deleted.\n\n"
	    "  --store DIR   the store (default: StoreDir of %s,\n"
	    "                else %s)\n"
	    "  --now TIME    RFC 3339 time or date (default: now)\n\n"
	    "Exit status: 0 done, 1 the store failed (reports deleted before\n"
	    "the failure stay deleted), 2 usage error.\n", rq_progname,
	    RQ_CONFIG_FILE, RQ_DEFAULT_STORE);
}

int
rq_purge(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "now", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL;
	int64_t	now = (int64_t) time(NULL);
	struct store *s;
	struct store_error err = { "" };
	enum store_status st;
	size_t	deleted = 0;
	int	ch;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			dir = optarg;
			break;
		case 'n':
			if (rq_time_arg("purge", "--now", optarg, &now) != 0)
				return (RQ_EXIT_USAGE);
			break;
		case 'h':
			purge_help();
			return (RQ_EXIT_OK);
		default:
			return (rq_usage_error("purge", "unknown option"));
		}
	}
	if (optind < argc)
		return (rq_usage_error("purge", "unexpected argument '%s'",
		    argv[optind]));
	if (dir == NULL)
		dir = rq_default_store();
	if (rq_open("purge", dir, true, &s) != RQ_EXIT_OK)
		return (RQ_EXIT_FAIL);
	st = store_purge(s, now, 0, &deleted, &err);
	store_close(s);
	printf("%zu deleted\n", deleted);
	if (st != STORE_OK)
		return (rq_store_fail("purge", dir, st, &err));
	return (rq_flush("purge", RQ_EXIT_OK));
}
