/* SPDX-License-Identifier: BSD-2-Clause */
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
 *	Elements are matched by local name, so a report in the RFC 9990
 *	namespace (prefixed or default) reads as one without. Values are
 *	compared without regard to case and white space around them is
 *	dropped. Variants map to the schema's enums: "r"/"relaxed",
 *	"Pass", "softfail"/"soft-fail", "temperror", "hardfail" (fail),
 *	"unknown" (permError), "error" (tempError), "mfrom" (mailFrom),
 *	"sampled_out"/"sampled-out" (SampledOut), "1337270400.0"
 *	(truncated to whole seconds).
 *
 *	Nothing a report says is dropped without a trace:
 *	- report-level <generator>, <policy_published> <np>,
 *	  <discovery_method> and any other unknown element of <feedback>,
 *	  <report_metadata> or <policy_published> become report extensions
 *	  named after the element's local name, their text (of the whole
 *	  subtree, trimmed) the definition; unknown elements inside a
 *	  <record> become extensions of that record;
 *	- <pct> and <testing> set policyTestingMode (pct < 100, testing=y)
 *	  and are kept as extensions too ("pct", "testing");
 *	- DMARCbis <extensions><extension name=".." definition=".."> become
 *	  extensions with those attributes (the text stands in for a
 *	  missing definition);
 *	- a known element whose value spells no enum value (p "bogus", an
 *	  evaluated dkim "softfail") leaves the field unspecified and is kept
 *	  as an extension named after the element (report or record level);
 *	  an unknown DKIM/SPF result becomes "none" with the original text in
 *	  humanResult (before any human_result, "text: human"); an unknown
 *	  override type becomes Other with its text in the comment ("type:
 *	  comment");
 *	- <policy_published> <version> or <version_published> is
 *	  policyVersion.
 *
 *	A record with a value that cannot be used is kept, with the default
 *	for that value: a <count> that is not a number counts 0, a
 *	<source_ip> that is not an IP address is null; the report's errors
 *	get "record N: <count> is not a number: '...'". A missing <count>
 *	is 0 and a missing string "" (or null where the schema allows),
 *	without an error. Caps that keep hostile input bounded: 1000 report
 *	errors, 1000 report extensions, 256 each of reasons, DKIM results,
 *	SPF results and extensions per record (the rest dropped, said once
 *	in the errors).
 *
 *	Caveat: with a batch callback, the header is checked for the required
 *	fields before the first batch leaves, so metadata and policy must
 *	precede the 256th record (they precede every record in every report
 *	seen); a callback never receives records of a report that is then
 *	refused for a missing field. A document found truncated or not
 *	well-formed after some batches left is still refused: a caller that
 *	stores batches must be able to drop them (one transaction). Call
 *	xmlInitParser() once before threads start, as libxml2 wants.
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
 * Creates a parser. limits is borrowed and must outlive the parser; it
 * uses xml_depth (element nesting, else PARSE_LIMIT) and field_bytes
 * (one value or attribute, else PARSE_LIMIT). With batch NULL, every
 * record is kept in the report that dmarc_xml_finish() returns; with a
 * callback, records are handed over 256 at a time and memory stays
 * bounded whatever the report's size. Returns NULL when out of memory.
 */
struct dmarc_xml *dmarc_xml_new(const struct parse_limits *limits,
    dmarc_batch_fn batch, void *arg);

/*
 * Parses the next len bytes. Any split of the document reads the same
 * report, or refuses it; of a document with several faults (a value over
 * the cap and, later, bytes that are not UTF-8), which one is named can
 * depend on where the slices end.
 * Returns PARSE_OK, PARSE_INVALID (not well-formed, with libxml2's
 * message, line and column; or root is not <feedback>), PARSE_LIMIT
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
