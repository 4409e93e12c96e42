/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_config - where the milter keeps its store
 * PURPOSE
 *	report-query reads the same store as report-milter without being
 *	told: it takes StoreDir from the milter's configuration file. Only
 *	that one key is read here; the milter owns the rest of the file.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "rq.h"

/* The value of a "StoreDir ..." line into buf; false for any other line. */
static bool
store_dir_line(char *line, char *buf, size_t size)
{
	char   *p = line, *end;
	size_t	len;

	while (isspace((unsigned char) *p))
		p++;
	if (strncasecmp(p, "StoreDir", 8) != 0 ||
	    !(isspace((unsigned char) p[8]) || p[8] == '='))
		return (false);
	for (p += 8; isspace((unsigned char) *p) || *p == '='; p++)
		;
	/* As the milter reads it: '#' opens a comment after white space. */
	for (end = p; *end != '\0'; end++)
		if (*end == '#' && (end == p ||
		    isspace((unsigned char) end[-1]))) {
			*end = '\0';
			break;
		}
	end = p + strlen(p);
	while (end > p && isspace((unsigned char) end[-1]))
		end--;
	if (end - p >= 2 && *p == '"' && end[-1] == '"') {
		p++;
		end--;
	}
	if (end == p || size == 0)
		return (false);
	len = (size_t) (end - p) < size ? (size_t) (end - p) : size - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return (true);
}

bool
rq_config_store_dir(FILE *fp, char *buf, size_t size)
{
	char	line[4096];
	bool	found = false;

	while (fgets(line, sizeof(line), fp) != NULL) {
		if (line[strspn(line, " \t")] == '#')
			continue;
		if (store_dir_line(line, buf, size))
			found = true;
	}
	return (found);
}

const char *
rq_default_store(void)
{
	static char dir[4096];
	FILE   *fp;
	bool	found = false;

	if ((fp = fopen(RQ_CONFIG_FILE, "r")) != NULL) {
		found = rq_config_store_dir(fp, dir, sizeof(dir));
		fclose(fp);
	}
	return (found ? dir : RQ_DEFAULT_STORE);
}
