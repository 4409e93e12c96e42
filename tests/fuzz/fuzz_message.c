/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	fuzz_message - libFuzzer harness for the whole message walk
 * PURPOSE
 *	Hands the input to extract_message() as a mail (or a bare report
 *	file) with the limits the daemon uses by default: MIME walk, base64,
 *	gzip and zip, and every parser behind them. Records stream to a
 *	callback as they do on the ingest path, and every report is written
 *	as JSON as the store writes it, so the codec sees parsed values too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "extract.h"
#include "record_json.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum parse_status
on_records(void *arg, const struct dmarc_report *hdr,
    struct dmarc_record *recs, size_t n)
{
	(void) arg;
	(void) hdr;
	free(record_json_write_records(recs, n, NULL));
	return (PARSE_OK);
}

static enum parse_status
on_report(void *arg, struct report *r, const char *where)
{
	(void) arg;
	(void) where;
	free(record_json_write_report(r, RECORD_JSON_TYPE, NULL));
	report_free(r);
	return (PARSE_OK);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	struct extract_sink sink = { on_records, on_report, NULL, NULL };
	struct parse_limits limits;
	struct message_info info;
	struct parse_error err;

	if (!initialised) {
		extract_init();
		initialised = 1;
	}
	parse_limits_default(&limits);
	parse_error_clear(&err);
	extract_message((const char *) data, size, &limits, &sink, &info, &err);
	message_info_clear(&info);
	return (0);
}
