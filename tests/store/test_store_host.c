/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	test_store_host - the host cache of the store
 * PURPOSE
 *	Entries written in one batch read back field by field after a
 *	reopen (read-only too); IPv4 and IPv6 texts of one address find one
 *	entry; a rewrite replaces; a name longer than its buffer is cut,
 *	not overrun; listing gives every entry in address order with its
 *	text; text that is no address is not found and not written. The
 *	distinct source IPs of DMARC records, TLS failures and ARF reports
 *	are listed once each, in address order. Every write gives its
 *	entries the next change number, and store_host_changes() lists
 *	exactly the entries written since the number it gave last time.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "tap.h"
#include "fixture.h"
#include "store.h"

static int
count_each(void *arg, const char *ip, const struct store_host *h)
{
	char   *seen = arg;

	strcat(seen, ip);
	strcat(seen, "=");
	strcat(seen, h->name);
	strcat(seen, ";");
	return (0);
}

static void
fill(struct store_host *h, const char *name, const char *base, uint32_t asn)
{
	memset(h, 0, sizeof(*h));
	snprintf(h->name, sizeof(h->name), "%s", name);
	snprintf(h->base_domain, sizeof(h->base_domain), "%s", base);
	h->asn = asn;
}

static int
list_ip(void *arg, const char *ip)
{
	strcat(arg, ip);
	strcat(arg, " ");
	return (0);
}

static int
list_host(void *arg, const char *ip, const struct store_host *h)
{
	(void)h;
	strcat(arg, ip);
	strcat(arg, ";");
	return (0);
}

/* Lists what changed since *from into seen, and moves *from on. */
static enum store_status
changes(struct store *s, uint64_t *from, char *seen)
{
	struct store_error err;
	enum store_status st;
	uint64_t next;

	seen[0] = '\0';
	st = store_host_changes(s, *from, list_host, seen, &next, &err);
	*from = next;
	return (st);
}

static void
test_changes(const char *dir)
{
	struct store_options o;
	struct store_error err;
	struct store_host h[2], got;
	struct store *s;
	const char *ips[2] = {"192.0.2.10", "192.0.2.20"};
	char	seen[4096];
	uint64_t from = 0, first;

	store_options_default(&o);
	ok(store_open(dir, &o, &s, &err) == STORE_OK, "open for the changes");
	is_int(changes(s, &from, seen), STORE_OK, "changes from 0");
	is_str(seen, "192.0.2.10;2001:db8::1;",
	    "from 0: every entry");
	first = from;
	is_int(changes(s, &from, seen), STORE_OK, "changes again");
	is_str(seen, "", "nothing written since: nothing listed");
	ok(from == first, "and the number stays");
	fill(&h[0], "new.example.com", "example.com", 1);
	fill(&h[1], "other.example.com", "example.com", 2);
	is_int(store_host_put(s, ips + 1, h + 1, 1, &err), STORE_OK,
	    "write one new entry");
	is_int(store_host_get(s, "192.0.2.20", &got, &err), STORE_OK, "read it");
	ok(got.seq == first, "it has the number changes gave");
	is_int(changes(s, &from, seen), STORE_OK, "changes after a write");
	is_str(seen, "192.0.2.20;", "only the entry written");
	is_int(store_host_put(s, ips, h, 1, &err), STORE_OK, "rewrite another");
	is_int(store_host_put(s, ips + 1, h + 1, 1, &err), STORE_OK,
	    "and the first again");
	is_int(changes(s, &from, seen), STORE_OK, "changes after two writes");
	is_str(seen, "192.0.2.10;192.0.2.20;",
	    "both, in address order");
	store_close(s);
}

static void
test_sources(void)
{
	struct external_report *x[5];
	struct store_error err;
	struct store *s;
	char	seen[4096] = "";
	int	i;

	ok(store_open(fixture_path("sources"), NULL, &s, &err) == STORE_OK,
	    "open a store for the sources");
	is_int(store_ips_each(s, list_ip, seen, &err), STORE_OK,
	    "sources of an empty store");
	is_str(seen, "", "none");
	x[0] = fixture_dmarc("org", "r1", "example.com", 5);
	x[1] = fixture_dmarc("org", "r2", "example.com", 3);
	x[2] = fixture_tls("org", "t1", "example.com");
	x[2]->report->u.tls.policies[1].failures[0].receiving_ip =
	    fixture_str("203.0.113.7");
	x[3] = fixture_arf("example.com", "192.0.2.99", "<a@example.com>");
	x[4] = fixture_arf("example.com", "10.0.0.1", "<b@example.com>");
	for (i = 0; i < 5; i++) {
		fixture_put_once(s, x[i], NULL);
		external_report_free(x[i]);
	}
	is_int(store_ips_each(s, list_ip, seen, &err), STORE_OK, "sources");
	is_str(seen, "10.0.0.0 10.0.0.1 10.0.0.2 10.0.0.3 192.0.2.99 "
	    "198.51.100.25 203.0.113.7 2001:db8::4 2001:db8::25 ",
	    "every distinct source IP once, in address order");
	store_close(s);
}

int
main(void)
{
	struct store_options o;
	struct store_error err;
	struct store_host hs[3], h;
	struct store *s;
	const char *ips[3] = {"192.0.2.10", "2001:db8::1", "not-an-ip"};
	const char *dir = fixture_path("hosts");
	char	seen[4096] = "", longname[600];

	umask(022);
	store_options_default(&o);
	ok(store_open(dir, &o, &s, &err) == STORE_OK, "open");
	is_int(store_host_get(s, "192.0.2.10", &h, &err), STORE_NOTFOUND,
	    "nothing cached yet");
	fill(&hs[0], "mail-a.example.com", "example.com", 64496);
	hs[0].confirmed = true;
	hs[0].resolved_at = FIXTURE_T0;
	hs[0].expires_at = FIXTURE_T0 + 3600;
	snprintf(hs[0].country, sizeof(hs[0].country), "DE");
	snprintf(hs[0].as_name, sizeof(hs[0].as_name), "Example AS");
	snprintf(hs[0].service, sizeof(hs[0].service), "Example Mail");
	snprintf(hs[0].service_type, sizeof(hs[0].service_type), "email");
	fill(&hs[1], "", "", 0);
	snprintf(hs[1].error, sizeof(hs[1].error), "timeout");
	hs[1].retry_at = FIXTURE_T0 + 600;
	fill(&hs[2], "x", "x", 1);
	is_int(store_host_put(s, ips, hs, 3, &err), STORE_OK, "put a batch");
	store_close(s);

	o.read_only = true;
	ok(store_open(dir, &o, &s, &err) == STORE_OK, "reopen read-only");
	is_int(store_host_get(s, "192.0.2.10", &h, &err), STORE_OK, "get v4");
	is_str(h.name, "mail-a.example.com", "name");
	ok(h.confirmed, "confirmed");
	is_int(h.expires_at, FIXTURE_T0 + 3600, "expiry");
	is_str(h.base_domain, "example.com", "base domain");
	is_str(h.country, "DE", "country");
	is_int(h.asn, 64496, "asn");
	is_str(h.as_name, "Example AS", "as name");
	is_str(h.service, "Example Mail", "service");
	is_str(h.service_type, "email", "service type");
	is_str(h.error, "", "no error");
	is_int(store_host_get(s, "::ffff:192.0.2.10", &h, &err), STORE_OK,
	    "the mapped IPv6 text finds the IPv4 entry");
	is_int(store_host_get(s, "2001:db8:0::1", &h, &err), STORE_OK, "get v6");
	is_str(h.error, "timeout", "error kept");
	is_int(h.retry_at, FIXTURE_T0 + 600, "retry time kept");
	ok(!h.confirmed && h.name[0] == '\0', "no name for the failure");
	is_int(store_host_get(s, "not-an-ip", &h, &err), STORE_NOTFOUND,
	    "no address, not found");
	is_int(store_host_put(s, ips, hs, 1, &err), STORE_IO,
	    "read-only store refuses a put");
	is_int(store_host_each(s, count_each, seen, &err), STORE_OK, "each");
	is_str(seen, "192.0.2.10=mail-a.example.com;2001:db8::1=;",
	    "each lists every entry in address order");
	store_close(s);

	o.read_only = false;
	ok(store_open(dir, &o, &s, &err) == STORE_OK, "reopen");
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	fill(&hs[0], "", "", 7);
	memcpy(hs[0].name, longname, sizeof(hs[0].name) - 1);
	hs[0].name[sizeof(hs[0].name) - 1] = '\0';
	is_int(store_host_put(s, ips, hs, 1, &err), STORE_OK, "rewrite");
	is_int(store_host_get(s, "192.0.2.10", &h, &err), STORE_OK, "get again");
	is_int(h.asn, 7, "the rewrite replaced the entry");
	is_int((intmax_t)strlen(h.name), STORE_HOST_NAME_MAX - 1,
	    "a full-length name reads back whole");
	is_str(h.country, "", "fields of the old entry are gone");
	store_close(s);
	test_changes(dir);
	test_sources();
	fixture_cleanup();
	return (done_testing());
}
