/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_object.h - one exported External report, read back for import
 * PURPOSE
 *	import reads what export wrote. The codec reads a whole object into
 *	one json-c tree, which for a DMARC report of 100,000 records takes
 *	some fifteen times the text, and the records themselves take some
 *	more; this reads the object without its records and leaves their
 *	text to ingest_external(), which stores them a batch at a time.
 */
#ifndef RQ_OBJECT_H
#define RQ_OBJECT_H

#include <stddef.h>

#include "parse.h"
#include "record.h"
#include "store.h"

/*
 * Reads the External report object obj[0..len) (as record_json_read()
 * takes it) without the records of a DMARC report: *records and *rlen
 * get where their array's text is in obj (NULL and 0 when it is not a
 * DMARC report with a records array). When seen is not NULL it gets
 * what export writes in front of the report, "@duplicates" and
 * "@lastSeen" (zero when absent); (*out)->authenticated is what
 * "@authenticated" said (null when absent). On PARSE_OK *out is the caller's.
 * Returns PARSE_INVALID (err says where) or PARSE_NOMEM.
 */
enum parse_status rq_object_read_head(const char *obj, size_t len,
    struct external_report **out, struct store_meta *seen,
    const char **records, size_t *rlen, struct parse_error *err);

#endif
