-- total-bytes-transferred, rendered for Athena
SELECT SUM(bytes) AS totalbytes, srcaddr, dstaddr
FROM "vpcflowlogs"."vpc_flow_logs"
WHERE srcaddr IS NOT NULL AND (start < 1793664000 AND "end" >= 1793491200 AND date_partition BETWEEN ? AND ? AND account_partition = ? AND region_partition = ?)
GROUP BY srcaddr, dstaddr
ORDER BY totalbytes DESC, srcaddr, dstaddr
LIMIT 50
-- ExecutionParameters: ['2026/11/01', '2026/11/03', '128580493817', 'us-east-1']
