/* SPDX-License-Identifier: BSD-2-Clause */
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

/*
 * The JSON array of n DMARC records (DmarcReportRecord), compact, as the
 * store keeps a chunk of them. Owned by the caller; NULL: out of memory.
 */
char   *record_json_write_records(const struct dmarc_record *recs, size_t n,
	    size_t *len);

/*
 * Reads an array written by record_json_write_records() into *out (n
 * records, owned by the caller: dmarc_record_clear() each, then free()).
 * Returns PARSE_OK, PARSE_INVALID or PARSE_NOMEM.
 */
enum parse_status record_json_read_records(const char *text, size_t len,
    struct dmarc_record **out, size_t *n, struct parse_error *err);

/*
 * Reads the JSON array text[0..len) of DmarcReportRecord objects (an
 * exported report's records, of any length) batch records at a time:
 * fn(arg, recs, n) for each batch, recs borrowed (cleared once fn
 * returns; fn may take a record's contents and zero it). Stops at fn's
 * first status other than PARSE_OK and returns it. Returns PARSE_OK,
 * PARSE_INVALID (err says why) or PARSE_NOMEM.
 */
enum parse_status record_json_read_records_each(const char *text, size_t len,
    size_t batch, enum parse_status (*fn)(void *, struct dmarc_record *,
    size_t), void *arg, struct parse_error *err);

/*
 * For printing a DMARC report whose records stream from the store: the
 * text of x (as record_json_write() with flags) cut where the records go.
 * Print *head, then each record as record_json_write_record() gives it
 * with a "," between two records, then *tail: the text is the same as
 * record_json_write() of x with those records in it. has_records says
 * whether any record will be printed (a pretty "[]" has no line end).
 * x's own records list must be empty. Both strings are the caller's.
 * Returns 0, or -1 when out of memory.
 */
int	record_json_write_split(const struct external_report *x, unsigned flags,
	    int has_records, char **head, char **tail);

/*
 * One DmarcReportRecord as text for its place between record_json_write_split()'s
 * head and tail: with RECORD_JSON_PRETTY it opens with a line end and is
 * indented as record_json_write() indents it. NULL: out of memory.
 */
char   *record_json_write_record(const struct dmarc_record *rec, unsigned flags,
	    size_t *len);

/* The lists of a DmarcReportRecord, in the order they are written. */
enum {
	RECORD_JSON_OVERRIDES,	/* policyOverrideReasons */
	RECORD_JSON_DKIM,	/* dkimResults */
	RECORD_JSON_SPF,	/* spfResults */
	RECORD_JSON_EXT,	/* extensions */
	RECORD_JSON_LISTS
};

/* Where each list's text ("[...]") lies in a record's text. */
struct record_json_lists {
	size_t	off[RECORD_JSON_LISTS];
	size_t	len[RECORD_JSON_LISTS];
};

/*
 * The compact text of one record, as record_json_write_record() gives it
 * without flags, and where its lists lie in it (into *lists), for a
 * reader that passes them on as JSON. Owned by the caller; NULL: out of
 * memory.
 */
char   *record_json_write_record_lists(const struct dmarc_record *rec,
	    size_t *len, struct record_json_lists *lists);

/*
 * n records as record_json_write_record() writes each, with "," between
 * two, and before the first too unless first is set (a batch that
 * follows records already printed). Owned by the caller; NULL: out of
 * memory.
 */
char   *record_json_write_record_list(const struct dmarc_record *recs,
	    size_t n, unsigned flags, int first, size_t *len);

/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 32 bytes). */
void	record_json_time(int64_t t, char *buf, size_t size);

#endif
