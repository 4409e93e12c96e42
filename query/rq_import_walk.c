/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_import_walk - the files a path given to import stands for
 * PURPOSE
 *	A directory is read in name order so that an import is repeatable
 *	(ids follow receipt, and receipt follows the walk). A Maildir is a
 *	directory with cur/ and new/: only those two hold messages (tmp/
 *	holds mail still being written).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rq_import.h"

#define MAX_DEPTH	64

static int walk(struct rq_import *, const char *, struct strlist *, int);

static bool
is_dir(const char *dir, const char *name)
{
	char	path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return (lstat(path, &st) == 0 && S_ISDIR(st.st_mode));
}

static int
skip_dot(const struct dirent *d)
{
	return (d->d_name[0] != '.');
}

/* Walks the entries of directory path, in name order. */
static int
walk_dir(struct rq_import *im, const char *path, struct strlist *files,
    int depth)
{
	struct dirent **v;
	char	sub[4096];
	int	n, i, rc = 0;

	if ((n = scandir(path, &v, skip_dot, alphasort)) < 0) {
		rq_import_note(im, "%s: %s", path, strerror(errno));
		im->failed++;
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if (snprintf(sub, sizeof(sub), "%s/%s", path, v[i]->d_name) >=
		    (int) sizeof(sub)) {
			rq_import_note(im, "%s/%s: name too long", path,
			    v[i]->d_name);
			im->failed++;
			rc = -1;
		} else if (walk(im, sub, files, depth + 1) < 0)
			rc = -1;
		free(v[i]);
	}
	free(v);
	return (rc);
}

static int
walk(struct rq_import *im, const char *path, struct strlist *files, int depth)
{
	struct stat st;
	char	sub[4096];
	int	rc;

	if (depth > 0 && lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	    stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return (0);		/* a link to a directory: not followed */
	if (stat(path, &st) < 0) {
		rq_import_note(im, "%s: %s", path, strerror(errno));
		im->failed++;
		return (-1);
	}
	if (!S_ISDIR(st.st_mode)) {
		if (strlist_add_str(files, path) == 0)
			return (0);
		rq_import_note(im, "%s: out of memory", path);
		im->failed++;
		return (-1);
	}
	if (depth >= MAX_DEPTH) {
		rq_import_note(im, "%s: directories nested too deep", path);
		im->failed++;
		return (-1);
	}
	if (!is_dir(path, "cur") || !is_dir(path, "new"))
		return (walk_dir(im, path, files, depth));
	/* A Maildir: cur/ then new/. */
	snprintf(sub, sizeof(sub), "%s/cur", path);
	rc = walk_dir(im, sub, files, depth + 1);
	snprintf(sub, sizeof(sub), "%s/new", path);
	return (walk_dir(im, sub, files, depth + 1) < 0 ? -1 : rc);
}

int
rq_import_walk(struct rq_import *im, const char *path, struct strlist *files)
{
	return (walk(im, path, files, 0));
}
