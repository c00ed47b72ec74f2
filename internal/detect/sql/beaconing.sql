-- id: beaconing
-- title: Beaconing: connections to one internet address at regular intervals
-- headline: connections
-- needs: srcaddr dstaddr srcport dstport protocol start end
-- logic: Your hosts' requests to internet addresses (AWS service ranges and trusted_destinations
-- logic: left out) are first turned into connections: records of one 5-tuple less than
-- logic: session_gap apart are one connection, so a long-lived connection, which flow logs record
-- logic: once per aggregation interval (every 1 or 10 minutes, as regular as a clock), counts
-- logic: once. For each host, destination, port and protocol, the intervals between consecutive
-- logic: connection starts are taken per window; with at least min_connections connections, the
-- logic: intervals between the trim_low and trim_high quantiles must have a standard deviation of
-- logic: at most max_rel_stdev of their mean (Elastic's regularity test), and the median interval
-- logic: must be at least min_period. A beacon that keeps one connection open shows no timing in
-- logic: flow logs and is not found; periods up to window / min_connections are (30 minutes with
-- logic: the defaults).
-- severity: medium.
-- sum: connections
-- explain: {{.entity}} connected to {{.peer}} port {{.port}} {{.connections}} times between {{time .first_seen}} and
-- explain: {{time .last_seen}}, about every {{dur .period_seconds}}: the trimmed intervals vary by {{pct .rel_stdev}} of their
-- explain: mean (threshold {{pct .t.max_rel_stdev}}, at least {{.t.min_connections}} connections within {{.t.window}}).
-- explain: Records of one connection less than {{.t.session_gap}} apart count once, so long-lived connections logged
-- explain: every aggregation interval do not look like beacons.
WITH r AS (
    SELECT src, dst, dstport, protocol, srcport, start, "end", eni
    FROM hunt_flows
    WHERE NOT reply AND src_int AND dst_ext AND NOT dst_aws
      AND (dst_allow & {{$allow_trusted}}) = 0
      AND ((src_allow | dst_allow) & {{$allow_ignore}}) = 0
),
s AS (
    SELECT *, coalesce(start - lag("end") OVER (PARTITION BY src, dst, dstport, protocol, srcport ORDER BY start), {{$session_gap}} + 1)
                > {{$session_gap}} AS opens
    FROM r
),
c AS (
    SELECT src, dst, dstport, protocol, start, eni, start // {{$window}} * {{$window}} AS w_start
    FROM s WHERE opens
),
d AS (
    SELECT *, start - lag(start) OVER (PARTITION BY src, dst, dstport, protocol, w_start ORDER BY start) AS delta
    FROM c
),
q AS (
    SELECT src, dst, dstport, protocol, w_start, count(*) AS connections,
           quantile_cont(delta, {{$trim_low}}) AS lo, quantile_cont(delta, {{$trim_high}}) AS hi,
           median(delta) AS period_seconds, min(start) AS first_seen, max(start) AS last_seen,
           list(DISTINCT eni) AS enis
    FROM d
    GROUP BY src, dst, dstport, protocol, w_start
    HAVING count(*) >= {{$min_connections}}
),
t AS (
    SELECT q.src, q.dst, q.dstport, q.protocol, q.w_start,
           stddev_pop(d.delta) / nullif(avg(d.delta), 0) AS rel_stdev
    FROM q JOIN d USING (src, dst, dstport, protocol, w_start)
    WHERE d.delta BETWEEN q.lo AND q.hi
    GROUP BY ALL
)
SELECT q.src AS entity_id, q.dst AS peer_id, q.dstport AS port, q.protocol,
       q.w_start, q.w_start + {{$window}} AS w_end, q.first_seen, q.last_seen,
       'medium' AS severity, 'regular intervals' AS tier, q.enis,
       q.connections, round(q.period_seconds) AS period_seconds, round(t.rel_stdev, 4) AS rel_stdev
FROM q JOIN t USING (src, dst, dstport, protocol, w_start)
WHERE t.rel_stdev <= {{$max_rel_stdev}} AND q.period_seconds >= {{$min_period}}

-- @evidence
SELECT {{columns}} FROM flows
WHERE ((srcaddr = {{$entity}} AND dstaddr = {{$peer}} AND dstport = {{$port}})
    OR (srcaddr = {{$peer}} AND dstaddr = {{$entity}} AND srcport = {{$port}}))
  AND protocol = {{$protocol}} AND start < {{$w_end}} AND "end" >= {{$w_start}}
ORDER BY start, {{provenance}}
