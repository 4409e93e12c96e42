/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	record_enum.h - the JSON spelling of every record enum
 * PURPOSE
 *	One table per enum of record.h, so that the JSON codec and the
 *	parsers agree on the schema's spellings ("softFail", "tempError",
 *	"SampledOut", ...).
 */
#ifndef RECORD_ENUM_H
#define RECORD_ENUM_H

enum record_enum {
	RENUM_DMARC_ALIGNMENT,
	RENUM_DMARC_DISPOSITION,
	RENUM_DMARC_FO,			/* bit number, not bit value */
	RENUM_DMARC_ACTION,
	RENUM_DMARC_RESULT,
	RENUM_DMARC_OVERRIDE,
	RENUM_DKIM_RESULT,
	RENUM_SPF_SCOPE,
	RENUM_SPF_RESULT,
	RENUM_TLS_POLICY_TYPE,
	RENUM_TLS_RESULT_TYPE,
	RENUM_ARF_FEEDBACK_TYPE,
	RENUM_ARF_AUTH_FAILURE,
	RENUM_ARF_DELIVERY_RESULT,
	RENUM_ARF_IDENTITY_ALIGNMENT,
	RENUM_COUNT
};

/*
 * The schema's spelling of value in the given enum. value must be a
 * member of the enum (misuse asserts).
 */
const char *record_enum_name(enum record_enum, int value);

/*
 * The value whose schema spelling equals text, compared without regard to
 * case. Returns the value, or -1 when text spells none of them.
 */
int	record_enum_value(enum record_enum, const char *text);

/*
 * As record_enum_value(), but '-', '_' and spaces in text are ignored
 * first, as reports write them: "auth-failure" is authFailure,
 * "starttls-not-supported" is startTlsNotSupported, "bodyhash" is
 * bodyHash. Returns -1 when none matches.
 */
int	record_enum_value_loose(enum record_enum, const char *text);

/* How many values the enum has (values are 0 .. count-1). */
int	record_enum_count(enum record_enum);

#endif
