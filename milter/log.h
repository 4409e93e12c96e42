/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	log.h - the daemon's log: syslog, or stderr in the foreground
 * PURPOSE
 *	Every line the daemon writes goes through here, from any thread.
 *	Priorities are syslog(3)'s (LOG_ERR, LOG_WARNING, LOG_INFO, ...).
 *	Before log_open() lines go to stderr, so that a start that fails
 *	says why on the terminal that started it.
 */
#ifndef MILTER_LOG_H
#define MILTER_LOG_H

#include <stdbool.h>
#include <syslog.h>

/*
 * Chooses where lines go: to stderr when to_stderr (the -f foreground
 * mode), to syslog(3) with facility when to_syslog. Both may be true (a
 * daemon keeps stderr until it has detached, see log_detach()); neither
 * silences the log. ident names the program in every line.
 */
void	log_open(const char *ident, bool to_stderr, bool to_syslog,
	    int facility);

/* Stops writing to stderr (the daemon has detached from its terminal). */
void	log_detach(void);

/* Writes one line with priority prio (one of syslog's LOG_*). */
void	log_msg(int prio, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* log_msg() with ": " and strerror(errno) appended. */
void	log_sys(int prio, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Parses a syslog facility name ("mail", "daemon", "local0".."local7",
 * "user"); returns the LOG_* value, or -1 for an unknown name.
 */
int	log_facility(const char *name);

#endif
