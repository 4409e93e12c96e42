/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	mime_walk - the MIME walk of a report e-mail (GMime 3)
 * PURPOSE
 *	Parses the message with GMime and visits its parts itself, so that
 *	the number of parts and the nesting are counted against the limits.
 *	A leaf is a report part when its media type or its file name says so
 *	(application/zip, .xml.gz, ...); an application/octet-stream without
 *	such a name is looked at by content. A message/feedback-report part
 *	is read with the returned message or headers that sit beside it in
 *	the same multipart.
 *
 *	A forwarded message/rfc822 part is walked (a report forwarded as an
 *	attachment is found), except where it is the returned original: a
 *	message/rfc822 directly inside multipart/report (a DSN's or an ARF
 *	report's copy of the mail it is about), or beside a
 *	message/feedback-report part. Such a copy is the subject of a report,
 *	not a report.
 *
 *	Every GMime object is released before returning; bytes leave this
 *	file only as plain buffers.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "extract.h"
#include "extract_part.h"
#include "mime_walk.h"
#include "parse.h"
#include "record.h"

/* Media types that hold a report (or a compressed one). */
static const char *const report_types[] = {
	"application/zip", "application/x-zip", "application/x-zip-compressed",
	"application/gzip", "application/x-gzip", "application/xml",
	"text/xml", "application/tlsrpt+gzip", "application/tlsrpt+json",
	"application/tlsrpt", "application/json", NULL
};

/* File name endings of a report; .xml.gz and .json.gz end in .gz. */
static const char *const report_suffixes[] = {
	".xml", ".json", ".gz", ".zip", NULL
};

struct mime_walk {
	struct extract_walk *w;
	unsigned parts;			/* parts looked at */
	const char *data;		/* the message GMime parses */
	size_t	len;
};

static void walk_object(struct mime_walk *, GMimeObject *, GMimeMultipart *,
    const char *path, unsigned depth, bool returned_original);

static bool
type_is(GMimeObject *obj, const char *type, const char *subtype)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);

	return (ct != NULL && g_mime_content_type_is_type(ct, type, subtype));
}

/* "type/subtype" in lower case into buf. */
static void
media_type(GMimeObject *obj, char *buf, size_t size)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *t = ct ? g_mime_content_type_get_media_type(ct) : NULL;
	const char *s = ct ? g_mime_content_type_get_media_subtype(ct) : NULL;
	size_t	i;

	snprintf(buf, size, "%s/%s", t ? t : "text", s ? s : "plain");
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] >= 'A' && buf[i] <= 'Z')
			buf[i] = (char) (buf[i] - 'A' + 'a');
}

static bool
in_list(const char *s, const char *const *list, bool suffix)
{
	size_t	n = strlen(s), m;

	for (; *list != NULL; list++) {
		m = strlen(*list);
		if (suffix ? (n > m && strcasecmp(s + n - m, *list) == 0) :
		    strcmp(s, *list) == 0)
			return (true);
	}
	return (false);
}

/* The decoded content of a leaf into a new memory stream, or NULL. */
static GMimeStream *
part_content(GMimePart *part)
{
	GMimeDataWrapper *dw = g_mime_part_get_content(part);
	GMimeStream *mem;

	if (dw == NULL)
		return (NULL);
	mem = g_mime_stream_mem_new();
	/* A truncated base64 body decodes as far as it goes. */
	if (g_mime_data_wrapper_write_to_stream(dw, mem) < 0) {
		g_object_unref(mem);
		return (NULL);
	}
	return (mem);
}

/* The first needle[0..n) in p[0..len), or NULL. */
static const char *
find(const char *p, size_t len, const char *needle, size_t n)
{
	const char *end = p + len, *q;

	for (q = p; n <= (size_t) (end - q) &&
	    (q = memchr(q, needle[0], (size_t) (end - q) - n + 1)) != NULL;
	    q++)
		if (memcmp(q, needle, n) == 0)
			return (q);
	return (NULL);
}

/*
 * The content of the message/rfc822 part child of mp as the message
 * has it, into a new memory stream (NULL when it cannot be found): from
 * the blank line after the part's last header field (GMime says where
 * that field is) to the line end before mp's next delimiter line, or to
 * the end of a truncated message. GMime reads such a part only as a
 * message, and one that is none (a single line "REDACTED") it writes
 * back as a blank line.
 */
static GMimeStream *
raw_content(const struct mime_walk *m, GMimeObject *child,
    GMimeMultipart *mp)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(child);
	const char *boundary = g_mime_multipart_get_boundary(mp);
	const char *p, *end = m->data + m->len, *q, *lf, *crlf;
	char	delim[128];
	int	n = hl ? g_mime_header_list_get_count(hl) : 0;
	gint64	off;

	if (n <= 0 || boundary == NULL || strlen(boundary) > 100)
		return (NULL);
	off = g_mime_header_get_offset(g_mime_header_list_get_header_at(hl,
	    n - 1));
	if (off < 0 || (guint64) off >= m->len)
		return (NULL);
	p = m->data + off;
	lf = find(p, (size_t) (end - p), "\n\n", 2);
	crlf = find(p, (size_t) (end - p), "\n\r\n", 3);
	if (lf == NULL && crlf == NULL)
		return (NULL);		/* no blank line after the fields */
	if (crlf == NULL || (lf != NULL && lf < crlf))
		p = lf + 1;		/* the blank line's own end */
	else
		p = crlf + 2;
	snprintf(delim, sizeof(delim), "\n--%s", boundary);
	if ((q = find(p, (size_t) (end - p), delim, strlen(delim))) == NULL)
		q = end;
	else if (q > p && q[-1] == '\r')
		q--;
	/* The blank line's own end is also the one before a delimiter. */
	p++;
	if (q < p)
		q = p;
	return (g_mime_stream_mem_new_with_buffer(p, (size_t) (q - p)));
}

/* A message with no header field is no RFC 5322 message. */
static bool
has_fields(GMimeMessage *msg)
{
	GMimeHeaderList *hl = msg ? g_mime_object_get_header_list(
	    GMIME_OBJECT(msg)) : NULL;

	return (hl != NULL && g_mime_header_list_get_count(hl) > 0);
}

/*
 * The returned message or headers beside a feedback report, or NULL. A
 * returned message that is not one is kept as its raw text.
 */
static GMimeStream *
arf_returned(const struct mime_walk *m, GMimeMultipart *mp,
    bool *headers_only)
{
	GMimeObject *child;
	GMimeMessage *msg;
	GMimeStream *mem;
	int	i, n = mp ? g_mime_multipart_get_count(mp) : 0;

	for (i = 0; i < n; i++) {
		child = g_mime_multipart_get_part(mp, i);
		if (GMIME_IS_MESSAGE_PART(child)) {
			msg = g_mime_message_part_get_message(
			    GMIME_MESSAGE_PART(child));
			if (!has_fields(msg) && (mem = raw_content(m, child,
			    mp)) != NULL) {
				*headers_only = false;
				return (mem);
			}
			if (msg == NULL)
				continue;
			mem = g_mime_stream_mem_new();
			g_mime_object_write_to_stream(GMIME_OBJECT(msg), NULL,
			    mem);
			*headers_only = false;
			return (mem);
		}
		/* text/rfc822-header (sic) is seen in the wild too. */
		if (GMIME_IS_PART(child) &&
		    (type_is(child, "text", "rfc822-headers") ||
		    type_is(child, "text", "rfc822-header"))) {
			*headers_only = true;
			return (part_content(GMIME_PART(child)));
		}
	}
	return (NULL);
}

/*
 * CRLF becomes LF, in place: returned headers read the same whether the
 * mail came through SMTP (CRLF) or from a file, as the returned message
 * does (GMime writes it with LF).
 */
static void
unix_newlines(GByteArray *a)
{
	guint	i, o = 0;

	for (i = 0; i < a->len; i++)
		if (a->data[i] != '\r' || i + 1 >= a->len ||
		    a->data[i + 1] != '\n')
			a->data[o++] = a->data[i];
	g_byte_array_set_size(a, o);
}

static void
walk_arf(struct mime_walk *m, GMimePart *part, GMimeMultipart *parent,
    const char *where)
{
	GMimeStream *fields, *ret;
	GByteArray *fa, *ra = NULL;
	bool	headers_only = false;

	if ((fields = part_content(part)) == NULL) {
		extract_fail(m->w, where, PARSE_INVALID,
		    "feedback report part has no content");
		return;
	}
	fa = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(fields));
	if ((ret = arf_returned(m, parent, &headers_only)) != NULL)
		ra = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(ret));
	if (ra != NULL)
		unix_newlines(ra);
	extract_arf(m->w, (const char *) fa->data, fa->len,
	    ra ? (const char *) ra->data : NULL, ra ? ra->len : 0,
	    headers_only, where);
	if (ret != NULL)
		g_object_unref(ret);
	g_object_unref(fields);
}

/* A leaf: a report part by type, name or content, or none of our business. */
static void
walk_leaf(struct mime_walk *m, GMimePart *part, GMimeMultipart *parent,
    const char *path)
{
	const char *name = g_mime_part_get_filename(part);
	char	type[128], where[400];
	GMimeStream *mem;
	GByteArray *ba;
	bool	claimed;

	media_type(GMIME_OBJECT(part), type, sizeof(type));
	snprintf(where, sizeof(where), "part %s (%s)", path,
	    name != NULL && name[0] != '\0' ? name : type);
	if (strcmp(type, "message/feedback-report") == 0) {
		walk_arf(m, part, parent, where);
		return;
	}
	claimed = in_list(type, report_types, false) ||
	    (name != NULL && in_list(name, report_suffixes, true));
	if (!claimed && strcmp(type, "application/octet-stream") != 0)
		return;
	if ((mem = part_content(part)) == NULL) {
		if (claimed)
			extract_fail(m->w, where, PARSE_INVALID,
			    "report part has no content");
		return;
	}
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	extract_part(m->w, ba->data, ba->len, where, claimed);
	g_object_unref(mem);
}

/* Records that a cap of the message was reached; the walk ends. */
static void
walk_limit(struct mime_walk *m, bool nesting)
{
	char	reason[128];

	snprintf(reason, sizeof(reason), nesting ?
	    "MIME parts nested deeper than %u levels" :
	    "more than %u MIME parts", nesting ?
	    m->w->limits->mime_depth : m->w->limits->mime_parts);
	m->w->halted = true;
	extract_fail(m->w, "message", PARSE_LIMIT, reason);
}

static void
walk_multipart(struct mime_walk *m, GMimeMultipart *mp, const char *path,
    unsigned depth)
{
	char	sub[256];
	bool	returned = type_is(GMIME_OBJECT(mp), "multipart", "report");
	int	i, n = g_mime_multipart_get_count(mp);

	for (i = 0; i < n && !returned; i++)
		returned = type_is(g_mime_multipart_get_part(mp, i), "message",
		    "feedback-report");
	for (i = 0; i < n && m->w->stop == PARSE_OK && !m->w->halted; i++) {
		snprintf(sub, sizeof(sub), "%s%s%d", path, path[0] ? "." : "",
		    i + 1);
		walk_object(m, g_mime_multipart_get_part(mp, i), mp, sub,
		    depth + 1, returned);
	}
}

/*
 * Visits one object. parent is the multipart that holds it (NULL at the
 * top or inside a message/rfc822); returned_original says that a
 * message/rfc822 here is the copy a report returns, not a forward.
 */
static void
walk_object(struct mime_walk *m, GMimeObject *obj, GMimeMultipart *parent,
    const char *path, unsigned depth, bool returned_original)
{
	GMimeMessage *msg;

	if (++m->parts > m->w->limits->mime_parts) {
		walk_limit(m, false);
		return;
	}
	if (depth > m->w->limits->mime_depth) {
		walk_limit(m, true);
		return;
	}
	if (GMIME_IS_MULTIPART(obj))
		walk_multipart(m, GMIME_MULTIPART(obj), path, depth);
	else if (GMIME_IS_MESSAGE_PART(obj)) {
		if (returned_original)
			return;
		msg = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		if (msg != NULL && g_mime_message_get_mime_part(msg) != NULL)
			walk_object(m, g_mime_message_get_mime_part(msg), NULL,
			    path, depth + 1, false);
	} else if (GMIME_IS_PART(obj))
		walk_leaf(m, GMIME_PART(obj), parent, path[0] ? path : "1");
}

/* Copies the addresses of list (group members too) into *to. */
static int
copy_addresses(InternetAddressList *list, struct strlist *to, char **first)
{
	InternetAddress *ia;
	const char *addr;
	int	i, n = list ? internet_address_list_length(list) : 0;

	for (i = 0; i < n; i++) {
		ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			if (copy_addresses(internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(ia)), to, first) < 0)
				return (-1);
			if (first != NULL && *first != NULL)
				return (0);	/* a member was the first */
			continue;
		}
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
			continue;
		addr = internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(ia));
		if (addr == NULL || addr[0] == '\0')
			continue;
		if (first != NULL) {
			*first = record_strdup(addr);
			return (*first == NULL ? -1 : 0);
		}
		if (strlist_add_str(to, addr) < 0)
			return (-1);
	}
	return (0);
}

/*
 * A copy of at most max bytes of a header value, cut where a UTF-8
 * character starts: a header line may be megabytes long, and a subject
 * or a message id longer than limits->field_bytes says nothing more.
 */
static char *
header_strdup(const char *v, size_t max)
{
	size_t	n = strnlen(v, max);

	if (v[n] != '\0')
		while (n > 0 && ((unsigned char) v[n] & 0xc0) == 0x80)
			n--;
	return (record_strndup(v, n));
}

/* A header value with its white space runs collapsed, or NULL. */
static char *
header_copy(const char *v, size_t max)
{
	char   *s, *d, *out;

	if (v == NULL)
		return (NULL);
	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	if ((out = header_strdup(v, max)) == NULL)
		return (NULL);
	for (s = d = out; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
			if (d > out && d[-1] == ' ')
				continue;
			*d++ = ' ';
		} else
			*d++ = *s;
	}
	while (d > out && d[-1] == ' ')
		d--;
	*d = '\0';
	return (out);
}

/* Fills *info from the headers; -1 when memory ran out. */
static int
fill_info(GMimeMessage *msg, struct message_info *info, size_t max)
{
	const char *v;

	if (copy_addresses(g_mime_message_get_from(msg), NULL,
	    &info->from) < 0 ||
	    copy_addresses(g_mime_message_get_to(msg), &info->to, NULL) < 0 ||
	    copy_addresses(g_mime_message_get_cc(msg), &info->to, NULL) < 0)
		return (-1);
	if ((v = g_mime_message_get_subject(msg)) != NULL &&
	    (info->subject = header_copy(v, max)) == NULL)
		return (-1);
	if ((v = g_mime_message_get_message_id(msg)) != NULL &&
	    (info->message_id = header_strdup(v, max)) == NULL)
		return (-1);
	v = g_mime_object_get_header(GMIME_OBJECT(msg), "Date");
	if (v != NULL && (info->date = header_copy(v, max)) == NULL)
		return (-1);
	return (0);
}

enum parse_status
mime_walk_message(struct extract_walk *w, const char *data, size_t len,
    struct message_info *info)
{
	struct mime_walk m = { w, 0, data, len };
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;
	GMimeObject *top;

	stream = g_mime_stream_mem_new_with_buffer(data, len);
	parser = g_mime_parser_new_with_stream(stream);
	msg = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	g_object_unref(stream);
	if (msg == NULL) {
		extract_fail(w, "message", PARSE_INVALID,
		    "unrecognised content");
		return (w->stop);
	}
	if (info != NULL &&
	    fill_info(msg, info, w->limits->field_bytes) < 0) {
		message_info_clear(info);
		extract_fail(w, "message", PARSE_NOMEM, "out of memory");
		w->stop = PARSE_NOMEM;
	}
	if ((top = g_mime_message_get_mime_part(msg)) != NULL)
		walk_object(&m, top, NULL, "", 0, false);
	g_object_unref(msg);
	return (w->stop);
}
