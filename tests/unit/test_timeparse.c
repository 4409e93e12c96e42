/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	test_timeparse - RFC 3339 and RFC 5322 dates into epoch seconds
 * PURPOSE
 *	Every format the corpus writes, the obsolete forms RFC 5322 keeps,
 *	the lenient RFC 3339 forms TLS-RPT needs, and garbage that must
 *	give -1. Expected values were computed with Python's datetime.
 */
#include <stdint.h>
#include <stdlib.h>

#include "tap.h"
#include "timeparse.h"

#define REFUSE	INT64_MIN

struct tcase {
	const char *text;
	int64_t	want;		/* REFUSE: must be refused */
};

static void
run(int (*fn)(const char *, int64_t *), const char *what,
    const struct tcase *c, size_t n)
{
	size_t	i;
	int64_t	t;
	int	rc;

	for (i = 0; i < n; i++) {
		t = 12345;
		rc = fn(c[i].text, &t);
		if (c[i].want == REFUSE)
			ok(rc == -1, "%s refuses \"%s\"", what, c[i].text);
		else if (!ok(rc == 0 && t == c[i].want, "%s \"%s\"", what,
		    c[i].text))
			diag("rc %d, got %lld, want %lld", rc, (long long) t,
			    (long long) c[i].want);
	}
}

static const struct tcase rfc3339[] = {
	{ "2026-01-01T00:00:00Z", 1767225600 },
	{ "1970-01-01T00:00:00Z", 0 },
	{ "2016-04-01T23:59:59Z", 1459555199 },
	{ "2026-08-02T00:00:00+00:00", 1785628800 },
	{ "2026-08-02T02:00:00+02:00", 1785628800 },
	{ "2026-08-01T19:00:00-05:00", 1785628800 },
	{ "2026-08-02T02:00:00+0200", 1785628800 },
	{ "2026-08-02t00:00:00z", 1785628800 },
	{ "2026-08-02 00:00:00Z", 1785628800 },
	{ "2026-08-02T00:00:00", 1785628800 },		/* no zone: UTC */
	{ "2026-08-02T00:00:00.999Z", 1785628800 },	/* fraction dropped */
	{ "2026-08-02T00:00:00.123456789+00:00", 1785628800 },
	{ "  2026-08-02T00:00:00Z \n", 1785628800 },
	{ "2000-02-29T12:00:00Z", 951825600 },		/* leap day */
	{ "1969-12-31T23:59:59Z", -1 },
	{ "2016-12-31T23:59:60Z", 1483228800 },		/* leap second */
	{ "9999-12-31T23:59:59Z", 253402300799 },
	{ "", REFUSE },
	{ "garbage", REFUSE },
	{ "2026-01-01", REFUSE },
	{ "2026-13-01T00:00:00Z", REFUSE },
	{ "2026-02-29T00:00:00Z", REFUSE },			/* not a leap year */
	{ "1900-02-29T00:00:00Z", REFUSE },
	{ "2026-01-01T24:00:00Z", REFUSE },
	{ "2026-01-01T00:60:00Z", REFUSE },
	{ "2026-01-01T00:00:00+25:00", REFUSE },
	{ "2026-01-01T00:00:00.Z", REFUSE },
	{ "2026-01-01T00:00:00Z junk", REFUSE },
	{ "2026-01-01T00:00:000Z", REFUSE },
	{ "20260-01-01T00:00:00Z", REFUSE },
	{ "2026-1-01T00:00:00Z", REFUSE },
	{ "Thu, 8 Mar 2005 14:00:00 -0500", REFUSE },
};

static const struct tcase rfc5322[] = {
	{ "Wed, 17 Nov 2010 12:41:30 -0500 (EST)", 1290015690 },
	{ "Tue, 10 Jul 2012 18:50:18 PDT", 1341971418 },
	{ "Thu, 8 Mar 2005 14:00:00 EDT", 1110304800 },
	{ "Thu, 8 Mar 2005 14:00:00 -0400", 1110304800 },
	{ "Thu, 29 Apr 2009 00:00:00 -0000 (EST)", 1240963200 },
	{ "Thu, 29 Apr 2015 23:34:45 +0900", 1430318085 },
	{ "Wed, 14 Apr 2010 12:15:31 -0700 (PDT)", 1271272531 },
	{ "Tue, 28 Dec 2010 11:57:56 PST", 1293566276 },
	{ "Fri, 24 Dec 2010 02:07:37 +0000", 1293156457 },
	{ "8 Mar 2005 14:00:00 GMT", 1110290400 },		/* no day */
	{ "8 Mar 2005 14:00 GMT", 1110290400 },		/* no seconds */
	{ "Thu, 08 Mar 05 14:00:00 UT", 1110290400 },	/* 2-digit year */
	{ "Mon, 1 Jan 99 00:00:00 Z", 915148800 },		/* 99 = 1999 */
	{ "Sat, 1 Jan 105 00:00:00 +0000", 1104537600 },	/* 3 digits */
	{ "thu, 8 MAR 2005 14:00:00 gmt", 1110290400 },
	{ "Thursday, 8 March 2005 14:00:00 +0000", 1110290400 },
	{ "Thu,8 Mar 2005 14:00:00 +0000", 1110290400 },
	{ "  Thu ,  8  Mar  2005  14:00:00  +0000  ", 1110290400 },
	{ "(comment) Thu, 8 Mar 2005 (x (nested)) 14:00:00 +0000",
	    1110290400 },
	{ "Thu, 8 Mar 2005 14:00:00", 1110290400 },		/* no zone */
	{ "Thu, 8 Mar 2005 14:00:00 CST", 1110312000 },
	{ "Thu, 8 Mar 2005 14:00:00 CDT", 1110308400 },
	{ "Thu, 8 Mar 2005 14:00:00 MST", 1110315600 },
	{ "Thu, 8 Mar 2005 14:00:00 MDT", 1110312000 },
	{ "Thu, 8 Mar 2005 14:00:00 A", 1110290400 },	/* military: UTC */
	{ "Thu, 8-Mar-2005 14:00:00 +0000", 1110290400 },
	{ "Thu Mar  8 14:00:00 2005", 1110290400 },		/* asctime */
	{ "Thu, 8 Mar 2005 14:00:00 +0530", 1110270600 },
	{ "Thu, 29 Feb 2024 00:00:00 +0000", 1709164800 },
	{ "", REFUSE },
	{ "garbage", REFUSE },
	{ "Thu, 32 Mar 2005 14:00:00 +0000", REFUSE },
	{ "Thu, 29 Feb 2005 14:00:00 +0000", REFUSE },
	{ "Thu, 8 Foo 2005 14:00:00 +0000", REFUSE },
	{ "Thu, 8 Mar 2005 25:00:00 +0000", REFUSE },
	{ "Thu, 8 Mar 2005 14:00:00 +00", REFUSE },
	{ "Thu, 8 Mar 2005 14:00:00 +0000 trailing", REFUSE },
	{ "Thu, 8 Mar 2005 14:00:00 +0000 (unclosed", REFUSE },
	{ "Thu, 8 Mar 2005", REFUSE },
	{ "2005-03-08T14:00:00Z", REFUSE },
};

int
main(void)
{
	int64_t	t = 0;

	run(timeparse_rfc3339, "rfc3339", rfc3339,
	    sizeof(rfc3339) / sizeof(rfc3339[0]));
	run(timeparse_rfc5322, "rfc5322", rfc5322,
	    sizeof(rfc5322) / sizeof(rfc5322[0]));
	ok(timeparse_rfc3339(NULL, &t) == -1, "rfc3339 refuses NULL");
	ok(timeparse_rfc5322(NULL, &t) == -1, "rfc5322 refuses NULL");
	is_int(timeparse_utc(1970, 1, 1, 0, 0, 0), 0, "utc: the epoch");
	is_int(timeparse_utc(1969, 12, 31, 23, 59, 59), -1, "utc: before");
	is_int(timeparse_utc(2000, 3, 1, 0, 0, 0), 951868800, "utc: 2000-03");
	is_int(timeparse_utc(1600, 1, 1, 0, 0, 0), -11676096000LL,
	    "utc: 1600");
	is_int(timeparse_utc(2025, 13, 1, 0, 0, 0),
	    timeparse_utc(2026, 1, 1, 0, 0, 0), "utc: month 13");
	is_int(timeparse_utc(2026, 0, 1, 0, 0, 0),
	    timeparse_utc(2025, 12, 1, 0, 0, 0), "utc: month 0");
	is_int(timeparse_utc(2106, 2, 7, 6, 28, 16), 4294967296LL,
	    "utc: past 32 bits");
	return (done_testing());
}
