-- id: dos-volume
-- title: DoS-style packet volume on one flow key
-- headline: packets
-- needs: srcaddr dstaddr dstport protocol packets bytes start end action
-- logic: The AWS DoS playbook's query 3.1: accepted packets summed per flow key (source,
-- logic: destination, destination port, protocol) per window, firing above min_packets. Replies
-- logic: are left out (the acknowledgements of a big download are not a flood). TCP keys that
-- logic: average at least bulk_min_avg_packet_bytes per packet move full-size segments: a bulk
-- logic: transfer (exfil-volume and large-flow judge those), not a flood. Any direction counts:
-- logic: floods against your hosts, and your hosts flooding others.
-- severity: high.
-- sum: packets bytes records
-- explain: {{.entity}} sent {{.packets}} accepted packets ({{bytes .bytes}}, {{.avg_packet_bytes}} bytes per packet on
-- explain: average, from {{.source_ports}} source ports) to {{.peer}} {{proto .protocol}} port {{.port}} between
-- explain: {{time .first_seen}} and {{time .last_seen}}. The threshold is more than {{.t.min_packets}} packets per flow key
-- explain: within {{.t.window}} (AWS DoS playbook); TCP averaging {{.t.bulk_min_avg_packet_bytes}} bytes or more per
-- explain: packet is a transfer, not a flood.
WITH req AS (
    SELECT * FROM hunt_flows
    WHERE NOT reply AND NOT rejected AND (src_int OR dst_int)
      AND ((src_allow | dst_allow) & {{$allow_ignore}}) = 0
),
cand AS (
    -- the cheap pass: a flow key cannot carry more packets than all traffic to its destination
    SELECT dst, start // {{$window}} AS w FROM req GROUP BY dst, start // {{$window}} HAVING sum(packets) > {{$min_packets}}
)
SELECT src AS entity_id, dst AS peer_id, dstport AS port, protocol,
       start // {{$window}} * {{$window}} AS w_start, start // {{$window}} * {{$window}} + {{$window}} AS w_end,
       min(start) AS first_seen, max("end") AS last_seen, 'high' AS severity,
       CASE WHEN src_int THEN 'from your host' ELSE 'against your host' END AS tier,
       list(DISTINCT eni) AS enis, sum(packets) AS packets, sum(bytes) AS bytes, count(*) AS records,
       count(DISTINCT srcport) AS source_ports, (sum(bytes) // sum(packets))::BIGINT AS avg_packet_bytes
FROM req r SEMI JOIN cand c ON c.dst = r.dst AND c.w = r.start // {{$window}}
GROUP BY src, dst, dstport, protocol, src_int, start // {{$window}}
HAVING sum(packets) > {{$min_packets}}
   AND NOT (protocol = 6 AND sum(bytes) >= {{$bulk_min_avg_packet_bytes}} * sum(packets))

-- @evidence
SELECT {{columns}} FROM flows
WHERE srcaddr = {{$entity}} AND dstaddr = {{$peer}} AND dstport = {{$port}} AND protocol = {{$protocol}}
  AND start < {{$w_end}} AND "end" >= {{$w_start}}
ORDER BY start, {{provenance}}
