/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	smtp_send - the SMTP sender of the milter benchmark
 * PURPOSE
 *	Sends the message files given to one SMTP server from C concurrent
 *	clients (threads, one blocking socket each) and prints one line:
 *	"messages N accepted A refused R seconds S rate X" (accepted: 250
 *	after the message; rate: accepted messages a second, from the first
 *	connect to the last answer). Exits 0 when every message was
 *	accepted, 1 when one was not, 2 on a usage or file error.
 *
 *	By default every message has a session of its own (connect, EHLO,
 *	MAIL, RCPT, DATA, QUIT), as mail to an MX mostly comes: one report
 *	from each of many senders. -m M sends up to M messages a session,
 *	as a relay that has a queue for one destination does. Like the
 *	Postfix and Exim SMTP clients, it sends MAIL, RCPT and DATA in one
 *	write when the server offers PIPELINING, and then reads the three
 *	replies; every reply code is checked.
 *
 *	The files are read before the clock starts and put into the form
 *	DATA carries (CRLF line ends, a dot doubled at the start of a line,
 *	CRLF.CRLF at the end), so the sender costs little beside the server
 *	it measures: a write or two and a few reads a message.
 *
 * usage: smtp_send -p PORT [-c CLIENTS] [-m PER_SESSION] [-H HOST]
 *                  [-f FROM] -t TO FILE...
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct message {
	char   *wire;			/* as DATA carries it, ".\r\n" too */
	size_t	len;
};

struct sender {
	struct sockaddr_in addr;
	const char *from, *to;
	int	per_session;
	struct message *msgs;
	size_t	n_msgs;
	atomic_size_t next;		/* the next message no client took */
	atomic_size_t accepted;
};

/* One connection: the socket and what was read past the last reply. */
struct conn {
	int	fd;
	char	buf[4096];
	size_t	start, end;
	bool	pipelining;		/* the server offered PIPELINING */
};

static void *
xmalloc(size_t n)
{
	void   *p = malloc(n);

	if (p == NULL) {
		fprintf(stderr, "smtp_send: out of memory\n");
		exit(2);
	}
	return (p);
}

/* The file's bytes made CRLF, dot-stuffed and ended by CRLF.CRLF. */
static int
message_load(const char *path, struct message *m)
{
	FILE   *fp = fopen(path, "rb");
	char   *raw, *w;
	long	size;
	size_t	n, i;
	bool	bol = true;

	if (fp == NULL || fseek(fp, 0, SEEK_END) < 0 || (size = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) < 0) {
		fprintf(stderr, "smtp_send: %s: %s\n", path, strerror(errno));
		if (fp != NULL)
			fclose(fp);
		return (-1);
	}
	raw = xmalloc((size_t) size + 1);
	n = fread(raw, 1, (size_t) size, fp);
	fclose(fp);
	/* At worst every byte a "\n" that becomes "\r\n" or a "." doubled. */
	w = m->wire = xmalloc(2 * n + 5);
	for (i = 0; i < n; i++) {
		if (bol && raw[i] == '.')
			*w++ = '.';
		if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r'))
			*w++ = '\r';
		*w++ = raw[i];
		bol = raw[i] == '\n';
	}
	if (!bol) {
		*w++ = '\r';
		*w++ = '\n';
	}
	memcpy(w, ".\r\n", 3);
	m->len = (size_t) (w + 3 - m->wire);
	free(raw);
	return (0);
}

static int
send_all(struct conn *c, const char *p, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = send(c->fd, p, len, MSG_NOSIGNAL)) < 0) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		p += n;
		len -= (size_t) n;
	}
	return (0);
}

/* The next line into line[] (without CRLF); -1 at EOF or error. */
static int
read_line(struct conn *c, char *line, size_t size)
{
	size_t	n = 0;
	ssize_t	got;
	char	ch;

	for (;;) {
		if (c->start == c->end) {
			if ((got = recv(c->fd, c->buf, sizeof(c->buf), 0)) < 0 &&
			    errno == EINTR)
				continue;
			if (got <= 0)
				return (-1);
			c->start = 0;
			c->end = (size_t) got;
		}
		ch = c->buf[c->start++];
		if (ch == '\n')
			break;
		if (n + 1 < size && ch != '\r')
			line[n++] = ch;
	}
	line[n] = '\0';
	return (0);
}

/*
 * The code of the server's next (perhaps multi-line) reply; 0 when the
 * connection broke. Notes PIPELINING in an EHLO reply.
 */
static int
reply(struct conn *c)
{
	char	line[1024];

	do {
		if (read_line(c, line, sizeof(line)) < 0 || strlen(line) < 3)
			return (0);
		if (strncmp(line + 4, "PIPELINING", 10) == 0)
			c->pipelining = true;
	} while (line[3] == '-');
	if (line[0] < '1' || line[0] > '5')
		return (0);
	return (atoi(line));
}

/* 1 when msg was accepted, 0 when refused, -1 when the session broke. */
static int
transaction(struct sender *s, struct conn *c, const struct message *msg)
{
	char	cmd[1024];
	int	n, mail, rcpt, data;

	n = snprintf(cmd, sizeof(cmd), "MAIL FROM:<%s>\r\n", s->from);
	if (!c->pipelining) {
		if (send_all(c, cmd, (size_t) n) < 0 || (mail = reply(c)) == 0)
			return (-1);
		n = snprintf(cmd, sizeof(cmd), "RCPT TO:<%s>\r\n", s->to);
		if (send_all(c, cmd, (size_t) n) < 0 || (rcpt = reply(c)) == 0)
			return (-1);
		if (send_all(c, "DATA\r\n", 6) < 0 || (data = reply(c)) == 0)
			return (-1);
	} else {
		n += snprintf(cmd + n, sizeof(cmd) - (size_t) n,
		    "RCPT TO:<%s>\r\nDATA\r\n", s->to);
		if (send_all(c, cmd, (size_t) n) < 0 || (mail = reply(c)) == 0 ||
		    (rcpt = reply(c)) == 0 || (data = reply(c)) == 0)
			return (-1);
	}
	if (data != 354) {
		if (send_all(c, "RSET\r\n", 6) < 0 || reply(c) != 250)
			return (-1);
		return (0);
	}
	if (send_all(c, msg->wire, msg->len) < 0 || (n = reply(c)) == 0)
		return (-1);
	return (n == 250 && mail == 250 && rcpt == 250);
}

static const struct message *
take(struct sender *s)
{
	size_t	i = atomic_fetch_add(&s->next, 1);

	return (i < s->n_msgs ? &s->msgs[i] : NULL);
}

/*
 * One session, beginning with msg. A message the session broke in is
 * not counted accepted; the client goes on with a new session.
 */
static void
session(struct sender *s, const struct message *msg)
{
	struct conn c = { .fd = -1 };
	int	sent = 0, one = 1, r;

	if ((c.fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    connect(c.fd, (const struct sockaddr *) &s->addr,
	    sizeof(s->addr)) < 0)
		goto out;
	(void) setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (reply(&c) != 220 ||
	    send_all(&c, "EHLO client.test\r\n", 18) < 0 || reply(&c) != 250)
		goto out;
	while (msg != NULL) {
		if ((r = transaction(s, &c, msg)) < 0)
			goto out;
		if (r > 0)
			atomic_fetch_add(&s->accepted, 1);
		msg = ++sent < s->per_session ? take(s) : NULL;
	}
	if (send_all(&c, "QUIT\r\n", 6) == 0)
		(void) reply(&c);
out:
	if (c.fd >= 0)
		close(c.fd);
}

static void *
client(void *arg)
{
	struct sender *s = arg;
	const struct message *msg;

	while ((msg = take(s)) != NULL)
		session(s, msg);
	return (NULL);
}

static void
usage(void)
{
	fprintf(stderr, "usage: smtp_send -p PORT [-c CLIENTS] [-m PER_SESSION] "
	    "[-H HOST] [-f FROM] -t TO FILE...\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct sender s;
	struct timespec t0, t1;
	pthread_t *th;
	const char *host = "127.0.0.1";
	double	took;
	size_t	accepted;
	int	ch, port = 0, clients = 4, i;

	memset(&s, 0, sizeof(s));
	s.from = "sender@example.org";
	s.per_session = 1;
	while ((ch = getopt(argc, argv, "c:f:H:m:p:t:")) != -1) {
		switch (ch) {
		case 'c': clients = atoi(optarg); break;
		case 'f': s.from = optarg; break;
		case 'H': host = optarg; break;
		case 'm': s.per_session = atoi(optarg); break;
		case 'p': port = atoi(optarg); break;
		case 't': s.to = optarg; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (port <= 0 || port > 65535 || clients < 1 || s.per_session < 1 ||
	    s.to == NULL || argc < 1)
		usage();
	s.addr.sin_family = AF_INET;
	s.addr.sin_port = htons((unsigned short) port);
	if (inet_pton(AF_INET, host, &s.addr.sin_addr) != 1) {
		fprintf(stderr, "smtp_send: %s: not an IPv4 address\n", host);
		return (2);
	}
	s.msgs = xmalloc((size_t) argc * sizeof(*s.msgs));
	for (i = 0; i < argc; i++)
		if (message_load(argv[i], &s.msgs[i]) < 0)
			return (2);
	s.n_msgs = (size_t) argc;
	th = xmalloc((size_t) clients * sizeof(*th));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < clients; i++)
		if (pthread_create(&th[i], NULL, client, &s) != 0) {
			fprintf(stderr, "smtp_send: cannot start client %d\n", i);
			return (2);
		}
	for (i = 0; i < clients; i++)
		pthread_join(th[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (double) (t1.tv_sec - t0.tv_sec) +
	    (double) (t1.tv_nsec - t0.tv_nsec) / 1e9;
	accepted = atomic_load(&s.accepted);
	printf("messages %zu accepted %zu refused %zu seconds %.3f rate %.1f\n",
	    s.n_msgs, accepted, s.n_msgs - accepted, took,
	    took > 0 ? (double) accepted / took : 0.0);
	for (i = 0; i < argc; i++)
		free(s.msgs[i].wire);
	free(s.msgs);
	free(th);
	return (accepted == s.n_msgs ? 0 : 1);
}
