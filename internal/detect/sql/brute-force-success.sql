-- id: brute-force-success
-- title: Brute force then success: many short attempts, then a long or heavy session
-- headline: session_bytes
-- needs: srcaddr dstaddr srcport dstport protocol packets bytes start end action
-- uses: brute-force
-- logic: Finds brute forces exactly as brute-force does (its section's thresholds), then looks
-- logic: for a connection from the same source to the same host and port that starts after the
-- logic: first attempt and no later than within after the brute force's window, and either lasts
-- logic: at least min_session_seconds or moves at least min_session_bytes in both directions
-- logic: together: the login that worked. Connections are followed across aggregation
-- logic: intervals by their source port.
-- severity: high.
-- explain: After {{.attempts}} short attempts from {{.entity}} on {{.peer}} port {{.port}} (first at
-- explain: {{time .first_seen}}), a session from the same source started at {{time .session_start}}, lasted
-- explain: {{dur .session_seconds}} and moved {{bytes .session_bytes}} ({{bytes .session_bytes_out}} from the host to the
-- explain: source). The thresholds are a session of at least {{.t.min_session_seconds}} or {{bytes .t.min_session_bytes}},
-- explain: starting within {{.t.within}} after the brute force's window, whose attempts follow the brute-force rules.
WITH att AS (
    SELECT src, dst, dstport, srcport, start // {{$window}} * {{$window}} AS w_start,
           sum(packets) AS packets, max("end") - min(start) AS seconds, min(start) AS first_seen,
           bool_and(rejected) AS rejected, any_value(eni) AS eni
    FROM hunt_flows
    WHERE NOT reply AND protocol = 6 AND dstport IN ({{$ports}})
      AND dst_int
      AND (src_allow & ({{$allow_scanners}} | {{$allow_admin_sources}})) = 0
      AND ((src_allow | dst_allow) & {{$allow_ignore}}) = 0
    GROUP BY src, dst, dstport, srcport, start // {{$window}}
),
bf AS (
    SELECT src, dst, dstport, w_start, min(first_seen) AS first_seen, count(*) AS connections,
           count(*) FILTER (WHERE packets <= {{$attempt_max_packets}} AND seconds <= {{$attempt_max_seconds}}) AS attempts,
           list(DISTINCT eni) AS enis
    FROM att
    GROUP BY src, dst, dstport, w_start
    HAVING attempts >= {{$min_attempts}} AND attempts >= {{$min_attempt_share}} * connections
),
sess AS (
    -- both directions of every connection between the brute-force pairs, keyed by the client
    SELECT CASE WHEN f.reply THEN f.dst ELSE f.src END AS client,
           CASE WHEN f.reply THEN f.src ELSE f.dst END AS server,
           CASE WHEN f.reply THEN f.srcport ELSE f.dstport END AS port,
           CASE WHEN f.reply THEN f.dstport ELSE f.srcport END AS cport,
           min(f.start) AS s_start, max(f."end") AS s_end, sum(f.bytes) AS bytes,
           sum(f.bytes) FILTER (WHERE f.reply) AS bytes_out
    FROM hunt_flows f
    WHERE f.protocol = 6
      AND ((NOT f.reply AND (f.src, f.dst, f.dstport) IN (SELECT src, dst, dstport FROM bf))
        OR (f.reply AND (f.dst, f.src, f.srcport) IN (SELECT src, dst, dstport FROM bf)))
    GROUP BY ALL
),
hit AS (
    SELECT bf.*, s.s_start, s.s_end, s.bytes, coalesce(s.bytes_out, 0) AS bytes_out,
           row_number() OVER (PARTITION BY bf.src, bf.dst, bf.dstport, bf.w_start ORDER BY s.s_start, s.cport) AS n
    FROM bf JOIN sess s ON s.client = bf.src AND s.server = bf.dst AND s.port = bf.dstport
    WHERE s.s_start > bf.first_seen AND s.s_start <= bf.w_start + {{$window}} + {{$within}}
      AND (s.s_end - s.s_start >= {{$min_session_seconds}} OR s.bytes >= {{$min_session_bytes}})
)
SELECT src AS entity_id, dst AS peer_id, dstport AS port, 6 AS protocol,
       w_start, greatest(w_start + {{$window}}, s_end + 1) AS w_end, first_seen, s_end AS last_seen,
       'high' AS severity, 'session after attempts' AS tier, enis,
       attempts, s_start AS session_start, s_end - s_start AS session_seconds, bytes AS session_bytes,
       bytes_out AS session_bytes_out
FROM hit WHERE n = 1

-- @evidence
SELECT {{columns}} FROM flows
WHERE ((srcaddr = {{$entity}} AND dstaddr = {{$peer}} AND dstport = {{$port}})
    OR (srcaddr = {{$peer}} AND dstaddr = {{$entity}} AND srcport = {{$port}}))
  AND start < {{$w_end}} AND "end" >= {{$w_start}}
ORDER BY start, {{provenance}}
