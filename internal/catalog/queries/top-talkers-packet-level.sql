-- id: top-talkers-packet-level
-- aws: VpcFlowLogsTopTalkersPacketLevel
-- kind: named
-- title: The 50 packet-level addresses with the most traffic
-- description: Bytes per original (packet-level) address, through NAT gateways and load balancers; each record counts for both pkt_srcaddr and pkt_dstaddr.
-- needs: pkt_srcaddr pkt_dstaddr bytes
-- param: limit int 50 rows to return
SELECT ip, SUM(bytes) AS total_bytes, count(*) AS records
FROM (
    SELECT pkt_srcaddr AS ip, bytes FROM {{flows}} WHERE {{filter}}
    UNION ALL
    SELECT pkt_dstaddr AS ip, bytes FROM {{flows}} WHERE {{filter}}
) AS t
WHERE ip IS NOT NULL
GROUP BY ip
ORDER BY total_bytes DESC, ip
LIMIT {{$limit}}
