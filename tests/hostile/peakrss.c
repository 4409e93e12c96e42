/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	peakrss - runs a program and writes its peak resident size
 * PURPOSE
 *	peakrss FILE PROGRAM [ARG...] runs PROGRAM, waits for it and writes
 *	"MAXRSS STATUS" to FILE: its ru_maxrss in KiB, and its exit status,
 *	or -N when signal N ended it. A child inherits the size of the
 *	process that forks it and keeps it through exec in ru_maxrss, so the
 *	tests measure through this small program rather than from Python
 *	(some 16 MiB, more than the programs they measure). Exits 0 once
 *	FILE is written, 2 when PROGRAM could not be run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct rusage ru;
	FILE   *f;
	pid_t	pid;
	int	st;

	if (argc < 3) {
		fprintf(stderr, "usage: peakrss FILE PROGRAM [ARG...]\n");
		return (2);
	}
	if ((pid = fork()) < 0) {
		perror("peakrss: fork");
		return (2);
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) != pid) {
		perror("peakrss: wait4");
		return (2);
	}
	if ((f = fopen(argv[1], "w")) == NULL) {
		perror(argv[1]);
		return (2);
	}
	fprintf(f, "%ld %d\n", ru.ru_maxrss, WIFEXITED(st) ?
	    WEXITSTATUS(st) : -WTERMSIG(st));
	return (fclose(f) == 0 ? 0 : 2);
}
