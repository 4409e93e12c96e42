/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_alerts - report-query alerts: what is new since the last run
 * PURPOSE
 *	The verb: its options, the thresholds from the configuration, the
 *	list of alerts a run finds, the last run's state (rq_alerts_state.c),
 *	the checks (rq_alerts_check.c), the output for a postmaster (one
 *	line an alert, ready for cron to mail) or a program (JSON), and the
 *	new state. Exit 0: nothing new; 1: alerts; 2: an
 *	error, as grep(1) and diff(1) say it: a cron job mails the output
 *	of 1 and 2 alike, and a script can tell them apart. The state is
 *	saved only after the output was written, so an alert that could not
 *	be said is said again next time.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rq.h"
#include "rq_alerts.h"

#define VERB		"alerts"
#define EXIT_ALERTS	1
#define EXIT_ERROR	2

/* The keys: name, where, default, and the largest value allowed. */
static const struct {
	const char *name;
	size_t	off;
	uint64_t def, max;
} conf_keys[] = {
	{ "AlertTlsFailedSessions", offsetof(struct rq_alerts_conf, tls_failed), 10, UINT32_MAX },
	{ "AlertDmarcCompliance", offsetof(struct rq_alerts_conf, compliance), 90, 100 },
	{ "AlertSourceMessages", offsetof(struct rq_alerts_conf, source_messages), 10, UINT32_MAX },
	{ "AlertDailyDays", offsetof(struct rq_alerts_conf, daily_days), 7, 3650 },
	{ "AlertQuietDays", offsetof(struct rq_alerts_conf, quiet_days), 2, 3650 },
	{ "AlertQuarantineGrowth", offsetof(struct rq_alerts_conf, quarantine_growth), 1, UINT32_MAX },
};
#define NCONF	(sizeof(conf_keys) / sizeof(conf_keys[0]))

int
rq_alerts_conf_read(const char *path, struct rq_alerts_conf *c,
    char *store_dir, size_t size)
{
	char	buf[256], *end;
	unsigned long long v;
	uint64_t *field;
	FILE   *fp;
	size_t	i;

	for (i = 0; i < NCONF; i++)
		*(uint64_t *) (void *) ((char *) c + conf_keys[i].off) =
		    conf_keys[i].def;
	if (store_dir != NULL && size > 0)
		store_dir[0] = '\0';
	if ((fp = fopen(path, "r")) == NULL)
		return (0);
	if (store_dir != NULL && !rq_config_store_dir(fp, store_dir, size))
		store_dir[0] = '\0';
	for (i = 0; i < NCONF; i++) {
		rewind(fp);
		if (!rq_config_value(fp, conf_keys[i].name, buf, sizeof(buf)))
			continue;
		errno = 0;
		v = strtoull(buf, &end, 10);
		if (buf[0] < '0' || buf[0] > '9' || *end != '\0' || errno != 0 ||
		    v > conf_keys[i].max) {
			fclose(fp);
			rq_fail(VERB, "%s: %s: '%s' is not a whole number from "
			    "0 to %" PRIu64, path, conf_keys[i].name, buf,
			    conf_keys[i].max);
			return (-1);
		}
		field = (uint64_t *) (void *) ((char *) c + conf_keys[i].off);
		*field = v;
	}
	fclose(fp);
	return (0);
}

int
rq_alerts_add(struct rq_alerts *a, const char *kind, const char *subject,
    const char *fmt, ...)
{
	struct rq_alert *v;
	va_list	ap;
	char   *text = NULL, *subj;
	int	len;

	if (a->n == a->cap) {
		size_t	cap = a->cap ? a->cap * 2 : 16;

		if ((v = realloc(a->v, cap * sizeof(*v))) == NULL)
			return (-1);
		a->v = v;
		a->cap = cap;
	}
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || (text = malloc((size_t) len + 1)) == NULL)
		return (-1);
	va_start(ap, fmt);
	(void) vsnprintf(text, (size_t) len + 1, fmt, ap);
	va_end(ap);
	if ((subj = strdup(subject)) == NULL) {
		free(text);
		return (-1);
	}
	a->v[a->n].kind = kind;
	a->v[a->n].subject = subj;
	a->v[a->n].text = text;
	a->n++;
	return (0);
}

void
rq_alerts_clear(struct rq_alerts *a)
{
	size_t	i;

	for (i = 0; i < a->n; i++) {
		free(a->v[i].subject);
		free(a->v[i].text);
	}
	free(a->v);
	a->v = NULL;
	a->n = a->cap = 0;
}

static void
alerts_help(void)
{
	printf("usage: %s alerts [--store DIR] [--config FILE] [--state FILE]\n"
	    "       [--format text|json]\n\n"
	    "Prints what is new in the store and worth a look since the last\n"
	    "run: a new TLS failure type for a policy domain, TLS failed\n"
	    "sessions over a threshold, a policy domain's DMARC compliance\n"
	    "under a threshold, a new source failing DMARC, a reporter that\n"
	    "sent daily and went quiet, a growing quarantine. Thresholds are\n"
	    "the Alert* keys of the configuration.\n\n"
	    "  --state FILE    what was told already (read, then written);\n"
	    "                  without it every alert is told each run\n"
	    "  --format FMT    text (one line an alert, default) or json\n"
	    "  --config FILE   thresholds and StoreDir (default %s)\n"
	    "  --store DIR     the store (default: StoreDir of the\n"
	    "                  configuration, else %s)\n\n"
	    "Exit status: 0 nothing new, 1 alerts, 2 error (usage, the\n"
	    "store, the configuration or the state file).\n",
	    rq_progname, RQ_CONFIG_FILE, RQ_DEFAULT_STORE);
}

/* A JSON string, escaped. */
static void
json_str(FILE *fp, const char *v)
{
	putc('"', fp);
	for (; *v; v++)
		if (*v == '"' || *v == '\\')
			fprintf(fp, "\\%c", *v);
		else if ((unsigned char) *v < 0x20)
			fprintf(fp, "\\u%04x", (unsigned char) *v);
		else
			putc(*v, fp);
	putc('"', fp);
}

static void
print_json(FILE *fp, const struct rq_alerts *a)
{
	size_t	i;

	fputs("{\"alerts\":[", fp);
	for (i = 0; i < a->n; i++) {
		fputs(i ? ",\n{\"kind\":" : "\n{\"kind\":", fp);
		json_str(fp, a->v[i].kind);
		fputs(",\"subject\":", fp);
		json_str(fp, a->v[i].subject);
		fputs(",\"text\":", fp);
		json_str(fp, a->v[i].text);
		putc('}', fp);
	}
	fputs(a->n ? "\n]}\n" : "]}\n", fp);
}

/* Control characters of stored text are not sent to a terminal or mail. */
static void
print_text(FILE *fp, const struct rq_alerts *a)
{
	const char *p;
	size_t	i;

	for (i = 0; i < a->n; i++) {
		for (p = a->v[i].text; *p; p++)
			putc((unsigned char) *p < 0x20 ? ' ' : *p, fp);
		putc('\n', fp);
	}
}

/* Everything after the options; the exit status. */
static int
alerts(const char *dir, const char *state_file,
    const struct rq_alerts_conf *c, int json)
{
	struct rq_alerts a = { NULL, 0, 0 };
	struct rq_tally *old = NULL, *next = NULL;
	struct store *s;
	int	rc;

	if (rq_open(VERB, dir, false, &s) != RQ_EXIT_OK)
		return (EXIT_ERROR);
	if (state_file != NULL && rq_alerts_state_load(state_file, &old) < 0)
		rc = EXIT_ERROR;
	else if ((old == NULL && (old = rq_tally_new()) == NULL) ||
	    (next = rq_tally_new()) == NULL)
		rc = (rq_fail(VERB, "out of memory"), EXIT_ERROR);
	else if (rq_alerts_check(dir, s, c, old, next, (int64_t) time(NULL),
	    &a) != RQ_EXIT_OK)
		rc = EXIT_ERROR;
	else {
		if (json)
			print_json(stdout, &a);
		else
			print_text(stdout, &a);
		rc = a.n > 0 ? EXIT_ALERTS : RQ_EXIT_OK;
		if (rq_flush(VERB, RQ_EXIT_OK) != RQ_EXIT_OK)
			rc = EXIT_ERROR;
		else if (state_file != NULL &&
		    rq_alerts_state_save(state_file, next) < 0)
			rc = EXIT_ERROR;
	}
	store_close(s);
	rq_alerts_clear(&a);
	rq_tally_free(old);
	rq_tally_free(next);
	return (rc);
}

int
rq_alerts(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "config", required_argument, NULL, 'c' },
		{ "state", required_argument, NULL, 'S' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static char conf_store[4096];
	const char *dir = NULL, *config = RQ_CONFIG_FILE, *state = NULL;
	struct rq_alerts_conf c;
	int	ch, json = 0;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's': dir = optarg; break;
		case 'c': config = optarg; break;
		case 'S': state = optarg; break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "text") != 0)
				return (rq_usage_error(VERB, "--format: '%s' "
				    "is not text or json", optarg));
			break;
		case 'h':
			alerts_help();
			return (RQ_EXIT_OK);
		default:
			return (rq_usage_error(VERB, "unknown option"));
		}
	}
	if (optind < argc)
		return (rq_usage_error(VERB, "unexpected argument '%s'",
		    argv[optind]));
	if (rq_alerts_conf_read(config, &c, conf_store, sizeof(conf_store)) < 0)
		return (EXIT_ERROR);
	if (dir == NULL)
		dir = conf_store[0] ? conf_store : RQ_DEFAULT_STORE;
	return (alerts(dir, state, &c, json));
}
