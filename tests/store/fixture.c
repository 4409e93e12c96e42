/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	fixture - reports and scratch stores for the store tests
 * PURPOSE
 *	See fixture.h.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record_json.h"
#include "fixture.h"

static char fixture_dir[4096];
static char *fixture_paths[256];
static size_t fixture_npaths;

const char *
fixture_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	if (fixture_dir[0] != '\0')
		return (fixture_dir);
	if (base == NULL || base[0] == '\0')
		base = "/tmp";
	snprintf(fixture_dir, sizeof(fixture_dir), "%s/test_store.XXXXXX", base);
	if (mkdtemp(fixture_dir) == NULL) {
		perror(fixture_dir);
		exit(2);
	}
	return (fixture_dir);
}

char *
fixture_path(const char *name)
{
	char	buf[4096];

	if (fixture_npaths == sizeof(fixture_paths) / sizeof(fixture_paths[0]))
		abort();
	snprintf(buf, sizeof(buf), "%s/%s", fixture_tmpdir(), name);
	return (fixture_paths[fixture_npaths++] = fixture_str(buf));
}

static int
fixture_rm(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return (remove(path) != 0);
}

void
fixture_cleanup(void)
{
	size_t	i;

	if (fixture_dir[0] != '\0')
		(void)nftw(fixture_dir, fixture_rm, 16, FTW_DEPTH | FTW_PHYS);
	for (i = 0; i < fixture_npaths; i++)
		free(fixture_paths[i]);
	fixture_npaths = 0;
}

char *
fixture_str(const char *s)
{
	char   *p = record_strdup(s);

	if (p == NULL)
		abort();
	return (p);
}

static void *
fixture_calloc(size_t n, size_t size)
{
	void   *p = calloc(n, size);

	if (p == NULL)
		abort();
	return (p);
}

static void
fixture_add(struct strlist *l, const char *s)
{
	if (strlist_add_str(l, s) < 0)
		abort();
}

void
fixture_dmarc_record(struct dmarc_record *r, unsigned k)
{
	char	ip[64];

	memset(r, 0, sizeof(*r));
	if (k % 5 == 4)
		snprintf(ip, sizeof(ip), "2001:db8::%x", k);
	else
		snprintf(ip, sizeof(ip), "10.%u.%u.%u", k >> 16 & 255,
		    k >> 8 & 255, k & 255);
	r->source_ip = fixture_str(ip);
	r->count = k + 1;
	r->evaluated_disposition = DMARC_ACTION_NONE;
	r->evaluated_dkim = DMARC_RESULT_PASS;
	r->evaluated_spf = k % 2 ? DMARC_RESULT_FAIL : DMARC_RESULT_PASS;
	r->envelope_from = fixture_str("bounce.example.com");
	r->header_from = fixture_str("example.com");
	r->dkim = fixture_calloc(1, sizeof(*r->dkim));
	r->n_dkim = 1;
	r->dkim[0].domain = fixture_str("example.com");
	r->dkim[0].selector = fixture_str("s1");
	r->dkim[0].result = DKIM_RESULT_PASS;
	r->spf = fixture_calloc(1, sizeof(*r->spf));
	r->n_spf = 1;
	r->spf[0].domain = fixture_str("example.com");
	r->spf[0].scope = SPF_SCOPE_MAIL_FROM;
	r->spf[0].result = k % 2 ? SPF_RESULT_SOFT_FAIL : SPF_RESULT_PASS;
}

/* The mail's fields every report gets. */
static struct external_report *
fixture_external(enum record_type type, const char *from)
{
	struct external_report *x = external_report_new();

	if (x == NULL || (x->report = report_new(type)) == NULL)
		abort();
	free(x->from);
	free(x->subject);
	x->from = fixture_str(from);
	x->subject = fixture_str("Report Domain: example.com");
	fixture_add(&x->to, "dmarc@example.com");
	x->received_at = FIXTURE_T0;
	x->expires_at = FIXTURE_T0 + 30 * 86400;
	return (x);
}

struct external_report *
fixture_dmarc(const char *org, const char *report_id, const char *domain,
    size_t n)
{
	struct external_report *x = fixture_external(RECORD_DMARC,
	    "noreply-dmarc@Google.com");
	struct dmarc_report *d = &x->report->u.dmarc;
	struct dmarc_record r;
	size_t	i;

	d->org_name = fixture_str(org);
	d->email = fixture_str("noreply-dmarc-support@google.com");
	d->report_id = fixture_str(report_id);
	d->date_range_begin = FIXTURE_T0 - 86400;
	d->date_range_end = FIXTURE_T0 - 1;
	d->policy_domain = fixture_str(domain);
	d->policy_disposition = DMARC_DISP_REJECT;
	d->policy_adkim = DMARC_ALIGN_RELAXED;
	fixture_add(&d->errors, "record 3: <count> is not a number: 'x'");
	for (i = 0; i < n; i++) {
		fixture_dmarc_record(&r, (unsigned)i);
		if (dmarc_report_add_record(d, &r) < 0)
			abort();
	}
	return (x);
}

struct external_report *
fixture_tls(const char *org, const char *report_id, const char *domain)
{
	struct external_report *x = fixture_external(RECORD_TLS,
	    "tlsrpt@mail.example.net");
	struct tls_report *t = &x->report->u.tls;
	char	mx[256];
	int	i;

	t->organization_name = fixture_str(org);
	t->contact_info = fixture_str("smtp-tls-reporting@example.net");
	t->report_id = fixture_str(report_id);
	t->date_range_start = FIXTURE_T0 - 86400;
	t->date_range_end = FIXTURE_T0 - 1;
	t->policies = fixture_calloc(2, sizeof(*t->policies));
	t->n_policies = 2;
	for (i = 0; i < 2; i++) {
		struct tls_policy *p = &t->policies[i];

		snprintf(mx, sizeof(mx), "%s%s", i ? "mx." : "", domain);
		p->policy_type = i ? TLS_POLICY_STS : TLS_POLICY_NO_POLICY_FOUND;
		p->policy_domain = fixture_str(mx);
		fixture_add(&p->mx_hosts, "mx1.example.com");
		p->total_successful_sessions = 100;
		p->total_failed_sessions = 2;
		p->failures = fixture_calloc(1, sizeof(*p->failures));
		p->n_failures = 1;
		p->failures[0].result_type = TLS_RESULT_CERTIFICATE_EXPIRED;
		p->failures[0].sending_mta_ip = fixture_str(i ? "2001:db8::25" :
		    "198.51.100.25");
		p->failures[0].receiving_mx_hostname = fixture_str("mx1.example.com");
		p->failures[0].failed_session_count = 2;
	}
	return (x);
}

struct external_report *
fixture_arf(const char *domain, const char *ip, const char *mid)
{
	struct external_report *x = fixture_external(RECORD_ARF,
	    "abuse@isp.example");
	struct arf_report *a = &x->report->u.arf;
	char	msg[512];

	a->feedback_type = ARF_FEEDBACK_AUTH_FAILURE;
	a->has_arrival_date = 1;
	a->arrival_date = FIXTURE_T0 - 3600;
	fixture_add(&a->authentication_results, "mx.isp.example; dmarc=fail");
	a->original_mail_from = fixture_str("sender@example.com");
	a->original_rcpt_to = fixture_str("victim@isp.example");
	fixture_add(&a->reported_domains, domain);
	fixture_add(&a->reported_uris, "http://example.com/x");
	a->source_ip = fixture_str(ip);
	a->auth_failure = ARF_AUTH_FAILURE_DMARC;
	snprintf(msg, sizeof(msg), "From: sender@example.com\r\n"
	    "Message-ID:\r\n %s\r\nSubject: hello\r\n\r\nbody\r\n", mid);
	a->message = fixture_str(msg);
	return (x);
}

char *
fixture_json(const struct external_report *x)
{
	char   *s = record_json_write(x, 0, NULL);

	if (s == NULL)
		abort();
	return (s);
}

enum store_status
fixture_put_once(struct store *s, struct external_report *x,
    struct store_error *err)
{
	struct store_write *w;
	enum store_status st, put;

	if ((st = store_write_begin(s, &w, err)) != STORE_OK)
		return (st);
	put = store_write_report(w, x, err);
	if (put != STORE_OK && put != STORE_DUPLICATE) {
		store_write_abort(w);
		return (put);
	}
	st = store_write_commit(w, err);
	return (st == STORE_OK ? put : st);
}

enum store_status
fixture_put(struct store *s, struct external_report *x, struct store_error *err)
{
	enum store_status st;
	int	tries;

	for (tries = 0; tries < 16; tries++)
		if ((st = fixture_put_once(s, x, err)) != STORE_RETRY)
			break;
	return (st);
}

/* Joins ids into one of a few rotating buffers. */
struct fixture_ids {
	char   *buf;
	size_t	len;
};

static int
fixture_collect(void *arg, const char *id)
{
	struct fixture_ids *b = arg;
	size_t	n = strlen(id);

	if (b->len + n + 2 > 65536)
		return (1);
	if (b->len > 0)
		b->buf[b->len++] = ' ';
	memcpy(b->buf + b->len, id, n + 1);
	b->len += n;
	return (0);
}

static struct fixture_ids
fixture_buf(void)
{
	static char bufs[4][65536];
	static int next;
	struct fixture_ids b = {bufs[next++ & 3], 0};

	b.buf[0] = '\0';
	return (b);
}

const char *
fixture_scan(struct store *s, enum store_index idx, const void *lo,
    size_t lo_len, const void *hi, size_t hi_len)
{
	struct store_range r = {idx, lo, lo_len, hi, hi_len};
	struct fixture_ids b = fixture_buf();
	struct store_error err = {""};

	if (store_scan(s, &r, fixture_collect, &b, &err) != STORE_OK)
		return ("(scan failed)");
	return (b.buf);
}

const char *
fixture_scan_text(struct store *s, enum store_index idx, const char *text)
{
	char	key[STORE_KEY_TEXT_MAX];
	size_t	n = store_key_text(text, key, sizeof(key));

	return (fixture_scan(s, idx, key, n, key, n));
}

const char *
fixture_scan_ip(struct store *s, const char *ip)
{
	unsigned char key[16];
	size_t	n = store_key_ip(ip, key);

	return (fixture_scan(s, STORE_IDX_IP, key, n, key, n));
}

const char *
fixture_all(struct store *s, int reverse)
{
	struct fixture_ids b = fixture_buf();
	struct store_error err = {""};

	if (store_scan_all(s, reverse, fixture_collect, &b, &err) != STORE_OK)
		return ("(scan failed)");
	return (b.buf);
}

static int
fixture_one(void *arg, const char *id)
{
	(void)id;
	(*(size_t *)arg)++;
	return (0);
}

size_t
fixture_count(struct store *s)
{
	struct store_error err = {""};
	size_t	n = 0;

	if (store_scan_all(s, 0, fixture_one, &n, &err) != STORE_OK)
		return ((size_t)-1);
	return (n);
}

void
fixture_options(struct store_options *o, size_t initial, size_t max)
{
	store_options_default(o);
	if (initial != 0)
		o->initial_size = initial;
	if (max != 0)
		o->max_size = max;
}
