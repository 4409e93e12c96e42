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
 * offsets, and no zone at all (read as UTC, as real TLS-RPT reports
 * need). Leading and trailing white space is ignored. Returns 0 and *t,
 * or -1 when text is not such a time.
 */
int	timeparse_rfc3339(const char *text, int64_t *t);

/*
 * Parses an RFC 5322 date ("Thu, 8 Mar 2005 14:00:00 -0500"): optional
 * day name, one- or two-digit day, English month name in any case,
 * two- or four-digit year, optional seconds, numeric zone or the obsolete
 * names (UT, GMT, EST/EDT, CST/CDT, MST/MDT, PST/PDT, Z; other letters
 * read as UTC), trailing comments such as "(EST)". Returns 0 and *t, or
 * -1.
 */
int	timeparse_rfc5322(const char *text, int64_t *t);

/* Seconds since the epoch of a UTC calendar time (proleptic Gregorian). */
int64_t	timeparse_utc(int year, int month, int day, int hour, int min,
	    int sec);

#endif
