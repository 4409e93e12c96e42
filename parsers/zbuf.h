/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	zbuf.h - whole-buffer zlib compression, for values kept in the store
 * PURPOSE
 *	The store keeps large JSON values compressed. zlib belongs to the
 *	parsers module; this is the door the store uses, bytes in and bytes
 *	out, with a cap on what inflating may produce, and zlib's CRC-32 for
 *	the records of its journal.
 */
#ifndef ZBUF_H
#define ZBUF_H

#include <stddef.h>
#include <stdint.h>

#include "parse.h"

/*
 * Compresses src[0..len) (zlib format, fast level). *out (malloc'd, the
 * caller's) and *out_len get the result. Returns PARSE_OK or PARSE_NOMEM.
 */
enum parse_status zbuf_deflate(const void *src, size_t len, char **out,
    size_t *out_len);

/*
 * Inflates src[0..len) (as zbuf_deflate wrote it) into *out (malloc'd,
 * NUL-terminated, the caller's), at most max bytes. Returns PARSE_OK,
 * PARSE_INVALID (not zlib data, truncated: err says so), PARSE_LIMIT
 * (more than max bytes), PARSE_NOMEM.
 */
enum parse_status zbuf_inflate(const void *src, size_t len, size_t max,
    char **out, size_t *out_len, struct parse_error *err);

/* The CRC-32 (zlib's crc32()) of p[0..len) continued from crc (0: none). */
uint32_t zbuf_crc32(uint32_t crc, const void *p, size_t len);

#endif
