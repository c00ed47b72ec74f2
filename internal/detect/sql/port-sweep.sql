-- id: port-sweep
-- title: Horizontal sweep: one source, many hosts, one port
-- headline: hosts
-- needs: srcaddr dstaddr srcport dstport protocol packets start end action
-- logic: For each source, destination port and protocol, the distinct destination hosts of the
-- logic: source's requests (replies left out) are counted per window. Internet destinations count
-- logic: only when probed (a rejected request, or at most probe_max_packets packets): a client
-- logic: talking to hundreds of CDN and cloud addresses on 443 completes its connections, a sweep
-- logic: mostly does not. The detector fires at min_hosts hosts on
-- logic: one of the sweep ports (SMB, RDP, SSH, WinRM, …) within window, or at least
-- logic: any_port_min_hosts hosts on any one port or protocol (ICMP included) within
-- logic: any_port_window. Sources are your hosts, or internet addresses sweeping your hosts.
-- severity: high when the source is one of your hosts (worm-like spread or discovery); low for
-- severity: internet sources, which sweep every public range.
-- sum: records rejected
-- explain: {{.entity}} sent requests to {{.hosts}} distinct hosts on {{proto .protocol}} port {{.port}} between
-- explain: {{time .first_seen}} and {{time .last_seen}} ({{.records}} records, {{.rejected}} rejected). The threshold
-- explain: is {{if eq .tier "sweep port"}}{{.t.min_hosts}} hosts on a sweep port within {{.t.window}}{{else}}{{.t.any_port_min_hosts}}
-- explain: hosts on one port within {{.t.any_port_window}}{{end}}.{{if eq .severity "high"}} The source is one of your hosts.{{end}}
WITH req AS (
    SELECT src, dst, eni, dstport, protocol, start, "end", rejected, src_int,
           dst_int OR rejected OR packets <= {{$probe_max_packets}} AS counted
    FROM hunt_flows
    WHERE NOT reply
      AND (src_int OR (src_ext AND dst_int))
      AND (src_allow & {{$allow_scanners}}) = 0
      AND ((src_allow | dst_allow) & {{$allow_ignore}}) = 0
),
tiers AS (
    SELECT src, dstport, protocol, any_value(src_int) AS src_int, 'sweep port' AS tier,
           start // {{$window}} * {{$window}} AS w_start, {{$window}} AS w_len,
           count(DISTINCT dst) FILTER (WHERE counted) AS hosts, count(*) AS records, count(*) FILTER (WHERE rejected) AS rejected,
           min(start) AS first_seen, max("end") AS last_seen, list(DISTINCT eni) AS enis
    FROM req WHERE protocol = 6 AND dstport IN ({{$ports}})
    GROUP BY src, dstport, protocol, start // {{$window}}
    HAVING count(DISTINCT dst) FILTER (WHERE counted) >= {{$min_hosts}}
    UNION ALL
    SELECT src, dstport, protocol, any_value(src_int), 'any port',
           start // {{$any_port_window}} * {{$any_port_window}}, {{$any_port_window}},
           count(DISTINCT dst) FILTER (WHERE counted), count(*), count(*) FILTER (WHERE rejected),
           min(start), max("end"), list(DISTINCT eni)
    FROM req
    GROUP BY src, dstport, protocol, start // {{$any_port_window}}
    HAVING count(DISTINCT dst) FILTER (WHERE counted) >= {{$any_port_min_hosts}}
)
SELECT src AS entity_id, dstport AS port, protocol, w_start, w_start + w_len AS w_end, first_seen, last_seen,
       CASE WHEN src_int THEN 'high' ELSE 'low' END AS severity, tier, enis, hosts, records, rejected
FROM tiers

-- @evidence
SELECT {{columns}} FROM flows
WHERE srcaddr = {{$entity}} AND dstport = {{$port}} AND protocol = {{$protocol}}
  AND start < {{$w_end}} AND "end" >= {{$w_start}}
ORDER BY start, {{provenance}}
