-- id: exposed-admin-port
-- title: Admin or database port accepting internet traffic
-- headline: sources
-- needs: srcaddr dstaddr srcport dstport protocol bytes start end action
-- logic: Accepted TCP requests from internet addresses to one of your hosts on an admin port
-- logic: (SSH, RDP, VNC, WinRM, Docker and Kubernetes APIs) or a database port, grouped per host
-- logic: and port per window, with the sources that got through. A security group that let a
-- logic: single probe in is an exposure too: the accepted record is the proof. Rejected probes
-- logic: are not (nothing was exposed). admin_sources (your office, your VPN) are left out.
-- severity: high for database ports; medium for admin ports.
-- sum: records bytes_in
-- explain: {{.entity}} accepted {{.records}} requests on TCP port {{.port}} from {{.sources}} internet address(es)
-- explain: ({{addrs .source_addrs}}) between {{time .first_seen}} and {{time .last_seen}}, receiving {{bytes .bytes_in}}.
-- explain: Port {{.port}} is {{if eq .tier "database port"}}a database port{{else}}an administration port{{end}}
-- explain: and should not be reachable from the internet; allow-list administrators' addresses as admin_sources.
SELECT dst AS entity_id, dstport AS port, 6 AS protocol,
       start // {{$window}} * {{$window}} AS w_start, start // {{$window}} * {{$window}} + {{$window}} AS w_end,
       min(start) AS first_seen, max("end") AS last_seen,
       CASE WHEN dstport IN ({{$database_ports}}) THEN 'high' ELSE 'medium' END AS severity,
       CASE WHEN dstport IN ({{$database_ports}}) THEN 'database port' ELSE 'admin port' END AS tier,
       list(DISTINCT eni) AS enis, count(DISTINCT src) AS sources, count(*) AS records, sum(bytes) AS bytes_in,
       list_sort(list(DISTINCT src))[1:1000] AS source_addrs
FROM hunt_flows
WHERE NOT reply AND NOT rejected AND src_ext AND dst_int AND protocol = 6
  AND (dstport IN ({{$admin_ports}}) OR dstport IN ({{$database_ports}}))
  AND (src_allow & {{$allow_admin_sources}}) = 0
  AND ((src_allow | dst_allow) & {{$allow_ignore}}) = 0
GROUP BY dst, dstport, start // {{$window}}

-- @evidence
SELECT {{columns}} FROM flows
WHERE ((dstaddr = {{$entity}} AND dstport = {{$port}} AND srcaddr IN ({{$source_addrs}}))
    OR (srcaddr = {{$entity}} AND srcport = {{$port}} AND dstaddr IN ({{$source_addrs}})))
  AND protocol = 6 AND start < {{$w_end}} AND "end" >= {{$w_start}}
ORDER BY start, {{provenance}}
