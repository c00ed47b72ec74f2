-- id: top-talkers
-- aws: VpcFlowLogsTopTalkers
-- kind: named
-- title: The 50 addresses with the most traffic
-- description: Bytes per address, each record counting for both its source and its destination.
-- needs: srcaddr dstaddr bytes
-- param: limit int 50 rows to return
SELECT ip, SUM(bytes) AS total_bytes, count(*) AS records
FROM (
    SELECT srcaddr AS ip, bytes FROM {{flows}} WHERE {{filter}}
    UNION ALL
    SELECT dstaddr AS ip, bytes FROM {{flows}} WHERE {{filter}}
) AS t
WHERE ip IS NOT NULL
GROUP BY ip
ORDER BY total_bytes DESC, ip
LIMIT {{$limit}}
