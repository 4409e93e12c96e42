/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	roundtrip - write, read back, write again: the texts must match
 */
#include <stdlib.h>
#include <string.h>

#include "record_json.h"
#include "roundtrip.h"

void
roundtrip_check(const struct external_report *x)
{
	struct external_report *y = NULL;
	struct parse_error err;
	char   *t1, *t2 = NULL;
	size_t	n1, n2;

	if ((t1 = record_json_write(x, RECORD_JSON_TYPE, &n1)) == NULL)
		return;
	parse_error_clear(&err);
	switch (record_json_read(t1, n1, &y, &err)) {
	case PARSE_OK:
		break;
	case PARSE_NOMEM:
		free(t1);
		return;
	default:
		abort();	/* the codec cannot read what it wrote */
	}
	t2 = record_json_write(y, RECORD_JSON_TYPE, &n2);
	if (t2 != NULL && (n1 != n2 || memcmp(t1, t2, n1) != 0))
		abort();	/* it reads as another report */
	free(t1);
	free(t2);
	external_report_free(y);
}

void
roundtrip_report(struct report *r)
{
	struct external_report *x = external_report_new();

	if (x == NULL) {
		report_free(r);
		return;
	}
	x->report = r;
	roundtrip_check(x);
	external_report_free(x);
}
