/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	sha256.h - SHA-256 (FIPS 180-4), for the store's dedup keys
 * PURPOSE
 *	A small incremental SHA-256: init, update with any split of the
 *	input, final. The store hashes the fields that identify a report so
 *	that the dedup table keys are short and of one size.
 */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN	32

struct sha256 {
	uint32_t h[8];		/* the hash state */
	uint64_t total;		/* bytes hashed so far */
	unsigned char block[64];	/* the block being filled */
	size_t	fill;		/* bytes in block */
};

/* Starts a new hash in *c. */
void	sha256_init(struct sha256 *c);

/* Adds len bytes of data (NULL is fine when len is 0). */
void	sha256_update(struct sha256 *c, const void *data, size_t len);

/* Ends the hash and writes the 32-byte digest to out; c is then spent. */
void	sha256_final(struct sha256 *c, unsigned char out[SHA256_LEN]);

#endif
