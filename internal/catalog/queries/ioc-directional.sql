-- id: ioc-directional
-- kind: deep-dive
-- title: Flows to and from known IOCs, as the playbook's directional view labels them
-- description: The playbook's incident_vpc_flow_directional view over incident_iocs (threat_ip, threat_comment): one row per record whose destination (labelled INBOUND) or source (labelled OUTBOUND) is an indicator, with connecting_ip and connecting_port the non-IOC side.
-- needs: srcaddr dstaddr srcport dstport protocol packets bytes action log_status start end
-- filters: none
-- note: Kept as the playbook wrote it, labels included: the direction is the IOC's point of view (a record sent TO an indicator is INBOUND), and connecting_ip is always our side, not the indicator. Only exact addresses match (threat_ip = address), and pkt-* addresses and flow-direction are not used. ioc-directional-ours is the corrected variant.
SELECT vpc.account,
         vpc.interfaceid,
         vpc.sourceaddress || ':' || CAST(vpc.sourceport AS VARCHAR) AS source,
         vpc.destinationaddress || ':' || CAST(vpc.destinationport AS VARCHAR) AS destination,
         'INBOUND' AS direction,
         vpc.sourceaddress AS connecting_ip,
         vpc.sourceport AS connecting_port,
         vpc.protocol,
         vpc.numpackets,
         vpc.numbytes,
         vpc.action,
         vpc.logstatus,
         CAST(from_unixtime(vpc.starttime) AS TIMESTAMP) AS startTime,
         CAST(from_unixtime(vpc.endtime) AS TIMESTAMP) AS endTime,
         date_diff('second', from_unixtime(vpc.starttime), from_unixtime(vpc.endtime)) as sessionTime
FROM {{vpcflow}} AS vpc
WHERE
    vpc.destinationaddress IN (SELECT threat_ip FROM {{iocs}})
UNION ALL
SELECT vpc.account,
         vpc.interfaceid,
         vpc.sourceaddress || ':' || CAST(vpc.sourceport AS VARCHAR) AS source,
         vpc.destinationaddress || ':' || CAST(vpc.destinationport AS VARCHAR) AS destination,
         'OUTBOUND' AS direction,
         vpc.destinationaddress AS connecting_ip,
         vpc.destinationport AS connecting_port,
         vpc.protocol,
         vpc.numpackets,
         vpc.numbytes,
         vpc.action,
         vpc.logstatus,
         CAST(from_unixtime(vpc.starttime) AS TIMESTAMP) AS startTime,
         CAST(from_unixtime(vpc.endtime) AS TIMESTAMP) AS endTime,
         date_diff('second', from_unixtime(vpc.starttime), from_unixtime(vpc.endtime)) as sessionTime
FROM {{vpcflow}} AS vpc
WHERE
    vpc.sourceaddress IN (SELECT threat_ip FROM {{iocs}})
ORDER BY startTime, endTime, sessionTime, interfaceid, connecting_ip, direction
