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
 * returned/returned_len: the returned message/rfc822 (headers_only false)
 * or text/rfc822-headers part (headers_only true), or NULL. The returned
 * text is kept up to limits->returned_message_bytes (cut there).
 * Field names are matched in any case, Received-Date stands in for a
 * missing Arrival-Date, list fields keep every repetition. Returns
 * PARSE_OK with *out (owned by the caller), PARSE_INVALID when there is
 * no Feedback-Type field, or PARSE_NOMEM; err says why.
 */
enum parse_status arf_parse(const char *fields, size_t len,
    const char *returned, size_t returned_len, bool headers_only,
    const struct parse_limits *limits, struct report **out,
    struct parse_error *err);

#endif
