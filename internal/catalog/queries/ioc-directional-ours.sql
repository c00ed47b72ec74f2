-- id: ioc-directional-ours
-- kind: deep-dive
-- title: Flows to and from known IOCs, labelled from our side
-- description: The playbook's directional view corrected: OUTBOUND when our address sent to the indicator, INBOUND when the indicator sent to us; our_ip/our_port are our side and ioc_ip/ioc_port the indicator's, with the indicator's comment.
-- needs: srcaddr dstaddr srcport dstport protocol packets bytes action log_status start end
-- note: Like the playbook, this matches exact addresses in incident_iocs.threat_ip; flowdig ioc sweep also matches CIDRs and pkt-* addresses and uses flow-direction.
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
    FROM {{flows}} WHERE {{filter}}
    UNION ALL
    SELECT 'INBOUND' AS direction, dstaddr AS our_ip, dstport AS our_port, srcaddr AS ioc_ip, srcport AS ioc_port,
           account_id, interface_id, protocol, packets, bytes, action, log_status, start, "end"
    FROM {{flows}} WHERE {{filter}}
) AS f
JOIN (SELECT threat_ip, min(threat_comment) AS threat_comment FROM {{iocs}} GROUP BY threat_ip) AS i
  ON i.threat_ip = f.ioc_ip
ORDER BY startTime, endTime, sessionTime, interfaceid, our_ip, direction
