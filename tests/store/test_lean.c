/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	test_lean - the lean records of a chunk say what its JSON says
 * PURPOSE
 *	Records with every kind of source (IPv4, IPv6, an IPv6 address not
 *	in its printed form, an IPv4-mapped one, a name, an empty one, none,
 *	a 300-byte hostile string), counts up to 2^64 - 1, every evaluated
 *	result and DKIM and SPF lists of several lengths go into a store;
 *	store_get_lean_records() must give, field by field, what
 *	store_get_records() gives for the lean fields. A chunk in the older
 *	form (the deflated JSON alone) reads through the lean path whole,
 *	and truncated or altered lean blocks are refused, never read past.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_json.h"
#include "zbuf.h"
#include "fixture.h"
#include "store_impl.h"
#include "tap.h"

#define NREC	700	/* more than one chunk of STORE_CHUNK_RECORDS */

static const char *const sources[] = {
	"192.0.2.1", "2001:db8::25", "2001:DB8:0:0::1", "::ffff:192.0.2.9",
	"mail.example.org", "", NULL, "0.0.0.0", "2001:db8:0:0:0:0:0:1",
	"192.0.2.001", "255.255.255.255", "256.0.0.1", "1.2.3", "1.2.3.4.",
	"1.2.3.4 ", " 1.2.3.4", "10.0.0.0010", "0.1.2.3", "1..2.3",
};

static char hostile[301];

/* Record i of the test report (its strings the record's own). */
static void
make_record(struct dmarc_record *r, size_t i)
{
	size_t	j, nsrc = sizeof(sources) / sizeof(sources[0]);
	char	buf[64];

	memset(r, 0, sizeof(*r));
	if (i % 97 == 5)
		r->source_ip = fixture_str(hostile);
	else if (sources[i % nsrc] != NULL)
		r->source_ip = fixture_str(sources[i % nsrc]);
	r->count = i == 3 ? UINT64_MAX : i * 7 + 1;
	r->evaluated_disposition = (enum dmarc_action) (i % 5);
	r->evaluated_dkim = (enum dmarc_result) (i % 3);
	r->evaluated_spf = (enum dmarc_result) ((i / 3) % 3);
	r->envelope_from = fixture_str("");
	r->header_from = fixture_str("example.com");
	r->n_dkim = i % 4;
	r->dkim = r->n_dkim ? calloc(r->n_dkim, sizeof(*r->dkim)) : NULL;
	for (j = 0; j < r->n_dkim; j++) {
		snprintf(buf, sizeof(buf), "d%zu.example", (i + j) % 13);
		r->dkim[j].domain = fixture_str(j == 2 ? hostile : buf);
		snprintf(buf, sizeof(buf), "s%zu", j);
		r->dkim[j].selector = fixture_str(i % 11 == 0 ? "" : buf);
		r->dkim[j].result = (enum dkim_auth_result) ((i + j) % 7);
	}
	r->n_spf = i % 3;
	r->spf = r->n_spf ? calloc(r->n_spf, sizeof(*r->spf)) : NULL;
	for (j = 0; j < r->n_spf; j++) {
		r->spf[j].domain = fixture_str("example.com");
		r->spf[j].result = (enum spf_auth_result) ((i + j) % 7);
	}
}

/* The lean fields of a record as one line. */
static void
describe(const struct dmarc_record *r, char *out, size_t len)
{
	size_t	j, at;

	at = (size_t) snprintf(out, len, "%s|%llu|%d%d%d|",
	    r->source_ip ? r->source_ip : "(none)",
	    (unsigned long long) r->count, (int) r->evaluated_disposition,
	    (int) r->evaluated_dkim, (int) r->evaluated_spf);
	for (j = 0; j < r->n_dkim && at < len; j++)
		at += (size_t) snprintf(out + at, len - at, "%s/%s/%d,",
		    r->dkim[j].domain, r->dkim[j].selector,
		    (int) r->dkim[j].result);
	for (j = 0; j < r->n_spf && at < len; j++)
		at += (size_t) snprintf(out + at, len - at, "spf%d,",
		    (int) r->spf[j].result);
}

/* Appends each record's line to the strlist arg. */
static int
collect(void *arg, const struct dmarc_record *recs, size_t n)
{
	struct strlist *l = arg;
	char	buf[2048];
	size_t	i;

	for (i = 0; i < n; i++) {
		describe(&recs[i], buf, sizeof(buf));
		if (strlist_add_str(l, buf) != 0)
			return (1);
	}
	return (0);
}

/* Lean and full reads of report id give the same lines. */
static void
compare(struct store *s, const char *id, size_t want, const char *what)
{
	struct strlist full = { NULL, 0, 0 }, lean = { NULL, 0, 0 };
	struct store_error err = { "" };
	size_t	i, same = 0;

	ok(store_get_records(s, id, collect, &full, &err) == STORE_OK,
	    "%s: full records read", what);
	ok(store_get_lean_records(s, id, collect, &lean, &err) == STORE_OK,
	    "%s: lean records read", what);
	is_int((long long) full.n, (long long) want, "full: every record");
	is_int((long long) lean.n, (long long) want, "lean: every record");
	for (i = 0; i < full.n && i < lean.n; i++)
		if (strcmp(full.v[i], lean.v[i]) == 0)
			same++;
		else if (same + 5 > i)
			printf("# record %zu\n#  full %s\n#  lean %s\n", i,
			    full.v[i], lean.v[i]);
	if (!ok(same == want, "%s: every lean record says what the full one "
	    "says", what))
		printf("#   %zu of %zu the same\n", same, want);
	strlist_clear(&full);
	strlist_clear(&lean);
}

/* Lean blocks cut or altered are refused or read in bounds. */
static void
damaged(const struct dmarc_record *recs, size_t n)
{
	struct store_lean l;
	struct dmarc_record *out;
	const void *lean, *z;
	char   *val, *copy;
	size_t	len, lean_len, zlen, cut, refused = 0, tries = 0, count;

	memset(&l, 0, sizeof(l));
	ok(store_value_chunk_encode(recs, n, &val, &len) == STORE_OK,
	    "a chunk value is made");
	ok(val[0] == 'L', "it starts with its lean block");
	ok(store_lean_split(val, len, &lean, &lean_len, &z, &zlen) == 0 &&
	    lean != NULL, "its lean block is found");
	for (cut = 0; cut < lean_len; cut += 1 + cut / 8, tries++) {
		/* A copy of just the cut bytes: ASan sees any read past. */
		copy = malloc(cut + 1);
		memcpy(copy, lean, cut);
		if (store_lean_decode(&l, copy, cut, &out, &count) == -1)
			refused++;
		free(copy);
	}
	is_int((long long) refused, (long long) tries,
	    "every cut lean block is refused as damaged");
	/* The value cut within its lean block: the length runs past it. */
	ok(store_lean_split(val, 8, &lean, &lean_len, &z, &zlen) == -1,
	    "a lean length past the value is refused");
	store_lean_clear(&l);
	free(val);
}

/* Replaces chunk 0 of report x by its records' JSON alone, deflated. */
static void
put_old_chunk(struct store *s, const struct external_report *x)
{
	struct store_error err = { "" };
	unsigned char key[12];
	MDB_val	k = {sizeof(key), key}, v;
	MDB_txn *txn;
	char   *json, *z;
	size_t	len, zlen;
	uint64_t n;

	json = record_json_write_records(x->report->u.dmarc.records,
	    STORE_CHUNK_RECORDS, &len);
	ok(json != NULL && zbuf_deflate(json, len, &z, &zlen) == PARSE_OK &&
	    store_id_parse(x->id, &n) == 0, "an older chunk value is made");
	store_be64_put(key, n);
	store_be32_put(key + 8, 0);
	v.mv_size = zlen;
	v.mv_data = z;
	ok(store_env_write_begin(s, &txn, &err) == STORE_OK &&
	    mdb_put(txn, s->dbi[STORE_DB_RECORDS], &k, &v, 0) == 0 &&
	    store_env_write_end(s, txn, true, &err) == STORE_OK,
	    "it replaces the first chunk of the report");
	free(json);
	free(z);
}

int
main(void)
{
	struct dmarc_record recs[NREC], *old;
	struct store_error err = { "" };
	struct external_report *x;
	struct store *s;
	struct store_lean l;
	const void *lean, *z;
	char   *json, *zval;
	size_t	i, len, zlen, lean_len, n_old;

	memset(hostile, 'h', sizeof(hostile) - 1);
	memcpy(hostile, "<script>\"'&", 11);
	for (i = 0; i < NREC; i++)
		make_record(&recs[i], i);

	ok(store_open(fixture_path("lean"), NULL, &s, &err) == STORE_OK,
	    "open a store");
	x = fixture_dmarc("Lean Org", "lean-1", "example.com", 0);
	for (i = 0; i < NREC; i++)
		dmarc_report_add_record(&x->report->u.dmarc, &recs[i]);
	ok(fixture_put(s, x, &err) == STORE_OK, "a report of %d records is "
	    "stored", NREC);
	compare(s, x->id, NREC, "new chunks");

	/* The older form: the deflated JSON alone, as chunk 0 of a report. */
	put_old_chunk(s, x);
	compare(s, x->id, NREC, "an older first chunk");
	/* The older form: the deflated JSON alone. */
	json = record_json_write_records(x->report->u.dmarc.records, 40, &len);
	ok(json != NULL && zbuf_deflate(json, len, &zval, &zlen) == PARSE_OK,
	    "an older chunk value is made");
	ok(store_lean_split(zval, zlen, &lean, &lean_len, &z, &zlen) == 0 &&
	    lean == NULL && z == zval, "it has no lean block");
	ok(store_value_chunk_decode(s, 1, zval, zlen, &old, &n_old, &err) ==
	    STORE_OK && n_old == 40, "it reads whole as before");
	store_value_chunk_free(old, n_old);
	free(json);
	free(zval);

	damaged(x->report->u.dmarc.records, 50);
	memset(&l, 0, sizeof(l));
	store_lean_clear(&l);

	external_report_free(x);
	store_close(s);
	fixture_cleanup();
	return (done_testing());
}
