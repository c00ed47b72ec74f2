-- top-talking-instances, rendered for Athena
SELECT instance_id, SUM(bytes) AS total_bytes, count(*) AS records
FROM "vpcflowlogs"."vpc_flow_logs"
WHERE instance_id IS NOT NULL AND (start < 1793664000 AND "end" >= 1793491200 AND date_partition BETWEEN ? AND ? AND account_partition = ? AND region_partition = ?)
GROUP BY instance_id
ORDER BY total_bytes DESC, instance_id
LIMIT 50
-- ExecutionParameters: ['2026/11/01', '2026/11/03', '128580493817', 'us-east-1']
