/*
 * NAME
 *	bench_ingest - how fast report mail goes through the ingest path
 * PURPOSE
 *	Opens a fresh store in the directory given with -s and runs
 *	ingest_message() over the files named on the command line, one
 *	durable (fsync'd) commit per message, as report-milter does. Prints
 *	one line: files, reports stored, seconds, reports/s, the bytes the
 *	store uses and peak RSS.
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
#include "ingest.h"
#include "store.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

/* Ingests one file; returns the reports it stored, or -1. */
static int
run_file(struct store *s, const char *path, const struct ingest_options *o)
{
	struct ingest_envelope env;
	struct ingest_result res;
	struct stat st;
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
	memset(&env, 0, sizeof(env));
	env.queue_id = path;
	ingest_message(s, buf, (size_t) st.st_size, &env, o, &res);
	munmap(buf, (size_t) st.st_size);
	if (res.status != INGEST_STORED) {
		fprintf(stderr, "bench_ingest: %s: %s: %s\n", path,
		    ingest_status_name(res.status), res.reason);
		return (-1);
	}
	return ((int) (res.stored[RECORD_DMARC] + res.stored[RECORD_TLS] +
	    res.stored[RECORD_ARF]));
}

int
main(int argc, char **argv)
{
	struct store_options so;
	struct store_error err = { "" };
	struct ingest_options o;
	struct store_stat sst;
	struct store *s;
	struct rusage ru;
	const char *label = "ingest", *dir = NULL;
	unsigned long reports = 0;
	double	t0, secs;
	int	ch, i, n, rc = 0;
	size_t	used = 0;

	while ((ch = getopt(argc, argv, "l:s:")) != -1) {
		switch (ch) {
		case 'l':
			label = optarg;
			break;
		case 's':
			dir = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (dir == NULL) {
usage:
		fprintf(stderr, "usage: bench_ingest -s STORE-DIR [-l LABEL] FILE...\n");
		return (2);
	}
	store_options_default(&so);
	so.max_size = (size_t) 8 << 30;
	ingest_options_default(&o);
	extract_init();
	if (store_open(dir, &so, &s, &err) != STORE_OK) {
		fprintf(stderr, "bench_ingest: %s\n", err.reason);
		return (1);
	}
	t0 = now();
	for (i = optind; i < argc; i++)
		if ((n = run_file(s, argv[i], &o)) < 0)
			rc = 1;
		else
			reports += (unsigned long) n;
	secs = now() - t0;
	if (store_stat(s, &sst, &err) == STORE_OK)
		used = sst.used_size;
	store_close(s);
	extract_shutdown();
	getrusage(RUSAGE_SELF, &ru);
	printf("%-22s files %5d  reports %5lu  %7.3f s  %7.1f reports/s  "
	    "store %6.1f MB  peak RSS %5.1f MB\n", label, argc - optind,
	    reports, secs, reports / secs, used / 1e6,
	    ru.ru_maxrss / 1024.0);
	return (rc);
}
