-- id: total-bytes-transferred-packet-level
-- aws: VpcFlowLogsTotalBytesTransferredPacketLevel
-- kind: named
-- title: The 50 packet-level source/destination pairs with the most bytes
-- description: Bytes per (pkt_srcaddr, pkt_dstaddr) pair, largest first: the original endpoints behind NAT gateways and load balancers.
-- needs: pkt_srcaddr pkt_dstaddr bytes
-- param: limit int 50 rows to return
-- note: Sorted largest first, like total-bytes-transferred (AWS's non-packet-level query sorts ascending).
SELECT SUM(bytes) AS totalbytes, pkt_srcaddr, pkt_dstaddr
FROM {{flows}}
WHERE pkt_srcaddr IS NOT NULL AND {{filter}}
GROUP BY pkt_srcaddr, pkt_dstaddr
ORDER BY totalbytes DESC, pkt_srcaddr, pkt_dstaddr
LIMIT {{$limit}}
