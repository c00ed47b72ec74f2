-- id: ip-records
-- kind: deep-dive
-- title: One address's records, in time order
-- description: Every record where the address is the source or the destination, ordered by start time.
-- needs: srcaddr dstaddr start end
-- param: ip ip required the address
-- param: limit int 1000 rows to return
SELECT {{columns}}
FROM {{flows}}
WHERE (srcaddr = {{$ip}} OR dstaddr = {{$ip}}) AND {{filter}}
ORDER BY start, "end", {{provenance}}
LIMIT {{$limit}}
