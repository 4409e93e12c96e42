/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	record - allocation and release of the record model
 * PURPOSE
 *	Constructors that set the schema defaults, and the free functions
 *	that release everything a record owns.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

/*
 * The length (1 to 4) of the UTF-8 sequence that opens s[0..len), or 0
 * when none does (RFC 3629: no overlong form, no surrogate, nothing past
 * U+10FFFF, no cut sequence).
 */
static size_t
utf8_seq(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	size_t	n, i;

	if (c < 0x80)
		return (1);
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return (0);
	if (len < n)
		return (0);
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return (0);
	if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f) ||
	    (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
		return (0);
	return (n);
}

/*
 * Every string of the model ends up in JSON, which must be UTF-8: a byte
 * that starts no valid sequence (hostile or mislabelled input: a header,
 * a TLS-RPT string json-c does not check) becomes U+FFFD.
 */
char *
record_strndup(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t	i, n, bad = 0;
	char   *p, *d;

	for (i = 0; i < len && u[i] < 0x80; i++)	/* most text is ASCII */
		continue;
	for (; i < len; i += n)
		if ((n = utf8_seq(u + i, len - i)) == 0) {
			bad++;
			n = 1;
		}
	if (len >= SIZE_MAX - 1 || bad > (SIZE_MAX - len - 1) / 2 ||
	    (p = malloc(len + 2 * bad + 1)) == NULL)
		return (NULL);
	if (bad == 0) {
		memcpy(p, s, len);
		p[len] = '\0';
		return (p);
	}
	for (i = 0, d = p; i < len; i += n) {
		if ((n = utf8_seq(u + i, len - i)) == 0) {
			memcpy(d, "\xef\xbf\xbd", 3);
			d += 3;
			n = 1;
		} else {
			memcpy(d, s + i, n);
			d += n;
		}
	}
	*d = '\0';
	return (p);
}

char *
record_strdup(const char *s)
{
	return (s == NULL ? NULL : record_strndup(s, strlen(s)));
}

int
strlist_add(struct strlist *l, const char *s, size_t len)
{
	char   *copy;

	if (l->n == l->cap) {
		size_t	cap = l->cap ? l->cap * 2 : 4;
		char  **v;

		if (cap > SIZE_MAX / sizeof(*v))
			return (-1);
		if ((v = realloc(l->v, cap * sizeof(*v))) == NULL)
			return (-1);
		l->v = v;
		l->cap = cap;
	}
	if ((copy = record_strndup(s, len)) == NULL)
		return (-1);
	l->v[l->n++] = copy;
	return (0);
}

int
strlist_add_str(struct strlist *l, const char *s)
{
	return (strlist_add(l, s, strlen(s)));
}

void
strlist_clear(struct strlist *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void
extensions_free(struct dmarc_extension *ext, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(ext[i].name);
		free(ext[i].definition);
	}
	free(ext);
}

void
dmarc_record_clear(struct dmarc_record *r)
{
	size_t	i;

	free(r->source_ip);
	for (i = 0; i < r->n_overrides; i++)
		free(r->overrides[i].comment);
	free(r->overrides);
	free(r->envelope_to);
	free(r->envelope_from);
	free(r->header_from);
	for (i = 0; i < r->n_dkim; i++) {
		free(r->dkim[i].domain);
		free(r->dkim[i].selector);
		free(r->dkim[i].human_result);
	}
	free(r->dkim);
	for (i = 0; i < r->n_spf; i++) {
		free(r->spf[i].domain);
		free(r->spf[i].human_result);
	}
	free(r->spf);
	extensions_free(r->ext, r->n_ext);
	memset(r, 0, sizeof(*r));
}

int
dmarc_report_add_record(struct dmarc_report *d, struct dmarc_record *rec)
{
	if (d->n_records == d->cap_records) {
		size_t	cap = d->cap_records ? d->cap_records * 2 : 16;
		struct dmarc_record *v;

		if (cap > SIZE_MAX / sizeof(*v))
			return (-1);
		if ((v = realloc(d->records, cap * sizeof(*v))) == NULL)
			return (-1);
		d->records = v;
		d->cap_records = cap;
	}
	d->records[d->n_records++] = *rec;
	memset(rec, 0, sizeof(*rec));
	return (0);
}

void
dmarc_report_clear_records(struct dmarc_report *d)
{
	size_t	i;

	for (i = 0; i < d->n_records; i++)
		dmarc_record_clear(&d->records[i]);
	free(d->records);
	d->records = NULL;
	d->n_records = d->cap_records = 0;
}

static void
dmarc_report_clear(struct dmarc_report *d)
{
	free(d->org_name);
	free(d->email);
	free(d->extra_contact_info);
	free(d->report_id);
	strlist_clear(&d->errors);
	free(d->policy_domain);
	free(d->policy_version);
	dmarc_report_clear_records(d);
	extensions_free(d->ext, d->n_ext);
}

static void
tls_report_clear(struct tls_report *t)
{
	size_t	i, j;

	free(t->organization_name);
	free(t->contact_info);
	free(t->report_id);
	for (i = 0; i < t->n_policies; i++) {
		struct tls_policy *p = &t->policies[i];

		strlist_clear(&p->policy_strings);
		free(p->policy_domain);
		strlist_clear(&p->mx_hosts);
		for (j = 0; j < p->n_failures; j++) {
			struct tls_failure *f = &p->failures[j];

			free(f->sending_mta_ip);
			free(f->receiving_mx_hostname);
			free(f->receiving_mx_helo);
			free(f->receiving_ip);
			free(f->additional_information);
			free(f->failure_reason_code);
		}
		free(p->failures);
	}
	free(t->policies);
}

static void
arf_report_clear(struct arf_report *a)
{
	strlist_clear(&a->authentication_results);
	free(a->original_envelope_id);
	free(a->original_mail_from);
	free(a->original_rcpt_to);
	strlist_clear(&a->reported_domains);
	strlist_clear(&a->reported_uris);
	free(a->reporting_mta);
	free(a->source_ip);
	free(a->user_agent);
	free(a->dkim_adsp_dns);
	free(a->dkim_canonicalized_body);
	free(a->dkim_canonicalized_header);
	free(a->dkim_domain);
	free(a->dkim_identity);
	free(a->dkim_selector);
	free(a->dkim_selector_dns);
	free(a->spf_dns);
	free(a->message);
	free(a->headers);
}

struct report *
report_new(enum record_type type)
{
	struct report *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return (NULL);
	r->type = type;
	switch (type) {
	case RECORD_DMARC:
		r->u.dmarc.version = 1.0;
		break;
	case RECORD_TLS:
		break;
	case RECORD_ARF:
		r->u.arf.version = 1;
		r->u.arf.incidents = 1;
		r->u.arf.auth_failure = ARF_AUTH_FAILURE_UNSPECIFIED;
		r->u.arf.delivery_result = ARF_DELIVERY_UNSPECIFIED;
		r->u.arf.identity_alignment = ARF_ALIGN_UNSPECIFIED;
		break;
	}
	return (r);
}

void
report_free(struct report *r)
{
	if (r == NULL)
		return;
	switch (r->type) {
	case RECORD_DMARC:
		dmarc_report_clear(&r->u.dmarc);
		break;
	case RECORD_TLS:
		tls_report_clear(&r->u.tls);
		break;
	case RECORD_ARF:
		arf_report_clear(&r->u.arf);
		break;
	}
	free(r);
}

struct external_report *
external_report_new(void)
{
	struct external_report *x;

	if ((x = calloc(1, sizeof(*x))) == NULL)
		return (NULL);
	x->from = record_strdup("");
	x->subject = record_strdup("");
	if (x->from == NULL || x->subject == NULL) {
		external_report_free(x);
		return (NULL);
	}
	return (x);
}

void
external_report_free(struct external_report *x)
{
	if (x == NULL)
		return;
	free(x->id);
	report_free(x->report);
	free(x->from);
	free(x->subject);
	strlist_clear(&x->to);
	free(x->member_tenant_id);
	free(x);
}
