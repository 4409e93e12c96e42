/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	rq_enrich.h - report-query enrich: the parts behind the verb
 * PURPOSE
 *	The resolver (rq_enrich_dns.c, libunbound), the base domain
 *	(rq_enrich_psl.c, libpsl), the MMDB files (rq_enrich_mmdb.c,
 *	libmaxminddb) and the service map (rq_enrich_service.c). Each is a
 *	small object made once per run; failures fill a reason buffer and
 *	never print. These libraries are used nowhere else: no network in
 *	the mail path.
 */
#ifndef RQ_ENRICH_H
#define RQ_ENRICH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* ---- rq_enrich_dns.c ---- */

/* What the reverse lookup of one address found. */
struct rq_dns_answer {
	char	name[STORE_HOST_NAME_MAX];	/* PTR name, no final dot ("" none) */
	bool	confirmed;	/* an A/AAAA record of name is the address */
	uint32_t ttl;		/* the smallest TTL of the answers used */
	char	error[128];	/* "" when the lookups were answered */
};

struct rq_dns;

/*
 * A resolver: forwarding to server ("ADDR", "ADDR:PORT", "[ADDR6]:PORT"
 * or "ADDR@PORT") or, when NULL, to the servers of /etc/resolv.conf,
 * with room for *jobs queries at once (lowered when the descriptor limit
 * has no room for them). Returns NULL with a reason in why.
 */
struct rq_dns *rq_dns_new(const char *server, unsigned *jobs, char *why,
    size_t why_size);
void	rq_dns_free(struct rq_dns *);

/*
 * Looks up the n addresses ips: a PTR query each, then A or AAAA of the
 * name found, at most jobs at once, each query given timeout seconds.
 * out[i] is the answer for ips[i]. When queries time out before any was
 * answered, the server is taken to be silent and the addresses not asked
 * yet fail at once with the same error. Returns 0, or -1 (out of memory;
 * why says so).
 */
int	rq_dns_lookup(struct rq_dns *, const char *const *ips, size_t n,
	    struct rq_dns_answer *out, unsigned jobs, double timeout,
	    char *why, size_t why_size);

/* ---- rq_enrich_psl.c ---- */

/*
 * The registrable domain of name ("mail-a.google.com" -> "google.com")
 * into out; "" when name has none (a bare public suffix, or empty).
 */
void	rq_psl_base(const char *name, char *out, size_t size);

/* ---- rq_enrich_mmdb.c ---- */

struct rq_mmdb;

/* Opens an MMDB file (City, Country or ASN layout). NULL and why on failure. */
struct rq_mmdb *rq_mmdb_open(const char *path, char *why, size_t why_size);
void	rq_mmdb_close(struct rq_mmdb *);
/*
 * Fills what the file knows of ip into h: country (country.iso_code),
 * asn (autonomous_system_number) and as_name
 * (autonomous_system_organization); fields it does not know are left
 * as they are.
 */
void	rq_mmdb_lookup(struct rq_mmdb *, const char *ip, struct store_host *h);

/* ---- rq_enrich_service.c ---- */

struct rq_service;

struct rq_service *rq_service_new(void);
void	rq_service_free(struct rq_service *);
/*
 * Reads a map file: lines "DOMAIN TYPE NAME..." ('#' comments); a
 * later line of a domain replaces an earlier one, so that a local file
 * read after the shipped one overrides it. missing_ok: a file that is not
 * there is no error. Returns 0 or -1 with a reason ("FILE:LINE: ...").
 */
int	rq_service_load(struct rq_service *, const char *path, bool missing_ok,
	    char *why, size_t why_size);
/*
 * The service of a host name: the entry of the name or of the nearest
 * domain above it. Returns false when none matches.
 */
bool	rq_service_find(const struct rq_service *, const char *name,
	    const char **service, const char **type);

/* ---- rq_enrich_list.c ---- */

/* Prints the host cache of s as JSON lines; an exit status. */
int	rq_enrich_list(struct store *s);

#endif
