-- title: What was ingested: objects by flow log, format and key layout
SELECT coalesce(log_account_id, '-') AS account,
       coalesce(log_region, '-')     AS region,
       format,
       layout,
       count(*)                      AS objects,
       sum(records)                  AS records,
       sum(quarantined)              AS quarantined,
       count(*) FILTER (WHERE status = 'damaged') AS damaged
FROM sources
GROUP BY ALL
ORDER BY account, region, format;
