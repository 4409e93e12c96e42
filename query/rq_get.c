/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_get - report-query get: stored reports by id
 * PURPOSE
 *	Prints each report whole (rq_print.h): pretty JSON, or one object a
 *	line. An id the store does not have is named on stderr and makes the
 *	exit status 1; the others are still printed.
 */
#include <getopt.h>
#include <string.h>

#include "record_json.h"

#include "rq.h"
#include "rq_print.h"

static void
get_help(void)
{
	printf("usage: %s get [--store DIR] [--format json|ndjson] ID...\n\n"
	    "Prints the stored reports with these ids, whole, \"@type\" first,\n"
	    "with the store's \"@duplicates\" and \"@lastSeen\" beside the\n"
	    "Stalwart fields.\n\n"
	    "  --store DIR           the store (default: StoreDir of %s,\n"
	    "                        else %s)\n"
	    "  --format json|ndjson  pretty JSON (default) or one object a line\n\n"
	    "Exit status: 0 all printed, 1 an id is not stored (or the store\n"
	    "failed), 2 usage error.\n", rq_progname, RQ_CONFIG_FILE,
	    RQ_DEFAULT_STORE);
}

/* Prints one id; RQ_EXIT_OK or RQ_EXIT_FAIL. */
static int
get_one(struct store *s, const char *dir, const char *id, unsigned flags)
{
	struct external_report *x;
	struct store_meta meta;
	struct store_error err = { "" };
	enum store_status st;

	st = store_get(s, id, false, &x, &meta, &err);
	if (st == STORE_NOTFOUND)
		return (rq_fail("get", "%s: no such report", id));
	if (st != STORE_OK)
		return (rq_store_fail("get", dir, st, &err));
	st = rq_print_object(stdout, s, x, &meta, flags, &err);
	putchar('\n');
	external_report_free(x);
	if (st != STORE_OK)
		return (rq_store_fail("get", dir, st, &err));
	return (RQ_EXIT_OK);
}

int
rq_get(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL;
	unsigned flags = RECORD_JSON_PRETTY;
	struct store *s;
	int	ch, i, status = RQ_EXIT_OK;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			dir = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "ndjson") == 0)
				flags = 0;
			else if (strcmp(optarg, "json") == 0)
				flags = RECORD_JSON_PRETTY;
			else
				return (rq_usage_error("get",
				    "unknown format '%s'", optarg));
			break;
		case 'h':
			get_help();
			return (RQ_EXIT_OK);
		default:
			return (rq_usage_error("get", "unknown option"));
		}
	}
	if (optind >= argc)
		return (rq_usage_error("get", "no ID given"));
	if (dir == NULL)
		dir = rq_default_store();
	if (rq_open("get", dir, false, &s) != RQ_EXIT_OK)
		return (RQ_EXIT_FAIL);
	for (i = optind; i < argc; i++)
		if (get_one(s, dir, argv[i], flags) != RQ_EXIT_OK)
			status = RQ_EXIT_FAIL;
	store_close(s);
	return (rq_flush("get", status));
}
