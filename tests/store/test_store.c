/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	test_store - what the store keeps, finds, counts and deletes
 * PURPOSE
 *	Every report type goes through write, commit and get, and the JSON
 *	read back must be the JSON written. A DMARC report streamed in three
 *	batches comes back in order; abort and drop leave nothing; repeats
 *	are counted on the kept report; every index finds what it should and
 *	nothing else; delete and purge remove exactly what was written (the
 *	entry counts of every database are compared); the quarantine keeps
 *	what it was given.
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "fixture.h"
#include "store.h"

static struct store *
open_store(const char *name)
{
	struct store_options o;
	struct store_error err = {""};
	struct store *s;

	fixture_options(&o, 0, 0);
	if (store_open(fixture_path(name), &o, &s, &err) != STORE_OK) {
		printf("Bail out! store_open: %s\n", err.reason);
		exit(1);
	}
	return (s);
}

static struct store_stat
stat_of(struct store *s)
{
	struct store_stat st;
	struct store_error err = {""};

	if (store_stat(s, &st, &err) != STORE_OK)
		memset(&st, 0xff, sizeof(st));
	return (st);
}

/* Writes x, reads it back with its records, compares the JSON. */
static void
round_trip(struct store *s, struct external_report *x, const char *want_id,
    const char *what)
{
	struct store_error err = {""};
	struct external_report *y = NULL;
	struct store_meta meta;
	char   *before, *after, name[128];

	snprintf(name, sizeof(name), "%s: stored", what);
	is_int(fixture_put(s, x, &err), STORE_OK, name);
	snprintf(name, sizeof(name), "%s: id", what);
	is_str(x->id, want_id, name);
	before = fixture_json(x);
	snprintf(name, sizeof(name), "%s: read back", what);
	is_int(store_get(s, x->id, true, &y, &meta, &err), STORE_OK, name);
	after = y ? fixture_json(y) : NULL;
	snprintf(name, sizeof(name), "%s: JSON read back is the JSON written",
	    what);
	is_str(after, before, name);
	snprintf(name, sizeof(name), "%s: no duplicates yet", what);
	ok(meta.duplicates == 0 && meta.last_seen == 0, "%s", name);
	free(before);
	free(after);
	external_report_free(y);
}

static void
test_round_trip(void)
{
	struct store *s = open_store("roundtrip");
	struct external_report *x, *y = NULL;
	struct store_error err = {""};
	struct store_meta meta;
	const char *bad[] = {"", "000001", "00000001", "000000i", "000000A",
	    "0000000", "q000001"};
	size_t	i;

	x = fixture_dmarc("Google Inc.", "r-1", "example.com", 5);
	round_trip(s, x, "0000001", "DMARC");
	ok(store_get(s, "0000001", false, &y, &meta, &err) == STORE_OK &&
	    y->report->u.dmarc.n_records == 0 && meta.n_records == 5,
	    "DMARC without records: none in memory, 5 counted");
	external_report_free(y);
	external_report_free(x);
	x = fixture_tls("Mail Example Inc", "t-1", "example.org");
	round_trip(s, x, "0000002", "TLS");
	external_report_free(x);
	x = fixture_arf("example.com", "192.0.2.7", "<m1@example.com>");
	round_trip(s, x, "0000003", "ARF");
	external_report_free(x);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		y = (void *)&err;
		ok(store_get(s, bad[i], false, &y, NULL, &err) == STORE_NOTFOUND &&
		    y == NULL && err.reason[0] != '\0',
		    "id '%s' is no id: not found, *out NULL, a reason", bad[i]);
	}
	is_int(store_get(s, "0000004", false, &y, NULL, &err), STORE_NOTFOUND,
	    "an id not given yet: not found");
	store_close(s);
}

static void
test_ids(void)
{
	struct store *s = open_store("ids");
	struct store_error err = {""};
	struct external_report *x;
	char	mid[64];
	unsigned i;

	for (i = 1; i <= 33; i++) {
		snprintf(mid, sizeof(mid), "<m%u@example.com>", i);
		x = fixture_arf("example.com", "192.0.2.1", mid);
		if (fixture_put(s, x, &err) != STORE_OK)
			diag("put %u: %s", i, err.reason);
		if (i == 31)
			is_str(x->id, "000000z", "the 31st id is 000000z");
		if (i == 32)
			is_str(x->id, "0000010", "the 32nd id is 0000010");
		if (i == 33)
			is_str(x->id, "0000011", "the 33rd id is 0000011");
		external_report_free(x);
	}
	ok(strncmp(fixture_all(s, 0), "0000001 0000002 ", 16) == 0 &&
	    strstr(fixture_all(s, 0), "0000009 000000a ") != NULL &&
	    strstr(fixture_all(s, 0), "000000z 0000010 0000011") != NULL,
	    "every id in receipt order, text order as number order");
	ok(strncmp(fixture_all(s, 1), "0000011 0000010 000000z ", 24) == 0,
	    "newest first when reversed");
	is_int((intmax_t)fixture_count(s), 33, "33 reports");
	store_close(s);
}

/* Checks the records of the streamed report as they come back. */
struct seen {
	unsigned next;		/* the k of the next record expected */
	unsigned chunks[8];
	unsigned n_chunks;
	int	bad;
	unsigned stop_at;	/* stop after this many chunks; 0: never */
};

static int
check_records(void *arg, const struct dmarc_record *recs, size_t n)
{
	struct seen *sn = arg;
	struct dmarc_record want;
	size_t	i;

	if (sn->n_chunks < 8)
		sn->chunks[sn->n_chunks] = (unsigned)n;
	sn->n_chunks++;
	for (i = 0; i < n; i++, sn->next++) {
		fixture_dmarc_record(&want, sn->next);
		if (recs[i].count != want.count ||
		    strcmp(recs[i].source_ip, want.source_ip) != 0)
			sn->bad++;
		dmarc_record_clear(&want);
	}
	return (sn->stop_at != 0 && sn->n_chunks >= sn->stop_at);
}

/* Streams records k0 .. k0+n-1 as one batch. */
static enum store_status
stream_batch(struct store_write *w, unsigned k0, size_t n)
{
	struct store_error err = {""};
	struct dmarc_record *v = calloc(n, sizeof(*v));
	enum store_status st;
	size_t	i;

	if (v == NULL)
		abort();
	for (i = 0; i < n; i++)
		fixture_dmarc_record(&v[i], k0 + (unsigned)i);
	st = store_write_dmarc_records(w, NULL, v, n, &err);
	for (i = 0; i < n; i++)
		dmarc_record_clear(&v[i]);
	free(v);
	return (st);
}

/* Streams a DMARC report in batches of 256, 256 and the rest. */
static enum store_status
stream_report(struct store *s, struct external_report *x, unsigned n)
{
	struct store_error err = {""};
	struct store_write *w;
	enum store_status st, st2;
	unsigned k, take;

	if ((st = store_write_begin(s, &w, &err)) != STORE_OK)
		return (st);
	st = store_write_dmarc_begin(w, &x->report->u.dmarc, &err);
	if (st != STORE_OK && st != STORE_DUPLICATE)
		goto fail;
	for (k = 0; k < n; k += take) {
		take = n - k > 256 ? 256 : n - k;
		if ((st2 = stream_batch(w, k, take)) != STORE_OK) {
			st = st2;
			goto fail;
		}
	}
	st2 = store_write_report(w, x, &err);
	if (st2 != STORE_OK && st2 != STORE_DUPLICATE) {
		st = st2;
		goto fail;
	}
	st = store_write_commit(w, &err);
	return (st == STORE_OK ? st2 : st);
fail:
	store_write_abort(w);
	return (st);
}

static void
test_stream(void)
{
	struct store *s = open_store("stream");
	struct store_error err = {""};
	struct external_report *x, *full, *y = NULL;
	struct store_meta meta;
	struct seen sn;
	char   *a, *b;

	x = fixture_dmarc("Stream Org", "stream-1", "stream.example", 0);
	is_int(stream_report(s, x, 522), STORE_OK,
	    "a DMARC report streamed in 3 batches is stored");
	is_str(x->id, "0000001", "it got the first id");
	memset(&sn, 0, sizeof(sn));
	is_int(store_get_records(s, x->id, check_records, &sn, &err), STORE_OK,
	    "its records read back");
	ok(sn.n_chunks == 3 && sn.chunks[0] == 256 && sn.chunks[1] == 256 &&
	    sn.chunks[2] == 10, "in 3 chunks of 256, 256, 10");
	ok(sn.next == 522 && sn.bad == 0, "all 522, in order, as written");
	memset(&sn, 0, sizeof(sn));
	sn.stop_at = 2;
	is_int(store_get_records(s, x->id, check_records, &sn, &err),
	    STORE_STOPPED, "a callback that stops: STORE_STOPPED");
	is_int(sn.n_chunks, 2, "after the second chunk");
	full = fixture_dmarc("Stream Org", "stream-1", "stream.example", 522);
	full->id = fixture_str(x->id);
	a = fixture_json(full);
	ok(store_get(s, x->id, true, &y, &meta, &err) == STORE_OK &&
	    meta.n_records == 522, "read whole: 522 records counted");
	b = y ? fixture_json(y) : NULL;
	is_str(b, a, "the JSON of the whole report is that of it built in memory");
	is_str(fixture_scan_ip(s, "10.0.1.44"), "0000001",
	    "a source IP of the second batch is indexed");
	is_str(fixture_scan_ip(s, "2001:db8::207"), "0000001",
	    "an IPv6 source of the third batch is indexed");
	is_int(store_get_records(s, "0000002", check_records, &sn, &err),
	    STORE_NOTFOUND, "records of a report that is not there: not found");
	free(a);
	free(b);
	external_report_free(y);
	external_report_free(full);
	external_report_free(x);
	store_close(s);
}

static void
test_abort_drop(void)
{
	struct store *s = open_store("abort");
	struct store_error err = {""};
	struct external_report *x, *t;
	struct store_stat s0, s1;
	struct store_write *w;
	struct seen sn;

	x = fixture_dmarc("Abort Org", "a-1", "abort.example", 300);
	s0 = stat_of(s);
	ok(store_write_begin(s, &w, &err) == STORE_OK &&
	    store_write_report(w, x, &err) == STORE_OK, "a report written");
	store_write_abort(w);
	s1 = stat_of(s);
	ok(fixture_count(s) == 0 && s1.index_keys == s0.index_keys &&
	    s1.chunks == 0 && s1.dedup_keys == 0,
	    "abort: no report, no chunk, no index or dedup entry");
	is_int(store_get(s, x->id, false, &t, NULL, &err), STORE_NOTFOUND,
	    "abort: its id is not there");
	external_report_free(x);

	x = fixture_dmarc("Drop Org", "d-1", "drop.example", 0);
	t = fixture_tls("Drop TLS", "dt-1", "drop.example");
	ok(store_write_begin(s, &w, &err) == STORE_OK &&
	    store_write_dmarc_begin(w, &x->report->u.dmarc, &err) == STORE_OK &&
	    stream_batch(w, 0, 256) == STORE_OK &&
	    stream_batch(w, 256, 100) == STORE_OK, "two batches streamed");
	is_int(store_write_drop_pending(w, &err), STORE_OK, "then dropped");
	is_int(store_write_drop_pending(w, &err), STORE_OK,
	    "dropping again is a no-op");
	is_int(store_write_report(w, t, &err), STORE_OK,
	    "another report in the same txn");
	is_int(store_write_commit(w, &err), STORE_OK, "committed");
	s1 = stat_of(s);
	ok(s1.chunks == 0 && s1.reports[RECORD_DMARC] == 0 &&
	    s1.reports[RECORD_TLS] == 1, "no chunk of the dropped report stays");

	ok(store_write_begin(s, &w, &err) == STORE_OK &&
	    store_write_dmarc_begin(w, &x->report->u.dmarc, &err) == STORE_OK &&
	    stream_batch(w, 0, 256) == STORE_OK &&
	    store_write_commit(w, &err) == STORE_OK,
	    "a commit with a streamed report never finished");
	s1 = stat_of(s);
	ok(s1.chunks == 0 && fixture_count(s) == 1,
	    "the unfinished report left nothing");

	ok(store_write_begin(s, &w, &err) == STORE_OK &&
	    store_write_dmarc_begin(w, &x->report->u.dmarc, &err) == STORE_OK &&
	    stream_batch(w, 0, 256) == STORE_OK &&
	    store_write_dmarc_begin(w, &x->report->u.dmarc, &err) == STORE_OK &&
	    stream_batch(w, 0, 7) == STORE_OK &&
	    store_write_report(w, x, &err) == STORE_OK &&
	    store_write_commit(w, &err) == STORE_OK,
	    "a report begun again drops the first attempt's batches");
	memset(&sn, 0, sizeof(sn));
	ok(store_get_records(s, x->id, check_records, &sn, &err) == STORE_OK &&
	    sn.next == 7 && sn.n_chunks == 1 && sn.bad == 0 &&
	    stat_of(s).chunks == 1, "it holds the 7 records of the second attempt");
	external_report_free(x);
	external_report_free(t);
	store_close(s);
}

/* The duplicate count and last-seen time of id. */
static int
repeats(struct store *s, const char *id, uint32_t dups, int64_t last)
{
	struct store_error err = {""};
	struct external_report *y;
	struct store_meta meta;

	if (store_get(s, id, false, &y, &meta, &err) != STORE_OK)
		return (0);
	external_report_free(y);
	if (meta.duplicates != dups || meta.last_seen != last)
		diag("%s: %u duplicates, last seen %jd", id, meta.duplicates,
		    (intmax_t)meta.last_seen);
	return (meta.duplicates == dups && meta.last_seen == last);
}

static void
test_dedup_dmarc(struct store *s)
{
	struct store_error err = {""};
	struct external_report *a, *b;
	struct store_stat s0;

	a = fixture_dmarc("Dup Org", "dup-1", "dup.example", 2);
	is_int(fixture_put(s, a, &err), STORE_OK, "DMARC: first stored");
	b = fixture_dmarc("DUP ORG", "dup-1", "Dup.Example", 2);
	b->received_at = FIXTURE_T0 + 100;
	is_int(fixture_put(s, b, &err), STORE_DUPLICATE,
	    "DMARC: the same key (other case) is a duplicate");
	is_str(b->id, a->id, "DMARC: the duplicate gets the kept id");
	ok(repeats(s, a->id, 1, FIXTURE_T0 + 100), "DMARC: 1 repeat, last seen");
	external_report_free(b);

	s0 = stat_of(s);
	b = fixture_dmarc("Dup Org", "dup-1", "dup.example", 0);
	b->received_at = FIXTURE_T0 + 200;
	is_int(stream_report(s, b, 300), STORE_DUPLICATE,
	    "DMARC streamed: a duplicate, found at its begin");
	ok(repeats(s, a->id, 2, FIXTURE_T0 + 200) &&
	    stat_of(s).chunks == s0.chunks && fixture_count(s) == s0.reports[1],
	    "DMARC streamed: counted, and its batches were not kept");
	external_report_free(b);

	b = fixture_dmarc("Dup Org", "dup-2", "dup.example", 2);
	is_int(fixture_put(s, b, &err), STORE_OK,
	    "DMARC: another report id is another report");
	external_report_free(b);
	external_report_free(a);
}

static void
test_dedup(void)
{
	struct store *s = open_store("dedup");
	struct store_error err = {""};
	struct external_report *a, *b;
	struct store_write *w;
	char	kept[16];

	test_dedup_dmarc(s);
	a = fixture_tls("TLS Org", "tls-1", "tls.example");
	b = fixture_tls("tls org", "tls-1", "tls.example");
	b->received_at = FIXTURE_T0 + 50;
	ok(fixture_put(s, a, &err) == STORE_OK &&
	    fixture_put(s, b, &err) == STORE_DUPLICATE &&
	    strcmp(a->id, b->id) == 0 && repeats(s, a->id, 1, FIXTURE_T0 + 50),
	    "TLS: a repeat is counted on the kept report");
	external_report_free(b);
	b = fixture_tls("TLS Org", "tls-1", "other.example");
	is_int(fixture_put(s, b, &err), STORE_OK,
	    "TLS: other policy domains: another report");
	external_report_free(b);
	external_report_free(a);

	a = fixture_arf("arf.example", "192.0.2.9", "<a1@arf.example>");
	b = fixture_arf("arf.example", "192.0.2.9", "<a1@arf.example>");
	b->received_at = FIXTURE_T0 + 70;
	ok(fixture_put(s, a, &err) == STORE_OK &&
	    fixture_put(s, b, &err) == STORE_DUPLICATE &&
	    repeats(s, a->id, 1, FIXTURE_T0 + 70),
	    "ARF: a repeat is counted on the kept report");
	external_report_free(b);
	b = fixture_arf("arf.example", "192.0.2.9", "<a2@arf.example>");
	is_int(fixture_put(s, b, &err), STORE_OK,
	    "ARF: another returned Message-ID: another report");
	external_report_free(b);
	external_report_free(a);

	a = fixture_tls("Same Txn", "st-1", "st.example");
	b = fixture_tls("Same Txn", "st-1", "st.example");
	ok(store_write_begin(s, &w, &err) == STORE_OK &&
	    store_write_report(w, a, &err) == STORE_OK &&
	    store_write_report(w, b, &err) == STORE_DUPLICATE &&
	    store_write_commit(w, &err) == STORE_OK,
	    "a repeat inside the same txn is a duplicate");
	snprintf(kept, sizeof(kept), "%s", a->id);
	ok(repeats(s, kept, 1, FIXTURE_T0), "and is counted");
	external_report_free(b);
	external_report_free(a);
	store_close(s);
}

/* The index store: four reports whose receipt order is not id order. */
static void
index_fill(struct store *s, char ids[4][16])
{
	struct store_error err = {""};
	struct external_report *x[4];
	int	i;

	x[0] = fixture_dmarc("Google Inc.", "R-1", "example.com", 5);
	x[0]->received_at = FIXTURE_T0 + 300;
	x[1] = fixture_dmarc("Google Inc.", "r-2", "example.com.au", 5);
	x[2] = fixture_tls("Mail Example Inc", "t-1", "example.org");
	x[2]->received_at = FIXTURE_T0 + 100;
	x[3] = fixture_arf("Example.COM", "192.0.2.7", "<i@example.com>");
	x[3]->received_at = -86400;
	for (i = 0; i < 4; i++) {
		if (fixture_put(s, x[i], &err) != STORE_OK)
			diag("put: %s", err.reason);
		snprintf(ids[i], 16, "%s", x[i]->id ? x[i]->id : "?");
		external_report_free(x[i]);
	}
}

static int
stop_first(void *arg, const char *id)
{
	(void)id;
	(*(int *)arg)++;
	return (1);
}

/* A scan callback that reads (allowed) and tries to write (refused). */
struct nest {
	struct store *s;
	int	got;
	enum store_status wst;
};

static int
nest_cb(void *arg, const char *id)
{
	struct nest *n = arg;
	struct store_error err = {""};
	struct external_report *y;
	struct store_write *w;

	if (store_get(n->s, id, false, &y, NULL, &err) == STORE_OK)
		n->got++;
	external_report_free(y);
	if ((n->wst = store_write_begin(n->s, &w, &err)) == STORE_OK)
		store_write_abort(w);
	return (0);
}

static void
test_index(void)
{
	struct store *s = open_store("index");
	struct store_error err = {""};
	struct store_range r;
	unsigned char lo[8], hi[8], type;
	char	ids[4][16], want[128], lot[16], hit[16];
	struct nest nest;
	int	calls = 0;

	index_fill(s, ids);
	snprintf(want, sizeof(want), "%s %s", ids[0], ids[3]);
	is_str(fixture_scan_text(s, STORE_IDX_DOMAIN, "example.com"), want,
	    "domain: DMARC policy domain and ARF reported domain");
	is_str(fixture_scan_text(s, STORE_IDX_DOMAIN, "EXAMPLE.Com"), want,
	    "domain: case does not matter");
	is_str(fixture_scan_text(s, STORE_IDX_DOMAIN, "example.com.au"), ids[1],
	    "domain: a longer domain is another value");
	is_str(fixture_scan_text(s, STORE_IDX_DOMAIN, "mx.example.org"), ids[2],
	    "domain: every TLS policy domain");
	is_str(fixture_scan_text(s, STORE_IDX_DOMAIN, "example"), "",
	    "domain: a prefix is no match");
	store_key_text("example.com", lot, sizeof(lot));
	store_key_text("example.com.zz", hit, sizeof(hit));
	snprintf(want, sizeof(want), "%s %s %s", ids[0], ids[3], ids[1]);
	is_str(fixture_scan(s, STORE_IDX_DOMAIN, lot, 11, hit, 14), want,
	    "domain range: in value order, then id order");
	snprintf(want, sizeof(want), "%s %s", ids[0], ids[1]);
	is_str(fixture_scan_text(s, STORE_IDX_REPORTER, "google inc."), want,
	    "reporter: DMARC org name");
	is_str(fixture_scan_text(s, STORE_IDX_REPORTER,
	    "noreply-dmarc-support@google.com"), want, "reporter: DMARC email");
	is_str(fixture_scan_text(s, STORE_IDX_REPORTER,
	    "noreply-dmarc@google.com"), want, "reporter: the mail's From");
	is_str(fixture_scan_text(s, STORE_IDX_REPORTER,
	    "smtp-tls-reporting@example.net"), ids[2], "reporter: TLS contact");
	is_str(fixture_scan_text(s, STORE_IDX_REPORTER, "abuse@isp.example"),
	    ids[3], "reporter: ARF From");
	is_str(fixture_scan_text(s, STORE_IDX_REPORT_ID, "r-1"), ids[0],
	    "report id: DMARC");
	is_str(fixture_scan_text(s, STORE_IDX_REPORT_ID, "T-1"), ids[2],
	    "report id: TLS");
	is_str(fixture_scan_ip(s, "10.0.0.1"), want, "IP: a DMARC record source");
	is_str(fixture_scan_ip(s, "2001:db8:0::4"), want,
	    "IP: an IPv6 record source, any spelling");
	is_str(fixture_scan_ip(s, "198.51.100.25"), ids[2],
	    "IP: a TLS sending MTA");
	is_str(fixture_scan_ip(s, "::ffff:192.0.2.7"), ids[3],
	    "IP: the ARF source, IPv4 as mapped IPv6");
	snprintf(want, sizeof(want), "%s %s %s %s", ids[3], ids[1], ids[2],
	    ids[0]);
	is_str(fixture_scan(s, STORE_IDX_RECEIVED, NULL, 0, NULL, 0), want,
	    "received: every report in time order, 1969 first");
	store_key_time(FIXTURE_T0, lo);
	store_key_time(FIXTURE_T0 + 100, hi);
	snprintf(want, sizeof(want), "%s %s", ids[1], ids[2]);
	is_str(fixture_scan(s, STORE_IDX_RECEIVED, lo, 8, hi, 8), want,
	    "received: a range, both ends included");
	type = RECORD_TLS;
	is_str(fixture_scan(s, STORE_IDX_TYPE, &type, 1, &type, 1), ids[2],
	    "type: TLS");
	type = RECORD_DMARC;
	snprintf(want, sizeof(want), "%s %s", ids[0], ids[1]);
	is_str(fixture_scan(s, STORE_IDX_TYPE, &type, 1, &type, 1), want,
	    "type: DMARC");
	store_key_time(FIXTURE_T0 - 3600, lo);
	is_str(fixture_scan(s, STORE_IDX_DATE, lo, 8, lo, 8), ids[3],
	    "date: ARF arrival date");
	memset(&r, 0, sizeof(r));
	r.index = STORE_IDX_RECEIVED;
	ok(store_scan(s, &r, stop_first, &calls, &err) == STORE_STOPPED &&
	    calls == 1, "a scan callback that stops: STORE_STOPPED at once");
	nest.s = s;
	nest.got = 0;
	ok(store_scan(s, &r, nest_cb, &nest, &err) == STORE_OK && nest.got == 4,
	    "a scan callback may read the store");
	is_int(nest.wst, STORE_IO, "but a write begun there is refused");
	store_close(s);
}

static void
test_delete(void)
{
	struct store *s = open_store("delete");
	struct store_error err = {""};
	struct external_report *x, *y;
	struct store_stat s0, s1;
	char	ids[4][16], id[16];
	const char *del[3];
	size_t	missing = 99;

	index_fill(s, ids);
	s0 = stat_of(s);
	x = fixture_dmarc("Delete Org", "del-1", "delete.example", 0);
	is_int(stream_report(s, x, 600), STORE_OK, "a streamed report to delete");
	snprintf(id, sizeof(id), "%s", x->id);
	s1 = stat_of(s);
	ok(s1.chunks == s0.chunks + 3 && s1.index_keys > s0.index_keys &&
	    s1.index_keys < s0.index_keys + 20,
	    "it has 3 chunks, and its 600 record IPs are one index value");
	is_str(fixture_scan_ip(s, "10.0.2.10"), id,
	    "a scan finds it by a record IP");
	del[0] = id, del[1] = "zzzzzzz", del[2] = "bogus";
	is_int(store_delete(s, del, 3, &missing, &err), STORE_OK, "deleted");
	is_int((intmax_t)missing, 2, "the two ids that are not there are counted");
	s1 = stat_of(s);
	ok(s1.chunks == s0.chunks && s1.index_keys == s0.index_keys &&
	    s1.dedup_keys == s0.dedup_keys && s1.reports[1] == s0.reports[1],
	    "every chunk, index key and dedup entry of it is gone");
	ok(store_get(s, id, false, &y, NULL, &err) == STORE_NOTFOUND &&
	    store_get_records(s, id, check_records, NULL, &err) == STORE_NOTFOUND,
	    "get and get_records: not found");
	ok(strcmp(fixture_scan_ip(s, "10.0.2.10"), "") == 0 &&
	    strcmp(fixture_scan_text(s, STORE_IDX_DOMAIN, "delete.example"), "") == 0,
	    "scans no longer find it");
	is_int(stream_report(s, x, 10), STORE_OK,
	    "stored again: no longer a duplicate");
	ok(strcmp(x->id, id) > 0, "under a new id (%s after %s)", x->id, id);
	external_report_free(x);
	del[0] = ids[0], del[1] = ids[2];
	ok(store_delete(s, del, 2, NULL, &err) == STORE_OK &&
	    fixture_count(s) == 3 &&
	    strcmp(fixture_scan_text(s, STORE_IDX_DOMAIN, "example.com"),
	    ids[3]) == 0, "two deleted in one call, the others stay");
	store_close(s);
}

/* 10 ARF reports expiring 10 s apart, and a 3-chunk DMARC one among them. */
static void
purge_fill(struct store *s, char ids[11][16])
{
	struct store_error err = {""};
	struct external_report *x;
	char	mid[32];
	int	i;

	for (i = 0; i < 10; i++) {
		snprintf(mid, sizeof(mid), "<p%d@example.com>", i);
		x = fixture_arf("example.com", "192.0.2.1", mid);
		x->expires_at = FIXTURE_T0 + 10 * i;
		(void)fixture_put(s, x, &err);
		snprintf(ids[i], 16, "%s", x->id ? x->id : "?");
		external_report_free(x);
	}
	x = fixture_dmarc("Purge Org", "p-1", "purge.example", 0);
	x->expires_at = FIXTURE_T0 + 25;
	(void)stream_report(s, x, 600);
	snprintf(ids[10], 16, "%s", x->id ? x->id : "?");
	external_report_free(x);
}

static void
test_purge(void)
{
	struct store_options o;
	struct store_error err = {""};
	struct store *s = open_store("purge");
	char	ids[11][16], want[128];
	const char *dir = fixture_path("purge");
	size_t	deleted = 99;

	purge_fill(s, ids);
	store_close(s);
	/* The second commit fails: what the first batch deleted stays deleted. */
	setenv("REPORT_STORE_FAIL_COMMIT", "2", 1);
	fixture_options(&o, 0, 0);
	ok(store_open(dir, &o, &s, &err) == STORE_OK, "reopened, 2nd commit fails");
	unsetenv("REPORT_STORE_FAIL_COMMIT");
	is_int(store_purge(s, FIXTURE_T0 + 50, 2, &deleted, &err), STORE_IO,
	    "purge stops at the failed batch");
	is_int((intmax_t)deleted, 2, "the first batch of 2 was deleted");
	ok(strstr(err.reason, "injected commit failure") != NULL, "reason: %s",
	    err.reason);
	store_close(s);
	ok(store_open(dir, &o, &s, &err) == STORE_OK, "reopened");
	is_int(store_purge(s, FIXTURE_T0 + 50, 2, &deleted, &err), STORE_OK,
	    "purge in batches of 2");
	is_int((intmax_t)deleted, 4, "the other 4 expired reports are deleted");
	snprintf(want, sizeof(want), "%s %s %s %s %s", ids[5], ids[6], ids[7],
	    ids[8], ids[9]);
	is_str(fixture_all(s, 0), want,
	    "exactly those expiring at now or later stay");
	ok(store_purge(s, FIXTURE_T0 + 1000, 0, &deleted, &err) == STORE_OK &&
	    deleted == 5 && fixture_count(s) == 0, "purge of all");
	ok(stat_of(s).index_keys == 0 && stat_of(s).chunks == 0 &&
	    stat_of(s).dedup_keys == 0, "an empty store: no key left anywhere");
	store_close(s);
}

static char big_message[3000];

static int
check_listing(void *arg, const struct store_quarantine *q)
{
	int    *n = arg;

	if (*n == 0)
		ok(strcmp(q->qid, "q0000001") == 0 && q->message == NULL &&
		    q->received_at == FIXTURE_T0 && q->message_len == 5000 &&
		    q->kept_len == 3000 && strcmp(q->sender, "a@example.com") == 0 &&
		    strcmp(q->queue_id, "4Xk9Z") == 0 &&
		    strcmp(q->reason, "part 2: invalid: x\npart 3: limit: y") == 0,
		    "listing: the first entry, without its message");
	else
		ok(strcmp(q->qid, "q0000002") == 0 && q->message == NULL &&
		    strcmp(q->sender, "") == 0, "listing: the second entry");
	(*n)++;
	return (0);
}

static int
check_messages(void *arg, const struct store_quarantine *q)
{
	int    *n = arg;

	if (q->message != NULL && ((q->kept_len == 3000 &&
	    memcmp(q->message, big_message, 3000) == 0) ||
	    (q->kept_len == 5 && strcmp(q->message, "hello") == 0)))
		(*n)++;
	return (0);
}

static void
test_quarantine(void)
{
	struct store *s = open_store("quarantine");
	struct store_quarantine q1, q2, *g = NULL;
	struct store_error err = {""};
	struct store_write *w;
	size_t	i;
	int	n = 0;

	for (i = 0; i < sizeof(big_message); i++)
		big_message[i] = "abcdefghij\r\n"[(i * 7 + i / 13) % 12];
	memset(&q1, 0, sizeof(q1));
	memset(&q2, 0, sizeof(q2));
	q1.received_at = FIXTURE_T0;
	q1.reason = "part 2: invalid: x\npart 3: limit: y";
	q1.sender = "a@example.com";
	q1.queue_id = "4Xk9Z";
	q1.message_len = 5000;
	q1.message = big_message;
	q1.kept_len = sizeof(big_message);
	q2.reason = "part 1: invalid: z";
	q2.message = "hello";
	q2.message_len = q2.kept_len = 5;
	ok(store_write_begin(s, &w, &err) == STORE_OK &&
	    store_write_quarantine(w, &q1, &err) == STORE_OK &&
	    store_write_quarantine(w, &q2, &err) == STORE_OK &&
	    store_write_commit(w, &err) == STORE_OK, "two entries kept");
	ok(q1.qid && strcmp(q1.qid, "q0000001") == 0 && q2.qid &&
	    strcmp(q2.qid, "q0000002") == 0, "with qids q0000001, q0000002");
	is_int(store_quarantine_each(s, false, check_listing, &n, &err),
	    STORE_OK, "listed");
	is_int(n, 2, "two entries listed");
	n = 0;
	ok(store_quarantine_each(s, true, check_messages, &n, &err) == STORE_OK &&
	    n == 2, "with their messages, as given");
	ok(store_quarantine_get(s, "q0000001", &g, &err) == STORE_OK &&
	    g->kept_len == 3000 && memcmp(g->message, big_message, 3000) == 0 &&
	    strcmp(g->reason, q1.reason) == 0, "get: the entry and its message");
	store_quarantine_free(g);
	is_int(store_quarantine_delete(s, "q0000001", &err), STORE_OK, "deleted");
	ok(store_quarantine_get(s, "q0000001", &g, &err) == STORE_NOTFOUND &&
	    g == NULL, "then not found");
	is_int(store_quarantine_delete(s, "q0000001", &err), STORE_NOTFOUND,
	    "deleting again: not found");
	is_int(store_quarantine_get(s, "0000002", &g, &err), STORE_NOTFOUND,
	    "a report id is no qid");
	is_int((intmax_t)stat_of(s).quarantined, 1, "one entry left");
	free(q1.qid);
	free(q2.qid);
	q1.qid = NULL;
	ok(store_write_begin(s, &w, &err) == STORE_OK &&
	    store_write_quarantine(w, &q1, &err) == STORE_OK, "one more written");
	store_write_abort(w);
	free(q1.qid);
	is_int((intmax_t)stat_of(s).quarantined, 1, "and aborted: still one");
	store_close(s);
}

/* The change log's listing after change number after: "id@seq ..." (static). */
static int
changes_add(void *arg, uint64_t seq, const char *id)
{
	char   *buf = arg;
	size_t	len = strlen(buf);

	snprintf(buf + len, 512 - len, "%s%s@%ju", len ? " " : "", id,
	    (uintmax_t)seq);
	return (0);
}

static const char *
changes_after(struct store *s, uint64_t after)
{
	static char buf[512];
	struct store_error err = {""};

	buf[0] = '\0';
	if (store_changes(s, after, changes_add, buf, &err) != STORE_OK)
		return ("(failed)");
	return (buf);
}

static void
test_changes(void)
{
	struct store *s = open_store("changes");
	struct store_error err = {""};
	struct external_report *a, *b, *c;
	struct store_meta m;
	const char *ids[1];
	uint64_t seq = 99;
	size_t	missing;

	is_str(changes_after(s, 0), "", "changes: an empty store has none");
	a = fixture_dmarc("Chg Org", "chg-1", "chg.example", 3);
	b = fixture_tls("Chg TLS", "chg-2", "chg.example");
	ok(fixture_put(s, a, &err) == STORE_OK &&
	    fixture_put(s, b, &err) == STORE_OK, "changes: two reports stored");
	is_str(changes_after(s, 0), "0000001@1 0000002@2",
	    "changes: listed in the order they were written");
	is_str(changes_after(s, 1), "0000002@2",
	    "changes: after a change number, only what came later");
	c = fixture_dmarc("Chg Org", "chg-1", "chg.example", 3);
	c->received_at = FIXTURE_T0 + 50;
	is_int(fixture_put(s, c, &err), STORE_DUPLICATE, "changes: a repeat");
	is_str(changes_after(s, 0), "0000002@2 0000001@3",
	    "changes: a repeat moves its report to a new change, listed once");
	is_str(changes_after(s, 2), "0000001@3",
	    "changes: a reader past the first write sees the repeat");
	external_report_free(c);
	ok(store_get(s, "0000001", false, &c, &m, &err) == STORE_OK, "get");
	ok(memcmp(m.key, (unsigned char [STORE_KEY_LEN]){0}, STORE_KEY_LEN) != 0,
	    "changes: the report's dedup key digest is known");
	external_report_free(c);
	ids[0] = "0000002";
	ok(store_delete(s, ids, 1, &missing, &err) == STORE_OK && missing == 0,
	    "changes: delete one");
	is_str(changes_after(s, 0), "0000001@3",
	    "changes: a deleted report is not listed");
	is_int(store_cursor_get(s, "push/x", &seq, &err), STORE_NOTFOUND,
	    "cursor: unknown name");
	ok(seq == 0, "cursor: unknown is 0");
	ok(store_cursor_set(s, "push/x", 3, &err) == STORE_OK &&
	    store_cursor_get(s, "push/x", &seq, &err) == STORE_OK && seq == 3,
	    "cursor: set and read back");
	store_close(s);
	s = open_store("changes");
	ok(store_cursor_get(s, "push/x", &seq, &err) == STORE_OK && seq == 3,
	    "cursor: kept across opening the store again");
	external_report_free(a);
	external_report_free(b);
	store_close(s);
}

int
main(void)
{
	test_round_trip();
	test_ids();
	test_stream();
	test_abort_drop();
	test_dedup();
	test_index();
	test_delete();
	test_purge();
	test_quarantine();
	test_changes();
	fixture_cleanup();
	return (done_testing());
}
