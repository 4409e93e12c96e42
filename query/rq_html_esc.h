/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_html_esc.h - text from reports, written into HTML
 * PURPOSE
 *	Every string of a report comes from a stranger. The page writes
 *	one only through these functions, in one of two contexts: element
 *	text and double-quoted attribute values. No report string ever
 *	becomes a URL, a tag, a style or a script: the page has no links
 *	made from report data.
 */
#ifndef RQ_HTML_ESC_H
#define RQ_HTML_ESC_H

#include <stdint.h>
#include <stdio.h>

/*
 * Writes s (UTF-8; NULL or "" is written as "-") to fp as HTML text
 * that is also safe inside a double-quoted attribute: & < > " ' become
 * character references, and control characters other than tab and
 * newline become U+FFFD, so that nothing in s can end the element, the
 * attribute, a <style> or open a tag.
 */
void	rq_html_esc(FILE *fp, const char *s);

/* Writes a number with thin groupings of three digits ("1 234 567"). */
void	rq_html_num(FILE *fp, uint64_t n);

/* Writes part/whole as a percentage with one decimal, or "-" for 0/0. */
void	rq_html_pct(FILE *fp, uint64_t part, uint64_t whole);

#endif
