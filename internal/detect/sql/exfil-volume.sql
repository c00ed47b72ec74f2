-- id: exfil-volume
-- title: Exfiltration by volume: bytes from one of your hosts to one internet address
-- headline: bytes_out
-- needs: srcaddr dstaddr srcport dstport protocol bytes start end
-- logic: For each of your hosts and each internet address, the bytes your host sent (requests
-- logic: and replies alike: data an attacker downloads over an SSH session it opened counts) are
-- logic: summed per window; the detector fires at min_bytes, the playbook's NAT gateway alarm
-- logic: figure (5,000,000 bytes in 15 minutes). Destinations in AWS service ranges (S3, DynamoDB,
-- logic: …, as tagged by flowdig enrich; not EC2) and backup_destinations are left out, so backups
-- logic: to S3 through a gateway endpoint are not exfiltration. Bytes received back are shown
-- logic: for the ratio: the host must have sent at least min_out_in_ratio times what it received
-- logic: (a host receiving a big upload sends megabytes of acknowledgements).
-- severity: medium; high from high_bytes in one window.
-- sum: bytes_out bytes_in records
-- explain: {{.entity}} sent {{bytes .bytes_out}} to {{.peer}} between {{time .first_seen}} and {{time .last_seen}}
-- explain: (and received {{bytes .bytes_in}}; service ports {{.service_ports}}). The threshold is {{bytes .t.min_bytes}} within
-- explain: {{.t.window}}, the AWS NAT gateway alarm figure; {{bytes .t.high_bytes}} in one window is high severity.
-- explain: Destinations in AWS service ranges and allow-listed backup destinations are not counted.
WITH sent AS (
    -- the cheap pass: bytes each of your hosts sent to each internet address, per window
    SELECT src, dst, start // {{$window}} * {{$window}} AS w_start
    FROM hunt_flows
    WHERE src_int AND dst_ext AND NOT dst_aws AND (dst_allow & {{$allow_backup}}) = 0
      AND ((src_allow | dst_allow) & {{$allow_ignore}}) = 0
    GROUP BY src, dst, start // {{$window}}
    HAVING sum(bytes) >= {{$min_bytes}}
),
flows2 AS (
    -- both directions of the pairs that crossed the threshold
    SELECT f.src AS inside, f.dst AS outside, f.start, f."end", f.bytes AS bytes_out, 0 AS bytes_in,
           CASE WHEN f.reply THEN f.srcport ELSE f.dstport END AS service_port, f.eni
    FROM hunt_flows f SEMI JOIN sent s ON s.src = f.src AND s.dst = f.dst
    UNION ALL
    SELECT f.dst, f.src, f.start, f."end", 0, f.bytes, NULL, f.eni
    FROM hunt_flows f SEMI JOIN sent s ON s.src = f.dst AND s.dst = f.src
),
pair AS (
    SELECT inside, outside, start // {{$window}} * {{$window}} AS w_start,
           sum(bytes_out) AS bytes_out, sum(bytes_in) AS bytes_in, count(*) AS records,
           list(DISTINCT service_port) FILTER (WHERE service_port IS NOT NULL) AS service_ports,
           min(start) FILTER (WHERE bytes_out > 0) AS first_seen, max("end") FILTER (WHERE bytes_out > 0) AS last_seen,
           list(DISTINCT eni) AS enis
    FROM flows2
    GROUP BY inside, outside, start // {{$window}}
)
SELECT p.inside AS entity_id, p.outside AS peer_id, p.w_start, p.w_start + {{$window}} AS w_end,
       coalesce(p.first_seen, p.w_start) AS first_seen, coalesce(p.last_seen, p.w_start) AS last_seen,
       CASE WHEN p.bytes_out >= {{$high_bytes}} THEN 'high' ELSE 'medium' END AS severity,
       CASE WHEN p.bytes_out >= {{$high_bytes}} THEN 'bulk' ELSE 'NAT alarm figure' END AS tier,
       p.enis, p.bytes_out, p.bytes_in, p.records, list_sort(p.service_ports)[1:5] AS service_ports
FROM pair p JOIN sent s ON s.src = p.inside AND s.dst = p.outside AND s.w_start = p.w_start
WHERE p.bytes_out >= {{$min_out_in_ratio}} * p.bytes_in

-- @evidence
SELECT {{columns}} FROM flows
WHERE ((srcaddr = {{$entity}} AND dstaddr = {{$peer}}) OR (srcaddr = {{$peer}} AND dstaddr = {{$entity}}))
  AND start < {{$w_end}} AND "end" >= {{$w_start}}
ORDER BY start, {{provenance}}
