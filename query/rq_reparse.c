/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_reparse - report-query reparse: quarantined mail, parsed again
 * PURPOSE
 *	After an upgrade the parsers may read what they refused before.
 *	Each entry's message goes through the one ingest path again with
 *	its envelope; the reports that come out are stored (or found stored
 *	already), and when no part failed the entry is deleted. The ingest
 *	path quarantines a message that still fails; that new copy is
 *	deleted at once, so an entry that is still broken stays as it was,
 *	under its old QID.
 */
#include <getopt.h>
#include <string.h>

#include "extract.h"
#include "ingest.h"

#include "rq.h"

struct reparse {
	const char *dir;
	struct store *s;
	struct ingest_options o;
	unsigned stored, still, failed;
};

static void
reparse_help(void)
{
	printf("usage: %s reparse [--store DIR] [QID...]\n\n"
	    "Parses the quarantined messages (all, or those named) again.\n"
	    "A message that now gives reports is stored and leaves the\n"
	    "quarantine; one that still fails stays. Prints one line per\n"
	    "message and a count at the end.\n\n"
	    "  --store DIR   the store (default: StoreDir of %s,\n"
	    "                else %s)\n\n"
	    "Exit status: 0 done (also when messages still fail), 1 a QID is\n"
	    "not quarantined or the store failed, 2 usage error.\n",
	    rq_progname, RQ_CONFIG_FILE, RQ_DEFAULT_STORE);
}

static int
collect_qid(void *arg, const struct store_quarantine *q)
{
	return (strlist_add_str(arg, q->qid) < 0);
}

/* Deletes a quarantine entry; RQ_EXIT_OK or RQ_EXIT_FAIL. */
static int
unquarantine(struct reparse *rp, const char *qid)
{
	struct store_error err = { "" };
	enum store_status st = store_quarantine_delete(rp->s, qid, &err);

	if (st == STORE_OK || st == STORE_NOTFOUND)
		return (RQ_EXIT_OK);
	return (rq_store_fail("reparse", rp->dir, st, &err));
}

/*
 * Says what became of one entry and tidies up after the ingest path: an
 * entry stays (under its old QID) while a part of its message still
 * fails, and goes once every report in it is stored.
 */
static int
outcome(struct reparse *rp, const struct store_quarantine *q,
    const struct ingest_result *res)
{
	unsigned n = res->stored[RECORD_DMARC] + res->stored[RECORD_TLS] +
	    res->stored[RECORD_ARF];

	if (res->status == INGEST_TEMPFAIL) {
		rp->failed++;
		return (rq_fail("reparse", "%s: %s", q->qid, res->reason));
	}
	if (res->qid[0] != '\0') {
		rp->still++;
		printf("%s: still unparsable: %s", q->qid, res->reason);
		if (n > 0)
			printf(" (%u report%s stored)", n, n == 1 ? "" : "s");
		putchar('\n');
		/* The same message names its own entry; another is a new copy. */
		if (strcmp(res->qid, q->qid) == 0)
			return (RQ_EXIT_OK);
		return (unquarantine(rp, res->qid));
	}
	if (res->status == INGEST_NOT_REPORT) {
		rp->still++;
		printf("%s: no report found now; kept\n", q->qid);
		return (RQ_EXIT_OK);
	}
	rp->stored++;
	if (n > 0)
		printf("%s: stored %u report%s (%s)\n", q->qid, n, n == 1 ? "" :
		    "s", res->first_id);
	else
		printf("%s: stored already (%s)\n", q->qid, res->first_id);
	return (unquarantine(rp, q->qid));
}

static int
reparse_one(struct reparse *rp, const char *qid)
{
	struct store_quarantine *q;
	struct store_error err = { "" };
	struct ingest_envelope env;
	struct ingest_result res;
	enum store_status st;
	int	rc;

	if ((st = store_quarantine_get(rp->s, qid, &q, &err)) == STORE_NOTFOUND)
		return (rq_fail("reparse", "%s: not quarantined", qid));
	if (st != STORE_OK)
		return (rq_store_fail("reparse", rp->dir, st, &err));
	if (q->kept_len < q->message_len) {
		rp->still++;
		printf("%s: only %zu of its %zu bytes were kept; kept\n", qid,
		    q->kept_len, q->message_len);
		store_quarantine_free(q);
		return (RQ_EXIT_OK);
	}
	memset(&env, 0, sizeof(env));
	env.sender = q->sender[0] ? q->sender : NULL;
	env.queue_id = q->queue_id;
	env.received_at = q->received_at;
	ingest_message(rp->s, q->message, q->kept_len, &env, &rp->o, &res);
	rc = outcome(rp, q, &res);
	store_quarantine_free(q);
	return (rc);
}

static int
reparse(struct reparse *rp, int n, char **qids)
{
	struct strlist all = { NULL, 0, 0 };
	struct store_error err = { "" };
	enum store_status st;
	size_t	i;
	int	rc = RQ_EXIT_OK;

	if (n == 0) {
		st = store_quarantine_each(rp->s, false, collect_qid, &all,
		    &err);
		if (st != STORE_OK) {
			strlist_clear(&all);
			return (st == STORE_STOPPED ? rq_fail("reparse",
			    "out of memory") : rq_store_fail("reparse",
			    rp->dir, st, &err));
		}
		qids = all.v;
		n = (int) all.n;
	}
	for (i = 0; i < (size_t) n; i++)
		if (reparse_one(rp, qids[i]) != RQ_EXIT_OK)
			rc = RQ_EXIT_FAIL;
	strlist_clear(&all);
	printf("%u stored, %u still failing, %u failed\n", rp->stored,
	    rp->still, rp->failed);
	return (rc);
}

int
rq_reparse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct reparse rp;
	int	ch, rc;

	memset(&rp, 0, sizeof(rp));
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == 's')
			rp.dir = optarg;
		else if (ch == 'h') {
			reparse_help();
			return (RQ_EXIT_OK);
		} else
			return (rq_usage_error("reparse", "unknown option"));
	}
	if (rp.dir == NULL)
		rp.dir = rq_default_store();
	if (rq_open("reparse", rp.dir, true, &rp.s) != RQ_EXIT_OK)
		return (RQ_EXIT_FAIL);
	ingest_options_default(&rp.o);
	extract_init();
	rc = reparse(&rp, argc - optind, argv + optind);
	extract_shutdown();
	store_close(rp.s);
	return (rq_flush("reparse", rc));
}
