/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	timeparse.h - the dates that reports and report mail write
 * PURPOSE
 *	RFC 3339 date-times (TLS-RPT, our own JSON) and RFC 5322 dates (ARF
 *	Arrival-Date, Received-Date, the Date: header), read into seconds
 *	since the epoch, UTC, without the C library's locale or time zone.
 */
#ifndef TIMEPARSE_H
#define TIMEPARSE_H

#include <stdint.h>

/*
 * Parses "2026-01-01T00:00:00Z": 'T' or ' ' between date and time,
 * 't'/'z' in any case, fractional seconds (dropped), "+hh:mm"/"-hh:mm"
 * offsets (also "+hhmm" and "+hh"), and no zone at all (read as UTC, as
 * real TLS-RPT reports need). Seconds are required; 60 (a leap second)
 * is accepted. Leading and trailing white space is ignored. Returns 0
 * and *t, or -1 when text is not such a time (or names a day that does
 * not exist, such as February 30).
 */
int	timeparse_rfc3339(const char *text, int64_t *t);

/*
 * Parses an RFC 5322 date ("Thu, 8 Mar 2005 14:00:00 -0500"): optional
 * day name, one- or two-digit day, English month name in any case,
 * two- or four-digit year, optional seconds, numeric zone or the obsolete
 * names (UT, GMT, EST/EDT, CST/CDT, MST/MDT, PST/PDT, Z; other letters
 * read as UTC), trailing comments such as "(EST)". Also read: comments
 * anywhere, no zone at all (UTC), "8-Mar-2005", full day and month
 * names, and the asctime() order "Thu Mar  8 14:00:00 2005". Years of
 * two digits are 1950-2049, of three digits 1900 + n (RFC 5322 §4.3).
 * Returns 0 and *t, or -1.
 */
int	timeparse_rfc5322(const char *text, int64_t *t);

/*
 * Seconds since the epoch of a UTC calendar time (proleptic Gregorian),
 * computed from the civil date without the C library. A month outside
 * 1..12 carries into the year; the other fields add linearly.
 */
int64_t	timeparse_utc(int year, int month, int day, int hour, int min,
	    int sec);

#endif
