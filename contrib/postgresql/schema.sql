-- SPDX-License-Identifier: BSD-2-Clause
--
-- The PostgreSQL schema of report-query push (report-query(1), PUSH).
--
-- report-query push creates it on its first push and upgrades it: each
-- "-- migration N" section below runs once, in order, in one transaction
-- under an advisory lock, and is recorded in report_milter.schema_version.
-- A later release appends migrations; a section once released is never
-- edited. To create the schema by hand instead: psql -f schema.sql runs
-- every section (the version rows included).
--
-- The unique key of every report is report_key: the lower-case hex
-- SHA-256 digest of the store's dedup key, with the same definition as in
-- the store (report-query(1), DEDUP KEYS). Every MX host that pushes a
-- report adds a row to report_host; the report and its records are there
-- once. A report whose key is known but whose content differs is a row of
-- report_conflict, and its records are not added. What report-query
-- enrich found of the reports' source IPs is in source_host, one row per
-- address (migration 3).

-- migration 1
CREATE SCHEMA IF NOT EXISTS report_milter;

CREATE TABLE IF NOT EXISTS report_milter.schema_version (
	version integer PRIMARY KEY,
	applied_at timestamptz NOT NULL DEFAULT now()
);

-- DmarcExternalReport: one row per report. object is the whole External
-- report object as report-query get prints it, but for report.records,
-- which are the rows of dmarc_record (dmarc_report_object puts them back).
CREATE TABLE report_milter.dmarc_report (
	id bigserial PRIMARY KEY,
	report_key text NOT NULL UNIQUE,
	content_hash text NOT NULL,
	org_name text NOT NULL,
	email text NOT NULL,
	report_id text NOT NULL,
	policy_domain text NOT NULL,
	date_begin timestamptz NOT NULL,
	date_end timestamptz NOT NULL,
	policy_adkim text NOT NULL,
	policy_aspf text NOT NULL,
	policy_disposition text NOT NULL,
	policy_subdomain_disposition text NOT NULL,
	policy_testing_mode boolean NOT NULL,
	record_count bigint NOT NULL DEFAULT 0,
	message_count bigint NOT NULL DEFAULT 0,
	from_address text NOT NULL,
	subject text NOT NULL,
	received_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL,
	received_by text NOT NULL,
	object jsonb NOT NULL
);
CREATE INDEX ON report_milter.dmarc_report (policy_domain, date_begin);
CREATE INDEX ON report_milter.dmarc_report (org_name);
CREATE INDEX ON report_milter.dmarc_report (expires_at);

-- DmarcReportRecord: one row each, n its place in the report (from 0).
-- dkim and spf are the evaluated results (policy_evaluated): pass there is
-- an aligned pass, and so dkim_aligned and spf_aligned. record is the
-- whole DmarcReportRecord (its dkimResults and spfResults: the views
-- dmarc_record_dkim and dmarc_record_spf).
CREATE TABLE report_milter.dmarc_record (
	report bigint NOT NULL REFERENCES report_milter.dmarc_report (id)
	    ON DELETE CASCADE,
	n integer NOT NULL,
	source_ip inet,
	count bigint NOT NULL,
	disposition text NOT NULL,
	dkim text NOT NULL,
	spf text NOT NULL,
	dkim_aligned boolean NOT NULL,
	spf_aligned boolean NOT NULL,
	header_from text NOT NULL,
	envelope_from text NOT NULL,
	envelope_to text,
	record jsonb NOT NULL,
	PRIMARY KEY (report, n)
);
CREATE INDEX ON report_milter.dmarc_record (source_ip);

-- TlsExternalReport, its policies and their failure details.
CREATE TABLE report_milter.tls_report (
	id bigserial PRIMARY KEY,
	report_key text NOT NULL UNIQUE,
	content_hash text NOT NULL,
	organization_name text,
	contact_info text,
	report_id text NOT NULL,
	date_begin timestamptz NOT NULL,
	date_end timestamptz NOT NULL,
	successful_sessions bigint NOT NULL,
	failed_sessions bigint NOT NULL,
	from_address text NOT NULL,
	subject text NOT NULL,
	received_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL,
	received_by text NOT NULL,
	object jsonb NOT NULL
);
CREATE INDEX ON report_milter.tls_report (date_begin);
CREATE INDEX ON report_milter.tls_report (expires_at);

CREATE TABLE report_milter.tls_policy (
	report bigint NOT NULL REFERENCES report_milter.tls_report (id)
	    ON DELETE CASCADE,
	n integer NOT NULL,
	policy_type text NOT NULL,
	policy_domain text NOT NULL,
	policy_strings text[] NOT NULL,
	mx_hosts text[] NOT NULL,
	successful_sessions bigint NOT NULL,
	failed_sessions bigint NOT NULL,
	PRIMARY KEY (report, n)
);
CREATE INDEX ON report_milter.tls_policy (policy_domain);

CREATE TABLE report_milter.tls_failure (
	report bigint NOT NULL REFERENCES report_milter.tls_report (id)
	    ON DELETE CASCADE,
	policy integer NOT NULL,
	n integer NOT NULL,
	result_type text NOT NULL,
	sending_mta_ip inet,
	receiving_mx_hostname text,
	receiving_mx_helo text,
	receiving_ip inet,
	failed_sessions bigint NOT NULL,
	additional_information text,
	failure_reason_code text,
	PRIMARY KEY (report, policy, n)
);

-- ArfExternalReport, with its typed fields.
CREATE TABLE report_milter.arf_report (
	id bigserial PRIMARY KEY,
	report_key text NOT NULL UNIQUE,
	content_hash text NOT NULL,
	feedback_type text NOT NULL,
	arrival_date timestamptz,
	incidents bigint NOT NULL,
	source_ip inet,
	source_port integer,
	reported_domains text[] NOT NULL,
	reported_uris text[] NOT NULL,
	original_envelope_id text,
	original_mail_from text,
	original_rcpt_to text,
	reporting_mta text,
	user_agent text,
	auth_failure text NOT NULL,
	delivery_result text NOT NULL,
	identity_alignment text NOT NULL,
	dkim_domain text,
	dkim_selector text,
	authentication_results text[] NOT NULL,
	from_address text NOT NULL,
	subject text NOT NULL,
	received_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL,
	received_by text NOT NULL,
	object jsonb NOT NULL
);
CREATE INDEX ON report_milter.arf_report (arrival_date);
CREATE INDEX ON report_milter.arf_report (expires_at);

-- Every host that holds a report: its id there, when it received it, its
-- repeats there and when it saw the last one. Written with the host's
-- own figures (a push sends them as they are, never as an increment).
CREATE TABLE report_milter.report_host (
	report_key text NOT NULL,
	host text NOT NULL,
	type text NOT NULL,
	local_id text NOT NULL,
	received_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL,
	duplicates bigint NOT NULL,
	last_seen timestamptz,
	pushed_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (report_key, host)
);

-- A report whose key is known with other content: kept for a look, its
-- records are not added.
CREATE TABLE report_milter.report_conflict (
	report_key text NOT NULL,
	content_hash text NOT NULL,
	host text NOT NULL,
	type text NOT NULL,
	local_id text NOT NULL,
	object jsonb NOT NULL,
	found_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (report_key, content_hash, host)
);

-- How often each report was received, over all hosts: the first receipt
-- and every repeat (received = hosts + their repeats); the newest receipt.
CREATE VIEW report_milter.report_seen AS
SELECT report_key, min(type) AS type, count(*) AS hosts,
    sum(1 + duplicates) AS received, sum(1 + duplicates) - 1 AS repeats,
    max(greatest(received_at, coalesce(last_seen, received_at))) AS last_seen
FROM report_milter.report_host GROUP BY report_key;

-- The DKIM and SPF results of each DMARC record, one row each.
CREATE VIEW report_milter.dmarc_record_dkim AS
SELECT r.report, r.n, d.domain, d.selector, d.result, d."humanResult" AS human_result
FROM report_milter.dmarc_record r,
    jsonb_to_recordset(r.record -> 'dkimResults')
    AS d(domain text, selector text, result text, "humanResult" text);

CREATE VIEW report_milter.dmarc_record_spf AS
SELECT r.report, r.n, s.domain, s.scope, s.result, s."humanResult" AS human_result
FROM report_milter.dmarc_record r,
    jsonb_to_recordset(r.record -> 'spfResults')
    AS s(domain text, scope text, result text, "humanResult" text);

-- The whole DmarcExternalReport object, records included.
CREATE VIEW report_milter.dmarc_report_object AS
SELECT d.id, d.report_key, jsonb_set(d.object, '{report,records}',
    coalesce((SELECT jsonb_agg(r.record ORDER BY r.n)
	FROM report_milter.dmarc_record r WHERE r.report = d.id), '[]'))
    AS object
FROM report_milter.dmarc_report d;

-- The share of a date range [b, e) that falls on each UTC day it touches
-- (a range of no length: all of it on the day of b). Reports of several
-- days are spread over their days so, in proportion to their seconds.
CREATE FUNCTION report_milter.day_shares(b timestamptz, e timestamptz)
RETURNS TABLE (day date, share double precision)
LANGUAGE sql IMMUTABLE AS $$
	SELECT (g AT TIME ZONE 'UTC')::date,
	    CASE WHEN e <= b THEN 1.0
	    ELSE extract(epoch FROM least(e, g + interval '24 hours') - greatest(b, g))
		/ extract(epoch FROM e - b) END
	FROM generate_series(date_trunc('day', b AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
	    CASE WHEN e <= b THEN b ELSE e - interval '1 microsecond' END,
	    interval '24 hours') AS g
$$;

-- DMARC messages per day, policy domain and result (passed: DKIM or SPF
-- aligned pass, as report-query summary counts it).
CREATE VIEW report_milter.dmarc_daily AS
SELECT s.day, d.policy_domain, (r.dkim = 'pass' OR r.spf = 'pass') AS passed,
    sum(r.count * s.share) AS messages
FROM report_milter.dmarc_report d
JOIN report_milter.dmarc_record r ON r.report = d.id
CROSS JOIN LATERAL report_milter.day_shares(d.date_begin, d.date_end) s
GROUP BY 1, 2, 3;

-- The same per source IP.
CREATE VIEW report_milter.dmarc_daily_source AS
SELECT s.day, d.policy_domain, r.source_ip,
    (r.dkim = 'pass' OR r.spf = 'pass') AS passed,
    sum(r.count * s.share) AS messages
FROM report_milter.dmarc_report d
JOIN report_milter.dmarc_record r ON r.report = d.id
CROSS JOIN LATERAL report_milter.day_shares(d.date_begin, d.date_end) s
GROUP BY 1, 2, 3, 4;

-- TLS sessions per day and policy domain.
CREATE VIEW report_milter.tls_daily AS
SELECT s.day, p.policy_domain,
    sum(p.successful_sessions * s.share) AS successful,
    sum(p.failed_sessions * s.share) AS failed
FROM report_milter.tls_report t
JOIN report_milter.tls_policy p ON p.report = t.id
CROSS JOIN LATERAL report_milter.day_shares(t.date_begin, t.date_end) s
GROUP BY 1, 2;

-- TLS failures per day, policy domain and result type.
CREATE VIEW report_milter.tls_daily_failure AS
SELECT s.day, p.policy_domain, f.result_type,
    sum(f.failed_sessions * s.share) AS failed
FROM report_milter.tls_report t
JOIN report_milter.tls_policy p ON p.report = t.id
JOIN report_milter.tls_failure f ON f.report = t.id AND f.policy = p.n
CROSS JOIN LATERAL report_milter.day_shares(t.date_begin, t.date_end) s
GROUP BY 1, 2, 3;

-- Retention: deletes the reports (with their rows) whose expiresAt is
-- past, as report-query push --purge-expired does; returns how many.
CREATE FUNCTION report_milter.purge_expired(at timestamptz DEFAULT now())
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	n bigint := 0;
	k bigint;
BEGIN
	DELETE FROM report_milter.dmarc_report WHERE expires_at < at;
	GET DIAGNOSTICS k = ROW_COUNT; n := n + k;
	DELETE FROM report_milter.tls_report WHERE expires_at < at;
	GET DIAGNOSTICS k = ROW_COUNT; n := n + k;
	DELETE FROM report_milter.arf_report WHERE expires_at < at;
	GET DIAGNOSTICS k = ROW_COUNT; n := n + k;
	DELETE FROM report_milter.report_host h WHERE h.expires_at < at;
	DELETE FROM report_milter.report_conflict c WHERE NOT EXISTS (
	    SELECT 1 FROM report_milter.report_host h
	    WHERE h.report_key = c.report_key);
	RETURN n;
END
$$;

INSERT INTO report_milter.schema_version (version) VALUES (1);

-- migration 2
-- DMARC records go in at the rate of a bulk load. Their rows carry no
-- copy of the whole record: the typed columns hold it, with its DKIM and
-- SPF results, override reasons and extensions as jsonb (NULL for an
-- empty list), and dmarc_record_json puts each record back together. No
-- foreign key and no primary key check each row: a report's records are
-- written once, by the push that inserted the report's row, in the same
-- transaction, and purge_expired deletes them with their report. A BRIN
-- index on report (rows arrive in the order of report ids) finds them.
-- A site that looks up single source IPs can add
--   CREATE INDEX ON report_milter.dmarc_record (source_ip);
DROP VIEW report_milter.dmarc_record_dkim;
DROP VIEW report_milter.dmarc_record_spf;
DROP VIEW report_milter.dmarc_report_object;
ALTER TABLE report_milter.dmarc_record
	DROP CONSTRAINT dmarc_record_report_fkey,
	DROP CONSTRAINT dmarc_record_pkey,
	ADD COLUMN source_text text,
	ADD COLUMN dkim_results jsonb,
	ADD COLUMN spf_results jsonb,
	ADD COLUMN override_reasons jsonb,
	ADD COLUMN extensions jsonb;
UPDATE report_milter.dmarc_record SET
	source_text = CASE WHEN source_ip IS NULL THEN record ->> 'sourceIp' END,
	dkim_results = record -> 'dkimResults',
	spf_results = record -> 'spfResults',
	override_reasons = nullif(record -> 'policyOverrideReasons', '[]'),
	extensions = nullif(record -> 'extensions', '[]');
ALTER TABLE report_milter.dmarc_record
	ALTER dkim_results SET NOT NULL,
	ALTER spf_results SET NOT NULL,
	DROP COLUMN record;
DROP INDEX report_milter.dmarc_record_source_ip_idx;
CREATE INDEX dmarc_record_report_idx ON report_milter.dmarc_record
	USING brin (report);

-- Each DmarcReportRecord whole, as report-query get prints it (sourceIp
-- in PostgreSQL's form of the address; source_text keeps one that is
-- not an address).
CREATE VIEW report_milter.dmarc_record_json AS
SELECT r.report, r.n, jsonb_build_object(
	'sourceIp', coalesce(host(r.source_ip), r.source_text),
	'count', r.count,
	'evaluatedDisposition', r.disposition,
	'evaluatedDkim', r.dkim,
	'evaluatedSpf', r.spf,
	'policyOverrideReasons', coalesce(r.override_reasons, '[]'),
	'envelopeTo', r.envelope_to,
	'envelopeFrom', r.envelope_from,
	'headerFrom', r.header_from,
	'dkimResults', r.dkim_results,
	'spfResults', r.spf_results,
	'extensions', coalesce(r.extensions, '[]')) AS record
FROM report_milter.dmarc_record r;

CREATE VIEW report_milter.dmarc_record_dkim AS
SELECT r.report, r.n, d.domain, d.selector, d.result, d."humanResult" AS human_result
FROM report_milter.dmarc_record r,
    jsonb_to_recordset(r.dkim_results)
    AS d(domain text, selector text, result text, "humanResult" text);

CREATE VIEW report_milter.dmarc_record_spf AS
SELECT r.report, r.n, s.domain, s.scope, s.result, s."humanResult" AS human_result
FROM report_milter.dmarc_record r,
    jsonb_to_recordset(r.spf_results)
    AS s(domain text, scope text, result text, "humanResult" text);

CREATE VIEW report_milter.dmarc_report_object AS
SELECT d.id, d.report_key, jsonb_set(d.object, '{report,records}',
    coalesce((SELECT jsonb_agg(r.record ORDER BY r.n)
	FROM report_milter.dmarc_record_json r WHERE r.report = d.id), '[]'))
    AS object
FROM report_milter.dmarc_report d;

CREATE OR REPLACE FUNCTION report_milter.purge_expired(at timestamptz DEFAULT now())
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	n bigint := 0;
	k bigint;
BEGIN
	DELETE FROM report_milter.dmarc_record r USING report_milter.dmarc_report d
	    WHERE r.report = d.id AND d.expires_at < at;
	DELETE FROM report_milter.dmarc_report WHERE expires_at < at;
	GET DIAGNOSTICS k = ROW_COUNT; n := n + k;
	DELETE FROM report_milter.tls_report WHERE expires_at < at;
	GET DIAGNOSTICS k = ROW_COUNT; n := n + k;
	DELETE FROM report_milter.arf_report WHERE expires_at < at;
	GET DIAGNOSTICS k = ROW_COUNT; n := n + k;
	DELETE FROM report_milter.report_host h WHERE h.expires_at < at;
	DELETE FROM report_milter.report_conflict c WHERE NOT EXISTS (
	    SELECT 1 FROM report_milter.report_host h
	    WHERE h.report_key = c.report_key);
	RETURN n;
END
$$;

INSERT INTO report_milter.schema_version (version) VALUES (2);

-- migration 3
-- What report-query enrich found of each source IP: the addresses of
-- DMARC records (dmarc_record.source_ip), of TLS sending MTAs and
-- receiving IPs (tls_failure.sending_mta_ip, receiving_ip) and of ARF
-- sources (arf_report.source_ip), one row per address, as
-- report-query query shows them ("@host"). A push sends the host
-- entries its store wrote since its last push to the database (they
-- travel apart from the reports: enrich may learn of an address long
-- after its reports went), and an entry replaces the row unless the
-- row's resolution is later: across hosts the latest resolution wins
-- (a row never resolved yields to any). Unknown parts are NULL;
-- confirmed says the name resolves back to the address (only then is
-- there a service). pushed_by is the host whose entry it is, updated_at
-- when it was written here.
CREATE TABLE report_milter.source_host (
	ip inet PRIMARY KEY,
	name text,
	confirmed boolean NOT NULL,
	base_domain text,
	country text,
	asn bigint,
	as_name text,
	service text,
	service_type text,
	resolved_at timestamptz,
	expires_at timestamptz,
	pushed_by text NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);

-- Each DMARC record with what is known of its source (NULLs: nothing).
CREATE VIEW report_milter.dmarc_record_host AS
SELECT r.report, r.n, r.source_ip, r.count, r.disposition, r.dkim, r.spf,
    r.header_from, h.name, h.confirmed, h.base_domain, h.country, h.asn,
    h.as_name, h.service, h.service_type
FROM report_milter.dmarc_record r
LEFT JOIN report_milter.source_host h ON h.ip = r.source_ip;

-- DMARC messages per day, policy domain, service and result, as
-- report-query summary --by service counts them ('unknown': a source
-- without a service).
CREATE VIEW report_milter.dmarc_daily_service AS
SELECT s.day, d.policy_domain, coalesce(h.service, 'unknown') AS service,
    (r.dkim = 'pass' OR r.spf = 'pass') AS passed,
    sum(r.count * s.share) AS messages
FROM report_milter.dmarc_report d
JOIN report_milter.dmarc_record r ON r.report = d.id
LEFT JOIN report_milter.source_host h ON h.ip = r.source_ip
CROSS JOIN LATERAL report_milter.day_shares(d.date_begin, d.date_end) s
GROUP BY 1, 2, 3, 4;

INSERT INTO report_milter.schema_version (version) VALUES (3);
