-- admin-port-traffic, rendered for Athena
SELECT ip, SUM(bytes) AS total_bytes, count(*) AS records
FROM (
    SELECT srcaddr AS ip, bytes FROM "vpcflowlogs"."vpc_flow_logs"
    WHERE (dstport IN (22, 23, 3389, 5900, 5985, 5986, 2375, 2376, 6443, 8080, 8443, 9090, 10000) OR srcport IN (22, 23, 3389, 5900, 5985, 5986, 2375, 2376, 6443, 8080, 8443, 9090, 10000)) AND (start < 1793664000 AND "end" >= 1793491200 AND date_partition BETWEEN ? AND ? AND account_partition = ? AND region_partition = ?)
    UNION ALL
    SELECT dstaddr AS ip, bytes FROM "vpcflowlogs"."vpc_flow_logs"
    WHERE (dstport IN (22, 23, 3389, 5900, 5985, 5986, 2375, 2376, 6443, 8080, 8443, 9090, 10000) OR srcport IN (22, 23, 3389, 5900, 5985, 5986, 2375, 2376, 6443, 8080, 8443, 9090, 10000)) AND (start < 1793664000 AND "end" >= 1793491200 AND date_partition BETWEEN ? AND ? AND account_partition = ? AND region_partition = ?)
) AS t
WHERE ip IS NOT NULL
GROUP BY ip
ORDER BY total_bytes DESC, ip
LIMIT 10
-- ExecutionParameters: ['2026/11/01', '2026/11/03', '128580493817', 'us-east-1', '2026/11/01', '2026/11/03', '128580493817', 'us-east-1']
