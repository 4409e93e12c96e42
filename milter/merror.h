/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	merror.h - the reason a milter/ function gives when it fails
 * PURPOSE
 *	The daemon's modules (config, select, spool, privs, daemon) return a
 *	small status and fill a caller-supplied struct milter_error with a
 *	reason a postmaster can read. Only main.c and the callbacks print it.
 */
#ifndef MERROR_H
#define MERROR_H

struct milter_error {
	char	reason[512];	/* "" when there is nothing to say */
};

/*
 * Formats a reason into err (NULL is fine). Unlike parse_error_set(), a
 * later call replaces an earlier one: callers add context from the inside
 * out ("file:line: " is prefixed by the caller with merror_prefix()).
 */
void	merror_set(struct milter_error *err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Puts the text made of fmt in front of the reason err holds now. */
void	merror_prefix(struct milter_error *err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* merror_set() with ": " and strerror(errno) appended. */
void	merror_sys(struct milter_error *err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
