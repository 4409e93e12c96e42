/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_enrich_list - the host cache as JSON lines
 * PURPOSE
 *	report-query enrich --list: one JSON object per cached source IP, in
 *	address order, with what enrichment found (store_host_each()).
 */
#include <inttypes.h>
#include <stdio.h>

#include "rq.h"
#include "rq_enrich.h"

/* s as a JSON string (control characters escaped). */
static void
rq_enrich_list_str(FILE *fp, const char *key, const char *s)
{
	const unsigned char *p;

	fprintf(fp, ",\"%s\":", key);
	if (s[0] == '\0') {
		fputs("null", fp);
		return;
	}
	fputc('"', fp);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(fp, "\\u%04x", *p);
		else
			fputc(*p, fp);
	}
	fputc('"', fp);
}

static int
rq_enrich_list_one(void *arg, const char *ip, const struct store_host *h)
{
	FILE   *fp = arg;

	fprintf(fp, "{\"ip\":\"%s\"", ip);
	rq_enrich_list_str(fp, "name", h->name);
	fprintf(fp, ",\"confirmed\":%s", h->confirmed ? "true" : "false");
	rq_enrich_list_str(fp, "baseDomain", h->base_domain);
	rq_enrich_list_str(fp, "country", h->country);
	if (h->asn != 0)
		fprintf(fp, ",\"asn\":%" PRIu32, h->asn);
	else
		fputs(",\"asn\":null", fp);
	rq_enrich_list_str(fp, "asName", h->as_name);
	rq_enrich_list_str(fp, "service", h->service);
	rq_enrich_list_str(fp, "serviceType", h->service_type);
	fprintf(fp, ",\"resolvedAt\":%" PRId64 ",\"expiresAt\":%" PRId64,
	    h->resolved_at, h->expires_at);
	rq_enrich_list_str(fp, "error", h->error);
	fprintf(fp, ",\"retryAt\":%" PRId64 "}\n", h->retry_at);
	return (0);
}

int
rq_enrich_list(struct store *s)
{
	struct store_error err = { "" };
	enum store_status st;

	if ((st = store_host_each(s, rq_enrich_list_one, stdout, &err)) !=
	    STORE_OK)
		return (rq_store_fail("enrich", store_dir(s), st, &err));
	return (rq_flush("enrich", RQ_EXIT_OK));
}
