-- ip-summary, rendered for Athena
SELECT role,
       count(*) AS records,
       SUM(bytes) AS total_bytes,
       SUM(packets) AS total_packets,
       count(DISTINCT peer) AS peers,
       count(DISTINCT port) AS peer_ports,
       count(*) FILTER (WHERE action = 'ACCEPT') AS accepted,
       count(*) FILTER (WHERE action = 'REJECT') AS rejected,
       date_format(from_unixtime(min(start)), '%Y-%m-%d %H:%i:%s') AS first_seen,
       date_format(from_unixtime(max("end")), '%Y-%m-%d %H:%i:%s') AS last_seen
FROM (
    SELECT 'as source' AS role, dstaddr AS peer, dstport AS port, bytes, packets, action, start, "end"
    FROM "vpcflowlogs"."vpc_flow_logs" WHERE srcaddr = ? AND (start < 1793664000 AND "end" >= 1793491200 AND date_partition BETWEEN ? AND ? AND account_partition = ? AND region_partition = ?)
    UNION ALL
    SELECT 'as destination' AS role, srcaddr AS peer, srcport AS port, bytes, packets, action, start, "end"
    FROM "vpcflowlogs"."vpc_flow_logs" WHERE dstaddr = ? AND (start < 1793664000 AND "end" >= 1793491200 AND date_partition BETWEEN ? AND ? AND account_partition = ? AND region_partition = ?)
) AS t
GROUP BY role
ORDER BY role DESC
-- ExecutionParameters: ['10.0.33.64', '2026/11/01', '2026/11/03', '128580493817', 'us-east-1', '10.0.33.64', '2026/11/01', '2026/11/03', '128580493817', 'us-east-1']
