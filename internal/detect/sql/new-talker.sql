-- id: new-talker
-- title: New talker after the baseline: a new internet network, outbound port or internet-facing service
-- headline: connections
-- needs: srcaddr dstaddr srcport dstport protocol bytes start end action
-- logic: The records before baseline_until (--baseline-until; by default the first
-- logic: default_baseline of the data) are the baseline. After it, three things are new: an
-- logic: internet network (prefix_v4 / prefix_v6 bits, so rotating addresses inside a provider's
-- logic: block are not new) that none of your hosts had sent a request to; a destination port
-- logic: and protocol one of your hosts had not used towards the internet; and a port of one of
-- logic: your hosts that had not accepted requests from the internet. Only accepted requests
-- logic: count (replies and rejected records do not), AWS service ranges and trusted_destinations
-- logic: are left out. One finding per host and new network, port or service, from its first
-- logic: record after the baseline to its last; for a port or service, hosts_before counts the
-- logic: other hosts that had used it in the baseline (a port new to the whole fleet matters more).
-- severity: low for a new network (most are benign; read them with the other findings); medium
-- severity: for a new outbound port or internet-facing service that none of your hosts had used
-- severity: in the baseline, low when other hosts had (hosts_before: how many).
-- key: tier
-- explain: {{if eq .tier "new network"}}{{.entity}} sent requests to {{.peer}} ({{addrs .dst_addrs}}), a network none of
-- explain: your hosts had contacted before {{time .baseline_until}}: {{.connections}} connections,
-- explain: {{bytes .bytes_out}} sent, first at {{time .first_seen}}, last at {{time .last_seen}}.{{else if eq .tier "new outbound port"}}{{.entity}}
-- explain: used {{proto .protocol}} port {{.port}} towards the internet ({{addrs .dst_addrs}}) for the first time at
-- explain: {{time .first_seen}}: it had not before {{time .baseline_until}}; {{.connections}} connections
-- explain: since.{{if .hosts_before}} {{.hosts_before}} other host(s) had used it before.{{else}} None of your hosts had.{{end}}{{else}}{{.entity}} accepted requests from the internet on {{proto .protocol}} port {{.port}} from
-- explain: {{time .first_seen}} ({{.connections}} connections from {{addrs .dst_addrs}}); it had not before
-- explain: {{time .baseline_until}}{{if .hosts_before}}, though {{.hosts_before}} other host(s) had{{else}}, nor had any other host of yours{{end}}.{{end}} The baseline ends at {{time .baseline_until}}.
WITH outb AS (
    SELECT f.src, f.dst, a.net, f.dstport, f.protocol, f.srcport, f.start, f."end", f.bytes, f.eni
    FROM hunt_flows f JOIN hunt_addr a ON a.id = f.dst
    WHERE NOT f.reply AND NOT f.rejected AND f.src_int AND f.dst_ext AND NOT f.dst_aws
      AND NOT (f.srcport < 1024 AND f.dstport >= 1024)
      AND (f.dst_allow & {{$allow_trusted}}) = 0
      AND ((f.src_allow | f.dst_allow) & {{$allow_ignore}}) = 0
),
inb AS (
    SELECT dst AS host, src AS peer, dstport, protocol, srcport, start, "end", bytes, eni
    FROM hunt_flows
    WHERE NOT reply AND NOT rejected AND src_ext AND dst_int AND protocol IN (6, 17)
      AND NOT (srcport < 1024 AND dstport >= 1024)
      AND ((src_allow | dst_allow) & {{$allow_ignore}}) = 0
),
new_net AS (
    SELECT src AS entity_id, NULL::INTEGER AS port, NULL::SMALLINT AS protocol, net AS peer, 'new network' AS tier,
           min(start) AS first_seen, max("end") AS last_seen, count(DISTINCT (dst, srcport)) AS connections,
           sum(bytes) AS bytes_out, list_sort(list(DISTINCT dst))[1:1000] AS dst_addrs, list(DISTINCT eni) AS enis,
           0 AS hosts_before
    FROM outb
    WHERE start >= {{$baseline_until}}
      AND net NOT IN (SELECT DISTINCT net FROM outb WHERE start < {{$baseline_until}})
    GROUP BY src, net
),
new_port AS (
    SELECT o.src, o.dstport, o.protocol, NULL::VARCHAR, 'new outbound port',
           min(o.start), max(o."end"), count(DISTINCT (o.dst, o.srcport)), sum(o.bytes),
           list_sort(list(DISTINCT o.dst))[1:1000], list(DISTINCT o.eni), any_value(coalesce(fp.hosts, 0))
    FROM outb o
    ANTI JOIN (SELECT DISTINCT src, dstport, protocol FROM outb WHERE start < {{$baseline_until}}) k
        ON k.src = o.src AND k.dstport = o.dstport AND k.protocol = o.protocol
    LEFT JOIN (SELECT dstport, protocol, count(DISTINCT src) AS hosts FROM outb WHERE start < {{$baseline_until}} GROUP BY ALL) fp
        ON fp.dstport = o.dstport AND fp.protocol = o.protocol
    WHERE o.start >= {{$baseline_until}}
    GROUP BY o.src, o.dstport, o.protocol
),
new_svc AS (
    SELECT i.host, i.dstport, i.protocol, NULL::VARCHAR, 'new internet-facing service',
           min(i.start), max(i."end"), count(DISTINCT (i.peer, i.srcport)), 0::HUGEINT,
           list_sort(list(DISTINCT i.peer))[1:1000], list(DISTINCT i.eni), any_value(coalesce(fs.hosts, 0))
    FROM inb i
    ANTI JOIN (SELECT DISTINCT host, dstport, protocol FROM inb WHERE start < {{$baseline_until}}) k
        ON k.host = i.host AND k.dstport = i.dstport AND k.protocol = i.protocol
    LEFT JOIN (SELECT dstport, protocol, count(DISTINCT host) AS hosts FROM inb WHERE start < {{$baseline_until}} GROUP BY ALL) fs
        ON fs.dstport = i.dstport AND fs.protocol = i.protocol
    WHERE i.start >= {{$baseline_until}}
    GROUP BY i.host, i.dstport, i.protocol
),
found AS (
    SELECT * FROM new_net UNION ALL SELECT * FROM new_port UNION ALL SELECT * FROM new_svc
)
SELECT entity_id, peer, port, protocol,
       first_seen // 3600 * 3600 AS w_start, (last_seen // 3600 + 1) * 3600 AS w_end, first_seen, last_seen,
       CASE WHEN tier <> 'new network' AND hosts_before = 0 THEN 'medium' ELSE 'low' END AS severity, tier, enis,
       connections, bytes_out, dst_addrs, hosts_before, {{$baseline_until}} AS baseline_until
FROM found

-- @evidence
SELECT {{columns}} FROM flows
WHERE start >= {{$baseline_until}} AND start < {{$w_end}}
  AND CASE {{$tier}}
        WHEN 'new network' THEN srcaddr = {{$entity}} AND dstaddr IN ({{$dst_addrs}})
        WHEN 'new outbound port' THEN srcaddr = {{$entity}} AND dstport = {{$port}} AND protocol = {{$protocol}}
                                      AND dstaddr IN ({{$dst_addrs}})
        ELSE ((dstaddr = {{$entity}} AND dstport = {{$port}} AND srcaddr IN ({{$dst_addrs}}))
              OR (srcaddr = {{$entity}} AND srcport = {{$port}} AND dstaddr IN ({{$dst_addrs}})))
             AND protocol = {{$protocol}}
      END
ORDER BY start, {{provenance}}
