-- Coverage: for each group ({{keys}}: account, region, interface), the hours with records,
-- the gaps between them, the aggregation interval the records show, and the NODATA/SKIPDATA
-- records. A record counts for the hour its start falls in; NODATA records count as coverage
-- (the flow log was delivering; the interface was idle), SKIPDATA records as coverage with loss.
WITH r AS (
    SELECT coalesce(account_id, log_account_id, '-') AS account,
           coalesce(region, log_region, '-') AS region,
           coalesce(interface_id, tgw_attachment_id, '-') AS interface,
           start // 3600 AS h, "end" - start AS seconds, log_status
    FROM flows
    WHERE start IS NOT NULL AND {{time}}
),
per AS (
    SELECT {{keys}},
           count(DISTINCT interface) AS interfaces,
           min(h) AS h0, max(h) AS h1, count(DISTINCT h) AS hours_with_data,
           max(seconds) FILTER (WHERE coalesce(log_status, 'OK') = 'OK') AS max_record_seconds,
           count(*) AS records,
           count(*) FILTER (WHERE log_status = 'NODATA') AS nodata,
           count(*) FILTER (WHERE log_status = 'SKIPDATA') AS skipdata
    FROM r GROUP BY {{keys}}
),
hours AS (
    SELECT DISTINCT {{keys}}, h FROM r
),
steps AS (
    SELECT {{keys}}, h, h - lag(h) OVER (PARTITION BY {{keys}} ORDER BY h) - 1 AS missing FROM hours
),
gaps AS (
    SELECT {{keys}},
           count(*) FILTER (WHERE missing > 0) AS gaps,
           coalesce(sum(missing) FILTER (WHERE missing > 0), 0) AS gap_hours,
           string_agg(strftime(make_timestamp((h - missing) * 3600 * 1000000), '%Y-%m-%d %H:00') || ' to '
                      || strftime(make_timestamp(h * 3600 * 1000000), '%Y-%m-%d %H:00'), ', ' ORDER BY h)
               FILTER (WHERE missing > 0) AS gap_list
    FROM steps GROUP BY {{keys}}
)
SELECT {{keys}}, {{interfaces}}
       make_timestamptz(h0 * 3600 * 1000000) AS first_hour,
       make_timestamptz(h1 * 3600 * 1000000) AS last_hour,
       hours_with_data, h1 - h0 + 1 AS span_hours, gaps, gap_hours, gap_list,
       CASE WHEN max_record_seconds IS NULL THEN NULL
            WHEN max_record_seconds <= 60 THEN '1 min'
            ELSE '10 min' END AS interval_seen,
       max_record_seconds, records, nodata, skipdata
FROM per JOIN gaps USING ({{keys}})
ORDER BY {{keys}}
