/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	fnv1a - the FNV-1a hash of the in-memory tables
 * PURPOSE
 *	Short keys (strings, 16-byte addresses) in tables of one run: no
 *	adversary worth a keyed hash. One definition for the store's and
 *	report-query's tables.
 */
#ifndef FNV1A_H
#define FNV1A_H

#include <stddef.h>
#include <stdint.h>

#define FNV1A_BASIS	UINT64_C(14695981039346656037)
#define FNV1A_PRIME	UINT64_C(1099511628211)

/* The hash of n bytes at p. */
static inline uint64_t
fnv1a_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = FNV1A_BASIS;

	while (n-- > 0)
		h = (h ^ *b++) * FNV1A_PRIME;
	return (h);
}

/* The hash of the string s, and its length in *len (when not NULL). */
static inline uint64_t
fnv1a_str(const char *s, size_t *len)
{
	const char *p = s;
	uint64_t h = FNV1A_BASIS;

	while (*p)
		h = (h ^ (unsigned char) *p++) * FNV1A_PRIME;
	if (len != NULL)
		*len = (size_t) (p - s);
	return (h);
}

#endif
