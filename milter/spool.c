/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	spool - a message in memory up to a threshold, then in a file
 * PURPOSE
 *	The file is made with O_TMPFILE (or mkstemp() and unlink() where
 *	the file system lacks it), so it has no name and vanishes with its
 *	descriptor whatever way the message ends. Sizes are checked before
 *	every growth.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "merror.h"
#include "spool.h"

struct spool {
	char   *mem;		/* memory part; NULL once on disk */
	size_t	len, cap;	/* bytes kept, and room in mem */
	size_t	mem_limit, max_bytes;
	size_t	offered;	/* bytes offered, kept or not */
	const char *tmpdir;
	int	fd;		/* -1 until on disk */
	void   *map;		/* spool_map()'s mapping */
	size_t	map_len;
	enum spool_status state;
	struct milter_error err;	/* why state is SPOOL_IO or SPOOL_NOMEM */
};

struct spool *
spool_new(size_t mem_limit, size_t max_bytes, const char *tmpdir)
{
	struct spool *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return (NULL);
	s->mem_limit = mem_limit;
	s->max_bytes = max_bytes;
	s->tmpdir = tmpdir;
	s->fd = -1;
	return (s);
}

/* A file without a name in tmpdir; -1 with err set. */
static int
spool_tmpfile(const char *tmpdir, struct milter_error *err)
{
	char	path[4096];
	int	fd;

#ifdef O_TMPFILE
	if ((fd = open(tmpdir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) >= 0)
		return (fd);
#endif
	if (snprintf(path, sizeof(path), "%s/report-milter.XXXXXX", tmpdir) >=
	    (int) sizeof(path)) {
		merror_set(err, "temporary directory %s: name too long", tmpdir);
		return (-1);
	}
	if ((fd = mkostemp(path, O_CLOEXEC)) < 0) {
		merror_sys(err, "cannot make a spool file in %s", tmpdir);
		return (-1);
	}
	(void) unlink(path);
	return (fd);
}

static enum spool_status
write_all(struct spool *s, const char *p, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(s->fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			merror_sys(&s->err, "spool file in %s", s->tmpdir);
			return (SPOOL_IO);
		}
		p += n;
		len -= (size_t) n;
	}
	return (SPOOL_OK);
}

/* Moves what is in memory to a new temporary file. */
static enum spool_status
spool_to_disk(struct spool *s)
{
	enum spool_status st;

	if ((s->fd = spool_tmpfile(s->tmpdir, &s->err)) < 0)
		return (SPOOL_IO);
	if ((st = write_all(s, s->mem, s->len)) != SPOOL_OK)
		return (st);
	free(s->mem);
	s->mem = NULL;
	s->cap = 0;
	return (SPOOL_OK);
}

/* Makes room for len more bytes in memory (len fits: checked by caller). */
static enum spool_status
spool_grow(struct spool *s, size_t len)
{
	size_t	cap = s->cap ? s->cap : 16384;
	char   *p;

	while (cap - s->len < len)
		cap = cap > s->mem_limit / 2 ? s->mem_limit : cap * 2;
	if ((p = realloc(s->mem, cap)) == NULL) {
		merror_set(&s->err, "out of memory (%zu bytes)", cap);
		return (SPOOL_NOMEM);
	}
	s->mem = p;
	s->cap = cap;
	return (SPOOL_OK);
}

/* Forgets everything kept: the message is too big to look at. */
static enum spool_status
spool_drop(struct spool *s)
{
	free(s->mem);
	s->mem = NULL;
	s->len = s->cap = 0;
	if (s->fd >= 0)
		(void) close(s->fd);
	s->fd = -1;
	return (s->state = SPOOL_TOO_BIG);
}

enum spool_status
spool_add(struct spool *s, const void *data, size_t len)
{
	enum spool_status st;

	s->offered = len > SIZE_MAX - s->offered ? SIZE_MAX : s->offered + len;
	if (s->state != SPOOL_OK)
		return (s->state);
	if (s->max_bytes > 0 && s->offered > s->max_bytes)
		return (spool_drop(s));
	if (s->fd < 0 && len > s->mem_limit - s->len &&
	    (st = spool_to_disk(s)) != SPOOL_OK)
		return (s->state = st);
	if (s->fd >= 0)
		return (s->state = write_all(s, data, len));
	if (len > s->cap - s->len && (st = spool_grow(s, len)) != SPOOL_OK)
		return (s->state = st);
	memcpy(s->mem + s->len, data, len);
	s->len += len;
	return (SPOOL_OK);
}

enum spool_status
spool_add_header(struct spool *s, const char *name, const char *value,
    bool lead_space)
{
	enum spool_status st;
	const char *nl;
	size_t	n;

	if ((st = spool_add(s, name, strlen(name))) != SPOOL_OK ||
	    (st = spool_add(s, lead_space ? ":" : ": ", lead_space ? 1 : 2)) !=
	    SPOOL_OK)
		return (st);
	while ((nl = strchr(value, '\n')) != NULL) {
		n = nl - value;
		if (n > 0 && value[n - 1] == '\r')
			n--;
		if ((st = spool_add(s, value, n)) != SPOOL_OK ||
		    (st = spool_add(s, "\r\n", 2)) != SPOOL_OK)
			return (st);
		value = nl + 1;
	}
	if ((st = spool_add(s, value, strlen(value))) != SPOOL_OK)
		return (st);
	return (spool_add(s, "\r\n", 2));
}

enum spool_status
spool_map(struct spool *s, const char **data, size_t *len)
{
	struct stat sb;

	if (s->state != SPOOL_OK)
		return (s->state);
	if (s->fd < 0) {
		*data = s->mem ? s->mem : "";
		*len = s->len;
		return (SPOOL_OK);
	}
	if (s->map == NULL) {
		if (fstat(s->fd, &sb) < 0) {
			merror_sys(&s->err, "spool file in %s", s->tmpdir);
			return (SPOOL_IO);
		}
		s->map_len = (size_t) sb.st_size;
		s->map = s->map_len == 0 ? NULL : mmap(NULL, s->map_len,
		    PROT_READ, MAP_PRIVATE, s->fd, 0);
		if (s->map == MAP_FAILED) {
			s->map = NULL;
			merror_sys(&s->err, "cannot map the spool file (%zu "
			    "bytes)", s->map_len);
			return (s->state = SPOOL_IO);
		}
	}
	*data = s->map ? s->map : "";
	*len = s->map_len;
	return (SPOOL_OK);
}

const char *
spool_error(const struct spool *s)
{
	return (s->err.reason);
}

size_t
spool_size(const struct spool *s)
{
	return (s->offered);
}

bool
spool_on_disk(const struct spool *s)
{
	return (s->fd >= 0);
}

void
spool_free(struct spool *s)
{
	if (s == NULL)
		return;
	if (s->map != NULL)
		(void) munmap(s->map, s->map_len);
	if (s->fd >= 0)
		(void) close(s->fd);
	free(s->mem);
	free(s);
}
