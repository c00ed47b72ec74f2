-- Schema 3: remote sources (S3, CloudWatch Logs) and read windows in the ledger (issue 6).
-- Added columns get defaults, so ledgers written before this version read as reads of the whole
-- object (no window) with nothing left outside it.

-- Where an S3 object came from and which version of it was read.
ALTER TABLE sources ADD COLUMN bucket VARCHAR;
ALTER TABLE sources ADD COLUMN key VARCHAR;
ALTER TABLE sources ADD COLUMN etag VARCHAR;        -- as listed, quotes included; the read was made with If-Match on it
ALTER TABLE sources ADD COLUMN version_id VARCHAR;  -- x-amz-version-id of the bytes read (versioned buckets)

-- The --from/--to window of this read, in Unix seconds (NULL: unbounded on that side). Records
-- are selected when [start, end] touches the window. The windows of the live reads of one
-- content (SHA-256), plus those of the reads they superseded, are what the case holds of it: a
-- later read with a wider window adds only records outside them.
ALTER TABLE sources ADD COLUMN window_from BIGINT;
ALTER TABLE sources ADD COLUMN window_to BIGINT;
-- Valid records this read left out: outside its window, or stored by an earlier read of the same
-- content. records + quarantined + outside_window + stored_before = data_lines.
ALTER TABLE sources ADD COLUMN outside_window BIGINT DEFAULT 0;
ALTER TABLE sources ADD COLUMN stored_before BIGINT DEFAULT 0;
-- The first read of the same content, when this read added only what narrower windows left out.
ALTER TABLE sources ADD COLUMN extends_source INTEGER;
-- status gains 'partial': a CloudWatch Logs slice read while it could still receive events; the
-- next read of the same URI replaces it (like a damaged object).
