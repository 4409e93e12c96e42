/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	config.h - report-milter.conf: the daemon's settings
 * PURPOSE
 *	The configuration file holds one "Key value" a line, as
 *	opendkim.conf does; "#" starts a comment, keys ignore case. Every
 *	key, its default and whether a SIGHUP may change it are in one
 *	table in config.c (report-milter.conf(5) describes them). A struct
 *	config is read whole and never changed afterwards, so threads share
 *	it freely; config_live.h hands out the current one.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ingest.h"
#include "parse.h"
#include "merror.h"
#include "record.h"
#include "select.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR	"/etc"
#endif
/* The configuration read without -c: sysconfdir as configured. */
#define CONFIG_DEFAULT_FILE	SYSCONFDIR "/report-milter.conf"

/* What happens to a message after a report in it was stored. */
enum config_action {
	CONFIG_ACTION_DELIVER = 0,	/* delivered as usual */
	CONFIG_ACTION_REMOVE,		/* report recipients removed; discarded
					   when no other recipient is left */
	CONFIG_ACTION_DISCARD		/* discarded when every recipient is a
					   report recipient; else delivered */
};

struct config {
	char   *file;			/* where it was read from */
	unsigned refs;			/* config_live.c's count of users */
	/* Read at startup only (a SIGHUP that changes them is refused). */
	char   *socket;			/* Socket: libmilter's unix:/inet: spec */
	char   *pid_file;		/* PidFile; NULL: none */
	char   *user_id;		/* UserID: user[:group]; NULL: none */
	unsigned umask;			/* Umask */
	bool	syslog;			/* Syslog */
	int	syslog_facility;	/* SyslogFacility (a LOG_* value) */
	char   *store_dir;		/* StoreDir */
	size_t	store_max_size;		/* StoreMaxSize (bytes) */
	char   *temp_dir;		/* TemporaryDirectory: spool files */
	/* Changed by a SIGHUP. */
	unsigned retention_days;	/* ReportRetention */
	unsigned purge_interval;	/* PurgeInterval (seconds; 0: never) */
	struct select *recipients;	/* ReportRecipients */
	char   *recipient_delimiter;	/* RecipientDelimiter; "" none */
	bool	ignore_authenticated;	/* IgnoreAuthenticated */
	size_t	max_message_size;	/* MaxMessageSize (0: no limit) */
	size_t	spool_memory;		/* SpoolMemory: kept in memory */
	size_t	quarantine_size;	/* QuarantineMaxSize */
	enum config_action action;	/* ReportAction */
	bool	add_header;		/* AddHeader */
	bool	defer_parse;		/* DeferParse */
	unsigned defer_backlog;		/* DeferBacklog: mails pending at most */
	size_t	defer_journal_size;	/* DeferJournalSize: 0, none */
	struct strlist trusted;		/* TrustedAuthservIDs */
	enum ingest_unauth unauthenticated;	/* Unauthenticated */
	char   *stats_file;		/* StatsFile; NULL: none */
	unsigned stats_interval;	/* StatsInterval (seconds) */
	struct parse_limits limits;	/* MaxPartSize, MaxMimeDepth, ... */
};

enum config_status {
	CONFIG_OK = 0,
	CONFIG_IO,		/* the file cannot be read (err says why) */
	CONFIG_INVALID,		/* a line is wrong: err is "FILE:LINE: why" */
	CONFIG_NOMEM
};

/*
 * Reads the file path into a new struct config (*out, the caller's, on
 * CONFIG_OK; NULL otherwise). Keys that the file does not set take
 * their defaults. Returns CONFIG_OK, CONFIG_IO, CONFIG_INVALID (an
 * unknown key, a bad value, a key given twice) or CONFIG_NOMEM.
 */
enum config_status config_load(const char *path, struct config **out,
    struct milter_error *err);

/*
 * The name of the first key that differs between a and b and needs a
 * restart to change (Socket, StoreDir, ...), or NULL when there is none.
 */
const char *config_restart_key(const struct config *a,
    const struct config *b);

/* "deliver", "remove-recipients" or "discard". */
const char *config_action_name(enum config_action);

/* Frees c; NULL is fine. */
void	config_free(struct config *c);

#endif
