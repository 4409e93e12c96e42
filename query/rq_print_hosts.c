/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_print_hosts - a TLS or ARF report's JSON with its sources' hosts
 * PURPOSE
 *	query prints what the store's host cache knows of the addresses a
 *	report names, beside them: in each TLS failure detail
 *	"@sendingMtaHost" (of sendingMtaIp) and "@receivingHost" (of
 *	receivingIp), in an ARF report's object "@host" (of its sourceIp),
 *	each as the first members of its object, as a DMARC record's
 *	"@host" is (rq_print.c). The codec's text is found where those
 *	objects lie (json_span.h) and printed unchanged around the
 *	members, so that without them it is byte for byte what get prints.
 *	The objects are matched to the report's own failure details and
 *	policies by position; text of another shape is printed as it is.
 */
#include <stdlib.h>
#include <string.h>

#include "json_span.h"
#include "record_json.h"

#include "rq_hosts.h"
#include "rq_print.h"

/* A member to put at the opening of an object of the text. */
struct splice {
	size_t	at;			/* just after the object's "{" */
	const char *name;
	const struct store_host *h;	/* borrowed from the cache */
};

struct splices {
	struct splice *v;
	size_t	n, cap;
	struct rq_hosts *hosts;
	struct store_error *err;
};

/* Adds the member name of ip's entry at at, when the cache has one. */
static enum store_status
add(struct splices *s, size_t at, const char *name, const char *ip)
{
	const struct store_host *h;
	enum store_status st;
	void   *p;

	if (ip == NULL || (st = rq_hosts_get(s->hosts, ip, &h, s->err)) !=
	    STORE_OK)
		return (ip == NULL ? STORE_OK : st);
	if (h == NULL)
		return (STORE_OK);
	if (s->n == s->cap) {
		size_t	cap = s->cap ? 2 * s->cap : 16;

		if ((p = realloc(s->v, cap * sizeof(*s->v))) == NULL)
			return (STORE_NOMEM);
		s->v = p;
		s->cap = cap;
	}
	s->v[s->n++] = (struct splice){at, name, h};
	return (STORE_OK);
}

/*
 * The failure details of policy pol, whose object is text[off .. off +
 * len): a splice for each. 1 done, 0 the text is of another shape, or a
 * status (negated) of add().
 */
static int
tls_policy(struct splices *s, const char *text, size_t off, size_t len,
    const struct tls_policy *pol)
{
	static const char *const path[] = {"failureDetails"};
	struct json_span_array a;
	enum store_status st;
	size_t	aoff, alen, eoff, elen, i;

	if (json_span_find(text + off, len, path, 1, &aoff, &alen) != 1 ||
	    json_span_array_begin(&a, text + off + aoff, alen) < 0)
		return (0);
	for (i = 0; json_span_array_next(&a, &eoff, &elen) == 1; i++) {
		eoff += off + aoff;
		if (i >= pol->n_failures || text[eoff] != '{')
			return (0);
		if ((st = add(s, eoff + 1, "@sendingMtaHost",
		    pol->failures[i].sending_mta_ip)) != STORE_OK ||
		    (st = add(s, eoff + 1, "@receivingHost",
		    pol->failures[i].receiving_ip)) != STORE_OK)
			return (-(int)st);
	}
	return (i == pol->n_failures && a.state == 2);
}

/* The splices of a TLS report: 1, 0 (another shape) or -status. */
static int
tls_splices(struct splices *s, const struct tls_report *r, const char *text,
    size_t len)
{
	static const char *const path[] = {"report", "policies"};
	struct json_span_array a;
	size_t	aoff, alen, eoff, elen, i;
	int	rc;

	if (json_span_find(text, len, path, 2, &aoff, &alen) != 1 ||
	    json_span_array_begin(&a, text + aoff, alen) < 0)
		return (0);
	for (i = 0; json_span_array_next(&a, &eoff, &elen) == 1; i++) {
		if (i >= r->n_policies)
			return (0);
		if ((rc = tls_policy(s, text, aoff + eoff, elen,
		    &r->policies[i])) != 1)
			return (rc);
	}
	return (i == r->n_policies && a.state == 2);
}

/* The splice of an ARF report: 1, 0 (another shape) or -status. */
static int
arf_splices(struct splices *s, const struct arf_report *r, const char *text,
    size_t len)
{
	static const char *const path[] = {"report"};
	enum store_status st;
	size_t	off, vlen;

	if (json_span_find(text, len, path, 1, &off, &vlen) != 1 ||
	    text[off] != '{')
		return (0);
	if ((st = add(s, off + 1, "@host", r->source_ip)) != STORE_OK)
		return (-(int)st);
	return (1);
}

size_t
rq_print_host_member(FILE *fp, const char *text, size_t from, size_t at,
    const char *name, const struct store_host *h, unsigned flags)
{
	size_t	ws = strspn(text + at, " \n");

	fwrite(text + from, 1, at + ws - from, fp);
	fprintf(fp, "\"%s\"%s", name, (flags & RECORD_JSON_PRETTY) ? ": " :
	    ":");
	rq_hosts_json(fp, h);
	fputc(',', fp);
	fwrite(text + at, 1, ws, fp);
	return (at + ws);
}

/* Prints text[from .. len) with the splices, in order, at their places. */
static void
print_spliced(FILE *fp, const char *text, size_t len, size_t from,
    const struct splices *s, unsigned flags)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		from = rq_print_host_member(fp, text, from, s->v[i].at,
		    s->v[i].name, s->v[i].h, flags);
	fwrite(text + from, 1, len - from, fp);
}

enum store_status
rq_print_hosts_splice(FILE *fp, const struct external_report *x,
    const char *text, size_t len, unsigned flags, struct rq_hosts *hosts,
    struct store_error *err)
{
	struct splices s = { NULL, 0, 0, hosts, err };
	int	rc = 0;

	if (x->report->type == RECORD_TLS)
		rc = tls_splices(&s, &x->report->u.tls, text, len);
	else if (x->report->type == RECORD_ARF)
		rc = arf_splices(&s, &x->report->u.arf, text, len);
	if (rc < 0) {
		free(s.v);
		return ((enum store_status)-rc);
	}
	if (rc == 0)
		s.n = 0;	/* another shape: the text as it is */
	print_spliced(fp, text, len, 1, &s, flags);
	free(s.v);
	return (STORE_OK);
}
