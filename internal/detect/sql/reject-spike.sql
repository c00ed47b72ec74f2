-- id: reject-spike
-- title: Spike of rejected traffic to or from one of your hosts
-- headline: rejected
-- needs: srcaddr dstaddr start end action
-- logic: Rejected records are counted per window for each of your hosts, separately as source
-- logic: (blocked outbound: Splunk's 'blocked outbound traffic' series) and as destination
-- logic: (blocked inbound). Every host's series starts at the first window of the hunt, with
-- logic: zeros where nothing was rejected. A window is a spike when the windows before it (up to
-- logic: lookback, at least min_history of them) give a mean and standard deviation, and the
-- logic: count exceeds mean + sigma standard deviations, is at least min_count and at least
-- logic: min_ratio times the mean, times the rise of the typical host of the same account and
-- logic: region in that window when it rose too: a rise every host shares (Monday after a quiet
-- logic: weekend, the morning after the night) is the traffic's cycle, not a spike. Remember that REJECT also covers replies dropped by stateless
-- logic: network ACLs and packets after a connection closed, not only denied requests.
-- severity: medium for blocked outbound traffic (a host trying to reach what it may not); low
-- severity: for inbound.
-- key: tier
-- explain: {{.entity}} had {{.rejected}} rejected {{.tier}} records between {{time .w_start}} and {{time .w_end}},
-- explain: against a mean of {{printf "%.1f" .mean}} (standard deviation {{printf "%.1f" .stdev}}) over the {{.history}}
-- explain: windows before ({{.peers}} distinct peers in the spike); the typical host of {{.scope}} rose
-- explain: {{.typical_rise}} times. The threshold is mean + {{.t.sigma}} standard deviations, at least {{.t.min_count}} records
-- explain: and {{.t.min_ratio}} times the mean (times the typical rise when above 1), per {{.t.window}}.
WITH r AS (
    SELECT src AS host, 'outbound' AS dir, dst AS peer, start // {{$window}} AS w, eni
    FROM hunt_flows
    WHERE rejected AND src_int AND (src_allow & ({{$allow_scanners}} | {{$allow_ignore}})) = 0
    UNION ALL
    SELECT dst, 'inbound', src, start // {{$window}}, eni
    FROM hunt_flows
    WHERE rejected AND dst_int AND (dst_allow & {{$allow_ignore}}) = 0 AND (src_allow & {{$allow_scanners}}) = 0
),
counts AS (
    SELECT host, dir, w, count(*) AS n, count(DISTINCT peer) AS peers, list(DISTINCT eni) AS enis FROM r GROUP BY ALL
),
hosts AS (
    SELECT r.host, r.dir, any_value(coalesce(e.scope, '-')) AS scope
    FROM r LEFT JOIN hunt_eni e ON e.id = r.eni GROUP BY r.host, r.dir
),
span AS (
    SELECT min(start) // {{$window}} AS w0, max(start) // {{$window}} AS w1 FROM hunt_flows
),
grid AS (
    SELECT h.host, h.dir, h.scope, g.w, coalesce(c.n, 0) AS n, c.peers, c.enis
    FROM hosts h
    CROSS JOIN (SELECT unnest(range(w0, w1 + 1)) AS w FROM span) g
    LEFT JOIN counts c ON c.host = h.host AND c.dir = h.dir AND c.w = g.w
),
stats AS (
    SELECT *, avg(n) OVER hist AS mean, stddev_pop(n) OVER hist AS stdev, count(*) OVER hist AS history
    FROM grid
    WINDOW hist AS (PARTITION BY host, dir ORDER BY w ROWS BETWEEN {{#lookback_windows}} PRECEDING AND 1 PRECEDING)
),
cohort AS (
    -- how much the typical host of the same account and region rose in the same window
    SELECT scope, dir, w, median(n / greatest(mean, 1)) AS typical_rise
    FROM stats WHERE history >= {{$min_history}} GROUP BY scope, dir, w
)
SELECT s.host AS entity_id, s.w * {{$window}} AS w_start, (s.w + 1) * {{$window}} AS w_end,
       s.w * {{$window}} AS first_seen, (s.w + 1) * {{$window}} - 1 AS last_seen,
       CASE WHEN s.dir = 'outbound' THEN 'medium' ELSE 'low' END AS severity, s.dir AS tier, s.enis,
       s.n AS rejected, round(s.mean, 2) AS mean, round(s.stdev, 2) AS stdev, s.history, s.peers,
       round(c.typical_rise, 2) AS typical_rise, s.scope
FROM stats s JOIN cohort c USING (scope, dir, w)
WHERE s.history >= {{$min_history}} AND s.n >= {{$min_count}} AND s.n > s.mean + {{$sigma}} * s.stdev
  AND s.n >= {{$min_ratio}} * greatest(s.mean, 1) * greatest(c.typical_rise, 1)

-- @evidence
SELECT {{columns}} FROM flows
WHERE action = 'REJECT'
  AND ((({{$tier}}) = 'outbound' AND srcaddr = {{$entity}}) OR (({{$tier}}) = 'inbound' AND dstaddr = {{$entity}}))
  AND start >= {{$w_start}} AND start < {{$w_end}}
ORDER BY start, {{provenance}}
