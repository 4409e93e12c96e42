/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	extract_part - from the bytes of one report part to a report
 * PURPOSE
 *	The bytes of a part (or of a bare file) go through inflate_data();
 *	the text that comes out is told apart by its first significant byte
 *	(a UTF-8 byte order mark and white space skipped): '<' is DMARC XML,
 *	streamed into the push parser as it arrives; '{' is TLS-RPT JSON,
 *	gathered up to limits->json_bytes and parsed whole; anything else is
 *	no report, and the decoding stops at once. The report goes to the
 *	caller's on_report, failures to on_failure.
 *
 *	Two kinds of trouble are kept apart: a part that cannot be used is a
 *	failure of that part (the walk goes on to the next part), while
 *	running out of memory or a caller's callback saying stop ends the
 *	walk (w->stop), and a cap of the whole message ends it softly
 *	(w->halted: what was found is kept).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arf.h"
#include "dmarc_xml.h"
#include "extract.h"
#include "extract_part.h"
#include "inflate.h"
#include "parse.h"
#include "record.h"
#include "tlsrpt_json.h"

enum sniff_mode {
	MODE_SNIFF,		/* only white space (or a BOM) seen so far */
	MODE_XML,
	MODE_JSON,
	MODE_OTHER		/* not a report: decoding was stopped */
};

/* The text of one part as it leaves inflate_data(). */
struct part_decode {
	struct extract_walk *w;
	struct parse_error *perr;	/* the part's reason */
	enum sniff_mode mode;
	size_t	seen;			/* bytes looked at while sniffing */
	size_t	bom;			/* of them, bytes of a UTF-8 BOM */
	struct dmarc_xml *xml;
	char   *json;
	size_t	json_len, json_cap;
};

/* Passes a batch to the caller, remembering a status that stops the walk. */
static enum parse_status
batch_relay(void *arg, const struct dmarc_report *hdr,
    struct dmarc_record *recs, size_t n)
{
	struct part_decode *d = arg;
	enum parse_status ps;

	ps = d->w->sink->on_dmarc_records(d->w->sink->arg, hdr, recs, n);
	if (ps != PARSE_OK && d->w->stop == PARSE_OK)
		d->w->stop = ps;
	return (ps);
}

/* Skips a BOM and white space; on the first other byte, picks the mode. */
static enum parse_status
decode_sniff(struct part_decode *d, const char **buf, size_t *len)
{
	static const unsigned char bom[3] = { 0xef, 0xbb, 0xbf };
	unsigned char c;

	while (*len > 0 && d->mode == MODE_SNIFF) {
		c = (unsigned char) **buf;
		if (d->seen < 3 && d->seen == d->bom && c == bom[d->seen])
			d->bom++;
		else if (c == '<')
			d->mode = MODE_XML;
		else if (c == '{')
			d->mode = MODE_JSON;
		else if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			d->mode = MODE_OTHER;
		if (d->mode != MODE_SNIFF)
			break;
		d->seen++;
		(*buf)++;
		(*len)--;
	}
	if (d->mode == MODE_OTHER)
		return (PARSE_STOPPED);	/* no report: read no further */
	if (d->mode == MODE_XML) {
		d->xml = dmarc_xml_new(d->w->limits,
		    d->w->sink->on_dmarc_records != NULL ? batch_relay : NULL, d);
		if (d->xml == NULL) {
			parse_error_set(d->perr, "out of memory");
			return (PARSE_NOMEM);
		}
	}
	return (PARSE_OK);
}

/* Appends to the JSON text, which json-c needs whole. */
static enum parse_status
decode_json(struct part_decode *d, const char *buf, size_t len)
{
	size_t	cap;
	char   *p;

	if (len > d->w->limits->json_bytes - d->json_len) {
		parse_error_set(d->perr, "TLS-RPT JSON exceeds %zu bytes",
		    d->w->limits->json_bytes);
		return (PARSE_LIMIT);
	}
	if (len > d->json_cap - d->json_len) {
		cap = d->json_cap > 0 ? d->json_cap : 16384;
		while (cap - d->json_len < len)
			cap = cap > d->w->limits->json_bytes / 2 ?
			    d->w->limits->json_bytes : cap * 2;
		if ((p = realloc(d->json, cap)) == NULL) {
			parse_error_set(d->perr, "out of memory");
			return (PARSE_NOMEM);
		}
		d->json = p;
		d->json_cap = cap;
	}
	memcpy(d->json + d->json_len, buf, len);
	d->json_len += len;
	return (PARSE_OK);
}

/* inflate_data()'s sink: counts the message's bytes, sniffs, parses. */
static enum parse_status
decode_sink(void *arg, const char *buf, size_t len)
{
	struct part_decode *d = arg;
	struct extract_walk *w = d->w;
	enum parse_status ps;

	if (len > w->limits->message_bytes - w->message_out) {
		parse_error_set(d->perr,
		    "decompressed size of the message exceeds %zu bytes",
		    w->limits->message_bytes);
		w->halted = true;
		return (PARSE_LIMIT);
	}
	w->message_out += len;
	if (d->mode == MODE_SNIFF &&
	    (ps = decode_sniff(d, &buf, &len)) != PARSE_OK)
		return (ps);
	if (len == 0)
		return (PARSE_OK);
	if (d->mode == MODE_XML)
		return (dmarc_xml_feed(d->xml, buf, len, d->perr));
	return (decode_json(d, buf, len));
}

/* Ends the text: the report, or why there is none. */
static enum parse_status
decode_finish(struct part_decode *d, bool claimed, struct report **out)
{
	*out = NULL;
	if (d->mode == MODE_XML)
		return (dmarc_xml_finish(d->xml, out, d->perr));
	if (d->mode == MODE_JSON)
		return (tlsrpt_json_parse(d->json, d->json_len, d->w->limits,
		    out, d->perr));
	if (claimed)
		parse_error_set(d->perr, "unrecognised content");
	return (claimed ? PARSE_INVALID : PARSE_NOT_REPORT);
}

void
extract_fail(struct extract_walk *w, const char *where,
    enum parse_status status, const char *reason)
{
	if (w->first_failure == PARSE_OK) {
		w->first_failure = status;
		parse_error_set(w->err, "%s", reason);
	}
	if (w->sink->on_failure != NULL)
		w->sink->on_failure(w->sink->arg, where, status, reason);
}

/* Hands a report over; the caller owns it whatever it answers. */
static void
deliver(struct extract_walk *w, struct report *rep, const char *where)
{
	enum parse_status ps = PARSE_OK;

	w->reports++;
	if (w->sink->on_report != NULL)
		ps = w->sink->on_report(w->sink->arg, rep, where);
	else
		report_free(rep);
	if (ps != PARSE_OK && w->stop == PARSE_OK)
		w->stop = ps;
}

/* What became of a part: delivered, failed, or passed over. */
static void
part_outcome(struct extract_walk *w, enum parse_status ps,
    struct report *rep, const char *where, const char *reason, bool claimed)
{
	if (ps == PARSE_OK) {
		deliver(w, rep, where);
		return;
	}
	report_free(rep);
	if (ps == PARSE_NOMEM && w->stop == PARSE_OK)
		w->stop = PARSE_NOMEM;
	if (w->stop != PARSE_OK && ps != PARSE_NOMEM)
		return;		/* the caller's own callback said stop */
	if (ps == PARSE_NOT_REPORT || ps == PARSE_STOPPED)
		return;
	if (claimed || w->halted || ps == PARSE_NOMEM)
		extract_fail(w, where, ps, reason[0] ? reason :
		    parse_status_name(ps));
}

enum parse_status
extract_part(struct extract_walk *w, const unsigned char *data, size_t len,
    const char *where, bool claimed)
{
	struct parse_error perr = { "" };
	struct part_decode d;
	struct report *rep = NULL;
	enum parse_status ps;
	char	layers[300], full[600];

	if (w->stop != PARSE_OK || w->halted)
		return (w->stop);
	memset(&d, 0, sizeof(d));
	d.w = w;
	d.perr = &perr;
	ps = inflate_data(data, len, w->limits, decode_sink, &d, layers,
	    sizeof(layers), &perr);
	if (ps == PARSE_STOPPED && d.mode == MODE_OTHER)
		ps = PARSE_OK;		/* sniffing said no: finish says so */
	if (ps == PARSE_OK)
		ps = decode_finish(&d, claimed, &rep);
	/* The report is read: its text is not kept while it is stored. */
	free(d.json);
	snprintf(full, sizeof(full), "%s%s%s", where, layers[0] ? " > " : "",
	    layers);
	part_outcome(w, ps, rep, full, perr.reason, claimed);
	dmarc_xml_free(d.xml);
	return (w->stop);
}

enum parse_status
extract_arf(struct extract_walk *w, const char *fields, size_t len,
    const char *returned, size_t returned_len, bool headers_only,
    const char *where)
{
	struct parse_error perr = { "" };
	struct report *rep = NULL;
	enum parse_status ps;

	if (w->stop != PARSE_OK || w->halted)
		return (w->stop);
	ps = arf_parse(fields, len, returned, returned_len, headers_only,
	    w->limits, &rep, &perr);
	part_outcome(w, ps, rep, where, perr.reason, true);
	return (w->stop);
}
