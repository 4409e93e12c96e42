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
#include "rq_parse_out.h"


struct parse_opts {
	unsigned json_flags;
	int64_t	received_at;
	int64_t	hold_seconds;
	struct parse_limits limits;
};

/* One file's walk: its reports print as they come, its failures wait. */
struct parse_run {
	struct rq_parse_out out;
	struct strlist failures;	/* parts that could not be used */
};

static enum parse_status
on_records(void *arg, const struct dmarc_report *hdr,
    struct dmarc_record *recs, size_t n)
{
	struct parse_run *r = arg;

	return (rq_parse_out_records(&r->out, hdr, recs, n));
}

static enum parse_status
on_report(void *arg, struct report *rep, const char *where)
{
	struct parse_run *r = arg;

	(void) where;
	return (rq_parse_out_report(&r->out, rep));
}

/*
 * Keeps a part's failure: it is shown as a warning when other parts of the
 * file gave reports, and left out when the file fails as a whole (then
 * the one line that names the file says why). A DMARC part that fails
 * after its records began to arrive is abandoned.
 */
static void
note_failure(void *arg, const char *where, enum parse_status st,
    const char *reason)
{
	struct parse_run *r = arg;
	char	line[1024];

	rq_parse_out_abandon(&r->out);
	snprintf(line, sizeof(line), "%s: %s: %s", where,
	    parse_status_name(st), reason);
	(void) strlist_add_str(&r->failures, line);
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
	struct parse_run r;
	struct extract_sink sink = { on_records, on_report, note_failure, &r };
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
	memset(&r, 0, sizeof(r));
	memset(&info, 0, sizeof(info));
	r.out.fp = stdout;
	r.out.json_flags = o->json_flags;
	r.out.received_at = o->received_at;
	r.out.expires_at = o->received_at + o->hold_seconds;
	r.out.info = &info;
	r.out.path = path;
	st = extract_message(buf, len, &o->limits, &sink, &info, &err);
	rq_parse_out_abandon(&r.out);	/* the walk stopped inside a report */
	if (r.out.nomem || st == PARSE_NOMEM) {
		fprintf(stderr, "%s: %s: out of memory\n", rq_progname, path);
		rc = RQ_EXIT_FAIL;
	} else if (st != PARSE_OK && r.out.printed == 0) {
		fprintf(stderr, "%s: %s: %s: %s\n", rq_progname, path,
		    parse_status_name(st), err.reason[0] ? err.reason :
		    "no report found");
		rc = RQ_EXIT_FAIL;
	} else
		for (i = 0; i < r.failures.n; i++)
			fprintf(stderr, "%s: %s: warning: %s\n", rq_progname,
			    path, r.failures.v[i]);
	if (r.out.cut) {
		fprintf(stderr, "%s: %s: a report failed after its first "
		    "records were printed: that object is cut short\n",
		    rq_progname, path);
		rc = RQ_EXIT_FAIL;
	}
	strlist_clear(&r.failures);
	rq_parse_out_clear(&r.out);
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
