-- Schema 2: threat-intel lists, their matches, and per-address enrichment (issue 4).
-- Matching and enrichment work per distinct address, never per record: each address the records
-- contain (srcaddr, dstaddr, pkt_srcaddr, pkt_dstaddr) gets one address_info row and one
-- ioc_matches row per indicator containing it; flows are joined to both on address equality.

-- One row per list added with `flowdig ioc add --list NAME FILE`.
CREATE TABLE ioc_lists (
    list_id         INTEGER PRIMARY KEY,
    name            VARCHAR NOT NULL UNIQUE,
    format          VARCHAR NOT NULL,  -- csv | text | stix
    uri             VARCHAR NOT NULL,  -- the file as given; '-' for stdin
    sha256          VARCHAR NOT NULL,  -- of the file's bytes, for the record
    indicators      INTEGER NOT NULL,  -- accepted, distinct
    bad_lines       INTEGER NOT NULL,  -- skipped, listed in ioc_rejects
    ignored         INTEGER NOT NULL,  -- well-formed entries that are not IP indicators (STIX)
    duplicates      INTEGER NOT NULL,
    added_at        TIMESTAMPTZ NOT NULL,
    flowdig_version VARCHAR NOT NULL
);

-- The accepted indicators. indicator is canonical: an address for a single address (/32, /128),
-- else the CIDR with host bits cleared; IPv4-mapped IPv6 is stored as IPv4.
CREATE TABLE ioc_indicators (
    list_id   INTEGER NOT NULL,
    indicator VARCHAR NOT NULL,
    family    TINYINT NOT NULL,   -- 4 or 6
    bits      SMALLINT NOT NULL,  -- prefix length
    comment   VARCHAR,
    line_no   INTEGER,            -- where the list has it (STIX: where its object starts)
    original  VARCHAR NOT NULL,   -- as written in the list
    ref       VARCHAR             -- STIX indicator id
);

-- Lines of a list that were skipped, and why.
CREATE TABLE ioc_rejects (
    list_id INTEGER NOT NULL,
    line_no INTEGER,
    kind    VARCHAR NOT NULL,  -- bad | ignored
    text    VARCHAR,
    reason  VARCHAR NOT NULL
);

-- Every (address seen in the records, indicator containing it) pair; addr is written exactly
-- as the records write it, so flows join on plain equality.
CREATE TABLE ioc_matches (
    addr      VARCHAR NOT NULL,
    list_id   INTEGER NOT NULL,
    indicator VARCHAR NOT NULL
);

-- One row per distinct address in the records.
CREATE TABLE address_info (
    addr        VARCHAR NOT NULL,  -- exactly as the records write it
    family      TINYINT,           -- 4 or 6; NULL when the text is not an address
    class       VARCHAR NOT NULL,  -- private | public | special | invalid
    range_name  VARCHAR,           -- the private or special range, e.g. 'RFC 1918', 'CGNAT (RFC 6598)'
    aws_service VARCHAR,           -- from AWS ip-ranges: the most specific service (S3, EC2, …, AMAZON)
    aws_region  VARCHAR,
    aws_prefix  VARCHAR,           -- the ip-ranges prefix that gave aws_service
    country     VARCHAR,           -- GeoIP: ISO 3166-1 alpha-2
    asn         BIGINT,            -- GeoIP: autonomous system number
    as_org      VARCHAR            -- GeoIP: autonomous system organisation
);

-- The AWS ip-ranges in use (the copy shipped in flowdig, or one given with --ip-ranges).
CREATE TABLE aws_ip_ranges (
    prefix               VARCHAR NOT NULL,
    service              VARCHAR NOT NULL,
    region               VARCHAR,
    network_border_group VARCHAR
);

-- Where enrichment data came from; the active rows are the ones in use.
CREATE TABLE enrich_sources (
    kind            VARCHAR NOT NULL,  -- aws-ip-ranges | geoip
    uri             VARCHAR NOT NULL,  -- 'builtin' or the file as given
    sha256          VARCHAR NOT NULL,
    size            BIGINT,
    mtime           TIMESTAMPTZ,
    version         VARCHAR,           -- ip-ranges createDate; GeoIP database type and build time
    entries         BIGINT,            -- prefixes (ip-ranges) or nodes (GeoIP)
    active          BOOLEAN NOT NULL,
    loaded_at       TIMESTAMPTZ NOT NULL,
    flowdig_version VARCHAR NOT NULL
);

-- How far enrichment has read: records of sources up to last_source_id have their addresses in
-- address_info and ioc_matches.
CREATE TABLE enrich_state (
    last_source_id INTEGER NOT NULL,
    refreshed_at   TIMESTAMPTZ NOT NULL
);

-- The playbook's incident_iocs table (threat_ip, threat_comment), so its SQL runs unchanged.
-- Besides one row per indicator it has one row per address seen in the records inside a CIDR
-- indicator (or written differently from it, e.g. IPv6), so the playbook's exact-text test
-- `destinationaddress IN (SELECT threat_ip FROM incident_iocs)` finds range hits too.
CREATE VIEW incident_iocs AS
SELECT i.indicator AS threat_ip, i.comment AS threat_comment, i.indicator, l.name AS list_name
FROM ioc_indicators i JOIN ioc_lists l USING (list_id)
UNION ALL
SELECT m.addr AS threat_ip, i.comment AS threat_comment, i.indicator, l.name AS list_name
FROM ioc_matches m
JOIN ioc_indicators i USING (list_id, indicator)
JOIN ioc_lists l USING (list_id)
WHERE m.addr <> i.indicator;
