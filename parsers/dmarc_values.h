/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	dmarc_values.h - the text of a DMARC report's values, as record enums
 * PURPOSE
 *	Maps what reporters really write ("Pass", "softfail", "hardfail",
 *	"temperror", "relaxed", "mfrom", "sampled_out", "0:1:d:s",
 *	"1337270400.0", ...) to the record model of record.h. Every function
 *	takes a NUL-terminated value already stripped of surrounding white
 *	space, compares without regard to case, and says when the text
 *	matches nothing, so that the caller can keep the original text where
 *	the schema has a place for it. Pure functions: no allocation.
 */
#ifndef DMARC_VALUES_H
#define DMARC_VALUES_H

#include <stdint.h>

/*
 * A date_range timestamp: decimal seconds since the epoch, optionally
 * signed, optionally followed by a fraction that is truncated
 * ("1337270400.0" is 1337270400). Returns 0 and sets *out, or -1 when
 * the text is not such a number or does not fit.
 */
int	dmarc_values_timestamp(const char *s, int64_t *out);

/*
 * A <count> or <pct>: an unsigned decimal integer. Returns 0 and sets
 * *out, or -1 when the text is empty, not a number, or too large.
 */
int	dmarc_values_uint(const char *s, uint64_t *out);

/*
 * The version of the report format ("1.0", "2.0"). Returns 0 and sets
 * *out, or -1 when the text is not a finite decimal number.
 */
int	dmarc_values_version(const char *s, double *out);

/*
 * Each of the following returns the enum value of record.h (an int so
 * that -1 can say "no match"), or -1 when the text spells none of the
 * values or their known variants. The empty text is no match either;
 * callers map it to the field's default without keeping it.
 */
/* adkim/aspf: "r", "s", "relaxed", "strict". */
int	dmarc_values_alignment(const char *s);
/* p/sp: "none", "quarantine", "reject". */
int	dmarc_values_disposition(const char *s);
/* policy_evaluated disposition: "none", "pass", "quarantine", "reject". */
int	dmarc_values_action(const char *s);
/* policy_evaluated dkim/spf: "pass", "fail". */
int	dmarc_values_result(const char *s);
/*
 * DKIM auth result: the schema's values ("temperror", "perm-error" too),
 * and the legacy "hardfail" (fail), "unknown" (permError) and "error"
 * (tempError).
 */
int	dmarc_values_dkim(const char *s);
/* SPF auth result: as dmarc_values_dkim(), with "softfail"/"soft-fail". */
int	dmarc_values_spf(const char *s);
/* SPF scope: "helo", "mfrom" (mailFrom), "mailfrom", "mail_from". */
int	dmarc_values_scope(const char *s);
/*
 * Policy override type: "forwarded", "sampled_out", "trusted_forwarder",
 * "mailing_list", "local_policy", "other", with or without the
 * underscore (or a '-').
 */
int	dmarc_values_override(const char *s);

/*
 * The fo tag ("0", "1:d", "0:1:d:s"): a set of enum dmarc_fo bits.
 * Tokens are separated by ':' (',' and white space are tolerated).
 * Returns the bits, or -1 when a token is none of 0, 1, d, s (then the
 * bits of the tokens understood are still in *partial).
 */
int	dmarc_values_fo(const char *s, unsigned *partial);

/* DMARCbis <testing>: 1 for "y" (any case), 0 for anything else. */
int	dmarc_values_testing(const char *s);

#endif
