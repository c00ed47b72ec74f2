-- id: rejected-traffic
-- aws: VpcFlowLogsRejectedTraffic
-- kind: named
-- title: Traffic rejected by security groups or network ACLs
-- description: Rejected records of any protocol, oldest first.
-- needs: action start end
-- param: limit int 100 rows to return
SELECT {{columns}}
FROM {{flows}}
WHERE action = 'REJECT' AND {{filter}}
ORDER BY start, "end", {{provenance}}
LIMIT {{$limit}}
