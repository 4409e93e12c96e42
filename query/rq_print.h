/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_print.h - one stored report as JSON, its records streamed
 * PURPOSE
 *	get, query --format json|ndjson and export print a stored External
 *	report whole: "@type" first, then the store's own members
 *	"@duplicates" (repeats received after the first), "@lastSeen"
 *	(when the newest repeat came, or null) and "@authenticated" (true,
 *	false, or null when no trusted Authentication-Results field was
 *	seen: authres.h) beside the Stalwart fields,
 *	then those fields as the codec writes them. A DMARC report's records
 *	come from store_get_records() one chunk at a time, so a report of
 *	any size prints in bounded memory.
 */
#ifndef RQ_PRINT_H
#define RQ_PRINT_H

#include <stdio.h>

#include "record.h"
#include "store.h"

/*
 * Prints x (borrowed, as store_get() gave it without records; meta as
 * it gave too) to fp, without a line end after it; flags as record_json.h
 * (RECORD_JSON_PRETTY; "@type" is always written). Returns STORE_OK,
 * STORE_NOMEM, or the status of store_get_records() (err says why);
 * after a failure the object on fp is cut short.
 */
enum store_status rq_print_object(FILE *fp, struct store *s,
    const struct external_report *x, const struct store_meta *meta,
    unsigned flags, struct store_error *err);

struct rq_hosts;

/*
 * rq_print_object(), with each DMARC record's object opened by an
 * "@host" member: what the store's host cache has of its sourceIp
 * (rq_hosts_json()), read through hosts (borrowed; NULL: no "@host").
 * So are each TLS failure detail, by "@sendingMtaHost" and
 * "@receivingHost" (of sendingMtaIp and receivingIp), and an ARF
 * report's object, by "@host" (of its sourceIp). An address that has no
 * entry gets no member. The same statuses, and those of rq_hosts_get().
 */
enum store_status rq_print_object_hosts(FILE *fp, struct store *s,
    const struct external_report *x, const struct store_meta *meta,
    unsigned flags, struct rq_hosts *hosts, struct store_error *err);

/*
 * For rq_print_object_hosts(): the codec's text of TLS or ARF report x
 * (text, len bytes: its object) printed from its byte 1 on (the caller
 * has printed the opening) with the hosts' members spliced in. Text not
 * of the report's shape is printed as it is. Returns STORE_OK, or
 * STORE_NOMEM or a status of rq_hosts_get() (err says why), with
 * nothing printed.
 */
enum store_status rq_print_hosts_splice(FILE *fp,
    const struct external_report *x, const char *text, size_t len,
    unsigned flags, struct rq_hosts *hosts, struct store_error *err);

/*
 * Prints text[from .. at) and the member "name": h's entry as the first
 * of the object whose "{" ends at at, where its first member began and
 * followed by that white space again. Returns where to go on printing.
 */
size_t	rq_print_host_member(FILE *fp, const char *text, size_t from,
	    size_t at, const char *name, const struct store_host *h,
	    unsigned flags);

#endif
