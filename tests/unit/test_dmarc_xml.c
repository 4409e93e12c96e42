/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	test_dmarc_xml - the streaming DMARC aggregate report parser
 * PURPOSE
 *	Hand-made reports for every shape and oddity the parser promises to
 *	read (RFC 7489, RFC 9990 with a namespace, legacy <identities>,
 *	decimal timestamps, upper-case and legacy results, unknown override
 *	types and elements), every refusal (wrong root, not well-formed,
 *	truncated, missing dates, nesting, oversized values), the hostile
 *	inputs (billion laughs, external entities), chunking (one byte at a
 *	time reads as one chunk), the batch callback over 100,000 records,
 *	and the real samples of the corpus (tests/corpus) against facts taken from
 *	its expected.jsonl.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "tap.h"
#include "dmarc_xml.h"
#include "parse.h"
#include "record.h"
#include "record_json.h"

static struct parse_limits limits;

/* Parses text in one piece; *out is the report or NULL. */
static enum parse_status
parse(const char *text, struct report **out, struct parse_error *err)
{
	parse_error_clear(err);
	return (dmarc_xml_parse(text, strlen(text), &limits, out, err));
}

/* The value of the extension called name, or NULL. */
static const char *
ext(const struct dmarc_extension *v, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return (v[i].definition);
	return (NULL);
}

static const char rfc7489[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
    "<feedback>\n"
    " <report_metadata>\n"
    "  <org_name>acme.com</org_name>\n"
    "  <email>noreply-dmarc-support@acme.com</email>\n"
    "  <extra_contact_info>http://acme.com/dmarc/support</extra_contact_info>\n"
    "  <report_id>9391651994964116463</report_id>\n"
    "  <date_range><begin>1335571200</begin><end> 1335657599 </end></date_range>\n"
    "  <error>first problem</error><error>second &amp; last</error>\n"
    " </report_metadata>\n"
    " <policy_published>\n"
    "  <domain>example.com</domain><adkim>r</adkim><aspf>Strict</aspf>\n"
    "  <p>reject</p><sp>QUARANTINE</sp><pct>50</pct><fo>0:1:d:s</fo>\n"
    " </policy_published>\n"
    " <record>\n"
    "  <row>\n"
    "   <source_ip>2001:db8::1</source_ip><count>2</count>\n"
    "   <policy_evaluated><disposition>none</disposition>\n"
    "    <dkim>fail</dkim><spf>pass</spf>\n"
    "    <reason><type>forwarded</type><comment>via list</comment></reason>\n"
    "    <reason><type>sampled_out</type></reason>\n"
    "   </policy_evaluated>\n"
    "  </row>\n"
    "  <identifiers><envelope_to>rcpt.example</envelope_to>\n"
    "   <envelope_from>bounce.example.com</envelope_from>\n"
    "   <header_from>example.com</header_from></identifiers>\n"
    "  <auth_results>\n"
    "   <dkim><domain>example.com</domain><selector>s1</selector>\n"
    "    <result>fail</result><human_result>body hash</human_result></dkim>\n"
    "   <dkim><domain>esp.example</domain><selector>s2</selector>\n"
    "    <result>pass</result></dkim>\n"
    "   <spf><domain>example.com</domain><scope>mfrom</scope>\n"
    "    <result>pass</result></spf>\n"
    "   <spf><domain>mx.example.com</domain><scope>helo</scope>\n"
    "    <result>softfail</result></spf>\n"
    "  </auth_results>\n"
    " </record>\n"
    " <record><row><source_ip>192.0.2.7</source_ip><count>40</count>\n"
    "  <policy_evaluated><disposition>reject</disposition><dkim>fail</dkim>\n"
    "  <spf>fail</spf></policy_evaluated></row>\n"
    "  <identifiers><header_from>example.com</header_from></identifiers>\n"
    "  <auth_results/></record>\n"
    "</feedback>\n";

static void
test_rfc7489(void)
{
	struct parse_error err;
	struct report *r;
	const struct dmarc_report *d;
	const struct dmarc_record *x;

	is_int(parse(rfc7489, &r, &err), PARSE_OK, "RFC 7489 report parses");
	if (r == NULL)
		return;
	d = &r->u.dmarc;
	ok(d->version == 1.0, "version defaults to 1.0");
	is_str(d->org_name, "acme.com", "org_name");
	is_str(d->email, "noreply-dmarc-support@acme.com", "email");
	is_str(d->extra_contact_info, "http://acme.com/dmarc/support",
	    "extra_contact_info");
	is_str(d->report_id, "9391651994964116463", "report_id");
	is_int(d->date_range_begin, 1335571200, "date begin");
	is_int(d->date_range_end, 1335657599, "date end (white space trimmed)");
	is_int(d->errors.n, 2, "two <error>s");
	if (d->errors.n == 2)
		is_str(d->errors.v[1], "second & last", "<error> text, entity decoded");
	is_str(d->policy_domain, "example.com", "policy domain");
	is_int(d->policy_adkim, DMARC_ALIGN_RELAXED, "adkim r is relaxed");
	is_int(d->policy_aspf, DMARC_ALIGN_STRICT, "aspf Strict is strict");
	is_int(d->policy_disposition, DMARC_DISP_REJECT, "p reject");
	is_int(d->policy_subdomain_disposition, DMARC_DISP_QUARANTINE,
	    "sp QUARANTINE is quarantine");
	ok(d->policy_testing_mode, "pct 50 is testing mode");
	is_int(d->policy_fo, DMARC_FO_ALL | DMARC_FO_ANY | DMARC_FO_DKIM |
	    DMARC_FO_SPF, "fo 0:1:d:s is all four options");
	is_str(ext(d->ext, d->n_ext, "pct"), "50", "pct kept as an extension");
	is_str(d->policy_version, NULL, "no policyVersion");
	is_int(d->n_records, 2, "two records");
	if (d->n_records != 2)
		goto out;
	x = &d->records[0];
	is_str(x->source_ip, "2001:db8::1", "IPv6 source_ip");
	is_int(x->count, 2, "count");
	is_int(x->evaluated_disposition, DMARC_ACTION_NONE, "disposition none");
	is_int(x->evaluated_dkim, DMARC_RESULT_FAIL, "evaluated dkim fail");
	is_int(x->evaluated_spf, DMARC_RESULT_PASS, "evaluated spf pass");
	is_int(x->n_overrides, 2, "two reasons");
	if (x->n_overrides == 2) {
		is_int(x->overrides[0].type, DMARC_OVERRIDE_FORWARDED, "forwarded");
		is_str(x->overrides[0].comment, "via list", "reason comment");
		is_int(x->overrides[1].type, DMARC_OVERRIDE_SAMPLED_OUT,
		    "sampled_out is SampledOut");
		is_str(x->overrides[1].comment, NULL, "no comment is null");
	}
	is_str(x->envelope_to, "rcpt.example", "envelope_to");
	is_str(x->envelope_from, "bounce.example.com", "envelope_from");
	is_str(x->header_from, "example.com", "header_from");
	is_int(x->n_dkim, 2, "two dkim results");
	is_int(x->n_spf, 2, "two spf results");
	if (x->n_dkim == 2 && x->n_spf == 2) {
		is_str(x->dkim[0].selector, "s1", "dkim selector");
		is_int(x->dkim[0].result, DKIM_RESULT_FAIL, "dkim fail");
		is_str(x->dkim[0].human_result, "body hash", "dkim human_result");
		is_str(x->dkim[1].domain, "esp.example", "second dkim domain");
		is_int(x->spf[0].scope, SPF_SCOPE_MAIL_FROM, "mfrom is mailFrom");
		is_int(x->spf[1].scope, SPF_SCOPE_HELO, "helo");
		is_int(x->spf[1].result, SPF_RESULT_SOFT_FAIL, "softfail");
	}
	x = &d->records[1];
	is_str(x->envelope_from, "", "missing envelope_from is \"\"");
	is_str(x->envelope_to, NULL, "missing envelope_to is null");
	is_int(x->n_dkim + x->n_spf, 0, "empty auth_results");
out:
	report_free(r);
}

static const char rfc9990[] =
    "<?xml version=\"1.0\"?>\n"
    "<dmarc:feedback xmlns:dmarc=\"urn:ietf:params:xml:ns:dmarc-2.0\">\n"
    " <dmarc:version>2.0</dmarc:version>\n"
    " <dmarc:report_metadata>\n"
    "  <dmarc:org_name>example.net</dmarc:org_name>\n"
    "  <dmarc:email>postmaster@example.net</dmarc:email>\n"
    "  <dmarc:report_id>bis-1</dmarc:report_id>\n"
    "  <dmarc:date_range><dmarc:begin>1700000000</dmarc:begin>\n"
    "   <dmarc:end>1700086399</dmarc:end></dmarc:date_range>\n"
    "  <dmarc:generator>Mailer 1.2</dmarc:generator>\n"
    " </dmarc:report_metadata>\n"
    " <dmarc:policy_published>\n"
    "  <dmarc:domain>example.com</dmarc:domain>\n"
    "  <dmarc:discovery_method>treewalk</dmarc:discovery_method>\n"
    "  <dmarc:p>reject</dmarc:p><dmarc:sp>quarantine</dmarc:sp>\n"
    "  <dmarc:np>reject</dmarc:np><dmarc:testing>y</dmarc:testing>\n"
    "  <dmarc:fo>1</dmarc:fo>\n"
    " </dmarc:policy_published>\n"
    " <dmarc:record>\n"
    "  <dmarc:row><dmarc:source_ip>198.51.100.1</dmarc:source_ip>\n"
    "   <dmarc:count>5</dmarc:count><dmarc:policy_evaluated>\n"
    "   <dmarc:disposition>none</dmarc:disposition>\n"
    "   <dmarc:dkim>pass</dmarc:dkim><dmarc:spf>pass</dmarc:spf>\n"
    "   </dmarc:policy_evaluated></dmarc:row>\n"
    "  <dmarc:identifiers><dmarc:header_from>example.com</dmarc:header_from>\n"
    "  </dmarc:identifiers>\n"
    "  <dmarc:auth_results><dmarc:dkim><dmarc:domain>example.com</dmarc:domain>\n"
    "   <dmarc:selector>sel</dmarc:selector><dmarc:result>pass</dmarc:result>\n"
    "  </dmarc:dkim></dmarc:auth_results>\n"
    "  <dmarc:extensions><dmarc:extension name=\"rec-ext\" definition=\"https://x.example/spec\">\n"
    "   <data>1</data></dmarc:extension></dmarc:extensions>\n"
    "  <dmarc:vendor_note>hello</dmarc:vendor_note>\n"
    " </dmarc:record>\n"
    " <dmarc:extensions><dmarc:extension name=\"rpt-ext\">text</dmarc:extension>\n"
    " </dmarc:extensions>\n"
    "</dmarc:feedback>\n";

static void
test_rfc9990(void)
{
	struct parse_error err;
	struct report *r;
	const struct dmarc_report *d;
	const struct dmarc_record *x;

	is_int(parse(rfc9990, &r, &err), PARSE_OK,
	    "RFC 9990 report with a namespace prefix parses");
	if (r == NULL)
		return;
	d = &r->u.dmarc;
	ok(d->version == 2.0, "version 2.0");
	is_str(d->report_id, "bis-1", "report_id through the prefix");
	is_str(ext(d->ext, d->n_ext, "generator"), "Mailer 1.2",
	    "generator is an extension");
	is_str(ext(d->ext, d->n_ext, "np"), "reject", "np is an extension");
	is_str(ext(d->ext, d->n_ext, "discovery_method"), "treewalk",
	    "discovery_method is an extension");
	is_str(ext(d->ext, d->n_ext, "testing"), "y", "testing kept too");
	is_str(ext(d->ext, d->n_ext, "rpt-ext"), "text",
	    "report <extension> without definition: its text");
	ok(d->policy_testing_mode, "testing y is testing mode");
	is_int(d->policy_fo, DMARC_FO_ANY, "fo 1 is any");
	is_int(d->policy_adkim, DMARC_ALIGN_UNSPECIFIED,
	    "absent adkim is unspecified");
	is_int(d->n_records, 1, "one record");
	if (d->n_records != 1)
		goto out;
	x = &d->records[0];
	is_int(x->count, 5, "count");
	is_str(ext(x->ext, x->n_ext, "rec-ext"), "https://x.example/spec",
	    "record <extension name definition>");
	is_str(ext(x->ext, x->n_ext, "vendor_note"), "hello",
	    "unknown record element is a record extension");
	is_int(x->n_dkim, 1, "dkim result");
	is_int(x->n_spf, 0, "no spf result");
out:
	report_free(r);
}

/* A minimal report around one record body (a printf format, one %s). */
#define HEAD \
    "<feedback><report_metadata><org_name>o</org_name><email>e</email>" \
    "<report_id>id</report_id><date_range><begin>1</begin><end>2</end>" \
    "</date_range></report_metadata><policy_published><domain>d" \
    "</domain></policy_published>"
#define TAIL "</feedback>"

/* Parses HEAD body TAIL; the report or NULL. */
static struct report *
parse_record(const char *body, enum parse_status *st, struct parse_error *err)
{
	char	buf[8192];
	struct report *r;

	snprintf(buf, sizeof(buf), "%s%s%s", HEAD, body, TAIL);
	*st = parse(buf, &r, err);
	return (r);
}

/* A default namespace, and a prefix nobody declared, read as none. */
static void
test_namespaces(void)
{
	static const char *const open[] = {
	    "<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">",
	    "<ns1:feedback>",
	};
	static const char *const close[] = { "</feedback>", "</ns1:feedback>" };
	char	buf[1024];
	struct parse_error err;
	struct report *r;
	size_t	i;

	for (i = 0; i < 2; i++) {
		snprintf(buf, sizeof(buf), "%s%s%s", open[i],
		    HEAD + strlen("<feedback>"), close[i]);
		is_int(parse(buf, &r, &err), PARSE_OK, i == 0 ?
		    "default namespace" : "undeclared prefix on the root");
		ok(r != NULL && strcmp(r->u.dmarc.report_id, "id") == 0,
		    "... report_id read");
		report_free(r);
	}
}

static void
test_legacy(void)
{
	struct parse_error err;
	enum parse_status st;
	struct report *r;
	const struct dmarc_record *x;

	r = parse_record("<record><row><source_ip>192.0.2.1</source_ip>"
	    "<count>3</count><policy_evaluated><disposition>Pass</disposition>"
	    "<dkim>Pass</dkim><spf>PASS</spf></policy_evaluated></row>"
	    "<identities><header_from>h.example</header_from>"
	    "<envelope_from>e.example</envelope_from></identities>"
	    "<auth_results>"
	    "<spf><domain>a</domain><result>hardfail</result></spf>"
	    "<spf><domain>b</domain><result>unknown</result></spf>"
	    "<spf><domain>c</domain><result>error</result></spf>"
	    "<spf><domain>d</domain><result>Soft-Fail</result></spf>"
	    "<spf><domain>e</domain><result>TempError</result><scope>MailFrom</scope></spf>"
	    "<spf><domain>f</domain><result>weird</result><scope>odd</scope></spf>"
	    "<dkim><domain>g</domain><result>temperror</result></dkim>"
	    "<dkim><domain>h</domain><result>permerror</result></dkim>"
	    "<dkim><result>bogus</result><human_result>why</human_result></dkim>"
	    "<dkim><result></result></dkim>"
	    "</auth_results></record>", &st, &err);
	is_int(st, PARSE_OK, "legacy <identities> record parses");
	if (r == NULL || r->u.dmarc.n_records != 1)
		goto out;
	x = &r->u.dmarc.records[0];
	is_str(x->header_from, "h.example", "identities header_from");
	is_str(x->envelope_from, "e.example", "identities envelope_from");
	is_int(x->evaluated_disposition, DMARC_ACTION_PASS, "disposition Pass");
	is_int(x->evaluated_dkim, DMARC_RESULT_PASS, "dkim Pass is pass");
	is_int(x->evaluated_spf, DMARC_RESULT_PASS, "spf PASS is pass");
	if (x->n_spf != 6 || x->n_dkim != 4) {
		ok(0, "six spf and four dkim results");
		goto out;
	}
	is_int(x->spf[0].result, SPF_RESULT_FAIL, "hardfail is fail");
	is_int(x->spf[1].result, SPF_RESULT_PERM_ERROR, "unknown is permError");
	is_int(x->spf[2].result, SPF_RESULT_TEMP_ERROR, "error is tempError");
	is_int(x->spf[3].result, SPF_RESULT_SOFT_FAIL, "Soft-Fail is softFail");
	is_int(x->spf[4].result, SPF_RESULT_TEMP_ERROR, "TempError");
	is_int(x->spf[4].scope, SPF_SCOPE_MAIL_FROM, "MailFrom scope");
	is_int(x->spf[0].scope, SPF_SCOPE_UNSPECIFIED, "absent scope");
	is_int(x->spf[5].result, SPF_RESULT_NONE, "unknown spf result is none");
	is_str(x->spf[5].human_result, "weird", "... its text in humanResult");
	is_str(ext(x->ext, x->n_ext, "scope"), "odd",
	    "unknown scope kept as a record extension");
	is_int(x->dkim[0].result, DKIM_RESULT_TEMP_ERROR, "dkim temperror");
	is_int(x->dkim[1].result, DKIM_RESULT_PERM_ERROR, "dkim permerror");
	is_int(x->dkim[2].result, DKIM_RESULT_NONE, "unknown dkim result");
	is_str(x->dkim[2].human_result, "bogus: why",
	    "... its text before the human_result");
	is_str(x->dkim[2].domain, "", "missing dkim domain is \"\"");
	is_str(x->dkim[2].selector, "", "missing selector is \"\"");
	is_str(x->dkim[3].human_result, NULL, "empty result: no humanResult");
out:
	report_free(r);
}

static void
test_overrides(void)
{
	struct parse_error err;
	enum parse_status st;
	struct report *r;
	const struct dmarc_record *x;

	r = parse_record("<record><row><source_ip>192.0.2.1</source_ip>"
	    "<count>1</count><policy_evaluated><disposition>quarantine"
	    "</disposition><dkim>fail</dkim><spf>fail</spf>"
	    "<reason><type>TrustedForwarder</type></reason>"
	    "<reason><type>mailing-list</type></reason>"
	    "<reason><type>LOCAL_POLICY</type></reason>"
	    "<reason><type>other</type><comment>c</comment></reason>"
	    "<reason><type>policy_test_mode</type><comment>pct</comment></reason>"
	    "<reason><type>arc</type></reason>"
	    "<reason><comment>no type</comment></reason>"
	    "</policy_evaluated></row>"
	    "<identifiers><header_from>h</header_from></identifiers>"
	    "</record>", &st, &err);
	is_int(st, PARSE_OK, "override reasons parse");
	if (r == NULL || r->u.dmarc.n_records != 1 ||
	    r->u.dmarc.records[0].n_overrides != 7) {
		ok(0, "seven reasons");
		goto out;
	}
	x = &r->u.dmarc.records[0];
	is_int(x->overrides[0].type, DMARC_OVERRIDE_TRUSTED_FORWARDER,
	    "TrustedForwarder");
	is_int(x->overrides[1].type, DMARC_OVERRIDE_MAILING_LIST,
	    "mailing-list");
	is_int(x->overrides[2].type, DMARC_OVERRIDE_LOCAL_POLICY,
	    "LOCAL_POLICY");
	is_int(x->overrides[3].type, DMARC_OVERRIDE_OTHER, "other");
	is_str(x->overrides[3].comment, "c", "other keeps its comment");
	is_int(x->overrides[4].type, DMARC_OVERRIDE_OTHER,
	    "unknown type is Other");
	is_str(x->overrides[4].comment, "policy_test_mode: pct",
	    "... its text before the comment");
	is_str(x->overrides[5].comment, "arc", "... or as the comment");
	is_int(x->overrides[6].type, DMARC_OVERRIDE_OTHER, "no type is Other");
	is_str(x->overrides[6].comment, "no type", "... comment kept");
out:
	report_free(r);
}

static void
test_values(void)
{
	struct parse_error err;
	enum parse_status st;
	struct report *r;
	const struct dmarc_report *d;
	const char *doc =
	    "<feedback><version>1.0</version><report_metadata><org_name/>"
	    "<report_id>x</report_id><date_range><begin>1337270400.0</begin>"
	    "<end>1337356799.999</end></date_range>"
	    "<unknown-tag1><unknown-tag2>in</unknown-tag2></unknown-tag1>"
	    "</report_metadata>"
	    "<policy_published><domain>d</domain><adkim/><aspf>relaxed</aspf>"
	    "<p>bogus</p><pct>100</pct><fo>d:x</fo><testing>n</testing>"
	    "<version_published>DMARC1</version_published>"
	    "</policy_published>"
	    "<record><row><source_ip>10.0.0.1</source_ip>"
	    "<count>many</count><policy_evaluated><disposition/>"
	    "<dkim>softfail</dkim></policy_evaluated></row></record>"
	    "<record><row><source_ip>10.0.0.300</source_ip>"
	    "</row></record></feedback>";

	st = parse(doc, &r, &err);
	is_int(st, PARSE_OK, "odd values do not lose the report");
	if (r == NULL)
		return;
	d = &r->u.dmarc;
	is_int(d->date_range_begin, 1337270400, "decimal begin truncated");
	is_int(d->date_range_end, 1337356799, "decimal end truncated");
	is_str(d->org_name, "", "empty org_name is \"\"");
	is_str(d->email, "", "missing email is \"\"");
	is_int(d->policy_adkim, DMARC_ALIGN_UNSPECIFIED, "empty adkim");
	is_int(d->policy_aspf, DMARC_ALIGN_RELAXED, "aspf relaxed");
	is_int(d->policy_disposition, DMARC_DISP_UNSPECIFIED,
	    "unknown p is unspecified");
	is_str(ext(d->ext, d->n_ext, "p"), "bogus", "... its text kept");
	ok(!d->policy_testing_mode, "pct 100 and testing n: not testing");
	is_int(d->policy_fo, DMARC_FO_DKIM, "fo d:x keeps d");
	is_str(ext(d->ext, d->n_ext, "fo"), "d:x", "... and the text");
	is_str(d->policy_version, "DMARC1", "version_published is policyVersion");
	is_str(ext(d->ext, d->n_ext, "unknown-tag1"), "in",
	    "unknown metadata element is a report extension");
	is_int(d->n_records, 2, "both records kept");
	is_int(d->errors.n, 2, "two record errors");
	if (d->errors.n == 2) {
		is_str(d->errors.v[0], "record 1: <count> is not a number: 'many'",
		    "bad count named");
		is_str(d->errors.v[1],
		    "record 2: <source_ip> is not an IP address: '10.0.0.300'",
		    "bad address named");
	}
	if (d->n_records == 2) {
		is_int(d->records[0].count, 0, "bad count is 0");
		is_int(d->records[0].evaluated_dkim, DMARC_RESULT_UNSPECIFIED,
		    "evaluated dkim softfail is unspecified");
		is_str(ext(d->records[0].ext, d->records[0].n_ext, "dkim"),
		    "softfail", "... kept as a record extension");
		is_int(d->records[0].evaluated_disposition,
		    DMARC_ACTION_UNSPECIFIED, "empty disposition");
		is_str(d->records[1].source_ip, NULL, "bad address is null");
		is_int(d->records[1].count, 0, "missing count is 0");
	}
	report_free(r);
}

/* Status and reason of a refused document. */
static void
refused(const char *doc, enum parse_status want, const char *reason,
    const char *name)
{
	struct parse_error err;
	struct report *r;
	enum parse_status st = parse(doc, &r, &err);

	is_int(st, want, name);
	ok(r == NULL, "%s: no report", name);
	if (!ok(strstr(err.reason, reason) != NULL, "%s: reason says '%s'",
	    name, reason))
		diag("reason: %s", err.reason);
	report_free(r);
}

static void
test_refusals(void)
{
	char	buf[8192];

	refused("<feedback><report_metadata><org_name>o</org_name>"
	    "<report_id>i</report_id></report_metadata><policy_published>"
	    "<domain>d</domain></policy_published></feedback>",
	    PARSE_INVALID, "report lacks required field(s): date_begin, date_end",
	    "missing dates");
	refused("<feedback><report_metadata><date_range><begin>x</begin>"
	    "<end>2</end></date_range></report_metadata></feedback>",
	    PARSE_INVALID, "report lacks required field(s): report_id, "
	    "date_begin (not a timestamp), policy_domain",
	    "missing id and domain, bad begin");
	refused("<?xml version=\"1.0\"?>\n<invalid_root><a/></invalid_root>",
	    PARSE_INVALID, "root element <invalid_root> is not <feedback>",
	    "wrong root");
	refused("<feedback>\n<report_metadata>\n<email><bad@x></email>\n"
	    "</report_metadata></feedback>", PARSE_INVALID,
	    "line 3, column", "not well-formed");
	refused("<feedback>\n<report_metadata>\n<email><bad@x></email>\n",
	    PARSE_INVALID, "XML not well-formed: ", "not well-formed: prefix");
	refused(HEAD "<record><row><source_ip>1.2.3.4</sou", PARSE_INVALID,
	    "", "truncated document");
	refused("", PARSE_INVALID, "XML document is empty", "empty document");
	refused(" \n", PARSE_INVALID, "XML not well-formed", "blank document");
	refused("<feedback><report_metadata><org_name>caf\xe9</org_name>"
	    "</report_metadata></feedback>", PARSE_INVALID,
	    "XML not well-formed", "invalid UTF-8");
	memset(buf, 'a', sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	memcpy(buf, "<feedback><report_metadata><org_name>", 37);
	limits.field_bytes = 1000;
	refused(buf, PARSE_LIMIT, "value of <org_name> exceeds 1000 bytes",
	    "value over field_bytes");
	memcpy(buf, "<feedback><x a='", 16);
	refused(buf, PARSE_INVALID, "", "huge attribute, unterminated");
	memcpy(buf, "<feedback><extensions><extension name='", 39);
	strcpy(buf + 4000, "'/></extensions></feedback>");
	refused(buf, PARSE_LIMIT, "attribute of <extension> exceeds",
	    "extension attribute over field_bytes");
	parse_limits_default(&limits);
}

static void
test_deep(void)
{
	size_t	depth = 10000, i, len = 0;
	char   *buf = malloc(depth * 7 + 32);

	if (buf == NULL)
		return;
	len += (size_t) sprintf(buf, "<feedback>");
	for (i = 0; i < depth; i++)
		len += (size_t) sprintf(buf + len, "<a>");
	for (i = 0; i < depth; i++)
		len += (size_t) sprintf(buf + len, "</a>");
	sprintf(buf + len, "</feedback>");
	refused(buf, PARSE_LIMIT, "nested deeper than 64", "10,000-deep nesting");
	free(buf);
}

/* Every string of a report, searched for needle. */
static int
report_contains(const struct report *r, const char *needle)
{
	size_t	len;
	char   *json = record_json_write_report(r, 0, &len);
	int	found = json == NULL || strstr(json, needle) != NULL;

	free(json);
	return (found);
}

static void
test_entities(void)
{
	static const char laughs[] =
	    "<?xml version=\"1.0\"?>\n<!DOCTYPE feedback [\n"
	    " <!ENTITY lol \"lollollollollollollollollollol\">\n"
	    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
	    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
	    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
	    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
	    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
	    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
	    "]>\n" HEAD "<record><row><count>1</count></row><identifiers>"
	    "<header_from>&lol9;</header_from></identifiers></record>" TAIL;
	static const char xxe[] =
	    "<?xml version=\"1.0\"?>\n<!DOCTYPE feedback [\n"
	    " <!ENTITY x SYSTEM \"file:///etc/passwd\">\n]>\n"
	    "<feedback><report_metadata><org_name>&x;</org_name><email>e</email>"
	    "<report_id>id</report_id><date_range><begin>1</begin><end>2</end>"
	    "</date_range></report_metadata><policy_published><domain>d"
	    "</domain></policy_published>" TAIL;
	static const char ext_dtd[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE feedback SYSTEM \"file:///etc/passwd\">\n"
	    "<feedback><report_metadata><org_name>a&x;b</org_name><email>e</email>"
	    "<report_id>id</report_id><date_range><begin>1</begin><end>2</end>"
	    "</date_range></report_metadata><policy_published><domain>d"
	    "</domain></policy_published>" TAIL;
	struct parse_error err;
	struct report *r;
	enum parse_status st;
	clock_t	t0 = clock();

	st = parse(laughs, &r, &err);
	ok(st == PARSE_INVALID || st == PARSE_OK, "billion laughs: refused or read");
	ok(r == NULL || !report_contains(r, "lollol"), "billion laughs: "
	    "nothing expanded");
	ok((double) (clock() - t0) / CLOCKS_PER_SEC < 2.0,
	    "billion laughs: done at once");
	diag("billion laughs: %s: %s", parse_status_name(st), err.reason);
	report_free(r);

	st = parse(xxe, &r, &err);
	ok(st == PARSE_INVALID || st == PARSE_OK, "external entity: status");
	ok(r == NULL || !report_contains(r, "root:"),
	    "external entity: /etc/passwd never read");
	ok(strstr(err.reason, "root:") == NULL, "... nor in the reason");
	diag("external entity: %s: %s", parse_status_name(st), err.reason);
	report_free(r);

	st = parse(ext_dtd, &r, &err);
	is_int(st, PARSE_OK, "external DTD: not loaded, the report reads");
	ok(r == NULL || !report_contains(r, "root:"),
	    "external DTD: /etc/passwd never read");
	if (r != NULL)
		is_str(r->u.dmarc.org_name, "ab", "undeclared entity dropped");
	report_free(r);
}

/* Feeds doc in pieces of step bytes; the report's JSON, or NULL. */
static char *
json_in_steps(const char *doc, size_t step)
{
	struct dmarc_xml *p = dmarc_xml_new(&limits, NULL, NULL);
	struct parse_error err;
	struct report *r = NULL;
	enum parse_status st = PARSE_NOMEM;
	size_t	off, len = strlen(doc);
	char   *json = NULL;

	parse_error_clear(&err);
	for (off = 0, st = PARSE_OK; p != NULL && st == PARSE_OK && off < len;
	    off += step)
		st = dmarc_xml_feed(p, doc + off, len - off < step ?
		    len - off : step, &err);
	if (p != NULL && st == PARSE_OK &&
	    dmarc_xml_finish(p, &r, &err) == PARSE_OK)
		json = record_json_write_report(r, 0, NULL);
	report_free(r);
	dmarc_xml_free(p);
	return (json);
}

static void
test_chunks(void)
{
	const char *docs[] = { rfc7489, rfc9990 };
	size_t	i;

	for (i = 0; i < 2; i++) {
		char   *whole = json_in_steps(docs[i], SIZE_MAX / 2);
		char   *bytes = json_in_steps(docs[i], 1);
		char   *sevens = json_in_steps(docs[i], 7);

		ok(whole != NULL && bytes != NULL && sevens != NULL &&
		    strcmp(whole, bytes) == 0 && strcmp(whole, sevens) == 0,
		    "document %zu: 1 byte at a time reads as one chunk", i + 1);
		free(whole);
		free(bytes);
		free(sevens);
	}
}

struct tally {
	size_t	records, batches, max_batch, held;
	uint64_t messages;
	int	ips_ok;
	enum parse_status stop_at;	/* returned from the 2nd batch on */
};

static enum parse_status
count_batch(void *arg, const struct dmarc_report *hdr,
    struct dmarc_record *recs, size_t n)
{
	struct tally *t = arg;
	size_t	i;
	char	ip[32];

	for (i = 0; i < n; i++) {
		snprintf(ip, sizeof(ip), "10.%zu.%zu.%zu",
		    (t->records + i) >> 16 & 255, (t->records + i) >> 8 & 255,
		    (t->records + i) & 255);
		if (recs[i].source_ip == NULL || strcmp(recs[i].source_ip, ip))
			t->ips_ok = 0;
		t->messages += recs[i].count;
	}
	t->records += n;
	t->batches++;
	if (n > t->max_batch)
		t->max_batch = n;
	if (hdr->n_records > t->held)
		t->held = hdr->n_records;
	if (strcmp(hdr->report_id, "big") != 0)
		t->ips_ok = 0;
	return (t->batches > 1 ? t->stop_at : PARSE_OK);
}

static long
max_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_maxrss);
}

/* Streams a report of n records, ~730 bytes each, through a callback. */
static enum parse_status
stream_big(size_t n, struct tally *t, struct report **out, size_t *bytes)
{
	struct dmarc_xml *p = dmarc_xml_new(&limits, count_batch, t);
	struct parse_error err;
	enum parse_status st;
	char	buf[65536];
	size_t	i, len;

	if (p == NULL)
		return (PARSE_NOMEM);
	parse_error_clear(&err);
	len = (size_t) snprintf(buf, sizeof(buf), "<?xml version=\"1.0\"?>\n"
	    "<feedback>\n  <report_metadata>\n    <org_name>big.example"
	    "</org_name>\n    <email>r@big.example</email>\n    <report_id>"
	    "big</report_id>\n    <date_range>\n      <begin>1711897200</begin>"
	    "\n      <end>1711983600</end>\n    </date_range>\n  "
	    "</report_metadata>\n  <policy_published>\n    <domain>example.com"
	    "</domain>\n    <p>none</p>\n  </policy_published>\n");
	st = dmarc_xml_feed(p, buf, len, &err);
	*bytes = len;
	for (i = 0, len = 0; i < n && st == PARSE_OK; i++) {
		len += (size_t) snprintf(buf + len, sizeof(buf) - len,
		    "  <record>\n    <row>\n      <source_ip>10.%zu.%zu.%zu"
		    "</source_ip>\n      <count>%zu</count>\n      "
		    "<policy_evaluated>\n        <disposition>none</disposition>"
		    "\n        <dkim>pass</dkim>\n        <spf>fail</spf>\n"
		    "      </policy_evaluated>\n    </row>\n    <identifiers>\n"
		    "      <envelope_from>bounce.mailer-%zu.example.com"
		    "</envelope_from>\n      <header_from>example.com"
		    "</header_from>\n    </identifiers>\n    <auth_results>\n"
		    "      <dkim>\n        <domain>example.com</domain>\n"
		    "        <selector>selector-2024-%zu</selector>\n"
		    "        <result>pass</result>\n      </dkim>\n      <spf>\n"
		    "        <domain>bounce.mailer-%zu.example.com</domain>\n"
		    "        <scope>mfrom</scope>\n        <result>fail</result>\n"
		    "      </spf>\n    </auth_results>\n  </record>\n",
		    i >> 16 & 255, i >> 8 & 255, i & 255, i % 7 + 1, i, i % 12, i);
		if (len > sizeof(buf) - 2048 || i + 1 == n) {
			st = dmarc_xml_feed(p, buf, len, &err);
			*bytes += len;
			len = 0;
		}
	}
	if (st == PARSE_OK)
		st = dmarc_xml_feed(p, "</feedback>\n", 12, &err);
	if (st == PARSE_OK)
		st = dmarc_xml_finish(p, out, &err);
	if (st != PARSE_OK)
		diag("big report: %s", err.reason);
	dmarc_xml_free(p);
	return (st);
}

static void
test_batches(void)
{
	struct tally t = { 0, 0, 0, 0, 0, 1, PARSE_OK };
	struct report *r = NULL;
	size_t	n = 100000, bytes, i;
	uint64_t want = 0;
	long	rss0 = max_rss_kb();
	const char *pre = getenv("LD_PRELOAD");
	enum parse_status st;

	st = stream_big(n, &t, &r, &bytes);
	is_int(st, PARSE_OK, "100,000-record report through the callback");
	diag("%zu bytes of XML, %zu batches, max RSS grew %ld kB", bytes,
	    t.batches, max_rss_kb() - rss0);
	ok(bytes > 70000000, "the document is over 70 MB");
	is_int(t.records, n, "every record reached the callback");
	for (i = 0; i < n; i++)
		want += i % 7 + 1;
	is_int(t.messages, want, "every count reached the callback");
	is_int(t.max_batch, 256, "batches of at most 256");
	is_int(t.batches, (n + 255) / 256, "the rest at finish");
	is_int(t.held, 0, "the report holds no record meanwhile");
	ok(t.ips_ok, "records arrive in order, with the header");
	ok(r != NULL && r->u.dmarc.n_records == 0 &&
	    strcmp(r->u.dmarc.report_id, "big") == 0, "the report comes back "
	    "without records");
#if defined(__SANITIZE_ADDRESS__)
	ok(1, "# SKIP memory growth is not measured under ASan");
#else
	if (pre != NULL && strstr(pre, "vgpreload") != NULL)
		ok(1, "# SKIP memory growth is not measured under valgrind");
	else
		ok(max_rss_kb() - rss0 < 16 * 1024,
		    "memory does not grow with the report");
#endif
	(void) pre;
	report_free(r);

	memset(&t, 0, sizeof(t));
	t.stop_at = PARSE_STOPPED;
	r = NULL;
	is_int(stream_big(2000, &t, &r, &bytes), PARSE_STOPPED,
	    "a callback's status stops the parse");
	is_int(t.batches, 2, "... at once");
	ok(r == NULL, "... and no report comes back");
}

static enum parse_status
never_called(void *arg, const struct dmarc_report *hdr,
    struct dmarc_record *recs, size_t n)
{
	(void) hdr, (void) recs, (void) n;
	*(int *) arg = 1;
	return (PARSE_OK);
}

/* A header missing its dates is refused before a record is handed over. */
static void
test_batch_refused(void)
{
	struct dmarc_xml *p;
	struct parse_error err;
	struct report *r = NULL;
	int	called = 0;
	enum parse_status st;
	const char *doc = "<feedback><report_metadata><report_id>i</report_id>"
	    "</report_metadata><policy_published><domain>d</domain>"
	    "</policy_published><record><row><count>1</count></row></record>"
	    "</feedback>";

	if ((p = dmarc_xml_new(&limits, never_called, &called)) == NULL)
		return;
	parse_error_clear(&err);
	st = dmarc_xml_feed(p, doc, strlen(doc), &err);
	if (st == PARSE_OK)
		st = dmarc_xml_finish(p, &r, &err);
	is_int(st, PARSE_INVALID, "batch mode: missing dates refused");
	ok(!called, "... before the callback sees a record");
	dmarc_xml_free(p);
	report_free(r);
}

/* Facts from tests/corpus/expected.jsonl (checked by hand). */
static const struct fact {
	const char *file, *report_id;
	int64_t	begin, end;
	const char *domain;
	size_t	records;
	uint64_t messages;
} facts[] = {
	{ "dmarc-report-converter__test_empty.xml", "1.id.0", 1524182400, 1524268799, "test.net", 1, 0 },
	{ "dmarc-report-viewer__aol.xml", "website.com_1504828800", 1504742400, 1504828800, "website.com", 1, 1 },
	{ "dmarc-report-viewer__gmxnet.xml", "6d2be94cbabf4e838a3cf58fb4a42ab5", 1733184000, 1733270399, "myserver.com", 1, 1 },
	{ "dmarc-report-viewer__mailru.xml", "28327321193681154911721360800", 1721260800, 1721347200, "foobar.de", 1, 1 },
	{ "dmarc-report-viewer__outlook.xml", "a4f4ef0654474d3faa5dca167a34a86a", 1709683200, 1709769600, "random.net", 2, 3 },
	{ "dmarc-report-viewer__yahoo.xml", "1709600619.487850", 1709510400, 1709596799, "random.org", 1, 1 },
	{ "dmarcanalyzerapp__sample-zoho-aggregate.xml", "cd2dab45-f745-495c-845e-87a731db3873", 1737446400, 1737532800, "000fb7a64b524d7bb8fe8fc8831716a2.com", 3, 3 },
	{ "dmarcgo__google.com_georgestarcher.com_1783382400_1783468799.xml", "18028803163198988333", 1783382400, 1783468799, "georgestarcher.com", 1, 1 },
	{ "dmarcgo__mimecast.org_georgestarcher.com_1781568000_1781654399.xml", "a877f65e16f46789f8428d867e2393c86772449e2ae4711f7d0ec8bbc2447ea2", 1781568000, 1781654399, "georgestarcher.com", 1, 1 },
	{ "dmarcgo__receiver.example_example.test_1782172800_1782259199_synthetic.xml", "synthetic-newcomer-report", 1782172800, 1782259199, "example.test", 2, 7 },
	{ "dmarcgo__yahoo.com_georgestarcher.com_1781740800_1781827199.xml", "1781848448.914260", 1781740800, 1781827199, "georgestarcher.com", 1, 1 },
	{ "mail-auth__dmarc-feedback-001.xml", "3v98abbp8ya9n3va8yr8oa3ya", 161212415, 161221511, "example.com", 1, 123 },
	{ "mail-auth__dmarc-feedback-002.xml", "2122885654478337555", 1661558400, 1661644799, "example.org", 1, 2 },
	{ "mail-auth__dmarc-feedback-003.xml", "758848224", 1667347200, 1667433599, "stalw.art", 4, 9 },
	{ "mail-auth__dmarc-feedback-005.xml", "legacy-1", 100, 200, "example.com", 1, 1 },
	{ "opendmarc__163.com_example.com_1337270400_1337356799.20120518163.xml", "aggr_report_example.com_20120518_163.com", 1337270400, 1337356799, "example.com", 50, 92 },
	{ "opendmarc__yeah.net_example.com_1337270400_1337356799.20120518.xml", "aggr_report_example.com_20120518_yeah.net", 1337270400, 1337356799, "example.com", 254, 21679 },
	{ "parsedmarc___example.com_1538204542_1538463818.xml", "example.com:1538463741", 1538413632, 1538413632, "example.com", 1, 1 },
	{ "parsedmarc___large-example.com_1711897200_1711983600.xml", "example.com:1711897200", 1711897200, 1711983600, "example.com", 2286, 2286 },
	{ "parsedmarc__example.net_example.com_1529366400_1529452799.xml", "b043f0e264cf4ea995e93765242f6dfb", 1529366400, 1529452799, "example.com", 1, 1 },
	{ "parsedmarc__old_draft_from_wiki.xml", "9391651994964116463", 1335571200, 1335657599, "example.com", 1, 2 },
	{ "parsedmarc__report_with_upper_cased_pass.xml", "aggr_report_example.com_20191202_1638", 1574955300, 1575304683, "example.com", 1, 1 },
	{ "parsedmarc__rfc9990-example.net_example.com_1700000000_1700086399.xml", "dmarcbis-test-report-001", 1700000000, 1700086399, "example.com", 2, 7 },
	{ "parsedmarc__veeam.com_example.com_1530133200_1530219600.xml", "sonexushealth.com:1530233361", 1530133200, 1530219600, "example.com", 1, 1 },
	{ "trollbyte-dmarc__missing_fields.xml", "minimal123", 1704067200, 1704153600, "example.com", 1, 1 },
};

/* The refused samples, and a word their reason must hold. */
static const struct refusal {
	const char *file, *reason;
} refusals[] = {
	{ "opendmarc__bad.com_example.com_1337140800_1337227200.xml", "line 6," },
	{ "parsedmarc__empty.xml", "XML document is empty" },
	{ "parsedmarc__invalid_utf_8.xml", "line 31," },
	{ "parsedmarc__invalid_xml.xml", "line 5," },
	{ "trollbyte-dmarc__malformed_report.xml", "root element <invalid_root> is not <feedback>" },
	{ "v-dmarc-dashboard__forensic-sample.xml", "report lacks required field(s): date_begin, date_end" },
};

/* The whole file at path, NUL-terminated; NULL when it cannot be read. */
static char *
slurp(const char *path, size_t *len)
{
	FILE   *f = fopen(path, "rb");
	char   *buf = NULL;
	long	n;

	if (f == NULL)
		return (NULL);
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t) n + 1)) != NULL) {
		*len = fread(buf, 1, (size_t) n, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return (buf);
}

static void
check_fact(const char *corpus, const struct fact *f)
{
	char	path[1024];
	size_t	len, i;
	uint64_t msgs = 0;
	char   *buf;
	struct report *r = NULL;
	struct parse_error err;
	enum parse_status st;

	snprintf(path, sizeof(path), "%s/dmarc/%s", corpus, f->file);
	if ((buf = slurp(path, &len)) == NULL) {
		ok(0, "%s: readable", f->file);
		return;
	}
	parse_error_clear(&err);
	st = dmarc_xml_parse(buf, len, &limits, &r, &err);
	if (!ok(st == PARSE_OK && r != NULL, "%s parses", f->file)) {
		diag("%s", err.reason);
	} else {
		const struct dmarc_report *d = &r->u.dmarc;

		for (i = 0; i < d->n_records; i++)
			msgs += d->records[i].count;
		ok(strcmp(d->report_id, f->report_id) == 0 &&
		    d->date_range_begin == f->begin &&
		    d->date_range_end == f->end &&
		    strcmp(d->policy_domain, f->domain) == 0 &&
		    d->n_records == f->records && msgs == f->messages &&
		    d->errors.n == 0, "%s: id, dates, domain, %zu records, "
		    "%ju messages, no errors", f->file, f->records,
		    (uintmax_t) f->messages);
	}
	report_free(r);
	free(buf);
}

static void
check_refusal(const char *corpus, const struct refusal *f)
{
	char	path[1024];
	size_t	len;
	char   *buf;
	struct report *r = NULL;
	struct parse_error err;
	enum parse_status st;

	snprintf(path, sizeof(path), "%s/malformed/%s", corpus, f->file);
	if ((buf = slurp(path, &len)) == NULL) {
		ok(0, "%s: readable", f->file);
		return;
	}
	parse_error_clear(&err);
	st = dmarc_xml_parse(buf, len, &limits, &r, &err);
	if (!ok(st == PARSE_INVALID && r == NULL &&
	    strstr(err.reason, f->reason) != NULL &&
	    strchr(err.reason, '\n') == NULL, "%s refused (%s), one line",
	    f->file, f->reason))
		diag("%s: %s", parse_status_name(st), err.reason);
	report_free(r);
	free(buf);
}

static void
test_corpus(void)
{
	const char *corpus = getenv("CORPUS");
	char	path[1024];
	size_t	i;
	DIR    *dir;

	if (corpus == NULL)
		corpus = "tests/corpus";
	snprintf(path, sizeof(path), "%s/dmarc", corpus);
	if ((dir = opendir(path)) == NULL) {
		ok(1, "# SKIP no corpus at %s", corpus);
		return;
	}
	closedir(dir);
	for (i = 0; i < sizeof(facts) / sizeof(facts[0]); i++)
		check_fact(corpus, &facts[i]);
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
		check_refusal(corpus, &refusals[i]);
}

int
main(void)
{
	parse_limits_default(&limits);
	test_batches();		/* first: its memory check needs a low peak */
	test_rfc7489();
	test_rfc9990();
	test_namespaces();
	test_legacy();
	test_overrides();
	test_values();
	test_refusals();
	test_deep();
	test_entities();
	test_chunks();
	test_batch_refused();
	test_corpus();
	return (done_testing());
}
