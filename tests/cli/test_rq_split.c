/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	test_rq_split - mbox messages, export objects, the StoreDir line
 * PURPOSE
 *	How import takes an mbox apart (separators only after an empty
 *	line, the sender of the "From " line, mboxrd unquoting, LF and CRLF),
 *	finds the objects of an export (one a line, an array, pretty objects
 *	one after another, braces inside strings), tells an export from a
 *	bare TLS report, and how the StoreDir default is read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_json.h"
#include "tap.h"
#include "rq.h"
#include "rq_object.h"
#include "rq_split.h"

/* The messages of an mbox text, joined by "|", senders by ",". */
static void
split(const char *text, char *msgs, size_t msize, char *senders,
    size_t ssize)
{
	struct rq_cursor c;
	const char *m;
	char	sender[64];
	size_t	len;

	msgs[0] = senders[0] = '\0';
	rq_cursor_init(&c, text, strlen(text));
	while (rq_mbox_next(&c, &m, &len, sender, sizeof(sender)) == 1) {
		if (msgs[0] != '\0') {
			strncat(msgs, "|", msize - strlen(msgs) - 1);
			strncat(senders, ",", ssize - strlen(senders) - 1);
		}
		strncat(msgs, m, len < msize - strlen(msgs) - 1 ? len :
		    msize - strlen(msgs) - 1);
		strncat(senders, sender, ssize - strlen(senders) - 1);
	}
}

static void
mbox(void)
{
	char	msgs[512], senders[128], *out;
	const char *q;
	size_t	len;

	ok(rq_split_is_mbox("From a@b Thu Jan  1 00:00:00 2026\n", 34),
	    "an mbox opens with From_");
	ok(!rq_split_is_mbox("From: a@b\n", 10), "From: is a header, no mbox");
	split("From a@example.com Thu Jan  1 00:00:00 2026\nSubject: 1\n\n"
	    "body\n\nFrom b@example.com Thu Jan  1 00:00:01 2026\nSubject: 2\n"
	    "\nbody\nFrom here on, a body line\n\n", msgs, sizeof(msgs), senders,
	    sizeof(senders));
	is_str(msgs, "Subject: 1\n\nbody\n|Subject: 2\n\nbody\nFrom here on, "
	    "a body line\n", "two messages; a From line after text is body");
	is_str(senders, "a@example.com,b@example.com", "senders of From_ lines");
	split("From x Thu Jan  1 00:00:00 2026\r\nA: 1\r\n\r\nb\r\n\r\n"
	    "From y Thu Jan  1 00:00:00 2026\r\nA: 2\r\n", msgs, sizeof(msgs),
	    senders, sizeof(senders));
	is_str(msgs, "A: 1\r\n\r\nb\r\n|A: 2\r\n", "CRLF line ends");
	split("From MAILER-DAEMON Thu Jan  1 00:00:00 2026\nA: 1\n", msgs,
	    sizeof(msgs), senders, sizeof(senders));
	is_str(msgs, "A: 1\n", "one message, no empty line at the end");
	q = "a\n>From x\n>>From y\n>Fromage\n";
	ok(rq_mbox_unescape(q, strlen(q), &out, &len) == 1 && strcmp(out, "a\nFrom x\n>From y\n>Fromage\n") == 0 &&
	    len == strlen(out), "mboxrd: one '>' less before From ");
	free(out);
	ok(rq_mbox_unescape("a\nb >From\n", 10, &out, &len) == 0 &&
	    out == NULL, "nothing to unquote: no copy");
}

/* The objects of text, joined by "|"; the last status in *rc. */
static void
objects(const char *text, char *out, size_t size, int *rc)
{
	struct rq_cursor c;
	const char *o;
	size_t	len;

	out[0] = '\0';
	rq_cursor_init(&c, text, strlen(text));
	while ((*rc = rq_json_next(&c, &o, &len)) == 1) {
		if (out[0] != '\0')
			strncat(out, "|", size - strlen(out) - 1);
		strncat(out, o, len < size - strlen(out) - 1 ? len :
		    size - strlen(out) - 1);
	}
}

static void
json(void)
{
	char	out[256];
	int	rc;

	objects("{\"@type\":\"A\",\"s\":\"}{\\\"\"}\n{\"@type\":\"B\"}\n", out,
	    sizeof(out), &rc);
	is_str(out, "{\"@type\":\"A\",\"s\":\"}{\\\"\"}|{\"@type\":\"B\"}",
	    "ndjson; braces and quotes inside strings");
	ok(rc == 0, "ends cleanly");
	objects("[\n{\n  \"a\": {\"b\": [1, {}]}\n},\n{\"c\": 2}\n]\n", out,
	    sizeof(out), &rc);
	is_str(out, "{\n  \"a\": {\"b\": [1, {}]}\n}|{\"c\": 2}",
	    "an array of pretty objects");
	objects("{\"a\":1} 42", out, sizeof(out), &rc);
	ok(rc == -1 && strcmp(out, "{\"a\":1}") == 0, "not an object: -1");
	objects("{\"a\":\"open", out, sizeof(out), &rc);
	ok(rc == -1 && out[0] == '\0', "an object cut short: -1");
	ok(rq_split_is_export("{\"@type\":\"DmarcExternalReport\"}", 31),
	    "ndjson export");
	ok(rq_split_is_export("[\n  {\n    \"@type\": \"X\"", 22),
	    "array export");
	ok(!rq_split_is_export("{\"organization-name\":\"x\"}", 25),
	    "a TLS report is no export");
	ok(!rq_split_is_export("<feedback/>", 11), "XML is no export");
}

/* A DMARC report of n records, each its own source IP. */
static struct external_report *
big_report(size_t n)
{
	struct external_report *x = external_report_new();
	struct dmarc_report *d;
	struct dmarc_record r;
	char	ip[32];
	size_t	i;

	x->report = report_new(RECORD_DMARC);
	d = &x->report->u.dmarc;
	d->org_name = strdup("reporter.example");
	d->email = strdup("dmarc@reporter.example");
	d->report_id = strdup("big");
	d->policy_domain = strdup("example.com");
	x->id = strdup("0000001");
	for (i = 0; i < n; i++) {
		memset(&r, 0, sizeof(r));
		snprintf(ip, sizeof(ip), "10.%zu.%zu.%zu", i >> 16,
		    (i >> 8) & 255, i & 255);
		r.source_ip = strdup(ip);
		r.count = i;
		r.envelope_from = strdup("");
		r.header_from = strdup("example.com");
		(void) dmarc_report_add_record(d, &r);
	}
	return (x);
}

static void
records_member(void)
{
	struct external_report *x = big_report(2), *t = external_report_new();
	struct external_report *y;
	struct parse_error err = { "" };
	const char *rec;
	char   *text;
	size_t	rlen;

	/* A string and a member of another name that look like records. */
	free(x->report->u.dmarc.report_id);
	x->report->u.dmarc.report_id = strdup("\"records\":[2]");
	free(x->report->u.dmarc.policy_domain);
	x->report->u.dmarc.policy_domain = strdup("{\"records\":[1]}");
	text = record_json_write(x, RECORD_JSON_TYPE, NULL);
	ok(rq_object_read_head(text, strlen(text), &y, NULL, &rec, &rlen,
	    &err) == PARSE_OK && rec != NULL && rlen > 2 &&
	    strncmp(rec, "[{\"sourceIp\":\"10.0.0.0\"", 23) == 0 &&
	    rec[rlen - 1] == ']' &&
	    y->report->u.dmarc.n_records == 0 &&
	    strcmp(y->report->u.dmarc.report_id, "\"records\":[2]") == 0,
	    "the records of the report member, not a string that looks so");
	external_report_free(y);
	free(text);
	t->report = report_new(RECORD_TLS);
	t->report->u.tls.report_id = strdup("t");
	text = record_json_write(t, RECORD_JSON_TYPE, NULL);
	ok(rq_object_read_head(text, strlen(text), &y, NULL, &rec, &rlen,
	    &err) == PARSE_OK && rec == NULL && rlen == 0 &&
	    y->report->type == RECORD_TLS, "a TLS report has none");
	external_report_free(y);
	free(text);
	external_report_free(t);
	external_report_free(x);
}

/* Moves a batch of records into the report arg. */
static enum parse_status
take(void *arg, struct dmarc_record *recs, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (dmarc_report_add_record(arg, &recs[i]) < 0)
			return (PARSE_NOMEM);
		memset(&recs[i], 0, sizeof(recs[i]));
	}
	return (PARSE_OK);
}

/* An exported object read back as import reads it: head, then records. */
static enum parse_status
read_object(const char *text, struct external_report **y)
{
	struct parse_error err = { "" };
	enum parse_status st;
	const char *rec;
	size_t	rlen;

	if ((st = rq_object_read_head(text, strlen(text), y, NULL, &rec, &rlen,
	    &err)) != PARSE_OK || rec == NULL)
		return (st);
	if ((st = record_json_read_records_each(rec, rlen, 1000, take,
	    &(*y)->report->u.dmarc, &err)) != PARSE_OK) {
		external_report_free(*y);
		*y = NULL;
	}
	return (st);
}

static void
read_back(void)
{
	struct external_report *x = big_report(2007), *y = NULL;
	char   *want, *got = NULL, *pretty;

	want = record_json_write(x, RECORD_JSON_TYPE, NULL);
	ok(read_object(want, &y) == PARSE_OK &&
	    (got = record_json_write(y, RECORD_JSON_TYPE, NULL)) != NULL &&
	    strcmp(got, want) == 0 && y->report->u.dmarc.n_records == 2007,
	    "a report of three batches reads back the same");
	free(got);
	external_report_free(y);
	pretty = record_json_write(x, RECORD_JSON_TYPE | RECORD_JSON_PRETTY,
	    NULL);
	got = NULL;
	ok(read_object(pretty, &y) == PARSE_OK &&
	    (got = record_json_write(y, RECORD_JSON_TYPE, NULL)) != NULL &&
	    strcmp(got, want) == 0, "pretty JSON too");
	free(got);
	free(pretty);
	external_report_free(y);
	free(want);
	want = strdup("{\"@type\":\"DmarcExternalReport\",\"report\":"
	    "{\"records\":[{\"count\":1},{\"count\":\"x\"}]}}");
	ok(read_object(want, &y) == PARSE_INVALID && y == NULL,
	    "a bad record: refused, nothing returned");
	free(want);
	external_report_free(x);
}

static bool
conf_dir(const char *conf, char *buf, size_t size)
{
	FILE   *fp = fmemopen((void *) conf, strlen(conf), "r");
	bool	found = rq_config_store_dir(fp, buf, size);

	fclose(fp);
	return (found);
}

static void
config(void)
{
	char	buf[64];

	ok(conf_dir("# x\nSocket inet:8891\nStoreDir /var/lib/rm\n", buf,
	    sizeof(buf)) && strcmp(buf, "/var/lib/rm") == 0, "StoreDir DIR");
	ok(conf_dir("storedir = \"/srv/r m\"  \n", buf, sizeof(buf)) &&
	    strcmp(buf, "/srv/r m") == 0, "any case, '=', quotes");
	ok(conf_dir("StoreDir /a\nStoreDir /b#c # later\n", buf, sizeof(buf)) &&
	    strcmp(buf, "/b#c") == 0, "the last line counts; '#' after a "
	    "space opens a comment");
	ok(!conf_dir("#StoreDir /a\nStoreDirs /b\nStoreDir\n", buf,
	    sizeof(buf)), "comments, other keys and no value: none");
}

int
main(void)
{
	mbox();
	json();
	records_member();
	read_back();
	config();
	return (done_testing());
}
