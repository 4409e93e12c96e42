/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	record_enum - the JSON spelling of every record enum
 * PURPOSE
 *	Tables indexed by the enum values of record.h. The order of each
 *	table is the order of its enum; a static assertion per table keeps the
 *	two from drifting apart.
 */
#include <assert.h>
#include <strings.h>

#include "record.h"
#include "record_enum.h"

static const char *const alignment[] = { "unspecified", "relaxed", "strict" };
static const char *const disposition[] = {
	"unspecified", "none", "quarantine", "reject"
};
static const char *const fo[] = { "all", "any", "dkimFailure", "spfFailure" };
static const char *const action[] = {
	"unspecified", "none", "pass", "quarantine", "reject"
};
static const char *const result[] = { "unspecified", "pass", "fail" };
static const char *const override[] = {
	"Forwarded", "SampledOut", "TrustedForwarder", "MailingList",
	"LocalPolicy", "Other"
};
static const char *const dkim[] = {
	"none", "pass", "fail", "policy", "neutral", "tempError", "permError"
};
static const char *const scope[] = { "unspecified", "helo", "mailFrom" };
static const char *const spf[] = {
	"none", "neutral", "pass", "fail", "softFail", "tempError", "permError"
};
static const char *const tls_policy[] = {
	"tlsa", "sts", "noPolicyFound", "other"
};
static const char *const tls_result[] = {
	"startTlsNotSupported", "certificateHostMismatch",
	"certificateExpired", "certificateNotTrusted", "validationFailure",
	"tlsaInvalid", "dnssecInvalid", "daneRequired", "stsPolicyFetchError",
	"stsPolicyInvalid", "stsWebpkiInvalid", "other"
};
static const char *const feedback[] = {
	"abuse", "authFailure", "fraud", "notSpam", "virus", "other"
};
static const char *const auth_failure[] = {
	"adsp", "bodyHash", "revoked", "signature", "spf", "dmarc",
	"unspecified"
};
static const char *const delivery[] = {
	"delivered", "spam", "policy", "reject", "other", "unspecified"
};
static const char *const identity[] = {
	"none", "spf", "dkim", "dkimSpf", "unspecified"
};

#define N(a)	((int) (sizeof(a) / sizeof((a)[0])))

_Static_assert(N(alignment) == DMARC_ALIGN_STRICT + 1, "alignment");
_Static_assert(N(disposition) == DMARC_DISP_REJECT + 1, "disposition");
_Static_assert(N(action) == DMARC_ACTION_REJECT + 1, "action");
_Static_assert(N(result) == DMARC_RESULT_FAIL + 1, "result");
_Static_assert(N(override) == DMARC_OVERRIDE_OTHER + 1, "override");
_Static_assert(N(dkim) == DKIM_RESULT_PERM_ERROR + 1, "dkim");
_Static_assert(N(scope) == SPF_SCOPE_MAIL_FROM + 1, "scope");
_Static_assert(N(spf) == SPF_RESULT_PERM_ERROR + 1, "spf");
_Static_assert(N(tls_policy) == TLS_POLICY_OTHER + 1, "tls policy");
_Static_assert(N(tls_result) == TLS_RESULT_OTHER + 1, "tls result");
_Static_assert(N(feedback) == ARF_FEEDBACK_OTHER + 1, "feedback");
_Static_assert(N(auth_failure) == ARF_AUTH_FAILURE_UNSPECIFIED + 1, "auth");
_Static_assert(N(delivery) == ARF_DELIVERY_UNSPECIFIED + 1, "delivery");
_Static_assert(N(identity) == ARF_ALIGN_UNSPECIFIED + 1, "identity");

static const struct table {
	const char *const *names;
	int	count;
} tables[RENUM_COUNT] = {
	[RENUM_DMARC_ALIGNMENT] = { alignment, N(alignment) },
	[RENUM_DMARC_DISPOSITION] = { disposition, N(disposition) },
	[RENUM_DMARC_FO] = { fo, N(fo) },
	[RENUM_DMARC_ACTION] = { action, N(action) },
	[RENUM_DMARC_RESULT] = { result, N(result) },
	[RENUM_DMARC_OVERRIDE] = { override, N(override) },
	[RENUM_DKIM_RESULT] = { dkim, N(dkim) },
	[RENUM_SPF_SCOPE] = { scope, N(scope) },
	[RENUM_SPF_RESULT] = { spf, N(spf) },
	[RENUM_TLS_POLICY_TYPE] = { tls_policy, N(tls_policy) },
	[RENUM_TLS_RESULT_TYPE] = { tls_result, N(tls_result) },
	[RENUM_ARF_FEEDBACK_TYPE] = { feedback, N(feedback) },
	[RENUM_ARF_AUTH_FAILURE] = { auth_failure, N(auth_failure) },
	[RENUM_ARF_DELIVERY_RESULT] = { delivery, N(delivery) },
	[RENUM_ARF_IDENTITY_ALIGNMENT] = { identity, N(identity) },
};

const char *
record_enum_name(enum record_enum e, int value)
{
	assert(e >= 0 && e < RENUM_COUNT);
	assert(value >= 0 && value < tables[e].count);
	return (tables[e].names[value]);
}

int
record_enum_value(enum record_enum e, const char *text)
{
	int	i;

	assert(e >= 0 && e < RENUM_COUNT);
	if (text == NULL)
		return (-1);
	/*
	 * Equal letters are equal with bit 0x20 set, whatever their case:
	 * the first byte rules out most names before strcasecmp() runs.
	 */
	for (i = 0; i < tables[e].count; i++)
		if ((tables[e].names[i][0] | 0x20) == (text[0] | 0x20) &&
		    strcasecmp(tables[e].names[i], text) == 0)
			return (i);
	return (-1);
}

int
record_enum_value_loose(enum record_enum e, const char *text)
{
	char	buf[64];		/* longer than any spelling */
	size_t	n = 0;

	if (text == NULL)
		return (-1);
	for (; *text != '\0'; text++) {
		if (*text == '-' || *text == '_' || *text == ' ')
			continue;
		if (n + 1 >= sizeof(buf))
			return (-1);
		buf[n++] = *text;
	}
	buf[n] = '\0';
	return (n == 0 ? -1 : record_enum_value(e, buf));
}

int
record_enum_count(enum record_enum e)
{
	assert(e >= 0 && e < RENUM_COUNT);
	return (tables[e].count);
}
