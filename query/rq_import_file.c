/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_import_file - one file of report-query import
 * PURPOSE
 *	A file is told apart by its content: an export (JSON objects whose
 *	first member is "@type", as export and get write them) goes object
 *	by object through rq_object_read_head() and ingest_external(); an mbox
 *	goes message by message, each unquoted (">From "), through
 *	ingest_message(); anything else (an e-mail, a bare report) is one
 *	message. The envelope of a message: the file name as queue id
 *	("FILE:N" for the N-th message of an mbox), the sender of its
 *	"From " line, and --received-at or now.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>


#include "rq_import.h"
#include "rq_object.h"
#include "rq_split.h"

/* Maps a regular file; *len gets its size. NULL: errno says why. */
static char *
load(const char *path, size_t *len, int *mapped)
{
	struct stat st;
	char   *buf = NULL;
	int	fd, e;

	*mapped = 0;
	if ((fd = open(path, O_RDONLY)) < 0)
		return (NULL);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		e = errno;
		if (fstat(fd, &st) == 0)	/* not a regular file */
			e = EINVAL;
		close(fd);
		errno = e;
		return (NULL);
	}
	*len = (size_t) st.st_size;
	if (*len == 0)
		buf = calloc(1, 1);
	else if ((buf = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0)) ==
	    MAP_FAILED)
		buf = NULL;
	else
		*mapped = 1;
	e = errno;
	close(fd);
	errno = e;
	return (buf);
}

/* Counts an item that failed and says why: "what: why". */
static void
failed(struct rq_import *im, const char *what, const char *why)
{
	pthread_mutex_lock(&im->lock);
	im->failed++;
	rq_import_note(im, "%s: %s", what, why);
	pthread_mutex_unlock(&im->lock);
}

/* An item written in a batch commit that is not done yet. */
struct rq_import_wait {
	char   *what;
	struct ingest_result res;
};

/* Counts one item's outcome and names it when it needs attention. */
static void
count_now(struct rq_import *im, const char *what,
    const struct ingest_result *res)
{
	switch (res->status) {
	case INGEST_STORED:
		im->stored++;
		if (res->qid[0] != '\0')
			rq_import_note(im, "%s: stored, but a part was "
			    "unparsable (quarantined as %s): %s", what,
			    res->qid, res->reason);
		break;
	case INGEST_DUPLICATE:
		im->duplicate++;
		break;
	case INGEST_NOT_REPORT:
		im->not_report++;
		if (im->verbose)
			rq_import_note(im, "%s: not a report", what);
		break;
	case INGEST_UNPARSABLE:
		im->unparsable++;
		rq_import_note(im, "%s: unparsable (quarantined as %s): %s",
		    what, res->qid, res->reason);
		break;
	case INGEST_UNAUTHENTICATED:
		im->unauthenticated++;
		rq_import_note(im, "%s: not stored (%s%s): %s", what,
		    res->qid[0] ? "quarantined as " : "refused", res->qid,
		    res->reason);
		break;
	default:
		im->failed++;
		rq_import_note(im, "%s: not stored: %s", what, res->reason);
		break;
	}
	rq_import_progress(im, false);
}

void
rq_import_settle(struct rq_import *im, bool wait)
{
	struct rq_import_wait *w;
	struct store_error err;
	enum store_status st;
	size_t	i, kept = 0;

	for (i = 0; i < im->n_waits; i++) {
		w = &im->waits[i];
		err.reason[0] = '\0';
		if (!store_batch_done(im->s, w->res.batch, wait, &st, &err)) {
			im->waits[kept++] = *w;
			continue;
		}
		if (st != STORE_OK) {
			w->res.status = INGEST_TEMPFAIL;
			w->res.cause = st;
			snprintf(w->res.reason, sizeof(w->res.reason), "%s",
			    err.reason[0] ? err.reason : store_status_name(st));
		}
		count_now(im, w->what, &w->res);
		free(w->what);
	}
	im->n_waits = kept;
}

/* Waits for the commit of res, then counts it (out of memory only). */
static void
count_one_late(struct rq_import *im, const char *what,
    const struct ingest_result *res)
{
	struct ingest_result r = *res;
	struct store_error err = { "" };
	enum store_status st;

	(void)store_batch_done(im->s, r.batch, true, &st, &err);
	if (st != STORE_OK) {
		r.status = INGEST_TEMPFAIL;
		r.cause = st;
		snprintf(r.reason, sizeof(r.reason), "%s", err.reason);
	}
	pthread_mutex_lock(&im->lock);
	count_now(im, what, &r);
	pthread_mutex_unlock(&im->lock);
}

/*
 * Counts one item: now when it is durable (or was not written), else
 * once its batch commit is done (rq_import_settle()).
 */
static void
count(struct rq_import *im, const char *what, const struct ingest_result *res)
{
	struct rq_import_wait *v;
	size_t	cap;

	pthread_mutex_lock(&im->lock);
	if (res->batch == 0) {
		count_now(im, what, res);
	} else {
		if (im->n_waits == im->cap_waits) {
			cap = im->cap_waits ? 2 * im->cap_waits : 64;
			if ((v = realloc(im->waits, cap * sizeof(*v))) != NULL) {
				im->waits = v;
				im->cap_waits = cap;
			}
		}
		if (im->n_waits < im->cap_waits &&
		    (im->waits[im->n_waits].what = strdup(what)) != NULL) {
			im->waits[im->n_waits].res = *res;
			im->n_waits++;
		} else {
			/* No room to remember it: wait for its commit. */
			pthread_mutex_unlock(&im->lock);
			count_one_late(im, what, res);
			pthread_mutex_lock(&im->lock);
		}
	}
	rq_import_settle(im, false);
	pthread_mutex_unlock(&im->lock);
}

/* One message; sender is that of its mbox "From " line (NULL: no mbox). */
static void
import_message(struct rq_import *im, const char *msg, size_t len,
    const char *queue_id, const char *sender)
{
	struct ingest_envelope env;
	struct ingest_result res;
	char   *plain = NULL;
	size_t	plain_len = 0;
	int	q;

	q = sender != NULL ? rq_mbox_unescape(msg, len, &plain, &plain_len) : 0;
	if (q < 0) {
		failed(im, queue_id, "out of memory");
		return;
	}
	memset(&env, 0, sizeof(env));
	env.sender = sender != NULL && *sender ? sender : NULL;
	env.queue_id = queue_id;
	env.received_at = im->received_at;
	ingest_message(im->s, q ? plain : msg, q ? plain_len : len, &env,
	    &im->o, &res);
	free(plain);
	count(im, queue_id, &res);
}

static void
import_mbox(struct rq_import *im, const char *path, const char *buf,
    size_t len)
{
	struct rq_cursor c;
	const char *msg;
	char	sender[512], name[4096];
	size_t	mlen, n = 0;

	rq_cursor_init(&c, buf, len);
	while (rq_mbox_next(&c, &msg, &mlen, sender, sizeof(sender)) == 1) {
		n++;
		/* A file of one message is named as it is. */
		if (n == 1 && c.pos >= c.len)
			snprintf(name, sizeof(name), "%s", path);
		else
			snprintf(name, sizeof(name), "%s:%zu", path, n);
		import_message(im, msg, mlen, name, sender);
	}
}

static void
import_export(struct rq_import *im, const char *path, const char *buf,
    size_t len)
{
	struct external_report *x;
	struct parse_error perr = { "" };
	struct ingest_result res;
	struct store_meta seen;
	struct rq_cursor c;
	const char *obj, *records;
	char	name[4096];
	size_t	olen, rlen, n = 0;
	int	rc;

	rq_cursor_init(&c, buf, len);
	while ((rc = rq_json_next(&c, &obj, &olen)) == 1) {
		snprintf(name, sizeof(name), "%s: object %zu", path, ++n);
		parse_error_clear(&perr);
		if (rq_object_read_head(obj, olen, &x, &seen, &records, &rlen,
		    &perr) != PARSE_OK) {
			failed(im, name, perr.reason);
			continue;
		}
		if (ingest_external(im->s, x, &seen, records, rlen, &im->o,
		    &res) == INGEST_UNPARSABLE)
			failed(im, name, res.reason);
		else
			count(im, name, &res);
		external_report_free(x);
	}
	if (rc < 0) {
		snprintf(name, sizeof(name), "not JSON after object %zu", n);
		failed(im, path, name);
	}
}

void
rq_import_file(struct rq_import *im, const char *path)
{
	size_t	len = 0;
	int	mapped;
	char   *buf;

	if ((buf = load(path, &len, &mapped)) == NULL) {
		failed(im, path, strerror(errno));
	} else if (rq_split_is_export(buf, len))
		import_export(im, path, buf, len);
	else if (rq_split_is_mbox(buf, len))
		import_mbox(im, path, buf, len);
	else
		import_message(im, buf, len, path, NULL);
	if (mapped)
		munmap(buf, len);
	else
		free(buf);
	pthread_mutex_lock(&im->lock);
	im->files_done++;
	rq_import_progress(im, false);
	pthread_mutex_unlock(&im->lock);
}
