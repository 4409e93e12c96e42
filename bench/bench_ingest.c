/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	bench_ingest - how fast report mail goes through the ingest path
 * PURPOSE
 *	Opens a fresh store in the directory given with -s and runs
 *	ingest_message() over the files named on the command line, each
 *	call returning once its message is durable (fsync'd), as
 *	report-milter does. With -j N, N threads take the files in turn, as
 *	report-milter's connection threads and report-query import --jobs
 *	do. Prints one line: files, reports stored, seconds, reports/s, the
 *	bytes the store uses and peak RSS.
 */
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
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

/* What the threads share: the files, the next one to take, the counts. */
struct bench_run {
	struct store *s;
	const struct ingest_options *o;
	char  **files;
	int	n_files;
	atomic_int next;
	atomic_ulong reports;
	atomic_int failed;
};

static void *
worker(void *arg)
{
	struct bench_run *b = arg;
	int	i, n;

	while ((i = atomic_fetch_add(&b->next, 1)) < b->n_files) {
		if ((n = run_file(b->s, b->files[i], b->o)) < 0)
			atomic_store(&b->failed, 1);
		else
			atomic_fetch_add(&b->reports, (unsigned long) n);
	}
	return (NULL);
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
	struct store_write_counts wc;
	struct bench_run b;
	pthread_t tid[64];
	double	t0, secs;
	int	ch, i, jobs = 1;
	size_t	used = 0;

	ingest_tune_malloc();
	while ((ch = getopt(argc, argv, "j:l:s:")) != -1) {
		switch (ch) {
		case 'j':
			jobs = atoi(optarg);
			if (jobs < 1 || jobs > 64)
				goto usage;
			break;
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
		fprintf(stderr, "usage: bench_ingest -s STORE-DIR [-j JOBS] [-l LABEL] FILE...\n");
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
	memset(&b, 0, sizeof(b));
	b.s = s;
	b.o = &o;
	b.files = argv + optind;
	b.n_files = argc - optind;
	t0 = now();
	for (i = 0; i < jobs; i++)
		if (pthread_create(&tid[i], NULL, worker, &b) != 0) {
			fprintf(stderr, "bench_ingest: cannot start a thread\n");
			return (1);
		}
	for (i = 0; i < jobs; i++)
		pthread_join(tid[i], NULL);
	secs = now() - t0;
	store_write_counts(s, &wc);
	if (store_stat(s, &sst, &err) == STORE_OK)
		used = sst.used_size;
	store_close(s);
	extract_shutdown();
	getrusage(RUSAGE_SELF, &ru);
	printf("%-22s jobs %2d  files %5d  reports %5lu  %7.3f s  "
	    "%7.1f reports/s  commits %5lu  store %6.1f MB  peak RSS %5.1f MB\n",
	    label, jobs, b.n_files, (unsigned long) b.reports, secs,
	    b.reports / secs, (unsigned long) wc.commits, used / 1e6,
	    ru.ru_maxrss / 1024.0);
	return (b.failed ? 1 : 0);
}
