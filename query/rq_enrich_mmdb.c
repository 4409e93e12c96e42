/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_enrich_mmdb - country and AS of an address, from an MMDB file
 * PURPOSE
 *	libmaxminddb on a file the user names (GeoLite2/GeoIP2 City,
 *	Country or ASN, DB-IP's lite files, or one of the same layout):
 *	country.iso_code, autonomous_system_number and
 *	autonomous_system_organization. No file is shipped or fetched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <maxminddb.h>

#include "rq_enrich.h"

struct rq_mmdb {
	MMDB_s	db;
};

struct rq_mmdb *
rq_mmdb_open(const char *path, char *why, size_t why_size)
{
	struct rq_mmdb *m;
	int	rc;

	if ((m = calloc(1, sizeof(*m))) == NULL) {
		snprintf(why, why_size, "%s: out of memory", path);
		return (NULL);
	}
	if ((rc = MMDB_open(path, MMDB_MODE_MMAP, &m->db)) != MMDB_SUCCESS) {
		snprintf(why, why_size, "%s: %s", path, MMDB_strerror(rc));
		free(m);
		return (NULL);
	}
	return (m);
}

void
rq_mmdb_close(struct rq_mmdb *m)
{
	if (m == NULL)
		return;
	MMDB_close(&m->db);
	free(m);
}

/* A UTF-8 string at path into out; false when it is not there. */
static bool
rq_mmdb_string(MMDB_entry_s *e, char *out, size_t size, const char *const *path)
{
	MMDB_entry_data_s d;

	if (MMDB_aget_value(e, &d, path) != MMDB_SUCCESS || !d.has_data ||
	    d.type != MMDB_DATA_TYPE_UTF8_STRING)
		return (false);
	snprintf(out, size, "%.*s", (int)d.data_size, d.utf8_string);
	return (true);
}

void
rq_mmdb_lookup(struct rq_mmdb *m, const char *ip, struct store_host *h)
{
	static const char *const country[] = {"country", "iso_code", NULL};
	static const char *const asn[] = {"autonomous_system_number", NULL};
	static const char *const org[] = {"autonomous_system_organization",
	    NULL};
	MMDB_lookup_result_s r;
	MMDB_entry_data_s d;
	int	gai, rc;

	r = MMDB_lookup_string(&m->db, ip, &gai, &rc);
	if (gai != 0 || rc != MMDB_SUCCESS || !r.found_entry)
		return;
	(void)rq_mmdb_string(&r.entry, h->country, sizeof(h->country), country);
	(void)rq_mmdb_string(&r.entry, h->as_name, sizeof(h->as_name), org);
	if (MMDB_aget_value(&r.entry, &d, asn) == MMDB_SUCCESS && d.has_data) {
		if (d.type == MMDB_DATA_TYPE_UINT32)
			h->asn = d.uint32;
		else if (d.type == MMDB_DATA_TYPE_UINT16)
			h->asn = d.uint16;
	}
}
