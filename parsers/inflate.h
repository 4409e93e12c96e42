/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	inflate.h - gzip and zip, decoded as they stream, within caps
 * PURPOSE
 *	Turns the bytes of a report part into the report text: plain data
 *	passes through; gzip (also gzip inside gzip, and concatenated members)
 *	is inflated with zlib; from a zip archive the report member is read
 *	with libzip. Output goes to a callback in chunks, so nothing larger
 *	than a chunk is ever held, and never more than limits->part_bytes
 *	leaves (a bomb ends in PARSE_LIMIT).
 */
#ifndef INFLATE_H
#define INFLATE_H

#include <stddef.h>

#include "parse.h"

/*
 * Receives the next chunk of decoded text. Return PARSE_OK to go on;
 * anything else stops the decoding and inflate_data() returns it.
 */
typedef enum parse_status (*inflate_sink_fn)(void *arg, const char *buf,
    size_t len);

/*
 * Decodes data[0..len) into sink. layers (may be NULL) receives a short
 * description of the containers crossed, e.g. "gzip > gzip" or
 * "zip:report.xml" (NUL-terminated, cut at layers_size). A zip archive
 * yields its report member: the first regular entry named *.xml or
 * *.json, else the first non-empty regular entry; an encrypted member is
 * refused. Returns PARSE_OK, PARSE_INVALID (corrupt or truncated data,
 * encrypted member, empty archive), PARSE_LIMIT (more than
 * limits->part_bytes of output, more than limits->zip_members entries or
 * limits->gzip_layers nested gzip layers), PARSE_NOMEM, or the sink's
 * status; err says why.
 */
enum parse_status inflate_data(const unsigned char *data, size_t len,
    const struct parse_limits *limits, inflate_sink_fn sink, void *arg,
    char *layers, size_t layers_size, struct parse_error *err);

#endif
