/*
 * NAME
 *	rq_object.h - one exported External report, read back
 * PURPOSE
 *	import reads what export wrote. The codec reads a whole object into
 *	one json-c tree, which for a DMARC report of 100,000 records takes
 *	some fifteen times the text; this reads the object without its
 *	records, then the records a slice at a time, so that only the
 *	records themselves are held.
 */
#ifndef RQ_OBJECT_H
#define RQ_OBJECT_H

#include <stddef.h>

#include "parse.h"
#include "record.h"
#include "store.h"

/* Records read per slice. */
#define RQ_OBJECT_BATCH	1000

/*
 * Reads the External report object obj[0..len) (as record_json_read()
 * takes it). When seen is not NULL it gets what export writes in front
 * of the report, "@duplicates" and "@lastSeen" (zero when absent). On
 * PARSE_OK *out is the caller's, a DMARC report's records in memory.
 * Returns PARSE_INVALID (err says where) or PARSE_NOMEM.
 */
enum parse_status rq_object_read(const char *obj, size_t len,
    struct external_report **out, struct store_meta *seen,
    struct parse_error *err);

#endif
