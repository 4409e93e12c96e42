/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_parse - report-query parse: what a file would give, storing nothing
 * PURPOSE
 *	Reads each file (an e-mail or a bare report), extracts every report
 *	in it and prints the External report objects, stamped with the
 *	mail's From, Subject and To and with receivedAt/expiresAt, as pretty
 *	JSON or one object per line. A file that gives no report is named on
 *	stderr with the reason, and the exit status is 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "extract.h"
#include "ingest.h"
#include "record.h"
#include "record_json.h"
#include "timeparse.h"

#include "rq.h"


struct parse_opts {
	unsigned json_flags;
	int64_t	received_at;
	int64_t	hold_seconds;
	struct parse_limits limits;
};

/* The reports of one file, kept until the mail's headers are known. */
struct collected {
	struct report **v;
	size_t	n;
	size_t	cap;
	struct strlist failures;	/* parts that could not be used */
};

static enum parse_status
collect_report(void *arg, struct report *r, const char *where)
{
	struct collected *c = arg;

	(void) where;
	if (c->n == c->cap) {
		size_t	cap = c->cap ? c->cap * 2 : 4;
		struct report **v = realloc(c->v, cap * sizeof(*v));

		if (v == NULL) {
			report_free(r);
			return (PARSE_NOMEM);
		}
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = r;
	return (PARSE_OK);
}

/*
 * Keeps a part's failure: it is shown as a warning when other parts of the
 * file gave reports, and left out when the file fails as a whole (then
 * the one line that names the file says why).
 */
static void
note_failure(void *arg, const char *where, enum parse_status st,
    const char *reason)
{
	struct collected *c = arg;
	char	line[1024];

	snprintf(line, sizeof(line), "%s: %s: %s", where,
	    parse_status_name(st), reason);
	(void) strlist_add_str(&c->failures, line);
}

/* Prints one report as an External report object; 0 or -1 (no memory). */
static int
print_report(struct report *r, const struct message_info *info,
    const struct parse_opts *o)
{
	struct external_report x;
	char   *text;
	int	rc = 0;

	memset(&x, 0, sizeof(x));
	x.report = r;
	x.from = info->from ? info->from : "";
	x.subject = info->subject ? info->subject : "";
	x.to = info->to;
	x.received_at = o->received_at;
	x.expires_at = o->received_at + o->hold_seconds;
	if ((text = record_json_write(&x, o->json_flags, NULL)) == NULL)
		rc = -1;
	else
		printf("%s\n", text);
	free(text);
	return (rc);
}

/* Maps a file (or reads standard input); *len gets its size. */
static char *
load(const char *path, size_t *len, int *mapped)
{
	struct stat st;
	char   *buf = NULL;
	int	fd;

	*mapped = 0;
	if ((fd = open(path, O_RDONLY)) < 0)
		return (NULL);
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		*len = (size_t) st.st_size;
		buf = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (buf == MAP_FAILED)
			buf = NULL;
		else
			*mapped = 1;
	} else if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		*len = 0;
		buf = strdup("");
	} else
		errno = EINVAL;
	close(fd);
	return (buf);
}

/* Parses and prints one file; returns RQ_EXIT_OK or RQ_EXIT_FAIL. */
static int
parse_file(const char *path, const struct parse_opts *o)
{
	struct collected c;
	struct extract_sink sink = { NULL, collect_report, note_failure, &c };
	struct message_info info;
	struct parse_error err = { "" };
	enum parse_status st;
	size_t	len = 0, i;
	int	mapped, rc = RQ_EXIT_OK;
	char   *buf;

	if ((buf = load(path, &len, &mapped)) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", rq_progname, path, strerror(errno));
		return (RQ_EXIT_FAIL);
	}
	memset(&c, 0, sizeof(c));
	memset(&info, 0, sizeof(info));
	st = extract_message(buf, len, &o->limits, &sink, &info, &err);
	if (st != PARSE_OK && c.n == 0) {
		fprintf(stderr, "%s: %s: %s: %s\n", rq_progname, path,
		    parse_status_name(st), err.reason[0] ? err.reason :
		    "no report found");
		rc = RQ_EXIT_FAIL;
	} else
		for (i = 0; i < c.failures.n; i++)
			fprintf(stderr, "%s: %s: warning: %s\n", rq_progname,
			    path, c.failures.v[i]);
	strlist_clear(&c.failures);
	for (i = 0; i < c.n; i++) {
		if (rc == RQ_EXIT_OK && print_report(c.v[i], &info, o) < 0) {
			fprintf(stderr, "%s: %s: out of memory\n", rq_progname,
			    path);
			rc = RQ_EXIT_FAIL;
		}
		report_free(c.v[i]);
	}
	free(c.v);
	message_info_clear(&info);
	if (mapped)
		munmap(buf, len);
	else
		free(buf);
	return (rc);
}

static void
parse_help(void)
{
	printf("usage: %s parse [--format json|ndjson] [--received-at TIME] "
	    "[--hold DAYS] FILE...\n\n"
	    "Prints the External report objects (DmarcExternalReport,\n"
	    "TlsExternalReport, ArfExternalReport) that each FILE would give,\n"
	    "storing nothing. FILE is a report e-mail or a bare report (.xml,\n"
	    ".xml.gz, .zip, .json, .json.gz), told apart by content.\n\n"
	    "  --format json|ndjson  pretty JSON (default) or one object a line\n"
	    "  --received-at TIME    receivedAt as RFC 3339 (default: now)\n"
	    "  --hold DAYS           expiresAt = receivedAt + DAYS (default %d)\n\n"
	    "Exit status: 0 every file gave a report, 1 a file gave none (stderr\n"
	    "names it and says why), 2 usage error.\n", rq_progname,
	    INGEST_HOLD_DAYS);
}

/*
 * Reads the options into *o. Returns 0 to go on, -1 when --help was
 * answered, or a usage error's exit status.
 */
static int
parse_options(int argc, char **argv, struct parse_opts *o)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "received-at", required_argument, NULL, 'r' },
		{ "hold", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char   *end;
	long	days;
	int	ch;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "ndjson") == 0)
				o->json_flags &= ~RECORD_JSON_PRETTY;
			else if (strcmp(optarg, "json") == 0)
				o->json_flags |= RECORD_JSON_PRETTY;
			else
				return (rq_usage_error("parse",
				    "unknown format '%s'", optarg));
			break;
		case 'r':
			if (timeparse_rfc3339(optarg, &o->received_at) < 0)
				return (rq_usage_error("parse",
				    "'%s' is not an RFC 3339 time", optarg));
			break;
		case 'd':
			errno = 0;
			days = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || days < 0 ||
			    days > 36500)
				return (rq_usage_error("parse",
				    "'%s' is not a number of days", optarg));
			o->hold_seconds = (int64_t) days * 86400;
			break;
		case 'h':
			parse_help();
			return (-1);
		default:
			return (rq_usage_error("parse", "unknown option"));
		}
	}
	if (optind >= argc)
		return (rq_usage_error("parse", "no FILE given"));
	return (0);
}

int
rq_parse(int argc, char **argv)
{
	struct parse_opts o;
	int	i, rc, status = RQ_EXIT_OK;

	o.json_flags = RECORD_JSON_TYPE | RECORD_JSON_PRETTY;
	o.received_at = (int64_t) time(NULL);
	o.hold_seconds = (int64_t) INGEST_HOLD_DAYS * 86400;
	parse_limits_default(&o.limits);
	if ((rc = parse_options(argc, argv, &o)) != 0)
		return (rc < 0 ? RQ_EXIT_OK : rc);
	extract_init();
	for (i = optind; i < argc; i++)
		if (parse_file(argv[i], &o) != RQ_EXIT_OK)
			status = RQ_EXIT_FAIL;
	extract_shutdown();
	return (status);
}
