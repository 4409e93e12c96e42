/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	fuzz_arf - libFuzzer harness for the ARF feedback report parser
 * PURPOSE
 *	The input is the body of a message/feedback-report part, optionally
 *	followed by a NUL byte, one byte that says whether what comes next is
 *	text/rfc822-headers (odd) or a whole message/rfc822 (even), and the
 *	returned part. Parsed with the daemon's default limits; a report
 *	that comes out must survive the codec's round trip (roundtrip.h).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arf.h"
#include "parse.h"
#include "roundtrip.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t	flen = nul ? (size_t) (nul - data) : size;
	const char *ret = NULL;
	size_t	rlen = 0;
	bool	headers_only = false;
	struct parse_limits limits;
	struct parse_error err;
	struct report *r = NULL;

	if (nul != NULL && flen + 1 < size) {
		headers_only = data[flen + 1] & 1;
		ret = (const char *) data + flen + 2;
		rlen = size - flen - 2;
	}
	parse_limits_default(&limits);
	parse_error_clear(&err);
	if (arf_parse((const char *) data, flen, ret, rlen, headers_only,
	    &limits, &r, &err) == PARSE_OK)
		roundtrip_report(r);
	return (0);
}
