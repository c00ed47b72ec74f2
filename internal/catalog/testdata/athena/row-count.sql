-- row-count, rendered for Athena
SELECT count(*) AS records
FROM "vpcflowlogs"."vpc_flow_logs"
WHERE (start < 1793664000 AND "end" >= 1793491200 AND date_partition BETWEEN ? AND ? AND account_partition = ? AND region_partition = ?)
-- ExecutionParameters: ['2026/11/01', '2026/11/03', '128580493817', 'us-east-1']
