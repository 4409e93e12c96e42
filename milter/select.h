/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	select.h - which envelope recipients are report mailboxes
 * PURPOSE
 *	A list of recipient patterns (ReportRecipients). A pattern is
 *	local@domain where local is a mailbox name, a prefix followed by
 *	"*" (dmarc*), or "*" alone, and domain is a domain or "*". Matching
 *	is case-insensitive and ignores a sub-address: with the delimiter
 *	"+", dmarc+x@example.com is matched as dmarc@example.com.
 */
#ifndef SELECT_H
#define SELECT_H

#include <stdbool.h>
#include <stddef.h>

#include "merror.h"

enum select_status {
	SELECT_OK = 0,
	SELECT_INVALID,		/* a pattern is not local@domain as above */
	SELECT_NOMEM
};

struct select;

/*
 * Appends the patterns of text (separated by commas and/or white space)
 * to *list, which may be NULL (a new list is made). On SELECT_INVALID
 * err names the pattern and *list is unchanged; an empty text adds
 * nothing. Returns SELECT_OK, SELECT_INVALID or SELECT_NOMEM.
 */
enum select_status select_add(struct select **list, const char *text,
    struct milter_error *err);

/*
 * True when address (as in RCPT TO: with or without <>, a source route
 * or quotes) matches a pattern of list. Characters of delimiters (may be
 * NULL or "") start a sub-address, which is ignored. NULL list: false.
 */
bool	select_match(const struct select *list, const char *address,
	    const char *delimiters);

/* The number of patterns in list (NULL: 0). */
size_t	select_count(const struct select *list);

/* Frees list; NULL is fine. */
void	select_free(struct select *list);

#endif
