-- rejected-traffic, rendered for Athena
SELECT *
FROM "vpcflowlogs"."vpc_flow_logs"
WHERE action = 'REJECT' AND (start < 1793664000 AND "end" >= 1793491200 AND date_partition BETWEEN ? AND ? AND account_partition = ? AND region_partition = ?)
ORDER BY start, "end", "$path"
LIMIT 100
-- ExecutionParameters: ['2026/11/01', '2026/11/03', '128580493817', 'us-east-1']
