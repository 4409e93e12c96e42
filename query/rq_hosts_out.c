/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_hosts_out - a source's host entry as a table cell and as JSON
 * PURPOSE
 *	query prints what the store knows of each source IP beside it: in
 *	a table or CSV row as text, in JSON as the "@host" member of each
 *	DMARC record (rq_print.c). The names of the JSON members are those
 *	of report-query enrich --list.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "rq_hosts.h"

/* Appends s to the text *buf of *len bytes (NUL after); 0 or -1. */
static int
put(char **buf, size_t *len, const char *s)
{
	size_t	add = strlen(s);
	char   *n;

	if ((n = realloc(*buf, *len + add + 1)) == NULL)
		return (-1);
	memcpy(n + *len, s, add + 1);
	*buf = n;
	*len += add;
	return (0);
}

/* Appends part to the parenthesised list of a source's facts. */
static int
fact(char **buf, size_t *len, int *nfacts, const char *part)
{
	if (part[0] == '\0')
		return (0);
	return (put(buf, len, (*nfacts)++ ? ", " : " (") ||
	    put(buf, len, part) ? -1 : 0);
}

int
rq_hosts_cell(char **cell, const char *ip, const struct store_host *h)
{
	char   *buf = NULL, as[160] = "";
	size_t	len = 0;
	int	nfacts = 0, bad;

	bad = (*cell != NULL && put(&buf, &len, "; ")) ||
	    put(&buf, &len, ip);
	if (!bad && h != NULL) {
		if (h->asn != 0)
			snprintf(as, sizeof(as), "AS%" PRIu32 "%s%s", h->asn,
			    h->as_name[0] ? " " : "", h->as_name);
		bad = (h->name[0] && (put(&buf, &len, " ") ||
		    put(&buf, &len, h->name))) ||
		    fact(&buf, &len, &nfacts, h->service) ||
		    fact(&buf, &len, &nfacts, h->base_domain) ||
		    fact(&buf, &len, &nfacts, h->country) ||
		    fact(&buf, &len, &nfacts, as) ||
		    (nfacts > 0 && put(&buf, &len, ")"));
	}
	if (!bad) {
		size_t	old = *cell ? strlen(*cell) : 0;
		char   *n;

		if ((n = realloc(*cell, old + len + 1)) != NULL) {
			memcpy(n + old, buf, len + 1);
			*cell = n;
		} else
			bad = 1;
	}
	free(buf);
	return (bad ? -1 : 0);
}

/* ,"key":"s" or ,"key":null for an empty s; first: no comma. */
static void
str(FILE *fp, const char *key, const char *s, int first)
{
	const unsigned char *p;

	fprintf(fp, "%s\"%s\":", first ? "" : ",", key);
	if (s[0] == '\0') {
		fputs("null", fp);
		return;
	}
	fputc('"', fp);
	for (p = (const unsigned char *) s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(fp, "\\u%04x", *p);
		else
			fputc(*p, fp);
	}
	fputc('"', fp);
}

void
rq_hosts_json(FILE *fp, const struct store_host *h)
{
	fputc('{', fp);
	str(fp, "name", h->name, 1);
	fprintf(fp, ",\"confirmed\":%s", h->confirmed ? "true" : "false");
	str(fp, "baseDomain", h->base_domain, 0);
	str(fp, "country", h->country, 0);
	if (h->asn != 0)
		fprintf(fp, ",\"asn\":%" PRIu32, h->asn);
	else
		fputs(",\"asn\":null", fp);
	str(fp, "asName", h->as_name, 0);
	str(fp, "service", h->service, 0);
	str(fp, "serviceType", h->service_type, 0);
	fputc('}', fp);
}
