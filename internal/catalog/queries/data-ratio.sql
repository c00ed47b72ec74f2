-- id: data-ratio
-- kind: deep-dive
-- title: Data ratio per peer, with first and last seen
-- description: The playbook's data-ratio query: per source/destination pair involving the address, records, total bytes, bytes per record (integer division), first and last seen.
-- needs: srcaddr dstaddr bytes start end
-- param: ip ip required the address
-- filters: none
-- note: The playbook's SQL verbatim (column names of its vpcflow table), with the address bound as a parameter. "Data ratio" is bytes per record, not per connection.
SELECT sourceaddress,
         destinationaddress,
         count(*) AS record_count,
         SUM(numbytes) AS total_bytes,
         SUM(numbytes)/count(*) AS data_ratio,
         date_format(from_unixtime(min(starttime)),
         '%Y/%m/%d %H:%i:%s') AS first_seen, date_format(from_unixtime(max(endtime)), '%Y/%m/%d %H:%i:%s') AS last_seen
FROM {{vpcflow}}
WHERE (sourceaddress = {{$ip}}
        OR destinationaddress = {{$ip}})
GROUP BY  sourceaddress, destinationaddress
ORDER BY  total_bytes DESC
