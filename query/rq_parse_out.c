/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_parse_out - parse's reports printed as the parsers hand them over
 * PURPOSE
 *	A DMARC report's records are written as text batch by batch
 *	(record_json_write_record_list()) into a hold; when the report
 *	ends, its head (record_json_write_split() of the report as it is
 *	then), the held text and its tail are printed. When the hold is
 *	full first, the head of the report as read so far is printed with
 *	it and later batches go straight out; at the end the head is made
 *	again, and when it differs (errors found in records after the head
 *	left) stderr says so, since the printed head cannot change. Other
 *	reports are printed whole, as record_json_write() writes them.
 */
#include <stdlib.h>
#include <string.h>

#include "record_json.h"

#include "rq.h"
#include "rq_parse_out.h"

/* The External report of r, stamped with the mail's fields (borrowed). */
static void
stamp(const struct rq_parse_out *o, struct report *r,
    struct external_report *x)
{
	const struct message_info *info = o->info;

	memset(x, 0, sizeof(*x));
	x->report = r;
	x->from = (info != NULL && info->from) ? info->from : "";
	x->subject = (info != NULL && info->subject) ? info->subject : "";
	if (info != NULL)
		x->to = info->to;
	x->received_at = o->received_at;
	x->expires_at = o->expires_at;
}

/* The head and tail of the DMARC report hdr, as stamped; -1: no memory. */
static int
split(const struct rq_parse_out *o, const struct dmarc_report *hdr,
    char **head, char **tail)
{
	struct external_report x;
	struct report r;

	r.type = RECORD_DMARC;
	r.u.dmarc = *hdr;		/* borrowed: its records list is empty */
	r.u.dmarc.records = NULL;
	r.u.dmarc.n_records = 0;
	stamp(o, &r, &x);
	return (record_json_write_split(&x, o->json_flags, o->n_records > 0,
	    head, tail));
}

/* Appends text[0..len) to the hold; -1 when out of memory. */
static int
hold(struct rq_parse_out *o, const char *text, size_t len)
{
	size_t	cap;
	char   *p;

	if (len > o->hold_cap - o->hold_len) {
		for (cap = o->hold_cap ? o->hold_cap : 65536;
		    len > cap - o->hold_len; cap *= 2)
			;
		if ((p = realloc(o->hold, cap)) == NULL)
			return (-1);
		o->hold = p;
		o->hold_cap = cap;
	}
	memcpy(o->hold + o->hold_len, text, len);
	o->hold_len += len;
	return (0);
}

/* The head as the report stands, then what is held: records go out. */
static int
begin_printing(struct rq_parse_out *o, const struct dmarc_report *hdr)
{
	char   *tail;

	if (split(o, hdr, &o->head, &tail) < 0)
		return (-1);
	free(tail);
	fputs(o->head, o->fp);
	fwrite(o->hold, 1, o->hold_len, o->fp);
	free(o->hold);
	o->hold = NULL;
	o->hold_len = o->hold_cap = 0;
	o->printing = true;
	return (0);
}

static enum parse_status
nomem(struct rq_parse_out *o)
{
	o->nomem = true;
	return (PARSE_NOMEM);
}

enum parse_status
rq_parse_out_records(struct rq_parse_out *o, const struct dmarc_report *hdr,
    const struct dmarc_record *recs, size_t n)
{
	size_t	len;
	char   *text;

	if ((text = record_json_write_record_list(recs, n, o->json_flags,
	    o->n_records == 0, &len)) == NULL)
		return (nomem(o));
	o->open = true;
	o->n_records += n;
	if (o->printing)
		fwrite(text, 1, len, o->fp);
	else if (hold(o, text, len) < 0 || (o->hold_len >= RQ_PARSE_OUT_HOLD &&
	    begin_printing(o, hdr) < 0)) {
		free(text);
		return (nomem(o));
	}
	free(text);
	return (PARSE_OK);
}

/* The end of the DMARC report whose records arrived; 0 or -1 (no memory). */
static int
end_dmarc(struct rq_parse_out *o, const struct report *r)
{
	char   *head, *tail;

	if (split(o, &r->u.dmarc, &head, &tail) < 0)
		return (-1);
	if (!o->printing) {
		fputs(head, o->fp);
		fwrite(o->hold, 1, o->hold_len, o->fp);
	} else if (strcmp(head, o->head) != 0)
		fprintf(stderr, "%s: %s: warning: report %s: errors were found "
		    "in records after its head was printed; the object above "
		    "lacks them (import stores them)\n", rq_progname, o->path,
		    r->u.dmarc.report_id ? r->u.dmarc.report_id : "");
	fputs(tail, o->fp);
	fputc('\n', o->fp);
	free(head);
	free(tail);
	return (0);
}

/* Forgets the DMARC report that was open. */
static void
close_dmarc(struct rq_parse_out *o)
{
	free(o->hold);
	free(o->head);
	o->hold = o->head = NULL;
	o->hold_len = o->hold_cap = 0;
	o->n_records = 0;
	o->open = o->printing = false;
}

enum parse_status
rq_parse_out_report(struct rq_parse_out *o, struct report *r)
{
	struct external_report x;
	char   *text;
	int	rc = 0;

	if (o->open && r->type == RECORD_DMARC)
		rc = end_dmarc(o, r);
	else {
		stamp(o, r, &x);
		if ((text = record_json_write(&x, o->json_flags, NULL)) == NULL)
			rc = -1;
		else
			fprintf(o->fp, "%s\n", text);
		free(text);
	}
	close_dmarc(o);
	report_free(r);
	if (rc < 0)
		return (nomem(o));
	o->printed++;
	return (PARSE_OK);
}

void
rq_parse_out_abandon(struct rq_parse_out *o)
{
	if (!o->open)
		return;
	if (o->printing) {
		fputc('\n', o->fp);
		o->cut = true;
	}
	close_dmarc(o);
}

void
rq_parse_out_clear(struct rq_parse_out *o)
{
	close_dmarc(o);
}
