-- id: ip-ports
-- kind: deep-dive
-- title: The ports one address talked to and was reached on
-- description: Per direction, protocol and port on the other side or on the address itself: records, bytes, peers, accepted and rejected, largest first.
-- needs: srcaddr dstaddr srcport dstport protocol bytes action
-- param: ip ip required the address
-- param: limit int 50 rows to return
SELECT direction, protocol, port,
       count(*) AS records,
       SUM(bytes) AS total_bytes,
       count(DISTINCT peer) AS peers,
       count(*) FILTER (WHERE action = 'ACCEPT') AS accepted,
       count(*) FILTER (WHERE action = 'REJECT') AS rejected
FROM (
    SELECT 'to peer port' AS direction, protocol, dstport AS port, dstaddr AS peer, bytes, action
    FROM {{flows}} WHERE srcaddr = {{$ip}} AND {{filter}}
    UNION ALL
    SELECT 'on its own port' AS direction, protocol, dstport AS port, srcaddr AS peer, bytes, action
    FROM {{flows}} WHERE dstaddr = {{$ip}} AND {{filter}}
) AS t
GROUP BY direction, protocol, port
ORDER BY total_bytes DESC, records DESC, direction, protocol, port
LIMIT {{$limit}}
