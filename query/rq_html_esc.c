/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_html_esc - HTML escaping of report text, and numbers
 * PURPOSE
 *	One escaper for both contexts the page uses (text and quoted
 *	attributes): the stricter set is cheap and leaves no room for a
 *	mix-up.
 */
#include <inttypes.h>

#include "rq_html_esc.h"

void
rq_html_esc(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *) s;

	if (s == NULL || *s == '\0') {
		fputc('-', fp);
		return;
	}
	for (; *p; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		default:
			if ((*p < 0x20 && *p != '\t' && *p != '\n') ||
			    *p == 0x7f)
				fputs("&#xFFFD;", fp);
			else
				fputc(*p, fp);
		}
	}
}

void
rq_html_num(FILE *fp, uint64_t n)
{
	char	buf[32];
	int	len, i;

	len = snprintf(buf, sizeof(buf), "%" PRIu64, n);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			fputs("&#8239;", fp);
		fputc(buf[i], fp);
	}
}

void
rq_html_pct(FILE *fp, uint64_t part, uint64_t whole)
{
	if (whole == 0)
		fputc('-', fp);
	else
		fprintf(fp, "%.1f", 100.0 * (double) part / (double) whole);
}
