/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	dmarc_values - DMARC report values as record enums
 * PURPOSE
 *	The text-to-enum mapping behind dmarc_xml.c, kept apart so that the
 *	SAX machinery stays readable and the variants reporters use are
 *	listed in one place. The schema's own spellings are matched through
 *	record_enum.h; the tables here hold only what the schema does not
 *	spell (short forms, legacy results, underscores).
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dmarc_values.h"
#include "record.h"
#include "record_enum.h"

/* A spelling that is not the schema's, and the value it stands for. */
struct variant {
	const char *text;
	int	value;
};

#define NVARIANTS(a)	(sizeof(a) / sizeof((a)[0]))

static const struct variant alignment_variants[] = {
	{ "r", DMARC_ALIGN_RELAXED },
	{ "s", DMARC_ALIGN_STRICT },
};

/*
 * Results of RFC 4408 and older SPF/DKIM libraries: "hardfail" is fail,
 * "unknown" was renamed permerror, "error" was renamed temperror.
 */
static const struct variant dkim_variants[] = {
	{ "hardfail", DKIM_RESULT_FAIL },
	{ "unknown", DKIM_RESULT_PERM_ERROR },
	{ "error", DKIM_RESULT_TEMP_ERROR },
};

static const struct variant spf_variants[] = {
	{ "hardfail", SPF_RESULT_FAIL },
	{ "unknown", SPF_RESULT_PERM_ERROR },
	{ "error", SPF_RESULT_TEMP_ERROR },
};

static const struct variant scope_variants[] = {
	{ "mfrom", SPF_SCOPE_MAIL_FROM },
};

/* Looks text up in a variant table; -1 when it is not there. */
static int
variant_lookup(const struct variant *v, size_t n, const char *s)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcasecmp(v[i].text, s) == 0)
			return (v[i].value);
	return (-1);
}

/*
 * The schema's spelling first (ignoring '-', '_' and spaces), then the
 * variants. The empty text never matches.
 */
static int
enum_or_variant(enum record_enum e, const struct variant *v, size_t n,
    const char *s)
{
	int	value;

	if (s == NULL || *s == '\0')
		return (-1);
	if ((value = record_enum_value_loose(e, s)) >= 0)
		return (value);
	return (v == NULL ? -1 : variant_lookup(v, n, s));
}

int
dmarc_values_timestamp(const char *s, int64_t *out)
{
	char   *end;
	long long v;

	if (*s == '\0' || !(*s == '-' || *s == '+' || (*s >= '0' && *s <= '9')))
		return (-1);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s)
		return (-1);
	if (*end == '.') {		/* "1337270400.0": the fraction goes */
		for (end++; *end >= '0' && *end <= '9'; end++)
			continue;
	}
	if (*end != '\0')
		return (-1);
	*out = (int64_t) v;
	return (0);
}

int
dmarc_values_uint(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return (-1);
	for (; *s != '\0'; s++) {
		unsigned d;

		if (*s < '0' || *s > '9')
			return (-1);
		d = (unsigned) (*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return (-1);
		v = v * 10 + d;
	}
	*out = v;
	return (0);
}

int
dmarc_values_version(const char *s, double *out)
{
	char   *end;
	double	v;

	if (*s == '\0')
		return (-1);
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(v))
		return (-1);
	*out = v;
	return (0);
}

int
dmarc_values_alignment(const char *s)
{
	return (enum_or_variant(RENUM_DMARC_ALIGNMENT, alignment_variants,
	    NVARIANTS(alignment_variants), s));
}

int
dmarc_values_disposition(const char *s)
{
	int	v = enum_or_variant(RENUM_DMARC_DISPOSITION, NULL, 0, s);

	/* "unspecified" is our default, not something a report says. */
	return (v == DMARC_DISP_UNSPECIFIED ? -1 : v);
}

int
dmarc_values_action(const char *s)
{
	int	v = enum_or_variant(RENUM_DMARC_ACTION, NULL, 0, s);

	return (v == DMARC_ACTION_UNSPECIFIED ? -1 : v);
}

int
dmarc_values_result(const char *s)
{
	int	v = enum_or_variant(RENUM_DMARC_RESULT, NULL, 0, s);

	return (v == DMARC_RESULT_UNSPECIFIED ? -1 : v);
}

int
dmarc_values_dkim(const char *s)
{
	return (enum_or_variant(RENUM_DKIM_RESULT, dkim_variants,
	    NVARIANTS(dkim_variants), s));
}

int
dmarc_values_spf(const char *s)
{
	return (enum_or_variant(RENUM_SPF_RESULT, spf_variants,
	    NVARIANTS(spf_variants), s));
}

int
dmarc_values_scope(const char *s)
{
	int	v = enum_or_variant(RENUM_SPF_SCOPE, scope_variants,
	    NVARIANTS(scope_variants), s);

	return (v == SPF_SCOPE_UNSPECIFIED ? -1 : v);
}

int
dmarc_values_override(const char *s)
{
	/* The loose lookup makes "sampled_out" SampledOut, "Forwarded" too. */
	return (enum_or_variant(RENUM_DMARC_OVERRIDE, NULL, 0, s));
}

int
dmarc_values_fo(const char *s, unsigned *partial)
{
	unsigned bits = 0;
	int	bad = 0;

	while (*s != '\0') {
		size_t	len = strcspn(s, ": ,\t\r\n");

		if (len == 1 && *s == '0')
			bits |= DMARC_FO_ALL;
		else if (len == 1 && *s == '1')
			bits |= DMARC_FO_ANY;
		else if (len == 1 && (*s == 'd' || *s == 'D'))
			bits |= DMARC_FO_DKIM;
		else if (len == 1 && (*s == 's' || *s == 'S'))
			bits |= DMARC_FO_SPF;
		else if (len > 0)
			bad = 1;
		s += len;
		if (*s != '\0')
			s++;
	}
	*partial = bits;
	return (bad ? -1 : (int) bits);
}

int
dmarc_values_testing(const char *s)
{
	return (strcasecmp(s, "y") == 0);
}
