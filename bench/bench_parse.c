/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	bench_parse - how fast the parsers turn report files into records
 * PURPOSE
 *	Runs extract_message() over the files named on the command line, as
 *	the store will: DMARC records stream through the batch callback and
 *	are dropped, so memory is what the parsers themselves need. Prints
 *	one line: files, reports, records, seconds, MB/s of report text and
 *	peak RSS. Report text bytes come from the caller (--text-bytes), who
 *	knows the uncompressed size; without it MB/s is of input bytes.
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "extract.h"

struct counts {
	unsigned long reports;
	unsigned long records;
	unsigned long failures;
};

static enum parse_status
on_records(void *arg, const struct dmarc_report *hdr,
    struct dmarc_record *recs, size_t n)
{
	struct counts *c = arg;

	(void) hdr;
	(void) recs;
	c->records += n;
	return (PARSE_OK);
}

static enum parse_status
on_report(void *arg, struct report *r, const char *where)
{
	struct counts *c = arg;

	(void) where;
	c->reports++;
	if (r->type == RECORD_TLS) {
		size_t	i;

		for (i = 0; i < r->u.tls.n_policies; i++)
			c->records += r->u.tls.policies[i].n_failures;
	}
	report_free(r);
	return (PARSE_OK);
}

static void
on_failure(void *arg, const char *where, enum parse_status st,
    const char *reason)
{
	struct counts *c = arg;

	c->failures++;
	fprintf(stderr, "bench_parse: %s: %s: %s\n", where,
	    parse_status_name(st), reason);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

/* Parses one file; adds its size to *bytes. Returns 0 or -1. */
static int
run_file(const char *path, const struct parse_limits *lim,
    struct counts *c, double *bytes)
{
	struct extract_sink sink = { on_records, on_report, on_failure, c };
	struct parse_error err = { "" };
	struct stat st;
	enum parse_status ps;
	char   *buf;
	int	fd;

	if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &st) < 0) {
		perror(path);
		return (-1);
	}
	buf = mmap(NULL, (size_t) st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (buf == MAP_FAILED) {
		perror(path);
		return (-1);
	}
	ps = extract_message(buf, (size_t) st.st_size, lim, &sink, NULL, &err);
	munmap(buf, (size_t) st.st_size);
	*bytes += (double) st.st_size;
	if (ps != PARSE_OK) {
		fprintf(stderr, "bench_parse: %s: %s\n", path, err.reason);
		return (-1);
	}
	return (0);
}

int
main(int argc, char **argv)
{
	struct parse_limits lim;
	struct counts c = { 0, 0, 0 };
	struct rusage ru;
	double	text = 0, input = 0, t0, secs;
	const char *label = "parse";
	int	ch, i, rc = 0;

	while ((ch = getopt(argc, argv, "l:t:")) != -1) {
		switch (ch) {
		case 'l':
			label = optarg;
			break;
		case 't':
			text = strtod(optarg, NULL);
			break;
		default:
			fprintf(stderr, "usage: bench_parse [-l LABEL] "
			    "[-t TEXT-BYTES] FILE...\n");
			return (2);
		}
	}
	parse_limits_default(&lim);
	extract_init();
	t0 = now();
	for (i = optind; i < argc; i++)
		if (run_file(argv[i], &lim, &c, &input) < 0)
			rc = 1;
	secs = now() - t0;
	extract_shutdown();
	getrusage(RUSAGE_SELF, &ru);
	printf("%-28s files %5d  reports %5lu  records %7lu  %7.3f s  "
	    "%7.1f MB/s %s  %6.1f reports/s  peak RSS %5.1f MB\n", label,
	    argc - optind, c.reports, c.records, secs,
	    (text > 0 ? text : input) / 1e6 / secs, text > 0 ? "text " :
	    "input", c.reports / secs, ru.ru_maxrss / 1024.0);
	return (rc);
}
