-- title: Known IOCs (the playbook's incident_iocs list, addresses and IPv4 CIDRs): who talked to them, which way, how much
WITH ioc AS (
    SELECT threat_ip, threat_comment,
           split_part(threat_ip, '/', 1) AS net,
           coalesce(TRY_CAST(split_part(threat_ip, '/', 2) AS INTEGER), 32) AS bits
    FROM incident_iocs
    WHERE threat_ip NOT LIKE '%:%'
), ranges AS (
    SELECT threat_ip, threat_comment,
           (TRY_CAST(split_part(net, '.', 1) AS BIGINT) << 24) + (TRY_CAST(split_part(net, '.', 2) AS BIGINT) << 16)
         + (TRY_CAST(split_part(net, '.', 3) AS BIGINT) << 8) + TRY_CAST(split_part(net, '.', 4) AS BIGINT) AS lo,
           bits
    FROM ioc
), talkers AS (
    SELECT srcaddr, dstaddr, action, bytes, start, "end",
           (TRY_CAST(split_part(srcaddr, '.', 1) AS BIGINT) << 24) + (TRY_CAST(split_part(srcaddr, '.', 2) AS BIGINT) << 16)
         + (TRY_CAST(split_part(srcaddr, '.', 3) AS BIGINT) << 8) + TRY_CAST(split_part(srcaddr, '.', 4) AS BIGINT) AS src,
           (TRY_CAST(split_part(dstaddr, '.', 1) AS BIGINT) << 24) + (TRY_CAST(split_part(dstaddr, '.', 2) AS BIGINT) << 16)
         + (TRY_CAST(split_part(dstaddr, '.', 3) AS BIGINT) << 8) + TRY_CAST(split_part(dstaddr, '.', 4) AS BIGINT) AS dst
    FROM flows
    WHERE type IS DISTINCT FROM 'IPv6' AND srcaddr NOT LIKE '%:%'
)
SELECT r.threat_ip AS indicator,
       CASE WHEN t.dst >> (32 - r.bits) = r.lo >> (32 - r.bits) THEN t.srcaddr ELSE t.dstaddr END AS our_address,
       CASE WHEN t.dst >> (32 - r.bits) = r.lo >> (32 - r.bits) THEN 'to IOC' ELSE 'from IOC' END AS direction,
       count(*)                                    AS records,
       SUM(t.bytes)                                AS bytes,
       count(*) FILTER (WHERE t.action = 'REJECT') AS rejected,
       to_timestamp(min(t.start))                  AS first_seen,
       to_timestamp(max(t."end"))                  AS last_seen,
       any_value(r.threat_comment)                 AS comment
FROM talkers t
JOIN ranges r
  ON t.dst >> (32 - r.bits) = r.lo >> (32 - r.bits)
  OR t.src >> (32 - r.bits) = r.lo >> (32 - r.bits)
GROUP BY ALL
ORDER BY bytes DESC NULLS LAST;
