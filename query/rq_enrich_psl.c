/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_enrich_psl - the registrable base domain of a host name
 * PURPOSE
 *	libpsl: the system's Public Suffix List (Debian's publicsuffix
 *	package, read by psl_latest()) when it is there, else the list
 *	built into libpsl. Loaded once, on first use.
 */
#include <stdio.h>
#include <string.h>

#include <libpsl.h>

#include "rq_enrich.h"

static const psl_ctx_t *
rq_psl_ctx(void)
{
	static psl_ctx_t *latest;
	static bool tried;

	if (!tried) {
		tried = true;
		latest = psl_latest(NULL);
	}
	return (latest != NULL ? latest : psl_builtin());
}

void
rq_psl_base(const char *name, char *out, size_t size)
{
	const psl_ctx_t *psl = rq_psl_ctx();
	const char *base = NULL;
	char	low[STORE_HOST_NAME_MAX];
	size_t	i;

	out[0] = '\0';
	if (name == NULL || name[0] == '\0' || psl == NULL)
		return;
	for (i = 0; name[i] != '\0' && i + 1 < sizeof(low); i++)
		low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ?
		    name[i] - 'A' + 'a' : name[i]);
	low[i] = '\0';
	if ((base = psl_registrable_domain(psl, low)) != NULL)
		snprintf(out, size, "%s", base);
}
