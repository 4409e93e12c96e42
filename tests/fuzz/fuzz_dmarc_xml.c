/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	fuzz_dmarc_xml - libFuzzer harness for the streaming DMARC XML parser
 * PURPOSE
 *	Parses the input twice with the daemon's default limits: whole, with
 *	every record kept (dmarc_xml_parse), and fed in slices of sizes drawn
 *	from the input's own hash with records leaving in batches, as the
 *	message walk feeds it. dmarc_xml.h promises that any split reads the
 *	same report or refuses it, so both must agree on whether it was read
 *	and, when both read it, on the report's JSON; a difference aborts.
 *	(Which fault a refused document is refused for may differ: a value
 *	over the cap can be met before bytes that are not UTF-8 in one split
 *	and after them in another.) The one documented exception: a report
 *	whose metadata follows its 256th record is refused in batch mode
 *	only.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc_xml.h"
#include "extract.h"
#include "record_json.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Moves each batch's records into *arg, a report of the caller's. */
static enum parse_status
keep(void *arg, const struct dmarc_report *hdr, struct dmarc_record *recs,
    size_t n)
{
	struct dmarc_report *kept = arg;
	size_t	i;

	(void) hdr;
	for (i = 0; i < n; i++)
		if (dmarc_report_add_record(kept, &recs[i]) < 0)
			return (PARSE_NOMEM);
	return (PARSE_OK);
}

/* Feeds data in slices of 1..4096 bytes; returns the status. */
static enum parse_status
sliced(const uint8_t *data, size_t size, const struct parse_limits *limits,
    struct report **out, struct dmarc_report *kept)
{
	struct dmarc_xml *p = dmarc_xml_new(limits, keep, kept);
	struct parse_error err;
	enum parse_status st = PARSE_OK;
	uint32_t h = 2166136261u;
	size_t	off = 0, n;

	if (p == NULL)
		return (PARSE_NOMEM);
	for (n = 0; n < size; n++)
		h = (h ^ data[n]) * 16777619u;
	parse_error_clear(&err);
	while (st == PARSE_OK && off < size) {
		h = h * 1103515245u + 12345u;
		n = 1 + (h >> 8) % ((h & 0x80) ? 16 : 4096);
		n = n < size - off ? n : size - off;
		st = dmarc_xml_feed(p, (const char *) data + off, n, &err);
		off += n;
	}
	if (st == PARSE_OK)
		st = dmarc_xml_finish(p, out, &err);
	dmarc_xml_free(p);
	return (st);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	struct parse_limits limits;
	struct parse_error err;
	struct report *whole = NULL, *part = NULL;
	struct dmarc_report kept;
	enum parse_status s1, s2;
	char   *j1, *j2;

	if (!initialised) {
		extract_init();	/* libxml2 wants its init first */
		initialised = 1;
	}
	parse_limits_default(&limits);
	memset(&kept, 0, sizeof(kept));
	parse_error_clear(&err);
	s1 = dmarc_xml_parse((const char *) data, size, &limits, &whole, &err);
	s2 = sliced(data, size, &limits, &part, &kept);
	if (s1 == PARSE_OK && s2 == PARSE_OK) {
		part->u.dmarc.records = kept.records;
		part->u.dmarc.n_records = kept.n_records;
		part->u.dmarc.cap_records = kept.cap_records;
		memset(&kept, 0, sizeof(kept));
		j1 = record_json_write_report(whole, 0, NULL);
		j2 = record_json_write_report(part, 0, NULL);
		if (j1 != NULL && j2 != NULL && strcmp(j1, j2) != 0)
			abort();	/* the split changed what was read */
		free(j1);
		free(j2);
	} else if ((s1 == PARSE_OK) != (s2 == PARSE_OK) &&
	    s1 != PARSE_NOMEM && s2 != PARSE_NOMEM &&
	    !(s1 == PARSE_OK && s2 == PARSE_INVALID &&
	    whole->u.dmarc.n_records >= 256))
		abort();	/* the split changed whether it was read */
	dmarc_report_clear_records(&kept);
	report_free(whole);
	report_free(part);
	return (0);
}
