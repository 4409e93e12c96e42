/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	merror - reasons of the daemon's modules
 * PURPOSE
 *	Formatting helpers for struct milter_error (see merror.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "merror.h"

void
merror_set(struct milter_error *err, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
}

void
merror_prefix(struct milter_error *err, const char *fmt, ...)
{
	char	head[sizeof(err->reason)];
	size_t	hn, tn, room = sizeof(err->reason) - 1;
	va_list	ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	hn = strlen(head);
	tn = strlen(err->reason);
	if (tn > room - hn)
		tn = room - hn;		/* the end of the reason is cut */
	memmove(err->reason + hn, err->reason, tn);
	memcpy(err->reason, head, hn);
	err->reason[hn + tn] = '\0';
}

void
merror_sys(struct milter_error *err, const char *fmt, ...)
{
	int	saved = errno;
	size_t	n;
	va_list	ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
	n = strlen(err->reason);
	snprintf(err->reason + n, sizeof(err->reason) - n, ": %s",
	    strerror(saved));
	errno = saved;
}
