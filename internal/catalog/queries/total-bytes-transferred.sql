-- id: total-bytes-transferred
-- aws: VpcFlowLogsTotalBytesTransferred
-- kind: named
-- title: The 50 source/destination pairs with the most bytes
-- description: Bytes per (srcaddr, dstaddr) pair, largest first.
-- needs: srcaddr dstaddr bytes
-- param: limit int 50 rows to return
-- note: Deviation: AWS's generated query orders by totalbytes ascending (no DESC), returning the 50 smallest pairs despite its description; this entry sorts largest first.
SELECT SUM(bytes) AS totalbytes, srcaddr, dstaddr
FROM {{flows}}
WHERE srcaddr IS NOT NULL AND {{filter}}
GROUP BY srcaddr, dstaddr
ORDER BY totalbytes DESC, srcaddr, dstaddr
LIMIT {{$limit}}
