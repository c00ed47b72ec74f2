-- ip-ports, rendered for Athena
SELECT direction, protocol, port,
       count(*) AS records,
       SUM(bytes) AS total_bytes,
       count(DISTINCT peer) AS peers,
       count(*) FILTER (WHERE action = 'ACCEPT') AS accepted,
       count(*) FILTER (WHERE action = 'REJECT') AS rejected
FROM (
    SELECT 'to peer port' AS direction, protocol, dstport AS port, dstaddr AS peer, bytes, action
    FROM "vpcflowlogs"."vpc_flow_logs" WHERE srcaddr = ? AND (start < 1793664000 AND "end" >= 1793491200 AND date_partition BETWEEN ? AND ? AND account_partition = ? AND region_partition = ?)
    UNION ALL
    SELECT 'on its own port' AS direction, protocol, dstport AS port, srcaddr AS peer, bytes, action
    FROM "vpcflowlogs"."vpc_flow_logs" WHERE dstaddr = ? AND (start < 1793664000 AND "end" >= 1793491200 AND date_partition BETWEEN ? AND ? AND account_partition = ? AND region_partition = ?)
) AS t
GROUP BY direction, protocol, port
ORDER BY total_bytes DESC, records DESC, direction, protocol, port
LIMIT 50
-- ExecutionParameters: ['10.0.33.64', '2026/11/01', '2026/11/03', '128580493817', 'us-east-1', '10.0.33.64', '2026/11/01', '2026/11/03', '128580493817', 'us-east-1']
