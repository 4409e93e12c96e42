/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	authres.h - Authentication-Results (RFC 8601): was a report mail
 *	authenticated by a filter we trust?
 * PURPOSE
 *	authres_parse() reads one Authentication-Results field value: its
 *	authserv-id and, for each result, the method, the result and the
 *	DKIM signing domain (header.d). authres_message() applies the trust
 *	rule to a whole message's header:
 *
 *	  - only fields above the message's first Received: field are read
 *	    (a filter in front of report-milter inserts its field at the top;
 *	    one below a Received: came from another hop);
 *	  - of those, only the topmost field naming each trusted authserv-id
 *	    (compared ignoring case) is read: a filter adds one field, above
 *	    whatever the sender wrote, so a copy that came with the message
 *	    is below it;
 *	  - the mail is authenticated when one of them holds dkim=pass with a
 *	    header.d that aligns with the domain of the From: address
 *	    (authres_aligned()).
 *
 *	The rule cannot tell the filter's field from the sender's when the
 *	filter added none: the filter in front must always add its field or
 *	remove copies that name it (RFC 8601 section 5), as OpenDKIM and
 *	OpenDMARC do, or the MTA must (Postfix: header_checks IGNORE).
 *	No allocation: the fields are read into fixed buffers; longer values
 *	are cut.
 */
#ifndef AUTHRES_H
#define AUTHRES_H

#include <stdbool.h>
#include <stddef.h>

#include "parse.h"
#include "record.h"

#define AUTHRES_MAX_RESULTS	16	/* more results in a field are ignored */
#define AUTHRES_FIELD_MAX	8192	/* longer fields are not read */

struct authres_result {
	char	method[32];	/* "dkim", lower case, without "/version" */
	char	result[32];	/* "pass", lower case */
	char	header_d[256];	/* header.d, lower case, "" when none */
};

struct authres {
	char	authserv_id[256];
	bool	none;		/* "; none": no authentication was done */
	struct authres_result v[AUTHRES_MAX_RESULTS];
	size_t	n;
};

/*
 * Reads the field value value[0..len) into *out (overwritten). Returns
 * PARSE_OK, or PARSE_INVALID (err says where) when it is not RFC 8601
 * syntax; the authserv-id is then filled when it could be read, the
 * results read so far are kept.
 */
enum parse_status authres_parse(const char *value, size_t len,
    struct authres *out, struct parse_error *err);

/*
 * True when the DKIM domain d aligns with the From: domain from, relaxed
 * and without the Public Suffix List: the two are equal (ignoring case
 * and a final dot), or one is a sub-domain of the other and the shorter
 * has at least two labels ("mail.example.com" and "example.com" align,
 * "example.com" and "com" do not). Stricter than DMARC's relaxed mode
 * for siblings ("a.example.com" and "b.example.com" do not align).
 */
bool	authres_aligned(const char *d, const char *from);

/*
 * Applies the rule above to the header of the message data[0..len):
 * RECORD_AUTH_NONE when no field of a trusted authserv-id is read (also
 * for what is not an e-mail), RECORD_AUTH_PASS when one holds an aligned
 * DKIM pass, RECORD_AUTH_FAIL otherwise. trusted[0..n) are the
 * authserv-ids trusted (borrowed; at most 64 are looked at). The From:
 * domain is that of the first From: field (the address in <> when there
 * is one, else the text after the last "@").
 */
enum record_auth authres_message(const char *data, size_t len,
    const char *const *trusted, size_t n);

/* "null", "false" or "true", as report-query prints it. */
const char *authres_name(enum record_auth);

#endif
