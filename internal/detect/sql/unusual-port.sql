-- id: unusual-port
-- title: Your host connecting to an unusual port on the internet
-- headline: connections
-- needs: srcaddr dstaddr srcport dstport protocol bytes start end action
-- logic: Accepted TCP and UDP requests from one of your hosts to an internet address on a
-- logic: destination port outside expected_ports (reverse shells on 4444, mining pools on 3333,
-- logic: IRC, Tor, …), grouped per host, destination, port and protocol per window, firing at
-- logic: min_connections connections (source ports). Replies are left out, and so is a record
-- logic: from a privileged port to an unprivileged one whose request was not logged (a server's
-- logic: answer, not a connection). AWS service ranges and trusted_destinations are left out.
-- severity: medium.
-- sum: connections records bytes_out
-- explain: {{.entity}} made {{.connections}} accepted connections to {{.peer}} on {{proto .protocol}} port {{.port}}
-- explain: between {{time .first_seen}} and {{time .last_seen}}, sending {{bytes .bytes_out}}. Ports expected on
-- explain: the internet are {{.t.expected_ports}}.
SELECT src AS entity_id, dst AS peer_id, dstport AS port, protocol,
       start // {{$window}} * {{$window}} AS w_start, start // {{$window}} * {{$window}} + {{$window}} AS w_end,
       min(start) AS first_seen, max("end") AS last_seen, 'medium' AS severity, 'port' AS tier,
       list(DISTINCT eni) AS enis, count(DISTINCT srcport) AS connections, count(*) AS records, sum(bytes) AS bytes_out
FROM hunt_flows
WHERE NOT reply AND NOT rejected AND src_int AND dst_ext AND NOT dst_aws AND protocol IN (6, 17)
  AND dstport NOT IN ({{$expected_ports}})
  AND NOT (srcport < 1024 AND dstport >= 1024)
  AND (dst_allow & {{$allow_trusted}}) = 0
  AND ((src_allow | dst_allow) & {{$allow_ignore}}) = 0
GROUP BY src, dst, dstport, protocol, start // {{$window}}
HAVING count(DISTINCT srcport) >= {{$min_connections}}

-- @evidence
SELECT {{columns}} FROM flows
WHERE ((srcaddr = {{$entity}} AND dstaddr = {{$peer}} AND dstport = {{$port}})
    OR (srcaddr = {{$peer}} AND dstaddr = {{$entity}} AND srcport = {{$port}}))
  AND protocol = {{$protocol}} AND start < {{$w_end}} AND "end" >= {{$w_start}}
ORDER BY start, {{provenance}}
