-- total-bytes-transferred-packet-level, rendered for Athena
SELECT SUM(bytes) AS totalbytes, pkt_srcaddr, pkt_dstaddr
FROM "vpcflowlogs"."vpc_flow_logs"
WHERE pkt_srcaddr IS NOT NULL AND (start < 1793664000 AND "end" >= 1793491200 AND date_partition BETWEEN ? AND ? AND account_partition = ? AND region_partition = ?)
GROUP BY pkt_srcaddr, pkt_dstaddr
ORDER BY totalbytes DESC, pkt_srcaddr, pkt_dstaddr
LIMIT 50
-- ExecutionParameters: ['2026/11/01', '2026/11/03', '128580493817', 'us-east-1']
