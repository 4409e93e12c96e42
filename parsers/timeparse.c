/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	timeparse - RFC 3339 and RFC 5322 dates, without locale or TZ
 * PURPOSE
 *	Reads the date-times that reports write (TLS-RPT date ranges, ARF
 *	Arrival-Date, the Date: header) into seconds since the epoch, UTC.
 *	Nothing here calls strptime(), mktime() or timegm(): they depend on
 *	the locale and the TZ environment, and a milter must give the same
 *	answer in every process. Days are counted from the civil date with
 *	the proleptic Gregorian calendar instead.
 */
#include <stdint.h>
#include <string.h>

#include "timeparse.h"

/* What a parsed date says before it is turned into seconds. */
struct tp_fields {
	int	year, month, day, hour, min, sec;
	int	offset;			/* seconds east of UTC */
};

static int
tp_isdigit(int c)
{
	return (c >= '0' && c <= '9');
}

static int
tp_isalpha(int c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

static int
tp_isspace(int c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\v' || c == '\f');
}

static int
tp_lower(int c)
{
	return (c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

/*
 * Reads between min and max decimal digits at *pp into *val and moves *pp
 * past them. Returns 0, or -1 when there are fewer than min (then *pp is
 * unchanged). A digit after the max-th is left for the caller, so that
 * "+0500" reads as two fields. max is at most 9: *val cannot overflow.
 */
static int
tp_digits(const char **pp, int min, int max, int *val)
{
	const char *p = *pp;
	int	n = 0, v = 0;

	while (n < max && tp_isdigit((unsigned char) p[n])) {
		v = v * 10 + (p[n] - '0');
		n++;
	}
	if (n < min)
		return (-1);
	*pp = p + n;
	*val = v;
	return (0);
}

static int
tp_leap(int64_t y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

static int
tp_month_days(int year, int month)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (month == 2 && tp_leap(year))
		return (29);
	return (days[month - 1]);
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil): the year is counted from March so that the leap day
 * falls at the end, and eras of 400 years repeat exactly.
 */
static int64_t
tp_days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

/*
 * The month may be out of range (13 is January of the next year); day,
 * hour, minute and second add linearly, so callers that normalise
 * nothing still get a consistent answer.
 */
int64_t
timeparse_utc(int year, int month, int day, int hour, int min, int sec)
{
	int64_t	y = year, m = (int64_t) month - 1, days;

	y += m / 12;
	m %= 12;
	if (m < 0) {
		m += 12;
		y--;
	}
	days = tp_days_from_civil(y, m + 1, 1) + ((int64_t) day - 1);
	return (days * 86400 + (int64_t) hour * 3600 + (int64_t) min * 60 +
	    sec);
}

/* Checks the ranges and turns the fields into seconds since the epoch. */
static int
tp_finish(const struct tp_fields *f, int64_t *t)
{
	if (f->month < 1 || f->month > 12 || f->day < 1 ||
	    f->day > tp_month_days(f->year, f->month) || f->hour > 23 ||
	    f->min > 59 || f->sec > 60)
		return (-1);
	*t = timeparse_utc(f->year, f->month, f->day, f->hour, f->min,
	    f->sec) - f->offset;
	return (0);
}

/* ---- RFC 3339 ---- */

/*
 * The zone of an RFC 3339 time: 'Z', "+hh:mm", "+hhmm", "+hh", or none
 * (UTC). Returns 0 with *pp past it, or -1.
 */
static int
tp_3339_zone(const char **pp, int *offset)
{
	const char *p = *pp;
	int	sign, hh, mm = 0;

	*offset = 0;
	if (*p == 'Z' || *p == 'z') {
		*pp = p + 1;
		return (0);
	}
	if (*p != '+' && *p != '-')
		return (0);
	sign = *p++ == '-' ? -1 : 1;
	if (tp_digits(&p, 2, 2, &hh) < 0)
		return (-1);
	if (*p == ':')
		p++;
	if (tp_isdigit((unsigned char) *p) && tp_digits(&p, 2, 2, &mm) < 0)
		return (-1);
	if (hh > 23 || mm > 59)
		return (-1);
	*offset = sign * (hh * 3600 + mm * 60);
	*pp = p;
	return (0);
}

int
timeparse_rfc3339(const char *text, int64_t *t)
{
	struct tp_fields f;
	const char *p = text;

	if (text == NULL)
		return (-1);
	while (tp_isspace((unsigned char) *p))
		p++;
	if (tp_digits(&p, 4, 4, &f.year) < 0 || *p++ != '-' ||
	    tp_digits(&p, 2, 2, &f.month) < 0 || *p++ != '-' ||
	    tp_digits(&p, 2, 2, &f.day) < 0)
		return (-1);
	if (*p != 'T' && *p != 't' && *p != ' ')
		return (-1);
	p++;
	if (tp_digits(&p, 2, 2, &f.hour) < 0 || *p++ != ':' ||
	    tp_digits(&p, 2, 2, &f.min) < 0 || *p++ != ':' ||
	    tp_digits(&p, 2, 2, &f.sec) < 0)
		return (-1);
	if (*p == '.' || *p == ',') {
		/* Fractions are dropped: the record keeps whole seconds. */
		p++;
		if (!tp_isdigit((unsigned char) *p))
			return (-1);
		while (tp_isdigit((unsigned char) *p))
			p++;
	}
	if (tp_3339_zone(&p, &f.offset) < 0)
		return (-1);
	while (tp_isspace((unsigned char) *p))
		p++;
	if (*p != '\0')
		return (-1);
	return (tp_finish(&f, t));
}

/* ---- RFC 5322 ---- */

/*
 * Skips white space and (nested) comments, RFC 5322 CFWS. Returns -1 on
 * an unclosed comment.
 */
static int
tp_cfws(const char **pp)
{
	const char *p = *pp;
	int	depth = 0;

	for (;; p++) {
		if (*p == '\0')
			break;
		if (depth > 0 && *p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		else if (depth == 0 && !tp_isspace((unsigned char) *p))
			break;
	}
	*pp = p;
	return (depth == 0 ? 0 : -1);
}

/* Reads a run of letters (at most cap-1 kept, lower-cased) into word. */
static size_t
tp_word(const char **pp, char *word, size_t cap)
{
	const char *p = *pp;
	size_t	n = 0;

	while (tp_isalpha((unsigned char) *p)) {
		if (n + 1 < cap)
			word[n] = (char) tp_lower((unsigned char) *p);
		n++;
		p++;
	}
	word[n + 1 < cap ? n : cap - 1] = '\0';
	*pp = p;
	return (n);
}

/* 1..12 for an English month name (three letters or the full name). */
static int
tp_month(const char *word, size_t len)
{
	static const char *const names[12] = {
		"january", "february", "march", "april", "may", "june",
		"july", "august", "september", "october", "november",
		"december"
	};
	int	i;

	if (len < 3)
		return (0);
	for (i = 0; i < 12; i++)
		if (strncmp(word, names[i], 3) == 0 &&
		    (len == 3 || (len <= strlen(names[i]) &&
		    strncmp(word, names[i], len) == 0)))
			return (i + 1);
	return (0);
}

static int
tp_dayname(const char *word, size_t len)
{
	static const char *const names[7] = {
		"monday", "tuesday", "wednesday", "thursday", "friday",
		"saturday", "sunday"
	};
	int	i;

	if (len < 3)
		return (0);
	for (i = 0; i < 7; i++)
		if (strncmp(word, names[i], 3) == 0 &&
		    (len == 3 || (len <= strlen(names[i]) &&
		    strncmp(word, names[i], len) == 0)))
			return (1);
	return (0);
}

/*
 * A zone name of RFC 5322 §4.3 (obs-zone). Military letters and unknown
 * names are read as UTC: RFC 5322 says their meaning is unreliable and
 * that they SHOULD be taken as "-0000". Returns the offset in seconds.
 */
static int
tp_zone_name(const char *word)
{
	static const struct {
		const char *name;
		int	hours;
	} zones[] = {
		{ "ut", 0 }, { "utc", 0 }, { "gmt", 0 }, { "z", 0 },
		{ "est", -5 }, { "edt", -4 }, { "cst", -6 }, { "cdt", -5 },
		{ "mst", -7 }, { "mdt", -6 }, { "pst", -8 }, { "pdt", -7 },
	};
	size_t	i;

	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strcmp(word, zones[i].name) == 0)
			return (zones[i].hours * 3600);
	return (0);
}

/*
 * The zone after the time: "+hhmm"/"-hhmm" (also "+hh:mm"), a name, or
 * nothing at all (read as UTC, as RFC 5322 reads "-0000").
 */
static int
tp_5322_zone(const char **pp, int *offset)
{
	const char *p = *pp;
	char	word[8];
	int	sign, hh, mm;

	*offset = 0;
	if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (tp_digits(&p, 2, 2, &hh) < 0)
			return (-1);
		if (*p == ':')
			p++;
		if (tp_digits(&p, 2, 2, &mm) < 0 || hh > 99 || mm > 59)
			return (-1);
		*offset = sign * (hh * 3600 + mm * 60);
	} else if (tp_isalpha((unsigned char) *p)) {
		if (tp_word(&p, word, sizeof(word)) >= sizeof(word))
			return (-1);
		*offset = tp_zone_name(word);
	}
	*pp = p;
	return (0);
}

/* "hh:mm[:ss]" of RFC 5322 (one-digit hours are tolerated). */
static int
tp_5322_time(const char **pp, struct tp_fields *f)
{
	const char *p = *pp;

	if (tp_digits(&p, 1, 2, &f->hour) < 0 || *p++ != ':' ||
	    tp_digits(&p, 2, 2, &f->min) < 0)
		return (-1);
	f->sec = 0;
	if (*p == ':') {
		p++;
		if (tp_digits(&p, 2, 2, &f->sec) < 0)
			return (-1);
	}
	*pp = p;
	return (0);
}

/*
 * A year of two, three or four digits, read as RFC 5322 §4.3 says: 00-49
 * are 2000-2049, 50-99 are 1950-1999, three digits add 1900.
 */
static int
tp_5322_year(const char **pp, int *year)
{
	const char *start = *pp;

	if (tp_digits(pp, 2, 4, year) < 0)
		return (-1);
	if (*pp - start == 2)
		*year += *year < 50 ? 2000 : 1900;
	else if (*pp - start == 3)
		*year += 1900;
	return (0);
}

/* "d mon yyyy hh:mm[:ss]", the order RFC 5322 writes. */
static int
tp_5322_dmy(const char **pp, struct tp_fields *f)
{
	const char *p = *pp;
	char	word[12];
	size_t	len;

	if (tp_digits(&p, 1, 2, &f->day) < 0 || tp_cfws(&p) < 0)
		return (-1);
	if (*p == '-')			/* "8-Mar-2005", seen in old mail */
		p++;
	len = tp_word(&p, word, sizeof(word));
	if ((f->month = tp_month(word, len)) == 0)
		return (-1);
	if (*p == '-')
		p++;
	if (tp_cfws(&p) < 0 || tp_5322_year(&p, &f->year) < 0 ||
	    tp_cfws(&p) < 0 || tp_5322_time(&p, f) < 0)
		return (-1);
	*pp = p;
	return (0);
}

/* "mon d hh:mm:ss yyyy", the asctime() order some old software writes. */
static int
tp_5322_asctime(const char **pp, struct tp_fields *f)
{
	const char *p = *pp;
	char	word[12];
	size_t	len;

	len = tp_word(&p, word, sizeof(word));
	if ((f->month = tp_month(word, len)) == 0 || tp_cfws(&p) < 0 ||
	    tp_digits(&p, 1, 2, &f->day) < 0 || tp_cfws(&p) < 0 ||
	    tp_5322_time(&p, f) < 0 || tp_cfws(&p) < 0)
		return (-1);
	/* The zone may come before the year ("... 14:00:00 UTC 2005"). */
	if (!tp_isdigit((unsigned char) *p) &&
	    (tp_5322_zone(&p, &f->offset) < 0 || tp_cfws(&p) < 0))
		return (-1);
	if (tp_5322_year(&p, &f->year) < 0)
		return (-1);
	*pp = p;
	return (0);
}

int
timeparse_rfc5322(const char *text, int64_t *t)
{
	struct tp_fields f;
	const char *p = text, *q;
	char	word[12];
	size_t	len;
	int	asctime_order = 0;

	if (text == NULL || tp_cfws(&p) < 0)
		return (-1);
	memset(&f, 0, sizeof(f));
	q = p;
	len = tp_word(&q, word, sizeof(word));
	if (len > 0 && tp_dayname(word, len)) {
		p = q;
		if (tp_cfws(&p) < 0)
			return (-1);
		if (*p == ',')
			p++;
		if (tp_cfws(&p) < 0)
			return (-1);
	}
	asctime_order = tp_isalpha((unsigned char) *p);
	if ((asctime_order ? tp_5322_asctime(&p, &f) :
	    tp_5322_dmy(&p, &f)) < 0 || tp_cfws(&p) < 0)
		return (-1);
	if (!asctime_order && (tp_5322_zone(&p, &f.offset) < 0 ||
	    tp_cfws(&p) < 0))
		return (-1);
	else if (asctime_order && f.offset == 0 &&
	    (tp_5322_zone(&p, &f.offset) < 0 || tp_cfws(&p) < 0))
		return (-1);
	if (*p != '\0')
		return (-1);
	return (tp_finish(&f, t));
}
