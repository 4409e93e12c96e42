/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_push_arf - an ARF report's row with its typed fields
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "record_enum.h"

#include "rq.h"
#include "rq_copy.h"
#include "rq_pg.h"
#include "rq_push.h"

#define RQ_ARF_TEXTS	12

static const char *
rq_push_arf_enum(enum record_enum e, int v)
{
	const char *s = record_enum_name(e, v);

	return (s != NULL ? s : "other");
}

/* A parameter's text for an optional string: NULL stays NULL. */
static int
rq_push_arf_text(const char *s, char **out)
{
	*out = NULL;
	return (s == NULL || (*out = rq_copy_utf8(s)) != NULL ? 0 : -1);
}

int
rq_push_arf_row(struct rq_push *p, struct rq_push_item *it)
{
	const struct arf_report *a = &it->x->report->u.arf;
	char   *text[RQ_ARF_TEXTS] = { NULL }, *arr[3] = { NULL };
	char	arrival[32], rcv[32], exp[32], inc[24], port[12];
	const char *params[27];
	int	i, rc = -1;

	rq_push_hash_done(it);
	if (rq_push_arf_text(a->original_envelope_id, &text[0]) < 0 ||
	    rq_push_arf_text(a->original_mail_from, &text[1]) < 0 ||
	    rq_push_arf_text(a->original_rcpt_to, &text[2]) < 0 ||
	    rq_push_arf_text(a->reporting_mta, &text[3]) < 0 ||
	    rq_push_arf_text(a->user_agent, &text[4]) < 0 ||
	    rq_push_arf_text(a->dkim_domain, &text[5]) < 0 ||
	    rq_push_arf_text(a->dkim_selector, &text[6]) < 0 ||
	    rq_push_arf_text(it->x->from, &text[7]) < 0 ||
	    rq_push_arf_text(it->x->subject, &text[8]) < 0 ||
	    (arr[0] = rq_copy_array_literal(&a->reported_domains)) == NULL ||
	    (arr[1] = rq_copy_array_literal(&a->reported_uris)) == NULL ||
	    (arr[2] = rq_copy_array_literal(&a->authentication_results)) ==
	    NULL || rq_push_arf_text(arr[0], &text[9]) < 0 ||
	    rq_push_arf_text(arr[1], &text[10]) < 0 ||
	    rq_push_arf_text(arr[2], &text[11]) < 0) {
		rq_fail(p->verb, "out of memory");
		goto out;
	}
	rq_copy_time_text(a->arrival_date, arrival);
	rq_copy_time_text(it->x->received_at, rcv);
	rq_copy_time_text(it->x->expires_at, exp);
	snprintf(inc, sizeof(inc), "%" PRIu64, a->incidents);
	snprintf(port, sizeof(port), "%" PRIu32, a->source_port);
	params[0] = it->key;
	params[1] = it->hash_hex;
	params[2] = rq_push_arf_enum(RENUM_ARF_FEEDBACK_TYPE,
	    (int)a->feedback_type);
	params[3] = a->has_arrival_date ? arrival : NULL;
	params[4] = inc;
	params[5] = rq_copy_ip(a->source_ip);
	params[6] = a->source_port != 0 ? port : NULL;
	params[7] = text[9];
	params[8] = text[10];
	params[9] = text[0];
	params[10] = text[1];
	params[11] = text[2];
	params[12] = text[3];
	params[13] = text[4];
	params[14] = rq_push_arf_enum(RENUM_ARF_AUTH_FAILURE,
	    (int)a->auth_failure);
	params[15] = rq_push_arf_enum(RENUM_ARF_DELIVERY_RESULT,
	    (int)a->delivery_result);
	params[16] = rq_push_arf_enum(RENUM_ARF_IDENTITY_ALIGNMENT,
	    (int)a->identity_alignment);
	params[17] = text[5];
	params[18] = text[6];
	params[19] = text[11];
	params[20] = text[7];
	params[21] = text[8];
	params[22] = rcv;
	params[23] = exp;
	params[24] = p->host;
	params[25] = it->object;
	rc = rq_pg_pipe_send(p->verb, p->pg,
	    "INSERT INTO report_milter.arf_report (report_key, content_hash, "
	    "feedback_type, arrival_date, incidents, source_ip, source_port, "
	    "reported_domains, reported_uris, original_envelope_id, "
	    "original_mail_from, original_rcpt_to, reporting_mta, user_agent, "
	    "auth_failure, delivery_result, identity_alignment, dkim_domain, "
	    "dkim_selector, authentication_results, from_address, subject, "
	    "received_at, expires_at, received_by, object) VALUES ($1, $2, $3, "
	    "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
	    "$18, $19, $20, $21, $22, $23, $24, $25, $26) "
	    "ON CONFLICT (report_key) DO NOTHING RETURNING id", 26, params);
out:
	for (i = 0; i < RQ_ARF_TEXTS; i++)
		free(text[i]);
	for (i = 0; i < 3; i++)
		free(arr[i]);
	return (rc);
}
