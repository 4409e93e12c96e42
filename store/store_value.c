/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	store_value - what a stored report and a stored chunk look like
 * PURPOSE
 *	A report value is a fixed binary header and the report's JSON:
 *
 *	  0    format: 1 the JSON follows as is, 2 it follows deflated (the
 *	       low four bits); above them, whether the report mail was
 *	       authenticated (enum record_auth: 0 not known, 1 no, 2 yes;
 *	       a value written before there was a flag reads as 0)
 *	  1    type (enum record_type)
 *	  2    receivedAt, 8 bytes big-endian (two's complement)
 *	  10   expiresAt
 *	  18   duplicates, 4 bytes
 *	  22   lastSeen, 8 bytes
 *	  30   records kept in chunks, 8 bytes
 *	  38   chunks, 4 bytes
 *	  42   the dedup digest written for the report, 32 bytes
 *	  74   length of the JSON text, 8 bytes
 *	  82   the JSON (record_json_write(), records left out)
 *
 *	The header lets purge and dedup read or update what they need
 *	without inflating and parsing the JSON. A chunk value is the lean
 *	form of its records (store_lean.c), then the JSON array of its
 *	records (record_json_write_records()), deflated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_json.h"
#include "zbuf.h"
#include "store_impl.h"

#define STORE_VALUE_PLAIN	1
#define STORE_VALUE_DEFLATED	2
#define STORE_VALUE_HEAD	82
#define STORE_VALUE_FORMAT(b)	((b) & 0x0f)
#define STORE_VALUE_AUTH(b)	(((b) >> 4) & 0x03)

enum store_status
store_value_encode(const struct store_value *h, const char *json,
    size_t json_len, char **out, size_t *out_len)
{
	unsigned char *v;
	char   *z = NULL;
	const char *body = json;
	size_t	body_len = json_len;
	int	format = STORE_VALUE_PLAIN;

	*out = NULL;
	if (json_len >= STORE_COMPRESS_MIN) {
		if (zbuf_deflate(json, json_len, &z, &body_len) != PARSE_OK)
			return (STORE_NOMEM);
		body = z;
		format = STORE_VALUE_DEFLATED;
	}
	if (body_len > SIZE_MAX - STORE_VALUE_HEAD ||
	    (v = malloc(STORE_VALUE_HEAD + body_len)) == NULL) {
		free(z);
		return (STORE_NOMEM);
	}
	v[0] = (unsigned char)(format | (h->authenticated & 0x03) << 4);
	v[1] = (unsigned char)h->type;
	store_be64_put(v + 2, (uint64_t)h->received_at);
	store_be64_put(v + 10, (uint64_t)h->expires_at);
	store_be32_put(v + 18, h->duplicates);
	store_be64_put(v + 22, (uint64_t)h->last_seen);
	store_be64_put(v + 30, h->n_records);
	store_be32_put(v + 38, h->n_chunks);
	memcpy(v + 42, h->digest, SHA256_LEN);
	store_be64_put(v + 74, json_len);
	memcpy(v + STORE_VALUE_HEAD, body, body_len);
	free(z);
	*out = (char *)v;
	*out_len = STORE_VALUE_HEAD + body_len;
	return (STORE_OK);
}

int
store_value_head(const void *data, size_t len, struct store_value *h)
{
	const unsigned char *v = data;

	if (len < STORE_VALUE_HEAD || (STORE_VALUE_FORMAT(v[0]) !=
	    STORE_VALUE_PLAIN && STORE_VALUE_FORMAT(v[0]) !=
	    STORE_VALUE_DEFLATED) || STORE_VALUE_AUTH(v[0]) > RECORD_AUTH_PASS ||
	    (v[0] & 0xc0) != 0 || v[1] < RECORD_DMARC || v[1] > RECORD_ARF)
		return (-1);
	h->authenticated = (enum record_auth)STORE_VALUE_AUTH(v[0]);
	h->type = (enum record_type)v[1];
	h->received_at = (int64_t)store_be64_get(v + 2);
	h->expires_at = (int64_t)store_be64_get(v + 10);
	h->duplicates = store_be32_get(v + 18);
	h->last_seen = (int64_t)store_be64_get(v + 22);
	h->n_records = store_be64_get(v + 30);
	h->n_chunks = store_be32_get(v + 38);
	memcpy(h->digest, v + 42, SHA256_LEN);
	return (0);
}

void
store_value_set_repeat(void *data, uint32_t duplicates, int64_t last_seen)
{
	unsigned char *v = data;

	store_be32_put(v + 18, duplicates);
	store_be64_put(v + 22, (uint64_t)last_seen);
}

/* The JSON text of a value (NUL-terminated, the caller's) in *json. */
static enum store_status
store_value_json(struct store *s, const char *id, const unsigned char *v,
    size_t len, char **json, size_t *json_len, struct store_error *err)
{
	struct parse_error perr;
	enum parse_status ps;
	uint64_t want = store_be64_get(v + 74);

	*json = NULL;
	perr.reason[0] = '\0';
	if (STORE_VALUE_FORMAT(v[0]) == STORE_VALUE_PLAIN) {
		if (want != len - STORE_VALUE_HEAD)
			goto corrupt;
		if ((*json = record_strndup((const char *)v + STORE_VALUE_HEAD,
		    len - STORE_VALUE_HEAD)) == NULL)
			goto nomem;
		*json_len = len - STORE_VALUE_HEAD;
		return (STORE_OK);
	}
	if (want >= SIZE_MAX - 1)
		goto corrupt;
	/* One byte of room past the length tells a longer value from it. */
	ps = zbuf_inflate(v + STORE_VALUE_HEAD, len - STORE_VALUE_HEAD,
	    (size_t)want + 1, json, json_len, &perr);
	if (ps == PARSE_NOMEM)
		goto nomem;
	if (ps == PARSE_OK && *json_len == want)
		return (STORE_OK);
	free(*json);
	*json = NULL;
corrupt:
	store_env_reason(err, "store %s: report %s: stored value damaged%s%s",
	    s->dir, id, perr.reason[0] ? ": " : "", perr.reason);
	return (STORE_CORRUPT);
nomem:
	store_env_reason(err, "store %s: report %s: out of memory", s->dir, id);
	return (STORE_NOMEM);
}

enum store_status
store_value_report(struct store *s, uint64_t n, const void *data, size_t len,
    struct external_report **x, struct store_value *h,
    struct store_error *err)
{
	struct store_value hv;
	struct parse_error perr;
	enum parse_status ps;
	enum store_status st;
	char	id[STORE_ID_CHARS + 1], *json, *copy;
	size_t	json_len;

	*x = NULL;
	store_id_format(n, id);
	if (store_value_head(data, len, &hv) < 0) {
		store_env_reason(err, "store %s: report %s: stored header damaged",
		    s->dir, id);
		return (STORE_CORRUPT);
	}
	if ((st = store_value_json(s, id, data, len, &json, &json_len, err)) !=
	    STORE_OK)
		return (st);
	perr.reason[0] = '\0';
	ps = record_json_read(json, json_len, x, &perr);
	free(json);
	if (ps == PARSE_NOMEM) {
		store_env_reason(err, "store %s: report %s: out of memory",
		    s->dir, id);
		return (STORE_NOMEM);
	}
	if (ps != PARSE_OK || (*x)->report == NULL ||
	    (*x)->report->type != hv.type) {
		external_report_free(*x);
		*x = NULL;
		store_env_reason(err, "store %s: report %s: stored JSON cannot "
		    "be read: %s", s->dir, id, perr.reason[0] ? perr.reason :
		    "wrong type");
		return (STORE_CORRUPT);
	}
	if ((copy = record_strdup(id)) == NULL) {
		external_report_free(*x);
		*x = NULL;
		store_env_reason(err, "store %s: out of memory", s->dir);
		return (STORE_NOMEM);
	}
	free((*x)->id);
	(*x)->id = copy;
	(*x)->authenticated = hv.authenticated;
	if (h != NULL)
		*h = hv;
	return (STORE_OK);
}

enum store_status
store_value_chunk_encode(const struct dmarc_record *recs, size_t n,
    char **out, size_t *out_len)
{
	enum parse_status ps;
	char   *json;
	size_t	len;

	enum store_status st;
	char   *z;
	size_t	zlen;

	*out = NULL;
	if ((json = record_json_write_records(recs, n, &len)) == NULL)
		return (STORE_NOMEM);
	ps = zbuf_deflate(json, len, &z, &zlen);
	free(json);
	if (ps != PARSE_OK)
		return (STORE_NOMEM);
	st = store_lean_encode(recs, n, z, zlen, out, out_len);
	free(z);
	return (st);
}

enum store_status
store_chunk_encode(const struct dmarc_record *recs, size_t n,
    struct store_chunk **out)
{
	struct store_chunk *c;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return (STORE_NOMEM);
	if (store_value_chunk_encode(recs, n, &c->val, &c->len) != STORE_OK) {
		free(c);
		return (STORE_NOMEM);
	}
	*out = c;
	return (STORE_OK);
}

void
store_chunk_free(struct store_chunk *c)
{
	if (c == NULL)
		return;
	free(c->val);
	free(c);
}

enum store_status
store_value_chunk_decode(struct store *s, uint64_t id, const void *data,
    size_t len, struct dmarc_record **recs, size_t *n,
    struct store_error *err)
{
	struct parse_error perr;
	enum parse_status ps;
	char	text[STORE_ID_CHARS + 1], *json;
	size_t	json_len;

	const void *lean, *z;
	size_t	lean_len, zlen;

	*recs = NULL;
	*n = 0;
	perr.reason[0] = '\0';
	if (store_lean_split(data, len, &lean, &lean_len, &z, &zlen) < 0) {
		ps = PARSE_INVALID;
		snprintf(perr.reason, sizeof(perr.reason), "damaged lean block");
	} else
		ps = zbuf_inflate(z, zlen, STORE_CHUNK_MAX, &json, &json_len,
		    &perr);
	if (ps == PARSE_OK) {
		ps = record_json_read_records(json, json_len, recs, n, &perr);
		free(json);
	}
	if (ps == PARSE_OK)
		return (STORE_OK);
	store_id_format(id, text);
	if (ps == PARSE_NOMEM) {
		store_env_reason(err, "store %s: report %s: out of memory",
		    s->dir, text);
		return (STORE_NOMEM);
	}
	store_env_reason(err, "store %s: report %s: a chunk of records cannot "
	    "be read: %s", s->dir, text, perr.reason);
	return (STORE_CORRUPT);
}

void
store_value_chunk_free(struct dmarc_record *recs, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		dmarc_record_clear(&recs[i]);
	free(recs);
}
