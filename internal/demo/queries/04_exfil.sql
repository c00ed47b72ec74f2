-- title: Largest outbound transfers from private to public addresses in any 30 minutes
SELECT srcaddr, dstaddr, dstport,
       time_bucket(INTERVAL 30 MINUTE, to_timestamp(start)) AS window_start,
       SUM(bytes) AS bytes_out,
       count(*)   AS records
FROM flows
WHERE action = 'ACCEPT'
  AND (srcaddr LIKE '10.%' OR srcaddr LIKE '192.168.%' OR regexp_matches(srcaddr, '^172\.(1[6-9]|2[0-9]|3[01])\.'))
  AND NOT (dstaddr LIKE '10.%' OR dstaddr LIKE '192.168.%' OR regexp_matches(dstaddr, '^172\.(1[6-9]|2[0-9]|3[01])\.') OR dstaddr LIKE '%:%')
GROUP BY ALL
ORDER BY bytes_out DESC
LIMIT 5;
