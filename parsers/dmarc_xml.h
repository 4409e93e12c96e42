/*
 * NAME
 *	dmarc_xml.h - streaming DMARC aggregate report parser
 * PURPOSE
 *	Reads an RFC 7489 or RFC 9990 (DMARCbis) aggregate report from XML
 *	handed over in chunks of any size, without ever holding a tree of the
 *	whole document. Records reach the caller in batches through a
 *	callback, so a report of any number of records is parsed in bounded
 *	memory. No DTD is loaded, no entity is expanded, nothing is fetched.
 *
 *	Where DMARCbis elements without a Stalwart field go: report-level
 *	<generator>, <policy_published> <np>, <discovery_method>, <testing>
 *	and any other unknown policy element become report extensions named
 *	after the element ("np", "discovery_method", ...), their text the
 *	definition; unknown report-level and record-level elements become
 *	extensions of the report or the record.
 */
#ifndef DMARC_XML_H
#define DMARC_XML_H

#include <stddef.h>

#include "parse.h"
#include "record.h"

struct dmarc_xml;

/*
 * Receives a batch of parsed records. hdr is the report as read so far
 * (metadata and policy are complete once they precede the records, as in
 * every report seen). The records are borrowed: the parser frees them when
 * the callback returns; a callback that keeps one moves its contents out
 * and zeroes it. Return PARSE_OK to go on; any other status stops the
 * parse, and dmarc_xml_feed()/dmarc_xml_finish() return it.
 */
typedef enum parse_status (*dmarc_batch_fn)(void *arg,
    const struct dmarc_report *hdr, struct dmarc_record *recs, size_t n);

/*
 * Creates a parser. limits is borrowed and must outlive the parser. With
 * batch NULL, every record is kept in the report that dmarc_xml_finish()
 * returns. Returns NULL when out of memory.
 */
struct dmarc_xml *dmarc_xml_new(const struct parse_limits *limits,
    dmarc_batch_fn batch, void *arg);

/*
 * Parses the next len bytes. Returns PARSE_OK, PARSE_INVALID (not
 * well-formed, or not a DMARC report: root is not <feedback>), PARSE_LIMIT
 * (nesting or a value too large), PARSE_NOMEM, or the status a batch
 * callback returned; err then says why. After a failure, only
 * dmarc_xml_free() may be called.
 */
enum parse_status dmarc_xml_feed(struct dmarc_xml *, const char *buf,
    size_t len, struct parse_error *err);

/*
 * Ends the document, hands the last batch to the callback and returns the
 * report in *out (the caller owns it; with a batch callback its records
 * list is empty). A record that could not be read does not fail the
 * report: its reason is appended to the report's errors. Fails with
 * PARSE_INVALID when the document is truncated or lacks a required field
 * (report id, both dates, policy domain), else as dmarc_xml_feed().
 */
enum parse_status dmarc_xml_finish(struct dmarc_xml *, struct report **out,
    struct parse_error *err);

/* Frees the parser and whatever it still holds; NULL is fine. */
void	dmarc_xml_free(struct dmarc_xml *);

/* Parses a whole buffer: dmarc_xml_new + feed + finish + free, records kept. */
enum parse_status dmarc_xml_parse(const char *buf, size_t len,
    const struct parse_limits *limits, struct report **out,
    struct parse_error *err);

#endif
