/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_quarantine - report-query quarantine: report mail that failed
 * PURPOSE
 *	A message with a report part that could not be parsed is kept raw
 *	in the store's quarantine with the reason. "list" shows every entry
 *	a line, "show QID" one entry and its message, "delete QID..." drops
 *	entries. (reparse, in rq_reparse.c, retries them.)
 */
#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include "record_json.h"

#include "rq.h"
#include "rq_table.h"

static void
quarantine_help(void)
{
	printf("usage: %s quarantine [--store DIR] list\n"
	    "       %s quarantine [--store DIR] show [--raw] QID\n"
	    "       %s quarantine [--store DIR] delete QID...\n\n"
	    "Report mail whose report part could not be parsed is kept raw,\n"
	    "with the reason. list prints one entry a line; show prints an\n"
	    "entry's reason and envelope, an empty line and the message as\n"
	    "kept (--raw: the message alone); delete drops entries. Retry\n"
	    "them with '%s reparse'.\n\n"
	    "  --store DIR   the store (default: StoreDir of %s,\n"
	    "                else %s)\n\n"
	    "Exit status: 0 done, 1 a QID is not quarantined or the store\n"
	    "failed, 2 usage error.\n", rq_progname, rq_progname, rq_progname,
	    rq_progname, RQ_CONFIG_FILE, RQ_DEFAULT_STORE);
}

static int
list_entry(void *arg, const struct store_quarantine *q)
{
	char	when[32], size[32], reason[256];
	const char *cells[6] = { q->qid, when, size, q->queue_id, q->sender,
	    reason };

	record_json_time(q->received_at, when, sizeof(when));
	snprintf(size, sizeof(size), "%zu", q->message_len);
	/* The first failed part; show prints them all. */
	snprintf(reason, sizeof(reason), "%.*s", (int) strcspn(q->reason, "\n"),
	    q->reason);
	return (rq_table_add(arg, cells) < 0);
}

static int
list(struct store *s, const char *dir)
{
	static const char *const head[] = { "qid", "received", "size",
	    "queue id", "sender", "reason" };
	struct store_error err = { "" };
	struct rq_table t;
	enum store_status st;

	rq_table_init(&t, 6, head, 1u << 2);
	t.cut = 1u << 5;	/* a queue id (a file name) is shown whole */
	st = store_quarantine_each(s, false, list_entry, &t, &err);
	if (st == STORE_OK)
		rq_table_print(&t, stdout, "");
	rq_table_clear(&t);
	if (st == STORE_STOPPED)
		return (rq_fail("quarantine", "out of memory"));
	if (st != STORE_OK)
		return (rq_store_fail("quarantine", dir, st, &err));
	return (RQ_EXIT_OK);
}

static int
show(struct store *s, const char *dir, const char *qid, int raw)
{
	struct store_quarantine *q;
	struct store_error err = { "" };
	enum store_status st;
	char	when[32];

	if ((st = store_quarantine_get(s, qid, &q, &err)) == STORE_NOTFOUND)
		return (rq_fail("quarantine", "%s: not quarantined", qid));
	if (st != STORE_OK)
		return (rq_store_fail("quarantine", dir, st, &err));
	if (!raw) {
		record_json_time(q->received_at, when, sizeof(when));
		printf("qid: %s\nreceived: %s\nsender: %s\nqueue id: %s\n"
		    "size: %zu (kept %zu)\n", q->qid, when, q->sender,
		    q->queue_id, q->message_len, q->kept_len);
		printf("reason: %s\n\n", q->reason);
	}
	fwrite(q->message, 1, q->kept_len, stdout);
	store_quarantine_free(q);
	return (RQ_EXIT_OK);
}

static int
drop(struct store *s, const char *dir, char **qids, int n)
{
	struct store_error err = { "" };
	enum store_status st;
	int	i, rc = RQ_EXIT_OK, deleted = 0;

	for (i = 0; i < n; i++) {
		st = store_quarantine_delete(s, qids[i], &err);
		if (st == STORE_OK)
			deleted++;
		else if (st == STORE_NOTFOUND)
			rc = rq_fail("quarantine", "%s: not quarantined",
			    qids[i]);
		else
			return (rq_store_fail("quarantine", dir, st, &err));
	}
	printf("%d deleted\n", deleted);
	return (rc);
}

/* Runs the sub-verb argv[0] with its arguments. */
static int
run(const char *dir, int argc, char **argv, int raw)
{
	const char *sub = argv[0];
	struct store *s;
	int	rc, write = strcmp(sub, "delete") == 0;

	if (strcmp(sub, "list") != 0 && strcmp(sub, "show") != 0 && !write)
		return (rq_usage_error("quarantine", "unknown sub-verb '%s' "
		    "(list, show, delete)", sub));
	if ((strcmp(sub, "list") == 0 && argc != 1) ||
	    (strcmp(sub, "show") == 0 && argc != 2) || (write && argc < 2))
		return (rq_usage_error("quarantine", "%s takes %s", sub,
		    strcmp(sub, "list") == 0 ? "no argument" :
		    strcmp(sub, "show") == 0 ? "one QID" : "QID..."));
	if (raw && strcmp(sub, "show") != 0)
		return (rq_usage_error("quarantine", "--raw is for show"));
	if (rq_open("quarantine", dir, write, &s) != RQ_EXIT_OK)
		return (RQ_EXIT_FAIL);
	if (strcmp(sub, "list") == 0)
		rc = list(s, dir);
	else if (!write)
		rc = show(s, dir, argv[1], raw);
	else
		rc = drop(s, dir, argv + 1, argc - 1);
	store_close(s);
	return (rq_flush("quarantine", rc));
}

int
rq_quarantine(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "raw", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL;
	int	ch, raw = 0;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == 's')
			dir = optarg;
		else if (ch == 'r')
			raw = 1;
		else if (ch == 'h') {
			quarantine_help();
			return (RQ_EXIT_OK);
		} else
			return (rq_usage_error("quarantine", "unknown option"));
	}
	if (optind >= argc)
		return (rq_usage_error("quarantine", "no sub-verb given "
		    "(list, show, delete)"));
	return (run(dir ? dir : rq_default_store(), argc - optind,
	    argv + optind, raw));
}
