-- top-tcp-traffic, rendered for Athena
SELECT srcaddr, dstaddr, dstport,
       SUM(bytes) AS total_bytes, SUM(packets) AS total_packets, count(*) AS records,
       date_format(from_unixtime(min(start)), '%Y-%m-%d %H:%i:%s') AS first_seen,
       date_format(from_unixtime(max("end")), '%Y-%m-%d %H:%i:%s') AS last_seen
FROM "vpcflowlogs"."vpc_flow_logs"
WHERE protocol = 6 AND srcaddr = ? AND (start < 1793664000 AND "end" >= 1793491200 AND date_partition BETWEEN ? AND ? AND account_partition = ? AND region_partition = ?)
GROUP BY srcaddr, dstaddr, dstport
ORDER BY total_bytes DESC, dstaddr, dstport
LIMIT 50
-- ExecutionParameters: ['10.0.33.64', '2026/11/01', '2026/11/03', '128580493817', 'us-east-1']
