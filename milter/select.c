/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	select - recipient patterns: exact, local*@domain, *@domain, local@*
 * PURPOSE
 *	Parses ReportRecipients into a list and matches envelope addresses
 *	against it without allocating: an address is cut into its local
 *	part (quotes and sub-address removed) and its domain (a final dot
 *	removed), then compared byte by byte, ignoring ASCII case.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "select.h"

struct pattern {
	char   *local;		/* lower case; "" when any */
	char   *domain;		/* lower case; "" when any */
	bool	local_prefix;	/* local ends in "*": a prefix */
	bool	local_any;	/* "*" */
	bool	domain_any;	/* "*" */
};

struct select {
	struct pattern *v;
	size_t	n, cap;
};

/* A piece of an address: p[0..len). */
struct span {
	const char *p;
	size_t	len;
};

static char *
lower_dup(const char *s, size_t len)
{
	char   *d = malloc(len + 1);
	size_t	i;

	if (d == NULL)
		return (NULL);
	for (i = 0; i < len; i++)
		d[i] = (s[i] >= 'A' && s[i] <= 'Z') ? s[i] - 'A' + 'a' : s[i];
	d[len] = '\0';
	return (d);
}

/* Checks one pattern text and fills *p (strings allocated). */
static enum select_status
pattern_parse(const char *s, size_t len, struct pattern *p,
    struct milter_error *err)
{
	const char *at = memchr(s, '@', len);
	size_t	llen, dlen;

	memset(p, 0, sizeof(*p));
	if (at == NULL || memchr(at + 1, '@', len - (at - s) - 1) != NULL ||
	    at == s || at == s + len - 1)
		goto bad;
	llen = at - s;
	dlen = len - llen - 1;
	/* "*" only at the end of the local part, or as the whole domain. */
	p->domain_any = dlen == 1 && at[1] == '*';
	if (memchr(s, '*', llen - 1) != NULL ||
	    (!p->domain_any && memchr(at + 1, '*', dlen) != NULL))
		goto bad;
	p->local_any = llen == 1 && s[0] == '*';
	p->local_prefix = !p->local_any && s[llen - 1] == '*';
	p->local = lower_dup(s, p->local_any ? 0 : llen - p->local_prefix);
	p->domain = lower_dup(at + 1, p->domain_any ? 0 : dlen);
	if (p->local == NULL || p->domain == NULL) {
		free(p->local);
		free(p->domain);
		return (SELECT_NOMEM);
	}
	return (SELECT_OK);
bad:
	merror_set(err, "bad recipient pattern '%.*s' (want local@domain, "
	    "local*@domain, *@domain or local@*)", (int) len, s);
	return (SELECT_INVALID);
}

static enum select_status
select_push(struct select *l, const struct pattern *p)
{
	struct pattern *v;
	size_t	cap;

	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 16;
		if ((v = realloc(l->v, cap * sizeof(*v))) == NULL)
			return (SELECT_NOMEM);
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *p;
	return (SELECT_OK);
}

enum select_status
select_add(struct select **list, const char *text, struct milter_error *err)
{
	static const char sep[] = ", \t";
	struct select *l = *list;
	struct pattern p;
	size_t	n0, len;
	enum select_status st = SELECT_OK;

	if (l == NULL && (l = calloc(1, sizeof(*l))) == NULL)
		return (SELECT_NOMEM);
	n0 = l->n;
	for (text += strspn(text, sep); *text != '\0'; text += strspn(text, sep)) {
		len = strcspn(text, sep);
		if ((st = pattern_parse(text, len, &p, err)) != SELECT_OK)
			break;
		if ((st = select_push(l, &p)) != SELECT_OK) {
			free(p.local);
			free(p.domain);
			break;
		}
		text += len;
	}
	if (st != SELECT_OK) {
		while (l->n > n0) {
			l->n--;
			free(l->v[l->n].local);
			free(l->v[l->n].domain);
		}
		if (*list == NULL)
			select_free(l);
		return (st);
	}
	*list = l;
	return (SELECT_OK);
}

/* Cuts address into its local part and domain (see PURPOSE). */
static void
address_split(const char *a, const char *delimiters, struct span *local,
    struct span *domain)
{
	const char *end, *at, *colon, *cut;

	while (*a == ' ' || *a == '\t' || *a == '<')
		a++;
	end = a + strlen(a);
	while (end > a && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '>'))
		end--;
	if (*a == '@' && (colon = memchr(a, ':', end - a)) != NULL)
		a = colon + 1;		/* a source route: @relay,@relay:addr */
	for (at = end; at > a && at[-1] != '@'; at--)
		;
	if (at > a) {
		domain->p = at;
		domain->len = end - at;
		end = at - 1;
	} else {
		domain->p = end;
		domain->len = 0;
	}
	if (domain->len > 0 && domain->p[domain->len - 1] == '.')
		domain->len--;
	if (end - a >= 2 && *a == '"' && end[-1] == '"') {
		a++;
		end--;
	}
	if (delimiters != NULL && *delimiters != '\0' && end > a) {
		for (cut = a + 1; cut < end && !strchr(delimiters, *cut); cut++)
			;
		end = cut;
	}
	local->p = a;
	local->len = end - a;
}

static bool
pattern_match(const struct pattern *p, const struct span *local,
    const struct span *domain)
{
	size_t	n = strlen(p->local);

	if (!p->domain_any && (strlen(p->domain) != domain->len ||
	    strncasecmp(p->domain, domain->p, domain->len) != 0))
		return (false);
	if (p->local_any)
		return (true);
	if (p->local_prefix)
		return (local->len >= n && strncasecmp(p->local, local->p, n) == 0);
	return (local->len == n && strncasecmp(p->local, local->p, n) == 0);
}

bool
select_match(const struct select *list, const char *address,
    const char *delimiters)
{
	struct span local, domain;
	size_t	i;

	if (list == NULL || address == NULL)
		return (false);
	address_split(address, delimiters, &local, &domain);
	if (local.len == 0)
		return (false);
	for (i = 0; i < list->n; i++)
		if (pattern_match(&list->v[i], &local, &domain))
			return (true);
	return (false);
}

size_t
select_count(const struct select *list)
{
	return (list ? list->n : 0);
}

void
select_free(struct select *list)
{
	size_t	i;

	if (list == NULL)
		return;
	for (i = 0; i < list->n; i++) {
		free(list->v[i].local);
		free(list->v[i].domain);
	}
	free(list->v);
	free(list);
}
