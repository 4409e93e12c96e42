/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	dmarc_xml - streaming DMARC aggregate report parser (libxml2 SAX2)
 * PURPOSE
 *	Turns the XML of an RFC 7489 or RFC 9990 aggregate report into a
 *	struct dmarc_report, chunk by chunk. A document of up to
 *	DMARC_XML_HOLD bytes (most reports) is held and parsed whole from
 *	memory at the end, which costs libxml2 a sixth less than its push
 *	parser; a longer one goes through the push parser as it comes.
 *	No tree is built: a stack of small frames (one per open element)
 *	says where the parser is, one bounded buffer gathers the text of the
 *	element being read, and one record is under construction at a time.
 *	Finished records go to the caller's batch callback every
 *	DMARC_XML_BATCH records, so memory does not grow with the report.
 *
 *	Elements are matched by local name only, so the DMARCbis namespace
 *	and its absence read the same. What each element becomes is one
 *	table (rules[]); the text-to-enum mapping lives in dmarc_values.c and
 *	storing a value into the model in dmarc_fields.c.
 *
 *	Security: no DTD is loaded, no entity is declared (the SAX entity
 *	handlers record nothing and resolve nothing), nothing is fetched
 *	(XML_PARSE_NONET), so a reference to an entity other than the five
 *	predefined ones is either a well-formedness error or dropped.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "dmarc_fields.h"
#include "dmarc_xml.h"
#include "parse.h"
#include "record.h"

/* libxml2 is handed at most this much at a time (see dmarc_xml_feed). */
#define DMARC_XML_SLICE	((size_t) 16 << 10)
/* A document this long or shorter is parsed from memory, in one go. */
#define DMARC_XML_HOLD	((size_t) 512 << 10)

/* What one element names, given the element that holds it. */
struct dmarc_rule {
	enum dmarc_ctx parent;
	const char *name;
	enum dmarc_ctx ctx;
	enum dmarc_field field;
};

static const struct dmarc_rule rules[] = {
	{ DCTX_FEEDBACK, "version", DCTX_LEAF, DF_VERSION },
	{ DCTX_FEEDBACK, "report_metadata", DCTX_METADATA, DF_NONE },
	{ DCTX_FEEDBACK, "policy_published", DCTX_POLICY, DF_NONE },
	{ DCTX_FEEDBACK, "record", DCTX_RECORD, DF_NONE },
	{ DCTX_FEEDBACK, "extensions", DCTX_EXTENSIONS, DF_NONE },
	{ DCTX_METADATA, "org_name", DCTX_LEAF, DF_ORG_NAME },
	{ DCTX_METADATA, "email", DCTX_LEAF, DF_EMAIL },
	{ DCTX_METADATA, "extra_contact_info", DCTX_LEAF, DF_EXTRA_CONTACT },
	{ DCTX_METADATA, "report_id", DCTX_LEAF, DF_REPORT_ID },
	{ DCTX_METADATA, "error", DCTX_LEAF, DF_ERROR },
	{ DCTX_METADATA, "date_range", DCTX_DATE_RANGE, DF_NONE },
	{ DCTX_DATE_RANGE, "begin", DCTX_LEAF, DF_BEGIN },
	{ DCTX_DATE_RANGE, "end", DCTX_LEAF, DF_END },
	{ DCTX_POLICY, "domain", DCTX_LEAF, DF_POLICY_DOMAIN },
	{ DCTX_POLICY, "adkim", DCTX_LEAF, DF_ADKIM },
	{ DCTX_POLICY, "aspf", DCTX_LEAF, DF_ASPF },
	{ DCTX_POLICY, "p", DCTX_LEAF, DF_P },
	{ DCTX_POLICY, "sp", DCTX_LEAF, DF_SP },
	{ DCTX_POLICY, "pct", DCTX_LEAF, DF_PCT },
	{ DCTX_POLICY, "fo", DCTX_LEAF, DF_FO },
	{ DCTX_POLICY, "testing", DCTX_LEAF, DF_TESTING },
	{ DCTX_POLICY, "version", DCTX_LEAF, DF_POLICY_VERSION },
	{ DCTX_POLICY, "version_published", DCTX_LEAF, DF_POLICY_VERSION },
	{ DCTX_RECORD, "row", DCTX_ROW, DF_NONE },
	{ DCTX_RECORD, "identifiers", DCTX_IDENTIFIERS, DF_NONE },
	{ DCTX_RECORD, "identities", DCTX_IDENTIFIERS, DF_NONE },
	{ DCTX_RECORD, "auth_results", DCTX_AUTH, DF_NONE },
	{ DCTX_RECORD, "extensions", DCTX_EXTENSIONS, DF_NONE },
	{ DCTX_ROW, "source_ip", DCTX_LEAF, DF_SOURCE_IP },
	{ DCTX_ROW, "count", DCTX_LEAF, DF_COUNT },
	{ DCTX_ROW, "policy_evaluated", DCTX_EVALUATED, DF_NONE },
	{ DCTX_EVALUATED, "disposition", DCTX_LEAF, DF_DISPOSITION },
	{ DCTX_EVALUATED, "dkim", DCTX_LEAF, DF_EVAL_DKIM },
	{ DCTX_EVALUATED, "spf", DCTX_LEAF, DF_EVAL_SPF },
	{ DCTX_EVALUATED, "reason", DCTX_REASON, DF_NONE },
	{ DCTX_REASON, "type", DCTX_LEAF, DF_REASON_TYPE },
	{ DCTX_REASON, "comment", DCTX_LEAF, DF_REASON_COMMENT },
	{ DCTX_IDENTIFIERS, "header_from", DCTX_LEAF, DF_HEADER_FROM },
	{ DCTX_IDENTIFIERS, "envelope_from", DCTX_LEAF, DF_ENVELOPE_FROM },
	{ DCTX_IDENTIFIERS, "envelope_to", DCTX_LEAF, DF_ENVELOPE_TO },
	{ DCTX_AUTH, "dkim", DCTX_DKIM, DF_NONE },
	{ DCTX_AUTH, "spf", DCTX_SPF, DF_NONE },
	{ DCTX_DKIM, "domain", DCTX_LEAF, DF_DKIM_DOMAIN },
	{ DCTX_DKIM, "selector", DCTX_LEAF, DF_DKIM_SELECTOR },
	{ DCTX_DKIM, "result", DCTX_LEAF, DF_DKIM_RESULT },
	{ DCTX_DKIM, "human_result", DCTX_LEAF, DF_DKIM_HUMAN },
	{ DCTX_SPF, "domain", DCTX_LEAF, DF_SPF_DOMAIN },
	{ DCTX_SPF, "scope", DCTX_LEAF, DF_SPF_SCOPE },
	{ DCTX_SPF, "result", DCTX_LEAF, DF_SPF_RESULT },
	{ DCTX_SPF, "human_result", DCTX_LEAF, DF_SPF_HUMAN },
	{ DCTX_EXTENSIONS, "extension", DCTX_EXTENSION, DF_NONE },
};

#define N_RULES	(sizeof(rules) / sizeof(rules[0]))

/*
 * The table holds the rules of one parent together; this finds where
 * each group starts and ends, so that an element is compared only with
 * the names its parent may hold (a lookup runs for every element).
 */
static void
rule_groups(struct dmarc_xml *p)
{
	size_t	i;

	for (i = N_RULES; i-- > 0; )
		p->rule_first[rules[i].parent] = (unsigned char) i;
	for (i = 0; i < N_RULES; i++)
		p->rule_end[rules[i].parent] = (unsigned char) (i + 1);
}

static const struct dmarc_rule *
rule_find(const struct dmarc_xml *p, enum dmarc_ctx parent, const char *name)
{
	size_t	i;

	for (i = p->rule_first[parent]; i < p->rule_end[parent]; i++)
		if (rules[i].name[0] == name[0] &&
		    strcmp(rules[i].name, name) == 0)
			return (&rules[i]);
	return (NULL);
}

void
dmarc_fail(struct dmarc_xml *p, enum parse_status st, const char *fmt, ...)
{
	va_list	ap;

	if (p->status != PARSE_OK)
		return;
	p->status = st;
	va_start(ap, fmt);
	vsnprintf(p->err.reason, sizeof(p->err.reason), fmt, ap);
	va_end(ap);
	if (p->ctxt != NULL)
		xmlStopParser(p->ctxt);
}

/* ---- the text of the element being read ---- */

/*
 * Appends s[0..n) to the buffer *buf (*len used, *cap allocated), with
 * room for spare bytes more; the first allocation is first bytes, each
 * growth doubles. Out of memory: the parse fails and -1 is returned.
 * The caller bounds len (field_bytes, DMARC_XML_HOLD).
 */
static int
append(struct dmarc_xml *p, char **buf, size_t *len, size_t *cap,
    size_t first, const char *s, size_t n, size_t spare)
{
	size_t	c;
	char   *q;

	if (*len + n + spare > *cap) {
		for (c = *cap ? *cap : first; c < *len + n + spare; c *= 2)
			;
		if ((q = realloc(*buf, c)) == NULL) {
			dmarc_fail(p, PARSE_NOMEM, "out of memory");
			return (-1);
		}
		*buf = q;
		*cap = c;
	}
	if (n > 0)
		memcpy(*buf + *len, s, n);
	*len += n;
	return (0);
}

/* Starts gathering the text of element name (open at the current depth). */
static void
text_start(struct dmarc_xml *p, const char *name)
{
	p->text_len = 0;
	p->collect_depth = p->depth;
	p->collect_name = name;
}

/* Appends text, refusing a value longer than limits->field_bytes. */
static void
text_append(struct dmarc_xml *p, const char *s, size_t len)
{
	if (len > p->limits->field_bytes - p->text_len) {
		dmarc_fail(p, PARSE_LIMIT, "value of <%s> exceeds %zu bytes",
		    p->collect_name, p->limits->field_bytes);
		return;
	}
	(void) append(p, &p->text, &p->text_len, &p->text_cap, 256, s, len, 1);
}

/*
 * Ends the gathering: the text without surrounding white space, valid
 * until the next text_start(). Never NULL (a NUL byte is always room).
 */
static const char *
text_end(struct dmarc_xml *p)
{
	static char empty[] = "";
	char   *s, *e;

	p->collect_depth = 0;
	if (p->text == NULL)
		return (empty);
	p->text[p->text_len] = '\0';
	for (s = p->text; *s == ' ' || *s == '\t' || *s == '\r' ||
	    *s == '\n'; s++)
		continue;
	for (e = p->text + p->text_len; e > s && (e[-1] == ' ' ||
	    e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'); e--)
		continue;
	*e = '\0';
	return (s);
}

/* ---- SAX callbacks ---- */

/*
 * The name and definition attributes of a DMARCbis <extension>. SAX2
 * hands over five pointers per attribute: local name, prefix, URI, value
 * start and value end (the value is not NUL-terminated).
 */
static void
extension_attrs(struct dmarc_xml *p, int nattr, const xmlChar **attrs)
{
	const char *name = NULL, *def = NULL;
	size_t	name_len = 0, def_len = 0;
	int	i;

	for (i = 0; i < nattr; i++) {
		const char *local = (const char *) attrs[i * 5];
		const char *v = (const char *) attrs[i * 5 + 3];
		size_t	len = (size_t) (attrs[i * 5 + 4] - attrs[i * 5 + 3]);

		if (strcmp(local, "name") == 0) {
			name = v;
			name_len = len;
		} else if (strcmp(local, "definition") == 0) {
			def = v;
			def_len = len;
		}
	}
	dmarc_fields_extension_start(p, name, name_len, def, def_len);
}

/* Where a new element goes, given its parent's frame. */
static void
element_enter(struct dmarc_xml *p, struct dmarc_frame *f, enum dmarc_ctx parent,
    const char *name, int nattr, const xmlChar **attrs)
{
	const struct dmarc_rule *r;

	if (parent == DCTX_SKIP) {
		f->ctx = DCTX_SKIP;
		return;
	}
	if (p->collect_depth != 0) {	/* inside a value or an extension */
		f->ctx = DCTX_INNER;
		return;
	}
	if ((r = rule_find(p, parent, name)) == NULL) {
		f->ctx = DCTX_OTHER;
		text_start(p, name);
		return;
	}
	f->ctx = r->ctx;
	f->field = r->field;
	if (f->ctx == DCTX_LEAF || f->ctx == DCTX_EXTENSION)
		text_start(p, name);
	if (f->ctx == DCTX_EXTENSION)
		extension_attrs(p, nattr, attrs);
	else if (!dmarc_fields_enter(p, f->ctx))
		f->ctx = DCTX_SKIP;
}

static void
sax_start(void *ud, const xmlChar *local, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **ns, int nattr, int ndef,
    const xmlChar **attrs)
{
	struct dmarc_xml *p = ud;
	const char *name = (const char *) local;
	struct dmarc_frame *f;
	enum dmarc_ctx parent;

	(void) prefix, (void) uri, (void) nns, (void) ns, (void) ndef;
	if (p->status != PARSE_OK)
		return;
	if (p->depth >= p->limits->xml_depth) {
		dmarc_fail(p, PARSE_LIMIT, "XML elements nested deeper than %u",
		    p->limits->xml_depth);
		return;
	}
	parent = p->depth == 0 ? DCTX_TOP : p->stack[p->depth - 1].ctx;
	f = &p->stack[p->depth++];
	f->field = DF_NONE;
	if (parent != DCTX_TOP) {
		element_enter(p, f, parent, name, nattr, attrs);
		return;
	}
	if (strcmp(name, "feedback") != 0) {
		dmarc_fail(p, PARSE_INVALID, "root element <%.64s> is not "
		    "<feedback>", name);
		return;
	}
	f->ctx = DCTX_FEEDBACK;
}

static void
sax_end(void *ud, const xmlChar *local, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct dmarc_xml *p = ud;
	struct dmarc_frame *f;

	(void) prefix, (void) uri;
	if (p->status != PARSE_OK || p->depth == 0)
		return;
	f = &p->stack[--p->depth];
	switch (f->ctx) {
	case DCTX_LEAF:
		dmarc_fields_leaf(p, f->field, (const char *) local,
		    text_end(p));
		break;
	case DCTX_OTHER:
		dmarc_fields_unknown(p, (const char *) local, text_end(p));
		break;
	case DCTX_EXTENSION:
		dmarc_fields_extension_end(p, text_end(p));
		break;
	case DCTX_FEEDBACK:
		p->root_done = true;
		break;
	default:
		dmarc_fields_leave(p, f->ctx);
		break;
	}
}

static void
sax_characters(void *ud, const xmlChar *s, int len)
{
	struct dmarc_xml *p = ud;

	if (p->status == PARSE_OK && p->collect_depth != 0 && len > 0)
		text_append(p, (const char *) s, (size_t) len);
}

/*
 * libxml2's errors. The first fatal one is the reason a document is
 * refused; warnings and namespace errors (an undeclared prefix is not a
 * reason to lose a report) are ignored. Nothing is printed.
 */
static void
sax_error(void *ud, xmlErrorPtr e)
{
	struct dmarc_xml *p = ud;
	char	msg[300], *c;
	size_t	len;

	if (e == NULL || e->level != XML_ERR_FATAL || p->xml_reason[0] != '\0')
		return;
	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "error");
	for (c = msg; *c != '\0'; c++)		/* a reason is one line */
		if (*c == '\n' || *c == '\r' || *c == '\t')
			*c = ' ';
	for (len = strlen(msg); len > 0 && msg[len - 1] == ' '; len--)
		msg[len - 1] = '\0';
	snprintf(p->xml_reason, sizeof(p->xml_reason),
	    "XML not well-formed: %s: line %d, column %d", msg, e->line,
	    e->int2);
}

/* Entities are never declared, resolved or looked up. */
static xmlEntityPtr
sax_get_entity(void *ud, const xmlChar *name)
{
	(void) ud, (void) name;
	return (NULL);
}

static void
sax_entity_decl(void *ud, const xmlChar *name, int type,
    const xmlChar *public_id, const xmlChar *system_id, xmlChar *content)
{
	(void) ud, (void) name, (void) type, (void) public_id,
	(void) system_id, (void) content;
}

static void
sax_subset(void *ud, const xmlChar *name, const xmlChar *external_id,
    const xmlChar *system_id)
{
	(void) ud, (void) name, (void) external_id, (void) system_id;
}

static xmlParserInputPtr
sax_resolve(void *ud, const xmlChar *public_id, const xmlChar *system_id)
{
	(void) ud, (void) public_id, (void) system_id;
	return (NULL);
}

/* ---- the public interface ---- */

/* The SAX2 handler: every callback, and nothing loaded or resolved. */
static void
sax_handler(xmlSAXHandler *sax)
{
	memset(sax, 0, sizeof(*sax));
	sax->initialized = XML_SAX2_MAGIC;
	sax->startElementNs = sax_start;
	sax->endElementNs = sax_end;
	sax->characters = sax_characters;
	sax->cdataBlock = sax_characters;
	sax->ignorableWhitespace = sax_characters;
	sax->serror = sax_error;
	sax->getEntity = sax_get_entity;
	sax->getParameterEntity = sax_get_entity;
	sax->entityDecl = sax_entity_decl;
	sax->internalSubset = sax_subset;
	sax->externalSubset = sax_subset;
	sax->resolveEntity = sax_resolve;
}

struct dmarc_xml *
dmarc_xml_new(const struct parse_limits *limits, dmarc_batch_fn batch,
    void *arg)
{
	struct dmarc_xml *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return (NULL);
	p->limits = limits;
	p->batch = batch;
	p->arg = arg;
	rule_groups(p);
	p->stack = calloc(limits->xml_depth ? limits->xml_depth : 1,
	    sizeof(*p->stack));
	p->report = report_new(RECORD_DMARC);
	if (batch != NULL)
		p->batch_recs = calloc(DMARC_XML_BATCH, sizeof(*p->batch_recs));
	if (p->stack == NULL || p->report == NULL ||
	    (batch != NULL && p->batch_recs == NULL)) {
		dmarc_xml_free(p);
		return (NULL);
	}
	return (p);
}

/* Turns libxml2's verdict on the bytes so far into a status. */
static void
check_well_formed(struct dmarc_xml *p)
{
	if (p->status == PARSE_OK && !p->ctxt->wellFormed)
		dmarc_fail(p, PARSE_INVALID, "%s", p->xml_reason[0] != '\0' ?
		    p->xml_reason : "XML not well-formed");
}

static enum parse_status
report_status(struct dmarc_xml *p, struct parse_error *err)
{
	if (p->status != PARSE_OK)
		parse_error_set(err, "%s", p->err.reason);
	return (p->status);
}

/*
 * libxml2 gets the bytes in slices: its push parser refuses to look
 * ahead more than XML_MAX_LOOKUP_LIMIT (10 MB) in one go without
 * XML_PARSE_HUGE, and a slice bounds what it buffers at once.
 */
static void
push(struct dmarc_xml *p, const char *buf, size_t len)
{
	while (p->status == PARSE_OK && len > 0) {
		size_t	n = len < DMARC_XML_SLICE ? len : DMARC_XML_SLICE;

		(void) xmlParseChunk(p->ctxt, buf, (int) n, 0);
		check_well_formed(p);
		buf += n;
		len -= n;
	}
}

/* The document is longer than DMARC_XML_HOLD: the push parser takes it. */
static void
start_push(struct dmarc_xml *p)
{
	xmlSAXHandler sax;

	sax_handler(&sax);
	/* The handler is copied into the context: &sax need not outlive it. */
	if ((p->ctxt = xmlCreatePushParserCtxt(&sax, p, NULL, 0, NULL)) ==
	    NULL) {
		dmarc_fail(p, PARSE_NOMEM, "out of memory");
		return;
	}
	xmlCtxtUseOptions(p->ctxt, XML_PARSE_NONET);
	push(p, p->held, p->held_len);
	free(p->held);
	p->held = NULL;
	p->held_len = p->held_cap = 0;
}

/* Keeps buf[0..len) until the document is known to be short. */
static void
hold(struct dmarc_xml *p, const char *buf, size_t len)
{
	if (len > 0)
		(void) append(p, &p->held, &p->held_len, &p->held_cap, 16384,
		    buf, len, 0);
}

/* The whole (short) document, parsed from memory. */
static void
parse_held(struct dmarc_xml *p)
{
	xmlSAXHandler sax;

	sax_handler(&sax);
	if ((p->ctxt = xmlCreateMemoryParserCtxt(p->held, (int) p->held_len)) ==
	    NULL) {
		dmarc_fail(p, PARSE_NOMEM, "out of memory");
		return;
	}
	memcpy(p->ctxt->sax, &sax, sizeof(sax));
	p->ctxt->userData = p;
	xmlCtxtUseOptions(p->ctxt, XML_PARSE_NONET);
	(void) xmlParseDocument(p->ctxt);
	check_well_formed(p);
}

enum parse_status
dmarc_xml_feed(struct dmarc_xml *p, const char *buf, size_t len,
    struct parse_error *err)
{
	p->fed += len;
	if (p->status == PARSE_OK && p->ctxt == NULL) {
		if (p->held_len + len <= DMARC_XML_HOLD) {
			hold(p, buf, len);
			return (report_status(p, err));
		}
		start_push(p);
	}
	push(p, buf, len);
	return (report_status(p, err));
}

enum parse_status
dmarc_xml_finish(struct dmarc_xml *p, struct report **out,
    struct parse_error *err)
{
	*out = NULL;
	if (p->status == PARSE_OK && p->fed == 0)
		dmarc_fail(p, PARSE_INVALID, "XML document is empty");
	if (p->status == PARSE_OK && p->ctxt == NULL)
		parse_held(p);
	else if (p->status == PARSE_OK) {
		(void) xmlParseChunk(p->ctxt, NULL, 0, 1);
		check_well_formed(p);
	}
	if (p->status == PARSE_OK && !p->root_done)
		dmarc_fail(p, PARSE_INVALID, "XML document truncated");
	if (p->status == PARSE_OK && p->batch != NULL)
		dmarc_fields_flush(p);
	if (p->status == PARSE_OK)
		dmarc_fields_complete(p);
	if (p->status == PARSE_OK) {
		*out = p->report;
		p->report = NULL;
	}
	return (report_status(p, err));
}

void
dmarc_xml_free(struct dmarc_xml *p)
{
	size_t	i;

	if (p == NULL)
		return;
	if (p->ctxt != NULL) {
		/*
		 * "For expat compatibility in SAX mode", libxml2 records the
		 * entity declarations of an internal subset in a document of
		 * its own, never consulted here (getEntity answers for it);
		 * the context does not free that document.
		 */
		if (p->ctxt->myDoc != NULL)
			xmlFreeDoc(p->ctxt->myDoc);
		xmlFreeParserCtxt(p->ctxt);
	}
	report_free(p->report);
	dmarc_record_clear(&p->rec);
	for (i = 0; i < p->n_batch; i++)
		dmarc_record_clear(&p->batch_recs[i]);
	free(p->batch_recs);
	free(p->stack);
	free(p->held);
	free(p->text);
	free(p->raw);
	free(p->ext_name);
	free(p->ext_def);
	free(p);
}

enum parse_status
dmarc_xml_parse(const char *buf, size_t len,
    const struct parse_limits *limits, struct report **out,
    struct parse_error *err)
{
	struct dmarc_xml *p;
	enum parse_status st;

	*out = NULL;
	if ((p = dmarc_xml_new(limits, NULL, NULL)) == NULL) {
		parse_error_set(err, "out of memory");
		return (PARSE_NOMEM);
	}
	if ((st = dmarc_xml_feed(p, buf, len, err)) == PARSE_OK)
		st = dmarc_xml_finish(p, out, err);
	dmarc_xml_free(p);
	return (st);
}
