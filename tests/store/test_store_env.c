/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	test_store_env - the store's environment: files, limits, failures
 * PURPOSE
 *	The digest and key encodings against known values; opening where
 *	there is no store, read-only, and where nothing can be written; a map
 *	that grows from a small start while the caller retries; a map at its
 *	limit answering STORE_FULL with nothing half written (checked after a
 *	reopen); an injected commit failure leaving nothing behind; writers
 *	and readers on many threads while the map grows.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "fixture.h"
#include "sha256.h"
#include "store.h"

/* Hashes data given in pieces of step bytes, repeat times over. */
static int
digest_is(const char *data, size_t len, size_t step, size_t repeat,
    const char *hex)
{
	struct sha256 c;
	unsigned char d[SHA256_LEN];
	char	got[2 * SHA256_LEN + 1];
	size_t	i, j;

	sha256_init(&c);
	for (i = 0; i < repeat; i++)
		for (j = 0; j < len; j += step)
			sha256_update(&c, data + j, len - j < step ? len - j : step);
	sha256_final(&c, d);
	for (i = 0; i < SHA256_LEN; i++)
		snprintf(got + 2 * i, 3, "%02x", d[i]);
	return (is_str(got, hex, "SHA-256 test vector"));
}

static void
test_sha256(void)
{
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	const char *h2 =
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";

	digest_is("", 0, 1, 1,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	digest_is("abc", 3, 3, 1,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	digest_is(two, strlen(two), 56, 1, h2);
	digest_is(two, strlen(two), 1, 1, h2);
	digest_is(two, strlen(two), 7, 1, h2);
	digest_is("a", 1, 1, 1000000,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void
test_keys(void)
{
	unsigned char a[16], b[16];
	char	t[STORE_KEY_TEXT_MAX + 10], big[600];

	store_key_time(-1, a);
	store_key_time(0, b);
	ok(memcmp(a, b, 8) < 0, "time keys: -1 sorts before 0");
	store_key_time(INT64_MIN, a);
	store_key_time(INT64_MAX, b);
	ok(memcmp(a, b, 8) < 0 && a[0] == 0 && b[0] == 0xff,
	    "time keys: the extremes at the ends");
	store_key_time(FIXTURE_T0, a);
	store_key_time(FIXTURE_T0 + 1, b);
	ok(memcmp(a, b, 8) < 0, "time keys: a second later sorts later");
	ok(store_key_ip("192.0.2.1", a) == 16 &&
	    store_key_ip("::ffff:192.0.2.1", b) == 16 && memcmp(a, b, 16) == 0,
	    "IP keys: IPv4 is IPv4-mapped IPv6");
	ok(store_key_ip("2001:DB8::1", a) == 16 && a[0] == 0x20 && a[15] == 1,
	    "IP keys: IPv6");
	ok(store_key_ip("192.0.2", a) == 0 && store_key_ip("", a) == 0 &&
	    store_key_ip("example.com", a) == 0, "IP keys: 0 for no address");
	is_int((intmax_t)store_key_text("Ex\xc3\x89mple.COM", t, sizeof(t)), 12,
	    "text keys: the length");
	is_str(t, "ex\xc3\x89mple.com", "text keys: ASCII letters lower-cased");
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	is_int((intmax_t)store_key_text(big, t, sizeof(t)), STORE_KEY_TEXT_MAX,
	    "text keys: cut at STORE_KEY_TEXT_MAX");
	ok(t[0] == 'a' && t[STORE_KEY_TEXT_MAX - 1] == 'a', "and lower-cased");
	is_int((intmax_t)store_key_text("abcdef", t, 3), 3,
	    "text keys: cut at the buffer size");
}

static void
test_status(void)
{
	struct store_options o;

	is_str(store_status_name(STORE_OK), "ok", "status name: ok");
	is_str(store_status_name(STORE_FULL), "full", "status name: full");
	is_str(store_status_name(STORE_NOTFOUND), "not found",
	    "status name: not found");
	ok(store_status_is_temporary(STORE_FULL) &&
	    store_status_is_temporary(STORE_IO) &&
	    store_status_is_temporary(STORE_NOMEM) &&
	    store_status_is_temporary(STORE_RETRY) &&
	    !store_status_is_temporary(STORE_OK) &&
	    !store_status_is_temporary(STORE_DUPLICATE) &&
	    !store_status_is_temporary(STORE_CORRUPT),
	    "temporary: full, i/o, memory, retry");
	store_options_default(&o);
	ok(o.max_size == (size_t)1 << 30 && o.initial_size == (size_t)16 << 20 &&
	    o.file_mode == 0640 && !o.read_only && !o.no_create,
	    "defaults: 1 GiB, 16 MiB, 0640");
}

static mode_t
mode_of(const char *dir, const char *file)
{
	struct stat sb;
	char	path[4096];

	snprintf(path, sizeof(path), "%s%s%s", dir, file ? "/" : "",
	    file ? file : "");
	return (stat(path, &sb) == 0 ? sb.st_mode & 07777 : 0);
}

static void
test_open(void)
{
	struct store_options o;
	struct store_error err = {""};
	struct store_write *w;
	struct external_report *x, *y;
	struct store *s = NULL;
	char   *dir = fixture_path("open"), *file = fixture_path("file");
	char	sub[4200];
	size_t	n;
	FILE   *f;

	fixture_options(&o, 0, 0);
	o.no_create = true;
	ok(store_open(dir, &o, &s, &err) == STORE_NOTFOUND && s == NULL &&
	    strstr(err.reason, "no store there") != NULL,
	    "no_create where there is no store: not found (%s)", err.reason);
	o.no_create = false;
	o.read_only = true;
	is_int(store_open(dir, &o, &s, &err), STORE_NOTFOUND,
	    "read-only where there is no store: not found");
	o.read_only = false;
	o.file_mode = 0600;
	is_int(store_open(dir, &o, &s, &err), STORE_OK, "created");
	is_str(store_dir(s), dir, "store_dir");
	ok(mode_of(dir, NULL) == 0700 && mode_of(dir, "data.mdb") == 0600,
	    "files with file_mode, the directory with x added (%o, %o)",
	    mode_of(dir, NULL), mode_of(dir, "data.mdb"));
	x = fixture_tls("Open Org", "o-1", "open.example");
	is_int(fixture_put(s, x, &err), STORE_OK, "a report written");
	store_close(s);

	o.read_only = true;
	ok(store_open(dir, &o, &s, &err) == STORE_OK &&
	    store_get(s, x->id, false, &y, NULL, &err) == STORE_OK,
	    "read-only: the report reads back");
	external_report_free(y);
	ok(store_write_begin(s, &w, &err) == STORE_IO && w == NULL &&
	    strstr(err.reason, "read-only") != NULL,
	    "read-only: no write (%s)", err.reason);
	ok(store_delete(s, (const char *const *)&x->id, 1, &n, &err) ==
	    STORE_IO && store_purge(s, FIXTURE_T0 * 2, 0, &n, &err) == STORE_IO,
	    "read-only: no delete, no purge");
	store_close(s);
	external_report_free(x);

	if ((f = fopen(file, "w")) != NULL)
		fclose(f);
	snprintf(sub, sizeof(sub), "%s/store", file);
	o.read_only = false;
	ok(store_open(sub, &o, &s, &err) == STORE_IO && s == NULL &&
	    err.reason[0] != '\0', "under a file: i/o error (%s)", err.reason);
	if (geteuid() == 0) {
		ok(1, "# SKIP permissions do not bind root");
		return;
	}
	snprintf(sub, sizeof(sub), "%s/data.mdb", dir);
	chmod(sub, 0400);
	snprintf(sub, sizeof(sub), "%s/lock.mdb", dir);
	chmod(sub, 0400);
	chmod(dir, 0500);
	ok(store_open(dir, &o, &s, &err) == STORE_IO && err.reason[0] != '\0',
	    "a read-only directory: i/o error (%s)", err.reason);
	chmod(dir, 0700);
	chmod(sub, 0600);
}

/* Writes n DMARC reports one txn each, begun again after STORE_RETRY. */
static size_t
write_many(struct store *s, unsigned from, unsigned n, unsigned *retries,
    enum store_status *last, struct store_error *err)
{
	struct external_report *x;
	struct store_write *w;
	enum store_status st;
	char	rid[32];
	unsigned i, tries;
	size_t	stored = 0;

	for (i = from; i < from + n; i++) {
		snprintf(rid, sizeof(rid), "many-%u", i);
		x = fixture_dmarc("Many Org", rid, "many.example", 20);
		for (tries = 0; tries < 10; tries++) {
			if ((st = store_write_begin(s, &w, err)) != STORE_OK)
				break;
			if ((st = store_write_report(w, x, err)) != STORE_OK) {
				store_write_abort(w);
			} else
				st = store_write_commit(w, err);
			if (st != STORE_RETRY)
				break;
			(*retries)++;
		}
		external_report_free(x);
		*last = st;
		if (st != STORE_OK)
			break;
		stored++;
	}
	return (stored);
}

static void
test_growth(void)
{
	struct store_options o;
	struct store_error err = {""};
	struct external_report *x;
	struct store_stat st;
	struct store *s;
	enum store_status last = STORE_OK, put;
	unsigned retries = 0;
	int	tries;

	fixture_options(&o, 64 << 10, 64 << 20);
	ok(store_open(fixture_path("growth"), &o, &s, &err) == STORE_OK,
	    "opened with a 64 KiB map");
	is_int((intmax_t)write_many(s, 0, 200, &retries, &last, &err), 200,
	    "200 reports stored");
	ok(retries > 0, "the map filled and grew %u times, each write retried",
	    retries);
	if (store_stat(s, &st, &err) != STORE_OK)
		memset(&st, 0, sizeof(st));
	ok(st.map_size > 64 << 10 &&
	    st.map_size <= 64 << 20 && st.used_size <= st.map_size &&
	    st.reports[RECORD_DMARC] == 200 && st.chunks == 200,
	    "stat: map %zu KiB, %zu KiB used, 200 reports, 200 chunks",
	    st.map_size >> 10, st.used_size >> 10);
	is_int((intmax_t)fixture_count(s), 200, "all 200 read back");
	store_close(s);

	/* One write bigger than twice the map: it takes several doublings. */
	fixture_options(&o, 64 << 10, 64 << 20);
	ok(store_open(fixture_path("growth-big"), &o, &s, &err) == STORE_OK,
	    "opened with a 64 KiB map again");
	x = fixture_dmarc("Big Org", "big-1", "big.example", 4000);
	for (tries = 0; tries < 12; tries++) {
		put = fixture_put_once(s, x, &err);
		if (put != STORE_RETRY)
			break;
	}
	is_int(put, STORE_OK, "a report of 4000 records is stored");
	ok(tries >= 2, "after %d retries, one doubling each", tries);
	external_report_free(x);
	store_close(s);
}

/*
 * A batch into a small new map: the map grows as the batch goes, and no
 * batch commit fails (LMDB allocates free-list pages at commit, and a
 * full map there would fail every write of that commit at once).
 */
static void
test_batch_growth(void)
{
	static const struct store_batch_limits lim = { 64, 256 << 10, 1000 };
	struct store_options o;
	struct store_error err = {""};
	struct external_report *x;
	struct store_write *w;
	struct store_stat st;
	struct store *s;
	enum store_status put, done;
	uint64_t *tickets;
	char	rid[32];
	unsigned i, tries, failed = 0, lost = 0, n = 1500;

	fixture_options(&o, 64 << 10, 256 << 20);
	if (store_open(fixture_path("batch-growth"), &o, &s, &err) != STORE_OK ||
	    store_batch_start(s, &lim, &err) != STORE_OK ||
	    (tickets = calloc(n, sizeof(*tickets))) == NULL) {
		ok(0, "a batch on a 64 KiB map: %s", err.reason);
		return;
	}
	for (i = 0; i < n; i++) {
		snprintf(rid, sizeof(rid), "batch-%u", i);
		x = fixture_dmarc("Batch Org", rid, "batch.example", 100);
		for (tries = 0; tries < 10; tries++) {
			if ((put = store_write_begin(s, &w, &err)) != STORE_OK)
				break;
			if ((put = store_write_report(w, x, &err)) != STORE_OK)
				store_write_abort(w);
			else
				put = store_write_commit_batched(w, &tickets[i],
				    &err);
			if (put != STORE_RETRY)
				break;
		}
		external_report_free(x);
		if (put != STORE_OK)
			lost++;
	}
	store_batch_stop(s);
	for (i = 0; i < n; i++)
		if (tickets[i] != 0 && (!store_batch_done(s, tickets[i], true,
		    &done, &err) || done != STORE_OK)) {
			if (failed++ == 0)
				diag("commit %u: %s", i, err.reason);
		}
	is_int((intmax_t)lost, 0, "every write of the batch was taken");
	is_int((intmax_t)failed, 0, "no batch commit failed");
	if (store_stat(s, &st, &err) != STORE_OK)
		memset(&st, 0, sizeof(st));
	ok(st.map_size >= 8 << 20, "the map grew from 64 KiB to %zu KiB",
	    st.map_size >> 10);
	ok(fixture_count(s) == n, "all %u read back", n);
	free(tickets);
	store_close(s);
}

static void
test_full(void)
{
	struct store_options o;
	struct store_error err = {""};
	struct store_stat before, after;
	struct store *s;
	enum store_status last = STORE_OK;
	unsigned retries = 0;
	size_t	stored;
	char   *dir = fixture_path("full");

	fixture_options(&o, 64 << 10, 256 << 10);
	ok(store_open(dir, &o, &s, &err) == STORE_OK, "opened with a 256 KiB limit");
	stored = write_many(s, 0, 2000, &retries, &last, &err);
	ok(stored > 0 && stored < 2000, "%zu reports fit", stored);
	is_int(last, STORE_FULL, "then the store is full");
	ok(strstr(err.reason, "full at 256 KiB limit") != NULL, "reason: %s",
	    err.reason);
	(void)store_stat(s, &before, &err);
	is_int(write_many(s, 5000, 1, &retries, &last, &err) == 0 &&
	    last == STORE_FULL, 1, "the next write is refused as well");
	store_close(s);
	ok(store_open(dir, &o, &s, &err) == STORE_OK &&
	    store_stat(s, &after, &err) == STORE_OK, "reopened");
	ok(fixture_count(s) == stored && after.chunks == before.chunks &&
	    after.index_keys == before.index_keys &&
	    after.dedup_keys == before.dedup_keys,
	    "nothing of the refused writes is there");
	store_close(s);
	fixture_options(&o, 64 << 10, 1 << 20);
	ok(store_open(dir, &o, &s, &err) == STORE_OK &&
	    write_many(s, 6000, 5, &retries, &last, &err) == 5,
	    "with a higher limit the store takes more");
	store_close(s);
}

static void
test_injection(void)
{
	struct store_options o;
	struct store_error err = {""};
	struct external_report *a, *b, *y;
	struct store *s;

	setenv("REPORT_STORE_FAIL_COMMIT", "2", 1);
	fixture_options(&o, 0, 0);
	ok(store_open(fixture_path("inject"), &o, &s, &err) == STORE_OK,
	    "opened with the second commit to fail");
	unsetenv("REPORT_STORE_FAIL_COMMIT");
	a = fixture_tls("Inject Org", "i-1", "inject.example");
	b = fixture_tls("Inject Org", "i-2", "inject.example");
	is_int(fixture_put(s, a, &err), STORE_OK, "the first commit succeeds");
	is_int(fixture_put(s, b, &err), STORE_IO, "the second fails: i/o error");
	ok(strstr(err.reason, "injected commit failure") != NULL, "reason: %s",
	    err.reason);
	ok(fixture_count(s) == 1 &&
	    store_get(s, b->id, false, &y, NULL, &err) == STORE_NOTFOUND,
	    "nothing of it is there");
	is_int(fixture_put(s, b, &err), STORE_OK,
	    "written again it is stored, not a duplicate");
	store_close(s);
	external_report_free(a);
	external_report_free(b);
}

#define THREAD_REPORTS	20	/* reports each writer thread writes */

struct worker {
	struct store *s;
	unsigned id;
	unsigned ok;
	atomic_int *done;
};

static void *
writer(void *arg)
{
	struct worker *wk = arg;
	struct store_error err = {""};
	struct external_report *x;
	char	rid[32];
	unsigned i;

	for (i = 0; i < THREAD_REPORTS; i++) {
		snprintf(rid, sizeof(rid), "thread-%u-%u", wk->id, i);
		x = fixture_tls("Thread Org", rid, "thread.example");
		if (fixture_put(wk->s, x, &err) == STORE_OK)
			wk->ok++;
		external_report_free(x);
	}
	return (NULL);
}

static int
read_one(void *arg, const char *id)
{
	struct worker *wk = arg;
	struct store_error err = {""};
	struct external_report *y;

	if (store_get(wk->s, id, false, &y, NULL, &err) == STORE_OK)
		wk->ok++;
	external_report_free(y);
	return (wk->ok % 10 == 0);	/* a few each pass, then a pause */
}

static void *
reader(void *arg)
{
	struct worker *wk = arg;
	struct store_error err = {""};

	enum store_status st;

	while (!*wk->done) {
		st = store_scan_all(wk->s, wk->id % 2, read_one, wk, &err);
		if (st != STORE_OK && st != STORE_STOPPED)
			break;
		usleep(1000);
	}
	return (NULL);
}

static void
test_threads(void)
{
	struct store_options o;
	struct store_error err = {""};
	struct worker wk[6];
	struct store_stat st;
	pthread_t th[6];
	struct store *s;
	atomic_int done = 0;
	unsigned i, total = 0;

	fixture_options(&o, 32 << 10, 64 << 20);
	if (store_open(fixture_path("threads"), &o, &s, &err) != STORE_OK) {
		ok(0, "opened: %s", err.reason);
		return;
	}
	for (i = 0; i < 6; i++) {
		wk[i].s = s;
		wk[i].id = i;
		wk[i].ok = 0;
		wk[i].done = &done;
		pthread_create(&th[i], NULL, i < 4 ? writer : reader, &wk[i]);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		total += wk[i].ok;
	}
	done = 1;
	for (i = 4; i < 6; i++)
		pthread_join(th[i], NULL);
	is_int(total, 4 * THREAD_REPORTS,
	    "4 threads wrote their reports while 2 read");
	is_int((intmax_t)fixture_count(s), 4 * THREAD_REPORTS, "all are there");
	ok(wk[4].ok > 0 || wk[5].ok > 0, "the readers read reports meanwhile");
	if (store_stat(s, &st, &err) != STORE_OK)
		memset(&st, 0, sizeof(st));
	ok(st.map_size > 32 << 10, "the map grew meanwhile (%zu KiB)",
	    st.map_size >> 10);
	store_close(s);
}


/*
 * The group commit (store_group.c): a leader holds its write open until
 * two more writers wait behind it; they join its group, one commits, one
 * aborts (or is picked by the injected failure). One durable commit then
 * holds the leader's and the committed member's reports, and nothing of
 * the other member's.
 */
struct member {
	struct store *s;
	struct external_report *x;
	bool	commit;
	enum store_status st;
	struct store_error err;
};

static void *
member_write(void *arg)
{
	struct member *m = arg;
	struct store_write *w;

	if ((m->st = store_write_begin(m->s, &w, &m->err)) != STORE_OK)
		return (NULL);
	if ((m->st = store_write_report(w, m->x, &m->err)) != STORE_OK) {
		store_write_abort(w);
		return (NULL);
	}
	if (m->commit)
		m->st = store_write_commit(w, &m->err);
	else
		store_write_abort(w);
	return (NULL);
}

/* Runs a leader and two members; returns the commits the store made. */
static uint64_t
group_of_three(struct store *s, struct member m[2], enum store_status *lead)
{
	struct store_write_counts before, after;
	struct store_error err = {""};
	struct external_report *x;
	struct store_write *w;
	pthread_t th[2];
	int	i;

	store_write_counts(s, &before);
	x = fixture_tls("Group Org", "leader", "group.example");
	if ((*lead = store_write_begin(s, &w, &err)) == STORE_OK) {
		*lead = store_write_report(w, x, &err);
		if (*lead != STORE_OK && *lead != STORE_DUPLICATE)
			store_write_abort(w);
	}
	for (i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, member_write, &m[i]);
	usleep(200000);		/* both wait behind the leader's write */
	if (*lead == STORE_OK || *lead == STORE_DUPLICATE)
		*lead = store_write_commit(w, &err);
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	external_report_free(x);
	store_write_counts(s, &after);
	return (after.commits - before.commits);
}

static void
test_group(void)
{
	struct store_options o;
	struct store_error err = {""};
	struct member m[2];
	enum store_status lead;
	struct store *s;
	uint64_t commits;
	char   *dir = fixture_path("group");
	int	i;

	fixture_options(&o, 0, 0);
	if (store_open(dir, &o, &s, &err) != STORE_OK) {
		ok(0, "opened: %s", err.reason);
		return;
	}
	memset(m, 0, sizeof(m));
	for (i = 0; i < 2; i++) {
		m[i].s = s;
		m[i].commit = i == 0;
		m[i].x = fixture_tls("Group Org", i == 0 ? "member" : "dropped",
		    "group.example");
	}
	commits = group_of_three(s, m, &lead);
	ok(lead == STORE_OK && m[0].st == STORE_OK, "the leader and the "
	    "committing member are told: stored");
	is_int((intmax_t)commits, 1, "one durable commit made both so");
	is_int((intmax_t)fixture_count(s), 2, "two reports are kept");
	ok(strcmp(fixture_scan_text(s, STORE_IDX_REPORT_ID, "dropped"), "") ==
	    0 && strcmp(fixture_scan_text(s, STORE_IDX_REPORT_ID, "member"),
	    m[0].x->id) == 0, "nothing of the aborted member is there");
	store_close(s);
	ok(store_open(dir, &o, &s, &err) == STORE_OK &&
	    fixture_count(s) == 2, "reopened: the two reports are on disk");
	for (i = 0; i < 2; i++)
		external_report_free(m[i].x);

	/* The third commit asked for (the second member's) is made to fail. */
	store_close(s);
	setenv("REPORT_STORE_FAIL_COMMIT", "3", 1);
	ok(store_open(dir, &o, &s, &err) == STORE_OK, "reopened with the "
	    "third commit to fail");
	unsetenv("REPORT_STORE_FAIL_COMMIT");
	memset(m, 0, sizeof(m));
	for (i = 0; i < 2; i++) {
		m[i].s = s;
		m[i].commit = true;
		m[i].x = fixture_tls("Group Org", i == 0 ? "m-1" : "m-2",
		    "group2.example");
	}
	/* The leader's own report is a repeat of the one kept already. */
	commits = group_of_three(s, m, &lead);
	is_int(lead, STORE_OK, "the leader commits (its report a repeat)");
	ok((m[0].st == STORE_OK) != (m[1].st == STORE_OK),
	    "of the two members, one is stored and one fails");
	i = m[0].st == STORE_OK ? 1 : 0;
	is_int(m[i].st, STORE_IO, "the failed one is told: i/o error");
	ok(strstr(m[i].err.reason, "injected commit failure") != NULL,
	    "reason: %s", m[i].err.reason);
	is_int((intmax_t)commits, 1, "one durable commit for the group");
	is_int((intmax_t)fixture_count(s), 3, "the stored member is kept, "
	    "the failed one is not");
	ok(strcmp(fixture_scan_text(s, STORE_IDX_REPORT_ID,
	    m[i].x->report->u.tls.report_id), "") == 0,
	    "no index entry of the failed one either");
	store_close(s);
	for (i = 0; i < 2; i++)
		external_report_free(m[i].x);
}

int
main(void)
{
	umask(022);
	test_sha256();
	test_keys();
	test_status();
	test_open();
	test_growth();
	test_batch_growth();
	test_full();
	test_injection();
	test_threads();
	test_group();
	fixture_cleanup();
	return (done_testing());
}
