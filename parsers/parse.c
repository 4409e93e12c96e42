/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	parse - statuses, reasons and limits shared by the parsers
 */
#include <stdarg.h>
#include <stdio.h>

#include "parse.h"

void
parse_error_set(struct parse_error *err, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL || err->reason[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
}

void
parse_error_clear(struct parse_error *err)
{
	if (err != NULL)
		err->reason[0] = '\0';
}

const char *
parse_status_name(enum parse_status st)
{
	switch (st) {
	case PARSE_OK:
		return ("ok");
	case PARSE_NOT_REPORT:
		return ("not a report");
	case PARSE_INVALID:
		return ("unparsable");
	case PARSE_LIMIT:
		return ("limit reached");
	case PARSE_NOMEM:
		return ("out of memory");
	case PARSE_STOPPED:
		return ("stopped");
	}
	return ("unknown status");
}

/*
 * The defaults let the largest real reports through with room to spare
 * (a 100,000-record DMARC report is about 73 MB of XML) while keeping a
 * decompression bomb to a bounded amount of work. Memory does not grow
 * with part_bytes for DMARC, which streams; json_bytes bounds the one
 * format that is read whole.
 */
void
parse_limits_default(struct parse_limits *l)
{
	l->part_bytes = (size_t) 512 << 20;
	l->message_bytes = (size_t) 1024 << 20;
	l->mime_depth = 32;
	l->mime_parts = 1000;
	l->zip_members = 64;
	l->gzip_layers = 4;
	l->json_bytes = (size_t) 64 << 20;
	l->returned_message_bytes = (size_t) 1 << 20;
	l->xml_depth = 64;
	l->field_bytes = (size_t) 64 << 10;
}
