/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_print - one stored report as JSON, its records streamed
 * PURPOSE
 *	The codec writes the object without "@type"; this file opens the
 *	object itself with "@type", "@duplicates", "@lastSeen" and
 *	"@authenticated" and then
 *	prints the codec's text after its opening brace. For a DMARC report
 *	the codec's text is cut where the records go
 *	(record_json_write_split()) and the records are printed one by one
 *	as the store hands them over; for query, each with the "@host"
 *	member first (rq_hosts.h), the codec's text after it unchanged. A
 *	TLS or ARF report's text gets its hosts in rq_print_hosts.c.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "authres.h"
#include "record_json.h"

#include "rq_hosts.h"
#include "rq_print.h"

struct printer {
	FILE   *fp;
	unsigned flags;
	size_t	n;			/* records printed */
	int	nomem;
	struct rq_hosts *hosts;		/* borrowed; NULL: no "@host" */
	enum store_status host_st;	/* a host read that failed */
	struct store_error *err;
};

/*
 * Prints the codec's text of one record (len bytes, "{" after any
 * indentation) with "@host" as its first member when the store has an
 * entry for its source, indented as the member
 * after it is; the codec's text itself is printed unchanged around it.
 */
static int
print_with_host(struct printer *p, const char *ip, const char *text,
    size_t len)
{
	const struct store_host *h;
	const char *brace = memchr(text, '{', len);
	size_t	from;
	enum store_status st;

	assert(brace != NULL);
	if ((st = rq_hosts_get(p->hosts, ip, &h, p->err)) != STORE_OK) {
		p->host_st = st;
		return (-1);
	}
	if (h == NULL) {
		/* Nothing known (or never enriched): the record as get has it. */
		fwrite(text, 1, len, p->fp);
		return (0);
	}
	from = rq_print_host_member(p->fp, text, 0, (size_t) (brace - text) +
	    1, "@host", h, p->flags);
	fwrite(text + from, 1, len - from, p->fp);
	return (0);
}

static int
print_records(void *arg, const struct dmarc_record *recs, size_t n)
{
	struct printer *p = arg;
	size_t	i, len;
	char   *text;

	for (i = 0; i < n; i++) {
		if ((text = record_json_write_record(&recs[i], p->flags,
		    &len)) == NULL) {
			p->nomem = 1;
			return (1);
		}
		if (p->n++ > 0)
			fputc(',', p->fp);
		if (p->hosts == NULL)
			fwrite(text, 1, len, p->fp);
		else if (print_with_host(p, recs[i].source_ip, text, len) < 0) {
			free(text);
			return (1);
		}
		free(text);
	}
	return (0);
}

/* "{" and the members that come before the codec's: "@type", "@..." */
static void
print_opening(FILE *fp, const struct external_report *x,
    const struct store_meta *meta, unsigned flags)
{
	const char *sep = (flags & RECORD_JSON_PRETTY) ? ",\n  " : ",";
	const char *colon = (flags & RECORD_JSON_PRETTY) ? ": " : ":";
	char	when[32];

	fprintf(fp, "{%s\"@type\"%s\"%s\"", (flags & RECORD_JSON_PRETTY) ?
	    "\n  " : "", colon, record_json_type_name(x->report->type));
	fprintf(fp, "%s\"@duplicates\"%s%" PRIu32, sep, colon,
	    meta ? meta->duplicates : 0);
	if (meta != NULL && meta->last_seen != 0) {
		record_json_time(meta->last_seen, when, sizeof(when));
		fprintf(fp, "%s\"@lastSeen\"%s\"%s\"", sep, colon, when);
	} else
		fprintf(fp, "%s\"@lastSeen\"%snull", sep, colon);
	fprintf(fp, "%s\"@authenticated\"%s%s,", sep, colon,
	    authres_name(x->authenticated));
}

enum store_status
rq_print_object(FILE *fp, struct store *s, const struct external_report *x,
    const struct store_meta *meta, unsigned flags,
    struct store_error *err)
{
	return (rq_print_object_hosts(fp, s, x, meta, flags, NULL, err));
}

enum store_status
rq_print_object_hosts(FILE *fp, struct store *s,
    const struct external_report *x, const struct store_meta *meta,
    unsigned flags, struct rq_hosts *hosts, struct store_error *err)
{
	struct printer p = { fp, flags & ~RECORD_JSON_TYPE, 0, 0, hosts,
	    STORE_OK, err };
	enum store_status st = STORE_OK;
	char   *head = NULL, *tail = NULL;
	int	dmarc = x->report->type == RECORD_DMARC;

	if (dmarc ? record_json_write_split(x, p.flags, meta != NULL &&
	    meta->n_records > 0, &head, &tail) < 0 :
	    (head = record_json_write(x, p.flags, NULL)) == NULL)
		return (STORE_NOMEM);
	assert(head[0] == '{');
	print_opening(fp, x, meta, p.flags);
	if (!dmarc && hosts != NULL)
		st = rq_print_hosts_splice(fp, x, head, strlen(head), p.flags,
		    hosts, err);
	else
		fputs(head + 1, fp);
	if (dmarc) {
		st = store_get_records(s, x->id, print_records, &p, err);
		if (st == STORE_STOPPED && p.nomem)
			st = STORE_NOMEM;
		else if (st == STORE_STOPPED && p.host_st != STORE_OK)
			st = p.host_st;
		if (st == STORE_OK)
			fputs(tail, fp);
	}
	free(head);
	free(tail);
	return (st);
}
