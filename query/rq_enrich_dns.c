/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_enrich_dns - reverse names of addresses, confirmed forward
 * PURPOSE
 *	libunbound, asynchronous on a thread of its own, forwarding to the
 *	server the user names (or those of /etc/resolv.conf). Up to jobs
 *	lookups are in flight; each query has its own deadline and is
 *	cancelled when it passes, so that a slow or silent server costs a
 *	timeout per wave of queries, not per address, and a server that has
 *	answered nothing by the first timeout costs it once: the addresses
 *	not asked yet fail at once.
 *
 *	One lookup is a PTR query, then an A (IPv4) or AAAA (IPv6) query of
 *	the name: the name is confirmed when one of its addresses is the
 *	one looked up. No DNSSEC validation is asked for (no trust anchor):
 *	the names are shown, not trusted for anything.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <time.h>

#include <unbound.h>

#include "rq_enrich.h"

#define RQ_DNS_TYPE_A		1
#define RQ_DNS_SPARE		16	/* queries beyond the jobs' */
#define RQ_DNS_FDS		64	/* descriptors kept for the rest */
#define RQ_DNS_TYPE_PTR		12
#define RQ_DNS_TYPE_AAAA	28
#define RQ_DNS_CLASS_IN		1
#define RQ_DNS_SERVFAIL		2
#define RQ_DNS_NXDOMAIN		3
#define RQ_DNS_NEG_TTL		3600	/* kept for a name that is not there */

struct rq_dns {
	struct ub_ctx *ctx;
};

/* One address being looked up. */
struct rq_dns_job {
	struct rq_dns_run *run;
	struct rq_dns_answer *out;
	unsigned char addr[16];
	int	family;
	int	async_id;
	bool	busy;		/* a query is in flight */
	double	deadline;
};

struct rq_dns_run {
	struct rq_dns *dns;
	double	timeout;
	size_t	answered;	/* queries that got any answer */
	size_t	timeouts;
	unsigned active;
};

/*
 * Reverse zones that unbound answers itself by default (RFC 1918, the
 * documentation ranges, ...): a forwarder may know better, so ask it.
 */
static const char *const rq_dns_zones[] = {
	"10.in-addr.arpa.", "16.172.in-addr.arpa.", "17.172.in-addr.arpa.",
	"18.172.in-addr.arpa.", "19.172.in-addr.arpa.", "20.172.in-addr.arpa.",
	"21.172.in-addr.arpa.", "22.172.in-addr.arpa.", "23.172.in-addr.arpa.",
	"24.172.in-addr.arpa.", "25.172.in-addr.arpa.", "26.172.in-addr.arpa.",
	"27.172.in-addr.arpa.", "28.172.in-addr.arpa.", "29.172.in-addr.arpa.",
	"30.172.in-addr.arpa.", "31.172.in-addr.arpa.", "168.192.in-addr.arpa.",
	"64.100.in-addr.arpa.", "254.169.in-addr.arpa.",
	"2.0.192.in-addr.arpa.", "100.51.198.in-addr.arpa.",
	"113.0.203.in-addr.arpa.", "127.in-addr.arpa.", "d.f.ip6.arpa.",
	"8.b.d.0.1.0.0.2.ip6.arpa.", "test.", "invalid.", "localhost.",
	NULL
};

static double
rq_dns_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* "ADDR:PORT" and "[ADDR]:PORT" in unbound's "ADDR@PORT" form. */
static void
rq_dns_server(const char *in, char *out, size_t size)
{
	const char *colon = strchr(in, ':'), *end;

	if (in[0] == '[' && (end = strchr(in, ']')) != NULL) {
		snprintf(out, size, "%.*s%s%s", (int)(end - in - 1), in + 1,
		    end[1] == ':' ? "@" : "", end[1] == ':' ? end + 2 : "");
	} else if (colon != NULL && strchr(colon + 1, ':') == NULL) {
		snprintf(out, size, "%.*s@%s", (int)(colon - in), in, colon + 1);
	} else {
		snprintf(out, size, "%s", in);
	}
}

/*
 * Jobs that the descriptor limit has room for: each query in flight has
 * a socket of its own. Raises the soft limit towards the hard one first.
 */
static unsigned
rq_dns_room(unsigned jobs)
{
	struct rlimit rl;
	rlim_t	want = (rlim_t)jobs + RQ_DNS_SPARE + RQ_DNS_FDS;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return (jobs);
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ||
		    rl.rlim_max >= want ? want : rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
			return (jobs);
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want)
		return (rl.rlim_cur > 2 * (RQ_DNS_SPARE + RQ_DNS_FDS) ?
		    (unsigned)(rl.rlim_cur - RQ_DNS_SPARE - RQ_DNS_FDS) : 1);
	return (jobs);
}

struct rq_dns *
rq_dns_new(const char *server, unsigned *jobs, char *why, size_t why_size)
{
	struct rq_dns *d;
	char	fwd[300], num[16];
	int	rc = 0, i;

	if ((d = calloc(1, sizeof(*d))) == NULL ||
	    (d->ctx = ub_ctx_create()) == NULL) {
		free(d);
		snprintf(why, why_size, "cannot make a resolver");
		return (NULL);
	}
	for (i = 0; rc == 0 && rq_dns_zones[i] != NULL; i++) {
		char	z[64];

		snprintf(z, sizeof(z), "%s nodefault", rq_dns_zones[i]);
		rc = ub_ctx_set_option(d->ctx, "local-zone:", z);
	}
	/*
	 * libunbound's own bounds keep about 16 queries out at once, which a
	 * slow server turns into a few lookups a second: room for all jobs.
	 */
	*jobs = rq_dns_room(*jobs);
	snprintf(num, sizeof(num), "%u", *jobs + RQ_DNS_SPARE);
	if (rc == 0)
		rc = ub_ctx_set_option(d->ctx, "outgoing-range:", num);
	if (rc == 0)
		rc = ub_ctx_set_option(d->ctx, "num-queries-per-thread:", num);
	if (rc == 0)
		rc = ub_ctx_async(d->ctx, 1);
	if (rc == 0 && server != NULL) {
		rq_dns_server(server, fwd, sizeof(fwd));
		rc = ub_ctx_set_fwd(d->ctx, fwd);
	} else if (rc == 0) {
		rc = ub_ctx_resolvconf(d->ctx, NULL);
	}
	if (rc != 0) {
		snprintf(why, why_size, "resolver %s: %s",
		    server ? server : "/etc/resolv.conf", ub_strerror(rc));
		rq_dns_free(d);
		return (NULL);
	}
	return (d);
}

void
rq_dns_free(struct rq_dns *d)
{
	if (d == NULL)
		return;
	ub_ctx_delete(d->ctx);
	free(d);
}

/* The reverse name of an address ("4.3.2.1.in-addr.arpa"). */
static void
rq_dns_reverse(const struct rq_dns_job *j, char *out, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t	o = 0;
	int	i;

	if (j->family == AF_INET) {
		snprintf(out, size, "%u.%u.%u.%u.in-addr.arpa", j->addr[15],
		    j->addr[14], j->addr[13], j->addr[12]);
		return;
	}
	for (i = 15; i >= 0 && o + 4 < size; i--) {
		out[o++] = hex[j->addr[i] & 15];
		out[o++] = '.';
		out[o++] = hex[j->addr[i] >> 4];
		out[o++] = '.';
	}
	snprintf(out + o, size - o, "ip6.arpa");
}

/* A wire-format name (uncompressed, as libunbound gives rdata) as text. */
static int
rq_dns_name(const unsigned char *p, size_t len, char *out, size_t size)
{
	size_t	i = 0, o = 0, l;

	while (i < len && p[i] != 0) {
		l = p[i++];
		if (l > 63 || i + l > len || o + l + 2 > size)
			return (-1);
		if (o > 0)
			out[o++] = '.';
		memcpy(out + o, p + i, l);
		o += l;
		i += l;
	}
	if (o == 0)
		return (-1);
	out[o] = '\0';
	return (0);
}

static void rq_dns_on_answer(void *arg, int err, struct ub_result *r);

/* Sends the next query of j: PTR first, then A/AAAA of the name. */
static void
rq_dns_send(struct rq_dns_job *j, const char *qname, int type)
{
	int	rc;

	rc = ub_resolve_async(j->run->dns->ctx, qname, type, RQ_DNS_CLASS_IN,
	    j, rq_dns_on_answer, &j->async_id);
	if (rc != 0) {
		snprintf(j->out->error, sizeof(j->out->error), "%s",
		    ub_strerror(rc));
		return;
	}
	j->busy = true;
	j->run->active++;
	j->deadline = rq_dns_now() + j->run->timeout;
}

static void
rq_dns_ttl(struct rq_dns_answer *a, uint32_t ttl)
{
	if (a->ttl == 0 || ttl < a->ttl)
		a->ttl = ttl;
}

/* The PTR answer: a name to confirm, or none. */
static void
rq_dns_on_ptr(struct rq_dns_job *j, struct ub_result *r)
{
	struct rq_dns_answer *a = j->out;
	int	i;

	rq_dns_ttl(a, r->ttl > 0 ? (uint32_t)r->ttl : RQ_DNS_NEG_TTL);
	if (!r->havedata)
		return;
	for (i = 0; r->data[i] != NULL; i++)
		if (rq_dns_name((unsigned char *)r->data[i], (size_t)r->len[i],
		    a->name, sizeof(a->name)) == 0)
			break;
	if (a->name[0] == '\0')
		return;
	rq_dns_send(j, a->name, j->family == AF_INET ? RQ_DNS_TYPE_A :
	    RQ_DNS_TYPE_AAAA);
}

/* The A/AAAA answer: does the name lead back to the address? */
static void
rq_dns_on_forward(struct rq_dns_job *j, struct ub_result *r)
{
	size_t	want = j->family == AF_INET ? 4 : 16;
	const unsigned char *addr = j->family == AF_INET ? j->addr + 12 :
	    j->addr;
	int	i;

	if (r->ttl > 0)
		rq_dns_ttl(j->out, (uint32_t)r->ttl);
	for (i = 0; r->havedata && r->data[i] != NULL; i++)
		if ((size_t)r->len[i] == want && memcmp(r->data[i], addr,
		    want) == 0)
			j->out->confirmed = true;
}

static void
rq_dns_on_answer(void *arg, int err, struct ub_result *r)
{
	struct rq_dns_job *j = arg;

	j->busy = false;
	j->run->active--;
	if (err != 0) {
		snprintf(j->out->error, sizeof(j->out->error), "%s",
		    ub_strerror(err));
	} else if (r->rcode == RQ_DNS_SERVFAIL) {
		j->run->answered++;
		snprintf(j->out->error, sizeof(j->out->error), "SERVFAIL");
	} else {
		j->run->answered++;
		if (r->qtype == RQ_DNS_TYPE_PTR)
			rq_dns_on_ptr(j, r);
		else
			rq_dns_on_forward(j, r);
	}
	ub_resolve_free(r);
}

/* Cancels the queries past their deadline; the soonest deadline left. */
static double
rq_dns_expire(struct rq_dns_run *run, struct rq_dns_job *jobs, size_t n,
    double now)
{
	double	next = now + 0.2;
	size_t	i;

	for (i = 0; i < n; i++) {
		if (!jobs[i].busy)
			continue;
		if (jobs[i].deadline <= now) {
			(void)ub_cancel(run->dns->ctx, jobs[i].async_id);
			jobs[i].busy = false;
			run->active--;
			run->timeouts++;
			snprintf(jobs[i].out->error, sizeof(jobs[i].out->error),
			    "timeout");
		} else if (jobs[i].deadline < next) {
			next = jobs[i].deadline;
		}
	}
	return (next);
}

/* Starts job j: its PTR query, unless the address is none. */
static void
rq_dns_start(struct rq_dns_job *j, const char *ip)
{
	char	rev[80];

	if (inet_pton(AF_INET, ip, j->addr + 12) == 1) {
		j->family = AF_INET;
	} else if (inet_pton(AF_INET6, ip, j->addr) == 1) {
		j->family = AF_INET6;
	} else {
		snprintf(j->out->error, sizeof(j->out->error), "not an address");
		return;
	}
	rq_dns_reverse(j, rev, sizeof(rev));
	rq_dns_send(j, rev, RQ_DNS_TYPE_PTR);
}

int
rq_dns_lookup(struct rq_dns *d, const char *const *ips, size_t n,
    struct rq_dns_answer *out, unsigned jobs, double timeout, char *why,
    size_t why_size)
{
	struct rq_dns_run run = {d, timeout, 0, 0, 0};
	struct rq_dns_job *j;
	struct timeval tv;
	fd_set	fds;
	double	now, next = 0, last = 0;
	size_t	i = 0;
	int	fd = ub_fd(d->ctx);

	if ((j = calloc(n ? n : 1, sizeof(*j))) == NULL) {
		snprintf(why, why_size, "out of memory");
		return (-1);
	}
	memset(out, 0, n * sizeof(*out));
	for (;;) {
		/* A server silent since the start fails the rest at once. */
		if (run.timeouts > 0 && run.answered == 0)
			for (; i < n; i++)
				snprintf(out[i].error, sizeof(out[i].error),
				    "timeout (server not answering)");
		for (; i < n && run.active < jobs; i++) {
			j[i].run = &run;
			j[i].out = &out[i];
			rq_dns_start(&j[i], ips[i]);
		}
		if (run.active == 0 && i >= n)
			break;
		/* Deadlines are looked at every 50 ms, not at each answer. */
		now = rq_dns_now();
		if (now - last >= 0.05 || now >= next) {
			next = rq_dns_expire(&run, j, i, now);
			last = now;
			if (run.active == 0)
				continue;
		}
		if (next - now > 0.05)
			next = now + 0.05;
		FD_ZERO(&fds);
		FD_SET(fd, &fds);
		tv.tv_sec = 0;
		tv.tv_usec = next > now ? (suseconds_t)((next - now) * 1e6) : 0;
		if (select(fd + 1, &fds, NULL, NULL, &tv) > 0)
			(void)ub_process(d->ctx);
	}
	free(j);
	return (0);
}
