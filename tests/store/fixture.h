/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	fixture.h - reports and scratch stores for the store tests
 * PURPOSE
 *	Builders for External report objects with every kind of field the
 *	indexes and dedup keys look at, a scratch directory removed at the
 *	end, and small helpers that read back what a store holds (ids in
 *	order, counts). Every builder aborts when memory runs out: a test
 *	that cannot allocate has nothing to say.
 */
#ifndef FIXTURE_H
#define FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "store.h"

#define FIXTURE_T0	INT64_C(1767225600)	/* 2026-01-01T00:00:00Z */

/* A scratch directory (created once) and a fresh path inside it. */
const char *fixture_tmpdir(void);
/* A new path name "TMP/name" (not created); a static buffer per call slot. */
char   *fixture_path(const char *name);
/* Removes the scratch directory and all in it. */
void	fixture_cleanup(void);

char   *fixture_str(const char *s);

/* One DMARC record; k picks its source IP (IPv4 or IPv6) and count. */
void	fixture_dmarc_record(struct dmarc_record *r, unsigned k);

/* A DMARC report of org/report id/domain with n records in memory. */
struct external_report *fixture_dmarc(const char *org, const char *report_id,
	    const char *domain, size_t n);
/* A TLS report with two policies (domain and "mx.<domain>"). */
struct external_report *fixture_tls(const char *org, const char *report_id,
	    const char *domain);
/* An ARF report about domain from source IP ip, returned Message-ID mid. */
struct external_report *fixture_arf(const char *domain, const char *ip,
	    const char *mid);

/* The compact JSON of x (record_json_write(x, 0)); the caller frees it. */
char   *fixture_json(const struct external_report *x);

/* Writes x in a txn of its own, once: the status of the write or commit. */
enum store_status fixture_put_once(struct store *s, struct external_report *x,
	    struct store_error *err);
/* Writes x in a txn of its own, retrying on STORE_RETRY; x->id is set. */
enum store_status fixture_put(struct store *s, struct external_report *x,
	    struct store_error *err);

/* The ids a scan hands over, joined by spaces ("" when none; static). */
const char *fixture_scan(struct store *s, enum store_index idx,
	    const void *lo, size_t lo_len, const void *hi, size_t hi_len);
/* The same for one text value and for one IP address text. */
const char *fixture_scan_text(struct store *s, enum store_index idx,
	    const char *text);
const char *fixture_scan_ip(struct store *s, const char *ip);
/* Every id in receipt order (or reverse), joined by spaces (static). */
const char *fixture_all(struct store *s, int reverse);
/* How many reports the store holds. */
size_t	fixture_count(struct store *s);

/* Options with small sizes for the tests. */
void	fixture_options(struct store_options *o, size_t initial, size_t max);

#endif
