/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_common - what every report-query verb shares
 * PURPOSE
 *	Opening the store with a message a postmaster understands, reading
 *	times, days and counts from the command line the same way in every
 *	verb, and noticing when standard output could not be written.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rq.h"
#include "rq_where.h"

int
rq_fail(const char *verb, const char *fmt, ...)
{
	va_list	ap;

	fflush(stdout);
	fprintf(stderr, "%s %s: ", rq_progname, verb);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return (RQ_EXIT_FAIL);
}

int
rq_store_fail(const char *verb, const char *dir, enum store_status st,
    const struct store_error *err)
{
	if (err != NULL && err->reason[0] != '\0')
		return (rq_fail(verb, "store %s: %s: %s", dir,
		    store_status_name(st), err->reason));
	return (rq_fail(verb, "store %s: %s", dir, store_status_name(st)));
}

int
rq_open(const char *verb, const char *dir, bool write, struct store **out)
{
	struct store_options o;
	struct store_error err = { "" };
	enum store_status st;

	store_options_default(&o);
	o.read_only = !write;
	o.no_create = !write;
	if ((st = store_open(dir, &o, out, &err)) == STORE_OK)
		return (RQ_EXIT_OK);
	*out = NULL;
	if (st == STORE_NOTFOUND)
		return (rq_fail(verb, "no store in %s (use --store DIR)", dir));
	return (rq_store_fail(verb, dir, st, &err));
}

int
rq_time_arg(const char *verb, const char *opt, const char *text, int64_t *t)
{
	int64_t	hi;

	if (rq_where_time(text, t, &hi) == 0)
		return (0);
	return (rq_usage_error(verb, "%s: '%s' is not an RFC 3339 time or a "
	    "date (YYYY-MM-DD)", opt, text));
}

int
rq_days_arg(const char *verb, const char *opt, const char *text,
    int64_t *seconds)
{
	char   *end;
	long	days;

	errno = 0;
	days = strtol(text, &end, 10);
	if (errno || end == text || *end || days < 0 || days > 36500)
		return (rq_usage_error(verb, "%s: '%s' is not a number of days",
		    opt, text));
	*seconds = (int64_t) days * 86400;
	return (0);
}

int
rq_count_arg(const char *verb, const char *opt, const char *text, size_t *n)
{
	char   *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || end == text || *end || *text == '-' ||
	    v > (unsigned long long) SIZE_MAX)
		return (rq_usage_error(verb, "%s: '%s' is not a count", opt,
		    text));
	*n = (size_t) v;
	return (0);
}

int
rq_flush(const char *verb, int status)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		return (rq_fail(verb, "writing the output: %s",
		    strerror(errno)));
	return (status);
}
