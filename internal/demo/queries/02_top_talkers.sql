-- title: Top talkers: source/destination pairs with the most bytes (Athena VpcFlowLogsTotalBytesTransferred, largest first)
SELECT srcaddr, dstaddr, SUM(bytes) AS total_bytes, count(*) AS records
FROM flows
WHERE log_status = 'OK'
GROUP BY srcaddr, dstaddr
ORDER BY total_bytes DESC
LIMIT 10;
