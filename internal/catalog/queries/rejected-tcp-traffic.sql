-- id: rejected-tcp-traffic
-- aws: VpcFlowLogsRejectedTCPTraffic
-- kind: named
-- title: TCP connections rejected by security groups or network ACLs
-- description: Rejected TCP records, oldest first (the AWS documentation's example query action = 'REJECT' AND protocol = 6).
-- needs: action protocol start end
-- param: limit int 100 rows to return
-- note: REJECT also covers packets arriving after a connection closed and, in version 8, VPC Block Public Access (see reject_reason).
SELECT {{columns}}
FROM {{flows}}
WHERE action = 'REJECT' AND protocol = 6 AND {{filter}}
ORDER BY start, "end", {{provenance}}
LIMIT {{$limit}}
