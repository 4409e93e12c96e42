/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	dmarc_fields.h - private to dmarc_xml.c: the parser state, and what
 *	each element of a DMARC report does to the record model
 * PURPOSE
 *	dmarc_xml.c runs libxml2 and knows where in the document it is;
 *	dmarc_fields.c knows what a value means for struct dmarc_report and
 *	struct dmarc_record. Both share struct dmarc_xml, declared here so
 *	that neither file needs the other's internals. Not a public header:
 *	nothing outside these two files includes it, and no libxml2 type
 *	crosses it (the parser context is an opaque pointer).
 *
 *	Every function reports failure through dmarc_fail(), which keeps
 *	the first status and reason and stops the parser; callers check
 *	p->status rather than a return value.
 */
#ifndef DMARC_FIELDS_H
#define DMARC_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dmarc_xml.h"
#include "parse.h"
#include "record.h"

/* Records handed to the batch callback at a time. */
#define DMARC_XML_BATCH		256
/* Report-level <error>s and parser notes kept (hostile input bound). */
#define DMARC_XML_MAX_ERRORS	1000
/* Report-level extensions kept. */
#define DMARC_XML_MAX_EXT	1000
/* Per record: dkim results, spf results, reasons, extensions kept. */
#define DMARC_XML_MAX_LIST	256

/* Where an open element is: what it is, as far as the report goes. */
enum dmarc_ctx {
	DCTX_TOP = 0,		/* outside the root element */
	DCTX_FEEDBACK,
	DCTX_METADATA,
	DCTX_DATE_RANGE,
	DCTX_POLICY,
	DCTX_RECORD,
	DCTX_ROW,
	DCTX_EVALUATED,
	DCTX_REASON,
	DCTX_IDENTIFIERS,
	DCTX_AUTH,
	DCTX_DKIM,
	DCTX_SPF,
	DCTX_EXTENSIONS,
	DCTX_EXTENSION,		/* a DMARCbis <extension>: text gathered */
	DCTX_LEAF,		/* a known value: text gathered */
	DCTX_OTHER,		/* an unknown element: becomes an extension */
	DCTX_INNER,		/* inside a LEAF, OTHER or EXTENSION */
	DCTX_SKIP		/* dropped, with everything inside */
};

/* The known values (DCTX_LEAF elements). */
enum dmarc_field {
	DF_NONE = 0,
	DF_VERSION, DF_ORG_NAME, DF_EMAIL, DF_EXTRA_CONTACT, DF_REPORT_ID,
	DF_ERROR, DF_BEGIN, DF_END,
	DF_POLICY_DOMAIN, DF_ADKIM, DF_ASPF, DF_P, DF_SP, DF_PCT, DF_FO,
	DF_TESTING, DF_POLICY_VERSION,
	DF_SOURCE_IP, DF_COUNT, DF_DISPOSITION, DF_EVAL_DKIM, DF_EVAL_SPF,
	DF_REASON_TYPE, DF_REASON_COMMENT,
	DF_HEADER_FROM, DF_ENVELOPE_FROM, DF_ENVELOPE_TO,
	DF_DKIM_DOMAIN, DF_DKIM_SELECTOR, DF_DKIM_RESULT, DF_DKIM_HUMAN,
	DF_SPF_DOMAIN, DF_SPF_SCOPE, DF_SPF_RESULT, DF_SPF_HUMAN
};

struct dmarc_frame {
	enum dmarc_ctx ctx;
	enum dmarc_field field;
};

struct _xmlParserCtxt;

struct dmarc_xml {
	const struct parse_limits *limits;	/* borrowed */
	dmarc_batch_fn batch;
	void   *arg;
	struct _xmlParserCtxt *ctxt;		/* owned */
	struct report *report;			/* owned until finish */
	enum parse_status status;		/* first failure, or PARSE_OK */
	struct parse_error err;			/* its reason */
	char	xml_reason[400];		/* libxml2's first fatal error */

	struct dmarc_frame *stack;		/* limits->xml_depth frames */
	unsigned depth;				/* open elements */
	bool	root_done;			/* </feedback> seen */
	size_t	fed;				/* bytes handed to feed */
	char   *held;				/* the bytes fed while there is no
					   ctxt yet (dmarc_xml.c) */
	size_t	held_len, held_cap;

	char   *text;				/* value being gathered */
	size_t	text_len, text_cap;
	unsigned collect_depth;			/* its element's depth; 0: none */
	const char *collect_name;		/* its element's name (libxml2's
					   dictionary: lives with ctxt) */

	bool	has_begin, has_end;		/* a usable timestamp was read */
	bool	bad_begin, bad_end;		/* one was there, not a number */
	bool	errors_full, ext_full;		/* a cap was hit (noted once) */

	struct dmarc_record rec;		/* the record being read */
	bool	in_record;			/* between <record> and </record> */
	uint64_t rec_no;			/* its number, from 1 */
	bool	rec_full;			/* a per-record cap was hit */
	char   *raw;				/* unmapped result or reason type */
	char   *ext_name, *ext_def;		/* attributes of <extension> */

	struct dmarc_record *batch_recs;	/* DMARC_XML_BATCH, or NULL */
	size_t	n_batch;

	/* The rules of each parent element: [rule_first, rule_end). */
	unsigned char rule_first[DCTX_SKIP + 1], rule_end[DCTX_SKIP + 1];
};

/*
 * Records the first failure: status st and a reason, then stops libxml2
 * (no more callbacks). Later calls change nothing.
 */
void	dmarc_fail(struct dmarc_xml *p, enum parse_status st,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * A container element opens (record, reason, dkim, spf, ...). Returns
 * false when a cap says it must be dropped with all it holds.
 */
bool	dmarc_fields_enter(struct dmarc_xml *p, enum dmarc_ctx ctx);
/* A container element closes: the record or entry it built is complete. */
void	dmarc_fields_leave(struct dmarc_xml *p, enum dmarc_ctx ctx);
/* A known value closes: name is its element, text its trimmed text. */
void	dmarc_fields_leaf(struct dmarc_xml *p, enum dmarc_field field,
	    const char *name, const char *text);
/* An unknown element closes: it becomes an extension of report or record. */
void	dmarc_fields_unknown(struct dmarc_xml *p, const char *name,
	    const char *text);
/* A DMARCbis <extension> opens, with its attributes (NULL when absent). */
void	dmarc_fields_extension_start(struct dmarc_xml *p, const char *name,
	    size_t name_len, const char *def, size_t def_len);
/* ... and closes, text being its content. */
void	dmarc_fields_extension_end(struct dmarc_xml *p, const char *text);
/* Hands the pending records to the batch callback (which must be set). */
void	dmarc_fields_flush(struct dmarc_xml *p);
/*
 * The document ended: checks the required fields and gives the strings
 * that are never NULL their "" default.
 */
void	dmarc_fields_complete(struct dmarc_xml *p);

#endif
