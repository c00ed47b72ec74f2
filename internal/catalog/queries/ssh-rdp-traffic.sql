-- id: ssh-rdp-traffic
-- aws: VpcFlowLogsSshRdpTraffic
-- kind: named
-- title: SSH and RDP traffic
-- description: Records to or from ports 22 and 3389, oldest first, as AWS's query does.
-- needs: srcport dstport start end
-- param: limit int 50 rows to return
SELECT {{columns}}
FROM {{flows}}
WHERE (srcport IN (22, 3389) OR dstport IN (22, 3389)) AND {{filter}}
ORDER BY start ASC, "end", {{provenance}}
LIMIT {{$limit}}
