/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_where - reads --where clauses (FIELD OP VALUE)
 * PURPOSE
 *	The grammar of report-query's filters, kept apart from their
 *	evaluation (rq_match.c). Each field says which operators and which
 *	report types it takes, so that a clause that can never be true for
 *	the query's TYPE is a usage error rather than an empty answer.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "record_enum.h"
#include "timeparse.h"

#include "rq_where.h"

#define OPS_TEXT	(1u << RQ_OP_EQ | 1u << RQ_OP_NE | 1u << RQ_OP_HAS | \
			    1u << RQ_OP_HASNT)
#define OPS_ORDER	(1u << RQ_OP_EQ | 1u << RQ_OP_NE | 1u << RQ_OP_LT | \
			    1u << RQ_OP_LE | 1u << RQ_OP_GT | 1u << RQ_OP_GE)
#define OPS_EQ		(1u << RQ_OP_EQ | 1u << RQ_OP_NE)
#define OPS_SUBSTR	(1u << RQ_OP_HAS | 1u << RQ_OP_HASNT)

#define T_DMARC		(1u << RECORD_DMARC)
#define T_TLS		(1u << RECORD_TLS)
#define T_ARF		(1u << RECORD_ARF)
#define T_ALL		(T_DMARC | T_TLS | T_ARF)

static const struct field {
	const char *name;
	enum rq_field field;
	unsigned ops;
	unsigned types;
} fields[] = {
	{ "domain", RQ_F_DOMAIN, OPS_TEXT, T_ALL },
	{ "reporter", RQ_F_REPORTER, OPS_TEXT, T_ALL },
	{ "report-id", RQ_F_REPORT_ID, OPS_TEXT, T_DMARC | T_TLS },
	{ "received", RQ_F_RECEIVED, OPS_ORDER, T_ALL },
	{ "expires", RQ_F_EXPIRES, OPS_ORDER, T_ALL },
	{ "date", RQ_F_DATE, OPS_ORDER, T_ALL },
	{ "ip", RQ_F_IP, OPS_EQ, T_ALL },
	{ "dmarc", RQ_F_DMARC, OPS_EQ, T_DMARC },
	{ "tls-failed", RQ_F_TLS_FAILED, OPS_ORDER, T_TLS },
	{ "feedback-type", RQ_F_FEEDBACK_TYPE, OPS_EQ, T_ARF },
	{ "authenticated", RQ_F_AUTHENTICATED, OPS_EQ, T_ALL },
	{ "text", RQ_F_TEXT, OPS_SUBSTR, T_ALL },
	{ "service", RQ_F_SERVICE, OPS_TEXT, T_DMARC },
	{ "base-domain", RQ_F_BASE_DOMAIN, OPS_TEXT, T_DMARC },
	{ "country", RQ_F_COUNTRY, OPS_TEXT, T_DMARC },
	{ "asn", RQ_F_ASN, OPS_EQ, T_DMARC },
};

/* Longest first, so that "<=" is not read as "<". */
static const struct {
	const char *text;
	enum rq_op op;
} ops[] = {
	{ "!=", RQ_OP_NE }, { "!~", RQ_OP_HASNT }, { "<=", RQ_OP_LE },
	{ ">=", RQ_OP_GE }, { "=", RQ_OP_EQ }, { "<", RQ_OP_LT },
	{ ">", RQ_OP_GT }, { "~", RQ_OP_HAS },
};

void
rq_where_init(struct rq_where *w, enum record_type type)
{
	memset(w, 0, sizeof(*w));
	w->type = type;
}

void
rq_where_clear(struct rq_where *w)
{
	size_t	i;

	for (i = 0; i < w->n; i++)
		free(w->v[i].text);
	w->n = 0;
}

bool
rq_op_negates(enum rq_op op)
{
	return (op == RQ_OP_NE || op == RQ_OP_HASNT);
}

int
rq_where_time(const char *text, int64_t *lo, int64_t *hi)
{
	char	buf[32];
	size_t	i;

	if (strlen(text) == 10) {
		for (i = 0; i < 10; i++)
			if ((i == 4 || i == 7) ? text[i] != '-' :
			    !isdigit((unsigned char) text[i]))
				return (-1);
		snprintf(buf, sizeof(buf), "%sT00:00:00Z", text);
		if (timeparse_rfc3339(buf, lo) < 0)
			return (-1);
		*hi = *lo + 86400;
		return (0);
	}
	if (timeparse_rfc3339(text, lo) < 0)
		return (-1);
	*hi = *lo + 1;
	return (0);
}

int
rq_where_ip(const char *text, unsigned char ip[16], unsigned *prefix)
{
	char	addr[64];
	const char *slash = strchr(text, '/');
	size_t	len = slash ? (size_t) (slash - text) : strlen(text);
	unsigned long bits;
	unsigned max;
	char   *end;
	unsigned i;

	if (len == 0 || len >= sizeof(addr))
		return (-1);
	memcpy(addr, text, len);
	addr[len] = '\0';
	memset(ip, 0, 16);
	if (inet_pton(AF_INET, addr, ip + 12) == 1) {
		ip[10] = ip[11] = 0xff;
		max = 32;
	} else if (inet_pton(AF_INET6, addr, ip) == 1)
		max = 128;
	else
		return (-1);
	bits = max;
	if (slash != NULL) {
		errno = 0;
		bits = strtoul(slash + 1, &end, 10);
		if (errno || end == slash + 1 || *end || bits > max ||
		    !isdigit((unsigned char) slash[1]))
			return (-1);
	}
	*prefix = (unsigned) bits + (128 - max);
	/* Clear the host bits, so that 192.0.2.7/24 is 192.0.2.0/24. */
	for (i = *prefix; i < 128; i++)
		ip[i / 8] &= (unsigned char) ~(0x80u >> (i % 8));
	return (0);
}

/* Reads the value of a clause whose field and operator are known. */
static int
read_value(struct rq_clause *c, const char *v, char *why, size_t whysize)
{
	char   *end;

	switch (c->field) {
	case RQ_F_RECEIVED:
	case RQ_F_EXPIRES:
	case RQ_F_DATE:
		if (rq_where_time(v, &c->lo, &c->hi) == 0)
			return (0);
		snprintf(why, whysize, "'%s' is not a date (YYYY-MM-DD) or "
		    "an RFC 3339 time", v);
		return (-1);
	case RQ_F_IP:
		if (rq_where_ip(v, c->ip, &c->prefix) == 0)
			return (0);
		snprintf(why, whysize, "'%s' is not an IP address or CIDR "
		    "block", v);
		return (-1);
	case RQ_F_DMARC:
		if (strcasecmp(v, "pass") == 0 || strcasecmp(v, "fail") == 0) {
			c->value = strcasecmp(v, "pass") == 0;
			return (0);
		}
		snprintf(why, whysize, "dmarc is 'pass' or 'fail', not '%s'", v);
		return (-1);
	case RQ_F_TLS_FAILED:
		errno = 0;
		c->num = strtoull(v, &end, 10);
		if (errno == 0 && end != v && *end == '\0' &&
		    isdigit((unsigned char) *v))
			return (0);
		snprintf(why, whysize, "'%s' is not a number", v);
		return (-1);
	case RQ_F_ASN:
		/* 15169 or AS15169: the number, not 0 (which is "unknown"). */
		if (strncasecmp(v, "as", 2) == 0)
			v += 2;
		errno = 0;
		c->num = strtoull(v, &end, 10);
		if (errno == 0 && end != v && *end == '\0' &&
		    isdigit((unsigned char) *v) && c->num > 0 &&
		    c->num <= UINT32_MAX)
			return (0);
		snprintf(why, whysize, "'%s' is not an AS number", v);
		return (-1);
	case RQ_F_FEEDBACK_TYPE:
		c->value = record_enum_value_loose(RENUM_ARF_FEEDBACK_TYPE, v);
		if (c->value >= 0)
			return (0);
		snprintf(why, whysize, "'%s' is not a feedback type (abuse, "
		    "auth-failure, fraud, not-spam, virus, other)", v);
		return (-1);
	case RQ_F_AUTHENTICATED:
		if (strcasecmp(v, "true") == 0 || strcasecmp(v, "false") == 0 ||
		    strcasecmp(v, "null") == 0) {
			c->value = strcasecmp(v, "true") == 0 ? RECORD_AUTH_PASS :
			    strcasecmp(v, "false") == 0 ? RECORD_AUTH_FAIL :
			    RECORD_AUTH_NONE;
			return (0);
		}
		snprintf(why, whysize, "authenticated is 'true', 'false' or "
		    "'null', not '%s'", v);
		return (-1);
	default:
		return (0);
	}
}

static const struct field *
find_field(const char *name, size_t len)
{
	size_t	i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strlen(fields[i].name) == len &&
		    strncmp(fields[i].name, name, len) == 0)
			return (&fields[i]);
	return (NULL);
}

/* Finds the operator at s; *len gets its length. -1: none there. */
static int
find_op(const char *s, size_t *len)
{
	size_t	i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strncmp(s, ops[i].text, strlen(ops[i].text)) == 0) {
			*len = strlen(ops[i].text);
			return ((int) ops[i].op);
		}
	return (-1);
}

int
rq_where_add(struct rq_where *w, const char *expr, char *why, size_t whysize)
{
	const struct field *f;
	struct rq_clause c;
	size_t	namelen = strspn(expr, "abcdefghijklmnopqrstuvwxyz-"), oplen;
	int	op;

	if (w->n == RQ_WHERE_MAX) {
		snprintf(why, whysize, "more than %d clauses", RQ_WHERE_MAX);
		return (-1);
	}
	if ((f = find_field(expr, namelen)) == NULL) {
		snprintf(why, whysize, "'%.*s' is no field (domain, reporter, "
		    "report-id, received, expires, date, ip, dmarc, tls-failed, "
		    "feedback-type, authenticated, text, service, base-domain, "
		    "country, asn)", (int) namelen, expr);
		return (-1);
	}
	if ((op = find_op(expr + namelen, &oplen)) < 0 ||
	    expr[namelen + oplen] == '\0') {
		snprintf(why, whysize, "'%s' is not FIELD OP VALUE", expr);
		return (-1);
	}
	if (!(f->ops & (1u << op))) {
		snprintf(why, whysize, "%s does not take '%.*s'", f->name,
		    (int) oplen, expr + namelen);
		return (-1);
	}
	if (!(f->types & (1u << w->type))) {
		snprintf(why, whysize, "%s does not apply to this type of "
		    "report", f->name);
		return (-1);
	}
	memset(&c, 0, sizeof(c));
	c.field = f->field;
	c.op = (enum rq_op) op;
	if (read_value(&c, expr + namelen + oplen, why, whysize) < 0)
		return (-1);
	if ((c.text = strdup(expr + namelen + oplen)) == NULL)
		return (-2);
	w->v[w->n++] = c;
	return (0);
}
