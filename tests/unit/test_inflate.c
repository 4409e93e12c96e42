/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	test_inflate - gzip and zip decoding, and its caps
 * PURPOSE
 *	Builds every input at run time (zlib, libzip, and hand-written zip
 *	bytes for a lying directory) and checks what reaches the sink: the
 *	text, the layers, the status and the reason. A 2 GiB gzip bomb must
 *	end in PARSE_LIMIT without the peak memory growing.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <zip.h>
#include <zlib.h>

#include "inflate.h"
#include "parse.h"
#include "tap.h"

/* What the sink saw: the first KEEP bytes, and how many in all. */
#define KEEP	(1 << 20)
struct seen {
	char	buf[KEEP + 1];
	size_t	len;
	size_t	total;
	size_t	max_chunk;
	enum parse_status answer;	/* what the sink returns */
};

static struct seen seen;

static enum parse_status
sink(void *arg, const char *buf, size_t len)
{
	struct seen *s = arg;
	size_t	n = len < KEEP - s->len ? len : KEEP - s->len;

	memcpy(s->buf + s->len, buf, n);
	s->len += n;
	s->buf[s->len] = '\0';
	s->total += len;
	if (len > s->max_chunk)
		s->max_chunk = len;
	return (s->answer);
}

struct blob {
	unsigned char *p;
	size_t	len;
};

static void
blob_add(struct blob *b, const void *p, size_t len)
{
	b->p = realloc(b->p, b->len + len + 1);
	memcpy(b->p + b->len, p, len);
	b->len += len;
}

/* gzip (wbits 16 + 15) or raw deflate (wbits -15) of data. */
static struct blob
deflate_blob(const void *data, size_t len, int wbits)
{
	struct blob b = { NULL, 0 };
	unsigned char out[65536];
	z_stream zs;
	int	zr;

	memset(&zs, 0, sizeof(zs));
	deflateInit2(&zs, 9, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY);
	zs.next_in = (Bytef *) data;
	zs.avail_in = (uInt) len;
	do {
		zs.next_out = out;
		zs.avail_out = sizeof(out);
		zr = deflate(&zs, Z_FINISH);
		blob_add(&b, out, sizeof(out) - zs.avail_out);
	} while (zr != Z_STREAM_END);
	deflateEnd(&zs);
	return (b);
}

static struct blob
gz(const void *data, size_t len)
{
	return (deflate_blob(data, len, 16 + MAX_WBITS));
}

static enum parse_status
run(const struct blob *b, const struct parse_limits *l, char *layers,
    struct parse_error *err)
{
	memset(&seen, 0, sizeof(seen));
	seen.answer = PARSE_OK;
	parse_error_clear(err);
	return (inflate_data(b->p, b->len, l, sink, &seen, layers, 256, err));
}

/* A zip archive written by libzip; names[i] with texts[i]. */
static struct blob
make_zip(const char *const *names, const char *const *texts, int n,
    bool encrypt)
{
	struct blob b = { NULL, 0 };
	zip_source_t *src, *fs;
	zip_error_t ze;
	zip_int64_t idx, size;
	zip_t  *za;
	int	i;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	for (i = 0; i < n; i++) {
		fs = zip_source_buffer_create(texts[i], strlen(texts[i]), 0,
		    &ze);
		idx = zip_file_add(za, names[i], fs, ZIP_FL_ENC_UTF_8);
		if (encrypt && zip_file_set_encryption(za, (zip_uint64_t) idx,
		    ZIP_EM_AES_256, "secret") < 0)
			diag("zip_file_set_encryption: %s", zip_strerror(za));
	}
	if (zip_close(za) < 0)
		diag("zip_close: %s", zip_strerror(za));
	zip_source_open(src);
	zip_source_seek(src, 0, SEEK_END);
	size = zip_source_tell(src);
	zip_source_seek(src, 0, SEEK_SET);
	b.p = malloc((size_t) size + 1);
	b.len = (size_t) zip_source_read(src, b.p, (zip_uint64_t) size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	return (b);
}

static void
put16(struct blob *b, unsigned v)
{
	unsigned char x[2] = { v & 0xff, (v >> 8) & 0xff };

	blob_add(b, x, 2);
}

static void
put32(struct blob *b, uint32_t v)
{
	put16(b, v & 0xffff);
	put16(b, v >> 16);
}

/*
 * A one-member zip written by hand, deflated, whose headers declare
 * declared bytes of output where real holds more: the sizes lie.
 */
static struct blob
lying_zip(const char *name, const void *real, size_t real_len,
    uint32_t declared)
{
	struct blob b = { NULL, 0 }, d = deflate_blob(real, real_len,
	    -MAX_WBITS);
	uint32_t crc = (uint32_t) crc32(0, real, (uInt) real_len);
	size_t	nl = strlen(name), cd;

	put32(&b, 0x04034b50); put16(&b, 20); put16(&b, 0); put16(&b, 8);
	put16(&b, 0); put16(&b, 0); put32(&b, crc); put32(&b, (uint32_t) d.len);
	put32(&b, declared); put16(&b, (unsigned) nl); put16(&b, 0);
	blob_add(&b, name, nl);
	blob_add(&b, d.p, d.len);
	cd = b.len;
	put32(&b, 0x02014b50); put16(&b, 20); put16(&b, 20); put16(&b, 0);
	put16(&b, 8); put16(&b, 0); put16(&b, 0); put32(&b, crc);
	put32(&b, (uint32_t) d.len); put32(&b, declared);
	put16(&b, (unsigned) nl); put16(&b, 0); put16(&b, 0); put16(&b, 0);
	put16(&b, 0); put32(&b, 0); put32(&b, 0);
	blob_add(&b, name, nl);
	put32(&b, 0x06054b50); put16(&b, 0); put16(&b, 0); put16(&b, 1);
	put16(&b, 1); put32(&b, (uint32_t) (b.len - cd - 0));
	put32(&b, (uint32_t) cd); put16(&b, 0);
	/* The central directory size is what lies between cd and here. */
	{
		uint32_t cds = (uint32_t) (b.len - 22 - cd);

		b.p[b.len - 10] = cds & 0xff;
		b.p[b.len - 9] = (cds >> 8) & 0xff;
		b.p[b.len - 8] = (cds >> 16) & 0xff;
		b.p[b.len - 7] = (cds >> 24) & 0xff;
	}
	free(d.p);
	return (b);
}

static void
test_gzip(const struct parse_limits *lim)
{
	static const char text[] = "<feedback>report</feedback>\n";
	struct parse_error err;
	struct blob plain = { (unsigned char *) text, sizeof(text) - 1 };
	struct blob g1 = gz(text, strlen(text)), g2 = gz(g1.p, g1.len), cat;
	char	layers[256];
	enum parse_status st;

	st = run(&plain, lim, layers, &err);
	is_int(st, PARSE_OK, "plain data: ok");
	is_str(seen.buf, text, "plain data passes through unchanged");
	is_str(layers, "", "plain data: no layers");

	st = run(&g1, lim, layers, &err);
	is_int(st, PARSE_OK, "gzip: ok");
	is_str(seen.buf, text, "gzip: inflated text");
	is_str(layers, "gzip", "gzip: layers");

	st = run(&g2, lim, layers, &err);
	is_int(st, PARSE_OK, "gzip in gzip: ok");
	is_str(seen.buf, text, "gzip in gzip: inflated text");
	is_str(layers, "gzip > gzip", "gzip in gzip: layers");

	cat.p = NULL;
	cat.len = 0;
	blob_add(&cat, g1.p, g1.len);
	blob_add(&cat, g1.p, g1.len);
	st = run(&cat, lim, layers, &err);
	is_int(st, PARSE_OK, "concatenated members: ok");
	ok(seen.len == 2 * strlen(text) &&
	    strncmp(seen.buf + strlen(text), text, strlen(text)) == 0,
	    "concatenated members: both texts, in order");
	blob_add(&cat, "\0\0\0\0\0\0\0\0", 8);
	st = run(&cat, lim, layers, &err);
	is_int(st, PARSE_OK, "trailing zeros after the last member: ignored");

	cat.len = g1.len - 6;
	st = run(&cat, lim, layers, &err);
	is_int(st, PARSE_INVALID, "truncated gzip: invalid");
	is_str(err.reason, "gzip data truncated", "truncated gzip: reason");

	memcpy(cat.p, g1.p, g1.len);
	cat.p[12] ^= 0x55;
	cat.p[13] ^= 0xaa;
	cat.len = g1.len;
	st = run(&cat, lim, layers, &err);
	ok(st == PARSE_INVALID && strstr(err.reason, "gzip") != NULL,
	    "corrupt gzip: invalid (%s)", err.reason);

	{
		struct parse_limits l = *lim;
		struct blob g3 = gz(g2.p, g2.len);

		l.gzip_layers = 2;
		st = run(&g3, &l, layers, &err);
		is_int(st, PARSE_LIMIT, "three gzip layers over a cap of 2: limit");
		is_str(err.reason, "more than 2 nested gzip layers",
		    "gzip layers: reason");
		free(g3.p);
	}

	memset(&seen, 0, sizeof(seen));
	seen.answer = PARSE_STOPPED;
	st = inflate_data(g1.p, g1.len, lim, sink, &seen, NULL, 0, &err);
	is_int(st, PARSE_STOPPED, "the sink's status stops the decoding");

	{
		struct blob empty = { (unsigned char *) "", 0 };

		st = run(&empty, lim, layers, &err);
		ok(st == PARSE_OK && seen.total == 0, "empty input: nothing");
	}
	free(g1.p);
	free(g2.p);
	free(cat.p);
}

static long
maxrss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_maxrss);
}

/*
 * 2 GiB of zeros as gzip, about 2 MB, built without deflating 2 GiB (slow
 * under valgrind): 1 MiB of zeros ended with Z_FULL_FLUSH is a deflate
 * piece that needs no earlier data, so the same bytes can be repeated;
 * the trailer gets the real CRC and size. The peak RSS is taken before
 * the bomb is built, so it counts the bomb too.
 */
static void
test_bomb(const struct parse_limits *lim)
{
	static unsigned char zeros[1 << 20], out[1 << 16];
	struct blob b = { NULL, 0 };
	struct parse_limits l = *lim;
	struct parse_error err;
	z_stream zs;
	enum parse_status st;
	long	before = maxrss_kb();
	size_t	head, piece = 0, i, j;
	uLong	crc1, crc;

	memset(&zs, 0, sizeof(zs));
	deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
	for (i = 0; i < 3; i++) {
		zs.next_in = zeros;
		zs.avail_in = i < 2 ? sizeof(zeros) : 0;
		zs.next_out = out;
		zs.avail_out = sizeof(out);
		deflate(&zs, i < 2 ? Z_FULL_FLUSH : Z_FINISH);
		if (i == 1) {	/* the repeatable piece, 2047 times */
			piece = sizeof(out) - zs.avail_out;
			head = b.len;
			/* One allocation: ASan keeps freed blocks around. */
			b.p = realloc(b.p, head + 2047 * piece + 64);
			for (j = 0; j < 2047; j++)
				memcpy(b.p + head + j * piece, out, piece);
			b.len = head + 2047 * piece;
		} else
			blob_add(&b, out, sizeof(out) - zs.avail_out);
	}
	deflateEnd(&zs);
	crc1 = crc32(0, zeros, sizeof(zeros));
	for (crc = crc1, i = 1; i < 2048; i++)
		crc = crc32_combine(crc, crc1, sizeof(zeros));
	for (i = 0; i < 4; i++) {
		b.p[b.len - 8 + i] = (crc >> (8 * i)) & 0xff;
		b.p[b.len - 4 + i] = i == 3 ? 0x80 : 0;	/* 2^31 */
	}
	diag("bomb: %zu bytes of gzip", b.len);
	l.part_bytes = (size_t) 64 << 20;
	st = run(&b, &l, NULL, &err);
	is_int(st, PARSE_LIMIT, "2 GiB gzip bomb: limit");
	is_str(err.reason, "decompressed size exceeds 67108864 bytes",
	    "gzip bomb: reason");
	ok(seen.total <= l.part_bytes, "gzip bomb: at most part_bytes out "
	    "(%zu)", seen.total);
	ok(seen.max_chunk <= 65536, "gzip bomb: chunks of at most 64 KiB");
	ok(maxrss_kb() - before < 50 * 1024, "gzip bomb: peak RSS grew by "
	    "%ld kB (< 50 MB)", maxrss_kb() - before);
	free(b.p);
}

static void
test_zip(const struct parse_limits *lim)
{
	static const char xml[] = "<feedback/>";
	static const char *const one_n[] = { "report.xml" };
	static const char *const one_t[] = { xml };
	static const char *const two_n[] = { "readme.txt", "dir/", "r.XML" };
	static const char *const two_t[] = { "read me", "", xml };
	static const char *const five_n[] = { "a", "b", "c", "d", "e.xml" };
	static const char *const five_t[] = { "1", "2", "3", "4", xml };
	struct parse_error err;
	char	layers[256];
	struct blob z;
	enum parse_status st;

	z = make_zip(one_n, one_t, 1, false);
	st = run(&z, lim, layers, &err);
	is_int(st, PARSE_OK, "zip: ok");
	is_str(seen.buf, xml, "zip: the member's text");
	is_str(layers, "zip:report.xml", "zip: layers name the member");
	free(z.p);

	z = make_zip(two_n, two_t, 3, false);
	st = run(&z, lim, layers, &err);
	ok(st == PARSE_OK && strcmp(seen.buf, xml) == 0,
	    "zip: the .xml member is chosen over an earlier file");
	free(z.p);

	z = make_zip(five_n, five_t, 5, false);
	{
		struct parse_limits l = *lim;

		l.zip_members = 4;
		st = run(&z, &l, layers, &err);
		is_int(st, PARSE_LIMIT, "zip with 5 entries over a cap of 4: limit");
		is_str(err.reason, "zip archive has more than 4 entries",
		    "zip entries: reason");
	}
	free(z.p);

	z = make_zip(one_n, one_t, 1, true);
	st = run(&z, lim, layers, &err);
	is_int(st, PARSE_INVALID, "encrypted zip: invalid");
	is_str(err.reason, "zip member report.xml is encrypted",
	    "encrypted zip: reason");
	free(z.p);

	{
		struct blob g = gz(xml, strlen(xml));
		char   *t = calloc(1, g.len + 1);
		static const char *const gn[] = { "r.xml.gz" };
		const char *gt[1];

		/* A gzip member: libzip takes text, so no NUL in this gzip. */
		memcpy(t, g.p, g.len);
		gt[0] = t;
		if (strlen(t) == g.len) {
			z = make_zip(gn, gt, 1, false);
			st = run(&z, lim, layers, &err);
			ok(st == PARSE_OK && strcmp(seen.buf, xml) == 0,
			    "zip member holding gzip: inflated");
			is_str(layers, "zip:r.xml.gz > gzip",
			    "zip member holding gzip: layers");
			free(z.p);
		} else {
			/* Hand-made zip around the gzip bytes instead. */
			z = lying_zip("r.xml.gz", g.p, g.len, (uint32_t) g.len);
			st = run(&z, lim, layers, &err);
			ok(st == PARSE_OK && strcmp(seen.buf, xml) == 0,
			    "zip member holding gzip: inflated");
			is_str(layers, "zip:r.xml.gz > gzip",
			    "zip member holding gzip: layers");
			free(z.p);
		}
		free(t);
		free(g.p);
	}

	z = lying_zip("", xml, strlen(xml), (uint32_t) strlen(xml));
	st = run(&z, lim, layers, &err);
	ok(st == PARSE_OK && strcmp(seen.buf, xml) == 0,
	    "zip whose only member has an empty name: read (%s)", err.reason);
	is_str(layers, "zip:(empty name)", "empty member name: layers");
	free(z.p);

	{
		struct parse_limits l = *lim;
		size_t	n = 4 << 20;
		char   *big = calloc(1, n);

		memset(big, 'x', n);
		l.part_bytes = 65536;
		z = lying_zip("r.xml", big, n, 100);
		st = run(&z, &l, layers, &err);
		ok(st != PARSE_OK && seen.total <= l.part_bytes,
		    "zip with lying sizes: refused (%s), %zu bytes out",
		    err.reason, seen.total);
		l.part_bytes = (size_t) 64 << 20;
		st = run(&z, &l, layers, &err);
		ok(seen.total <= n, "zip with lying sizes, large cap: %s, "
		    "%zu bytes out (%s)", parse_status_name(st), seen.total,
		    err.reason);
		free(z.p);
		free(big);
	}

	{
		struct blob bad = { NULL, 0 };

		static const char junk[] = "PK\3\4garbage that is no zip";

		blob_add(&bad, junk, sizeof(junk) - 1);
		st = run(&bad, lim, layers, &err);
		ok(st == PARSE_INVALID && err.reason[0] != '\0',
		    "zip magic then garbage: invalid (%s)", err.reason);
		free(bad.p);
	}
}

/*
 * A big compressed part is inflated in a thread of its own while the
 * sink runs here: the text must arrive whole and in order, a sink that
 * says stop must stop it (without a hang), and a corrupt stream must
 * still give its reason.
 */
static void
test_threaded(const struct parse_limits *lim)
{
	static char text[KEEP];
	struct parse_error err;
	struct blob gz;
	char	layers[64];
	enum parse_status st;
	uint32_t x = 2463534242u;
	size_t	i;

	for (i = 0; i < sizeof(text); i++) {	/* compresses, not too well */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		text[i] = (char) ('a' + x % 26);
	}
	gz = deflate_blob(text, sizeof(text), 16 + 15);
	ok(gz.len >= (256 << 10), "a part of %zu compressed bytes", gz.len);
	st = run(&gz, lim, layers, &err);
	ok(st == PARSE_OK && seen.total == sizeof(text) &&
	    memcmp(seen.buf, text, sizeof(text)) == 0,
	    "threaded: the text arrives whole and in order");
	ok(seen.max_chunk <= 64 * 1024, "in chunks of at most 64 KiB");
	is_str(layers, "gzip", "threaded: the layers are named");
	memset(&seen, 0, sizeof(seen));
	seen.answer = PARSE_STOPPED;
	st = inflate_data(gz.p, gz.len, lim, sink, &seen, layers, 256, &err);
	ok(st == PARSE_STOPPED && seen.total <= 64 * 1024,
	    "threaded: the sink's stop ends it at once (%zu bytes)", seen.total);
	seen.answer = PARSE_OK;
	gz.len -= gz.len / 3;
	st = run(&gz, lim, layers, &err);
	ok(st == PARSE_INVALID && err.reason[0] != '\0',
	    "threaded: truncated gzip refused (%s)", err.reason);
	free(gz.p);
}

int
main(void)
{
	struct parse_limits lim;

	parse_limits_default(&lim);
	test_bomb(&lim);	/* first: the peak RSS is not yet raised */
	test_gzip(&lim);
	test_zip(&lim);
	test_threaded(&lim);
	return (done_testing());
}
