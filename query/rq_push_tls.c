/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_push_tls - a TLS report's row, its policies' and failures' rows
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "record_enum.h"

#include "rq.h"
#include "rq_copy.h"
#include "rq_pg.h"
#include "rq_push.h"

static const char *
rq_push_tls_enum(enum record_enum e, int v)
{
	const char *s = record_enum_name(e, v);

	return (s != NULL ? s : "other");
}

int
rq_push_tls_row(struct rq_push *p, struct rq_push_item *it)
{
	const struct tls_report *t = &it->x->report->u.tls;
	char   *text[5] = { NULL }, b[32], e[32], rcv[32], exp[32];
	char	ok[24], failed[24];
	const char *params[16];
	uint64_t nok = 0, nfail = 0;
	size_t	i;
	int	rc = -1;

	for (i = 0; i < t->n_policies; i++) {
		nok += t->policies[i].total_successful_sessions;
		nfail += t->policies[i].total_failed_sessions;
	}
	if ((t->organization_name != NULL &&
	    (text[0] = rq_copy_utf8(t->organization_name)) == NULL) ||
	    (t->contact_info != NULL &&
	    (text[1] = rq_copy_utf8(t->contact_info)) == NULL) ||
	    (text[2] = rq_copy_utf8(t->report_id)) == NULL ||
	    (text[3] = rq_copy_utf8(it->x->from)) == NULL ||
	    (text[4] = rq_copy_utf8(it->x->subject)) == NULL) {
		rq_fail(p->verb, "out of memory");
		goto out;
	}
	rq_copy_time_text(t->date_range_start, b);
	rq_copy_time_text(t->date_range_end, e);
	rq_copy_time_text(it->x->received_at, rcv);
	rq_copy_time_text(it->x->expires_at, exp);
	snprintf(ok, sizeof(ok), "%" PRIu64, nok);
	snprintf(failed, sizeof(failed), "%" PRIu64, nfail);
	params[0] = it->key;
	params[1] = it->hash_hex;
	params[2] = text[0];
	params[3] = text[1];
	params[4] = text[2];
	params[5] = b;
	params[6] = e;
	params[7] = ok;
	params[8] = failed;
	params[9] = text[3];
	params[10] = text[4];
	params[11] = rcv;
	params[12] = exp;
	params[13] = p->host;
	params[14] = it->object;
	rq_push_hash_done(it);
	rc = rq_pg_pipe_send(p->verb, p->pg,
	    "INSERT INTO report_milter.tls_report (report_key, content_hash, "
	    "organization_name, contact_info, report_id, date_begin, date_end, "
	    "successful_sessions, failed_sessions, from_address, subject, "
	    "received_at, expires_at, received_by, object) VALUES ($1, $2, $3, "
	    "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) "
	    "ON CONFLICT (report_key) DO NOTHING RETURNING id", 15, params);
out:
	for (i = 0; i < 5; i++)
		free(text[i]);
	return (rc);
}

/* Is it a TLS report whose row is new? */
static int
rq_push_tls_new(const struct rq_push_item *it)
{
	return (it->x->report->type == RECORD_TLS && it->row[0] != '\0');
}

static int
rq_push_tls_policies(struct rq_copy *c, struct rq_push *p,
    struct rq_push_item *it)
{
	const struct tls_report *t = &it->x->report->u.tls;
	size_t	i;
	int	rc = 0;

	for (i = 0; i < t->n_policies && rc == 0; i++) {
		const struct tls_policy *pol = &t->policies[i];

		rq_copy_text(c, it->row);
		rq_copy_u64(c, i);
		rq_copy_text(c, rq_push_tls_enum(RENUM_TLS_POLICY_TYPE,
		    (int)pol->policy_type));
		rq_copy_text(c, pol->policy_domain);
		rq_copy_array(c, &pol->policy_strings);
		rq_copy_array(c, &pol->mx_hosts);
		rq_copy_u64(c, pol->total_successful_sessions);
		rq_copy_u64(c, pol->total_failed_sessions);
		rc = rq_copy_row(c, p->verb);
	}
	return (rc);
}

static int
rq_push_tls_failures(struct rq_copy *c, struct rq_push *p,
    struct rq_push_item *it)
{
	const struct tls_report *t = &it->x->report->u.tls;
	size_t	i, j;
	int	rc = 0;

	for (i = 0; i < t->n_policies && rc == 0; i++)
		for (j = 0; j < t->policies[i].n_failures && rc == 0; j++) {
			const struct tls_failure *f = &t->policies[i].failures[j];

			rq_copy_text(c, it->row);
			rq_copy_u64(c, i);
			rq_copy_u64(c, j);
			rq_copy_text(c, rq_push_tls_enum(RENUM_TLS_RESULT_TYPE,
			    (int)f->result_type));
			rq_copy_inet(c, f->sending_mta_ip);
			rq_copy_text(c, f->receiving_mx_hostname);
			rq_copy_text(c, f->receiving_mx_helo);
			rq_copy_inet(c, f->receiving_ip);
			rq_copy_u64(c, f->failed_session_count);
			rq_copy_text(c, f->additional_information);
			rq_copy_text(c, f->failure_reason_code);
			rc = rq_copy_row(c, p->verb);
		}
	return (rc);
}

/*
 * One COPY into table (sql) of the rows that row() makes for each new
 * TLS report of the batch; none when there is none.
 */
static int
rq_push_tls_copy(struct rq_push *p, struct rq_push_item *items, size_t n,
    const char *sql, int (*row)(struct rq_copy *, struct rq_push *,
    struct rq_push_item *))
{
	struct rq_copy c;
	size_t	i;
	int	rc = 0;

	for (i = 0; i < n && !rq_push_tls_new(&items[i]); i++)
		;
	if (i == n)
		return (0);
	if (rq_copy_begin(&c, p->pg, p->verb, sql) < 0)
		return (-1);
	for (; i < n && rc == 0; i++)
		if (rq_push_tls_new(&items[i]))
			rc = row(&c, p, &items[i]);
	return (rq_copy_end(&c, p->verb, rc == 0));
}

int
rq_push_tls_children(struct rq_push *p, struct rq_push_item *items, size_t n)
{
	if (rq_push_tls_copy(p, items, n, "COPY report_milter.tls_policy "
	    "(report, n, policy_type, policy_domain, policy_strings, mx_hosts, "
	    "successful_sessions, failed_sessions) FROM STDIN",
	    rq_push_tls_policies) < 0 ||
	    rq_push_tls_copy(p, items, n, "COPY report_milter.tls_failure "
	    "(report, policy, n, result_type, sending_mta_ip, "
	    "receiving_mx_hostname, receiving_mx_helo, receiving_ip, "
	    "failed_sessions, additional_information, failure_reason_code) "
	    "FROM STDIN", rq_push_tls_failures) < 0)
		return (-1);
	return (0);
}
