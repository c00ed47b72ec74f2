-- id: ipv6-traffic
-- aws: VpcFlowLogsIPv6Traffic
-- kind: named
-- title: Total bytes of IPv6 traffic
-- description: Bytes, packets and records of IPv6 traffic.
-- needs: srcaddr bytes packets
-- note: Uses the version 3 type field where the format has it, and the address family of srcaddr where it does not, so default-format logs are answered too. EFA records count under their type only.
SELECT SUM(bytes) AS total_bytes, SUM(packets) AS total_packets, count(*) AS records
FROM {{flows}}
WHERE srcaddr IS NOT NULL
  AND coalesce(type, CASE WHEN strpos(srcaddr, ':') > 0 THEN 'IPv6' ELSE 'IPv4' END) = 'IPv6'
  AND {{filter}}
