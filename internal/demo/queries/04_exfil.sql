-- title: Largest outbound transfers from private to public addresses in any 30 minutes (AWS service ranges excluded: S3 gateway/VPC endpoint traffic is not exfiltration)
SELECT srcaddr, dstaddr, dstport,
       time_bucket(INTERVAL 30 MINUTE, to_timestamp(start)) AS window_start,
       SUM(bytes) AS bytes_out,
       count(*)   AS records
FROM flows_enriched
WHERE action = 'ACCEPT'
  AND src_class = 'private'
  AND dst_class = 'public'
  AND dst_aws_service IS NULL  -- AWS ip-ranges (see aws_ranges_created): S3, DynamoDB, EC2, …
GROUP BY ALL
ORDER BY bytes_out DESC
LIMIT 5;
