-- Schema 4: hunts and their findings (issue 5, flowdig hunt).
-- A hunt runs detectors over the records and stores what they found. The findings table holds
-- the current findings: a hunt replaces the rows of the detectors it ran. Finding numbers are
-- kept apart, keyed by what a finding is (detector, entity, peer, port, protocol, window
-- start), so the same hunt on the same data gives the same ids (F-1, F-2, …) every time.

CREATE TABLE hunts (
    hunt_id         INTEGER PRIMARY KEY,
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ NOT NULL,
    args            VARCHAR,           -- the command line
    window_from     TIMESTAMPTZ,       -- --from (NULL: from the first record)
    window_to       TIMESTAMPTZ,       -- --to (NULL: to the last record)
    baseline_until  TIMESTAMPTZ,       -- end of new-talker's baseline
    records         BIGINT NOT NULL,   -- records the hunt read
    findings        INTEGER NOT NULL,
    rules           VARCHAR NOT NULL,  -- the effective rules, YAML
    rules_sha256    VARCHAR NOT NULL,
    flowdig_version VARCHAR NOT NULL
);

-- What each detector did in each hunt.
CREATE TABLE hunt_runs (
    hunt_id  INTEGER NOT NULL,
    detector VARCHAR NOT NULL,
    status   VARCHAR NOT NULL,  -- ok | skipped
    note     VARCHAR,           -- why it was skipped (e.g. the fields the flow logs lack)
    findings INTEGER NOT NULL,
    seconds  DOUBLE NOT NULL
);

-- Finding numbers, assigned the first time a finding is seen and never reused.
CREATE TABLE finding_ids (
    finding_no INTEGER PRIMARY KEY,
    key        VARCHAR NOT NULL UNIQUE,
    first_hunt INTEGER NOT NULL
);

-- The current findings.
CREATE TABLE findings (
    finding_id      VARCHAR PRIMARY KEY,  -- 'F-12'
    finding_no      INTEGER NOT NULL,
    hunt_id         INTEGER NOT NULL,     -- the hunt that found it last
    detector        VARCHAR NOT NULL,
    title           VARCHAR NOT NULL,     -- the detector's title
    severity        VARCHAR NOT NULL,     -- low | medium | high
    tier            VARCHAR,              -- which of the detector's conditions fired
    summary         VARCHAR NOT NULL,     -- one line
    entity          VARCHAR NOT NULL,     -- the address whose traffic was measured
    entity_kind     VARCHAR NOT NULL,     -- ip
    peer            VARCHAR,              -- the other side: an address or a network
    port            INTEGER,
    protocol        INTEGER,
    interfaces      VARCHAR[],            -- ENIs (or TGW attachments) that logged the records
    instances       VARCHAR[],            -- their instances, when instance-id is recorded
    window_start    TIMESTAMPTZ NOT NULL,
    window_end      TIMESTAMPTZ NOT NULL,
    first_seen      TIMESTAMPTZ NOT NULL,
    last_seen       TIMESTAMPTZ NOT NULL,
    thresholds      VARCHAR NOT NULL,     -- JSON: the rules the detector used
    measured        VARCHAR NOT NULL,     -- JSON: what it measured
    explanation     VARCHAR NOT NULL,     -- one paragraph
    evidence_sql    VARCHAR NOT NULL,     -- lists the records behind the finding (flowdig finding show ID --evidence)
    evidence_params VARCHAR NOT NULL,     -- JSON: its named parameters; a list n binds as n_1, n_2, …
    key             VARCHAR NOT NULL
);
