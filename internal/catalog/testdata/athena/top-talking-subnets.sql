-- top-talking-subnets, rendered for Athena
SELECT subnet_id, SUM(bytes) AS total_bytes, count(*) AS records
FROM "vpcflowlogs"."vpc_flow_logs"
WHERE subnet_id IS NOT NULL AND (start < 1793664000 AND "end" >= 1793491200 AND date_partition BETWEEN ? AND ? AND account_partition = ? AND region_partition = ?)
GROUP BY subnet_id
ORDER BY total_bytes DESC, subnet_id
LIMIT 50
-- ExecutionParameters: ['2026/11/01', '2026/11/03', '128580493817', 'us-east-1']
