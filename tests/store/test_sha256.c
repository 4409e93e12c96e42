/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	test_sha256 - the store's SHA-256 against the FIPS 180-2 examples
 * PURPOSE
 *	The digests of the standard's examples (the empty message, "abc",
 *	the 448-bit message and a million "a"), each fed whole and in
 *	pieces of every size that straddles a 64-byte block, so that the
 *	buffered and the direct paths of sha256_update() both count.
 *	Expected digests as the standard prints them (and Python's hashlib
 *	gives them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "tap.h"

static void
hex(const unsigned char d[SHA256_LEN], char out[2 * SHA256_LEN + 1])
{
	int	i;

	for (i = 0; i < SHA256_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* The digest of msg fed in pieces of step bytes (0: whole). */
static void
digest(const char *msg, size_t len, size_t step, char out[2 * SHA256_LEN + 1])
{
	struct sha256 c;
	unsigned char d[SHA256_LEN];
	size_t	at, n;

	sha256_init(&c);
	if (step == 0)
		sha256_update(&c, len > 0 ? msg : NULL, len);
	else
		for (at = 0; at < len; at += n) {
			n = len - at < step ? len - at : step;
			sha256_update(&c, msg + at, n);
		}
	sha256_final(&c, d);
	hex(d, out);
}

int
main(void)
{
	static const size_t steps[] = { 0, 1, 3, 55, 56, 63, 64, 65, 127, 1000 };
	struct {
		const char *name;
		char   *msg;
		size_t	len;
		const char *want;
	} v[4];
	char	got[2 * SHA256_LEN + 1], *million;
	size_t	i, j;
	int	same;

	if ((million = malloc(1000000)) == NULL)
		return (1);
	memset(million, 'a', 1000000);
	v[0].name = "the empty message";
	v[0].msg = "";
	v[0].want = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	v[1].name = "\"abc\"";
	v[1].msg = "abc";
	v[1].want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	v[2].name = "the 448-bit message";
	v[2].msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	v[2].want = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
	v[3].name = "a million \"a\"";
	v[3].msg = million;
	v[3].want = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	for (i = 0; i < 3; i++)
		v[i].len = strlen(v[i].msg);
	v[3].len = 1000000;
	for (i = 0; i < 4; i++) {
		digest(v[i].msg, v[i].len, 0, got);
		is_str(got, v[i].want, v[i].name);
		for (same = 1, j = 1; j < sizeof(steps) / sizeof(steps[0]); j++) {
			digest(v[i].msg, v[i].len, steps[j], got);
			if (strcmp(got, v[i].want) != 0) {
				diag("in pieces of %zu bytes: %s", steps[j], got);
				same = 0;
			}
		}
		ok(same, "%s, fed in pieces of 1 to 1000 bytes", v[i].name);
	}
	free(million);
	return (done_testing());
}
