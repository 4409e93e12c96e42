/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	config - reads report-milter.conf into a struct config
 * PURPOSE
 *	One table lists every key: its name, the kind of value, where it
 *	goes in struct config, its default (written as in the file, and
 *	parsed by the same code as the file), and whether it is read at
 *	startup only. A bad line is refused with "FILE:LINE: why".
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "log.h"

/* The report mailboxes of report-milter.conf(5), DEFAULTS. */
#define DEFAULT_RECIPIENTS \
	"postmaster@*, dmarc*@*, rua@*, ruf@*, tlsrpt*@*, tls-reports@*, " \
	"smtp-tls-reports@*, abuse@*, fbl@*"

enum kind {
	K_TEXT,		/* any text, also empty */
	K_PATH,		/* an absolute path */
	K_SOCKET,	/* unix:/path, local:/path, inet:port[@host], inet6:... */
	K_USER,		/* user[:group] */
	K_BOOL,		/* yes/no, true/false, on/off, 1/0 */
	K_SIZE,		/* bytes, with an optional k, m or g */
	K_COUNT,	/* a whole number */
	K_MODE,		/* octal, at most 0777 */
	K_FACILITY,	/* a syslog facility name */
	K_ACTION,	/* deliver, remove-recipients, discard */
	K_UNAUTH,	/* accept, quarantine, refuse */
	K_PATTERNS,	/* recipient patterns; repeated lines add up */
	K_WORDS,	/* words, comma or space between; lines add up */
	K_QUERY		/* a whole number for report-query alerts: checked
			   here, kept nowhere (the milter has no use for it) */
};

struct key {
	const char *name;
	enum kind kind;
	size_t	off;		/* in struct config */
	const char *def;	/* NULL: unset (or the parsers' default) */
	bool	restart;	/* read at startup only */
	unsigned long long min, max;	/* for K_SIZE and K_COUNT; max 0: none */
};

#define OFF(member)	offsetof(struct config, member)
#define GB		(1ULL << 30)

static const struct key keys[] = {
	{ "Socket", K_SOCKET, OFF(socket), "inet:8895@127.0.0.1", true, 0, 0 },
	{ "PidFile", K_PATH, OFF(pid_file), NULL, true, 0, 0 },
	{ "UserID", K_USER, OFF(user_id), NULL, true, 0, 0 },
	{ "Umask", K_MODE, OFF(umask), "027", true, 0, 0 },
	{ "Syslog", K_BOOL, OFF(syslog), "yes", true, 0, 0 },
	{ "SyslogFacility", K_FACILITY, OFF(syslog_facility), "mail", true, 0, 0 },
	{ "StoreDir", K_PATH, OFF(store_dir), "/var/lib/report-milter", true, 0, 0 },
	{ "StoreMaxSize", K_SIZE, OFF(store_max_size), "1g", true, 0, 0 },
	{ "TemporaryDirectory", K_PATH, OFF(temp_dir), "/var/tmp", true, 0, 0 },
	{ "ReportRetention", K_COUNT, OFF(retention_days), "30", false, 1, 36500 },
	{ "PurgeInterval", K_COUNT, OFF(purge_interval), "3600", false, 0, 0 },
	{ "ReportRecipients", K_PATTERNS, OFF(recipients), DEFAULT_RECIPIENTS, false, 0, 0 },
	{ "RecipientDelimiter", K_TEXT, OFF(recipient_delimiter), "+", false, 0, 0 },
	{ "IgnoreAuthenticated", K_BOOL, OFF(ignore_authenticated), "yes", false, 0, 0 },
	{ "MaxMessageSize", K_SIZE, OFF(max_message_size), "50m", false, 0, 0 },
	{ "SpoolMemory", K_SIZE, OFF(spool_memory), "1m", false, 0, GB },
	{ "QuarantineMaxSize", K_SIZE, OFF(quarantine_size), "10m", false, 0, 0 },
	{ "ReportAction", K_ACTION, OFF(action), "deliver", false, 0, 0 },
	{ "AddHeader", K_BOOL, OFF(add_header), "no", false, 0, 0 },
	{ "DeferParse", K_BOOL, OFF(defer_parse), "yes", false, 0, 0 },
	{ "DeferBacklog", K_COUNT, OFF(defer_backlog), "1000", false, 1, 1000000 },
	{ "DeferJournalSize", K_SIZE, OFF(defer_journal_size), "64m", true, 0, 16 * GB },
	{ "TrustedAuthservIDs", K_WORDS, OFF(trusted), NULL, false, 0, 0 },
	{ "Unauthenticated", K_UNAUTH, OFF(unauthenticated), "accept", false, 0, 0 },
	{ "StatsFile", K_PATH, OFF(stats_file), NULL, false, 0, 0 },
	{ "StatsInterval", K_COUNT, OFF(stats_interval), "60", false, 1, 86400 },
	{ "MaxPartSize", K_SIZE, OFF(limits.part_bytes), NULL, false, 1, 0 },
	{ "MaxDecompressedSize", K_SIZE, OFF(limits.message_bytes), NULL, false, 1, 0 },
	{ "MaxMimeDepth", K_COUNT, OFF(limits.mime_depth), NULL, false, 1, UINT_MAX },
	{ "MaxMimeParts", K_COUNT, OFF(limits.mime_parts), NULL, false, 1, UINT_MAX },
	{ "MaxZipMembers", K_COUNT, OFF(limits.zip_members), NULL, false, 1, UINT_MAX },
	{ "MaxGzipLayers", K_COUNT, OFF(limits.gzip_layers), NULL, false, 1, UINT_MAX },
	{ "MaxJsonSize", K_SIZE, OFF(limits.json_bytes), NULL, false, 1, 0 },
	{ "MaxReturnedMessageSize", K_SIZE, OFF(limits.returned_message_bytes), NULL, false, 1, 0 },
	{ "MaxXmlDepth", K_COUNT, OFF(limits.xml_depth), NULL, false, 1, UINT_MAX },
	{ "MaxFieldSize", K_SIZE, OFF(limits.field_bytes), NULL, false, 1, 0 },
	{ "AlertTlsFailedSessions", K_QUERY, 0, NULL, false, 0, UINT32_MAX },
	{ "AlertDmarcCompliance", K_QUERY, 0, NULL, false, 0, 100 },
	{ "AlertSourceMessages", K_QUERY, 0, NULL, false, 0, UINT32_MAX },
	{ "AlertDailyDays", K_QUERY, 0, NULL, false, 0, 3650 },
	{ "AlertQuietDays", K_QUERY, 0, NULL, false, 0, 3650 },
	{ "AlertQuarantineGrowth", K_QUERY, 0, NULL, false, 0, UINT32_MAX },
};
#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

#define FIELD(c, k, type)	((type *) (void *) ((char *) (c) + (k)->off))

static const char *const action_names[] = {
	[CONFIG_ACTION_DELIVER] = "deliver",
	[CONFIG_ACTION_REMOVE] = "remove-recipients",
	[CONFIG_ACTION_DISCARD] = "discard",
};

static const char *const unauth_names[] = {
	[INGEST_UNAUTH_ACCEPT] = "accept",
	[INGEST_UNAUTH_QUARANTINE] = "quarantine",
	[INGEST_UNAUTH_REFUSE] = "refuse",
};

const char *
config_action_name(enum config_action a)
{
	return (action_names[a]);
}

/* A whole number with an optional k/m/g; -1 when v is none. */
static int
parse_number(const char *v, bool suffix, unsigned long long *out)
{
	unsigned long long n = 0, mul = 1;
	const char *p = v;

	if (!isdigit((unsigned char) *p))
		return (-1);
	for (; isdigit((unsigned char) *p); p++) {
		if (n > (ULLONG_MAX - 9) / 10)
			return (-1);
		n = n * 10 + (*p - '0');
	}
	if (suffix && *p != '\0' && p[1] == '\0') {
		switch (tolower((unsigned char) *p++)) {
		case 'k': mul = 1ULL << 10; break;
		case 'm': mul = 1ULL << 20; break;
		case 'g': mul = 1ULL << 30; break;
		default: return (-1);
		}
	}
	if (*p != '\0' || (n > 0 && mul > ULLONG_MAX / n))
		return (-1);
	*out = n * mul;
	return (0);
}

static int
parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t	i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return (*out = true, 0);
		if (strcasecmp(v, no[i]) == 0)
			return (*out = false, 0);
	}
	return (-1);
}

/* libmilter's connection specs, checked before libmilter sees them. */
static int
check_socket(const char *v, struct milter_error *err)
{
	const char *rest;
	size_t	n;

	if (v[0] == '/' || ((rest = strchr(v, ':')) != NULL &&
	    (strncasecmp(v, "unix:", 5) == 0 || strncasecmp(v, "local:", 6) == 0) &&
	    rest[1] == '/'))
		return (0);
	if (strncasecmp(v, "inet:", 5) == 0 || strncasecmp(v, "inet6:", 6) == 0) {
		rest = strchr(v, ':') + 1;
		n = strspn(rest, "0123456789");
		if (n > 0 && n <= 5 && atoi(rest) <= 65535 &&
		    (rest[n] == '\0' || (rest[n] == '@' && rest[n + 1] != '\0')))
			return (0);
	}
	merror_set(err, "Socket '%s' is not unix:/PATH, local:/PATH, "
	    "inet:PORT@HOST or inet6:PORT@HOST", v);
	return (-1);
}

static int
set_text(char **field, const char *v)
{
	char   *s = strdup(v);

	if (s == NULL)
		return (-1);
	free(*field);
	*field = s;
	return (0);
}

/* Checks a number against the key's bounds and stores it. */
static int
set_number(struct config *c, const struct key *k, const char *v,
    struct milter_error *err)
{
	unsigned long long n, max = k->max ? k->max :
	    (k->kind == K_SIZE ? SIZE_MAX : UINT_MAX);

	if (parse_number(v, k->kind == K_SIZE, &n) < 0 || n < k->min ||
	    n > max) {
		merror_set(err, "%s: '%s' is not %s from %llu to %llu", k->name,
		    v, k->kind == K_SIZE ? "a size (bytes, or with k, m, g)" :
		    "a whole number", k->min, max);
		return (-1);
	}
	if (k->kind == K_SIZE)
		*FIELD(c, k, size_t) = (size_t) n;
	else
		*FIELD(c, k, unsigned) = (unsigned) n;
	return (0);
}

static int
set_enum(struct config *c, const struct key *k, const char *v,
    struct milter_error *err)
{
	size_t	i;
	int	f;

	if (k->kind == K_FACILITY) {
		if ((f = log_facility(v)) < 0) {
			merror_set(err, "%s: unknown facility '%s' (mail, "
			    "daemon, user, local0 ... local7)", k->name, v);
			return (-1);
		}
		*FIELD(c, k, int) = f;
		return (0);
	}
	if (k->kind == K_UNAUTH) {
		for (i = 0; i < sizeof(unauth_names) / sizeof(unauth_names[0]);
		    i++)
			if (strcasecmp(v, unauth_names[i]) == 0) {
				*FIELD(c, k, enum ingest_unauth) =
				    (enum ingest_unauth) i;
				return (0);
			}
		merror_set(err, "%s: '%s' is not accept, quarantine or refuse",
		    k->name, v);
		return (-1);
	}
	for (i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++)
		if (strcasecmp(v, action_names[i]) == 0) {
			*FIELD(c, k, enum config_action) = (enum config_action) i;
			return (0);
		}
	merror_set(err, "%s: '%s' is not deliver, remove-recipients or "
	    "discard", k->name, v);
	return (-1);
}

/* Adds the words of v (comma or white space between) to l. */
static int
add_words(struct strlist *l, const char *v)
{
	char	word[256];
	size_t	n;

	for (;;) {
		v += strspn(v, ", \t");
		if ((n = strcspn(v, ", \t")) == 0)
			return (0);
		snprintf(word, sizeof(word), "%.*s", (int) n, v);
		if (strlist_add_str(l, word) < 0)
			return (-1);
		v += n;
	}
}

/* Parses v for key k into c. -1: err says why (or no memory: ""). */
static int
config_set(struct config *c, const struct key *k, const char *v,
    struct milter_error *err)
{
	unsigned long long n;

	merror_set(err, "%s", "");
	if (*v == '\0' && k->kind != K_TEXT) {
		merror_set(err, "%s needs a value", k->name);
		return (-1);
	}
	switch (k->kind) {
	case K_TEXT:
		return (set_text(FIELD(c, k, char *), v));
	case K_PATH:
		if (v[0] != '/') {
			merror_set(err, "%s: '%s' is not an absolute path",
			    k->name, v);
			return (-1);
		}
		return (set_text(FIELD(c, k, char *), v));
	case K_SOCKET:
		if (check_socket(v, err) < 0)
			return (-1);
		return (set_text(FIELD(c, k, char *), v));
	case K_USER:
		if (strpbrk(v, " \t") != NULL || v[0] == ':') {
			merror_set(err, "%s: '%s' is not user[:group]", k->name, v);
			return (-1);
		}
		return (set_text(FIELD(c, k, char *), v));
	case K_BOOL:
		if (parse_bool(v, FIELD(c, k, bool)) < 0) {
			merror_set(err, "%s: '%s' is not yes or no", k->name, v);
			return (-1);
		}
		return (0);
	case K_SIZE:
	case K_COUNT:
		return (set_number(c, k, v, err));
	case K_QUERY:
		if (parse_number(v, false, &n) < 0 || n > k->max) {
			merror_set(err, "%s: '%s' is not a whole number from 0 "
			    "to %llu", k->name, v, k->max);
			return (-1);
		}
		return (0);
	case K_MODE:
		if (strspn(v, "01234567") != strlen(v) ||
		    parse_number(v, false, &n) < 0 || strtoul(v, NULL, 8) > 0777) {
			merror_set(err, "%s: '%s' is not an octal mode such as "
			    "027", k->name, v);
			return (-1);
		}
		*FIELD(c, k, unsigned) = (unsigned) strtoul(v, NULL, 8);
		return (0);
	case K_FACILITY:
	case K_ACTION:
	case K_UNAUTH:
		return (set_enum(c, k, v, err));
	case K_WORDS:
		return (add_words(FIELD(c, k, struct strlist), v));
	case K_PATTERNS:
		switch (select_add(FIELD(c, k, struct select *), v, err)) {
		case SELECT_OK:
			return (0);
		case SELECT_INVALID:
			merror_prefix(err, "%s: ", k->name);
			return (-1);
		case SELECT_NOMEM:
			return (-1);
		}
	}
	return (-1);
}

static const struct key *
config_key(const char *name)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++)
		if (strcasecmp(name, keys[i].name) == 0)
			return (&keys[i]);
	return (NULL);
}

/* A new config holding every default. */
static struct config *
config_defaults(void)
{
	struct milter_error err;
	struct config *c;
	size_t	i;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return (NULL);
	parse_limits_default(&c->limits);
	for (i = 0; i < NKEYS; i++)
		if (keys[i].def != NULL &&
		    config_set(c, &keys[i], keys[i].def, &err) < 0) {
			config_free(c);
			return (NULL);
		}
	return (c);
}

/* Cuts a line into key and value (in place); false for an empty line. */
static bool
config_split(char *line, char **key, char **value)
{
	char   *p, *end;

	for (p = line; *p != '\0'; p++)
		if (*p == '#' && (p == line || isspace((unsigned char) p[-1]))) {
			*p = '\0';
			break;
		}
	p = line + strspn(line, " \t\r\n");
	if (*p == '\0')
		return (false);
	*key = p;
	p += strcspn(p, " \t\r\n");
	if (*p != '\0')
		*p++ = '\0';
	p += strspn(p, " \t\r\n");
	end = p + strlen(p);
	while (end > p && isspace((unsigned char) end[-1]))
		*--end = '\0';
	*value = p;
	return (true);
}

/* Applies one line; lineno[] remembers where each key was set. */
static enum config_status
config_line(struct config *c, char *line, unsigned no, unsigned *lineno,
    struct milter_error *err)
{
	const struct key *k;
	char   *name, *value;
	size_t	i;

	if (!config_split(line, &name, &value))
		return (CONFIG_OK);
	if ((k = config_key(name)) == NULL) {
		merror_set(err, "unknown key '%s'", name);
		return (CONFIG_INVALID);
	}
	i = k - keys;
	if (lineno[i] != 0 && k->kind != K_PATTERNS && k->kind != K_WORDS) {
		merror_set(err, "%s given twice (first on line %u)", k->name,
		    lineno[i]);
		return (CONFIG_INVALID);
	}
	if (lineno[i] == 0 && k->kind == K_PATTERNS) {
		/* The file's list replaces the default one. */
		select_free(*FIELD(c, k, struct select *));
		*FIELD(c, k, struct select *) = NULL;
	}
	lineno[i] = no;
	if (config_set(c, k, value, err) < 0)
		return (err->reason[0] ? CONFIG_INVALID : CONFIG_NOMEM);
	return (CONFIG_OK);
}

/* Checks what no single line can: keys that depend on each other. */
static enum config_status
config_check(const struct config *c, struct milter_error *err)
{
	if (select_count(c->recipients) == 0) {
		merror_set(err, "ReportRecipients: no pattern given");
		return (CONFIG_INVALID);
	}
	if (c->unauthenticated != INGEST_UNAUTH_ACCEPT && c->trusted.n == 0) {
		merror_set(err, "Unauthenticated %s needs TrustedAuthservIDs",
		    unauth_names[c->unauthenticated]);
		return (CONFIG_INVALID);
	}
	return (CONFIG_OK);
}

static enum config_status
config_read(FILE *f, struct config *c, struct milter_error *err)
{
	unsigned lineno[NKEYS] = { 0 }, no = 0;
	enum config_status st = CONFIG_OK;
	char   *line = NULL;
	size_t	cap = 0;

	errno = 0;
	while (getline(&line, &cap, f) >= 0) {
		no++;
		if ((st = config_line(c, line, no, lineno, err)) != CONFIG_OK)
			break;
	}
	free(line);
	if (st == CONFIG_OK && ferror(f)) {
		merror_sys(err, "%s", c->file);
		return (CONFIG_IO);
	}
	if (st == CONFIG_INVALID)
		merror_prefix(err, "%s:%u: ", c->file, no);
	else if (st == CONFIG_NOMEM)
		merror_set(err, "%s: out of memory", c->file);
	else if ((st = config_check(c, err)) != CONFIG_OK)
		merror_prefix(err, "%s: ", c->file);
	return (st);
}

enum config_status
config_load(const char *path, struct config **out, struct milter_error *err)
{
	struct config *c;
	enum config_status st;
	FILE   *f;

	*out = NULL;
	if ((f = fopen(path, "r")) == NULL) {
		merror_sys(err, "%s", path);
		return (CONFIG_IO);
	}
	if ((c = config_defaults()) == NULL || (c->file = strdup(path)) == NULL) {
		fclose(f);
		config_free(c);
		merror_set(err, "%s: out of memory", path);
		return (CONFIG_NOMEM);
	}
	st = config_read(f, c, err);
	fclose(f);
	if (st != CONFIG_OK) {
		config_free(c);
		return (st);
	}
	*out = c;
	return (CONFIG_OK);
}

static bool
text_differs(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != b);
	return (strcmp(a, b) != 0);
}

const char *
config_restart_key(const struct config *a, const struct config *b)
{
	size_t	i, size;

	for (i = 0; i < NKEYS; i++) {
		const struct key *k = &keys[i];

		if (!k->restart)
			continue;
		switch (k->kind) {
		case K_TEXT: case K_PATH: case K_SOCKET: case K_USER:
			if (text_differs(*FIELD(a, k, char *), *FIELD(b, k, char *)))
				return (k->name);
			continue;
		case K_BOOL: size = sizeof(bool); break;
		case K_SIZE: size = sizeof(size_t); break;
		case K_FACILITY: size = sizeof(int); break;
		default: size = sizeof(unsigned); break;
		}
		if (memcmp(FIELD(a, k, char), FIELD(b, k, char), size) != 0)
			return (k->name);
	}
	return (NULL);
}

void
config_free(struct config *c)
{
	if (c == NULL)
		return;
	free(c->file);
	free(c->socket);
	free(c->pid_file);
	free(c->user_id);
	free(c->store_dir);
	free(c->temp_dir);
	free(c->recipient_delimiter);
	free(c->stats_file);
	select_free(c->recipients);
	strlist_clear(&c->trusted);
	free(c);
}
