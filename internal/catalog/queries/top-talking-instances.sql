-- id: top-talking-instances
-- aws: VpcFlowLogsTopTalkingInstances
-- kind: named
-- title: The 50 instances with the most traffic
-- description: Bytes per instance_id, over the records of the instance's network interfaces.
-- needs: instance_id bytes
-- param: limit int 50 rows to return
SELECT instance_id, SUM(bytes) AS total_bytes, count(*) AS records
FROM {{flows}}
WHERE instance_id IS NOT NULL AND {{filter}}
GROUP BY instance_id
ORDER BY total_bytes DESC, instance_id
LIMIT {{$limit}}
