/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_config - what report-query reads of the milter's configuration
 * PURPOSE
 *	report-query reads the same store as report-milter without being
 *	told: it takes StoreDir from the milter's configuration file, and
 *	alerts takes its thresholds (the Alert* keys) from it. Only the keys
 *	asked for are read here; the milter owns and checks the file.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "rq.h"

/* The value of a "KEY ..." line into buf; false for any other line. */
static bool
key_line(char *line, const char *key, char *buf, size_t size)
{
	size_t	klen = strlen(key), len;
	char   *p = line, *end;

	while (isspace((unsigned char) *p))
		p++;
	if (strncasecmp(p, key, klen) != 0 ||
	    !(isspace((unsigned char) p[klen]) || p[klen] == '='))
		return (false);
	for (p += klen; isspace((unsigned char) *p) || *p == '='; p++)
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
rq_config_value(FILE *fp, const char *key, char *buf, size_t size)
{
	char	line[4096];
	bool	found = false;

	while (fgets(line, sizeof(line), fp) != NULL) {
		if (line[strspn(line, " \t")] == '#')
			continue;
		if (key_line(line, key, buf, size))
			found = true;
	}
	return (found);
}

bool
rq_config_store_dir(FILE *fp, char *buf, size_t size)
{
	return (rq_config_value(fp, "StoreDir", buf, size));
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
