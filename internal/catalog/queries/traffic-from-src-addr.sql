-- id: traffic-from-src-addr
-- aws: VpcFlowLogsTrafficFrmSrcAddr
-- kind: named
-- title: Traffic for a source address
-- description: Records whose srcaddr is the given address, oldest first.
-- needs: srcaddr start end
-- param: srcaddr ip required the source address
-- param: limit int 100 rows to return
SELECT {{columns}}
FROM {{flows}}
WHERE srcaddr = {{$srcaddr}} AND {{filter}}
ORDER BY start, "end", {{provenance}}
LIMIT {{$limit}}
