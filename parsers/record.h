/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NAME
 *	record.h - the record model: External report objects in C
 * PURPOSE
 *	The three Stalwart External report objects (DmarcExternalReport,
 *	TlsExternalReport, ArfExternalReport) and everything inside them, as
 *	plain C structures that own their strings. Field names follow the JSON
 *	names of the schema; enum constants carry the JSON spelling in their
 *	name and record_enum.h maps them to and from text.
 *
 *	Every pointer in these structures is owned by the structure that holds
 *	it and is freed by the matching *_free() function. A NULL string is an
 *	absent optional value (JSON null); an empty list is JSON [].
 */
#ifndef RECORD_H
#define RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A growable list of owned strings. */
struct strlist {
	char  **v;
	size_t  n;
	size_t  cap;
};

/*
 * Appends a copy of the first len bytes of s (a NUL is added). Returns 0,
 * or -1 when memory ran out (the list is unchanged).
 */
int	strlist_add(struct strlist *, const char *s, size_t len);
/* Appends a copy of the NUL-terminated s. Returns 0 or -1 (out of memory). */
int	strlist_add_str(struct strlist *, const char *s);
/* Frees every string and the array; the list is left empty and reusable. */
void	strlist_clear(struct strlist *);

/* ---- DMARC aggregate report (DmarcReport) ---- */

enum dmarc_alignment {
	DMARC_ALIGN_UNSPECIFIED = 0,
	DMARC_ALIGN_RELAXED,
	DMARC_ALIGN_STRICT
};

enum dmarc_disposition {
	DMARC_DISP_UNSPECIFIED = 0,
	DMARC_DISP_NONE,
	DMARC_DISP_QUARANTINE,
	DMARC_DISP_REJECT
};

/* FailureReportingOption, kept as a bit set (printed in this order). */
enum dmarc_fo {
	DMARC_FO_ALL = 1 << 0,		/* "all"  (fo=0) */
	DMARC_FO_ANY = 1 << 1,		/* "any"  (fo=1) */
	DMARC_FO_DKIM = 1 << 2,		/* "dkimFailure" (fo=d) */
	DMARC_FO_SPF = 1 << 3		/* "spfFailure"  (fo=s) */
};

enum dmarc_action {
	DMARC_ACTION_UNSPECIFIED = 0,
	DMARC_ACTION_NONE,
	DMARC_ACTION_PASS,
	DMARC_ACTION_QUARANTINE,
	DMARC_ACTION_REJECT
};

enum dmarc_result {
	DMARC_RESULT_UNSPECIFIED = 0,
	DMARC_RESULT_PASS,
	DMARC_RESULT_FAIL
};

enum dmarc_override {
	DMARC_OVERRIDE_FORWARDED = 0,
	DMARC_OVERRIDE_SAMPLED_OUT,
	DMARC_OVERRIDE_TRUSTED_FORWARDER,
	DMARC_OVERRIDE_MAILING_LIST,
	DMARC_OVERRIDE_LOCAL_POLICY,
	DMARC_OVERRIDE_OTHER
};

enum dkim_auth_result {
	DKIM_RESULT_NONE = 0,
	DKIM_RESULT_PASS,
	DKIM_RESULT_FAIL,
	DKIM_RESULT_POLICY,
	DKIM_RESULT_NEUTRAL,
	DKIM_RESULT_TEMP_ERROR,
	DKIM_RESULT_PERM_ERROR
};

enum spf_scope {
	SPF_SCOPE_UNSPECIFIED = 0,
	SPF_SCOPE_HELO,
	SPF_SCOPE_MAIL_FROM
};

enum spf_auth_result {
	SPF_RESULT_NONE = 0,
	SPF_RESULT_NEUTRAL,
	SPF_RESULT_PASS,
	SPF_RESULT_FAIL,
	SPF_RESULT_SOFT_FAIL,
	SPF_RESULT_TEMP_ERROR,
	SPF_RESULT_PERM_ERROR
};

struct dmarc_override_reason {
	enum dmarc_override type;	/* overrideType */
	char   *comment;		/* comment? */
};

struct dmarc_dkim_result {
	char   *domain;			/* never NULL ("" when missing) */
	char   *selector;		/* never NULL ("" when missing) */
	enum dkim_auth_result result;
	char   *human_result;		/* humanResult? */
};

struct dmarc_spf_result {
	char   *domain;			/* never NULL */
	enum spf_scope scope;
	enum spf_auth_result result;
	char   *human_result;		/* humanResult? */
};

struct dmarc_extension {
	char   *name;			/* never NULL */
	char   *definition;		/* never NULL */
};

/* DmarcReportRecord: one <record>. */
struct dmarc_record {
	char   *source_ip;		/* sourceIp? */
	uint64_t count;
	enum dmarc_action evaluated_disposition;
	enum dmarc_result evaluated_dkim;
	enum dmarc_result evaluated_spf;
	struct dmarc_override_reason *overrides;	/* policyOverrideReasons */
	size_t	n_overrides;
	char   *envelope_to;		/* envelopeTo? */
	char   *envelope_from;		/* never NULL ("" when missing) */
	char   *header_from;		/* never NULL ("" when missing) */
	struct dmarc_dkim_result *dkim;	/* dkimResults */
	size_t	n_dkim;
	struct dmarc_spf_result *spf;	/* spfResults */
	size_t	n_spf;
	struct dmarc_extension *ext;	/* extensions */
	size_t	n_ext;
};

/* DmarcReport. Times are seconds since the epoch, UTC. */
struct dmarc_report {
	double	version;		/* 1.0 unless the report says */
	char   *org_name;		/* never NULL */
	char   *email;			/* never NULL */
	char   *extra_contact_info;	/* extraContactInfo? */
	char   *report_id;		/* never NULL */
	int64_t	date_range_begin;
	int64_t	date_range_end;
	struct strlist errors;
	char   *policy_domain;		/* never NULL */
	char   *policy_version;		/* policyVersion? */
	enum dmarc_alignment policy_adkim;
	enum dmarc_alignment policy_aspf;
	enum dmarc_disposition policy_disposition;
	enum dmarc_disposition policy_subdomain_disposition;
	bool	policy_testing_mode;
	unsigned policy_fo;		/* enum dmarc_fo bits */
	struct dmarc_record *records;	/* records kept in memory (see below) */
	size_t	n_records;
	size_t	cap_records;
	struct dmarc_extension *ext;	/* extensions (report level) */
	size_t	n_ext;
};

/* ---- SMTP TLS report (TlsReport) ---- */

enum tls_policy_type {
	TLS_POLICY_TLSA = 0,
	TLS_POLICY_STS,
	TLS_POLICY_NO_POLICY_FOUND,
	TLS_POLICY_OTHER
};

enum tls_result_type {
	TLS_RESULT_START_TLS_NOT_SUPPORTED = 0,
	TLS_RESULT_CERTIFICATE_HOST_MISMATCH,
	TLS_RESULT_CERTIFICATE_EXPIRED,
	TLS_RESULT_CERTIFICATE_NOT_TRUSTED,
	TLS_RESULT_VALIDATION_FAILURE,
	TLS_RESULT_TLSA_INVALID,
	TLS_RESULT_DNSSEC_INVALID,
	TLS_RESULT_DANE_REQUIRED,
	TLS_RESULT_STS_POLICY_FETCH_ERROR,
	TLS_RESULT_STS_POLICY_INVALID,
	TLS_RESULT_STS_WEBPKI_INVALID,
	TLS_RESULT_OTHER
};

struct tls_failure {
	enum tls_result_type result_type;
	char   *sending_mta_ip;		/* sendingMtaIp? */
	char   *receiving_mx_hostname;	/* receivingMxHostname? */
	char   *receiving_mx_helo;	/* receivingMxHelo? */
	char   *receiving_ip;		/* receivingIp? */
	uint64_t failed_session_count;
	char   *additional_information;	/* additionalInformation? */
	char   *failure_reason_code;	/* failureReasonCode? */
};

struct tls_policy {
	enum tls_policy_type policy_type;
	struct strlist policy_strings;
	char   *policy_domain;		/* never NULL */
	struct strlist mx_hosts;
	uint64_t total_successful_sessions;
	uint64_t total_failed_sessions;
	struct tls_failure *failures;	/* failureDetails */
	size_t	n_failures;
};

struct tls_report {
	char   *organization_name;	/* organizationName? */
	char   *contact_info;		/* contactInfo? */
	char   *report_id;		/* never NULL */
	int64_t	date_range_start;
	int64_t	date_range_end;
	struct tls_policy *policies;
	size_t	n_policies;
};

/* ---- ARF feedback report (ArfFeedbackReport) ---- */

enum arf_feedback_type {
	ARF_FEEDBACK_ABUSE = 0,
	ARF_FEEDBACK_AUTH_FAILURE,
	ARF_FEEDBACK_FRAUD,
	ARF_FEEDBACK_NOT_SPAM,
	ARF_FEEDBACK_VIRUS,
	ARF_FEEDBACK_OTHER
};

enum arf_auth_failure {
	ARF_AUTH_FAILURE_ADSP = 0,
	ARF_AUTH_FAILURE_BODY_HASH,
	ARF_AUTH_FAILURE_REVOKED,
	ARF_AUTH_FAILURE_SIGNATURE,
	ARF_AUTH_FAILURE_SPF,
	ARF_AUTH_FAILURE_DMARC,
	ARF_AUTH_FAILURE_UNSPECIFIED
};

enum arf_delivery_result {
	ARF_DELIVERY_DELIVERED = 0,
	ARF_DELIVERY_SPAM,
	ARF_DELIVERY_POLICY,
	ARF_DELIVERY_REJECT,
	ARF_DELIVERY_OTHER,
	ARF_DELIVERY_UNSPECIFIED
};

enum arf_identity_alignment {
	ARF_ALIGN_NONE = 0,
	ARF_ALIGN_SPF,
	ARF_ALIGN_DKIM,
	ARF_ALIGN_DKIM_SPF,
	ARF_ALIGN_UNSPECIFIED
};

struct arf_report {
	enum arf_feedback_type feedback_type;
	bool	has_arrival_date;
	int64_t	arrival_date;		/* arrivalDate? (valid if has_arrival_date) */
	struct strlist authentication_results;
	uint64_t incidents;		/* 1 when the field is absent (RFC 5965) */
	char   *original_envelope_id;	/* originalEnvelopeId? */
	char   *original_mail_from;	/* originalMailFrom? */
	char   *original_rcpt_to;	/* originalRcptTo? (the first one) */
	struct strlist reported_domains;
	struct strlist reported_uris;
	char   *reporting_mta;		/* reportingMta? */
	char   *source_ip;		/* sourceIp? */
	uint32_t source_port;		/* sourcePort?, 0 = absent */
	char   *user_agent;		/* userAgent? */
	uint32_t version;		/* 1 unless the report says */
	enum arf_auth_failure auth_failure;
	enum arf_delivery_result delivery_result;
	char   *dkim_adsp_dns;
	char   *dkim_canonicalized_body;
	char   *dkim_canonicalized_header;
	char   *dkim_domain;
	char   *dkim_identity;
	char   *dkim_selector;
	char   *dkim_selector_dns;
	char   *spf_dns;
	enum arf_identity_alignment identity_alignment;
	char   *message;		/* message? the returned message */
	char   *headers;		/* headers? the returned headers only */
};

/* ---- one report of any kind ---- */

enum record_type {
	RECORD_DMARC = 1,
	RECORD_TLS,
	RECORD_ARF
};

struct report {
	enum record_type type;
	union {
		struct dmarc_report dmarc;
		struct tls_report tls;
		struct arf_report arf;
	} u;
};

/*
 * Whether the report mail was authenticated (authres.h): kept by the
 * store beside the Stalwart fields, printed as "@authenticated".
 */
enum record_auth {
	RECORD_AUTH_NONE = 0,	/* null: no trusted Authentication-Results */
	RECORD_AUTH_FAIL,	/* false: trusted ones, no aligned DKIM pass */
	RECORD_AUTH_PASS	/* true: an aligned DKIM pass */
};

/*
 * An External report object: a report and the mail it came in. Times are
 * seconds since the epoch, UTC.
 */
struct external_report {
	char   *id;			/* assigned by the store; NULL before */
	struct report *report;		/* owned */
	char   *from;			/* never NULL ("" when unknown) */
	char   *subject;		/* never NULL ("" when none) */
	struct strlist to;
	int64_t	received_at;
	int64_t	expires_at;
	char   *member_tenant_id;	/* memberTenantId? */
	enum record_auth authenticated;	/* not a Stalwart field (above) */
};

/*
 * Allocates a zeroed report of the given type with the schema defaults
 * set (DMARC version 1.0, ARF version 1 and incidents 1, every enum at its
 * "unspecified" value where it has one). Returns NULL when out of memory.
 */
struct report *report_new(enum record_type);
/* Frees a report and everything it owns; NULL is fine. */
void	report_free(struct report *);

/* Allocates a zeroed external report (from and subject ""). NULL: no memory. */
struct external_report *external_report_new(void);
/* Frees an external report, its report and its strings; NULL is fine. */
void	external_report_free(struct external_report *);

/* Frees what one DMARC record owns (not the record itself). */
void	dmarc_record_clear(struct dmarc_record *);

/*
 * Appends a DMARC record to the report, taking ownership of what *rec
 * holds (rec is zeroed on success). Returns 0, or -1 when out of memory
 * (then *rec is untouched and still the caller's).
 */
int	dmarc_report_add_record(struct dmarc_report *, struct dmarc_record *rec);

/* Frees every record the report holds in memory; n_records becomes 0. */
void	dmarc_report_clear_records(struct dmarc_report *);

/* strdup() that accepts NULL and returns NULL for it. */
char   *record_strdup(const char *);
/*
 * A copy of the first len bytes of s, NUL-terminated, where each byte that
 * starts no valid UTF-8 sequence is replaced by U+FFFD (so every string of
 * the model is UTF-8); NULL when out of memory. record_strdup() too.
 */
char   *record_strndup(const char *s, size_t len);

#endif
