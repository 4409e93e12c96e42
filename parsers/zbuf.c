/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	zbuf - whole-buffer zlib compression for the store's values
 * PURPOSE
 *	Compresses a value before the store keeps it and inflates it when
 *	the store reads it back, within a cap, so that a damaged or hostile
 *	value cannot make a reader allocate without bound.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "zbuf.h"

/*
 * The smallest window (and hash) that holds all of len bytes: zlib
 * zeroes its hash table and window at every start, 200 KB at the
 * defaults, which for a record batch of a few KB costs more than the
 * compression itself. The output is the same zlib format; inflate reads
 * any window size.
 */
static void
deflate_sizes(size_t len, int *window_bits, int *mem_level)
{
	int	wb = 9;

	while (wb < 15 && ((size_t) 1 << wb) < len)
		wb++;
	*window_bits = wb;
	*mem_level = wb - 7 < 8 ? wb - 7 : 8;	/* hash of 2^(level + 7) */
}

enum parse_status
zbuf_deflate(const void *src, size_t len, char **out, size_t *out_len)
{
	z_stream z;
	uLong	n;
	char   *buf;
	int	wb, ml, zr;

	*out = NULL;
	*out_len = 0;
	if (len > (size_t) UINT32_MAX)
		return (PARSE_NOMEM);
	deflate_sizes(len, &wb, &ml);
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 1, Z_DEFLATED, wb, ml, Z_DEFAULT_STRATEGY) != Z_OK)
		return (PARSE_NOMEM);
	n = deflateBound(&z, (uLong) len);
	if ((buf = malloc(n)) == NULL) {
		deflateEnd(&z);
		return (PARSE_NOMEM);
	}
	z.next_in = (Bytef *) src;
	z.avail_in = (uInt) len;
	z.next_out = (Bytef *) buf;
	z.avail_out = (uInt) n;
	zr = deflate(&z, Z_FINISH);
	n = z.total_out;
	deflateEnd(&z);
	if (zr != Z_STREAM_END) {
		free(buf);
		return (PARSE_NOMEM);
	}
	*out = buf;
	*out_len = n;
	return (PARSE_OK);
}

/* Grows *buf to at least need + 1 bytes (capped at max + 1); -1: no memory. */
static int
grow(char **buf, size_t *cap, size_t need, size_t max)
{
	size_t	ncap = *cap;
	char   *p;

	while (ncap < need + 1)
		ncap = ncap < 4096 ? 4096 : ncap * 2;
	if (ncap > max + 1)
		ncap = max + 1;
	if (ncap == *cap)
		return (0);
	if ((p = realloc(*buf, ncap)) == NULL)
		return (-1);
	*buf = p;
	*cap = ncap;
	return (0);
}

enum parse_status
zbuf_inflate(const void *src, size_t len, size_t max, char **out,
    size_t *out_len, struct parse_error *err)
{
	z_stream z;
	char   *buf = NULL;
	size_t	cap = 0, have = 0;
	int	zr = Z_OK;

	*out = NULL;
	*out_len = 0;
	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return (PARSE_NOMEM);
	z.next_in = (Bytef *) src;
	z.avail_in = len > UINT32_MAX ? UINT32_MAX : (uInt) len;
	/* Room for one byte past max tells "exactly max" from "more". */
	while (zr != Z_STREAM_END) {
		size_t	want = have + (len > 4096 ? len * 2 : 4096);

		if (have > max) {
			inflateEnd(&z);
			free(buf);
			parse_error_set(err, "stored value inflates past %zu bytes", max);
			return (PARSE_LIMIT);
		}
		if (grow(&buf, &cap, want < max + 1 ? want : max + 1, max + 1) < 0) {
			inflateEnd(&z);
			free(buf);
			return (PARSE_NOMEM);
		}
		z.next_out = (Bytef *) buf + have;
		z.avail_out = (uInt) (cap - 1 - have);
		zr = inflate(&z, Z_NO_FLUSH);
		have = cap - 1 - z.avail_out;
		if (zr == Z_MEM_ERROR) {
			inflateEnd(&z);
			free(buf);
			return (PARSE_NOMEM);
		}
		if (zr != Z_OK && zr != Z_STREAM_END) {
			inflateEnd(&z);
			free(buf);
			parse_error_set(err, "stored value is not zlib data: %s",
			    z.msg ? z.msg : "truncated");
			return (PARSE_INVALID);
		}
		if (zr == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
			inflateEnd(&z);
			free(buf);
			parse_error_set(err, "stored value is truncated");
			return (PARSE_INVALID);
		}
	}
	inflateEnd(&z);
	if (have > max) {
		free(buf);
		parse_error_set(err, "stored value inflates past %zu bytes", max);
		return (PARSE_LIMIT);
	}
	if (buf == NULL && (buf = malloc(1)) == NULL)
		return (PARSE_NOMEM);
	buf[have] = '\0';
	*out = buf;
	*out_len = have;
	return (PARSE_OK);
}

uint32_t
zbuf_crc32(uint32_t crc, const void *p, size_t len)
{
	const Bytef *b = p;
	uLong	c = crc;

	while (len > 0) {	/* crc32() takes an unsigned int */
		uInt n = len > (1U << 30) ? 1U << 30 : (uInt)len;

		c = crc32(c, b, n);
		b += n;
		len -= n;
	}
	return ((uint32_t)c);
}
