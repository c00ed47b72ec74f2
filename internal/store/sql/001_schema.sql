-- flowdig case database, schema version 1.
-- Column names follow Athena's VPC flow-log table (hyphens -> underscores); types follow the
-- Parquet types AWS documents (INT_32 -> INTEGER, INT_64 -> BIGINT, STRING -> VARCHAR).
-- action and log_status are ENUMs: compared with strings exactly like VARCHAR, cheaper to store.

CREATE TYPE fd_action AS ENUM ('ACCEPT', 'REJECT');
CREATE TYPE fd_log_status AS ENUM ('OK', 'NODATA', 'SKIPDATA');

-- Every record column, in order, with its type. It holds no rows: records are stored in one
-- table per "shape" (the set of columns a flow-log format fills), flow_records_1, _2, ..., so a
-- default-format load does not write 45 columns of NULLs. The view flow_records unions the shape
-- tables by name over this template; read the records through the view "flows".
CREATE TABLE flow_template (
    version                    INTEGER,
    account_id                 VARCHAR,
    interface_id               VARCHAR,
    srcaddr                    VARCHAR,
    dstaddr                    VARCHAR,
    srcport                    INTEGER,
    dstport                    INTEGER,
    protocol                   INTEGER,
    packets                    BIGINT,
    bytes                      BIGINT,
    start                      BIGINT,
    "end"                      BIGINT,
    action                     fd_action,
    log_status                 fd_log_status,
    vpc_id                     VARCHAR,
    subnet_id                  VARCHAR,
    instance_id                VARCHAR,
    tcp_flags                  INTEGER,
    type                       VARCHAR,
    pkt_srcaddr                VARCHAR,
    pkt_dstaddr                VARCHAR,
    region                     VARCHAR,
    az_id                      VARCHAR,
    sublocation_type           VARCHAR,
    sublocation_id             VARCHAR,
    pkt_src_aws_service        VARCHAR,
    pkt_dst_aws_service        VARCHAR,
    flow_direction             VARCHAR,
    traffic_path               INTEGER,
    ecs_cluster_arn            VARCHAR,
    ecs_cluster_name           VARCHAR,
    ecs_container_instance_arn VARCHAR,
    ecs_container_instance_id  VARCHAR,
    ecs_container_id           VARCHAR,
    ecs_second_container_id    VARCHAR,
    ecs_service_name           VARCHAR,
    ecs_task_definition_arn    VARCHAR,
    ecs_task_arn               VARCHAR,
    ecs_task_id                VARCHAR,
    reject_reason              VARCHAR,
    resource_type              VARCHAR,
    tgw_id                     VARCHAR,
    tgw_attachment_id          VARCHAR,
    tgw_src_vpc_account_id     VARCHAR,
    tgw_dst_vpc_account_id     VARCHAR,
    tgw_src_vpc_id             VARCHAR,
    tgw_dst_vpc_id             VARCHAR,
    tgw_src_subnet_id          VARCHAR,
    tgw_dst_subnet_id          VARCHAR,
    tgw_src_eni                VARCHAR,
    tgw_dst_eni                VARCHAR,
    tgw_src_az_id              VARCHAR,
    tgw_dst_az_id              VARCHAR,
    tgw_pair_attachment_id     VARCHAR,
    packets_lost_no_route      BIGINT,
    packets_lost_blackhole     BIGINT,
    packets_lost_mtu_exceeded  BIGINT,
    packets_lost_ttl_expired   BIGINT,
    -- derived
    date                       DATE,     -- UTC day of start; the key's day when start is absent
    extra                      MAP(VARCHAR, VARCHAR), -- fields this flowdig version does not know
    source_id                  INTEGER NOT NULL, -- -> sources.source_id (chain of custody)
    line_no                    INTEGER,  -- line in the decompressed object (Parquet: row number)
    part_id                    INTEGER   -- -> log_partitions.part_id (account/region/flow log of the key)
);

-- The shape tables and the columns each one stores.
CREATE TABLE flow_shapes (
    shape_id   INTEGER PRIMARY KEY,
    table_name VARCHAR NOT NULL UNIQUE,
    columns    VARCHAR NOT NULL UNIQUE  -- comma-separated, in template order
);

-- The key-derived attributes shared by many objects; flows exposes them per row through macros.
CREATE TABLE log_partitions (
    part_id        INTEGER PRIMARY KEY,
    log_account_id VARCHAR,
    log_region     VARCHAR,
    flow_log_id    VARCHAR,
    UNIQUE (log_account_id, log_region, flow_log_id)
);

-- One row per ingest invocation.
CREATE TABLE ingest_runs (
    run_id          INTEGER PRIMARY KEY,
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ,
    status          VARCHAR NOT NULL,  -- running | ok | interrupted | failed | killed (found running by a later run)
    inputs          VARCHAR,           -- the paths/URIs given
    options         VARCHAR,           -- fields format, window, strict
    flowdig_version VARCHAR NOT NULL
);

-- The chain-of-custody ledger: one row per object read. An object is inserted here in the same
-- transaction that commits its records, so a crash never leaves half an object behind.
CREATE TABLE sources (
    source_id       INTEGER PRIMARY KEY,
    uri             VARCHAR NOT NULL,
    size            BIGINT NOT NULL,
    mtime           TIMESTAMPTZ,
    sha256          VARCHAR NOT NULL,
    format          VARCHAR NOT NULL,  -- text | text+gzip | parquet
    header          VARCHAR,           -- the field list used
    header_origin   VARCHAR,           -- header line | --fields | default format | parquet schema
    layout          VARCHAR,           -- plain | plain-hourly | hive | hive-hourly | none
    part_id         INTEGER,
    log_account_id  VARCHAR,
    log_region      VARCHAR,
    flow_log_id     VARCHAR,
    key_date        DATE,
    key_hour        INTEGER,
    file_time       TIMESTAMPTZ,
    data_lines      BIGINT NOT NULL,   -- lines after the header that are not blank
    records         BIGINT NOT NULL,   -- rows stored in flow_records
    quarantined     BIGINT NOT NULL,   -- rows stored in quarantine; records + quarantined = data_lines
    blank_lines     BIGINT NOT NULL,
    min_start       BIGINT,
    max_start       BIGINT,
    status          VARCHAR NOT NULL,  -- ok | damaged | duplicate | superseded
    damage          VARCHAR,           -- why the object could not be read to its end
    duplicate_of    INTEGER,           -- same SHA-256 as this earlier source; nothing stored twice
    superseded_by   INTEGER,           -- a damaged object later read again in full from the same URI
    run_id          INTEGER NOT NULL,
    ingested_at     TIMESTAMPTZ NOT NULL,
    flowdig_version VARCHAR NOT NULL
);

-- Lines that could not be stored as records, with the reason; nothing is dropped silently.
CREATE TABLE quarantine (
    source_id INTEGER NOT NULL,
    line_no   BIGINT NOT NULL,
    field     VARCHAR,   -- the offending field, when one is to blame
    reason    VARCHAR NOT NULL,
    text      VARCHAR,   -- the line, with invalid UTF-8 bytes written as \xNN
    raw       BLOB       -- the line exactly as read
);
