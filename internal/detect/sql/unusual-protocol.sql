-- id: unusual-protocol
-- title: Unusual IP protocol between your hosts and the internet
-- headline: records
-- needs: srcaddr dstaddr protocol packets bytes start end action
-- logic: Accepted records between one of your hosts and an internet address whose IP protocol is
-- logic: not in expected_protocols (TCP, UDP, ICMP, ICMPv6): GRE, IP-in-IP, ESP, SCTP and the
-- logic: like carry tunnels and covert channels. Both directions count; grouped per host, peer
-- logic: and protocol per window. trusted_destinations (VPN peers, for example) are left out.
-- severity: medium.
-- sum: records packets bytes_out bytes_in
-- explain: {{.entity}} exchanged {{.records}} accepted records of IP protocol {{proto .protocol}} with {{.peer}} between
-- explain: {{time .first_seen}} and {{time .last_seen}} ({{bytes .bytes_out}} out, {{bytes .bytes_in}} in). Only protocols
-- explain: {{.t.expected_protocols}} are expected to or from the internet.
SELECT CASE WHEN src_int THEN src ELSE dst END AS entity_id, CASE WHEN src_int THEN dst ELSE src END AS peer_id,
       protocol, start // {{$window}} * {{$window}} AS w_start, start // {{$window}} * {{$window}} + {{$window}} AS w_end,
       min(start) AS first_seen, max("end") AS last_seen, 'medium' AS severity, 'protocol' AS tier,
       list(DISTINCT eni) AS enis, count(*) AS records, sum(packets) AS packets,
       coalesce(sum(bytes) FILTER (WHERE src_int), 0) AS bytes_out, coalesce(sum(bytes) FILTER (WHERE NOT src_int), 0) AS bytes_in
FROM hunt_flows
WHERE NOT rejected AND protocol NOT IN ({{$expected_protocols}})
  AND ((src_int AND dst_ext AND (dst_allow & {{$allow_trusted}}) = 0)
    OR (dst_int AND src_ext AND (src_allow & {{$allow_trusted}}) = 0))
  AND ((src_allow | dst_allow) & {{$allow_ignore}}) = 0
GROUP BY ALL

-- @evidence
SELECT {{columns}} FROM flows
WHERE ((srcaddr = {{$entity}} AND dstaddr = {{$peer}}) OR (srcaddr = {{$peer}} AND dstaddr = {{$entity}}))
  AND protocol = {{$protocol}} AND start < {{$w_end}} AND "end" >= {{$w_start}}
ORDER BY start, {{provenance}}
