/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	arf_fields - reads the ARF field values that are more than text
 * PURPOSE
 *	Dates, numbers, the source address and the enums of RFC 5965 and
 *	RFC 6591, each with one documented rule for what real reports write
 *	instead of the standard (see arf.h). Nothing here fails a report: a
 *	value that cannot be read leaves the schema's default.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "arf_fields.h"
#include "record.h"
#include "record_enum.h"
#include "timeparse.h"

/*
 * The first len bytes of s as a decimal number. Returns 0 and *v, or -1
 * when they are not all digits (or none) or the number passes 2^64-1.
 */
static int
arf_decimal(const char *s, size_t len, uint64_t *v)
{
	size_t	i;
	unsigned d;

	*v = 0;
	if (len == 0)
		return (-1);
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		d = (unsigned) (s[i] - '0');
		if (*v > (UINT64_MAX - d) / 10)
			return (-1);
		*v = *v * 10 + d;
	}
	return (0);
}

/*
 * Feedback-Type (RFC 5965 §3.1, required). The first one counts; a type
 * outside ArfFeedbackType ("opt-out", "unsubscribe", ...) is "other".
 */
int
arf_set_feedback_type(struct arf_ctx *c, const char *value, size_t off)
{
	int	v;

	(void) off;
	if (c->have_feedback_type)
		return (0);
	c->have_feedback_type = true;
	v = record_enum_value_loose(RENUM_ARF_FEEDBACK_TYPE, value);
	c->a->feedback_type = v >= 0 ? (enum arf_feedback_type) v :
	    ARF_FEEDBACK_OTHER;
	return (0);
}

/*
 * Version: RFC 5965 says "1". Older feedback loops write "0.1" and others
 * "1.0": the integer part of a decimal number is kept when it is at least
 * 1 and fits 32 bits; anything else ("0.1", "0", junk) is 1.
 */
int
arf_set_version(struct arf_ctx *c, const char *value, size_t off)
{
	size_t	n = strspn(value, "0123456789");
	uint64_t v;

	(void) off;
	if (c->have_version)
		return (0);
	c->have_version = true;
	if (value[n] == '.' && value[n + 1] != '\0' &&
	    value[n + 1 + strspn(value + n + 1, "0123456789")] == '\0')
		;	/* a fraction: dropped */
	else if (value[n] != '\0')
		return (0);
	if (arf_decimal(value, n, &v) == 0 && v >= 1 && v <= UINT32_MAX)
		c->a->version = (uint32_t) v;
	return (0);
}

/* RFC 5322 as the standard says, RFC 3339 as some generators write. */
static int
arf_date(const char *value, int64_t *t)
{
	if (timeparse_rfc5322(value, t) == 0)
		return (0);
	return (timeparse_rfc3339(value, t));
}

/* Arrival-Date: the first readable one. */
int
arf_set_arrival_date(struct arf_ctx *c, const char *value, size_t off)
{
	int64_t	t;

	(void) off;
	if (!c->have_arrival_date && arf_date(value, &t) == 0) {
		c->a->arrival_date = t;
		c->a->has_arrival_date = true;
		c->have_arrival_date = true;
	}
	return (0);
}

/* Received-Date, the draft name: kept aside until all fields are read. */
int
arf_set_received_date(struct arf_ctx *c, const char *value, size_t off)
{
	int64_t	t;

	(void) off;
	if (!c->have_received_date && arf_date(value, &t) == 0) {
		c->received_date = t;
		c->have_received_date = true;
	}
	return (0);
}

void
arf_fields_finish(struct arf_ctx *c)
{
	if (!c->have_arrival_date && c->have_received_date) {
		c->a->arrival_date = c->received_date;
		c->a->has_arrival_date = true;
	}
}

/*
 * Incidents: a positive integer. Absent, zero, junk or past 2^64-1 leave
 * the default of 1: RFC 5965 §3.2 says a report without the field
 * describes a single incident.
 */
int
arf_set_incidents(struct arf_ctx *c, const char *value, size_t off)
{
	uint64_t v;

	(void) off;
	if (c->have_incidents)
		return (0);
	c->have_incidents = true;
	if (arf_decimal(value, strlen(value), &v) == 0 && v >= 1)
		c->a->incidents = v;
	return (0);
}

/*
 * Source-IP: the address alone. Reporters add a host name comment
 * ("192.0.2.1 (host.example)"), brackets ("[192.0.2.1]") or an "IPv6:"
 * prefix; what is left must be an IPv4 or IPv6 address for inet_pton(),
 * or the value is dropped (redacted values such as "x.x.x.x"). The first
 * address that reads counts.
 */
int
arf_set_source_ip(struct arf_ctx *c, const char *value, size_t off)
{
	char	addr[64];
	unsigned char bin[sizeof(struct in6_addr)];
	size_t	n;

	(void) off;
	if (c->a->source_ip != NULL)
		return (0);
	if (*value == '[')
		value++;
	if (strncasecmp(value, "IPv6:", 5) == 0)
		value += 5;
	n = strcspn(value, " ()[];,");
	if (n == 0 || n >= sizeof(addr))
		return (0);
	memcpy(addr, value, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET, addr, bin) != 1 &&
	    inet_pton(AF_INET6, addr, bin) != 1)
		return (0);
	return ((c->a->source_ip = record_strdup(addr)) == NULL ? -1 : 0);
}

/* Source-Port: 1..65535; anything else is absent (0). The first counts. */
int
arf_set_source_port(struct arf_ctx *c, const char *value, size_t off)
{
	uint64_t v;

	(void) off;
	if (c->have_source_port)
		return (0);
	c->have_source_port = true;
	if (arf_decimal(value, strlen(value), &v) == 0 && v >= 1 &&
	    v <= 65535)
		c->a->source_port = (uint32_t) v;
	return (0);
}

/* Auth-Failure (RFC 6591 §3.2.1): unknown types are "unspecified". */
int
arf_set_auth_failure(struct arf_ctx *c, const char *value, size_t off)
{
	int	v;

	(void) off;
	if (c->have_auth_failure)
		return (0);
	c->have_auth_failure = true;
	v = record_enum_value_loose(RENUM_ARF_AUTH_FAILURE, value);
	c->a->auth_failure = v >= 0 ? (enum arf_auth_failure) v :
	    ARF_AUTH_FAILURE_UNSPECIFIED;
	return (0);
}

/* Delivery-Result (RFC 6591 §3.1): unknown results are "unspecified". */
int
arf_set_delivery_result(struct arf_ctx *c, const char *value, size_t off)
{
	int	v;

	(void) off;
	if (c->have_delivery_result)
		return (0);
	c->have_delivery_result = true;
	v = record_enum_value_loose(RENUM_ARF_DELIVERY_RESULT, value);
	c->a->delivery_result = v >= 0 ? (enum arf_delivery_result) v :
	    ARF_DELIVERY_UNSPECIFIED;
	return (0);
}

/*
 * Identity-Alignment (RFC 6591 §3.2.3): "none", or a comma-separated
 * list of "dkim" and "spf". Both give dkimSpf. An unknown word, an empty
 * list, or "none" beside another word gives "unspecified" rather than a
 * guess. The schema's own spelling "dkimSpf" is read too.
 */
int
arf_set_identity_alignment(struct arf_ctx *c, const char *value,
    size_t off)
{
	static const char sep[] = ", \t";
	enum { A_NONE = 1, A_SPF = 2, A_DKIM = 4, A_BAD = 8 };
	unsigned seen = 0;
	size_t	n;

	(void) off;
	if (c->have_identity_alignment)
		return (0);
	c->have_identity_alignment = true;
	for (value += strspn(value, sep); *value != '\0';
	    value += n, value += strspn(value, sep)) {
		n = strcspn(value, sep);
		if (n == 4 && strncasecmp(value, "none", 4) == 0)
			seen |= A_NONE;
		else if (n == 3 && strncasecmp(value, "spf", 3) == 0)
			seen |= A_SPF;
		else if (n == 4 && strncasecmp(value, "dkim", 4) == 0)
			seen |= A_DKIM;
		else if (n == 7 && strncasecmp(value, "dkimspf", 7) == 0)
			seen |= A_DKIM | A_SPF;
		else
			seen |= A_BAD;
	}
	if (seen == A_NONE)
		c->a->identity_alignment = ARF_ALIGN_NONE;
	else if (seen == A_SPF)
		c->a->identity_alignment = ARF_ALIGN_SPF;
	else if (seen == A_DKIM)
		c->a->identity_alignment = ARF_ALIGN_DKIM;
	else if (seen == (A_DKIM | A_SPF))
		c->a->identity_alignment = ARF_ALIGN_DKIM_SPF;
	else
		c->a->identity_alignment = ARF_ALIGN_UNSPECIFIED;
	return (0);
}
