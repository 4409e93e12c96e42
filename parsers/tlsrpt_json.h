/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	tlsrpt_json.h - SMTP TLS report (RFC 8460) parser
 * PURPOSE
 *	Reads a TLS-RPT JSON document into a TlsReport. The text is read
 *	whole (json-c reads its policies one at a time), so the size is
 *	capped (parse_limits.json_bytes).
 */
#ifndef TLSRPT_JSON_H
#define TLSRPT_JSON_H

#include <stddef.h>

#include "parse.h"
#include "record.h"

/*
 * Parses len bytes of JSON. On PARSE_OK *out holds the report (the caller
 * owns it). Returns PARSE_INVALID (not JSON, nested deeper than 20
 * levels, trailing data, the root not an object, or a required member
 * missing or unreadable: report-id, date-range with start-datetime and
 * end-datetime, policies), PARSE_LIMIT (len over limits->json_bytes, or
 * so many values that json-c would need over 12 times that cap, both
 * checked before parsing) or PARSE_NOMEM; err says why and *out is NULL.
 * Lenient where RFC 8460 reports differ in the wild: mx-host and
 * policy-string as a string or a list, null for absent optionals,
 * a missing policy-domain (""), date-times without a zone (read as UTC),
 * counts up to 2^64-1 (larger ones saturate; negative, junk or absent
 * ones are 0; counts written as strings are read), policy-type in any
 * case (unknown: "other"); an unknown result-type becomes "other" with
 * its text kept in additionalInformation ("result-type: X", followed by
 * "; " and any additional-information). Elements of policies or
 * failure-details that are not objects are skipped. Text is kept as
 * written (org names and domains are not normalised).
 */
enum parse_status tlsrpt_json_parse(const char *buf, size_t len,
    const struct parse_limits *limits, struct report **out,
    struct parse_error *err);

#endif
