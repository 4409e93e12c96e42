/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_html_svg - stacked bar charts as inline SVG
 * PURPOSE
 *	The chart is drawn in a fixed coordinate system (W x H) and scaled
 *	by the browser (viewBox, width 100%), so that it fits a phone and a
 *	printed page alike. The y axis has one scale line at the largest
 *	bar; the x axis names the first and the last bucket.
 */
#include <inttypes.h>
#include <string.h>

#include "rq_html_esc.h"
#include "rq_html_svg.h"

#define W	720.0
#define H	180.0
#define LEFT	56.0		/* room for the scale */
#define BOTTOM	20.0		/* room for the bucket names */
#define TOP	8.0

static uint64_t
bar_total(const struct rq_html_bar *b, size_t nser)
{
	uint64_t t = 0;
	size_t	i;

	for (i = 0; i < nser; i++)
		t += b->v[i];
	return (t);
}

static void
legend(FILE *fp, const struct rq_html_series *ser)
{
	size_t	i;

	fputs("<p class=\"legend\">", fp);
	for (i = 0; i < ser->n; i++)
		fprintf(fp, "<span><svg width=\"10\" height=\"10\" aria-hidden="
		    "\"true\"><rect width=\"10\" height=\"10\" fill=\"%s\"/>"
		    "</svg> %s</span> ", ser->colour[i], ser->name[i]);
	fputs("</p>\n", fp);
}

/* One bar: its segments bottom up, and its figures. */
static void
bar(FILE *fp, const struct rq_html_bar *b, const struct rq_html_series *ser,
    double x, double bw, double scale)
{
	double	y = H - BOTTOM, h;
	size_t	i;

	fprintf(fp, "<g class=\"bar\" data-bucket=\"");
	rq_html_esc(fp, b->label);
	fputc('"', fp);
	for (i = 0; i < ser->n; i++)
		fprintf(fp, " data-%s=\"%" PRIu64 "\"", ser->name[i], b->v[i]);
	fputs("><title>", fp);
	rq_html_esc(fp, b->label);
	for (i = 0; i < ser->n; i++)
		fprintf(fp, "%s %s %" PRIu64, i ? "," : ":", ser->name[i],
		    b->v[i]);
	fputs("</title>", fp);
	for (i = 0; i < ser->n; i++) {
		if (b->v[i] == 0)
			continue;
		h = (double) b->v[i] * scale;
		if (h < 0.5)
			h = 0.5;	/* a small figure stays visible */
		y -= h;
		fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
		    "height=\"%.2f\" fill=\"%s\"/>", x, y, bw, h,
		    ser->colour[i]);
	}
	fputs("</g>\n", fp);
}

void
rq_html_svg_bars(FILE *fp, const char *chart, const char *what,
    const struct rq_html_bar *bars, size_t n,
    const struct rq_html_series *ser)
{
	uint64_t max = 0, t;
	double	step, bw, scale;
	size_t	i;

	if (n == 0) {
		fprintf(fp, "<p class=\"none\" data-chart=\"%s\">No data.</p>\n",
		    chart);
		return;
	}
	for (i = 0; i < n; i++)
		if ((t = bar_total(&bars[i], ser->n)) > max)
			max = t;
	step = (W - LEFT) / (double) n;
	bw = step > 2.0 ? step * 0.8 : step;
	scale = max ? (H - BOTTOM - TOP) / (double) max : 0.0;
	fprintf(fp, "<figure class=\"chart\"><svg data-chart=\"%s\" "
	    "viewBox=\"0 0 %.0f %.0f\" width=\"100%%\" role=\"img\" "
	    "preserveAspectRatio=\"xMinYMin meet\"><title>", chart, W, H);
	rq_html_esc(fp, what);
	fprintf(fp, "</title>\n<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" "
	    "y2=\"%.0f\" class=\"axis\"/>", LEFT, TOP, W, TOP);
	fprintf(fp, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
	    "class=\"axis\"/>", LEFT, H - BOTTOM, W, H - BOTTOM);
	fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%"
	    PRIu64 "</text><text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">"
	    "0</text>\n", LEFT - 4, TOP + 10, max, LEFT - 4, H - BOTTOM);
	for (i = 0; i < n; i++)
		bar(fp, &bars[i], ser, LEFT + step * (double) i +
		    (step - bw) / 2, bw, scale);
	fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\">", LEFT, H - 4);
	rq_html_esc(fp, bars[0].label);
	fprintf(fp, "</text><text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">",
	    W, H - 4);
	rq_html_esc(fp, bars[n - 1].label);
	fprintf(fp, "</text></svg><figcaption>One bar per %s.</figcaption>"
	    "</figure>\n", strlen(bars[0].label) == 4 ? "year" :
	    strlen(bars[0].label) == 7 ? "month" : "day");
	legend(fp, ser);
}
