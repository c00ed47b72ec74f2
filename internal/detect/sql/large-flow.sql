-- id: large-flow
-- title: Large single flow: one connection sending a lot of data to the internet
-- headline: bytes
-- needs: srcaddr dstaddr srcport dstport protocol bytes start end
-- logic: The bytes one connection (5-tuple) sends from one of your hosts to an internet address
-- logic: are summed per window over all its records: Tailpipe's test of one record depends on the
-- logic: aggregation interval (a record spans 1 or 10 minutes), a connection summed over an hour
-- logic: does not. Fires at min_bytes. AWS service ranges and backup_destinations are left out,
-- logic: as in exfil-volume.
-- severity: high.
-- sum: bytes records
-- key: src_port
-- explain: One connection from {{.entity}} (port {{.src_port}}) to {{.peer}} port {{.dst_port}} sent {{bytes .bytes}}
-- explain: between {{time .first_seen}} and {{time .last_seen}}, in {{.records}} records. The threshold is
-- explain: {{bytes .t.min_bytes}} from one connection within {{.t.window}}.
WITH outb AS (
    SELECT * FROM hunt_flows
    WHERE src_int AND dst_ext AND NOT dst_aws AND (dst_allow & {{$allow_backup}}) = 0
      AND ((src_allow | dst_allow) & {{$allow_ignore}}) = 0
),
pairs AS (
    -- the cheap pass: a connection cannot send more than its host pair
    SELECT src, dst FROM outb GROUP BY src, dst, start // {{$window}} HAVING sum(bytes) >= {{$min_bytes}}
)
SELECT src AS entity_id, dst AS peer_id, CASE WHEN reply THEN srcport ELSE dstport END AS port, protocol,
       start // {{$window}} * {{$window}} AS w_start, start // {{$window}} * {{$window}} + {{$window}} AS w_end,
       min(start) AS first_seen, max("end") AS last_seen, 'high' AS severity, 'one connection' AS tier,
       list(DISTINCT eni) AS enis, sum(bytes) AS bytes, count(*) AS records, srcport AS src_port, dstport AS dst_port
FROM outb o SEMI JOIN pairs p ON p.src = o.src AND p.dst = o.dst
GROUP BY src, dst, srcport, dstport, protocol, reply, start // {{$window}}
HAVING sum(bytes) >= {{$min_bytes}}

-- @evidence
SELECT {{columns}} FROM flows
WHERE ((srcaddr = {{$entity}} AND dstaddr = {{$peer}} AND srcport = {{$src_port}} AND dstport = {{$dst_port}})
    OR (srcaddr = {{$peer}} AND dstaddr = {{$entity}} AND srcport = {{$dst_port}} AND dstport = {{$src_port}}))
  AND start < {{$w_end}} AND "end" >= {{$w_start}}
ORDER BY start, {{provenance}}
