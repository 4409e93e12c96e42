/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	test_authres - Authentication-Results fields and the trust rule
 * PURPOSE
 *	RFC 8601 syntax (the examples of its appendix B among them:
 *	comments, quoted strings, a version, several results, "none"),
 *	field values that are no such syntax, DKIM alignment, and the rule
 *	of authres_message(): trusted authserv-ids only, the topmost field
 *	of each, above the first Received: only, aligned with From:.
 */
#include <string.h>

#include "authres.h"
#include "tap.h"

static void
parse_one(const char *v, enum parse_status want, const char *id, size_t n,
    struct authres *ar)
{
	struct parse_error err = { "" };
	enum parse_status st = authres_parse(v, strlen(v), ar, &err);

	if (!ok(st == want && strcmp(ar->authserv_id, id) == 0 &&
	    ar->n == n, "parse \"%s\"", v))
		diag("status %d (%s), id \"%s\", %zu results", (int) st,
		    err.reason, ar->authserv_id, ar->n);
}

static void
test_syntax(void)
{
	struct authres ar;

	parse_one("example.org 1; none", PARSE_OK, "example.org", 0, &ar);
	ok(ar.none, "\"none\" is no authentication at all");
	parse_one(" example.com;\r\n\tdkim=pass header.d=Example.COM "
	    "header.s=sel", PARSE_OK, "example.com", 1, &ar);
	is_str(ar.v[0].method, "dkim", "method");
	is_str(ar.v[0].result, "pass", "result");
	is_str(ar.v[0].header_d, "example.com", "header.d, lower-cased");
	parse_one("example.com; spf=pass smtp.mailfrom=example.net",
	    PARSE_OK, "example.com", 1, &ar);
	is_str(ar.v[0].header_d, "", "no header.d in an SPF result");
	/* RFC 8601 B.6, comments and versions included. */
	parse_one("example.com; dkim=pass reason=\"good signature\" "
	    "header.i=@mail-router.example.net; dkim=fail reason=\"bad "
	    "signature\" header.i=@newyork.example.com", PARSE_OK,
	    "example.com", 2, &ar);
	is_str(ar.v[1].result, "fail", "the second result");
	parse_one("foo.example.net (foobar) 1 (baz); dkim (Because I like "
	    "it) / 1 (One yay) = (wait for it) fail policy (A dot can go "
	    "here) . (like that) expired (this surprised me) = (as I wasn't "
	    "expecting it) 1362471462", PARSE_OK, "foo.example.net", 1, &ar);
	is_str(ar.v[0].method, "dkim", "B.7: comments between every token");
	is_str(ar.v[0].result, "fail", "B.7: the result between comments");
	parse_one("\"mx.example.org\"; dkim/1=pass header.d=\"a.example\"",
	    PARSE_OK, "mx.example.org", 1, &ar);
	is_str(ar.v[0].header_d, "a.example", "a quoted value");
	parse_one("mx.example.org (a comment (nested) \\) still); "
	    "dkim=pass header.d=x.example; spf=fail smtp.mailfrom=x.example;"
	    " dmarc=pass header.from=x.example;", PARSE_OK, "mx.example.org",
	    3, &ar);
	is_str(ar.v[2].method, "dmarc", "three results, a final ';'");
	parse_one("", PARSE_INVALID, "", 0, &ar);
	parse_one("mx.example.org", PARSE_INVALID, "mx.example.org", 0, &ar);
	parse_one("mx.example.org; dkim", PARSE_INVALID, "mx.example.org", 0,
	    &ar);
	parse_one("mx.example.org; dkim=pass header", PARSE_INVALID,
	    "mx.example.org", 0, &ar);
	parse_one("mx.example.org; dkim=pass d=x", PARSE_INVALID,
	    "mx.example.org", 0, &ar);
	parse_one("mx.example.org dkim=pass", PARSE_INVALID,
	    "mx.example.org", 0, &ar);
}

static void
test_aligned(void)
{
	ok(authres_aligned("example.com", "EXAMPLE.com."), "equal");
	ok(authres_aligned("mail.example.com", "example.com"), "a sub-domain");
	ok(authres_aligned("example.com", "dmarc.example.com"), "the parent");
	ok(!authres_aligned("a.example.com", "b.example.com"), "siblings");
	ok(!authres_aligned("example.com", "com"), "a TLD alone");
	ok(!authres_aligned("badexample.com", "example.com"), "a suffix only");
	ok(!authres_aligned("", "example.com"), "nothing");
}

static const char *const trusted[] = { "mx.example.org", "rspamd.local" };

static void
verdict(const char *mail, enum record_auth want, const char *name)
{
	is_str(authres_name(authres_message(mail, strlen(mail), trusted, 2)),
	    authres_name(want), name);
}

static void
test_rule(void)
{
	verdict("From: r@reporter.test\nSubject: x\n\nbody\n",
	    RECORD_AUTH_NONE, "no field: null");
	verdict("Authentication-Results: other.example; dkim=pass "
	    "header.d=reporter.test\nFrom: r@reporter.test\n\n",
	    RECORD_AUTH_NONE, "an untrusted authserv-id: null");
	verdict("Authentication-Results: MX.example.org; dkim=pass "
	    "header.d=reporter.test\r\nFrom: \"R\" <r@reporter.test>\r\n\r\n",
	    RECORD_AUTH_PASS, "trusted, aligned pass: true");
	verdict("Authentication-Results: mx.example.org;\n dkim=pass "
	    "header.d=mail.reporter.test\nFrom: Reports\n <r@Reporter.test>\n"
	    "\n", RECORD_AUTH_PASS, "folded fields, a sub-domain: true");
	verdict("Authentication-Results: mx.example.org; dkim=pass "
	    "header.d=elsewhere.test\nFrom: r@reporter.test\n\n",
	    RECORD_AUTH_FAIL, "a pass not aligned: false");
	verdict("Authentication-Results: mx.example.org; dkim=fail "
	    "header.d=reporter.test\nFrom: r@reporter.test\n\n",
	    RECORD_AUTH_FAIL, "dkim=fail: false");
	verdict("Authentication-Results: mx.example.org; none\n"
	    "From: r@reporter.test\n\n", RECORD_AUTH_FAIL, "none: false");
	verdict("Authentication-Results: mx.example.org; dkim=fail "
	    "header.d=reporter.test\nAuthentication-Results: mx.example.org; "
	    "dkim=pass header.d=reporter.test\nFrom: r@reporter.test\n\n",
	    RECORD_AUTH_FAIL, "only the topmost field of an id is read");
	verdict("Authentication-Results: rspamd.local; dkim=fail\n"
	    "Authentication-Results: mx.example.org; dkim=pass "
	    "header.d=reporter.test\nFrom: r@reporter.test\n\n",
	    RECORD_AUTH_PASS, "the topmost of each trusted id");
	verdict("Received: from a by b; Tue, 14 Nov 2023 22:13:20 +0000\n"
	    "Authentication-Results: mx.example.org; dkim=pass "
	    "header.d=reporter.test\nFrom: r@reporter.test\n\n",
	    RECORD_AUTH_NONE, "below a Received: it is not read");
	verdict("Authentication-Results: mx.example.org; dkim=pass "
	    "header.d=reporter.test\n\nFrom: r@reporter.test\n",
	    RECORD_AUTH_FAIL, "a From: in the body is no From:");
	verdict("<?xml version=\"1.0\"?>\n<feedback/>\n", RECORD_AUTH_NONE,
	    "a bare report file: null");
}

int
main(void)
{
	test_syntax();
	test_aligned();
	test_rule();
	return (done_testing());
}
