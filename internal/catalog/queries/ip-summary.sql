-- id: ip-summary
-- kind: deep-dive
-- title: What one address did, in one row per direction
-- description: For the address as source and as destination: records, bytes, packets, distinct peers and ports, accepted and rejected records, first and last seen.
-- needs: srcaddr dstaddr srcport dstport bytes packets action start end
-- param: ip ip required the address
SELECT role,
       count(*) AS records,
       SUM(bytes) AS total_bytes,
       SUM(packets) AS total_packets,
       count(DISTINCT peer) AS peers,
       count(DISTINCT port) AS peer_ports,
       count(*) FILTER (WHERE action = 'ACCEPT') AS accepted,
       count(*) FILTER (WHERE action = 'REJECT') AS rejected,
       date_format(from_unixtime(min(start)), '%Y-%m-%d %H:%i:%s') AS first_seen,
       date_format(from_unixtime(max("end")), '%Y-%m-%d %H:%i:%s') AS last_seen
FROM (
    SELECT 'as source' AS role, dstaddr AS peer, dstport AS port, bytes, packets, action, start, "end"
    FROM {{flows}} WHERE srcaddr = {{$ip}} AND {{filter}}
    UNION ALL
    SELECT 'as destination' AS role, srcaddr AS peer, srcport AS port, bytes, packets, action, start, "end"
    FROM {{flows}} WHERE dstaddr = {{$ip}} AND {{filter}}
) AS t
GROUP BY role
ORDER BY role DESC
