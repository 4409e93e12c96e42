/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_html_svg.h - charts as inline SVG
 * PURPOSE
 *	A stacked bar chart of a few series over time buckets (days,
 *	months or years), drawn by the browser from the page itself: no
 *	script, no image file. Each bar carries its figures in data-
 *	attributes and a <title> (the tooltip), so that the chart can be
 *	read back and checked against the tables.
 */
#ifndef RQ_HTML_SVG_H
#define RQ_HTML_SVG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RQ_HTML_SERIES	3

/* One bar: its bucket ("2026-03-01", "2026-03" or "2026") and values. */
struct rq_html_bar {
	char	label[16];
	uint64_t v[RQ_HTML_SERIES];
};

/* What the series are: their names (data- attribute and legend) and colours. */
struct rq_html_series {
	size_t	n;				/* 1 .. RQ_HTML_SERIES */
	const char *name[RQ_HTML_SERIES];	/* "pass", "fail": [a-z]+ */
	const char *colour[RQ_HTML_SERIES];	/* "#2e7d32" */
};

/*
 * Writes an <svg> of the n bars (borrowed; none: a short "no data"
 * note) with a legend. chart is the chart's name for its data-chart
 * attribute (a constant of the page, not report text); what is a
 * human title for screen readers (escaped).
 */
void	rq_html_svg_bars(FILE *fp, const char *chart, const char *what,
	    const struct rq_html_bar *bars, size_t n,
	    const struct rq_html_series *ser);

#endif
