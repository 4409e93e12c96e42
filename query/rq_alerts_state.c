/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_alerts_state - the state file of report-query alerts
 * PURPOSE
 *	The state file is text, one "KIND<TAB>SUBJECT<TAB>N<TAB>N" a line,
 *	so a postmaster may read it, or delete a line to hear an alert
 *	again. It is written whole to a temporary file and renamed, so an
 *	interrupted run leaves the last state as it was.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rq.h"
#include "rq_alerts.h"

#define VERB	"alerts"

uint64_t *
rq_alerts_state_get(struct rq_tally *state, const char *kind,
    const char *subject)
{
	char	key[1024];
	size_t	i;

	snprintf(key, sizeof(key), "%s\t%s", kind, subject);
	for (i = strlen(kind) + 1; key[i] != '\0'; i++)
		if (key[i] == '\t' || key[i] == '\n' || key[i] == '\r')
			key[i] = ' ';
	return (rq_tally_get(state, key));
}

/* One "KIND\tSUBJECT\tN\tN" line into the tally; -1: not such a line. */
static int
state_line(struct rq_tally *t, char *line, int *nomem)
{
	char   *tab1, *tab2, *end;
	uint64_t *v, a, b;

	line[strcspn(line, "\n")] = '\0';
	if ((tab1 = strchr(line, '\t')) == NULL ||
	    (tab1 = strchr(tab1 + 1, '\t')) == NULL)
		return (-1);
	*tab1++ = '\0';
	a = strtoull(tab1, &end, 10);
	if (*end != '\t')
		return (-1);
	tab2 = end + 1;
	b = strtoull(tab2, &end, 10);
	if (*end != '\0' || end == tab2)
		return (-1);
	if ((v = rq_tally_get(t, line)) == NULL) {
		*nomem = 1;
		return (-1);
	}
	v[0] = a;
	v[1] = b;
	return (0);
}

int
rq_alerts_state_load(const char *path, struct rq_tally **out)
{
	struct rq_tally *t;
	char   *line = NULL;
	size_t	cap = 0;
	unsigned no = 0;
	int	nomem = 0;
	FILE   *fp;

	*out = NULL;
	if ((t = rq_tally_new()) == NULL)
		return (rq_fail(VERB, "out of memory"), -1);
	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT) {
			*out = t;
			return (0);
		}
		rq_fail(VERB, "%s: %s", path, strerror(errno));
		rq_tally_free(t);
		return (-1);
	}
	while (getline(&line, &cap, fp) >= 0) {
		no++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (state_line(t, line, &nomem) < 0) {
			if (nomem)
				rq_fail(VERB, "out of memory");
			else
				rq_fail(VERB, "%s:%u: not a state line (KIND, "
				    "SUBJECT, N, N parted by tabs)", path, no);
			free(line);
			fclose(fp);
			rq_tally_free(t);
			return (-1);
		}
	}
	free(line);
	fclose(fp);
	*out = t;
	return (0);
}

int
rq_alerts_state_save(const char *path, struct rq_tally *state)
{
	size_t	len = strlen(path) + sizeof(".tmpXXXXXX"), n, i;
	struct rq_tally_row **rows;
	char   *tmp;
	FILE   *fp = NULL;
	int	fd, bad;

	if ((tmp = malloc(len)) == NULL)
		return (rq_fail(VERB, "out of memory"), -1);
	snprintf(tmp, len, "%s.tmpXXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0 || (fp = fdopen(fd, "w")) == NULL) {
		rq_fail(VERB, "%s: %s", tmp, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return (-1);
	}
	fputs("# report-query alerts: what was seen at the last run\n", fp);
	/* Sorted, so that the file reads the same for the same state. */
	rows = rq_tally_sorted(state, RQ_TALLY_COLS - 1, &n);
	bad = rows == NULL && n > 0;
	for (i = 0; rows != NULL && i < n; i++)
		fprintf(fp, "%s\t%" PRIu64 "\t%" PRIu64 "\n", rows[i]->key,
		    rows[i]->v[0], rows[i]->v[1]);
	free(rows);
	if (fflush(fp) != 0 || ferror(fp) || fsync(fd) != 0)
		bad = 1;
	if (fclose(fp) != 0)
		bad = 1;
	if (bad || rename(tmp, path) != 0) {
		rq_fail(VERB, "%s: %s", path, bad && errno == 0 ?
		    "out of memory" : strerror(errno));
		unlink(tmp);
		free(tmp);
		return (-1);
	}
	free(tmp);
	return (0);
}
