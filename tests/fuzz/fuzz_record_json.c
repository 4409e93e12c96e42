/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	fuzz_record_json - libFuzzer harness for the JSON reader of the codec
 * PURPOSE
 *	The store reads back what it wrote, and report-query import reads
 *	what anyone exported: an input that opens with '[' goes to
 *	record_json_read_records() (a stored chunk of DMARC records), any
 *	other to record_json_read() (an External report). Whatever reads
 *	must write and read back as the same thing.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record_json.h"
#include "roundtrip.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads a chunk of records, writes it and reads that back: same text. */
static void
records(const char *text, size_t len)
{
	struct dmarc_record *v = NULL, *w = NULL;
	struct parse_error err;
	size_t	n = 0, m = 0, i, l1, l2;
	char   *t1 = NULL, *t2 = NULL;

	parse_error_clear(&err);
	if (record_json_read_records(text, len, &v, &n, &err) != PARSE_OK)
		return;
	if ((t1 = record_json_write_records(v, n, &l1)) != NULL &&
	    record_json_read_records(t1, l1, &w, &m, &err) != PARSE_OK)
		abort();	/* the codec cannot read what it wrote */
	if (w != NULL && (t2 = record_json_write_records(w, m, &l2)) != NULL &&
	    (l1 != l2 || memcmp(t1, t2, l1) != 0))
		abort();	/* it reads as other records */
	for (i = 0; i < n; i++)
		dmarc_record_clear(&v[i]);
	for (i = 0; i < m; i++)
		dmarc_record_clear(&w[i]);
	free(v);
	free(w);
	free(t1);
	free(t2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct external_report *x = NULL;
	struct parse_error err;

	if (size > 0 && data[0] == '[') {
		records((const char *) data, size);
		return (0);
	}
	parse_error_clear(&err);
	if (record_json_read((const char *) data, size, &x, &err) == PARSE_OK)
		roundtrip_check(x);
	external_report_free(x);
	return (0);
}
