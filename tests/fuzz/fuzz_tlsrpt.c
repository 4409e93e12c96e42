/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	fuzz_tlsrpt - libFuzzer harness for the TLS-RPT JSON parser
 * PURPOSE
 *	Parses the input with the daemon's default limits; a report that
 *	comes out must survive the codec's round trip (roundtrip.h).
 */
#include <stddef.h>
#include <stdint.h>

#include "parse.h"
#include "roundtrip.h"
#include "tlsrpt_json.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_limits limits;
	struct parse_error err;
	struct report *r = NULL;

	parse_limits_default(&limits);
	parse_error_clear(&err);
	if (tlsrpt_json_parse((const char *) data, size, &limits, &r,
	    &err) == PARSE_OK)
		roundtrip_report(r);
	return (0);
}
