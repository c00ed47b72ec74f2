-- id: traffic-to-dst-addr
-- aws: VpcFlowLogsTrafficToDstAddr
-- kind: named
-- title: Traffic for a destination address
-- description: Records whose dstaddr is the given address, oldest first.
-- needs: dstaddr start end
-- param: dstaddr ip required the destination address
-- param: limit int 100 rows to return
SELECT {{columns}}
FROM {{flows}}
WHERE dstaddr = {{$dstaddr}} AND {{filter}}
ORDER BY start, "end", {{provenance}}
LIMIT {{$limit}}
