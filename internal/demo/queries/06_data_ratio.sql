-- title: The playbook's data-ratio query for the exfiltrating host (bytes per record, first/last seen)
SELECT sourceaddress,
         destinationaddress,
         count(*) AS record_count,
         SUM(numbytes) AS total_bytes,
         SUM(numbytes)/count(*) AS data_ratio,
         date_format(from_unixtime(min(starttime)),
         '%Y/%m/%d %H:%i:%s') AS first_seen, date_format(from_unixtime(max(endtime)), '%Y/%m/%d %H:%i:%s') AS last_seen
FROM vpcflow
WHERE (sourceaddress = $ip
        OR destinationaddress = $ip)
GROUP BY  sourceaddress, destinationaddress
ORDER BY  total_bytes DESC
LIMIT 8;
