-- ipv6-traffic, rendered for Athena
SELECT SUM(bytes) AS total_bytes, SUM(packets) AS total_packets, count(*) AS records
FROM "vpcflowlogs"."vpc_flow_logs"
WHERE srcaddr IS NOT NULL
  AND coalesce(type, CASE WHEN strpos(srcaddr, ':') > 0 THEN 'IPv6' ELSE 'IPv4' END) = 'IPv6'
  AND (start < 1793664000 AND "end" >= 1793491200 AND date_partition BETWEEN ? AND ? AND account_partition = ? AND region_partition = ?)
-- ExecutionParameters: ['2026/11/01', '2026/11/03', '128580493817', 'us-east-1']
