-- title: Port scans: one source probing many ports of one host, mostly rejected
SELECT srcaddr, dstaddr,
       count(DISTINCT dstport)                         AS distinct_ports,
       count(*) FILTER (WHERE action = 'REJECT')       AS rejected,
       list_sort(list_distinct(list(dstport) FILTER (WHERE action = 'ACCEPT'))) AS accepted_ports,
       to_timestamp(min(start))                        AS first_seen,
       to_timestamp(max("end"))                        AS last_seen
FROM flows
WHERE protocol = 6
GROUP BY srcaddr, dstaddr
HAVING count(DISTINCT dstport) >= 100
   AND count(*) FILTER (WHERE action = 'REJECT') * 2 >= count(*)  -- replies to ephemeral ports are ACCEPTed
ORDER BY distinct_ports DESC;
