/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	context.h - what the milter keeps per connection and per message
 * PURPOSE
 *	A struct conn lives from the MTA's connect to its close and owns
 *	the struct msg of the message in progress, if any. The callbacks
 *	gather into these ("gather in events"); finish.c decides at end of
 *	message. Nothing here talks to the MTA or the store. conn_free()
 *	is the one way a connection ends, msg_free() the one way a message
 *	ends (end of message, abort, close, a new MAIL FROM).
 */
#ifndef CONTEXT_H
#define CONTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "spool.h"

/* One envelope recipient. */
struct rcpt {
	char   *arg;		/* as the MTA gave it (for smfi_delrcpt) */
	char   *addr;		/* ORCPT when given, else arg; without <> */
	bool	report;		/* it matched ReportRecipients */
};

struct msg {
	char	qid[64];	/* the MTA's queue id ({i}), "" until known */
	char   *sender;		/* MAIL FROM without <> */
	struct rcpt *rcpts;
	size_t	n_rcpts, cap_rcpts;
	size_t	n_report;	/* recipients with report set */
	struct spool *spool;	/* made at DATA for report mail */
	unsigned own_headers;	/* X-Report-Milter headers that came in */
	bool	authenticated;	/* {auth_authen} was set at MAIL FROM */
	bool	nomem;		/* a recipient was lost: out of memory */
};

struct conn {
	struct config *cfg;	/* a reference from config_live_get() */
	char	client_addr[64];	/* "" when unknown */
	unsigned long actions;	/* the SMFIF_* the MTA agreed to */
	unsigned long steps;	/* the SMFIP_* agreed on */
	struct msg *msg;	/* the message in progress, or NULL */
	bool	nomem;		/* MAIL FROM came, but no msg: out of memory */
};

/*
 * A new connection holding a reference to the configuration in force;
 * NULL when out of memory. The count of open connections grows by one.
 */
struct conn *conn_new(void);

/* Ends the connection: frees its message, gives back the reference. */
void	conn_free(struct conn *);

/*
 * Waits until no connection is open, at most timeout seconds; returns
 * the number still open (0: all ended).
 */
unsigned conn_wait_all(unsigned timeout);

/* A new message from sender (as the MTA gave it); NULL: no memory. */
struct msg *msg_new(const char *sender);

/* Frees a message and its spool; NULL is fine. */
void	msg_free(struct msg *);

/*
 * Adds a recipient: arg as given, orcpt the decoded ORCPT address or
 * NULL. report: it matched. Returns 0, or -1 when out of memory.
 */
int	msg_add_rcpt(struct msg *, const char *arg, const char *orcpt,
	    bool report);

/* Remembers the queue id when qid is not NULL or empty. */
void	msg_set_qid(struct msg *, const char *qid);

/*
 * An envelope address without the angle brackets, in buf (size bytes,
 * cut when longer). "<>" gives "".
 */
void	addr_strip(const char *addr, char *buf, size_t size);

/*
 * The address of an ORCPT=addr-type;xtext parameter among the RCPT TO
 * arguments (argv ends with NULL), decoded into buf; NULL when there is
 * none or it is not an rfc822 address.
 */
const char *addr_orcpt(char *const *argv, char *buf, size_t size);

#endif
