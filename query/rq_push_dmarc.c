/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_push_dmarc - a DMARC report's row and its records' rows
 * PURPOSE
 *	The report's row goes first (its content hash filled in once the
 *	records have passed); the records of all the batch's new reports
 *	stream from the store one chunk at a time into one COPY, so that a
 *	report of any size goes through in bounded memory and a batch of
 *	small ones pays for one COPY, not one each. For a key the database
 *	knows already the records stream through the hash only. A record's row is its typed columns
 *	and the lists of its JSON text (the text the content hash reads),
 *	passed on as they are.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_enum.h"
#include "record_json.h"

#include "rq.h"
#include "rq_copy.h"
#include "rq_pg.h"
#include "rq_push.h"

struct rq_push_recs {
	struct rq_push *p;
	struct rq_push_item *it;
	struct rq_copy copy;
	bool	copying;
	uint64_t n;		/* records so far */
	uint64_t messages;
	int	failed;
};

static const char *
rq_push_enum(enum record_enum e, int v)
{
	const char *s = record_enum_name(e, v);

	return (s != NULL ? s : "unspecified");
}

/*
 * A list of the record's JSON text (its DKIM or SPF results, its
 * override reasons or extensions) as a jsonb field: the bytes of the
 * text, no second encoding; an empty list NULL when empty_null.
 */
static void
rq_push_record_list(struct rq_copy *c, const char *json,
    const struct record_json_lists *l, int which, bool empty_null)
{
	if (empty_null && l->len[which] == 2)	/* [] */
		rq_copy_null(c);
	else
		rq_copy_textn(c, json + l->off[which], l->len[which]);
}

/* One record's row: the typed columns, then the record's lists. */
static void
rq_push_record_row(struct rq_push_recs *a, const struct dmarc_record *rec,
    const char *json, const struct record_json_lists *l)
{
	struct rq_copy *c = &a->copy;
	const char *ip = rq_copy_ip(rec->source_ip);

	rq_copy_text(c, a->it->row);
	rq_copy_u64(c, a->n);
	rq_copy_text(c, ip);
	rq_copy_text(c, ip == NULL ? rec->source_ip : NULL);
	rq_copy_u64(c, rec->count);
	rq_copy_text(c, rq_push_enum(RENUM_DMARC_ACTION,
	    (int)rec->evaluated_disposition));
	rq_copy_text(c, rq_push_enum(RENUM_DMARC_RESULT, (int)rec->evaluated_dkim));
	rq_copy_text(c, rq_push_enum(RENUM_DMARC_RESULT, (int)rec->evaluated_spf));
	rq_copy_bool(c, rec->evaluated_dkim == DMARC_RESULT_PASS);
	rq_copy_bool(c, rec->evaluated_spf == DMARC_RESULT_PASS);
	rq_copy_text(c, rec->header_from);
	rq_copy_text(c, rec->envelope_from);
	rq_copy_text(c, rec->envelope_to);
	rq_push_record_list(c, json, l, RECORD_JSON_DKIM, false);
	rq_push_record_list(c, json, l, RECORD_JSON_SPF, false);
	rq_push_record_list(c, json, l, RECORD_JSON_OVERRIDES, true);
	rq_push_record_list(c, json, l, RECORD_JSON_EXT, true);
}

static int
rq_push_records(void *arg, const struct dmarc_record *recs, size_t n)
{
	struct rq_push_recs *a = arg;
	struct record_json_lists lists;
	size_t	i, len;
	char   *json;

	for (i = 0; i < n; i++, a->n++) {
		if ((json = record_json_write_record_lists(&recs[i], &len,
		    &lists)) == NULL) {
			rq_fail(a->p->verb, "out of memory");
			return (a->failed = -1);
		}
		sha256_update(&a->it->hash, ",", 1);
		sha256_update(&a->it->hash, json, len);
		a->messages += recs[i].count;
		if (a->copying) {
			rq_push_record_row(a, &recs[i], json, &lists);
			if (rq_copy_row(&a->copy, a->p->verb) < 0) {
				free(json);
				return (a->failed = -1);
			}
		}
		free(json);
	}
	return (0);
}

int
rq_push_dmarc_row(struct rq_push *p, struct rq_push_item *it)
{
	const struct dmarc_report *d = &it->x->report->u.dmarc;
	char	*text[6] = { NULL }, b[32], e[32], rcv[32], exp[32];
	const char *params[20];
	int	i, rc;

	text[0] = rq_copy_utf8(d->org_name);
	text[1] = rq_copy_utf8(d->email);
	text[2] = rq_copy_utf8(d->report_id);
	text[3] = rq_copy_utf8(d->policy_domain);
	text[4] = rq_copy_utf8(it->x->from);
	text[5] = rq_copy_utf8(it->x->subject);
	for (i = 0; i < 6; i++)
		if (text[i] == NULL) {
			rc = rq_fail(p->verb, "out of memory");
			goto out;
		}
	rq_copy_time_text(d->date_range_begin, b);
	rq_copy_time_text(d->date_range_end, e);
	rq_copy_time_text(it->x->received_at, rcv);
	rq_copy_time_text(it->x->expires_at, exp);
	params[0] = it->key;
	params[1] = text[0];
	params[2] = text[1];
	params[3] = text[2];
	params[4] = text[3];
	params[5] = b;
	params[6] = e;
	params[7] = rq_push_enum(RENUM_DMARC_ALIGNMENT, (int)d->policy_adkim);
	params[8] = rq_push_enum(RENUM_DMARC_ALIGNMENT, (int)d->policy_aspf);
	params[9] = rq_push_enum(RENUM_DMARC_DISPOSITION,
	    (int)d->policy_disposition);
	params[10] = rq_push_enum(RENUM_DMARC_DISPOSITION,
	    (int)d->policy_subdomain_disposition);
	params[11] = d->policy_testing_mode ? "true" : "false";
	params[12] = text[4];
	params[13] = text[5];
	params[14] = rcv;
	params[15] = exp;
	params[16] = p->host;
	params[17] = it->object;
	rc = rq_pg_pipe_send(p->verb, p->pg,
	    "INSERT INTO report_milter.dmarc_report (report_key, content_hash, "
	    "org_name, email, report_id, policy_domain, date_begin, date_end, "
	    "policy_adkim, policy_aspf, policy_disposition, "
	    "policy_subdomain_disposition, policy_testing_mode, from_address, "
	    "subject, received_at, expires_at, received_by, object) VALUES "
	    "($1, '', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
	    "$15, $16, $17, $18) ON CONFLICT (report_key) DO NOTHING "
	    "RETURNING id", 18, params);
out:
	for (i = 0; i < 6; i++)
		free(text[i]);
	return (rc == 0 ? 0 : -1);
}

/* Is it a DMARC report whose row is new (want true) or known (false)? */
static int
rq_push_dmarc_is(const struct rq_push_item *it, bool want)
{
	return (it->x->report->type == RECORD_DMARC &&
	    (it->row[0] != '\0') == want);
}

/* Streams one report's records into a's hash (and COPY when copying). */
static int
rq_push_dmarc_stream(struct rq_push_recs *a, struct rq_push_item *it)
{
	struct store_error err = { "" };
	enum store_status st;

	a->it = it;
	a->n = a->messages = 0;
	st = store_get_records(a->p->s, it->x->id, rq_push_records, a, &err);
	if (st != STORE_OK) {
		if (a->failed == 0)
			rq_store_fail(a->p->verb, store_dir(a->p->s), st, &err);
		return (-1);
	}
	rq_push_hash_done(it);
	it->n_records = a->n;
	it->n_messages = a->messages;
	return (0);
}

int
rq_push_dmarc_records(struct rq_push *p, struct rq_push_item *items, size_t n)
{
	struct rq_push_recs a;
	size_t	i;
	int	rc = 0;

	memset(&a, 0, sizeof(a));
	a.p = p;
	for (i = 0; i < n && rc == 0; i++)
		if (rq_push_dmarc_is(&items[i], false))
			rc = rq_push_dmarc_stream(&a, &items[i]);
	for (i = 0; i < n && !rq_push_dmarc_is(&items[i], true); i++)
		;
	if (rc < 0 || i == n)
		return (rc);
	if (rq_copy_begin(&a.copy, p->pg, p->verb, "COPY "
	    "report_milter.dmarc_record (report, n, source_ip, source_text, "
	    "count, disposition, dkim, spf, dkim_aligned, spf_aligned, "
	    "header_from, envelope_from, envelope_to, dkim_results, "
	    "spf_results, override_reasons, extensions) FROM STDIN") < 0)
		return (-1);
	a.copying = true;
	for (; i < n && rc == 0; i++)
		if (rq_push_dmarc_is(&items[i], true) &&
		    (rc = rq_push_dmarc_stream(&a, &items[i])) == 0)
			p->records += items[i].n_records;
	return (rq_copy_end(&a.copy, p->verb, rc == 0));
}

int
rq_push_dmarc_counts(struct rq_push *p, struct rq_push_item *it)
{
	char	nrec[24], nmsg[24];
	const char *params[4];

	snprintf(nrec, sizeof(nrec), "%" PRIu64, it->n_records);
	snprintf(nmsg, sizeof(nmsg), "%" PRIu64, it->n_messages);
	params[0] = it->row;
	params[1] = it->hash_hex;
	params[2] = nrec;
	params[3] = nmsg;
	return (rq_pg_pipe_send(p->verb, p->pg, "UPDATE "
	    "report_milter.dmarc_report SET content_hash = $2, "
	    "record_count = $3, message_count = $4 WHERE id = $1", 4, params));
}
