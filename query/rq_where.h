/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_where.h - report-query's --where clauses: parsed, then evaluated
 * PURPOSE
 *	A clause is FIELD OP VALUE ("domain=example.com", "ip=192.0.2.0/24",
 *	"received>=2026-01-01"); the clauses of one query are ANDed. This
 *	module is pure: it reads clauses into a struct rq_where and tells
 *	whether an External report matches them. A DMARC report's records
 *	are not held in memory: the caller streams them through
 *	rq_match_records() after rq_match_report() asked for them.
 *
 *	Every clause is an "is there one" test over the values the field
 *	has in a report (a DMARC report has one policy domain, a TLS report
 *	one per policy, a DMARC report one source IP per record); != and !~
 *	are its negation ("no value equals"). Times are intervals: a date
 *	(2026-01-31) is that whole UTC day, an RFC 3339 time that second;
 *	"<" is before the interval, "<=" before its end, ">" after it, ">="
 *	from its start, "=" inside it.
 */
#ifndef RQ_WHERE_H
#define RQ_WHERE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

enum rq_field {
	RQ_F_DOMAIN,		/* policy domain(s), ARF reported domains */
	RQ_F_REPORTER,		/* org name, contact e-mail, the mail's From */
	RQ_F_REPORT_ID,
	RQ_F_RECEIVED,		/* receivedAt */
	RQ_F_EXPIRES,		/* expiresAt */
	RQ_F_DATE,		/* start of the report's period; ARF arrival */
	RQ_F_IP,		/* record source IPs, TLS sending MTA, ARF source */
	RQ_F_DMARC,		/* pass or fail, per DMARC record */
	RQ_F_TLS_FAILED,	/* failed sessions of a TLS report, all policies */
	RQ_F_FEEDBACK_TYPE,	/* ARF feedback type */
	RQ_F_AUTHENTICATED,	/* was the report mail: true, false, null */
	RQ_F_TEXT,		/* anywhere in the object's JSON */
	RQ_F_SERVICE,		/* the host entries of DMARC record sources: */
	RQ_F_BASE_DOMAIN,	/*   service name, base domain, */
	RQ_F_COUNTRY,		/*   country, */
	RQ_F_ASN		/*   AS number */
};

enum rq_op {
	RQ_OP_EQ,		/* = */
	RQ_OP_NE,		/* != */
	RQ_OP_LT,		/* < */
	RQ_OP_LE,		/* <= */
	RQ_OP_GT,		/* > */
	RQ_OP_GE,		/* >= */
	RQ_OP_HAS,		/* ~  (substring, ASCII case-insensitive) */
	RQ_OP_HASNT		/* !~ */
};

struct rq_clause {
	enum rq_field field;
	enum rq_op op;
	char   *text;		/* the value as given (owned) */
	int64_t	lo, hi;		/* times: the interval [lo, hi) */
	uint64_t num;		/* tls-failed, asn */
	unsigned char ip[16];	/* ip: the network, IPv4 as ::ffff:a.b.c.d */
	unsigned prefix;	/* ip: prefix length over the 16 bytes */
	int	value;		/* dmarc: 1 pass, 0 fail; feedback-type,
				   authenticated: the enum */
};

/* At most this many clauses in one query (more is a usage error). */
#define RQ_WHERE_MAX	32

/* What the service, base-domain, country and asn clauses see of a source. */
struct rq_where_host {
	const char *service;	/* "" or NULL: unknown, as for the others */
	const char *base_domain;
	const char *country;
	uint64_t asn;		/* 0: unknown */
};

/*
 * Fills *h with what is known of the source IP ip (strings borrowed,
 * valid until the next call) and returns 1; 0 when nothing is (no clause
 * on it holds for that source); -1 when that could not be read (the
 * function keeps the reason; matching stops, see rq_match_records()).
 */
typedef int rq_where_host_fn(void *arg, const char *ip,
    struct rq_where_host *h);

struct rq_where {
	enum record_type type;	/* the query's TYPE: other types never match */
	struct rq_clause v[RQ_WHERE_MAX];
	size_t	n;
	rq_where_host_fn *host;	/* set by the caller; NULL: nothing known */
	void   *host_arg;
};

/* Empties *w for a query of the given type. */
void	rq_where_init(struct rq_where *w, enum record_type type);

/* Frees what the clauses own; *w is left empty. */
void	rq_where_clear(struct rq_where *w);

/*
 * Reads one clause and appends it. Returns 0; -1 when expr is no clause
 * for this type (why says what is wrong, for a usage error); -2 when out
 * of memory.
 */
int	rq_where_add(struct rq_where *w, const char *expr, char *why,
	    size_t whysize);

/* True for the operators that negate a test (!=, !~). */
bool	rq_op_negates(enum rq_op op);

/*
 * Reads a time argument: an RFC 3339 time, or a date YYYY-MM-DD (UTC
 * midnight). *lo gets its start and *hi its end (the next second, or the
 * next midnight). Returns 0 or -1.
 */
int	rq_where_time(const char *text, int64_t *lo, int64_t *hi);

/*
 * Reads "192.0.2.1", "2001:db8::/32" or "192.0.2.0/24" into 16 bytes
 * (IPv4 mapped, its prefix counted from bit 96). Returns 0 or -1.
 */
int	rq_where_ip(const char *text, unsigned char ip[16], unsigned *prefix);

/* True when a DMARC record passed: DKIM or SPF evaluated (aligned) pass. */
bool	rq_record_passes(const struct dmarc_record *rec);

enum rq_verdict {
	RQ_MATCH_NO,		/* the report does not match */
	RQ_MATCH_YES,		/* it matches */
	RQ_MATCH_RECORDS,	/* stream its records, then ask rq_match_result */
	RQ_MATCH_NOMEM
};

/* The evaluation of one report (no allocation: it lives on the stack). */
struct rq_match {
	const struct rq_where *w;
	bool	hit[RQ_WHERE_MAX];	/* the clause's positive test held */
};

/*
 * Evaluates the clauses on x (borrowed; a DMARC report without its
 * records). Returns RQ_MATCH_NO or RQ_MATCH_YES when that is decided,
 * RQ_MATCH_RECORDS when a clause depends on the records (then call
 * rq_match_records() for every batch and rq_match_result()), or
 * RQ_MATCH_NOMEM.
 */
enum rq_verdict rq_match_report(struct rq_match *m, const struct rq_where *w,
    const struct external_report *x);

/*
 * Feeds a batch of records (borrowed). Returns 1 when no further record
 * can change the verdict (the caller may stop streaming), 0 to go on, -1
 * when out of memory or when w->host failed (the verdict is then void).
 */
int	rq_match_records(struct rq_match *m, const struct dmarc_record *recs,
	    size_t n);

/* The verdict once every record was fed (or rq_match_records said 1). */
bool	rq_match_result(const struct rq_match *m);

#endif
