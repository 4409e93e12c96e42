/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	log - syslog or stderr, one line at a time, from any thread
 * PURPOSE
 *	A line is formatted into a buffer and written with one write(2) to
 *	stderr (so that lines of different threads never interleave), or
 *	handed to syslog(3), which is thread-safe in glibc.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define LOG_LINE_MAX	2048

static const char *log_ident = "report-milter";
static volatile bool log_stderr = true;
static bool log_syslog;

void
log_open(const char *ident, bool to_stderr, bool to_syslog, int facility)
{
	log_ident = ident;
	log_stderr = to_stderr;
	log_syslog = to_syslog;
	if (to_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, facility);
}

void
log_detach(void)
{
	log_stderr = false;
}

static const char *
log_level_name(int prio)
{
	switch (prio) {
	case LOG_EMERG:
	case LOG_ALERT:
	case LOG_CRIT:
	case LOG_ERR:
		return ("error: ");
	case LOG_WARNING:
		return ("warning: ");
	case LOG_DEBUG:
		return ("debug: ");
	default:
		return ("");
	}
}

/* One line to stderr: "2026-03-01T12:00:00 report-milter[123]: text". */
static void
log_to_stderr(int prio, const char *text)
{
	char	line[LOG_LINE_MAX + 128], stamp[32];
	struct tm tm;
	time_t	now = time(NULL);
	int	n;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	n = snprintf(line, sizeof(line), "%s %s[%ld]: %s%s\n", stamp,
	    log_ident, (long) getpid(), log_level_name(prio), text);
	if (n < 0)
		return;
	if ((size_t) n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	(void) !write(STDERR_FILENO, line, (size_t) n);
}

static void
log_emit(int prio, const char *text)
{
	if (log_stderr)
		log_to_stderr(prio, text);
	if (log_syslog)
		syslog(prio, "%s%s", log_level_name(prio), text);
}

void
log_msg(int prio, const char *fmt, ...)
{
	char	text[LOG_LINE_MAX];
	int	saved = errno;
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	log_emit(prio, text);
	errno = saved;
}

void
log_sys(int prio, const char *fmt, ...)
{
	char	text[LOG_LINE_MAX];
	int	saved = errno;
	size_t	n;
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	n = strlen(text);
	snprintf(text + n, sizeof(text) - n, ": %s", strerror(saved));
	log_emit(prio, text);
	errno = saved;
}

int
log_facility(const char *name)
{
	static const struct {
		const char *name;
		int	value;
	} names[] = {
		{ "mail", LOG_MAIL }, { "daemon", LOG_DAEMON },
		{ "user", LOG_USER }, { "local0", LOG_LOCAL0 },
		{ "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 },
		{ "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 },
		{ "local5", LOG_LOCAL5 }, { "local6", LOG_LOCAL6 },
		{ "local7", LOG_LOCAL7 },
	};
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(name, names[i].name) == 0)
			return (names[i].value);
	return (-1);
}
