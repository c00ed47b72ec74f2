-- id: brute-force
-- title: SSH/RDP/WinRM brute force: many short connections from one source to one host
-- headline: attempts
-- needs: srcaddr dstaddr srcport dstport protocol packets start end action
-- logic: Requests to a remote-access port (ports) are grouped into connections by source port,
-- logic: so a connection logged in several aggregation intervals counts once, on 1- and
-- logic: 10-minute logs alike. A connection is an attempt when it sends at most
-- logic: attempt_max_packets packets and lasts at most attempt_max_seconds (a failed login). The
-- logic: detector fires when one source makes at least min_attempts attempts on one host and
-- logic: port within window and attempts are at least min_attempt_share of its connections there:
-- logic: administrators open long interactive sessions, guessing tools open short ones. Targets
-- logic: are your hosts (attacked from the internet, or from another of your hosts): outbound SSH
-- logic: to the internet is mostly git, whose short sessions look the same; a host spraying
-- logic: guesses at many internet hosts shows as a port-sweep.
-- severity: medium; low when every attempt was rejected (nothing reached the service); high when
-- severity: the source is one of your hosts (lateral movement).
-- sum: connections attempts rejected
-- explain: {{.entity}} opened {{.connections}} connections to {{.peer}} port {{.port}} between {{time .first_seen}}
-- explain: and {{time .last_seen}}; {{.attempts}} were short attempts (at most {{.t.attempt_max_packets}} packets and
-- explain: {{.t.attempt_max_seconds}}), {{.rejected}} were rejected. The threshold is {{.t.min_attempts}} attempts within
-- explain: {{.t.window}}, making up at least {{pct .t.min_attempt_share}} of the source's connections to that port.
WITH att AS (
    SELECT src, dst, dstport, srcport, start // {{$window}} * {{$window}} AS w_start,
           sum(packets) AS packets, max("end") - min(start) AS seconds,
           min(start) AS first_seen, max("end") AS last_seen, bool_and(rejected) AS rejected,
           any_value(src_int) AS src_int, any_value(eni) AS eni
    FROM hunt_flows
    WHERE NOT reply AND protocol = 6 AND dstport IN ({{$ports}})
      AND dst_int
      AND (src_allow & ({{$allow_scanners}} | {{$allow_admin_sources}})) = 0
      AND ((src_allow | dst_allow) & {{$allow_ignore}}) = 0
    GROUP BY src, dst, dstport, srcport, start // {{$window}}
),
agg AS (
    SELECT src, dst, dstport, w_start, any_value(src_int) AS src_int,
           count(*) AS connections,
           count(*) FILTER (WHERE packets <= {{$attempt_max_packets}} AND seconds <= {{$attempt_max_seconds}}) AS attempts,
           count(*) FILTER (WHERE rejected) AS rejected,
           min(first_seen) AS first_seen, max(last_seen) AS last_seen, list(DISTINCT eni) AS enis
    FROM att
    GROUP BY src, dst, dstport, w_start
)
SELECT src AS entity_id, dst AS peer_id, dstport AS port, 6 AS protocol,
       w_start, w_start + {{$window}} AS w_end, first_seen, last_seen,
       CASE WHEN src_int THEN 'high' WHEN rejected = connections THEN 'low' ELSE 'medium' END AS severity,
       CASE WHEN rejected = connections THEN 'all rejected' ELSE 'reached the service' END AS tier,
       enis, connections, attempts, rejected
FROM agg
WHERE attempts >= {{$min_attempts}} AND attempts >= {{$min_attempt_share}} * connections

-- @evidence
SELECT {{columns}} FROM flows
WHERE ((srcaddr = {{$entity}} AND dstaddr = {{$peer}} AND dstport = {{$port}})
    OR (srcaddr = {{$peer}} AND dstaddr = {{$entity}} AND srcport = {{$port}}))
  AND start < {{$w_end}} AND "end" >= {{$w_start}}
ORDER BY start, {{provenance}}
