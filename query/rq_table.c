/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_table - plain-text tables and CSV rows
 * PURPOSE
 *	Column widths count characters, not bytes (UTF-8 continuation bytes
 *	take no room), so that a reporter's name in another script does not
 *	push its column out of line.
 */
#include <stdlib.h>
#include <string.h>

#include "rq_table.h"

void
rq_table_init(struct rq_table *t, size_t ncols, const char *const *head,
    unsigned right)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->head = head;
	t->right = right;
	t->cut = ~0u;
}

void
rq_table_clear(struct rq_table *t)
{
	strlist_clear(&t->cells);
}

size_t
rq_table_rows(const struct rq_table *t)
{
	return (t->ncols ? t->cells.n / t->ncols : 0);
}

/* Characters in s (UTF-8 lead bytes). */
static size_t
width(const char *s)
{
	size_t	n = 0;

	for (; *s; s++)
		if (((unsigned char) *s & 0xc0) != 0x80)
			n++;
	return (n);
}

/*
 * A printable copy of s: control characters become '?', and (when cut)
 * a cell of more than RQ_TABLE_CELL_MAX characters is cut to fit with
 * "...".
 */
static char *
cell_text(const char *s, int cut)
{
	size_t	len, i, chars = 0;
	char   *c;

	if (s == NULL || *s == '\0')
		s = "-";
	len = strlen(s);
	if ((c = malloc(len + 4)) == NULL)
		return (NULL);
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char) s[i];

		if (cut && (ch & 0xc0) != 0x80 &&
		    chars++ == RQ_TABLE_CELL_MAX - 3 && width(s + i) > 3) {
			memcpy(c + i, "...", 4);
			return (c);
		}
		c[i] = (ch < 0x20 || ch == 0x7f) ? '?' : (char) ch;
	}
	c[len] = '\0';
	return (c);
}

int
rq_table_add(struct rq_table *t, const char *const *cells)
{
	size_t	i, n0 = t->cells.n;
	char   *c;

	for (i = 0; i < t->ncols; i++) {
		if ((c = cell_text(cells[i], (t->cut >> i) & 1)) == NULL ||
		    strlist_add_str(&t->cells, c) < 0) {
			free(c);
			while (t->cells.n > n0)
				free(t->cells.v[--t->cells.n]);
			return (-1);
		}
		free(c);
	}
	return (0);
}

static void
print_cell(FILE *fp, const char *s, size_t w, int right, int last)
{
	size_t	pad = w - width(s);

	if (right)
		fprintf(fp, "%*s%s", (int) pad, "", s);
	else if (last)
		fputs(s, fp);
	else
		fprintf(fp, "%s%*s", s, (int) pad, "");
}

static void
print_row(const struct rq_table *t, FILE *fp, const char *indent,
    const char *const *cells, const size_t *w)
{
	size_t	i;

	fputs(indent, fp);
	for (i = 0; i < t->ncols; i++) {
		if (i > 0)
			fputs("  ", fp);
		print_cell(fp, cells[i], w[i], (t->right >> i) & 1,
		    i + 1 == t->ncols);
	}
	fputc('\n', fp);
}

void
rq_table_print(const struct rq_table *t, FILE *fp, const char *indent)
{
	size_t	*w, i, r, rows = rq_table_rows(t);

	if ((w = calloc(t->ncols ? t->ncols : 1, sizeof(*w))) == NULL)
		return;
	for (i = 0; i < t->ncols; i++)
		w[i] = width(t->head[i]);
	for (r = 0; r < rows; r++)
		for (i = 0; i < t->ncols; i++)
			if (width(t->cells.v[r * t->ncols + i]) > w[i])
				w[i] = width(t->cells.v[r * t->ncols + i]);
	print_row(t, fp, indent, t->head, w);
	for (r = 0; r < rows; r++)
		print_row(t, fp, indent,
		    (const char *const *) t->cells.v + r * t->ncols, w);
	free(w);
}

void
rq_csv_row(FILE *fp, const char *const *cells, size_t n)
{
	const char *s;
	size_t	i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', fp);
		if ((s = cells[i]) == NULL)
			continue;
		if (strpbrk(s, ",\"\r\n") == NULL) {
			fputs(s, fp);
			continue;
		}
		fputc('"', fp);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', fp);
			fputc(*s, fp);
		}
		fputc('"', fp);
	}
	fputc('\n', fp);
}
