/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_export - report-query export: every stored report, whole
 * PURPOSE
 *	Prints every report in the order of receipt, as get prints it
 *	("@type" first, records streamed), one object a line (ndjson, the
 *	default) or as one JSON array. report-query import reads either
 *	back.
 */
#include <getopt.h>
#include <string.h>

#include "record_json.h"

#include "rq.h"
#include "rq_ids.h"
#include "rq_print.h"

static void
export_help(void)
{
	printf("usage: %s export [--store DIR] [--format ndjson|json]\n\n"
	    "Prints every stored report, whole, oldest first: one object a\n"
	    "line (ndjson, the default) or a JSON array. report-query import\n"
	    "reads the output back.\n\n"
	    "  --store DIR   the store (default: StoreDir of %s,\n"
	    "                else %s)\n\n"
	    "Exit status: 0 done, 1 the store or the output failed, 2 usage\n"
	    "error.\n", rq_progname, RQ_CONFIG_FILE, RQ_DEFAULT_STORE);
}

/* Prints one report; 1 printed, 0 gone since the scan, -1 failed. */
static int
export_one(struct store *s, const char *dir, const char *id, int json,
    size_t printed)
{
	struct external_report *x;
	struct store_meta meta;
	struct store_error err = { "" };
	enum store_status st;

	if ((st = store_get(s, id, false, &x, &meta, &err)) == STORE_NOTFOUND)
		return (0);
	if (st != STORE_OK) {
		rq_store_fail("export", dir, st, &err);
		return (-1);
	}
	if (json)
		fputs(printed ? ",\n" : "[\n", stdout);
	st = rq_print_object(stdout, s, x, &meta, json ? RECORD_JSON_PRETTY :
	    0, &err);
	if (!json)
		putchar('\n');
	external_report_free(x);
	if (st != STORE_OK) {
		rq_store_fail("export", dir, st, &err);
		return (-1);
	}
	return (ferror(stdout) ? -1 : 1);
}

static int
export_all(const char *dir, int json)
{
	struct rq_ids ids = { NULL, 0, 0, 0 };
	struct store_error err = { "" };
	struct store *s;
	enum store_status st;
	size_t	i, printed = 0;
	int	rc = 0;

	if (rq_open("export", dir, false, &s) != RQ_EXIT_OK)
		return (RQ_EXIT_FAIL);
	st = store_scan_all(s, false, rq_ids_collect, &ids, &err);
	if (st == STORE_STOPPED && ids.nomem)
		st = STORE_NOMEM;
	if (st != STORE_OK) {
		rq_store_fail("export", dir, st, &err);
		rc = -1;
	}
	for (i = 0; i < ids.n && rc >= 0; i++)
		if ((rc = export_one(s, dir, ids.v[i], json, printed)) > 0)
			printed++;
	if (json && rc >= 0)
		fputs(printed ? "\n]\n" : "[]\n", stdout);
	rq_ids_clear(&ids);
	store_close(s);
	return (rq_flush("export", rc < 0 ? RQ_EXIT_FAIL : RQ_EXIT_OK));
}

int
rq_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL;
	int	ch, json = 0;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			dir = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "json") != 0 &&
			    strcmp(optarg, "ndjson") != 0)
				return (rq_usage_error("export",
				    "unknown format '%s'", optarg));
			json = strcmp(optarg, "json") == 0;
			break;
		case 'h':
			export_help();
			return (RQ_EXIT_OK);
		default:
			return (rq_usage_error("export", "unknown option"));
		}
	}
	if (optind < argc)
		return (rq_usage_error("export", "unexpected argument '%s'",
		    argv[optind]));
	return (export_all(dir ? dir : rq_default_store(), json));
}
