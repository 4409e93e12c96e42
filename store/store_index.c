/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_index - the index keys of a report, and range bounds
 * PURPOSE
 *	An index key is the kind byte (enum store_index), the value and the
 *	report's 8-byte id; the data is empty. Values:
 *	  times  8 bytes big-endian with the sign bit flipped, so that byte
 *	         order is time order, before 1970 included;
 *	  IPs    16 bytes, IPv4 as ::ffff:a.b.c.d;
 *	  type   one byte (enum record_type);
 *	  text   lower-cased (ASCII letters), cut at STORE_KEY_TEXT_MAX
 *	         bytes, then a NUL, so that "example.com" and
 *	         "example.com.au" never share a prefix that mixes their ids
 *	         and byte order stays value order.
 *	store_index_keys() is the one place that says which keys a report
 *	has: the write uses it to put them and delete to remove them, from the
 *	report read back, so that exactly the keys written are removed.
 *
 *	The source IPs of DMARC records are not keys of their own: a report
 *	of 200 records would scatter 200 keys over the whole IP range and
 *	dirty a page for each at every commit. A DMARC report's distinct
 *	record IPs are one value instead, under 'p' and its id (sorted
 *	16-byte addresses, see store_index_ipset_key()); ids grow, so that
 *	value lands at the end of the index. An IP scan reads the 'P' keys
 *	(TLS sending MTAs and receiving IPs, ARF sources) and then every
 *	such value.
 */
#include <arpa/inet.h>
#include <string.h>

#include "store_impl.h"

size_t
store_key_time(int64_t t, unsigned char buf[8])
{
	store_be64_put(buf, (uint64_t)t ^ (UINT64_C(1) << 63));
	return (8);
}

size_t
store_key_ip(const char *text, unsigned char buf[16])
{
	unsigned char v4[4];

	if (text == NULL)
		return (0);
	if (inet_pton(AF_INET, text, v4) == 1) {
		memset(buf, 0, 10);
		buf[10] = buf[11] = 0xff;
		memcpy(buf + 12, v4, 4);
		return (16);
	}
	if (inet_pton(AF_INET6, text, buf) == 1)
		return (16);
	return (0);
}

size_t
store_key_text(const char *text, char *buf, size_t size)
{
	size_t	n = 0;
	unsigned char c;

	if (size > STORE_KEY_TEXT_MAX)
		size = STORE_KEY_TEXT_MAX;
	for (; text[n] != '\0' && n < size; n++) {
		c = (unsigned char)text[n];
		buf[n] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	if (n < size)
		buf[n] = '\0';
	return (n);
}

/* Where the keys of one report go. */
struct store_index_out {
	uint64_t id;
	store_index_key_fn fn;
	void   *arg;
};

/* One key: kind, value (a NUL after it when text), id. */
static int
store_index_emit(struct store_index_out *o, enum store_index kind,
    const void *value, size_t len, bool text)
{
	unsigned char key[1 + STORE_KEY_TEXT_MAX + 1 + 8];
	size_t	n = 0;

	key[n++] = (unsigned char)kind;
	memcpy(key + n, value, len);
	n += len;
	if (text)
		key[n++] = '\0';
	store_be64_put(key + n, o->id);
	return (o->fn(o->arg, key, n + 8));
}

static int
store_index_text(struct store_index_out *o, enum store_index kind,
    const char *text)
{
	char	buf[STORE_KEY_TEXT_MAX];
	size_t	len;

	if (text == NULL || text[0] == '\0')
		return (0);
	len = store_key_text(text, buf, sizeof(buf));
	return (store_index_emit(o, kind, buf, len, true));
}

static int
store_index_time(struct store_index_out *o, enum store_index kind, int64_t t)
{
	unsigned char buf[8];

	return (store_index_emit(o, kind, buf, store_key_time(t, buf), false));
}

static int
store_index_ip(struct store_index_out *o, const char *text)
{
	unsigned char buf[16];

	if (store_key_ip(text, buf) == 0)
		return (0);
	return (store_index_emit(o, STORE_IDX_IP, buf, 16, false));
}

static int
store_index_dmarc(struct store_index_out *o, const struct dmarc_report *d)
{
	int	rc;

	if ((rc = store_index_text(o, STORE_IDX_DOMAIN, d->policy_domain)) ||
	    (rc = store_index_text(o, STORE_IDX_REPORTER, d->org_name)) ||
	    (rc = store_index_text(o, STORE_IDX_REPORTER, d->email)) ||
	    (rc = store_index_text(o, STORE_IDX_REPORT_ID, d->report_id)))
		return (rc);
	return (store_index_time(o, STORE_IDX_DATE, d->date_range_begin));
}

static int
store_index_tls(struct store_index_out *o, const struct tls_report *t)
{
	size_t	i, j;
	int	rc;

	if ((rc = store_index_text(o, STORE_IDX_REPORTER, t->organization_name)) ||
	    (rc = store_index_text(o, STORE_IDX_REPORTER, t->contact_info)) ||
	    (rc = store_index_text(o, STORE_IDX_REPORT_ID, t->report_id)) ||
	    (rc = store_index_time(o, STORE_IDX_DATE, t->date_range_start)))
		return (rc);
	for (i = 0; i < t->n_policies; i++) {
		const struct tls_policy *p = &t->policies[i];

		if ((rc = store_index_text(o, STORE_IDX_DOMAIN, p->policy_domain)))
			return (rc);
		/* Receiving IPs are keys too, for the sources enrich looks up
		 * (store_ips_each()); ip= tests the sending MTA alone, on the
		 * report itself, so a candidate found by them is let go. */
		for (j = 0; j < p->n_failures; j++) {
			const struct tls_failure *f = &p->failures[j];

			if ((rc = store_index_ip(o, f->sending_mta_ip)) ||
			    (rc = store_index_ip(o, f->receiving_ip)))
				return (rc);
		}
	}
	return (0);
}

static int
store_index_arf(struct store_index_out *o, const struct arf_report *a)
{
	size_t	i;
	int	rc;

	for (i = 0; i < a->reported_domains.n; i++)
		if ((rc = store_index_text(o, STORE_IDX_DOMAIN,
		    a->reported_domains.v[i])))
			return (rc);
	if ((rc = store_index_ip(o, a->source_ip)))
		return (rc);
	if (a->has_arrival_date)
		return (store_index_time(o, STORE_IDX_DATE, a->arrival_date));
	return (0);
}

int
store_index_keys(const struct external_report *x, uint64_t n,
    store_index_key_fn fn, void *arg)
{
	struct store_index_out o = {n, fn, arg};
	unsigned char type = (unsigned char)x->report->type;
	int	rc;

	if ((rc = store_index_time(&o, STORE_IDX_RECEIVED, x->received_at)) ||
	    (rc = store_index_time(&o, STORE_IDX_EXPIRES, x->expires_at)) ||
	    (rc = store_index_emit(&o, STORE_IDX_TYPE, &type, 1, false)) ||
	    (rc = store_index_text(&o, STORE_IDX_REPORTER, x->from)))
		return (rc);
	switch (x->report->type) {
	case RECORD_DMARC:
		return (store_index_dmarc(&o, &x->report->u.dmarc));
	case RECORD_TLS:
		return (store_index_tls(&o, &x->report->u.tls));
	case RECORD_ARF:
		return (store_index_arf(&o, &x->report->u.arf));
	}
	return (0);
}

int
store_index_add_ips(struct store_ipset *ips, const struct dmarc_record *recs,
    size_t n)
{
	unsigned char addr[16];
	size_t	i;

	for (i = 0; i < n; i++)
		if (store_key_ip(recs[i].source_ip, addr) != 0 &&
		    store_ipset_add(ips, addr) < 0)
			return (-1);
	return (0);
}

size_t
store_index_ipset_key(uint64_t n, unsigned char key[9])
{
	key[0] = STORE_IPSET_KIND;
	store_be64_put(key + 1, n);
	return (9);
}
