/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	finish - ingest a spooled report mail and answer the MTA
 * PURPOSE
 *	"Gather in events, decide at end of message": every outcome of a
 *	report mail is chosen here, in one place, from what the callbacks
 *	gathered (recipients, spool state) and what ingest_message() says.
 *	No store transaction outlives the call to ingest_message().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "authres.h"
#include "defer.h"
#include "ingest.h"
#include "log.h"
#include "stats.h"
#include "store_hold.h"

#include "finish.h"

#define REPLY_TEXT_MAX	400
#define OWN_HEADER	"X-Report-Milter"

static const char *
qid_of(const struct msg *m)
{
	return (m->qid[0] ? m->qid : "NOQUEUE");
}

/*
 * Answers 451 4.3.0 with why, made safe for an SMTP reply line (no
 * control characters, no "%", which libmilter would read as a format).
 */
static sfsistat
tempfail(SMFICTX *ctx, const char *why)
{
	char	text[REPLY_TEXT_MAX];
	size_t	i;

	snprintf(text, sizeof(text), "report-milter cannot store this "
	    "report now: %s", why);
	for (i = 0; text[i] != '\0'; i++)
		if ((unsigned char) text[i] < ' ' || text[i] == '%' ||
		    (unsigned char) text[i] >= 0x7f)
			text[i] = ' ';
	if (smfi_setreply(ctx, "451", "4.3.0", text) != MI_SUCCESS)
		log_msg(LOG_WARNING, "cannot set the reply text: %s", text);
	return (SMFIS_TEMPFAIL);
}

/* The store failed before anything was parsed: counted, logged, 451. */
static sfsistat
store_tempfail(SMFICTX *ctx, const struct msg *m, size_t len,
    enum store_status sst, const struct store_error *serr)
{
	stats_tempfail(stats_tempfail_of(sst));
	log_msg(LOG_ERR, "%s: tempfail: size=%zu sender=<%s> reason=\"%s\"",
	    qid_of(m), len, m->sender, serr->reason);
	return (tempfail(ctx, serr->reason));
}

/* The spool's data, or an answer when there is none to ingest. */
static bool
spooled(SMFICTX *ctx, struct msg *m, const char **data, size_t *len,
    sfsistat *answer)
{
	const char *why;

	if (m->spool == NULL) {		/* out of memory at DATA */
		log_msg(LOG_ERR, "%s: tempfail: out of memory", qid_of(m));
		stats_tempfail(STATS_TEMPFAIL_NOMEM);
		*answer = tempfail(ctx, "out of memory");
		return (false);
	}
	switch (spool_map(m->spool, data, len)) {
	case SPOOL_OK:
		return (true);
	case SPOOL_TOO_BIG:
		log_msg(LOG_NOTICE, "%s: not looked at: the message is larger "
		    "than MaxMessageSize (%zu bytes so far): accepted "
		    "untouched", qid_of(m), spool_size(m->spool));
		stats_refused(STATS_REFUSED_TOO_BIG);
		*answer = SMFIS_ACCEPT;
		return (false);
	case SPOOL_NOMEM:
		stats_tempfail(STATS_TEMPFAIL_NOMEM);
		break;
	case SPOOL_IO:
		stats_tempfail(STATS_TEMPFAIL_IO);
		break;
	}
	why = spool_error(m->spool);
	log_msg(LOG_ERR, "%s: tempfail: spool: %s", qid_of(m), why);
	*answer = tempfail(ctx, why);
	return (false);
}

void
finish_options(const struct config *cfg, struct ingest_options *o)
{
	ingest_options_default(o);
	o->hold_seconds = (int64_t) cfg->retention_days * 86400;
	o->quarantine_bytes = cfg->quarantine_size;
	o->limits = cfg->limits;
	o->trusted = (const char *const *) cfg->trusted.v;
	o->n_trusted = cfg->trusted.n;
	o->unauthenticated = cfg->unauthenticated;
}

/* The report recipients of m (the caller frees the array); NULL: no memory. */
static const char **
report_rcpts(const struct msg *m, size_t *n)
{
	const char **rcpts;
	size_t	i;

	*n = 0;
	if ((rcpts = calloc(m->n_rcpts + 1, sizeof(*rcpts))) == NULL)
		return (NULL);
	for (i = 0; i < m->n_rcpts; i++)
		if (m->rcpts[i].report)
			rcpts[(*n)++] = m->rcpts[i].addr;
	return (rcpts);
}

/* Runs the ingest path with the connection's configuration. */
static void
ingest(struct conn *c, struct msg *m, struct store *st, const char *data,
    size_t len, struct ingest_result *res)
{
	struct ingest_envelope env;
	struct ingest_options o;
	const char **rcpts;
	size_t	n;

	memset(&env, 0, sizeof(env));
	finish_options(c->cfg, &o);
	if ((rcpts = report_rcpts(m, &n)) == NULL) {
		memset(res, 0, sizeof(*res));
		res->status = INGEST_TEMPFAIL;
		res->cause = STORE_NOMEM;
		snprintf(res->reason, sizeof(res->reason), "out of memory");
		return;
	}
	env.sender = m->sender;
	env.rcpts = rcpts;
	env.n_rcpts = n;
	env.client_addr = c->client_addr[0] ? c->client_addr : NULL;
	env.queue_id = m->qid[0] ? m->qid : NULL;
	(void) ingest_message(st, data, len, &env, &o, res);
	free(rcpts);
}

/*
 * DeferParse: keeps the message pending in the store, durably, and
 * leaves the parse to the worker (defer.c). Only where the answer does
 * not depend on what the parse finds (ReportAction deliver, no header)
 * and the backlog has room; false: ingest it now.
 */
static bool
deferred(SMFICTX *ctx, struct conn *c, struct msg *m, struct store *st,
    const char *data, size_t len, sfsistat *answer)
{
	struct store_error serr = { "" };
	struct store_pending p;
	enum store_status sst;
	const char **rcpts;
	uint64_t id;
	size_t	n, waiting;

	if (!c->cfg->defer_parse || c->cfg->action != CONFIG_ACTION_DELIVER ||
	    c->cfg->add_header)
		return (false);
	if (store_pending_count(st, &waiting, &serr) != STORE_OK ||
	    waiting >= c->cfg->defer_backlog)
		return (false);
	if ((rcpts = report_rcpts(m, &n)) == NULL)
		return (false);
	memset(&p, 0, sizeof(p));
	p.received_at = (int64_t) time(NULL);
	p.sender = m->sender;
	p.client_addr = c->client_addr;
	p.queue_id = m->qid;
	p.rcpts.v = (char **) rcpts;
	p.rcpts.n = n;
	p.message = (char *) data;
	p.message_len = len;
	sst = store_pending_put(st, &p, &id, &serr);
	free(rcpts);
	if (sst != STORE_OK) {
		*answer = store_tempfail(ctx, m, len, sst, &serr);
		return (true);
	}
	log_msg(LOG_INFO, "%s: queued: pending=%llu size=%zu sender=<%s> "
	    "waiting=%zu kept=%s", qid_of(m),
	    (unsigned long long) (id & ~STORE_PENDING_JOURNAL), len, m->sender,
	    waiting + 1, (id & STORE_PENDING_JOURNAL) ? "journal" : "store");
	defer_kick();
	*answer = SMFIS_ACCEPT;
	return (true);
}

/* "X-Report-Milter: stored; id=0000001; dmarc=1; tls=0; arf=0; ..." */
static void
add_header(SMFICTX *ctx, struct conn *c, struct msg *m,
    const struct ingest_result *res)
{
	char	value[256];
	unsigned i;

	if (!c->cfg->add_header || !(c->actions & SMFIF_ADDHDRS))
		return;
	/* A header of the same name that came with the mail is not ours. */
	for (i = m->own_headers; i > 0 && (c->actions & SMFIF_CHGHDRS); i--)
		(void) smfi_chgheader(ctx, OWN_HEADER, (int) i, NULL);
	if (res->status == INGEST_NOT_REPORT)
		return;
	/* With SMFIP_HDR_LEADSPC the MTA takes the value as it is. */
	snprintf(value, sizeof(value), "%s%s; id=%s; dmarc=%u; tls=%u; "
	    "arf=%u; duplicates=%u; failed=%u%s%s",
	    (c->steps & SMFIP_HDR_LEADSPC) ? " " : "",
	    ingest_status_name(res->status), res->first_id[0] ?
	    res->first_id : "none", res->stored[RECORD_DMARC],
	    res->stored[RECORD_TLS], res->stored[RECORD_ARF],
	    res->duplicates, res->failed, res->qid[0] ? "; quarantine=" : "",
	    res->qid);
	if (smfi_addheader(ctx, OWN_HEADER, value) != MI_SUCCESS)
		log_msg(LOG_WARNING, "%s: cannot add the %s header", qid_of(m),
		    OWN_HEADER);
}

/*
 * ReportAction, after a report was stored (or was kept already). Writes
 * what was done into done[]; returns the answer.
 */
static sfsistat
report_action(SMFICTX *ctx, struct conn *c, struct msg *m, char *done,
    size_t size)
{
	bool	all = m->n_report == m->n_rcpts;
	size_t	i, removed = 0;

	switch (c->cfg->action) {
	case CONFIG_ACTION_DELIVER:
		break;
	case CONFIG_ACTION_DISCARD:
		if (all)
			return (snprintf(done, size, "discarded"), SMFIS_DISCARD);
		break;
	case CONFIG_ACTION_REMOVE:
		if (all)
			return (snprintf(done, size, "discarded"), SMFIS_DISCARD);
		if (!(c->actions & SMFIF_DELRCPT)) {
			snprintf(done, size, "delivered (the MTA does not let "
			    "filters remove recipients)");
			return (SMFIS_ACCEPT);
		}
		for (i = 0; i < m->n_rcpts; i++)
			if (m->rcpts[i].report &&
			    smfi_delrcpt(ctx, m->rcpts[i].arg) == MI_SUCCESS)
				removed++;
		snprintf(done, size, "%zu report recipient%s removed", removed,
		    removed == 1 ? "" : "s");
		return (SMFIS_ACCEPT);
	}
	snprintf(done, size, "delivered");
	return (SMFIS_ACCEPT);
}

void
finish_log(const char *qid, const char *sender, const struct ingest_result *res,
    size_t len, const char *done)
{
	const char *why = res->reason;

	if (why[0] == '\0' && res->status == INGEST_NOT_REPORT)
		why = "no report part in it (for a report mailbox)";
	log_msg(res->status == INGEST_TEMPFAIL ? LOG_ERR :
	    res->status == INGEST_UNPARSABLE ||
	    res->status == INGEST_UNAUTHENTICATED ? LOG_WARNING : LOG_INFO,
	    "%s: %s: dmarc=%u tls=%u arf=%u duplicates=%u failed=%u id=%s "
	    "quarantine=%s size=%zu sender=<%s> action=%s authenticated=%s"
	    "%s%s%s", qid,
	    ingest_status_name(res->status), res->stored[RECORD_DMARC],
	    res->stored[RECORD_TLS], res->stored[RECORD_ARF], res->duplicates,
	    res->failed, res->first_id[0] ? res->first_id : "none",
	    res->qid[0] ? res->qid : "none", len, sender, done,
	    authres_name(res->authenticated), why[0] ? " reason=\"" : "", why, why[0] ? "\"" : "");
}

/* The one log line of a report mail. */
static void
log_result(const struct msg *m, const struct ingest_result *res,
    size_t len, const char *done)
{
	finish_log(qid_of(m), m->sender, res, len, done);
}

sfsistat
finish_message(SMFICTX *ctx, struct conn *c, struct msg *m)
{
	struct ingest_result res;
	struct store_error serr = { "" };
	struct store *st;
	const char *data;
	char	done[128];
	sfsistat answer;
	enum store_status sst;
	size_t	len;

	stats_report_mail(m->spool != NULL ? spool_size(m->spool) : 0);
	if (!spooled(ctx, m, &data, &len, &answer))
		return (answer);
	if ((sst = store_hold_get(&st, &serr)) != STORE_OK)
		return (store_tempfail(ctx, m, len, sst, &serr));
	if (deferred(ctx, c, m, st, data, len, &answer))
		return (answer);
	ingest(c, m, st, data, len, &res);
	if (res.status == INGEST_TEMPFAIL) {
		log_result(m, &res, len, "tempfail");
		stats_tempfail(stats_tempfail_of(res.cause));
		return (tempfail(ctx, res.reason));
	}
	stats_ingest(&res);
	add_header(ctx, c, m, &res);
	if (res.status == INGEST_STORED || res.status == INGEST_DUPLICATE)
		answer = report_action(ctx, c, m, done, sizeof(done));
	else {
		snprintf(done, sizeof(done), "delivered");
		answer = SMFIS_ACCEPT;
	}
	log_result(m, &res, len, done);
	return (answer);
}
