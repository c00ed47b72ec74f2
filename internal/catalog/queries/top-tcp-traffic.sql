-- id: top-tcp-traffic
-- aws: VpcFlowLogsTopTCPTraffic
-- kind: named
-- title: TCP traffic recorded for a source address
-- description: All TCP records from one source address, summed per destination address and port, largest first.
-- needs: srcaddr dstaddr dstport protocol bytes packets start end
-- param: srcaddr ip required the source address
-- param: limit int 50 rows to return
-- note: AWS's description is "all TCP traffic recorded for a source IP address"; the rows are summed per destination and port so the top of the list answers "where did it send most".
SELECT srcaddr, dstaddr, dstport,
       SUM(bytes) AS total_bytes, SUM(packets) AS total_packets, count(*) AS records,
       date_format(from_unixtime(min(start)), '%Y-%m-%d %H:%i:%s') AS first_seen,
       date_format(from_unixtime(max("end")), '%Y-%m-%d %H:%i:%s') AS last_seen
FROM {{flows}}
WHERE protocol = 6 AND srcaddr = {{$srcaddr}} AND {{filter}}
GROUP BY srcaddr, dstaddr, dstport
ORDER BY total_bytes DESC, dstaddr, dstport
LIMIT {{$limit}}
