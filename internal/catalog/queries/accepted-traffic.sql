-- id: accepted-traffic
-- aws: VpcFlowLogsAcceptedTraffic
-- kind: named
-- title: TCP connections allowed by security groups and network ACLs
-- description: Accepted TCP records, oldest first.
-- needs: action protocol start end
-- param: limit int 100 rows to return
-- note: AWS publishes only the name and description; the SQL follows them (action ACCEPT, protocol 6).
SELECT {{columns}}
FROM {{flows}}
WHERE action = 'ACCEPT' AND protocol = 6 AND {{filter}}
ORDER BY start, "end", {{provenance}}
LIMIT {{$limit}}
