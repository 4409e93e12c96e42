/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	arf.h - ARF feedback report (RFC 5965, RFC 6591, RFC 9991) parser
 * PURPOSE
 *	Reads the fields of a message/feedback-report part and, when the
 *	report mail returned it, the original message or its headers, into an
 *	ArfFeedbackReport.
 */
#ifndef ARF_H
#define ARF_H

#include <stdbool.h>
#include <stddef.h>

#include "parse.h"
#include "record.h"

/*
 * fields/len: the decoded body of the message/feedback-report part.
 * returned/returned_len: the returned message/rfc822 (headers_only false:
 * kept in message) or text/rfc822-headers part (headers_only true: kept
 * in headers), or NULL. The returned text is kept up to
 * limits->returned_message_bytes, cut there (never inside a UTF-8
 * sequence); a NUL byte in it ends the kept text.
 *
 * Fields: "Name: value" lines, LF or CRLF, folded lines joined, every
 * run of white space in a value collapsed to one space and trimmed;
 * names matched in any case (Source-IP, Source-Ip); blank lines, lines
 * that are not fields, and fields this parser does not know (stray
 * Content-Type, MIME-Version, Content-Transfer-Encoding) are skipped.
 * How each value is read:
 *  - Feedback-Type (required; the first counts): abuse, auth-failure,
 *    fraud, not-spam, virus, other, in any case, '-' optional; any other
 *    type ("opt-out") is other.
 *  - Version: the integer part of a decimal number when it is at least 1
 *    and fits 32 bits ("1.0" is 1, "2" is 2); "0.1", "0" and junk are 1.
 *  - Arrival-Date: RFC 5322 (RFC 3339 also read). When no Arrival-Date
 *    can be read, the pre-RFC Received-Date is used; neither: absent.
 *  - Incidents: a positive decimal integer. Absent (RFC 5965 §3.2: the
 *    report is about one incident), zero, or anything else: 1.
 *  - Original-Rcpt-To may repeat but originalRcptTo holds one: the first
 *    is kept. Other single-valued fields also keep their first value.
 *  - Authentication-Results, Reported-Domain, Reported-Uri: every
 *    repetition, in order, empty values included ("").
 *  - Source-IP: the address alone ("192.0.2.1 (host)" and "[192.0.2.1]"
 *    give 192.0.2.1); a value inet_pton() does not read as IPv4 or IPv6
 *    ("x.x.x.x") is dropped. Source-Port: 1..65535, else absent (0).
 *  - Auth-Failure (bodyhash is bodyHash) and Delivery-Result: unknown
 *    values are unspecified.
 *  - Identity-Alignment: "none", or a comma list of dkim and spf (both:
 *    dkimSpf); an unknown word, an empty value, or none beside another
 *    word is unspecified.
 *  - Other text fields are kept as written, collapsed; an empty value is
 *    "" (present), not NULL.
 *
 * Returns PARSE_OK with *out (owned by the caller); PARSE_INVALID when
 * there is no Feedback-Type field; PARSE_NOMEM. A field longer than
 * limits->field_bytes is cut there (on a UTF-8 boundary): one long value
 * does not lose the report. On failure err
 * says why and *out is NULL.
 */
enum parse_status arf_parse(const char *fields, size_t len,
    const char *returned, size_t returned_len, bool headers_only,
    const struct parse_limits *limits, struct report **out,
    struct parse_error *err);

#endif
