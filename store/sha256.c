/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	sha256 - SHA-256 as FIPS 180-4 describes it
 * PURPOSE
 *	The message schedule and the 64 rounds of section 6.2.2, with the
 *	padding of section 5.1.1. Words are read big-endian byte by byte, so
 *	the code does not depend on the host's byte order or alignment.
 */
#include <string.h>

#include "sha256.h"

/* The first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

#define ROTR(x, n)	(((x) >> (n)) | ((x) << (32 - (n))))
#define CH(x, y, z)	(((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z)	(((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x)	(ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))
#define BSIG1(x)	(ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))
#define SSIG0(x)	(ROTR(x, 7) ^ ROTR(x, 18) ^ ((x) >> 3))
#define SSIG1(x)	(ROTR(x, 17) ^ ROTR(x, 19) ^ ((x) >> 10))

/*
 * One round of section 6.2.2 step 3 on the eight working variables,
 * named in their current roles: the round renames them instead of
 * moving seven of them (the caller passes them rotated).
 */
#define ROUND(a, b, c, d, e, f, g, h, k, w) do {			\
	uint32_t t1_ = (h) + BSIG1(e) + CH(e, f, g) + (k) + (w);	\
	(d) += t1_;							\
	(h) = t1_ + BSIG0(a) + MAJ(a, b, c);				\
} while (0)

/* Word i of the message schedule, from the 16 before it (kept in w). */
#define SCHED(w, i)	((w)[(i) & 15] += SSIG1((w)[((i) - 2) & 15]) +	\
	(w)[((i) - 7) & 15] + SSIG0((w)[((i) - 15) & 15]))

/* Hashes one 64-byte block into the state (section 6.2.2). */
static void
sha256_block(uint32_t st[8], const unsigned char *p)
{
	uint32_t w[16], a, b, c, d, e, f, g, h;
	int	i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	a = st[0], b = st[1], c = st[2], d = st[3];
	e = st[4], f = st[5], g = st[6], h = st[7];
	for (i = 0; i < 64; i += 8) {
		uint32_t w0 = i < 16 ? w[i] : SCHED(w, i);
		ROUND(a, b, c, d, e, f, g, h, sha256_k[i], w0);
		w0 = i < 16 ? w[i + 1] : SCHED(w, i + 1);
		ROUND(h, a, b, c, d, e, f, g, sha256_k[i + 1], w0);
		w0 = i < 16 ? w[i + 2] : SCHED(w, i + 2);
		ROUND(g, h, a, b, c, d, e, f, sha256_k[i + 2], w0);
		w0 = i < 16 ? w[i + 3] : SCHED(w, i + 3);
		ROUND(f, g, h, a, b, c, d, e, sha256_k[i + 3], w0);
		w0 = i < 16 ? w[i + 4] : SCHED(w, i + 4);
		ROUND(e, f, g, h, a, b, c, d, sha256_k[i + 4], w0);
		w0 = i < 16 ? w[i + 5] : SCHED(w, i + 5);
		ROUND(d, e, f, g, h, a, b, c, sha256_k[i + 5], w0);
		w0 = i < 16 ? w[i + 6] : SCHED(w, i + 6);
		ROUND(c, d, e, f, g, h, a, b, sha256_k[i + 6], w0);
		w0 = i < 16 ? w[i + 7] : SCHED(w, i + 7);
		ROUND(b, c, d, e, f, g, h, a, sha256_k[i + 7], w0);
	}
	st[0] += a, st[1] += b, st[2] += c, st[3] += d;
	st[4] += e, st[5] += f, st[6] += g, st[7] += h;
}

void
sha256_init(struct sha256 *c)
{
	/* The first 32 bits of the fractional parts of the square roots of the first 8 primes. */
	static const uint32_t h0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	};

	memcpy(c->h, h0, sizeof(h0));
	c->total = 0;
	c->fill = 0;
}

void
sha256_update(struct sha256 *c, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t	take;

	c->total += len;
	if (len == 0)
		return;
	/* What the block held first, then whole blocks from the data itself. */
	if (c->fill > 0) {
		take = sizeof(c->block) - c->fill;
		if (take > len)
			take = len;
		memcpy(c->block + c->fill, p, take);
		c->fill += take;
		p += take;
		len -= take;
		if (c->fill < sizeof(c->block))
			return;
		sha256_block(c->h, c->block);
		c->fill = 0;
	}
	for (; len >= sizeof(c->block); p += sizeof(c->block),
	    len -= sizeof(c->block))
		sha256_block(c->h, p);
	if (len > 0)
		memcpy(c->block, p, len);
	c->fill = len;
}

void
sha256_final(struct sha256 *c, unsigned char out[SHA256_LEN])
{
	uint64_t bits = c->total * 8;
	int	i;

	/* A 1 bit, zeros up to 56 bytes into a block, the length in bits. */
	c->block[c->fill++] = 0x80;
	if (c->fill > 56) {
		memset(c->block + c->fill, 0, sizeof(c->block) - c->fill);
		sha256_block(c->h, c->block);
		c->fill = 0;
	}
	memset(c->block + c->fill, 0, 56 - c->fill);
	for (i = 0; i < 8; i++)
		c->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	sha256_block(c->h, c->block);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(c->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)c->h[i];
	}
}
