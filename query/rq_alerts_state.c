/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_alerts_state - alerts' thresholds, its list and its state file
 * PURPOSE
 *	The state file is text, one "KIND<TAB>SUBJECT<TAB>N<TAB>N" a line,
 *	so a postmaster may read it, or delete a line to hear an alert
 *	again. It is written whole to a temporary file and renamed, so an
 *	interrupted run leaves the last state as it was.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rq.h"
#include "rq_alerts.h"

#define VERB	"alerts"

/* The keys: name, where, default, and the largest value allowed. */
static const struct {
	const char *name;
	size_t	off;
	uint64_t def, max;
} conf_keys[] = {
	{ "AlertTlsFailedSessions", offsetof(struct rq_alerts_conf, tls_failed), 10, UINT32_MAX },
	{ "AlertDmarcCompliance", offsetof(struct rq_alerts_conf, compliance), 90, 100 },
	{ "AlertSourceMessages", offsetof(struct rq_alerts_conf, source_messages), 10, UINT32_MAX },
	{ "AlertDailyDays", offsetof(struct rq_alerts_conf, daily_days), 7, 3650 },
	{ "AlertQuietDays", offsetof(struct rq_alerts_conf, quiet_days), 2, 3650 },
	{ "AlertQuarantineGrowth", offsetof(struct rq_alerts_conf, quarantine_growth), 1, UINT32_MAX },
};
#define NCONF	(sizeof(conf_keys) / sizeof(conf_keys[0]))

int
rq_alerts_conf_read(const char *path, struct rq_alerts_conf *c,
    char *store_dir, size_t size)
{
	char	buf[256], *end;
	unsigned long long v;
	uint64_t *field;
	FILE   *fp;
	size_t	i;

	for (i = 0; i < NCONF; i++)
		*(uint64_t *) (void *) ((char *) c + conf_keys[i].off) =
		    conf_keys[i].def;
	if (store_dir != NULL && size > 0)
		store_dir[0] = '\0';
	if ((fp = fopen(path, "r")) == NULL)
		return (0);
	if (store_dir != NULL && !rq_config_store_dir(fp, store_dir, size))
		store_dir[0] = '\0';
	for (i = 0; i < NCONF; i++) {
		rewind(fp);
		if (!rq_config_value(fp, conf_keys[i].name, buf, sizeof(buf)))
			continue;
		errno = 0;
		v = strtoull(buf, &end, 10);
		if (buf[0] < '0' || buf[0] > '9' || *end != '\0' || errno != 0 ||
		    v > conf_keys[i].max) {
			fclose(fp);
			rq_fail(VERB, "%s: %s: '%s' is not a whole number from "
			    "0 to %" PRIu64, path, conf_keys[i].name, buf,
			    conf_keys[i].max);
			return (-1);
		}
		field = (uint64_t *) (void *) ((char *) c + conf_keys[i].off);
		*field = v;
	}
	fclose(fp);
	return (0);
}

int
rq_alerts_add(struct rq_alerts *a, const char *kind, const char *subject,
    const char *fmt, ...)
{
	struct rq_alert *v;
	va_list	ap;
	char   *text = NULL, *subj;
	int	len;

	if (a->n == a->cap) {
		size_t	cap = a->cap ? a->cap * 2 : 16;

		if ((v = realloc(a->v, cap * sizeof(*v))) == NULL)
			return (-1);
		a->v = v;
		a->cap = cap;
	}
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || (text = malloc((size_t) len + 1)) == NULL)
		return (-1);
	va_start(ap, fmt);
	(void) vsnprintf(text, (size_t) len + 1, fmt, ap);
	va_end(ap);
	if ((subj = strdup(subject)) == NULL) {
		free(text);
		return (-1);
	}
	a->v[a->n].kind = kind;
	a->v[a->n].subject = subj;
	a->v[a->n].text = text;
	a->n++;
	return (0);
}

void
rq_alerts_clear(struct rq_alerts *a)
{
	size_t	i;

	for (i = 0; i < a->n; i++) {
		free(a->v[i].subject);
		free(a->v[i].text);
	}
	free(a->v);
	a->v = NULL;
	a->n = a->cap = 0;
}

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
