/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_lean - the lean form of a chunk's records, beside its JSON
 * PURPOSE
 *	A summary or a page over millions of records needs of each only its
 *	source IP, count, evaluated results and the DKIM and SPF results;
 *	inflating and parsing the whole JSON for that costs ten times more
 *	than adding it up. So a chunk value starts with these fields in a
 *	compact binary form, read without zlib, json-c or an allocation per
 *	record:
 *
 *	  'L', varint length of the lean block, the lean block, then the
 *	  deflated JSON array as before.
 *
 *	  lean block: varint records, varint strings, each string as varint
 *	  length and bytes (DKIM domains and selectors, and source IPs that
 *	  are not an address in its printed form, each once), then per
 *	  record:
 *	    source IP: 0 none; 4 and 4 bytes; 6 and 16 bytes; 1 and a
 *	      varint string number
 *	    varint count
 *	    one byte: evaluated disposition | DKIM << 3 | SPF << 5
 *	    varint DKIM results, each: varint domain string, varint
 *	      selector string, one byte result
 *	    varint SPF results, each: one byte result
 *
 *	An address is kept in binary only when printing it again gives the
 *	very text of the report, so the lean record says what the JSON says.
 *	A chunk value of an older store is the deflated JSON alone (its first
 *	byte is a zlib header, never 'L').
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"
#include "fnv1a.h"

#define LEAN_IP_NONE	0
#define LEAN_IP_TEXT	1
#define LEAN_IP_V4	4
#define LEAN_IP_V6	6

/* ---- a growing byte buffer ---- */

struct lean_buf {
	unsigned char *p;
	size_t	len, cap;
	int	nomem;
};

static void
put(struct lean_buf *b, const void *data, size_t n)
{
	unsigned char *p;
	size_t	cap;

	if (b->nomem)
		return;
	if (b->len + n > b->cap) {
		for (cap = b->cap ? b->cap : 1024; cap < b->len + n; cap *= 2)
			;
		if ((p = realloc(b->p, cap)) == NULL) {
			b->nomem = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void
put_byte(struct lean_buf *b, unsigned v)
{
	unsigned char c = (unsigned char) v;

	put(b, &c, 1);
}

static void
put_varint(struct lean_buf *b, uint64_t v)
{
	unsigned char c[10];
	size_t	n = 0;

	while (v >= 0x80) {
		c[n++] = (unsigned char) (v | 0x80);
		v >>= 7;
	}
	c[n++] = (unsigned char) v;
	put(b, c, n);
}

/* ---- the strings of a chunk, each once ---- */

struct lean_strings {
	const char **v;			/* borrowed from the records */
	size_t	n;
	size_t *slot;			/* string number + 1; 0: free */
	size_t	cap;			/* a power of two */
};

/* The number of s, added when new (t->v has room for every string). */
static size_t
lean_string(struct lean_strings *t, const char *s)
{
	size_t	i = (size_t) fnv1a_str(s, NULL) & (t->cap - 1);

	while (t->slot[i] != 0) {
		if (strcmp(t->v[t->slot[i] - 1], s) == 0)
			return (t->slot[i] - 1);
		i = (i + 1) & (t->cap - 1);
	}
	t->v[t->n] = s;
	t->slot[i] = ++t->n;
	return (t->n - 1);
}

/*
 * Dotted-quad text in the one form inet_ntop() prints (four numbers of
 * 0-255, no sign, no leading zero): its 4 bytes in out, else -1. Most
 * records' addresses are IPv4; this saves a parse and a print per record.
 */
static int
lean_v4(const char *s, unsigned char out[4])
{
	unsigned v, part;
	size_t	digits;

	for (part = 0; part < 4; part++) {
		v = 0;
		for (digits = 0; *s >= '0' && *s <= '9'; s++, digits++) {
			if (digits == 3 || (digits == 1 && v == 0))
				return (-1);
			v = v * 10 + (unsigned) (*s - '0');
		}
		if (digits == 0 || v > 255)
			return (-1);
		out[part] = (unsigned char) v;
		if (*s++ != (part < 3 ? '.' : '\0'))
			return (-1);
	}
	return (0);
}

/* Whether printing the address of text gives text again. */
static int
lean_address(const char *text, unsigned char out[16])
{
	char	back[INET6_ADDRSTRLEN];

	if (lean_v4(text, out) == 0)
		return (LEAN_IP_V4);
	if (strchr(text, ':') != NULL && inet_pton(AF_INET6, text, out) == 1)
		return (inet_ntop(AF_INET6, out, back, sizeof(back)) != NULL &&
		    strcmp(back, text) == 0 ? LEAN_IP_V6 : LEAN_IP_TEXT);
	return (LEAN_IP_TEXT);
}

/* Gives every string of the records its number, in order of use. */
static int
lean_number(struct lean_strings *t, const struct dmarc_record *recs, size_t n)
{
	unsigned char a[16];
	size_t	i, j, most = 0;

	for (i = 0; i < n; i++)
		most += 1 + 2 * recs[i].n_dkim;
	for (t->cap = 16; t->cap < 2 * most; t->cap *= 2)
		;
	if ((t->v = malloc(most * sizeof(*t->v) + 1)) == NULL ||
	    (t->slot = calloc(t->cap, sizeof(*t->slot))) == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		if (recs[i].source_ip != NULL &&
		    lean_address(recs[i].source_ip, a) == LEAN_IP_TEXT)
			lean_string(t, recs[i].source_ip);
		for (j = 0; j < recs[i].n_dkim; j++) {
			lean_string(t, recs[i].dkim[j].domain);
			lean_string(t, recs[i].dkim[j].selector);
		}
	}
	return (0);
}

static void
lean_record(struct lean_buf *b, struct lean_strings *t,
    const struct dmarc_record *r)
{
	unsigned char a[16];
	size_t	j;
	int	kind;

	if (r->source_ip == NULL)
		put_byte(b, LEAN_IP_NONE);
	else if ((kind = lean_address(r->source_ip, a)) == LEAN_IP_TEXT) {
		put_byte(b, LEAN_IP_TEXT);
		put_varint(b, lean_string(t, r->source_ip));
	} else {
		put_byte(b, (unsigned) kind);
		put(b, a, kind == LEAN_IP_V4 ? 4 : 16);
	}
	put_varint(b, r->count);
	put_byte(b, ((unsigned) r->evaluated_disposition & 7) |
	    ((unsigned) r->evaluated_dkim & 3) << 3 |
	    ((unsigned) r->evaluated_spf & 3) << 5);
	put_varint(b, r->n_dkim);
	for (j = 0; j < r->n_dkim; j++) {
		put_varint(b, lean_string(t, r->dkim[j].domain));
		put_varint(b, lean_string(t, r->dkim[j].selector));
		put_byte(b, (unsigned) r->dkim[j].result);
	}
	put_varint(b, r->n_spf);
	for (j = 0; j < r->n_spf; j++)
		put_byte(b, (unsigned) r->spf[j].result);
}

enum store_status
store_lean_encode(const struct dmarc_record *recs, size_t n,
    const char *deflated, size_t deflated_len, char **out, size_t *out_len)
{
	struct lean_strings t = { NULL, 0, NULL, 0 };
	struct lean_buf body = { NULL, 0, 0, 0 }, all = { NULL, 0, 0, 0 };
	size_t	i;

	*out = NULL;
	*out_len = 0;
	if (lean_number(&t, recs, n) < 0) {
		free(t.v);
		free(t.slot);
		return (STORE_NOMEM);
	}
	put_varint(&body, n);
	put_varint(&body, t.n);
	for (i = 0; i < t.n; i++) {
		put_varint(&body, strlen(t.v[i]));
		put(&body, t.v[i], strlen(t.v[i]));
	}
	for (i = 0; i < n; i++)
		lean_record(&body, &t, &recs[i]);
	put_byte(&all, 'L');
	put_varint(&all, body.len);
	put(&all, body.p, body.len);
	put(&all, deflated, deflated_len);
	free(t.v);
	free(t.slot);
	free(body.p);
	if (body.nomem || all.nomem) {
		free(all.p);
		return (STORE_NOMEM);
	}
	*out = (char *) all.p;
	*out_len = all.len;
	return (STORE_OK);
}

/* ---- reading ---- */

struct lean_in {
	const unsigned char *p, *end;
	int	bad;
};

static uint64_t
get_varint(struct lean_in *in)
{
	uint64_t v = 0;
	unsigned shift = 0;

	while (in->p < in->end && shift < 64) {
		v |= (uint64_t) (*in->p & 0x7f) << shift;
		if ((*in->p++ & 0x80) == 0)
			return (v);
		shift += 7;
	}
	in->bad = 1;
	return (0);
}

static unsigned
get_byte(struct lean_in *in)
{
	if (in->p >= in->end) {
		in->bad = 1;
		return (0);
	}
	return (*in->p++);
}

int
store_lean_split(const void *data, size_t len, const void **lean,
    size_t *lean_len, const void **deflated, size_t *deflated_len)
{
	struct lean_in in = { data, (const unsigned char *) data + len, 0 };
	uint64_t n;

	if (len == 0 || *in.p != 'L') {
		*lean = NULL;
		*lean_len = 0;
		*deflated = data;
		*deflated_len = len;
		return (0);
	}
	in.p++;
	n = get_varint(&in);
	if (in.bad || n > (uint64_t) (in.end - in.p))
		return (-1);
	*lean = in.p;
	*lean_len = (size_t) n;
	*deflated = in.p + n;
	*deflated_len = (size_t) (in.end - in.p - n);
	return (0);
}

void
store_lean_clear(struct store_lean *l)
{
	free(l->recs);
	free(l->dkim);
	free(l->spf);
	free(l->text);
	free(l->strings);
	memset(l, 0, sizeof(*l));
}

/* Makes room for n of what *v points to (size each); -1 out of memory. */
static int
lean_room(void *v, size_t *cap, size_t n, size_t size)
{
	void	*p;
	size_t	c;

	if (n <= *cap)
		return (0);
	for (c = *cap ? *cap : 64; c < n; c *= 2)
		;
	if ((p = realloc(*(void **) v, c * size)) == NULL)
		return (-1);
	*(void **) v = p;
	*cap = c;
	return (0);
}

/* Copies a string of the block into l->text with its NUL; its offset. */
static size_t
lean_text(struct store_lean *l, const unsigned char *s, size_t n)
{
	size_t	at = l->n_text;

	memcpy(l->text + at, s, n);
	l->text[at + n] = '\0';
	l->n_text += n + 1;
	return (at);
}

/*
 * Reads the string table: l->strings[i] gets each one's offset in
 * l->text. Room in text: the block's length plus a NUL per string plus
 * the printed addresses of the records (INET6_ADDRSTRLEN each).
 */
static int
lean_strings(struct store_lean *l, struct lean_in *in, size_t nrec,
    size_t nstr, size_t block)
{
	uint64_t len;
	size_t	i;

	if (nstr > block || nrec > block)
		return (-1);
	if (lean_room(&l->strings, &l->cap_strings, nstr + 1,
	    sizeof(*l->strings)) < 0 || lean_room(&l->text, &l->cap_text,
	    block + nstr + nrec * INET6_ADDRSTRLEN + 1, 1) < 0)
		return (-2);
	l->n_text = 0;
	for (i = 0; i < nstr; i++) {
		len = get_varint(in);
		if (in->bad || len > (uint64_t) (in->end - in->p))
			return (-1);
		l->strings[i] = lean_text(l, in->p, (size_t) len);
		in->p += len;
	}
	return (0);
}

/* A string number of the block, as an offset in l->text; -1 bad. */
static ptrdiff_t
lean_ref(struct store_lean *l, struct lean_in *in, size_t nstr)
{
	uint64_t i = get_varint(in);

	if (in->bad || i >= nstr)
		return (-1);
	return ((ptrdiff_t) l->strings[i]);
}

/* The source IP of a record, as an offset in l->text; -1 none, -2 bad. */
static ptrdiff_t
lean_ip(struct store_lean *l, struct lean_in *in, size_t nstr)
{
	unsigned kind = get_byte(in);
	int	af = kind == LEAN_IP_V4 ? AF_INET : AF_INET6;
	size_t	n = kind == LEAN_IP_V4 ? 4 : 16, at;
	ptrdiff_t r;

	if (kind == LEAN_IP_NONE && !in->bad)
		return (-1);
	if (kind == LEAN_IP_TEXT)
		return ((r = lean_ref(l, in, nstr)) < 0 ? -2 : r);
	if ((kind != LEAN_IP_V4 && kind != LEAN_IP_V6) ||
	    (size_t) (in->end - in->p) < n)
		return (-2);
	at = l->n_text;
	if (inet_ntop(af, in->p, l->text + at, INET6_ADDRSTRLEN) == NULL)
		return (-2);
	l->n_text += strlen(l->text + at) + 1;
	in->p += n;
	return ((ptrdiff_t) at);
}

/* Where each record's parts are while the text may still move. */
struct lean_at {
	ptrdiff_t ip;
	size_t	dkim, spf;		/* first of the record's results */
};

static int
lean_one(struct store_lean *l, struct lean_in *in, size_t nstr,
    struct dmarc_record *r, struct lean_at *at)
{
	static char empty[] = "";
	uint64_t nd, ns, i;
	unsigned flags;
	ptrdiff_t d, s;

	if ((at->ip = lean_ip(l, in, nstr)) == -2)
		return (-1);
	r->count = get_varint(in);
	flags = get_byte(in);
	r->evaluated_disposition = (enum dmarc_action) (flags & 7);
	r->evaluated_dkim = (enum dmarc_result) ((flags >> 3) & 3);
	r->evaluated_spf = (enum dmarc_result) ((flags >> 5) & 3);
	r->envelope_from = r->header_from = empty;
	nd = get_varint(in);
	if (in->bad || nd > (uint64_t) (in->end - in->p))
		return (-1);
	if (lean_room(&l->dkim, &l->cap_dkim, l->n_dkim + (size_t) nd,
	    sizeof(*l->dkim)) < 0)
		return (-2);
	at->dkim = l->n_dkim;
	for (i = 0; i < nd; i++) {
		struct dmarc_dkim_result *k = &l->dkim[l->n_dkim++];

		memset(k, 0, sizeof(*k));
		if ((d = lean_ref(l, in, nstr)) < 0 ||
		    (s = lean_ref(l, in, nstr)) < 0)
			return (-1);
		/* Offsets for now: the text does not move, the array may. */
		k->domain = (char *) (intptr_t) d;
		k->selector = (char *) (intptr_t) s;
		k->result = (enum dkim_auth_result) get_byte(in);
	}
	r->n_dkim = (size_t) nd;
	ns = get_varint(in);
	if (in->bad || ns > (uint64_t) (in->end - in->p))
		return (-1);
	if (lean_room(&l->spf, &l->cap_spf, l->n_spf + (size_t) ns,
	    sizeof(*l->spf)) < 0)
		return (-2);
	at->spf = l->n_spf;
	for (i = 0; i < ns; i++) {
		struct dmarc_spf_result *p = &l->spf[l->n_spf++];

		memset(p, 0, sizeof(*p));
		p->domain = empty;
		p->result = (enum spf_auth_result) get_byte(in);
	}
	r->n_spf = (size_t) ns;
	return (in->bad ? -1 : 0);
}

int
store_lean_decode(struct store_lean *l, const void *data, size_t len,
    struct dmarc_record **recs, size_t *n)
{
	struct lean_in in = { data, (const unsigned char *) data + len, 0 };
	struct lean_at *at = NULL;
	uint64_t nrec, nstr;
	size_t	i, j;
	int	rc;

	*recs = NULL;
	*n = 0;
	nrec = get_varint(&in);
	nstr = get_varint(&in);
	if (in.bad)
		return (-1);
	if ((rc = lean_strings(l, &in, (size_t) nrec, (size_t) nstr, len)) < 0)
		return (rc);
	if (lean_room(&l->recs, &l->cap_recs, (size_t) nrec + 1,
	    sizeof(*l->recs)) < 0 ||
	    (at = malloc(((size_t) nrec + 1) * sizeof(*at))) == NULL) {
		free(at);
		return (-2);
	}
	l->n_dkim = l->n_spf = 0;
	memset(l->recs, 0, (size_t) nrec * sizeof(*l->recs));
	for (i = 0; i < nrec; i++)
		if ((rc = lean_one(l, &in, (size_t) nstr, &l->recs[i],
		    &at[i])) < 0) {
			free(at);
			return (rc);
		}
	if (in.p != in.end) {
		free(at);
		return (-1);
	}
	/* Now that nothing moves: offsets become pointers. */
	for (i = 0; i < nrec; i++) {
		struct dmarc_record *r = &l->recs[i];

		r->source_ip = at[i].ip < 0 ? NULL : l->text + at[i].ip;
		r->dkim = r->n_dkim ? &l->dkim[at[i].dkim] : NULL;
		r->spf = r->n_spf ? &l->spf[at[i].spf] : NULL;
		for (j = 0; j < r->n_dkim; j++) {
			r->dkim[j].domain = l->text +
			    (intptr_t) r->dkim[j].domain;
			r->dkim[j].selector = l->text +
			    (intptr_t) r->dkim[j].selector;
		}
	}
	free(at);
	*recs = l->recs;
	*n = (size_t) nrec;
	return (0);
}
