/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_hosts.h - the store's host entries, each read once per command
 * PURPOSE
 *	query and summary show and filter on what report-query enrich
 *	learnt of a source IP. A store has an entry per address, but a
 *	report names the same address in many records and many reports
 *	name it again: this cache reads each distinct address from the
 *	store once (store_host_get()) and keeps the answer, found or not,
 *	until it is freed. It only reads the store: nothing is resolved.
 */
#ifndef RQ_HOSTS_H
#define RQ_HOSTS_H

#include <stdio.h>

#include "store.h"

struct rq_hosts;

/* An empty cache over s (borrowed; it must outlive the cache); NULL: no memory. */
struct rq_hosts *rq_hosts_new(struct store *s);

/* Frees the cache and every entry it holds; NULL is fine. */
void	rq_hosts_free(struct rq_hosts *);

/*
 * The entry of the address text ip in *out (borrowed from the cache,
 * valid until rq_hosts_free()), or NULL when the store has none: never
 * enriched, no address, or an entry the store cannot read (corrupt or of
 * a later version; it is left out, not fatal). Returns STORE_OK,
 * STORE_NOMEM, or the error status of store_host_get() (err says why;
 * *out is NULL). An address is read from the store at most once, however
 * it is written ("2001:DB8::1" and "2001:db8::1" are one).
 */
enum store_status rq_hosts_get(struct rq_hosts *, const char *ip,
    const struct store_host **out, struct store_error *err);

/* How many times the store was read: the distinct addresses asked for. */
size_t	rq_hosts_reads(const struct rq_hosts *);

/*
 * Appends to the text *cell (grown with realloc; NULL to begin) the
 * source ip and what h (NULL: nothing known) says of it, "; " after an
 * earlier one: "192.0.2.1", or "192.0.2.1 mx.example.net (Example,
 * example.net, DE, AS64500 Example AS)" with the unknown parts left out
 * (service, base domain, country, AS number and name). Returns 0, or -1
 * when out of memory (*cell unchanged).
 */
int	rq_hosts_cell(char **cell, const char *ip, const struct store_host *h);

/*
 * Prints h (not NULL) as the value of a JSON member: an object with
 * "name", "confirmed", "baseDomain", "country", "asn", "asName",
 * "service" and "serviceType" (unknown ones null), as report-query
 * enrich --list names them.
 */
void	rq_hosts_json(FILE *fp, const struct store_host *h);

#endif
