/*
 * NAME
 *	callbacks - the mlfi_* functions libmilter calls, glue only
 * PURPOSE
 *	Negotiation turns off the steps the filter never needs (HELO,
 *	unknown commands). Mail that has no report recipient is accepted at
 *	DATA, before any header or body is sent, so ordinary mail costs
 *	MAIL, RCPT and DATA round trips and nothing else. A report mail is
 *	spooled and decided on at end of message (finish.c).
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

#include <libmilter/mfapi.h>

#include "context.h"
#include "finish.h"
#include "log.h"

#include "callbacks.h"

#define WANT_ACTIONS	(SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_DELRCPT | \
			 SMFIF_SETSYMLIST)
#define WANT_STEPS	(SMFIP_NOHELO | SMFIP_NOUNKNOWN | SMFIP_SKIP | \
			 SMFIP_HDR_LEADSPC)

/* The connection of ctx, made now if negotiation did not make it. */
static struct conn *
conn_of(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);

	if (c == NULL && (c = conn_new()) != NULL)
		smfi_setpriv(ctx, c);
	return (c);
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
	if (c == NULL)
		return (SMFIS_REJECT);	/* out of memory: no filter here */
	*pf0 = c->actions = f0 & WANT_ACTIONS;
	*pf1 = c->steps = f1 & WANT_STEPS;
	*pf2 = *pf3 = 0;
	if (c->actions & SMFIF_SETSYMLIST) {
		(void) smfi_setsymlist(ctx, SMFIM_ENVFROM, "i {auth_authen}");
		(void) smfi_setsymlist(ctx, SMFIM_ENVRCPT, "i");
		(void) smfi_setsymlist(ctx, SMFIM_DATA, "i");
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
	if (c == NULL)
		return (SMFIS_TEMPFAIL);
	if (sa != NULL && sa->sa_family == AF_INET)
		a = &((struct sockaddr_in *) (void *) sa)->sin_addr;
	else if (sa != NULL && sa->sa_family == AF_INET6)
		a = &((struct sockaddr_in6 *) (void *) sa)->sin6_addr;
	if (a == NULL || inet_ntop(sa->sa_family, a, c->client_addr,
	    sizeof(c->client_addr)) == NULL)
		c->client_addr[0] = '\0';
	return (SMFIS_CONTINUE);
}

static sfsistat
mlfi_envfrom(SMFICTX *ctx, char **argv)
{
	struct conn *c = conn_of(ctx);
	const char *auth;

	if (c == NULL)
		return (SMFIS_TEMPFAIL);
	msg_free(c->msg);	/* a message the MTA never ended for us */
	c->msg = NULL;
	auth = smfi_getsymval(ctx, "{auth_authen}");
	if (c->cfg->ignore_authenticated && auth != NULL && *auth != '\0')
		return (SMFIS_ACCEPT);
	if ((c->msg = msg_new(argv[0])) == NULL) {
		log_msg(LOG_ERR, "out of memory at MAIL FROM");
		return (SMFIS_TEMPFAIL);
	}
	note_qid(ctx, c->msg);
	return (SMFIS_CONTINUE);
}

static sfsistat
mlfi_envrcpt(SMFICTX *ctx, char **argv)
{
	struct conn *c = smfi_getpriv(ctx);
	const struct config *cfg;
	const char *orcpt;
	char	buf[1024];
	bool	report;

	if (c == NULL || c->msg == NULL)
		return (SMFIS_CONTINUE);
	cfg = c->cfg;
	orcpt = addr_orcpt(argv + 1, buf, sizeof(buf));
	report = select_match(cfg->recipients, argv[0],
	    cfg->recipient_delimiter) || (orcpt != NULL &&
	    select_match(cfg->recipients, orcpt, cfg->recipient_delimiter));
	if (msg_add_rcpt(c->msg, argv[0], orcpt, report) < 0) {
		log_msg(LOG_ERR, "out of memory at RCPT TO");
		return (SMFIS_TEMPFAIL);	/* this recipient only */
	}
	note_qid(ctx, c->msg);
	return (SMFIS_CONTINUE);
}

/*
 * Every recipient is known: mail for no report mailbox is accepted here,
 * unseen; report mail gets its spool. No spool (out of memory) is a
 * temporary failure at end of message.
 */
static sfsistat
begin_content(SMFICTX *ctx, struct conn *c)
{
	struct msg *m = c->msg;

	note_qid(ctx, m);
	if (m->n_report == 0) {
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

	if (c == NULL || c->msg == NULL)
		return (SMFIS_ACCEPT);
	return (begin_content(ctx, c));
}

static sfsistat
mlfi_header(SMFICTX *ctx, char *name, char *value)
{
	struct conn *c = smfi_getpriv(ctx);
	struct msg *m;

	if (c == NULL || (m = c->msg) == NULL)
		return (SMFIS_ACCEPT);
	if (m->spool == NULL)
		return (SMFIS_CONTINUE);
	if (strcasecmp(name, "X-Report-Milter") == 0)
		m->own_headers++;
	/* A failure stays in the spool; end of message answers it. */
	(void) spool_add_header(m->spool, name, value,
	    (c->steps & SMFIP_HDR_LEADSPC) != 0);
	return (SMFIS_CONTINUE);
}

static sfsistat
mlfi_eoh(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);

	if (c == NULL || c->msg == NULL)
		return (SMFIS_ACCEPT);
	if (c->msg->spool != NULL)
		(void) spool_add(c->msg->spool, "\r\n", 2);
	return (SMFIS_CONTINUE);
}

static sfsistat
mlfi_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	struct conn *c = smfi_getpriv(ctx);
	struct msg *m;

	if (c == NULL || (m = c->msg) == NULL)
		return (SMFIS_ACCEPT);
	if (m->spool != NULL &&
	    spool_add(m->spool, chunk, len) == SPOOL_OK)
		return (SMFIS_CONTINUE);
	/* Too big, or failed: the rest of the body changes nothing. */
	return ((c->steps & SMFIP_SKIP) ? SMFIS_SKIP : SMFIS_CONTINUE);
}

static sfsistat
mlfi_eom(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);
	struct msg *m;
	sfsistat r;

	if (c == NULL || (m = c->msg) == NULL)
		return (SMFIS_CONTINUE);
	c->msg = NULL;		/* the message ends here, whatever happens */
	note_qid(ctx, m);
	r = finish_message(ctx, c, m);
	msg_free(m);
	return (r);
}

static sfsistat
mlfi_abort(SMFICTX *ctx)
{
	struct conn *c = smfi_getpriv(ctx);

	if (c != NULL) {
		msg_free(c->msg);
		c->msg = NULL;
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
