/*
 * NAME
 *	record_json.h - the one JSON codec of the record model
 * PURPOSE
 *	Writes External report objects as the schema's JSON (Stalwart's
 *	names, nesting and enum spellings; RFC 3339 UTC times; null for
 *	absent optionals; [] for absent lists) and reads that JSON back.
 *	Every program that prints or stores a record goes through here.
 */
#ifndef RECORD_JSON_H
#define RECORD_JSON_H

#include <stddef.h>

#include "parse.h"
#include "record.h"

enum record_json_flags {
	RECORD_JSON_TYPE = 1 << 0,	/* add "@type" first */
	RECORD_JSON_PRETTY = 1 << 1	/* indent two spaces per level */
};

/* "DmarcExternalReport", "TlsExternalReport" or "ArfExternalReport". */
const char *record_json_type_name(enum record_type);

/*
 * The JSON text of an External report (flags: enum record_json_flags),
 * NUL-terminated, owned by the caller (free()). *len (may be NULL) gets
 * its length. Returns NULL when out of memory.
 */
char   *record_json_write(const struct external_report *x, unsigned flags,
	    size_t *len);

/*
 * The JSON text of the report alone (DmarcReport, TlsReport or
 * ArfFeedbackReport), as record_json_write().
 */
char   *record_json_write_report(const struct report *r, unsigned flags,
	    size_t *len);

/*
 * Reads the JSON of an External report (as written above; "@type" may be
 * present, and "id" may be absent). When "@type" is absent, the type is
 * told from the report's members. On PARSE_OK *out is the caller's.
 * Returns PARSE_INVALID (not JSON, wrong shape, an unknown enum
 * spelling, a bad time) or PARSE_NOMEM; err says which member. Unknown
 * members are ignored.
 */
enum parse_status record_json_read(const char *text, size_t len,
    struct external_report **out, struct parse_error *err);

/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 32 bytes). */
void	record_json_time(int64_t t, char *buf, size_t size);

#endif
