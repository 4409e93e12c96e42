/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	tap.h - the Test Anything Protocol, for the C unit tests
 * PURPOSE
 *	ok(), is_str(), is_int() print one TAP line each and remember
 *	failures; done_testing() prints the plan and returns the exit status.
 *	Header-only: each test program is one translation unit.
 */
#ifndef TAP_H
#define TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count;
static int tap_failed;

__attribute__((format(printf, 2, 3), unused))
static int
ok(int cond, const char *fmt, ...)
{
	va_list	ap;

	tap_count++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return (cond);
}

__attribute__((unused))
static int
is_str(const char *got, const char *want, const char *name)
{
	int	same = (got == NULL && want == NULL) ||
	    (got != NULL && want != NULL && strcmp(got, want) == 0);

	if (!ok(same, "%s", name))
		printf("#   got:  %s%s%s\n#   want: %s%s%s\n",
		    got ? "\"" : "", got ? got : "NULL", got ? "\"" : "",
		    want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
	return (same);
}

__attribute__((unused))
static int
is_int(intmax_t got, intmax_t want, const char *name)
{
	if (!ok(got == want, "%s", name)) {
		printf("#   got:  %jd\n#   want: %jd\n", got, want);
		return (0);
	}
	return (1);
}

__attribute__((format(printf, 1, 2), unused))
static void
diag(const char *fmt, ...)
{
	va_list	ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

__attribute__((unused))
static int
done_testing(void)
{
	printf("1..%d\n", tap_count);
	return (tap_failed ? 1 : 0);
}

#endif
