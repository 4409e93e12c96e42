/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	replay - runs a fuzzing harness over files, without libFuzzer
 * PURPOSE
 *	Linked with one harness and the ordinary compiler, so that make check
 *	replays the seeds and every input a fuzzer once crashed on, under
 *	ASan and UBSan or valgrind. Each argument is a file, or a folder
 *	whose files (not sub-folders, not dot files) are each one input.
 *	Prints "replayed N inputs" and exits 0; a harness that crashes or
 *	aborts ends the program, with the file's name already on stderr.
 *	Exits 2 when an argument cannot be read.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long replayed;

/* Reads path whole and hands it to the harness; -1 when unreadable. */
static int
replay_file(const char *path)
{
	FILE   *fp;
	uint8_t *buf = NULL, *nbuf;
	size_t	len = 0, cap = 0, n;

	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if ((nbuf = realloc(buf, cap)) == NULL) {
				fprintf(stderr, "replay: %s: out of memory\n", path);
				free(buf);
				fclose(fp);
				return (-1);
			}
			buf = nbuf;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
	} while (n > 0);
	if (ferror(fp)) {
		fprintf(stderr, "replay: %s: read error\n", path);
		free(buf);
		fclose(fp);
		return (-1);
	}
	fclose(fp);
	/* Named first: a crash report that follows is about this file. */
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	/* A copy of the exact size, so that ASan sees a read past the end. */
	if ((nbuf = malloc(len ? len : 1)) == NULL) {
		free(buf);
		return (-1);
	}
	if (len > 0)
		memcpy(nbuf, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(nbuf, len);
	free(nbuf);
	replayed++;
	return (0);
}

/* The files of a folder, in name order (a failure reads the same twice). */
static int
replay_dir(const char *dir)
{
	struct dirent **names;
	struct stat st;
	char	path[4096];
	int	n, i, rc = 0;

	if ((n = scandir(dir, &names, NULL, alphasort)) < 0) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.' &&
		    snprintf(path, sizeof(path), "%s/%s", dir,
		    names[i]->d_name) < (int) sizeof(path) &&
		    stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    replay_file(path) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return (rc);
}

int
main(int argc, char **argv)
{
	struct stat st;
	int	i, rc = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (replay_dir(argv[i]) < 0)
				rc = 2;
		} else if (replay_file(argv[i]) < 0)
			rc = 2;
	}
	printf("replayed %lu inputs\n", replayed);
	return (rc);
}
