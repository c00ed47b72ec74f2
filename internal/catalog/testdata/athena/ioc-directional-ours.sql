-- ioc-directional-ours, rendered for Athena
SELECT f.account_id AS account,
       f.interface_id AS interfaceid,
       f.direction,
       f.our_ip,
       f.our_port,
       f.ioc_ip,
       f.ioc_port,
       i.threat_comment,
       f.protocol,
       f.packets AS numpackets,
       f.bytes AS numbytes,
       f.action,
       f.log_status AS logstatus,
       CAST(from_unixtime(f.start) AS TIMESTAMP) AS startTime,
       CAST(from_unixtime(f."end") AS TIMESTAMP) AS endTime,
       date_diff('second', from_unixtime(f.start), from_unixtime(f."end")) AS sessionTime
FROM (
    SELECT 'OUTBOUND' AS direction, srcaddr AS our_ip, srcport AS our_port, dstaddr AS ioc_ip, dstport AS ioc_port,
           account_id, interface_id, protocol, packets, bytes, action, log_status, start, "end"
    FROM "vpcflowlogs"."vpc_flow_logs" WHERE (start < 1793664000 AND "end" >= 1793491200 AND date_partition BETWEEN ? AND ? AND account_partition = ? AND region_partition = ?)
    UNION ALL
    SELECT 'INBOUND' AS direction, dstaddr AS our_ip, dstport AS our_port, srcaddr AS ioc_ip, srcport AS ioc_port,
           account_id, interface_id, protocol, packets, bytes, action, log_status, start, "end"
    FROM "vpcflowlogs"."vpc_flow_logs" WHERE (start < 1793664000 AND "end" >= 1793491200 AND date_partition BETWEEN ? AND ? AND account_partition = ? AND region_partition = ?)
) AS f
JOIN (SELECT threat_ip, min(threat_comment) AS threat_comment FROM "vpcflowlogs"."incident_iocs" GROUP BY threat_ip) AS i
  ON i.threat_ip = f.ioc_ip
ORDER BY startTime, endTime, sessionTime, interfaceid, our_ip, direction
-- ExecutionParameters: ['2026/11/01', '2026/11/03', '128580493817', 'us-east-1', '2026/11/01', '2026/11/03', '128580493817', 'us-east-1']
