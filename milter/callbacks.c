/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	callbacks - the mlfi_* functions libmilter calls, glue only
 * PURPOSE
 *	Negotiation turns off the steps the filter never needs (HELO,
 *	unknown commands) and, where the MTA allows it, the replies to
 *	connect, MAIL, RCPT, each header, end of headers and each body
 *	chunk, which then cost the MTA no wait: a report mail costs two
 *	round trips (DATA and end of message) however many headers it
 *	has. The price is that a body over MaxMessageSize is still sent
 *	(and dropped as it comes) where SMFIS_SKIP would have cut it
 *	short; report mail that big is rare, headers are in every one. Every
 *	decision about a message is taken at DATA, when all recipients are
 *	known: mail that has no report recipient (or comes from an
 *	authenticated client) is accepted there, before any header or body
 *	is sent, so ordinary mail costs three commands and one round trip. A
 *	report mail is spooled and decided on at end of message (finish.c).
 *
 *	State: struct conn is the private pointer from negotiation (or
 *	connect) to close; it owns the message in progress. msg_free() runs
 *	when a message ends (eom, abort, an early accept, a new MAIL FROM);
 *	conn_free() when the connection ends, and close may come with no
 *	private pointer at all.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <libmilter/mfapi.h>

#include "context.h"
#include "finish.h"
#include "log.h"
#include "stats.h"

#include "callbacks.h"

#define WANT_ACTIONS	(SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_DELRCPT | \
			 SMFIF_SETSYMLIST)
#define WANT_STEPS	(SMFIP_NOHELO | SMFIP_NOUNKNOWN | SMFIP_SKIP | \
			 SMFIP_HDR_LEADSPC | SMFIP_NR_CONN | SMFIP_NR_MAIL | \
			 SMFIP_NR_RCPT | SMFIP_NR_HDR | SMFIP_NR_EOH | \
			 SMFIP_NR_BODY)

/* The connection of ctx, made now if negotiation did not make it. */
static struct conn *
conn_of(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);

	if (c == NULL && (c = conn_new()) != NULL)
		smfi_setpriv(ctx, c);
	return (c);
}

/* CONTINUE, or no reply at all when the MTA agreed to that for this step. */
static sfsistat
go_on(const struct conn *c, unsigned long no_reply_step)
{
	return ((c->steps & no_reply_step) ? SMFIS_NOREPLY : SMFIS_CONTINUE);
}

/* The MTA's queue id, when it sent {i} with this step. */
static void
note_qid(SMFICTX *ctx, struct msg *m)
{
	msg_set_qid(m, smfi_getsymval(ctx, "i"));
}

static sfsistat
mlfi_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
    unsigned long f2, unsigned long f3, unsigned long *pf0,
    unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
	struct conn *c = conn_of(ctx);

	(void) f2;
	(void) f3;
	if (c == NULL) {	/* out of memory: no filter here */
		stats_refused(STATS_REFUSED_NOMEM);
		return (SMFIS_REJECT);
	}
	*pf0 = c->actions = f0 & WANT_ACTIONS;
	*pf1 = c->steps = f1 & WANT_STEPS;
	*pf2 = *pf3 = 0;
	/*
	 * Only the macros used: each stage with macros costs the MTA one
	 * more packet, for every message. The queue id comes at MAIL FROM
	 * (Sendmail) or at end of message (Postfix, which names the queue
	 * file only after the first recipient).
	 */
	if (c->actions & SMFIF_SETSYMLIST) {
		(void) smfi_setsymlist(ctx, SMFIM_CONNECT, "");
		(void) smfi_setsymlist(ctx, SMFIM_ENVFROM, "i {auth_authen}");
		(void) smfi_setsymlist(ctx, SMFIM_ENVRCPT, "");
		(void) smfi_setsymlist(ctx, SMFIM_DATA, "");
		(void) smfi_setsymlist(ctx, SMFIM_EOH, "");
		(void) smfi_setsymlist(ctx, SMFIM_EOM, "i");
	}
	return (SMFIS_CONTINUE);
}

static sfsistat
mlfi_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *sa)
{
	struct conn *c = conn_of(ctx);
	const void *a = NULL;

	(void) host;
	if (c == NULL)		/* no negotiation either: no reply is waived */
		return (SMFIS_TEMPFAIL);
	if (sa != NULL && sa->sa_family == AF_INET)
		a = &((struct sockaddr_in *) (void *) sa)->sin_addr;
	else if (sa != NULL && sa->sa_family == AF_INET6)
		a = &((struct sockaddr_in6 *) (void *) sa)->sin6_addr;
	if (a == NULL || inet_ntop(sa->sa_family, a, c->client_addr,
	    sizeof(c->client_addr)) == NULL)
		c->client_addr[0] = '\0';
	return (go_on(c, SMFIP_NR_CONN));
}

static sfsistat
mlfi_envfrom(SMFICTX *ctx, char **argv)
{
	struct conn *c = conn_of(ctx);
	const char *auth;

	if (c == NULL)
		return (SMFIS_TEMPFAIL);
	msg_free(c->msg);	/* a message the MTA never ended for us */
	stats_message();
	c->msg = msg_new(argv[0]);
	c->nomem = c->msg == NULL;
	if (c->msg != NULL) {
		auth = smfi_getsymval(ctx, "{auth_authen}");
		c->msg->authenticated = auth != NULL && *auth != '\0';
		note_qid(ctx, c->msg);
	}
	return (go_on(c, SMFIP_NR_MAIL));
}

static sfsistat
mlfi_envrcpt(SMFICTX *ctx, char **argv)
{
	struct conn *c = smfi_getpriv(ctx);
	const struct config *cfg;
	const char *orcpt;
	char	buf[1024];
	bool	report;

	if (c == NULL)
		return (SMFIS_CONTINUE);
	if (c->msg == NULL)
		return (go_on(c, SMFIP_NR_RCPT));
	cfg = c->cfg;
	orcpt = addr_orcpt(argv + 1, buf, sizeof(buf));
	report = select_match(cfg->recipients, argv[0],
	    cfg->recipient_delimiter) || (orcpt != NULL &&
	    select_match(cfg->recipients, orcpt, cfg->recipient_delimiter));
	if (msg_add_rcpt(c->msg, argv[0], orcpt, report) < 0)
		c->msg->nomem = true;
	note_qid(ctx, c->msg);
	return (go_on(c, SMFIP_NR_RCPT));
}

/*
 * Every recipient is known: mail for no report mailbox, or from an
 * authenticated client, is accepted here, unseen; report mail gets its
 * spool. No spool (out of memory) is a temporary failure at end of
 * message; a message that lost state earlier is one now.
 */
static sfsistat
begin_content(SMFICTX *ctx, struct conn *c)
{
	struct msg *m = c->msg;

	if (m == NULL || m->nomem) {
		log_msg(LOG_ERR, "%s: tempfail: out of memory at MAIL or RCPT",
		    m && m->qid[0] ? m->qid : "NOQUEUE");
		msg_free(m);
		c->msg = NULL;
		stats_tempfail(STATS_TEMPFAIL_NOMEM);
		(void) smfi_setreply(ctx, "451", "4.3.0", "report-milter is "
		    "out of memory");
		return (SMFIS_TEMPFAIL);
	}
	note_qid(ctx, m);
	if (m->n_report == 0 ||
	    (m->authenticated && c->cfg->ignore_authenticated)) {
		msg_free(m);
		c->msg = NULL;
		return (SMFIS_ACCEPT);
	}
	m->spool = spool_new(c->cfg->spool_memory, c->cfg->max_message_size,
	    c->cfg->temp_dir);
	return (SMFIS_CONTINUE);
}

static sfsistat
mlfi_data(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);

	if (c == NULL || (c->msg == NULL && !c->nomem))
		return (SMFIS_ACCEPT);
	c->nomem = false;
	return (begin_content(ctx, c));
}

static sfsistat
mlfi_header(SMFICTX *ctx, char *name, char *value)
{
	struct conn *c = smfi_getpriv(ctx);
	struct msg *m;

	if (c == NULL)
		return (SMFIS_ACCEPT);
	if ((m = c->msg) == NULL)
		return ((c->steps & SMFIP_NR_HDR) ? SMFIS_NOREPLY : SMFIS_ACCEPT);
	if (m->spool == NULL)
		return (go_on(c, SMFIP_NR_HDR));
	if (strcasecmp(name, "X-Report-Milter") == 0)
		m->own_headers++;
	/* A failure stays in the spool; end of message answers it. */
	(void) spool_add_header(m->spool, name, value,
	    (c->steps & SMFIP_HDR_LEADSPC) != 0);
	return (go_on(c, SMFIP_NR_HDR));
}

static sfsistat
mlfi_eoh(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);

	if (c == NULL)
		return (SMFIS_ACCEPT);
	if (c->msg == NULL)
		return ((c->steps & SMFIP_NR_EOH) ? SMFIS_NOREPLY : SMFIS_ACCEPT);
	if (c->msg->spool != NULL)
		(void) spool_add(c->msg->spool, "\r\n", 2);
	return (go_on(c, SMFIP_NR_EOH));
}

static sfsistat
mlfi_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	struct conn *c = smfi_getpriv(ctx);
	struct msg *m;

	if (c == NULL)
		return (SMFIS_ACCEPT);
	if ((m = c->msg) == NULL)
		return ((c->steps & SMFIP_NR_BODY) ? SMFIS_NOREPLY : SMFIS_ACCEPT);
	if (m->spool != NULL &&
	    spool_add(m->spool, chunk, len) == SPOOL_OK)
		return (go_on(c, SMFIP_NR_BODY));
	/*
	 * Too big, or failed: the rest of the body changes nothing. Without
	 * a reply to send (SMFIP_NR_BODY) it is taken and dropped.
	 */
	if (c->steps & SMFIP_NR_BODY)
		return (SMFIS_NOREPLY);
	return ((c->steps & SMFIP_SKIP) ? SMFIS_SKIP : SMFIS_CONTINUE);
}

static sfsistat
mlfi_eom(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);
	struct msg *m;
	struct timespec t0, t1;
	sfsistat r;

	if (c == NULL || (m = c->msg) == NULL)
		return (SMFIS_CONTINUE);
	c->msg = NULL;		/* the message ends here, whatever happens */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	note_qid(ctx, m);
	r = finish_message(ctx, c, m);
	msg_free(m);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	stats_answer_time((double) (t1.tv_sec - t0.tv_sec) +
	    (double) (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return (r);
}

static sfsistat
mlfi_abort(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);

	if (c != NULL) {
		msg_free(c->msg);
		c->msg = NULL;
		c->nomem = false;
	}
	return (SMFIS_CONTINUE);
}

static sfsistat
mlfi_close(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);

	conn_free(c);		/* NULL when the MTA left before we began */
	smfi_setpriv(ctx, NULL);
	return (SMFIS_CONTINUE);
}

int
callbacks_register(void)
{
	struct smfiDesc desc = {
		.xxfi_name = "report-milter",
		.xxfi_version = SMFI_VERSION,
		.xxfi_flags = WANT_ACTIONS & ~SMFIF_SETSYMLIST,
		.xxfi_connect = mlfi_connect,
		.xxfi_envfrom = mlfi_envfrom,
		.xxfi_envrcpt = mlfi_envrcpt,
		.xxfi_header = mlfi_header,
		.xxfi_eoh = mlfi_eoh,
		.xxfi_body = mlfi_body,
		.xxfi_eom = mlfi_eom,
		.xxfi_abort = mlfi_abort,
		.xxfi_close = mlfi_close,
		.xxfi_data = mlfi_data,
		.xxfi_negotiate = mlfi_negotiate,
	};

	return (smfi_register(desc) == MI_SUCCESS ? 0 : -1);
}
