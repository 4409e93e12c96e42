/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	record_json_int.h - what the codec's own files share (json-c inside)
 * PURPOSE
 *	record_json.c, record_json_read.c and record_json_stream.c are one
 *	codec split in three files; these are the pieces they share. Nothing
 *	outside those files includes this header: json-c types never leave
 *	the codec.
 */
#ifndef RECORD_JSON_INT_H
#define RECORD_JSON_INT_H

#include <stddef.h>

#include <json-c/json.h>

#include "parse.h"
#include "record.h"

/* A DmarcReportRecord as a json-c object; NULL when out of memory. */
struct json_object *record_json_dmarc_record(const struct dmarc_record *r);

/* A TlsReportPolicy as a json-c object; NULL when out of memory. */
struct json_object *record_json_tls_policy(const struct tls_policy *p);

/*
 * An External report as one json-c object (flags: RECORD_JSON_TYPE);
 * NULL when out of memory.
 */
struct json_object *record_json_external(const struct external_report *x,
    unsigned flags);

/*
 * The text of o (flags: enum record_json_flags), owned by the caller;
 * o is released whatever happens (NULL is fine: then NULL is returned).
 */
char   *record_json_print(struct json_object *o, unsigned flags, size_t *len);

/*
 * Nesting a report's JSON may have, and what is left of it for an element
 * of a list three levels down (a TLS policy, a DMARC record: in the
 * External report, its report, the list).
 */
#define RECORD_JSON_DEPTH	64
#define RECORD_JSON_ELEMENT_DEPTH	(RECORD_JSON_DEPTH - 3)

/*
 * Parses JSON text, nested depth levels at most, into *out (the
 * caller's: json_object_put()).
 */
enum parse_status record_json_parse_text(const char *text, size_t len,
    int depth, struct json_object **out, struct parse_error *err);

/* Reads one DmarcReportRecord object into *r (zeroed by the caller). */
enum parse_status record_json_read_dmarc_record(struct json_object *o,
    struct dmarc_record *r, struct parse_error *err);

#endif
