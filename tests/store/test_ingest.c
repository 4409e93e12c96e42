/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	test_ingest - the one ingest path, from message bytes to the store
 * PURPOSE
 *	Drives ingest_message() as report-milter and report-query import do
 *	and checks what a user would then find in the store: the stamped
 *	External report fields, duplicates counted once, mail without a
 *	report leaving no trace, broken report mail quarantined with its
 *	reason, a big DMARC report streamed in order, every store
 *	failure ending in a tempfail with nothing half written, and
 *	whether the report mail was authenticated: kept with each report,
 *	or the reports held back (quarantined or refused) when it was not.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract.h"
#include "ingest.h"
#include "record_json.h"
#include "store.h"
#include "tap.h"
#include "zbuf.h"

static char	tmpl[] = "/tmp/test-ingest.XXXXXX";
static const char *corpus;

static char *
slurp(const char *path, size_t *len)
{
	FILE   *fp = fopen(path, "rb");
	char   *buf;
	long	n;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0 || (buf = malloc((size_t) n + 1)) == NULL ||
	    fread(buf, 1, (size_t) n, fp) != (size_t) n) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(99);
	}
	fclose(fp);
	buf[n] = '\0';
	*len = (size_t) n;
	return (buf);
}

static char *
corpus_file(const char *name, size_t *len)
{
	char	path[4096];

	snprintf(path, sizeof(path), "%s/%s", corpus, name);
	return (slurp(path, len));
}

/* Opens the store in tmpl/name with o, or ends the test. */
static struct store *
open_in(const char *name, const struct store_options *o)
{
	struct store_error err = { "" };
	struct store *s;
	char	dir[4096];

	snprintf(dir, sizeof(dir), "%s/%s", tmpl, name);
	if (store_open(dir, o, &s, &err) != STORE_OK) {
		fprintf(stderr, "store_open %s: %s\n", dir, err.reason);
		exit(99);
	}
	return (s);
}

/* A fresh store in a directory of its own under the test's. */
static struct store *
fresh(const char *name, size_t initial, size_t max)
{
	struct store_options o;

	store_options_default(&o);
	if (initial)
		o.initial_size = initial;
	if (max)
		o.max_size = max;
	return (open_in(name, &o));
}

static uint64_t
count_reports(struct store *s)
{
	struct store_stat st;
	struct store_error err = { "" };

	if (store_stat(s, &st, &err) != STORE_OK)
		return (UINT64_MAX);
	return (st.reports[RECORD_DMARC] + st.reports[RECORD_TLS] +
	    st.reports[RECORD_ARF]);
}

static void
test_report_mail(const struct ingest_options *o)
{
	static const char *rcpts[] = { "dmarc@example.com" };
	struct ingest_envelope env = { "sender@example.net", rcpts, 1,
	    "192.0.2.25", "4XyZ1", 1767225600, 0 };
	struct ingest_result res, again;
	struct external_report *x;
	struct store_meta meta;
	struct store_error err = { "" };
	struct store *s = fresh("mail", 0, 0);
	size_t	len;
	char   *msg = corpus_file("dmarc/mail-auth__dmarc-feedback-100.eml", &len);

	is_int(ingest_message(s, msg, len, &env, o, &res), INGEST_STORED,
	    "a DMARC report mail is stored");
	is_int(res.stored[RECORD_DMARC], 1, "  one DMARC report");
	ok(res.first_id[0] != '\0', "  its id: %s", res.first_id);
	ok(store_get(s, res.first_id, true, &x, &meta, &err) == STORE_OK,
	    "  it reads back");
	if (x != NULL) {
		ok(strchr(x->from, '@') != NULL &&
		    strcmp(x->from, "sender@example.net") != 0,
		    "  from is the header's address: %s", x->from);
		ok(x->subject[0] != '\0', "  subject from the header: %s",
		    x->subject);
		is_int(x->received_at, 1767225600, "  receivedAt from the envelope");
		is_int(x->expires_at - x->received_at, o->hold_seconds,
		    "  expiresAt is receivedAt + the hold");
		ok(x->report->u.dmarc.n_records > 0, "  with its records");
		is_int(x->authenticated, RECORD_AUTH_NONE,
		    "  no authserv-id trusted: @authenticated null");
		external_report_free(x);
	}
	is_int(ingest_message(s, msg, len, &env, o, &again), INGEST_DUPLICATE,
	    "the same mail again: duplicate");
	is_str(again.first_id, res.first_id, "  names the kept report");
	ok(store_get(s, res.first_id, false, &x, &meta, &err) == STORE_OK &&
	    meta.duplicates == 1, "  which counts one duplicate");
	external_report_free(x);
	is_int((int) count_reports(s), 1, "  and is still the only report");
	free(msg);
	store_close(s);
}

static int count_quarantine(void *, const struct store_quarantine *);

/* The corpus mail with fields on top; the caller frees it. */
static char *
with_fields(const char *fields, const char *name, size_t *len)
{
	size_t	n, flen = strlen(fields);
	char   *msg = corpus_file(name, &n), *out = malloc(flen + n);

	if (out == NULL)
		exit(99);
	memcpy(out, fields, flen);
	memcpy(out + flen, msg, n);
	free(msg);
	*len = flen + n;
	return (out);
}

static enum record_auth
stored_auth(struct store *s, const char *id)
{
	struct external_report *x;
	struct store_error err = { "" };
	enum record_auth a;

	if (store_get(s, id, false, &x, NULL, &err) != STORE_OK)
		return ((enum record_auth) -1);
	a = x->authenticated;
	external_report_free(x);
	return (a);
}

static void
test_authenticated(const struct ingest_options *base)
{
	static const char *const trusted[] = { "mx.example.net" };
	static const char *const names[] = {
		"dmarc/mail-auth__dmarc-feedback-100.eml",
		"tlsrpt/mail-auth__tlsrpt-rpt01.eml",
	};
	struct ingest_options o = *base;
	struct ingest_result res;
	struct store *s = fresh("auth", 0, 0);
	struct store_error err = { "" };
	int	nq = 0;
	size_t	len;
	char   *msg;

	o.trusted = trusted;
	o.n_trusted = 1;
	msg = with_fields("Authentication-Results: mx.example.net; dkim=pass "
	    "header.d=google.com\r\n", names[0], &len);
	is_int(ingest_message(s, msg, len, NULL, &o, &res), INGEST_STORED,
	    "a trusted aligned DKIM pass: stored");
	is_int(res.authenticated, RECORD_AUTH_PASS, "  the result says true");
	is_int(stored_auth(s, res.first_id), RECORD_AUTH_PASS,
	    "  and the stored report");
	free(msg);
	o.unauthenticated = INGEST_UNAUTH_REFUSE;
	msg = with_fields("Authentication-Results: mx.example.net; dkim=pass "
	    "header.d=elsewhere.example\r\n", names[1], &len);
	is_int(ingest_message(s, msg, len, NULL, &o, &res),
	    INGEST_UNAUTHENTICATED, "refuse: a pass not aligned is held back");
	is_int(res.held, 1, "  one report held");
	ok(res.qid[0] == '\0' && strstr(res.reason, "not authenticated") !=
	    NULL, "  not quarantined; why: %s", res.reason);
	is_int((int) count_reports(s), 1, "  nothing more stored");
	o.unauthenticated = INGEST_UNAUTH_QUARANTINE;
	is_int(ingest_message(s, msg, len, NULL, &o, &res),
	    INGEST_UNAUTHENTICATED, "quarantine: held back too");
	ok(res.qid[0] != '\0', "  quarantined as %s", res.qid);
	(void) store_quarantine_each(s, false, count_quarantine, &nq, &err);
	is_int(nq, 1, "  one quarantine entry");
	o.unauthenticated = INGEST_UNAUTH_ACCEPT;
	is_int(ingest_message(s, msg, len, NULL, &o, &res), INGEST_STORED,
	    "accept: the same mail is stored");
	is_int(stored_auth(s, res.first_id), RECORD_AUTH_FAIL,
	    "  with @authenticated false");
	free(msg);
	store_close(s);
}

static void
test_not_report(const struct ingest_options *o)
{
	static const char plain[] = "From: a@example.org\r\nTo: dmarc@example.com\r\n"
	    "Subject: hello\r\n\r\nJust a question about your DMARC policy.\r\n";
	struct ingest_result res;
	struct store *s = fresh("plain", 0, 0);

	is_int(ingest_message(s, plain, sizeof(plain) - 1, NULL, o, &res),
	    INGEST_NOT_REPORT, "ordinary mail: not a report");
	is_int((int) count_reports(s), 0, "  nothing stored");
	ok(res.qid[0] == '\0', "  nothing quarantined");
	store_close(s);
}

static int
count_quarantine(void *arg, const struct store_quarantine *q)
{
	(void) q;
	(*(int *) arg)++;
	return (0);
}

static void
test_unparsable(const struct ingest_options *o)
{
	static const char *rcpts[] = { "rua@example.com" };
	struct ingest_envelope env = { "bounce@example.net", rcpts, 1, NULL,
	    "Q1", 0, 0 };
	static const char head[] = "From: r@example.net\r\nTo: rua@example.com\r\n"
	    "Subject: Report\r\nMIME-Version: 1.0\r\nContent-Type: "
	    "application/gzip; name=\"x.xml.gz\"\r\nContent-Transfer-Encoding: "
	    "base64\r\n\r\nH4sIAAAAAAAAA+3BAQ0AAADCoPdPbQ43oAAAAAAAAAAAAAAA\r\n";
	struct store_quarantine *q = NULL;
	struct store_error err = { "" };
	struct ingest_result res;
	struct store *s = fresh("broken", 0, 0);
	int	n = 0;

	is_int(ingest_message(s, head, sizeof(head) - 1, &env, o, &res),
	    INGEST_UNPARSABLE, "a broken report part: unparsable");
	ok(res.reason[0] != '\0', "  with a reason: %s", res.reason);
	ok(res.qid[0] != '\0', "  quarantined as %s", res.qid);
	ok(store_quarantine_get(s, res.qid, &q, &err) == STORE_OK && q != NULL,
	    "  the entry reads back");
	if (q != NULL) {
		ok(q->kept_len == sizeof(head) - 1 &&
		    memcmp(q->message, head, q->kept_len) == 0,
		    "  with the message as received");
		ok(strstr(q->reason, "part") != NULL, "  and its reason: %s",
		    q->reason);
		is_str(q->queue_id, "Q1", "  and the queue id");
		store_quarantine_free(q);
	}
	{
		struct ingest_result again;

		is_int(ingest_message(s, head, sizeof(head) - 1, &env, o,
		    &again), INGEST_UNPARSABLE, "the same broken mail again");
		is_str(again.qid, res.qid, "  names the entry it has");
	}
	store_quarantine_each(s, false, count_quarantine, &n, &err);
	is_int(n, 1, "  one quarantine entry");
	ok(store_quarantine_delete(s, res.qid, &err) == STORE_OK,
	    "  which can be deleted");
	{
		struct ingest_result third;

		ingest_message(s, head, sizeof(head) - 1, &env, o, &third);
		ok(third.qid[0] != '\0' && strcmp(third.qid, res.qid) != 0,
		    "  and after that is quarantined anew (%s)", third.qid);
	}
	is_int((int) count_reports(s), 0, "  no report");
	store_close(s);
}

/* A DMARC report of n records (record i from 10.x.y.z), gzip'd or not. */
static char *
big_report(unsigned n, unsigned truncate_at, size_t *len)
{
	size_t	cap = 4096 + (size_t) n * 400, used;
	char   *x = malloc(cap);
	unsigned i;

	used = (size_t) snprintf(x, cap, "<?xml version=\"1.0\"?>\n<feedback>"
	    "<report_metadata><org_name>Big Receiver</org_name><email>r@big."
	    "example</email><report_id>big-%u-%u</report_id><date_range><begin>"
	    "1767225600</begin><end>1767311999</end></date_range>"
	    "</report_metadata><policy_published><domain>example.com</domain>"
	    "<p>reject</p></policy_published>\n", n, truncate_at);
	for (i = 0; i < n && (truncate_at == 0 || i < truncate_at); i++)
		used += (size_t) snprintf(x + used, cap - used, "<record><row>"
		    "<source_ip>10.%u.%u.%u</source_ip><count>%u</count>"
		    "<policy_evaluated><disposition>none</disposition><dkim>pass"
		    "</dkim><spf>fail</spf></policy_evaluated></row><identifiers>"
		    "<header_from>example.com</header_from></identifiers>"
		    "<auth_results><spf><domain>example.com</domain><result>fail"
		    "</result></spf></auth_results></record>\n", i >> 16 & 255,
		    i >> 8 & 255, i & 255, i + 1);
	if (truncate_at == 0)
		used += (size_t) snprintf(x + used, cap - used, "</feedback>\n");
	*len = used;
	return (x);
}

struct walk {
	uint64_t n;
	int	in_order;
};

static int
check_records(void *arg, const struct dmarc_record *recs, size_t n)
{
	struct walk *w = arg;
	size_t	i;

	for (i = 0; i < n; i++)
		if (recs[i].count != ++w->n)
			w->in_order = 0;
	return (0);
}

static void
test_big(const struct ingest_options *o)
{
	struct store *s = fresh("big", 64 << 10, 256 << 20);
	struct store_error err = { "" };
	struct ingest_result res;
	struct walk w = { 0, 1 };
	struct store_meta meta;
	struct external_report *x = NULL;
	size_t	len;
	char   *xml = big_report(5000, 0, &len);

	ok(ingest_message(s, xml, len, NULL, o, &res) == INGEST_STORED,
	    "a 5,000-record report into a 64 KiB map: stored (%s)", res.reason);
	ok(store_get(s, res.first_id, false, &x, &meta, &err) == STORE_OK &&
	    meta.n_records == 5000, "  5,000 records kept");
	external_report_free(x);
	ok(store_get_records(s, res.first_id, check_records, &w, &err) ==
	    STORE_OK && w.n == 5000 && w.in_order, "  read back in order");
	free(xml);
	xml = big_report(5000, 3000, &len);
	is_int(ingest_message(s, xml, len, NULL, o, &res), INGEST_UNPARSABLE,
	    "truncated after 3,000 records: unparsable");
	is_int((int) count_reports(s), 1, "  no part of it stored");
	free(xml);
	store_close(s);
}

static void
test_tempfail(const struct ingest_options *o)
{
	struct store *s = fresh("full", 32 << 10, 64 << 10);
	struct ingest_result res;
	size_t	len;
	char   *xml = big_report(5000, 0, &len);

	is_int(ingest_message(s, xml, len, NULL, o, &res), INGEST_TEMPFAIL,
	    "a store at its size limit: tempfail");
	ok(strstr(res.reason, "limit") != NULL || strstr(res.reason, "full")
	    != NULL, "  saying why: %s", res.reason);
	is_int((int) count_reports(s), 0, "  nothing written");
	free(xml);
	store_close(s);
}

static void
test_envelope_fallback(const struct ingest_options *o)
{
	static const char *rcpts[] = { "tlsrpt@example.com", "x@example.com" };
	struct ingest_envelope env = { "reporter@example.net", rcpts, 2, NULL,
	    "file.json", 1767225600, 0 };
	struct store_error err = { "" };
	struct ingest_result res;
	struct external_report *x = NULL;
	struct store *s = fresh("bare", 0, 0);
	size_t	len;
	char   *json = corpus_file("tlsrpt/mail-auth__tlsrpt-rpt01.json", &len);

	is_int(ingest_message(s, json, len, &env, o, &res), INGEST_STORED,
	    "a bare TLS-RPT file: stored");
	if (store_get(s, res.first_id, false, &x, NULL, &err) == STORE_OK) {
		is_str(x->from, "reporter@example.net", "  from: the envelope sender");
		ok(x->to.n == 2 && strcmp(x->to.v[0], "tlsrpt@example.com") == 0,
		    "  to: the envelope recipients");
		external_report_free(x);
	} else
		ok(0, "  reads back: %s", err.reason);
	free(json);
	store_close(s);
}

/* Keeps msg pending with the envelope of the tests; returns its id. */
static uint64_t
keep_pending(struct store *s, const char *msg, size_t len)
{
	struct store_pending p;
	struct store_error err = { "" };
	uint64_t id = 0;

	memset(&p, 0, sizeof(p));
	p.received_at = 1767225600;
	p.sender = (char *) "sender@example.net";
	p.client_addr = (char *) "192.0.2.25";
	p.queue_id = (char *) "4XyZ1";
	(void) strlist_add_str(&p.rcpts, "dmarc@example.com");
	(void) strlist_add_str(&p.rcpts, "rua@example.com");
	p.message = (char *) msg;
	p.message_len = len;
	if (store_pending_put(s, &p, &id, &err) != STORE_OK)
		diag("store_pending_put: %s", err.reason);
	strlist_clear(&p.rcpts);
	return (id);
}

static size_t
pending(struct store *s)
{
	struct store_error err = { "" };
	size_t	n = 99;

	(void) store_pending_count(s, &n, &err);
	return (n);
}

/* The envelope of pending entry p, as report-milter's thread makes it. */
static void
envelope_of(const struct store_pending *p, struct ingest_envelope *env)
{
	memset(env, 0, sizeof(*env));
	env->sender = p->sender;
	env->rcpts = (const char *const *) p->rcpts.v;
	env->n_rcpts = p->rcpts.n;
	env->queue_id = p->queue_id;
	env->received_at = p->received_at;
	env->pending_id = p->id;
}

/*
 * DeferParse's path: a mail kept pending reads back as it was put, and
 * leaves in the commit of what its ingest wrote; a store that cannot
 * write keeps it (ingest tempfails); a mail that holds no report leaves
 * too; the store reopened keeps what was pending.
 */
static void
test_pending(const struct ingest_options *o)
{
	static const char plain[] = "From: a@example.org\r\nTo: dmarc@example.com"
	    "\r\nSubject: hello\r\n\r\nA question.\r\n";
	struct ingest_envelope env;
	struct store_pending *p = NULL, *q = NULL;
	struct store_error err = { "" };
	struct ingest_result res;
	struct store_options so;
	struct store *s = fresh("pending", 0, 0);
	char	dir[4096];
	uint64_t id, id2, got;
	size_t	len;
	char   *msg = corpus_file("dmarc/mail-auth__dmarc-feedback-100.eml", &len);

	is_int(store_pending_next(s, 0, &got, &p, &err), STORE_NOTFOUND,
	    "a new store: nothing pending");
	is_int((int) pending(s), 0, "  counted 0");
	id = keep_pending(s, msg, len);
	ok(id == 1, "a mail kept pending gets id 1 (%llu)",
	    (unsigned long long) id);
	is_int((int) pending(s), 1, "  one pending");
	is_int((int) count_reports(s), 0, "  no report stored yet");
	is_int(store_pending_next(s, 0, &got, &p, &err), STORE_OK,
	    "  it reads back");
	if (p != NULL) {
		ok(got == id && p->id == id, "  with its id");
		ok(p->message_len == len && memcmp(p->message, msg, len) == 0,
		    "  the message byte for byte (%zu bytes)", p->message_len);
		is_str(p->sender, "sender@example.net", "  the sender");
		is_str(p->client_addr, "192.0.2.25", "  the client address");
		is_str(p->queue_id, "4XyZ1", "  the queue id");
		ok(p->rcpts.n == 2 && strcmp(p->rcpts.v[1], "rua@example.com")
		    == 0, "  both recipients");
		is_int(p->received_at, 1767225600, "  the time it came");
	}
	is_int(store_pending_next(s, id, &got, &q, &err), STORE_NOTFOUND,
	    "  nothing after it");

	if (p == NULL) {
		diag("no pending entry to go on with");
		exit(1);
	}
	/* The store refuses the commit: ingest tempfails, the mail stays. */
	snprintf(dir, sizeof(dir), "%s/pending", tmpl);
	store_close(s);
	setenv("REPORT_STORE_FAIL_COMMIT", "1", 1);
	store_options_default(&so);
	if (store_open(dir, &so, &s, &err) != STORE_OK)
		exit(99);
	unsetenv("REPORT_STORE_FAIL_COMMIT");
	envelope_of(p, &env);
	is_int(ingest_message(s, p->message, p->message_len, &env, o, &res),
	    INGEST_TEMPFAIL, "a commit that fails: tempfail");
	is_int((int) pending(s), 1, "  the mail is still pending");
	is_int((int) count_reports(s), 0, "  and no report stored");
	is_int(ingest_message(s, p->message, p->message_len, &env, o, &res),
	    INGEST_STORED, "tried again: stored");
	is_int((int) pending(s), 0, "  and no longer pending");
	is_int((int) count_reports(s), 1, "  one report");
	is_int(ingest_message(s, p->message, p->message_len, &env, o, &res),
	    INGEST_DUPLICATE, "an entry done before, ingested again: a "
	    "duplicate, no error");
	store_pending_free(p);
	p = NULL;

	/* Mail without a report leaves too; entries survive a reopen. */
	id = keep_pending(s, plain, sizeof(plain) - 1);
	id2 = keep_pending(s, msg, len);
	ok(id == 2 && id2 == 3, "ids go on: %llu, %llu",
	    (unsigned long long) id, (unsigned long long) id2);
	store_close(s);
	if (store_open(dir, &so, &s, &err) != STORE_OK)
		exit(99);
	is_int((int) pending(s), 2, "reopened: both still pending");
	env.pending_id = id;
	is_int(ingest_message(s, plain, sizeof(plain) - 1, &env, o, &res),
	    INGEST_NOT_REPORT, "the ordinary one: not a report");
	is_int(store_pending_next(s, 0, &got, &p, &err), STORE_OK,
	    "  the oldest pending is now the other");
	ok(got == id2, "  (id %llu)", (unsigned long long) got);
	store_pending_free(p);
	free(msg);
	store_close(s);
}

/*
 * Opens the store in tmpl/name, with a journal of jsize bytes (0: none;
 * with drain, one left with mail in it is opened to parse that mail).
 */
static struct store *
journal_store(const char *name, uint64_t jsize, bool read_only, bool drain)
{
	struct store_options o;

	store_options_default(&o);
	o.journal_size = jsize;
	o.read_only = read_only;
	o.journal_drain = drain;
	return (open_in(name, &o));
}

/* Ingests pending entry p as report-milter's thread does; true: done. */
static bool
ingest_pending(struct store *s, const struct store_pending *p,
    const struct ingest_options *o)
{
	struct ingest_envelope env;
	struct ingest_result res;

	envelope_of(p, &env);
	if (ingest_message(s, p->message, p->message_len, &env, o, &res) ==
	    INGEST_TEMPFAIL)
		return (false);
	store_pending_release(s, p->id);
	return (true);
}

/* Parses what is pending, oldest first; how many were. */
static unsigned
drain_pending(struct store *s, const struct ingest_options *o)
{
	struct store_error err = { "" };
	struct store_pending *p;
	uint64_t id;
	unsigned n = 0;

	while (store_pending_next(s, 0, &id, &p, &err) == STORE_OK) {
		if (!ingest_pending(s, p, o)) {
			store_pending_free(p);
			break;
		}
		store_pending_free(p);
		n++;
	}
	return (n);
}

static uint64_t
stat_pending(const char *name)
{
	struct store_error err = { "" };
	struct store_stat st;
	struct store *s = journal_store(name, 0, true, false);

	memset(&st, 0, sizeof(st));
	if (store_stat(s, &st, &err) != STORE_OK)
		diag("store_stat: %s", err.reason);
	store_close(s);
	return (st.pending);
}

/* A pending.journal that is not one is not written over: open fails. */
static void
test_journal_foreign(void)
{
	struct store_options o;
	struct store_error err = { "" };
	struct store *s = fresh("foreign", 0, 0);
	char	dir[4096], path[4200];
	FILE   *fp;

	store_close(s);
	snprintf(dir, sizeof(dir), "%s/foreign", tmpl);
	snprintf(path, sizeof(path), "%s/pending.journal", dir);
	if ((fp = fopen(path, "w")) == NULL)
		exit(99);
	fputs("somebody's notes\n", fp);
	fclose(fp);
	store_options_default(&o);
	o.journal_size = 65536;
	is_int(store_open(dir, &o, &s, &err), STORE_CORRUPT,
	    "a pending.journal that is not a journal: the store does not open");
	ok(strstr(err.reason, "is not a journal") != NULL, "  and says why: %s",
	    err.reason);
}

/*
 * Mail left in the journal by a run with DeferParse, reopened by one
 * without it (journal_size 0, journal_drain): parsed all the same, and
 * nothing new is written to the journal.
 */
static void
test_journal_drain(const struct ingest_options *o)
{
	struct store *s = journal_store("drain", 16 * 4096, false, false);
	size_t	len;
	unsigned i, in_journal = 0;
	uint64_t id;
	char   *msg = corpus_file("dmarc/mail-auth__dmarc-feedback-100.eml", &len);

	for (i = 0; i < 3; i++)
		if (keep_pending(s, msg, len) & STORE_PENDING_JOURNAL)
			in_journal++;
	is_int((int) in_journal, 3, "drain: 3 mails left in the journal");
	store_close(s);
	s = journal_store("drain", 0, false, true);
	is_int((int) pending(s), 3, "  reopened without a journal size: "
	    "3 pending");
	id = keep_pending(s, msg, len);
	ok(id != 0 && !(id & STORE_PENDING_JOURNAL),
	    "  a new mail is kept in the database (id %llu)",
	    (unsigned long long) id);
	is_int((int) drain_pending(s, o), 4, "  all 4 parsed, journal first");
	is_int((int) pending(s), 0, "  none left");
	store_close(s);
	s = journal_store("drain", 0, false, true);
	is_int((int) pending(s), 0, "  reopened: none pending");
	id = keep_pending(s, msg, len);
	ok(id != 0 && !(id & STORE_PENDING_JOURNAL),
	    "  and still none kept in the journal");
	is_int((int) drain_pending(s, o), 1, "  (parsed)");
	store_close(s);
	s = journal_store("drain", 16 * 4096, false, false);
	id = keep_pending(s, msg, len);
	ok((id & STORE_PENDING_JOURNAL) != 0, "  with a journal size again: the "
	    "journal is used (number %llu)",
	    (unsigned long long) (id & ~STORE_PENDING_JOURNAL));
	is_int((int) drain_pending(s, o), 1, "  (parsed)");
	store_close(s);
	free(msg);
}

/*
 * The journal of pending mail: a mail kept there reads back as it was
 * put and is done in the commit of its reports; what does not fit goes
 * to the database; entries survive a reopen, oldest (journal) first; a
 * torn last record is not read; once all is done the room is used again
 * and what stays behind is never read again; stat counts what waits.
 */
static void
test_journal(const struct ingest_options *o)
{
	struct store_error err = { "" };
	struct store_pending *p = NULL;
	struct store *s = journal_store("journal", 16 * 4096, false, false);
	struct stat sb;
	char	path[4096];
	uint64_t id, got, first = 0, last = 0, db = 0;
	size_t	len;
	unsigned i, in_journal = 0;
	int	fd;
	char   *msg = corpus_file("dmarc/mail-auth__dmarc-feedback-100.eml", &len);

	snprintf(path, sizeof(path), "%s/journal/pending.journal", tmpl);
	if (stat(path, &sb) < 0)
		sb.st_size = -1;
	ok(sb.st_size == 16 * 4096,
	    "the journal is made at its full size (%lld bytes)",
	    (long long) sb.st_size);
	ok(len + 120 < 4096, "  (the mail, %zu bytes, takes one page)", len);
	id = keep_pending(s, msg, len);
	ok((id & STORE_PENDING_JOURNAL) && (id & ~STORE_PENDING_JOURNAL) == 1,
	    "a mail kept pending goes to the journal, number 1");
	is_int((int) pending(s), 1, "  one pending");
	is_int(store_pending_next(s, 0, &got, &p, &err), STORE_OK,
	    "  it reads back");
	if (p != NULL) {
		ok(got == id && p->id == id, "  with its id");
		ok(p->message_len == len && memcmp(p->message, msg, len) == 0,
		    "  the message byte for byte");
		ok(p->rcpts.n == 2 && strcmp(p->rcpts.v[1], "rua@example.com")
		    == 0 && strcmp(p->sender, "sender@example.net") == 0,
		    "  with its envelope");
		ok(ingest_pending(s, p, o), "  ingested");
	}
	store_pending_free(p);
	is_int((int) pending(s), 0, "  and no longer pending");
	is_int((int) count_reports(s), 1, "  one report stored");

	/* 15 pages after the header: the 16th mail goes to the database. */
	for (i = 0; i < 16; i++) {
		id = keep_pending(s, msg, len);
		if (id & STORE_PENDING_JOURNAL) {
			in_journal++;
			if (first == 0)
				first = id;
			last = id;
		} else
			db = id;
	}
	is_int((int) in_journal, 15, "a full journal: 15 of 16 mails in it");
	ok(db == 1, "  the 16th in the database (id %llu)",
	    (unsigned long long) db);
	ok((first & ~STORE_PENDING_JOURNAL) == 2 &&
	    (last & ~STORE_PENDING_JOURNAL) == 16,
	    "  the journal used again from its start, numbered on: %llu..%llu",
	    (unsigned long long) (first & ~STORE_PENDING_JOURNAL),
	    (unsigned long long) (last & ~STORE_PENDING_JOURNAL));
	is_int((int) pending(s), 16, "  16 pending");
	store_close(s);
	is_int((int) stat_pending("journal"), 16,
	    "stat of the store read-only counts them, journal and database");

	/* The last record torn (a write cut short): it is not read. */
	if ((fd = open(path, O_WRONLY)) < 0 ||
	    pwrite(fd, "XXXX", 4, 15 * 4096 + 100) != 4)
		exit(99);
	close(fd);
	s = journal_store("journal", 16 * 4096, false, false);
	is_int((int) pending(s), 15, "reopened with the last record torn: "
	    "15 pending, the torn one not read");
	is_int(store_pending_next(s, 0, &got, &p, &err), STORE_OK,
	    "  the oldest comes first");
	ok(got == (STORE_PENDING_JOURNAL | 2), "  number 2 of the journal");
	store_pending_free(p);
	is_int((int) drain_pending(s, o), 15, "  all 15 parsed");
	is_int((int) pending(s), 0, "  none left");
	is_int((int) count_reports(s), 1, "  (the same report: duplicates)");

	/* Done: the room is used again; what stays behind is not read. */
	id = keep_pending(s, msg, len);
	ok(id == (STORE_PENDING_JOURNAL | 16), "the next mail is number 16, "
	    "the torn one's, never acknowledged (%llu)", (unsigned long long) (id & ~STORE_PENDING_JOURNAL));
	store_close(s);
	s = journal_store("journal", 16 * 4096, false, false);
	is_int((int) pending(s), 1, "reopened: one pending, the records "
	    "behind it not read again");
	is_int(store_pending_next(s, 0, &got, &p, &err), STORE_OK,
	    "  it reads back");
	ok(got == id, "  as number 16");
	store_pending_free(p);
	is_int((int) drain_pending(s, o), 1, "  parsed");
	store_close(s);
	s = journal_store("journal", 16 * 4096, false, false);
	is_int((int) pending(s), 0, "reopened once all is done: none pending");
	store_close(s);
	is_int((int) stat_pending("journal"), 0, "  and stat says 0");
	free(msg);
	test_journal_foreign();
	test_journal_drain(o);
}

int
main(void)
{
	struct ingest_options o;

	if ((corpus = getenv("CORPUS")) == NULL)
		corpus = "tests/corpus";
	if (mkdtemp(tmpl) == NULL)
		return (99);
	ingest_options_default(&o);
	extract_init();
	test_report_mail(&o);
	test_not_report(&o);
	test_unparsable(&o);
	test_big(&o);
	test_journal(&o);
	test_tempfail(&o);
	test_envelope_fallback(&o);
	test_authenticated(&o);
	test_pending(&o);
	extract_shutdown();
	{
		char	cmd[256];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
		if (system(cmd) != 0)
			diag("could not remove %s", tmpl);
	}
	return (done_testing());
}
