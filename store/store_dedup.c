/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_dedup - one report kept once
 * PURPOSE
 *	The dedup key of a report (store.h says which fields make it) is
 *	hashed with SHA-256; the dedup database maps the digest to the id of
 *	the report kept. Each field enters the hash with its length in front
 *	(absent ones with a length of all ones), so that no two different
 *	keys are the same bytes. A repeat is counted in the kept report's
 *	header: its duplicate count and the time it was last seen.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store_impl.h"

static void
store_dedup_u8(struct sha256 *c, unsigned v)
{
	unsigned char b = (unsigned char)v;

	sha256_update(c, &b, 1);
}

static void
store_dedup_i64(struct sha256 *c, int64_t v)
{
	unsigned char b[8];

	store_be64_put(b, (uint64_t)v);
	sha256_update(c, b, 8);
}

static void
store_dedup_len(struct sha256 *c, uint32_t len)
{
	unsigned char b[4];

	store_be32_put(b, len);
	sha256_update(c, b, 4);
}

/* A string field, lower-cased (ASCII letters) when fold is true. */
static void
store_dedup_str(struct sha256 *c, const char *s, bool fold)
{
	unsigned char buf[256];
	size_t	len, i, n;

	if (s == NULL) {
		store_dedup_len(c, UINT32_MAX);
		return;
	}
	len = strlen(s);
	store_dedup_len(c, (uint32_t)len);
	if (!fold) {
		sha256_update(c, s, len);
		return;
	}
	for (i = 0; i < len; i += n) {
		for (n = 0; n < sizeof(buf) && i + n < len; n++) {
			unsigned char ch = (unsigned char)s[i + n];

			buf[n] = ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
		}
		sha256_update(c, buf, n);
	}
}

static void
store_dedup_list(struct sha256 *c, const struct strlist *l, bool fold)
{
	size_t	i;

	store_dedup_len(c, (uint32_t)l->n);
	for (i = 0; i < l->n; i++)
		store_dedup_str(c, l->v[i], fold);
}

/*
 * The Message-ID of a returned message or its headers: the value of the
 * first Message-ID field of the header block, unfolded, white space
 * dropped (a msg-id has none inside). Hashed as a string; NULL when none.
 */
static void
store_dedup_message_id(struct sha256 *c, const char *m)
{
	const char *p = m, *v;
	char	id[998];
	size_t	n = 0;

	for (; p != NULL && *p != '\0' && *p != '\r' && *p != '\n';
	    p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncasecmp(p, "message-id:", 11) != 0)
			continue;
		for (v = p + 11; *v != '\0' && n < sizeof(id) - 1; v++) {
			if (*v == '\n' && v[1] != ' ' && v[1] != '\t')
				break;
			if (*v != ' ' && *v != '\t' && *v != '\r' && *v != '\n')
				id[n++] = *v;
		}
		id[n] = '\0';
		store_dedup_str(c, id, false);
		return;
	}
	store_dedup_str(c, NULL, false);
}

void
store_dedup_digest_dmarc(const struct dmarc_report *d,
    unsigned char out[SHA256_LEN])
{
	struct sha256 c;

	sha256_init(&c);
	store_dedup_u8(&c, RECORD_DMARC);
	store_dedup_str(&c, d->org_name, true);
	store_dedup_str(&c, d->email, true);
	store_dedup_str(&c, d->report_id, false);
	store_dedup_str(&c, d->policy_domain, true);
	store_dedup_i64(&c, d->date_range_begin);
	store_dedup_i64(&c, d->date_range_end);
	sha256_final(&c, out);
}

static void
store_dedup_digest_tls(const struct tls_report *t, unsigned char out[SHA256_LEN])
{
	struct sha256 c;
	size_t	i;

	sha256_init(&c);
	store_dedup_u8(&c, RECORD_TLS);
	store_dedup_str(&c, t->organization_name, true);
	store_dedup_str(&c, t->report_id, false);
	store_dedup_i64(&c, t->date_range_start);
	store_dedup_i64(&c, t->date_range_end);
	store_dedup_len(&c, (uint32_t)t->n_policies);
	for (i = 0; i < t->n_policies; i++)
		store_dedup_str(&c, t->policies[i].policy_domain, true);
	sha256_final(&c, out);
}

static void
store_dedup_digest_arf(const struct arf_report *a, unsigned char out[SHA256_LEN])
{
	struct sha256 c;

	sha256_init(&c);
	store_dedup_u8(&c, RECORD_ARF);
	store_dedup_u8(&c, a->feedback_type);
	store_dedup_u8(&c, a->has_arrival_date);
	store_dedup_i64(&c, a->has_arrival_date ? a->arrival_date : 0);
	store_dedup_str(&c, a->source_ip, false);
	store_dedup_str(&c, a->original_mail_from, false);
	store_dedup_str(&c, a->original_rcpt_to, false);
	store_dedup_list(&c, &a->reported_domains, true);
	store_dedup_list(&c, &a->reported_uris, false);
	store_dedup_list(&c, &a->authentication_results, false);
	store_dedup_message_id(&c, a->message ? a->message : a->headers);
	sha256_final(&c, out);
}

void
store_dedup_digest(const struct report *r, unsigned char out[SHA256_LEN])
{
	switch (r->type) {
	case RECORD_DMARC:
		store_dedup_digest_dmarc(&r->u.dmarc, out);
		return;
	case RECORD_TLS:
		store_dedup_digest_tls(&r->u.tls, out);
		return;
	case RECORD_ARF:
		store_dedup_digest_arf(&r->u.arf, out);
		return;
	}
	memset(out, 0, SHA256_LEN);
}

enum store_status
store_dedup_find(struct store *s, MDB_txn *txn,
    const unsigned char digest[SHA256_LEN], uint64_t *n,
    struct store_error *err)
{
	MDB_val	k = {SHA256_LEN, (void *)digest}, v;
	unsigned char key[8];
	int	rc;

	rc = mdb_get(txn, s->dbi[STORE_DB_DEDUP], &k, &v);
	if (rc == MDB_NOTFOUND)
		return (STORE_NOTFOUND);
	if (rc != 0)
		return (store_env_fail(s, rc, "dedup", err));
	if (v.mv_size != 8)
		return (STORE_NOTFOUND);
	memcpy(key, v.mv_data, 8);
	k.mv_size = 8;
	k.mv_data = key;
	rc = mdb_get(txn, s->dbi[STORE_DB_REPORTS], &k, &v);
	if (rc == MDB_NOTFOUND)
		return (STORE_NOTFOUND);
	if (rc != 0)
		return (store_env_fail(s, rc, "dedup", err));
	*n = store_be64_get(key);
	return (STORE_OK);
}

/*
 * Rewrites the header of report n with duplicates and last seen made
 * new by fn. STORE_OK, STORE_NOTFOUND, STORE_CORRUPT or an error.
 */
static enum store_status
store_dedup_rewrite(struct store *s, MDB_txn *txn, uint64_t n,
    uint32_t (*fn)(uint32_t dups, uint32_t arg), uint32_t arg, int64_t t,
    const char *what, struct store_error *err)
{
	struct store_value h;
	unsigned char key[8];
	MDB_val	k = {8, key}, v;
	void   *copy;
	int	rc;

	store_be64_put(key, n);
	if ((rc = mdb_get(txn, s->dbi[STORE_DB_REPORTS], &k, &v)) != 0)
		return (store_env_fail(s, rc, what, err));
	if (store_value_head(v.mv_data, v.mv_size, &h) < 0) {
		store_env_reason(err, "store %s: a stored header is damaged",
		    s->dir);
		return (STORE_CORRUPT);
	}
	if ((copy = malloc(v.mv_size)) == NULL) {
		store_env_reason(err, "store %s: out of memory", s->dir);
		return (STORE_NOMEM);
	}
	memcpy(copy, v.mv_data, v.mv_size);
	store_value_set_repeat(copy, fn(h.duplicates, arg), t);
	v.mv_data = copy;
	rc = mdb_put(txn, s->dbi[STORE_DB_REPORTS], &k, &v, 0);
	free(copy);
	if (rc != 0)
		return (store_env_fail(s, rc, what, err));
	return (store_change_mark(s, txn, n, err));
}

/* One more, short of the cap. */
static uint32_t
store_dedup_one_more(uint32_t dups, uint32_t arg)
{
	(void)arg;
	return (dups == UINT32_MAX ? dups : dups + 1);
}

static uint32_t
store_dedup_these(uint32_t dups, uint32_t arg)
{
	(void)dups;
	return (arg);
}

enum store_status
store_dedup_repeat(struct store *s, MDB_txn *txn, uint64_t n, int64_t t,
    struct store_error *err)
{
	return (store_dedup_rewrite(s, txn, n, store_dedup_one_more, 0, t,
	    "counting a repeat", err));
}

enum store_status
store_dedup_set_seen(struct store *s, MDB_txn *txn, uint64_t n,
    uint32_t duplicates, int64_t t, struct store_error *err)
{
	return (store_dedup_rewrite(s, txn, n, store_dedup_these, duplicates, t,
	    "setting the repeats", err));
}
