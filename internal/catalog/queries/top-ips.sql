-- id: top-ips
-- kind: deep-dive
-- title: Addresses appearing in the most records
-- description: Records, bytes and distinct peers per address (source or destination), most records first.
-- needs: srcaddr dstaddr bytes
-- param: limit int 50 rows to return
-- note: The playbook's "Top IPs" query reads the ip column of an unrelated JSON table; this entry asks the same question of the flow-log records.
SELECT ip, count(*) AS records, SUM(bytes) AS total_bytes, count(DISTINCT peer) AS peers
FROM (
    SELECT srcaddr AS ip, dstaddr AS peer, bytes FROM {{flows}} WHERE {{filter}}
    UNION ALL
    SELECT dstaddr AS ip, srcaddr AS peer, bytes FROM {{flows}} WHERE {{filter}}
) AS t
WHERE ip IS NOT NULL
GROUP BY ip
ORDER BY records DESC, ip
LIMIT {{$limit}}
