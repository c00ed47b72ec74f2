-- data-ratio, rendered for Athena
SELECT sourceaddress,
         destinationaddress,
         count(*) AS record_count,
         SUM(numbytes) AS total_bytes,
         SUM(numbytes)/count(*) AS data_ratio,
         date_format(from_unixtime(min(starttime)),
         '%Y/%m/%d %H:%i:%s') AS first_seen, date_format(from_unixtime(max(endtime)), '%Y/%m/%d %H:%i:%s') AS last_seen
FROM "vpcflowlogs"."vpcflow"
WHERE (sourceaddress = ?
        OR destinationaddress = ?)
GROUP BY  sourceaddress, destinationaddress
ORDER BY  total_bytes DESC
-- ExecutionParameters: ['10.0.33.64', '10.0.33.64']
