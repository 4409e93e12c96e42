/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	test_extract - the message walk: which parts are reports, and what
 *	the caller hears
 * PURPOSE
 *	Builds report mails at run time (base64 gzip attachments, forwards,
 *	multipart/report for TLS-RPT, ARF and DSNs, hostile nesting) and
 *	checks the reports delivered, their "where", the failures, the
 *	status and the reason. When $CORPUS is set, every sample of
 *	expected.jsonl is also run: valid ones give a report, invalid ones a
 *	status other than PARSE_OK and a reason.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "extract.h"
#include "parse.h"
#include "record.h"
#include "tap.h"

static const char dmarc_xml[] =
    "<?xml version=\"1.0\"?>\n<feedback><report_metadata>"
    "<org_name>example.org</org_name><email>dmarc@example.org</email>"
    "<report_id>r1</report_id><date_range><begin>1700000000</begin>"
    "<end>1700086399</end></date_range></report_metadata>"
    "<policy_published><domain>example.com</domain><p>none</p>"
    "</policy_published><record><row><source_ip>192.0.2.1</source_ip>"
    "<count>2</count><policy_evaluated><disposition>none</disposition>"
    "<dkim>pass</dkim><spf>pass</spf></policy_evaluated></row>"
    "<identifiers><header_from>example.com</header_from></identifiers>"
    "<auth_results><spf><domain>example.com</domain><result>pass</result>"
    "</spf></auth_results></record></feedback>\n";

static const char tls_json[] =
    "{\"organization-name\":\"Org\",\"date-range\":{\"start-datetime\":"
    "\"2024-01-01T00:00:00Z\",\"end-datetime\":\"2024-01-01T23:59:59Z\"},"
    "\"contact-info\":\"tls@example.org\",\"report-id\":\"t1\","
    "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":"
    "\"example.com\"},\"summary\":{\"total-successful-session-count\":1,"
    "\"total-failure-session-count\":0}}]}";

/* What the sink heard. */
struct heard {
	int	reports, failures;
	enum record_type types[8];
	char	where[8][256];
	char	fail_where[256], fail_reason[512];
	char	arf_message_head[64], arf_headers_head[64];
	enum parse_status answer;	/* on_report's answer */
};

static enum parse_status
on_report(void *arg, struct report *r, const char *where)
{
	struct heard *h = arg;

	if (h->reports < 8) {
		h->types[h->reports] = r->type;
		snprintf(h->where[h->reports], 256, "%s", where);
	}
	if (r->type == RECORD_ARF) {
		snprintf(h->arf_message_head, 64, "%s",
		    r->u.arf.message ? r->u.arf.message : "(null)");
		snprintf(h->arf_headers_head, 64, "%s",
		    r->u.arf.headers ? r->u.arf.headers : "(null)");
	}
	h->reports++;
	report_free(r);
	return (h->answer);
}

static void
on_failure(void *arg, const char *where, enum parse_status st,
    const char *reason)
{
	struct heard *h = arg;

	(void) st;
	if (h->failures++ == 0) {
		snprintf(h->fail_where, sizeof(h->fail_where), "%s", where);
		snprintf(h->fail_reason, sizeof(h->fail_reason), "%s", reason);
	}
}

static struct parse_limits lim;
static struct heard h;
static struct parse_error err;
static struct message_info info;

static enum parse_status
extract(const char *data, size_t len)
{
	struct extract_sink sink = { NULL, on_report, on_failure, &h };

	memset(&h, 0, sizeof(h));
	message_info_clear(&info);
	parse_error_clear(&err);
	return (extract_message(data, len, &lim, &sink, &info, &err));
}

static enum parse_status
extract_str(const char *s)
{
	return (extract(s, strlen(s)));
}

/* A growing string. */
struct buf {
	char   *p;
	size_t	len;
};

static void
add(struct buf *b, const char *s, size_t n)
{
	b->p = realloc(b->p, b->len + n + 1);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
adds(struct buf *b, const char *s)
{
	add(b, s, strlen(s));
}

static void
base64(struct buf *b, const unsigned char *p, size_t len)
{
	static const char al[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t	i, col = 0;
	char	q[4];

	for (i = 0; i < len; i += 3) {
		unsigned v = (unsigned) p[i] << 16;

		v |= i + 1 < len ? (unsigned) p[i + 1] << 8 : 0;
		v |= i + 2 < len ? p[i + 2] : 0;
		q[0] = al[(v >> 18) & 63];
		q[1] = al[(v >> 12) & 63];
		q[2] = i + 1 < len ? al[(v >> 6) & 63] : '=';
		q[3] = i + 2 < len ? al[v & 63] : '=';
		add(b, q, 4);
		if ((col += 4) == 76) {
			adds(b, "\n");
			col = 0;
		}
	}
	adds(b, "\n");
}

static struct buf
gzip_of(const char *s)
{
	struct buf b = { NULL, 0 };
	unsigned char out[65536];
	z_stream zs;

	memset(&zs, 0, sizeof(zs));
	deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	zs.next_in = (Bytef *) s;
	zs.avail_in = (uInt) strlen(s);
	zs.next_out = out;
	zs.avail_out = sizeof(out);
	deflate(&zs, Z_FINISH);
	add(&b, (char *) out, sizeof(out) - zs.avail_out);
	deflateEnd(&zs);
	return (b);
}

/* A base64 attachment part (headers and body) of the gzip of text. */
static void
attachment(struct buf *b, const char *type, const char *name,
    const char *text)
{
	struct buf g = gzip_of(text);
	char	hdr[512];

	if (name != NULL)
		snprintf(hdr, sizeof(hdr), "Content-Type: %s; name=\"%s\"\n"
		    "Content-Transfer-Encoding: base64\n"
		    "Content-Disposition: attachment; filename=\"%s\"\n\n",
		    type, name, name);
	else
		snprintf(hdr, sizeof(hdr), "Content-Type: %s\n"
		    "Content-Transfer-Encoding: base64\n\n", type);
	adds(b, hdr);
	base64(b, (unsigned char *) g.p, g.len);
	free(g.p);
}

static const char headers[] =
    "From: \"DMARC Reporter\" <noreply-dmarc@example.org>\n"
    "To: dmarc@example.com, Other <other@example.com>\n"
    "Cc: cc@example.com\n"
    "Subject: =?UTF-8?Q?Report_domain=3A_example.com?=\n"
    "Message-ID: <abc123@example.org>\n"
    "Date: Tue, 14 Nov 2023 10:00:00\n +0000\n"
    "MIME-Version: 1.0\n";

static struct buf
dmarc_mail(void)
{
	struct buf b = { NULL, 0 };

	adds(&b, headers);
	adds(&b, "Content-Type: multipart/mixed; boundary=\"BB\"\n\n"
	    "--BB\nContent-Type: text/plain\n\nThis is a DMARC report.\n"
	    "--BB\n");
	attachment(&b, "application/gzip",
	    "example.org!example.com!1700000000!1700086399.xml.gz", dmarc_xml);
	adds(&b, "--BB--\n");
	return (b);
}

static void
test_dmarc_mail(void)
{
	struct buf m = dmarc_mail(), crlf = { NULL, 0 }, fwd = { NULL, 0 };
	enum parse_status st;
	size_t	i;

	st = extract(m.p, m.len);
	is_int(st, PARSE_OK, "multipart/mixed with a base64 gzip attachment");
	ok(h.reports == 1 && h.types[0] == RECORD_DMARC, "one DMARC report");
	is_str(h.where[0], "part 2 "
	    "(example.org!example.com!1700000000!1700086399.xml.gz) > gzip",
	    "where names the part and the gzip");
	is_str(info.from, "noreply-dmarc@example.org", "info: From address");
	is_str(info.subject, "Report domain: example.com", "info: Subject decoded");
	ok(info.to.n == 3 && strcmp(info.to.v[1], "other@example.com") == 0 &&
	    strcmp(info.to.v[2], "cc@example.com") == 0, "info: To and Cc");
	is_str(info.message_id, "abc123@example.org", "info: Message-ID");
	is_str(info.date, "Tue, 14 Nov 2023 10:00:00 +0000", "info: Date");

	for (i = 0; i < m.len; i++) {
		if (m.p[i] == '\n')
			add(&crlf, "\r\n", 2);
		else
			add(&crlf, m.p + i, 1);
	}
	st = extract(crlf.p, crlf.len);
	ok(st == PARSE_OK && h.reports == 1, "the same mail with CRLF");
	is_str(info.subject, "Report domain: example.com", "CRLF: Subject");

	adds(&fwd, "From: a@example.net\nSubject: Fwd: report\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"FF\"\n\n--FF\n"
	    "Content-Type: text/plain\n\nSee attached.\n--FF\n"
	    "Content-Type: message/rfc822\n\n");
	add(&fwd, m.p, m.len);
	adds(&fwd, "--FF--\n");
	st = extract(fwd.p, fwd.len);
	ok(st == PARSE_OK && h.reports == 1, "a report forwarded as message/rfc822");
	is_str(h.where[0], "part 2.2 "
	    "(example.org!example.com!1700000000!1700086399.xml.gz) > gzip",
	    "forwarded: where");
	is_str(info.from, "a@example.net", "forwarded: From of the outer mail");
	free(m.p);
	free(crlf.p);
	free(fwd.p);
}

static void
test_two_and_stop(void)
{
	struct buf b = { NULL, 0 };
	struct extract_sink sink = { NULL, on_report, on_failure, &h };
	enum parse_status st;

	adds(&b, headers);
	adds(&b, "Content-Type: multipart/mixed; boundary=\"BB\"\n\n--BB\n");
	attachment(&b, "application/octet-stream", "a.xml.gz", dmarc_xml);
	adds(&b, "--BB\n");
	attachment(&b, "application/tlsrpt+gzip", NULL, tls_json);
	adds(&b, "--BB--\n");
	st = extract(b.p, b.len);
	ok(st == PARSE_OK && h.reports == 2 && h.types[0] == RECORD_DMARC &&
	    h.types[1] == RECORD_TLS, "two reports in one message");
	is_str(h.where[1], "part 2 (application/tlsrpt+gzip) > gzip",
	    "a part without a name: where gives its type");

	memset(&h, 0, sizeof(h));
	h.answer = PARSE_NOMEM;
	parse_error_clear(&err);
	st = extract_message(b.p, b.len, &lim, &sink, NULL, &err);
	ok(st == PARSE_NOMEM && h.reports == 1,
	    "on_report's status stops the walk and is returned");
	free(b.p);
}

static void
test_nesting(void)
{
	struct buf b = { NULL, 0 };
	enum parse_status st;
	char	line[64];
	int	i;

	adds(&b, "From: x@example.org\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"TOP\"\n\n--TOP\n");
	attachment(&b, "application/gzip", "first.xml.gz", dmarc_xml);
	adds(&b, "--TOP\n");
	for (i = 0; i < 100; i++) {
		snprintf(line, sizeof(line), "Content-Type: multipart/mixed; "
		    "boundary=\"b%d\"\n\n--b%d\n", i, i);
		adds(&b, line);
	}
	adds(&b, "Content-Type: text/plain\n\ndeep\n");
	for (i = 99; i >= 0; i--) {
		snprintf(line, sizeof(line), "--b%d--\n", i);
		adds(&b, line);
	}
	adds(&b, "--TOP--\n");
	st = extract(b.p, b.len);
	ok(st == PARSE_OK && h.reports == 1,
	    "100-deep nesting after a report: the report is kept");
	ok(h.failures == 1 && strstr(h.fail_reason, "nested deeper") != NULL,
	    "100-deep nesting: a limit failure (%s)", h.fail_reason);

	free(b.p);
	b.p = NULL;
	b.len = 0;
	adds(&b, "From: x@example.org\nMIME-Version: 1.0\n");
	for (i = 0; i < 100; i++) {
		snprintf(line, sizeof(line), "Content-Type: multipart/mixed; "
		    "boundary=\"b%d\"\n\n--b%d\n", i, i);
		adds(&b, line);
	}
	st = extract(b.p, b.len);
	is_int(st, PARSE_LIMIT, "100-deep nesting alone: limit");
	ok(strstr(err.reason, "nested deeper than 32") != NULL,
	    "nesting: reason (%s)", err.reason);

	free(b.p);
	b.p = NULL;
	b.len = 0;
	adds(&b, "From: x@example.org\nMIME-Version: 1.0\n");
	for (i = 0; i < 5000; i++) {
		snprintf(line, sizeof(line), "Content-Type: multipart/mixed; "
		    "boundary=\"b%d\"\n\n--b%d\n", i, i);
		adds(&b, line);
	}
	st = extract(b.p, b.len);
	ok(st == PARSE_LIMIT && strstr(err.reason, "MIME parts") != NULL,
	    "5000-deep nesting: refused before parsing (%s)", err.reason);
	free(b.p);
}

static void
test_broken_parts(void)
{
	struct buf m = dmarc_mail(), b = { NULL, 0 };
	enum parse_status st;
	char   *cut;

	/* Cut the base64 in the middle of a line and end the mail there. */
	cut = strstr(m.p, "base64\n");
	cut = strchr(cut + 8, '\n');
	add(&b, m.p, (size_t) (cut - m.p) + 30);
	st = extract(b.p, b.len);
	ok(st == PARSE_INVALID && h.failures == 1,
	    "truncated base64: invalid, no crash (%s)", err.reason);
	free(b.p);
	b.p = NULL;
	b.len = 0;

	adds(&b, "From: x@example.org\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"BB\"\n\n--BB\n"
	    "Content-Type: application/gzip; name=\"r.xml.gz\"\n"
	    "Content-Transfer-Encoding: base64\n\naGVsbG8gd29ybGQ=\n--BB--\n");
	st = extract(b.p, b.len);
	is_int(st, PARSE_INVALID, "a gzip part holding plain words: invalid");
	is_str(err.reason, "unrecognised content", "plain words: reason");
	is_str(h.fail_where, "part 1 (r.xml.gz)", "failure: where");
	free(b.p);
	b.p = NULL;
	b.len = 0;

	adds(&b, "From: x@example.org\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"BB\"\n\n--BB\n"
	    "Content-Type: application/octet-stream; name=\"scan.pdf\"\n"
	    "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--BB--\n");
	st = extract(b.p, b.len);
	ok(st == PARSE_NOT_REPORT && h.failures == 0,
	    "an octet-stream PDF: no report, no failure");
	free(b.p);
	free(m.p);

	{
		struct parse_limits save = lim;

		m = dmarc_mail();
		lim.message_bytes = 100;
		st = extract(m.p, m.len);
		ok(st == PARSE_LIMIT && strstr(err.reason, "message") != NULL,
		    "message_bytes cap: limit (%s)", err.reason);
		lim = save;
		free(m.p);
	}
}

static void
test_report_types(void)
{
	struct buf b = { NULL, 0 };
	enum parse_status st;
	static const char arf_head[] =
	    "From: fbl@isp.example\nTo: abuse@example.com\n"
	    "Subject: FW: spam\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/report; report-type=feedback-report;\n"
	    "\tboundary=\"AA\"\n\n--AA\nContent-Type: text/plain\n\n"
	    "This is an abuse report.\n--AA\n"
	    "Content-Type: message/feedback-report\n\n"
	    "Feedback-Type: abuse\nUser-Agent: test/1.0\nVersion: 1\n"
	    "Source-IP: 192.0.2.7\n\n--AA\n";

	adds(&b, "From: tls@example.org\nSubject: Report\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/report; report-type=\"tlsrpt\";\n"
	    " boundary=\"TT\"\n\n--TT\nContent-Type: text/plain\n\nTLS\n--TT\n");
	attachment(&b, "application/tlsrpt+gzip",
	    "example.org!example.com!1704067200!1704153599!t1.json.gz",
	    tls_json);
	adds(&b, "--TT--\n");
	st = extract(b.p, b.len);
	ok(st == PARSE_OK && h.reports == 1 && h.types[0] == RECORD_TLS,
	    "multipart/report tlsrpt: a TLS report");
	free(b.p);
	b.p = NULL;
	b.len = 0;

	adds(&b, arf_head);
	adds(&b, "Content-Type: message/rfc822\n\nFrom: spammer@example.net\n"
	    "Subject: buy now\n\nspam body\n--AA--\n");
	st = extract(b.p, b.len);
	ok(st == PARSE_OK && h.reports == 1 && h.types[0] == RECORD_ARF,
	    "ARF with message/rfc822: an ARF report");
	ok(strncmp(h.arf_message_head, "From: spammer@example.net", 25) == 0,
	    "ARF: the returned message is kept");
	is_str(h.where[0], "part 2 (message/feedback-report)", "ARF: where");
	free(b.p);
	b.p = NULL;
	b.len = 0;

	/* A returned part that is no RFC 5322 message is kept as it is. */
	adds(&b, arf_head);
	adds(&b, "Content-Type: message/rfc822\n"
	    "Content-Disposition: inline\n\nREDACTED\n--AA--\n");
	st = extract(b.p, b.len);
	ok(st == PARSE_OK && h.reports == 1 && h.types[0] == RECORD_ARF,
	    "ARF with a returned part \"REDACTED\": an ARF report");
	is_str(h.arf_message_head, "REDACTED", "  the part kept as its text");
	free(b.p);
	b.p = NULL;
	b.len = 0;
	adds(&b, arf_head);
	adds(&b, "Content-Type: message/rfc822\n\n"
	    "(message removed)\nby policy\n\n--AA--\n");
	st = extract(b.p, b.len);
	is_str(h.arf_message_head, "(message removed)\nby policy\n",
	    "  two lines and a blank one: kept, LF");
	free(b.p);
	b.p = NULL;
	b.len = 0;
	adds(&b, arf_head);
	adds(&b, "Content-Type: message/rfc822\n\nREDACTED");
	st = extract(b.p, b.len);
	is_str(h.arf_message_head, "REDACTED", "  cut off before the "
	    "delimiter: kept to the end");
	free(b.p);
	b.p = NULL;
	b.len = 0;

	adds(&b, arf_head);
	adds(&b, "Content-Type: text/rfc822-headers\n\nFrom: spammer@example.net\n"
	    "Subject: buy now\n--AA--\n");
	st = extract(b.p, b.len);
	ok(st == PARSE_OK && h.reports == 1 && h.types[0] == RECORD_ARF &&
	    strncmp(h.arf_headers_head, "From: spammer", 13) == 0,
	    "ARF with text/rfc822-headers: headers kept");
	free(b.p);
	b.p = NULL;
	b.len = 0;

	/* As it comes through SMTP: CRLF line ends, kept as LF. */
	{
		struct buf crlf = { NULL, 0 };
		size_t	j;

		adds(&b, arf_head);
		adds(&b, "Content-Type: text/rfc822-headers\n\n"
		    "From: spammer@example.net\nSubject: buy now\n\n--AA--\n");
		for (j = 0; j < b.len; j++)
			add(&crlf, b.p[j] == '\n' ? "\r\n" : b.p + j,
			    b.p[j] == '\n' ? 2 : 1);
		(void) extract(crlf.p, crlf.len);
		is_str(h.arf_headers_head, "From: spammer@example.net\n"
		    "Subject: buy now\n", "ARF headers with CRLF: kept with LF, "
		    "as the returned message is");
		free(crlf.p);
	}
	free(b.p);
	b.p = NULL;
	b.len = 0;

	/* A DSN returning a mail that itself carried a DMARC report. */
	{
		struct buf inner = dmarc_mail();

		adds(&b, "From: MAILER-DAEMON@example.org\n"
		    "Subject: Undelivered Mail\nMIME-Version: 1.0\n"
		    "Content-Type: multipart/report; "
		    "report-type=delivery-status; boundary=\"DD\"\n\n--DD\n"
		    "Content-Type: text/plain\n\nCould not deliver.\n--DD\n"
		    "Content-Type: message/delivery-status\n\n"
		    "Reporting-MTA: dns; mx.example.org\n\n"
		    "Final-Recipient: rfc822; dmarc@example.com\n"
		    "Action: failed\nStatus: 5.1.1\n\n--DD\n"
		    "Content-Type: message/rfc822\n\n");
		add(&b, inner.p, inner.len);
		adds(&b, "--DD--\n");
		free(inner.p);
	}
	st = extract(b.p, b.len);
	ok(st == PARSE_NOT_REPORT && h.reports == 0,
	    "a DSN returning a report mail: not a report");
	is_str(err.reason, "no report found", "DSN: reason");
	free(b.p);
}

static void
test_bare(void)
{
	struct buf g = gzip_of(dmarc_xml);
	enum parse_status st;

	st = extract(g.p, g.len);
	ok(st == PARSE_OK && h.reports == 1, "bare .xml.gz");
	is_str(h.where[0], "file > gzip", "bare gzip: where");
	is_str(info.from, NULL, "bare file: no From");
	st = extract_str("\xef\xbb\xbf  \n" "{\"x\": 1}");
	ok(st == PARSE_INVALID && h.failures == 1,
	    "bare JSON after a BOM: read as TLS-RPT (%s)", err.reason);
	st = extract_str(tls_json);
	ok(st == PARSE_OK && h.types[0] == RECORD_TLS, "bare TLS-RPT JSON");
	st = extract("", 0);
	is_int(st, PARSE_INVALID, "empty input: invalid");
	is_str(err.reason, "empty file", "empty input: reason");
	st = extract_str("x\x9c\x01\x02 binary");
	is_int(st, PARSE_INVALID, "neither mail nor report: invalid");
	is_str(err.reason, "unrecognised content", "neither: reason");
	st = extract_str("From: a@example.org\nSubject: hi\n\nhello\n");
	is_int(st, PARSE_NOT_REPORT, "plain mail: not a report");
	free(g.p);
}

/* The corpus against expected.jsonl: valid gives a report, invalid not. */
static void
test_corpus(void)
{
	const char *dir = getenv("CORPUS");
	char	path[1024], line[1 << 16], name[512], *p, *q, *data;
	FILE   *fp, *f;
	long	n;
	int	files = 0, good = 0;
	bool	valid;
	enum parse_status st;

	if (dir == NULL)
		return;
	snprintf(path, sizeof(path), "%s/expected.jsonl", dir);
	if ((fp = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if ((p = strstr(line, "\"file\": \"")) == NULL ||
		    (q = strchr(p + 9, '"')) == NULL)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int) (q - p - 9), p + 9);
		valid = strstr(line, "\"valid\": true") != NULL;
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if ((f = fopen(path, "rb")) == NULL)
			continue;
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		fseek(f, 0, SEEK_SET);
		data = malloc((size_t) n + 1);
		n = (long) fread(data, 1, (size_t) n, f);
		fclose(f);
		st = extract(data, (size_t) n);
		files++;
		if (valid ? (st == PARSE_OK && h.reports >= 1) :
		    (st != PARSE_OK && err.reason[0] != '\0'))
			good++;
		else
			diag("corpus %s: %s (%s), %d report(s)", name,
			    parse_status_name(st), err.reason, h.reports);
		free(data);
	}
	fclose(fp);
	ok(files > 0 && good == files, "corpus: %d of %d samples as expected",
	    good, files);
}

int
main(void)
{
	extract_init();
	parse_limits_default(&lim);
	test_dmarc_mail();
	test_two_and_stop();
	test_nesting();
	test_broken_parts();
	test_report_types();
	test_bare();
	test_corpus();
	message_info_clear(&info);
	extract_shutdown();
	return (done_testing());
}
