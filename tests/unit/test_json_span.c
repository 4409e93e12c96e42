/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	test_json_span - finding a member's value and an array's elements
 * PURPOSE
 *	The spans found in documents of the shapes the parsers meet (a
 *	TLS-RPT report, an exported record), with strings that hold every
 *	bracket and escape, duplicate keys, white space; and text that must
 *	not scan (cut short, unbalanced, too deep); and a text with one of
 *	its arrays emptied.
 */
#include <stdlib.h>
#include <string.h>

#include "json_span.h"
#include "tap.h"

/* The span of path in text as a string, "ABSENT", or "FAIL". */
static const char *
find(const char *text, const char *p0, const char *p1)
{
	static char out[256];
	const char *path[2] = { p0, p1 };
	size_t	off, len;
	int	rc;

	rc = json_span_find(text, strlen(text), path, p1 ? 2 : 1, &off, &len);
	if (rc < 0)
		return ("FAIL");
	if (rc == 0)
		return ("ABSENT");
	snprintf(out, sizeof(out), "%.*s", (int) len, text + off);
	return (out);
}

/* The elements of the array text, joined by '|'; "FAIL" when it fails. */
static const char *
elements(const char *text)
{
	static char out[256];
	struct json_span_array a;
	size_t	off, len, n = 0;
	int	rc;

	out[0] = '\0';
	if (json_span_array_begin(&a, text, strlen(text)) < 0)
		return ("FAIL");
	while ((rc = json_span_array_next(&a, &off, &len)) == 1)
		n += snprintf(out + n, sizeof(out) - n, "%s%.*s",
		    n ? "|" : "", (int) len, text + off);
	return (rc < 0 ? "FAIL" : out);
}

int
main(void)
{
	const char *tls = "{ \"organization-name\": \"Org {[\\\"]}\",\n"
	    "  \"date-range\": {\"start-datetime\": \"2026-01-01T00:00:00Z\"},\n"
	    "  \"policies\" : [ {\"policy\": {\"policy-type\": \"sts\"}},\n"
	    "    {\"policy\": {\"policy-type\": \"tlsa\"}, \"n\": [1, 2.5e3,"
	    " true, null]} ] , \"x\": -1 }";
	const char *exp = "{\"@type\":\"DmarcExternalReport\",\"report\":"
	    "{\"reportId\":\"a\\\\\",\"records\":[{\"count\":1},{\"count\":2}],"
	    "\"x\":{}},\"from\":\"r@example.com\"}";
	char	deep[300];
	size_t	i;

	is_str(find(tls, "policies", NULL), "[ {\"policy\": {\"policy-type\": "
	    "\"sts\"}},\n    {\"policy\": {\"policy-type\": \"tlsa\"}, \"n\": "
	    "[1, 2.5e3, true, null]} ]", "a TLS-RPT report's policies");
	is_str(find(tls, "organization-name", NULL), "\"Org {[\\\"]}\"",
	    "a string that holds brackets and an escaped quote");
	is_str(find(tls, "x", NULL), "-1", "a number, the last member");
	is_str(find(tls, "date-range", "start-datetime"),
	    "\"2026-01-01T00:00:00Z\"", "a member of a member");
	is_str(find(tls, "missing", NULL), "ABSENT", "an absent member");
	is_str(find(tls, "x", "y"), "ABSENT", "a member of a number");
	is_str(find(exp, "report", "records"), "[{\"count\":1},{\"count\":2}]",
	    "an export's records, after a string ending in an escaped backslash");
	is_str(find("{\"a\":1,\"a\":[2]}", "a", NULL), "[2]",
	    "of two namesakes, the last (as json-c)");
	is_str(find("  {}  ", "a", NULL), "ABSENT", "an empty object");
	is_str(find("{\"\\u0061\":1}", "a", NULL), "FAIL",
	    "a key written with escapes does not scan");
	is_str(find("{\"a\":[1],\"\\u0061\":[2]}", "a", NULL), "FAIL",
	    "nor beside a namesake written plainly (json-c takes the last)");
	is_str(find("{\"a\":{\"\\u0062\":1},\"c\":2}", "c", NULL), "2",
	    "a key with an escape in a value passed over is no matter");
	is_str(find("[1]", "a", NULL), "FAIL", "not an object");
	is_str(find("{\"a\":[1,{\"b\":2]}", "a", NULL), "FAIL", "unbalanced");
	is_str(find("{\"a\":\"open", "a", NULL), "FAIL", "a string cut short");
	is_str(find("{\"a\":[1,2", "a", NULL), "FAIL", "an array cut short");
	is_str(find("{\"a\" 1}", "a", NULL), "FAIL", "no colon");
	is_str(find("{\"a\":1 \"b\":2}", "b", NULL), "FAIL", "no comma");
	is_str(find("{\"a\":,\"b\":2}", "b", NULL), "FAIL", "no value");

	is_str(elements(" [ 1 , \"a,]\" ,{\"b\":[3]} , [] ,null] "),
	    "1|\"a,]\"|{\"b\":[3]}|[]|null", "elements of every kind");
	is_str(elements("[]"), "", "no elements");
	is_str(elements("[ ]"), "", "no elements, white space");
	is_str(elements("{}"), "FAIL", "not an array");
	is_str(elements("[1,]"), "FAIL", "a trailing comma");
	is_str(elements("[1 2]"), "FAIL", "no comma");
	is_str(elements("[{\"a\":1}"), "FAIL", "cut short");
	is_str(elements("[{\"a\":1]"), "FAIL", "unbalanced element");

	{
		const char *t = "{\"a\":[1,{\"b\":\"}\"}],\"c\":2} tail";
		size_t	off, len, n = 0;
		const char *path[1] = { "a" };
		char   *e = NULL;

		ok(json_span_find(t, strlen(t) - 5, path, 1, &off, &len) == 1 &&
		    (e = json_span_emptied(t, strlen(t), off, len, &n)) != NULL,
		    "emptied: made");
		is_str(e, "{\"a\":[],\"c\":2} tail", "emptied: the array is []");
		ok(e != NULL && n == strlen(e), "emptied: its length");
		free(e);
	}

	{
		size_t	n = 9;

		const char *three = " [ 1, {\"a\":[2,3]}, \"]\" ] ";

		ok(json_span_array_count(three, strlen(three), &n) == 0 &&
		    n == 3, "count: three elements");
		ok(json_span_array_count("[]", 2, &n) == 0 && n == 0,
		    "count: none");
		ok(json_span_array_count("[1,", 3, &n) < 0, "count: cut short");
		ok(json_span_array_count("{}", 2, &n) < 0, "count: not an array");
	}

	for (i = 0; i < sizeof(deep) - 1; i++)
		deep[i] = i < 100 ? '[' : ']';
	deep[200] = '\0';
	is_str(elements(deep), "FAIL", "nesting deeper than JSON_SPAN_DEPTH");
	for (i = 0; i < JSON_SPAN_DEPTH; i++)
		deep[i] = '[', deep[JSON_SPAN_DEPTH + i] = ']';
	deep[2 * JSON_SPAN_DEPTH] = '\0';
	ok(strcmp(elements(deep), "FAIL") != 0,
	    "nesting of JSON_SPAN_DEPTH scans");
	return (done_testing());
}
