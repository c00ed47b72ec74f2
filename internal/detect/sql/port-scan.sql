-- id: port-scan
-- title: Vertical port scan: one source probing many ports of one host
-- headline: ports
-- needs: srcaddr dstaddr srcport dstport protocol packets start end action
-- logic: For each source and destination host, the distinct destination ports the source probed
-- logic: with TCP and UDP are counted per window; a probe is a rejected request or one of at most
-- logic: probe_max_packets packets (a SYN and its retry, or SYN and RST). Replies never count: a record that answers
-- logic: a connection seen in both directions (the service port answering an ephemeral port) is
-- logic: left out, so a database answering its clients on thousands of ephemeral ports is not a
-- logic: scan. Probes must be at least min_probe_share of the source's requests to that host. A scan by one of your own hosts fires at internal_min_ports
-- logic: distinct ports (or internal_min_admin_ports sensitive ones) per internal_window; a scan
-- logic: from the internet, whose background noise probes a few ports of every public address
-- logic: each hour, at internet_min_ports per internet_window.
-- severity: high when the scanner is one of your hosts (a compromised host looking around); an
-- severity: internet scan is low, medium from high_ports ports.
-- sum: records rejected probes
-- explain: {{.entity}} sent probes to {{.ports}} distinct ports of {{.peer}} between {{time .first_seen}}
-- explain: and {{time .last_seen}} ({{.records}} records, {{.rejected}} rejected, {{pct .probe_share}} probes){{if gt .admin_ports 0}},
-- explain: {{.admin_ports}} of them sensitive ports{{end}}. {{if eq .tier "internal source"}}The source is one of
-- explain: your hosts; the threshold is {{.t.internal_min_ports}} ports (or {{.t.internal_min_admin_ports}} sensitive ports) within
-- explain: {{.t.internal_window}}.{{else}}The source is on the internet; the threshold is {{.t.internet_min_ports}} ports within
-- explain: {{.t.internet_window}}.{{end}} Replies of connections seen in both directions are not counted, so ephemeral
-- explain: ports touched by a server's answers do not look like a scan.
WITH req AS (
    SELECT src, dst, eni, dstport, start, "end", rejected OR packets <= {{$probe_max_packets}} AS probe, rejected, src_int,
           CASE WHEN src_int THEN {{$internal_window}} ELSE {{$internet_window}} END AS w_len
    FROM hunt_flows
    WHERE NOT reply AND protocol IN (6, 17)
      AND (src_int OR (src_ext AND dst_int))
      AND (src_allow & {{$allow_scanners}}) = 0
      AND ((src_allow | dst_allow) & {{$allow_ignore}}) = 0
),
probed AS (
    -- the distinct ports each source probed on each host, per window: probes only, a small share
    -- of the records, so this is the cheap pass that finds the candidates
    SELECT src, dst, src_int, w_len, start // w_len * w_len AS w_start,
           count(DISTINCT dstport) AS ports,
           count(DISTINCT dstport) FILTER (WHERE dstport IN ({{$admin_ports}})) AS admin_ports,
           count(*) AS probes, count(*) FILTER (WHERE rejected) AS rejected,
           min(start) AS first_seen, max("end") AS last_seen, list(DISTINCT eni) AS enis
    FROM req WHERE probe
    GROUP BY src, dst, src_int, w_len, start // w_len * w_len
    HAVING CASE WHEN src_int THEN count(DISTINCT dstport) >= {{$internal_min_ports}}
                                  OR count(DISTINCT dstport) FILTER (WHERE dstport IN ({{$admin_ports}})) >= {{$internal_min_admin_ports}}
                ELSE count(DISTINCT dstport) >= {{$internet_min_ports}} END
),
total AS (
    -- every request of the candidate pairs, for the share of probes
    SELECT r.src, r.dst, r.start // r.w_len * r.w_len AS w_start, count(*) AS records
    FROM req r SEMI JOIN probed p ON p.src = r.src AND p.dst = r.dst
    GROUP BY ALL
)
SELECT src AS entity_id, dst AS peer_id,
       w_start, w_start + w_len AS w_end, first_seen, last_seen,
       CASE WHEN src_int THEN 'high' WHEN ports >= {{$high_ports}} THEN 'medium' ELSE 'low' END AS severity,
       CASE WHEN src_int THEN 'internal source' ELSE 'internet source' END AS tier,
       enis, ports, admin_ports, records, rejected, probes, round(probes::DOUBLE / records, 3) AS probe_share
FROM probed JOIN total USING (src, dst, w_start)
WHERE probes >= {{$min_probe_share}} * records

-- @evidence
SELECT {{columns}} FROM flows
WHERE ((srcaddr = {{$entity}} AND dstaddr = {{$peer}}) OR (srcaddr = {{$peer}} AND dstaddr = {{$entity}}))
  AND start < {{$w_end}} AND "end" >= {{$w_start}}
ORDER BY start, {{provenance}}
