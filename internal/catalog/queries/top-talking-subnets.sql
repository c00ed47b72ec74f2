-- id: top-talking-subnets
-- aws: VpcFlowLogsTopTalkingSubnets
-- kind: named
-- title: The 50 subnets with the most traffic
-- description: Bytes per subnet_id, over the records of the subnet's network interfaces.
-- needs: subnet_id bytes
-- param: limit int 50 rows to return
SELECT subnet_id, SUM(bytes) AS total_bytes, count(*) AS records
FROM {{flows}}
WHERE subnet_id IS NOT NULL AND {{filter}}
GROUP BY subnet_id
ORDER BY total_bytes DESC, subnet_id
LIMIT {{$limit}}
