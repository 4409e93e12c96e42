/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_enrich_service - the service map: domains to service names
 * PURPOSE
 *	Reads map files of lines "DOMAIN TYPE NAME..." (contrib/services.map
 *	is the shipped one; a local file read after it overrides it) and
 *	finds the service of a host name by its own entry or that of the
 *	nearest domain above it, so that "mail-a.google.com" is Google
 *	through "google.com". Domains compare without regard to case.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rq_enrich.h"

struct rq_service_entry {
	char   *domain;
	char   *type;
	char   *name;
};

struct rq_service {
	struct rq_service_entry *e;
	size_t	n, cap;
};

struct rq_service *
rq_service_new(void)
{
	return (calloc(1, sizeof(struct rq_service)));
}

void
rq_service_free(struct rq_service *m)
{
	size_t	i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++)
		free(m->e[i].domain);	/* one allocation holds all three */
	free(m->e);
	free(m);
}

/* Adds or replaces the entry of domain; -1: out of memory. */
static int
rq_service_put(struct rq_service *m, const char *domain, const char *type,
    const char *name)
{
	size_t	i, ld = strlen(domain) + 1, lt = strlen(type) + 1;
	char   *buf;
	void   *p;

	if ((buf = malloc(ld + lt + strlen(name) + 1)) == NULL)
		return (-1);
	memcpy(buf, domain, ld);
	memcpy(buf + ld, type, lt);
	strcpy(buf + ld + lt, name);
	for (i = 0; i < m->n; i++)
		if (strcasecmp(m->e[i].domain, domain) == 0)
			break;
	if (i == m->n) {
		if (m->n == m->cap) {
			if ((p = realloc(m->e, (m->cap ? m->cap * 2 : 64) *
			    sizeof(*m->e))) == NULL) {
				free(buf);
				return (-1);
			}
			m->e = p;
			m->cap = m->cap ? m->cap * 2 : 64;
		}
		m->n++;
	} else {
		free(m->e[i].domain);
	}
	m->e[i] = (struct rq_service_entry){buf, buf + ld, buf + ld + lt};
	return (0);
}

int
rq_service_load(struct rq_service *m, const char *path, bool missing_ok,
    char *why, size_t why_size)
{
	char	line[1024], *domain, *type, *name, *end, *save;
	unsigned lineno = 0;
	FILE   *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		if (missing_ok && errno == ENOENT)
			return (0);
		snprintf(why, why_size, "%s: %s", path, strerror(errno));
		return (-1);
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if ((end = strchr(line, '#')) != NULL)
			*end = '\0';
		if ((domain = strtok_r(line, " \t\r\n", &save)) == NULL)
			continue;
		type = strtok_r(NULL, " \t\r\n", &save);
		name = type ? strtok_r(NULL, "\r\n", &save) : NULL;
		while (name != NULL && (*name == ' ' || *name == '\t'))
			name++;
		if (name == NULL || *name == '\0') {
			snprintf(why, why_size, "%s:%u: want DOMAIN TYPE NAME",
			    path, lineno);
			fclose(fp);
			return (-1);
		}
		for (end = name + strlen(name); end > name &&
		    (end[-1] == ' ' || end[-1] == '\t'); end--)
			end[-1] = '\0';
		if (rq_service_put(m, domain, type, name) < 0) {
			snprintf(why, why_size, "%s: out of memory", path);
			fclose(fp);
			return (-1);
		}
	}
	fclose(fp);
	return (0);
}

bool
rq_service_find(const struct rq_service *m, const char *name,
    const char **service, const char **type)
{
	const char *d = name;
	size_t	i;

	while (d != NULL && *d != '\0') {
		for (i = 0; i < m->n; i++)
			if (strcasecmp(m->e[i].domain, d) == 0) {
				*service = m->e[i].name;
				*type = m->e[i].type;
				return (true);
			}
		if ((d = strchr(d, '.')) != NULL)
			d++;
	}
	return (false);
}
