-- Schema 3: remote sources (S3, CloudWatch Logs) and read windows in the ledger (issue 6). Reserved; filled by that work.
SELECT 1;
