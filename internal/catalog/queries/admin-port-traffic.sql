-- id: admin-port-traffic
-- aws: VpcFlowLogsAdminPortTraffic
-- kind: named
-- title: Addresses with the most traffic on administrative ports
-- description: The addresses that sent or received the most bytes to or from administrative ports; each record counts for both its source and its destination.
-- needs: srcaddr dstaddr srcport dstport bytes
-- param: ports ports 22,23,3389,5900,5985,5986,2375,2376,6443,8080,8443,9090,10000 administrative ports: SSH, Telnet, RDP, VNC, WinRM, Docker API, Kubernetes API, web admin consoles (flowdig's list, not AWS's)
-- param: limit int 10 rows to return
-- note: Deviation: AWS's generated query, as reproduced from its template, filters no port at all and ranks every address by bytes; this entry does what the name promises and counts only records to or from the ports in the ports parameter.
SELECT ip, SUM(bytes) AS total_bytes, count(*) AS records
FROM (
    SELECT srcaddr AS ip, bytes FROM {{flows}}
    WHERE (dstport IN ({{$ports}}) OR srcport IN ({{$ports}})) AND {{filter}}
    UNION ALL
    SELECT dstaddr AS ip, bytes FROM {{flows}}
    WHERE (dstport IN ({{$ports}}) OR srcport IN ({{$ports}})) AND {{filter}}
) AS t
WHERE ip IS NOT NULL
GROUP BY ip
ORDER BY total_bytes DESC, ip
LIMIT {{$limit}}
