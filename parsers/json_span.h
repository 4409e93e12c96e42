/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	json_span.h - where a member's value lies in JSON text, without a tree
 * PURPOSE
 *	json-c builds the whole tree of what it parses, at many times the
 *	size of the text. A big report is one big array (TLS-RPT's
 *	"policies", an exported DMARC report's "records") in a small
 *	document; these functions find that array's bytes and each of its
 *	elements' bytes, so that json-c parses the rest with the array left
 *	empty and then one element at a time.
 *
 *	They scan, they do not validate: strings (with their escapes) and
 *	the nesting of objects and arrays are followed, and what lies
 *	between (numbers, literals, commas, colons) is passed over. JSON
 *	that is not well-formed may scan; json-c, which reads every byte
 *	afterwards, refuses it then. What does not scan gives -1, and the
 *	caller reads the text whole instead. Keys are compared as written,
 *	so a key spelled with escapes, which json-c would decode (and take
 *	over a namesake before it), makes its object not scan.
 */
#ifndef JSON_SPAN_H
#define JSON_SPAN_H

#include <stddef.h>

/* Nesting followed at most; deeper text does not scan. */
#define JSON_SPAN_DEPTH	64

/*
 * Finds the value of the member path[0] of the object that is the text
 * buf[0..len) (white space around it allowed), then of path[1] in that
 * value, and so on for n names. On 1 the value's bytes are buf[*off ..
 * *off + *vlen). When an object has the same key twice the last one
 * counts, as json-c takes it. Returns 1 found, 0 absent (or a value on
 * the way is not an object), -1 the text does not scan (also when a key
 * of an object on the way holds an escape).
 */
int	json_span_find(const char *buf, size_t len, const char *const *path,
	    size_t n, size_t *off, size_t *vlen);

/*
 * A copy of buf[0..len) with the value at buf[off .. off + vlen)
 * replaced by "[]", NUL-terminated, owned by the caller (free());
 * *out_len its length. NULL when out of memory.
 */
char   *json_span_emptied(const char *buf, size_t len, size_t off,
	    size_t vlen, size_t *out_len);

/* A walk over the elements of an array's text. */
struct json_span_array {
	const char *buf;
	size_t	len;
	size_t	pos;
	int	state;		/* 0 first, 1 after one, 2 ended, -1 failed */
};

/*
 * Starts a walk over the array text buf[0..len) (as json_span_find()
 * gives it). Returns 0, or -1 when it does not begin with '['.
 */
int	json_span_array_begin(struct json_span_array *, const char *buf,
	    size_t len);

/*
 * The next element: its bytes are buf[*off .. *off + *elen). Returns 1,
 * 0 at the end of the array, -1 when the text does not scan.
 */
int	json_span_array_next(struct json_span_array *, size_t *off,
	    size_t *elen);

/*
 * How many elements the array text buf[0..len) holds, into *n: a walk of
 * it, for a reader that allocates once before it reads them. Returns 0,
 * or -1 when it is not an array or does not scan.
 */
int	json_span_array_count(const char *buf, size_t len, size_t *n);

#endif
