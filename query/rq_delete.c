/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_delete - report-query delete: reports by id
 * PURPOSE
 *	Deletes the reports named by --ids, with their records, index and
 *	dedup entries, in one write transaction (all or none). An id that is
 *	not stored is named, the others are still deleted, and the exit
 *	status is 1.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "rq.h"

static void
delete_help(void)
{
	printf("usage: %s delete [--store DIR] --ids ID[,ID...]\n\n"
	    "Deletes the stored reports with these ids, with everything the\n"
	    "store keeps for them, and prints how many were deleted.\n\n"
	    "  --store DIR     the store (default: StoreDir of %s,\n"
	    "                  else %s)\n"
	    "  --ids ID,...    the ids, comma-separated (the option may repeat)\n\n"
	    "Exit status: 0 all deleted, 1 an id is not stored (the others are\n"
	    "deleted) or the store failed, 2 usage error.\n", rq_progname,
	    RQ_CONFIG_FILE, RQ_DEFAULT_STORE);
}

/* Adds the comma-separated ids of list to ids; 0 or -1 (out of memory). */
static int
add_ids(struct strlist *ids, const char *list)
{
	const char *p = list, *comma;

	for (; *p; p = *comma ? comma + 1 : comma) {
		comma = p + strcspn(p, ",");
		if (comma > p && strlist_add(ids, p, (size_t) (comma - p)) < 0)
			return (-1);
	}
	return (0);
}

/* Names the ids that are not stored; returns how many there are. */
static size_t
name_missing(struct store *s, const struct strlist *ids)
{
	struct external_report *x;
	struct store_error err = { "" };
	size_t	i, missing = 0;

	for (i = 0; i < ids->n; i++) {
		x = NULL;
		if (store_get(s, ids->v[i], false, &x, NULL, &err) ==
		    STORE_NOTFOUND) {
			rq_fail("delete", "%s: no such report", ids->v[i]);
			missing++;
		}
		external_report_free(x);
	}
	return (missing);
}

static int
delete_ids(const char *dir, const struct strlist *ids)
{
	struct store *s;
	struct store_error err = { "" };
	enum store_status st;
	size_t	missing = 0, named;

	if (rq_open("delete", dir, true, &s) != RQ_EXIT_OK)
		return (RQ_EXIT_FAIL);
	named = name_missing(s, ids);
	st = store_delete(s, (const char *const *) ids->v, ids->n, &missing,
	    &err);
	store_close(s);
	if (st != STORE_OK)
		return (rq_store_fail("delete", dir, st, &err));
	printf("%zu deleted\n", ids->n - missing);
	if (missing > named)
		rq_fail("delete", "%zu more ids were not stored", missing - named);
	return (rq_flush("delete", missing ? RQ_EXIT_FAIL : RQ_EXIT_OK));
}

int
rq_delete(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "ids", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct strlist ids = { NULL, 0, 0 };
	const char *dir = NULL;
	int	ch, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			dir = optarg;
			break;
		case 'i':
			if (add_ids(&ids, optarg) < 0) {
				strlist_clear(&ids);
				return (rq_fail("delete", "out of memory"));
			}
			break;
		case 'h':
			strlist_clear(&ids);
			delete_help();
			return (RQ_EXIT_OK);
		default:
			strlist_clear(&ids);
			return (rq_usage_error("delete", "unknown option"));
		}
	}
	if (optind < argc || ids.n == 0) {
		strlist_clear(&ids);
		if (optind < argc)
			return (rq_usage_error("delete", "unexpected argument "
			    "'%s' (ids go in --ids)", argv[optind]));
		return (rq_usage_error("delete", "no --ids given"));
	}
	rc = delete_ids(dir ? dir : rq_default_store(), &ids);
	strlist_clear(&ids);
	return (rc);
}
