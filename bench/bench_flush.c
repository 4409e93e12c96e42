/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	bench_flush - what a durable commit costs the filesystem, at least
 * PURPOSE
 *	An LMDB commit writes its pages, fdatasync()s the data file, then
 *	writes the meta page through a descriptor opened O_DSYNC: two waits
 *	for the disk. This makes the same two waits, N times, with one 4 KB
 *	page each, in a scratch file of the directory given, and prints the
 *	time per commit and the commits per second that leaves at most. No
 *	store can commit faster on that filesystem at that moment, so the
 *	ingest figures are read against it (the disk of a shared machine
 *	can swing several times over within an hour).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PAGE	4096

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

int
main(int argc, char **argv)
{
	static char page[PAGE];
	char	path[4096];
	const char *label = "flush";
	double	t0, secs;
	int	ch, i, n = 500, fd = -1, sfd = -1;

	while ((ch = getopt(argc, argv, "l:n:")) != -1) {
		switch (ch) {
		case 'l':
			label = optarg;
			break;
		case 'n':
			if ((n = atoi(optarg)) < 1)
				goto usage;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1) {
usage:
		fprintf(stderr, "usage: bench_flush [-n COMMITS] [-l LABEL] DIR\n");
		return (2);
	}
	snprintf(path, sizeof(path), "%s/bench-flush.XXXXXX", argv[optind]);
	if ((fd = mkstemp(path)) < 0) {
		fprintf(stderr, "bench_flush: %s: %s\n", path, strerror(errno));
		return (1);
	}
	if ((sfd = open(path, O_WRONLY | O_DSYNC)) < 0)
		goto fail;
	memset(page, 'x', sizeof(page));
	/* The meta pages first, as LMDB's file begins with them. */
	if (pwrite(fd, page, PAGE, 0) != PAGE || fdatasync(fd) < 0)
		goto fail;
	t0 = now();
	for (i = 0; i < n; i++) {
		/* A new data page past the end, as a growing store writes. */
		if (pwrite(fd, page, PAGE, (off_t) (i + 2) * PAGE) != PAGE ||
		    fdatasync(fd) < 0 ||
		    pwrite(sfd, page, PAGE, (off_t) (i % 2) * PAGE) != PAGE)
			goto fail;
	}
	secs = now() - t0;
	close(sfd);
	close(fd);
	unlink(path);
	printf("%-22s commits %5d  %7.3f s  %6.3f ms per commit  "
	    "%7.0f commits/s at most\n", label, n, secs, secs * 1000 / n,
	    n / secs);
	return (0);
fail:
	fprintf(stderr, "bench_flush: %s: %s\n", path, strerror(errno));
	close(sfd);
	close(fd);
	unlink(path);
	return (1);
}
