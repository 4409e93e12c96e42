/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	context - per-connection and per-message state of the milter
 * PURPOSE
 *	Allocation and release of struct conn and struct msg, and a count
 *	of open connections so that the daemon can let them finish before
 *	it closes the store.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config_live.h"
#include "context.h"

static pthread_mutex_t conn_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t conn_gone = PTHREAD_COND_INITIALIZER;
static unsigned conn_open;

struct conn *
conn_new(void)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return (NULL);
	c->cfg = config_live_get();
	pthread_mutex_lock(&conn_lock);
	conn_open++;
	pthread_mutex_unlock(&conn_lock);
	return (c);
}

void
conn_free(struct conn *c)
{
	if (c == NULL)
		return;
	msg_free(c->msg);
	config_live_put(c->cfg);
	free(c);
	pthread_mutex_lock(&conn_lock);
	conn_open--;
	pthread_cond_broadcast(&conn_gone);
	pthread_mutex_unlock(&conn_lock);
}

unsigned
conn_wait_all(unsigned timeout)
{
	struct timespec until;
	unsigned left;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout;
	pthread_mutex_lock(&conn_lock);
	while (conn_open > 0 &&
	    pthread_cond_timedwait(&conn_gone, &conn_lock, &until) == 0)
		;
	left = conn_open;
	pthread_mutex_unlock(&conn_lock);
	return (left);
}

struct msg *
msg_new(const char *sender)
{
	struct msg *m = calloc(1, sizeof(*m));
	char	buf[1024];

	if (m == NULL)
		return (NULL);
	addr_strip(sender ? sender : "", buf, sizeof(buf));
	if ((m->sender = strdup(buf)) == NULL) {
		free(m);
		return (NULL);
	}
	return (m);
}

void
msg_free(struct msg *m)
{
	size_t	i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n_rcpts; i++) {
		free(m->rcpts[i].arg);
		free(m->rcpts[i].addr);
	}
	free(m->rcpts);
	free(m->sender);
	spool_free(m->spool);
	free(m);
}

int
msg_add_rcpt(struct msg *m, const char *arg, const char *orcpt, bool report)
{
	struct rcpt *v, *r;
	char	buf[1024];
	size_t	cap;

	if (m->n_rcpts == m->cap_rcpts) {
		cap = m->cap_rcpts ? m->cap_rcpts * 2 : 4;
		if ((v = realloc(m->rcpts, cap * sizeof(*v))) == NULL)
			return (-1);
		m->rcpts = v;
		m->cap_rcpts = cap;
	}
	r = &m->rcpts[m->n_rcpts];
	addr_strip(orcpt ? orcpt : arg, buf, sizeof(buf));
	if ((r->arg = strdup(arg)) == NULL || (r->addr = strdup(buf)) == NULL) {
		free(r->arg);
		return (-1);
	}
	r->report = report;
	m->n_rcpts++;
	m->n_report += report;
	return (0);
}

void
msg_set_qid(struct msg *m, const char *qid)
{
	if (qid != NULL && *qid != '\0')
		snprintf(m->qid, sizeof(m->qid), "%s", qid);
}

void
addr_strip(const char *addr, char *buf, size_t size)
{
	size_t	n;

	addr += strspn(addr, " \t");
	if (*addr == '<')
		addr++;
	n = strlen(addr);
	while (n > 0 && (addr[n - 1] == ' ' || addr[n - 1] == '\t'))
		n--;
	if (n > 0 && addr[n - 1] == '>')
		n--;
	snprintf(buf, size, "%.*s", (int) n, addr);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	c = toupper(c);
	return (c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1);
}

/* RFC 3461 xtext: "+XX" is the byte XX in hex; the rest is itself. */
static void
xtext_decode(const char *s, char *buf, size_t size)
{
	size_t	n = 0;
	int	hi, lo;

	for (; *s != '\0' && n + 1 < size; s++) {
		if (*s == '+' && (hi = hexval((unsigned char) s[1])) >= 0 &&
		    (lo = hexval((unsigned char) s[2])) >= 0) {
			buf[n++] = (char) (hi << 4 | lo);
			s += 2;
		} else
			buf[n++] = *s;
	}
	buf[n] = '\0';
}

const char *
addr_orcpt(char *const *argv, char *buf, size_t size)
{
	const char *v;

	for (; argv != NULL && *argv != NULL; argv++) {
		if (strncasecmp(*argv, "ORCPT=", 6) != 0)
			continue;
		v = *argv + 6;
		if (strncasecmp(v, "rfc822;", 7) != 0)
			return (NULL);
		xtext_decode(v + 7, buf, size);
		return (buf[0] != '\0' ? buf : NULL);
	}
	return (NULL);
}
