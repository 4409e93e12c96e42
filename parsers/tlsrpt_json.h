/*
 * NAME
 *	tlsrpt_json.h - SMTP TLS report (RFC 8460) parser
 * PURPOSE
 *	Reads a TLS-RPT JSON document into a TlsReport. json-c builds a
 *	whole tree, so the caller caps the size (parse_limits.json_bytes)
 *	before handing the text over.
 */
#ifndef TLSRPT_JSON_H
#define TLSRPT_JSON_H

#include <stddef.h>

#include "parse.h"
#include "record.h"

/*
 * Parses len bytes of JSON. On PARSE_OK *out holds the report (the caller
 * owns it). Returns PARSE_INVALID (not JSON, or a required member
 * missing: report-id, date-range, policies), PARSE_LIMIT (len over
 * limits->json_bytes) or PARSE_NOMEM; err says why and *out is NULL.
 * Lenient where RFC 8460 reports differ in the wild: mx-host as a string
 * or a list, null for absent optionals, date-times without a zone (read
 * as UTC), counts up to 2^64-1; an unknown result-type becomes "other"
 * with its text kept in additionalInformation.
 */
enum parse_status tlsrpt_json_parse(const char *buf, size_t len,
    const struct parse_limits *limits, struct report **out,
    struct parse_error *err);

#endif
