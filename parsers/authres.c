/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	authres - Authentication-Results fields, and whom to believe
 * PURPOSE
 *	A small scanner over RFC 8601 syntax (comments, quoted strings,
 *	"method/version", "ptype.property=value") and the trust rule of
 *	authres.h applied to a raw message header. Pure: no allocation, no
 *	state.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "authres.h"

#define AUTHRES_MAX_TRUSTED	64

struct scan {
	const char *p, *end;
};

/* Skips white space, line ends and (nested) comments. */
static void
skip_cfws(struct scan *s)
{
	int	depth = 0;

	while (s->p < s->end) {
		if (*s->p == '(')
			depth++;
		else if (*s->p == ')' && depth > 0)
			depth--;
		else if (*s->p == '\\' && depth > 0 && s->p + 1 < s->end)
			s->p++;
		else if (depth == 0 && !isspace((unsigned char) *s->p))
			return;
		s->p++;
	}
}

/* A character of a token: printable, no space nor special of RFC 8601. */
static bool
word_char(unsigned char c)
{
	return (c > ' ' && c != 0x7f && strchr("()<>;=\"\\,", c) == NULL);
}

/*
 * A token or quoted string, copied (cut at size, lower-cased when lower)
 * into buf. False when there is none at s.
 */
static bool
read_value(struct scan *s, char *buf, size_t size, bool lower)
{
	size_t	n = 0;
	bool	quoted = s->p < s->end && *s->p == '"';
	unsigned char c;

	if (quoted)
		s->p++;
	else if (s->p >= s->end || !word_char((unsigned char) *s->p))
		return (false);
	while (s->p < s->end) {
		c = (unsigned char) *s->p;
		if (quoted && c == '"') {
			s->p++;
			break;
		}
		if (!quoted && !word_char(c))
			break;
		if (quoted && c == '\\' && s->p + 1 < s->end)
			c = (unsigned char) *++s->p;
		if (n + 1 < size)
			buf[n++] = (char) (lower ? tolower(c) : c);
		s->p++;
	}
	buf[n] = '\0';
	return (true);
}

static bool
expect(struct scan *s, char c)
{
	skip_cfws(s);
	if (s->p >= s->end || *s->p != c)
		return (false);
	s->p++;
	skip_cfws(s);
	return (true);
}

/*
 * The rest of "ptype . property" when CFWS splits it (RFC 8601 lets
 * comments sit around the dot): appended to name. False when a dot is
 * not followed by a property.
 */
static bool
read_dotted(struct scan *s, char *name, size_t size)
{
	size_t	n = strlen(name);

	skip_cfws(s);
	if (n > 0 && name[n - 1] != '.' && s->p < s->end && *s->p == '.') {
		s->p++;
		if (n + 1 < size)
			name[n++] = '.';
		name[n] = '\0';
	}
	if (n == 0 || name[n - 1] != '.')
		return (true);
	skip_cfws(s);
	return (read_value(s, name + n, size - n, true));
}

/* The properties after "method=result", up to the next ';'. */
static bool
read_props(struct scan *s, struct authres_result *r, char *bad, size_t size)
{
	char	name[64], value[256], *dot;

	for (;;) {
		skip_cfws(s);
		if (s->p >= s->end || *s->p == ';')
			return (true);
		if (!read_value(s, name, sizeof(name), true) ||
		    !read_dotted(s, name, sizeof(name)) || !expect(s, '=') ||
		    !read_value(s, value, sizeof(value), true)) {
			snprintf(bad, size, "a property of %s is not "
			    "ptype.property=value", r->method);
			return (false);
		}
		if ((dot = strchr(name, '.')) == NULL &&
		    strcmp(name, "reason") != 0) {
			snprintf(bad, size, "'%s' is no ptype.property", name);
			return (false);
		}
		if (strcmp(name, "header.d") == 0)
			snprintf(r->header_d, sizeof(r->header_d), "%s", value);
	}
}

/* One "; method[/version]=result props" (the ';' is read already). */
static bool
read_result(struct scan *s, struct authres *out, char *bad, size_t size)
{
	struct authres_result dummy, *r = out->n < AUTHRES_MAX_RESULTS ?
	    &out->v[out->n] : &dummy;
	char   *slash, version[16];

	memset(r, 0, sizeof(*r));
	if (!read_value(s, r->method, sizeof(r->method), true)) {
		snprintf(bad, size, "no method after ';'");
		return (false);
	}
	if ((slash = strchr(r->method, '/')) != NULL)
		*slash = '\0';
	skip_cfws(s);
	if (slash == NULL && s->p < s->end && *s->p == '/') {
		/* "method / version", with CFWS around the slash */
		s->p++;
		skip_cfws(s);
		if (!read_value(s, version, sizeof(version), false)) {
			snprintf(bad, size, "no version after %s/", r->method);
			return (false);
		}
		skip_cfws(s);
	}
	if (out->n == 0 && strcmp(r->method, "none") == 0 &&
	    s->p >= s->end) {
		out->none = true;
		return (true);
	}
	if (!expect(s, '=') ||
	    !read_value(s, r->result, sizeof(r->result), true)) {
		snprintf(bad, size, "method %s has no =result", r->method);
		return (false);
	}
	if (!read_props(s, r, bad, size))
		return (false);
	if (r != &dummy)
		out->n++;
	return (true);
}

enum parse_status
authres_parse(const char *value, size_t len, struct authres *out,
    struct parse_error *err)
{
	struct scan s = { value, value + len };
	char	bad[128], version[16];

	memset(out, 0, sizeof(*out));
	skip_cfws(&s);
	if (!read_value(&s, out->authserv_id, sizeof(out->authserv_id),
	    false)) {
		parse_error_set(err, "Authentication-Results: no authserv-id");
		return (PARSE_INVALID);
	}
	skip_cfws(&s);
	if (s.p < s.end && isdigit((unsigned char) *s.p))
		(void) read_value(&s, version, sizeof(version), false);
	for (;;) {
		skip_cfws(&s);
		if (s.p >= s.end)
			break;
		if (*s.p != ';') {
			snprintf(bad, sizeof(bad), "';' expected");
			goto invalid;
		}
		s.p++;
		skip_cfws(&s);
		if (s.p >= s.end)	/* a final ';' is tolerated */
			break;
		if (!read_result(&s, out, bad, sizeof(bad)))
			goto invalid;
	}
	if (out->n == 0 && !out->none) {
		snprintf(bad, sizeof(bad), "no result");
		goto invalid;
	}
	return (PARSE_OK);
invalid:
	parse_error_set(err, "Authentication-Results from %s: %s at offset "
	    "%zu", out->authserv_id, bad, (size_t) (s.p - value));
	return (PARSE_INVALID);
}

/* The length of a domain name without a final dot. */
static size_t
domain_len(const char *d)
{
	size_t	n = strlen(d);

	return (n > 0 && d[n - 1] == '.' ? n - 1 : n);
}

bool
authres_aligned(const char *d, const char *from)
{
	size_t	dn = domain_len(d), fn = domain_len(from);
	const char *lng = dn >= fn ? d : from, *shrt = dn >= fn ? from : d;
	size_t	ln = dn >= fn ? dn : fn, sn = dn >= fn ? fn : dn;

	if (sn == 0)
		return (false);
	if (ln == sn)
		return (strncasecmp(d, from, ln) == 0);
	return (memchr(shrt, '.', sn) != NULL && lng[ln - sn - 1] == '.' &&
	    strncasecmp(lng + ln - sn, shrt, sn) == 0);
}

const char *
authres_name(enum record_auth a)
{
	switch (a) {
	case RECORD_AUTH_PASS:
		return ("true");
	case RECORD_AUTH_FAIL:
		return ("false");
	case RECORD_AUTH_NONE:
		break;
	}
	return ("null");
}

/*
 * The next header field at *pos: its name and its unfolded value (cut
 * at AUTHRES_FIELD_MAX, *cut then set) in buf. False at the end of the
 * header.
 */
static bool
next_field(const char *data, size_t len, size_t *pos, char *name,
    size_t nsize, char *buf, size_t *vlen, bool *cut)
{
	size_t	i = *pos, n = 0, k;

	for (;;) {
		if (i >= len || data[i] == '\n' || (data[i] == '\r' &&
		    i + 1 < len && data[i + 1] == '\n'))
			return (false);
		for (k = i; k < len && data[k] != ':' && data[k] != '\n'; k++)
			;
		if (k < len && data[k] == ':')
			break;
		i = k + 1;	/* no name (an mbox "From " line): skip it */
	}
	snprintf(name, nsize, "%.*s", (int) (k - i), data + i);
	*cut = false;
	for (i = k + 1; i < len; i++) {
		if (data[i] == '\n' && !(i + 1 < len && (data[i + 1] == ' ' ||
		    data[i + 1] == '\t')))
			break;
		if (data[i] == '\r' || data[i] == '\n')
			continue;
		if (n < AUTHRES_FIELD_MAX)
			buf[n++] = data[i];
		else
			*cut = true;
	}
	*pos = i + 1;
	*vlen = n;
	return (true);
}

/* The domain of the address in a From: value, into dom. */
static void
from_domain(const char *v, size_t len, char *dom, size_t size)
{
	const char *lt = memchr(v, '<', len), *end = v + len, *at = NULL, *p;
	size_t	n = 0;

	if (lt != NULL) {
		v = lt + 1;
		if ((p = memchr(v, '>', (size_t) (end - v))) != NULL)
			end = p;
	}
	for (p = v; p < end; p++)
		if (*p == '@')
			at = p;
	dom[0] = '\0';
	if (at == NULL)
		return;
	for (p = at + 1; p < end && n + 1 < size && (isalnum((unsigned char)
	    *p) || *p == '.' || *p == '-' || (unsigned char) *p >= 0x80); p++)
		dom[n++] = *p;
	dom[n] = '\0';
}

/* Which of trusted[0..n) id is; -1 when none. */
static int
trusted_index(const char *id, const char *const *trusted, size_t n)
{
	size_t	i;

	for (i = 0; i < n && i < AUTHRES_MAX_TRUSTED; i++)
		if (strcasecmp(id, trusted[i]) == 0)
			return ((int) i);
	return (-1);
}

/* What authres_message() gathers before it knows the From: domain. */
struct gather {
	unsigned long long seen;	/* trusted ids whose field was read */
	bool	any;			/* a trusted field was read */
	char	d[AUTHRES_MAX_RESULTS][256];	/* header.d of DKIM passes */
	size_t	n;
};

/* Reads one Authentication-Results field above the first Received:. */
static void
gather(struct gather *g, const char *value, size_t vlen,
    const char *const *trusted, size_t n)
{
	struct authres ar;
	size_t	i;
	int	t;

	if (authres_parse(value, vlen, &ar, NULL) != PARSE_OK &&
	    ar.authserv_id[0] == '\0')
		return;
	if ((t = trusted_index(ar.authserv_id, trusted, n)) < 0 ||
	    (g->seen & (1ull << t)))
		return;		/* not trusted, or not the topmost one */
	g->seen |= 1ull << t;
	g->any = true;
	for (i = 0; i < ar.n && g->n < AUTHRES_MAX_RESULTS; i++)
		if (strcmp(ar.v[i].method, "dkim") == 0 &&
		    strcmp(ar.v[i].result, "pass") == 0 &&
		    ar.v[i].header_d[0] != '\0')
			memcpy(g->d[g->n++], ar.v[i].header_d,
			    sizeof(g->d[0]));
}

enum record_auth
authres_message(const char *data, size_t len, const char *const *trusted,
    size_t n)
{
	struct gather g;
	char	name[64], from[256] = "", value[AUTHRES_FIELD_MAX];
	bool	above = true, got_from = false, cut;
	size_t	pos = 0, vlen, i;

	memset(&g, 0, sizeof(g));
	while ((above || !got_from) && next_field(data, len, &pos, name,
	    sizeof(name), value, &vlen, &cut)) {
		if (strcasecmp(name, "From") == 0 && !got_from) {
			from_domain(value, vlen, from, sizeof(from));
			got_from = true;
		} else if (strcasecmp(name, "Received") == 0)
			above = false;
		else if (above && !cut &&
		    strcasecmp(name, "Authentication-Results") == 0)
			gather(&g, value, vlen, trusted, n);
	}
	if (!g.any)
		return (RECORD_AUTH_NONE);
	for (i = 0; i < g.n; i++)
		if (from[0] != '\0' && authres_aligned(g.d[i], from))
			return (RECORD_AUTH_PASS);
	return (RECORD_AUTH_FAIL);
}
