/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	inflate - gzip and zip, decoded as they stream, within caps
 * PURPOSE
 *	Turns the bytes of a report part into the report text. The data runs
 *	through a short chain of stages: a stage first looks at the two
 *	bytes it receives; gzip magic (1f 8b) makes it a gunzip stage whose
 *	output goes to a new stage of the same kind (so gzip inside gzip is
 *	found without trusting any name), anything else makes it a
 *	pass-through to the caller's sink. A zip archive is opened from the
 *	buffer with libzip and its report member is read in chunks into the
 *	same chain (a gzip member is thus unpacked too).
 *
 *	Every stage holds one output buffer of INFLATE_CHUNK bytes and its
 *	zlib state, and there are at most limits->gzip_layers + 1 stages, so
 *	memory does not grow with the size of what comes out. Sizes written
 *	in the data (the gzip trailer, a zip directory) are never trusted:
 *	the bytes that really leave are counted against limits->part_bytes.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zip.h>
#include <zlib.h>

#include "inflate.h"
#include "parse.h"
#include "relay.h"

/* Output chunk of every stage, and the unit read from a zip member. */
#define INFLATE_CHUNK	(64 * 1024)
/*
 * Compressed data from this size on is inflated in a thread of its own
 * (relay.h) while the caller's sink parses: for a report of some
 * megabytes the two halves then overlap; for a small one a thread would
 * cost more than it gains.
 */
#define INFLATE_THREAD_MIN	((size_t) 256 << 10)

/* A local file header, or the end record of an empty archive. */
static bool
is_zip(const unsigned char *data, size_t len)
{
	return (len >= 4 && data[0] == 'P' && data[1] == 'K' &&
	    ((data[2] == 3 && data[3] == 4) || (data[2] == 5 && data[3] == 6)));
}

enum stage_kind {
	STAGE_SNIFF,		/* not yet seen two bytes */
	STAGE_PASS,		/* plain data: hand it to the sink */
	STAGE_GZIP		/* gzip: inflate, output to the next stage */
};

enum gzip_state {
	GZ_MEMBER,		/* inside a gzip member */
	GZ_BETWEEN,		/* a member ended; another may follow */
	GZ_DONE			/* trailing garbage after a member: ignored */
};

struct inflate_run;

struct stage {
	struct inflate_run *run;
	struct stage *next;		/* output of a gzip stage; else NULL */
	enum stage_kind kind;
	unsigned char head[2];		/* the bytes seen while sniffing */
	size_t	nhead;
	z_stream zs;
	bool	zinit;			/* zs needs inflateEnd() */
	enum gzip_state gz;
	unsigned members;		/* gzip members completed */
	size_t	member_out;		/* output of the current member */
	unsigned char *obuf;		/* INFLATE_CHUNK bytes */
};

/* One call of inflate_data(). */
struct inflate_run {
	const struct parse_limits *limits;
	inflate_sink_fn sink;
	void   *arg;
	size_t	out;			/* bytes handed to the sink so far */
	unsigned gzip_layers;		/* gzip stages created */
	char   *layers;
	size_t	layers_size;
	struct parse_error *err;
};

static enum parse_status stage_push(struct stage *, const unsigned char *,
    size_t);

/* Appends " > what" (or "what" first) to the caller's layers text. */
static void
layers_add(struct inflate_run *run, const char *what, const char *name)
{
	size_t	used, i;

	if (run->layers == NULL || run->layers_size == 0)
		return;
	used = strlen(run->layers);
	if (used > 0 && used + 3 < run->layers_size) {
		memcpy(run->layers + used, " > ", 4);
		used += 3;
	}
	for (i = 0; what[i] != '\0' && used + 1 < run->layers_size; i++)
		run->layers[used++] = what[i];
	/* A member name is hostile text: no control characters in a log line. */
	for (i = 0; name != NULL && name[i] != '\0' &&
	    used + 1 < run->layers_size; i++)
		run->layers[used++] = ((unsigned char) name[i] < 0x20 ||
		    name[i] == 0x7f) ? '?' : name[i];
	run->layers[used] = '\0';
}

static struct stage *
stage_new(struct inflate_run *run)
{
	struct stage *st = calloc(1, sizeof(*st));

	if (st != NULL)
		st->run = run;
	return (st);
}

/* Frees a stage and the stages after it; NULL is fine. */
static void
stage_free(struct stage *st)
{
	struct stage *next;

	for (; st != NULL; st = next) {
		next = st->next;
		if (st->zinit)
			inflateEnd(&st->zs);
		free(st->obuf);
		free(st);
	}
}

/* The end of the chain: counts real bytes against part_bytes. */
static enum parse_status
run_output(struct inflate_run *run, const unsigned char *buf, size_t len)
{
	if (len > run->limits->part_bytes - run->out) {
		parse_error_set(run->err, "decompressed size exceeds %zu bytes",
		    run->limits->part_bytes);
		return (PARSE_LIMIT);
	}
	run->out += len;
	return (run->sink(run->arg, (const char *) buf, len));
}

static enum parse_status
stage_emit(struct stage *st, const unsigned char *buf, size_t len)
{
	if (len == 0)
		return (PARSE_OK);
	if (st->next != NULL)
		return (stage_push(st->next, buf, len));
	return (run_output(st->run, buf, len));
}

/* Turns a sniffing stage into a gunzip stage with a sniffing successor. */
static enum parse_status
stage_become_gzip(struct stage *st)
{
	struct inflate_run *run = st->run;

	if (run->gzip_layers >= run->limits->gzip_layers) {
		parse_error_set(run->err, "more than %u nested gzip layers",
		    run->limits->gzip_layers);
		return (PARSE_LIMIT);
	}
	if ((st->obuf = malloc(INFLATE_CHUNK)) == NULL ||
	    (st->next = stage_new(run)) == NULL)
		goto nomem;
	/* 16 + MAX_WBITS: gzip framing only; zlib or raw deflate is no gzip. */
	switch (inflateInit2(&st->zs, 16 + MAX_WBITS)) {
	case Z_OK:
		break;
	case Z_MEM_ERROR:
		goto nomem;
	default:
		parse_error_set(run->err, "zlib cannot be initialised");
		return (PARSE_INVALID);
	}
	st->zinit = true;
	st->kind = STAGE_GZIP;
	st->gz = GZ_MEMBER;
	run->gzip_layers++;
	layers_add(run, "gzip", NULL);
	return (PARSE_OK);
nomem:
	parse_error_set(run->err, "out of memory");
	return (PARSE_NOMEM);
}

/*
 * Inflates len bytes. Members follow one another (RFC 1952 allows a
 * concatenation); bytes after a complete member that are no gzip header
 * are ignored, as gzip(1) ignores them.
 */
static enum parse_status
gzip_push(struct stage *st, const unsigned char *buf, size_t len)
{
	enum parse_status ps;
	size_t	produced;
	int	zr;

	if (st->gz == GZ_DONE)
		return (PARSE_OK);
	st->zs.next_in = (Bytef *) buf;
	st->zs.avail_in = (uInt) len;	/* len <= INFLATE_CHUNK or 1 GiB */
	for (;;) {
		if (st->gz == GZ_BETWEEN) {
			if (st->zs.avail_in == 0)
				break;
			inflateReset(&st->zs);
			st->gz = GZ_MEMBER;
			st->member_out = 0;
		}
		st->zs.next_out = st->obuf;
		st->zs.avail_out = INFLATE_CHUNK;
		zr = inflate(&st->zs, Z_NO_FLUSH);
		produced = INFLATE_CHUNK - st->zs.avail_out;
		st->member_out += produced;
		if ((ps = stage_emit(st, st->obuf, produced)) != PARSE_OK)
			return (ps);
		if (zr == Z_STREAM_END) {
			st->members++;
			st->gz = GZ_BETWEEN;
			continue;
		}
		if (zr == Z_MEM_ERROR) {
			parse_error_set(st->run->err, "out of memory");
			return (PARSE_NOMEM);
		}
		if (zr == Z_DATA_ERROR || zr == Z_NEED_DICT ||
		    zr == Z_STREAM_ERROR) {
			if (st->members > 0 && st->member_out == 0) {
				st->gz = GZ_DONE;
				return (PARSE_OK);
			}
			parse_error_set(st->run->err, "gzip data corrupt: %s",
			    st->zs.msg != NULL ? st->zs.msg : "inflate error");
			return (PARSE_INVALID);
		}
		if (zr == Z_BUF_ERROR ||
		    (st->zs.avail_in == 0 && st->zs.avail_out != 0))
			break;
	}
	return (PARSE_OK);
}

/*
 * Feeds len bytes to a stage. Large inputs are cut in pieces that fit
 * zlib's 32-bit counters.
 */
static enum parse_status
stage_push(struct stage *st, const unsigned char *buf, size_t len)
{
	enum parse_status ps;
	size_t	n;

	while (st->kind == STAGE_SNIFF && len > 0) {
		st->head[st->nhead++] = *buf++;
		len--;
		if (st->nhead < 2)
			continue;
		if (st->head[0] == 0x1f && st->head[1] == 0x8b)
			ps = stage_become_gzip(st);
		else {
			st->kind = STAGE_PASS;
			ps = PARSE_OK;
		}
		if (ps == PARSE_OK)
			ps = stage_push(st, st->head, 2);
		if (ps != PARSE_OK)
			return (ps);
	}
	while (len > 0) {
		n = len > (1U << 30) ? (1U << 30) : len;
		if (st->kind == STAGE_GZIP)
			ps = gzip_push(st, buf, n);
		else if (st->kind == STAGE_PASS)
			ps = run_output(st->run, buf, n);
		else
			ps = PARSE_OK;
		if (ps != PARSE_OK)
			return (ps);
		buf += n;
		len -= n;
	}
	return (PARSE_OK);
}

/* Ends the input of a stage and of those after it. */
static enum parse_status
stage_finish(struct stage *st)
{
	enum parse_status ps;

	for (; st != NULL; st = st->next) {
		if (st->kind == STAGE_SNIFF) {
			/* Fewer than two bytes: no magic, plain data. */
			st->kind = STAGE_PASS;
			if ((ps = run_output(st->run, st->head, st->nhead)) !=
			    PARSE_OK)
				return (ps);
		}
		/* A last "member" that produced nothing is trailing garbage. */
		if (st->kind == STAGE_GZIP && st->gz == GZ_MEMBER &&
		    !(st->members > 0 && st->member_out == 0)) {
			parse_error_set(st->run->err, "gzip data truncated");
			return (PARSE_INVALID);
		}
	}
	return (PARSE_OK);
}

static bool
name_is_report(const char *name)
{
	size_t	n = strlen(name);

	return ((n >= 4 && strcasecmp(name + n - 4, ".xml") == 0) ||
	    (n >= 5 && strcasecmp(name + n - 5, ".json") == 0));
}

/*
 * Chooses the report member: the first regular entry named *.xml or
 * *.json, else the first regular entry with data. Returns its index or
 * -1; *sb gets its zip_stat.
 */
static zip_int64_t
zip_pick(zip_t *za, zip_int64_t n, zip_stat_t *sb)
{
	zip_int64_t i, first = -1;
	zip_stat_t s;
	size_t	len;

	for (i = 0; i < n; i++) {
		if (zip_stat_index(za, (zip_uint64_t) i, 0, &s) != 0 ||
		    !(s.valid & ZIP_STAT_NAME) || s.name == NULL)
			continue;
		len = strlen(s.name);
		if (len > 0 && s.name[len - 1] == '/')
			continue;	/* a directory */
		if (name_is_report(s.name)) {
			*sb = s;
			return (i);
		}
		if (first < 0 && (!(s.valid & ZIP_STAT_SIZE) || s.size > 0)) {
			first = i;
			*sb = s;
		}
	}
	return (first);
}

/* Reads member idx in chunks into the chain that starts at head. */
static enum parse_status
zip_read_member(struct inflate_run *run, zip_t *za, zip_int64_t idx,
    const char *name, struct stage *head)
{
	enum parse_status ps = PARSE_OK;
	unsigned char *buf;
	zip_file_t *zf;
	zip_int64_t got;

	if ((buf = malloc(INFLATE_CHUNK)) == NULL) {
		parse_error_set(run->err, "out of memory");
		return (PARSE_NOMEM);
	}
	if ((zf = zip_fopen_index(za, (zip_uint64_t) idx, 0)) == NULL) {
		parse_error_set(run->err, "zip member %s cannot be read: %s",
		    name, zip_strerror(za));
		free(buf);
		return (PARSE_INVALID);
	}
	while ((got = zip_fread(zf, buf, INFLATE_CHUNK)) > 0)
		if ((ps = stage_push(head, buf, (size_t) got)) != PARSE_OK)
			break;
	if (ps == PARSE_OK && got < 0) {
		parse_error_set(run->err, "zip member %s is corrupt: %s", name,
		    zip_file_strerror(zf));
		ps = PARSE_INVALID;
	}
	if (ps == PARSE_OK)
		ps = stage_finish(head);
	zip_fclose(zf);
	free(buf);
	return (ps);
}

/* Opens the archive in data[0..len) and decodes its report member. */
static enum parse_status
zip_run(struct inflate_run *run, const unsigned char *data, size_t len,
    struct stage *head)
{
	enum parse_status ps;
	zip_source_t *src;
	zip_error_t ze;
	zip_stat_t sb;
	zip_int64_t n, idx;
	zip_t  *za;
	const char *name;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(data, len, 0, &ze)) == NULL) {
		zip_error_fini(&ze);
		parse_error_set(run->err, "out of memory");
		return (PARSE_NOMEM);
	}
	if ((za = zip_open_from_source(src, ZIP_RDONLY, &ze)) == NULL) {
		parse_error_set(run->err, "zip archive unreadable: %s",
		    zip_error_strerror(&ze));
		zip_source_free(src);
		zip_error_fini(&ze);
		return (PARSE_INVALID);
	}
	zip_error_fini(&ze);
	n = zip_get_num_entries(za, 0);
	if (n > (zip_int64_t) run->limits->zip_members) {
		parse_error_set(run->err, "zip archive has more than %u entries",
		    run->limits->zip_members);
		ps = PARSE_LIMIT;
	} else if ((idx = zip_pick(za, n, &sb)) < 0) {
		parse_error_set(run->err, "zip archive holds no file");
		ps = PARSE_INVALID;
	} else {
		name = sb.name[0] != '\0' ? sb.name : "(empty name)";
		layers_add(run, "zip:", name);
		if ((sb.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
		    sb.encryption_method != ZIP_EM_NONE) {
			parse_error_set(run->err, "zip member %s is encrypted",
			    name);
			ps = PARSE_INVALID;
		} else
			ps = zip_read_member(run, za, idx, name, head);
	}
	zip_discard(za);
	return (ps);
}

/* The whole decoding, in the calling thread. */
static enum parse_status
inflate_here(const unsigned char *data, size_t len,
    const struct parse_limits *limits, inflate_sink_fn sink, void *arg,
    char *layers, size_t layers_size, struct parse_error *err)
{
	struct inflate_run run;
	struct stage *head;
	enum parse_status ps;

	memset(&run, 0, sizeof(run));
	run.limits = limits;
	run.sink = sink;
	run.arg = arg;
	run.layers = layers;
	run.layers_size = layers_size;
	run.err = err;
	if ((head = stage_new(&run)) == NULL) {
		parse_error_set(err, "out of memory");
		return (PARSE_NOMEM);
	}
	if (is_zip(data, len))
		ps = zip_run(&run, data, len, head);
	else if ((ps = stage_push(head, data, len)) == PARSE_OK)
		ps = stage_finish(head);
	stage_free(head);
	return (ps);
}

/* What the decoding thread is given; err is its own. */
struct inflate_job {
	const unsigned char *data;
	size_t	len;
	const struct parse_limits *limits;
	char   *layers;
	size_t	layers_size;
	struct parse_error err;
};

static enum parse_status
inflate_produce(void *arg, inflate_sink_fn sink, void *sink_arg)
{
	struct inflate_job *j = arg;

	return (inflate_here(j->data, j->len, j->limits, sink, sink_arg,
	    j->layers, j->layers_size, &j->err));
}

enum parse_status
inflate_data(const unsigned char *data, size_t len,
    const struct parse_limits *limits, inflate_sink_fn sink, void *arg,
    char *layers, size_t layers_size, struct parse_error *err)
{
	struct inflate_job job;
	enum parse_status ps;

	if (layers != NULL && layers_size > 0)
		layers[0] = '\0';
	if (len < INFLATE_THREAD_MIN || !(is_zip(data, len) ||
	    (len >= 2 && data[0] == 0x1f && data[1] == 0x8b)))
		return (inflate_here(data, len, limits, sink, arg, layers,
		    layers_size, err));
	/* Big and compressed: inflate in a thread while the sink parses. */
	memset(&job, 0, sizeof(job));
	job.data = data;
	job.len = len;
	job.limits = limits;
	job.layers = layers;
	job.layers_size = layers_size;
	ps = relay_run(inflate_produce, &job, sink, arg);
	if (job.err.reason[0] != '\0')
		parse_error_set(err, "%s", job.err.reason);
	return (ps);
}
