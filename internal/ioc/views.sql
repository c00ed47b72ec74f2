-- Views over flows and the IOC tables, recreated by flowdig (enrich.Refresh) on the read-write
-- connection after every ingest and IOC change, so they always match the binary.

-- ioc_hits: one row per record, side and listed indicator where the record's source side
-- (srcaddr, pkt_srcaddr) or destination side (dstaddr, pkt_dstaddr) is inside the indicator.
-- direction is from our side: 'outbound' when we sent to the indicator, 'inbound' when it sent
-- to us. When the match is on the interface's own addresses (srcaddr/dstaddr) and the record has
-- flow_direction, that decides (egress = outbound); a match only on pkt_* addresses is traffic
-- relayed by a NAT gateway or load balancer, whose flow_direction describes the relay's
-- interface, so there the side of the indicator decides. internal_* is the other side.
CREATE OR REPLACE VIEW ioc_hits AS
-- (flow_records rather than flows: the columns a hit needs, and the S3-key account and region
-- looked up for hits only, not for every record scanned)
WITH hit AS MATERIALIZED (
    -- one scan: the records with a matched address anywhere, and only the columns a hit needs
    SELECT source_id, line_no, part_id, interface_id, account_id, region, vpc_id,
           srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start, "end",
           action, log_status, tcp_flags, pkt_srcaddr, pkt_dstaddr, flow_direction, traffic_path
    FROM flow_records
    WHERE srcaddr IN (SELECT addr FROM ioc_matches)
       OR dstaddr IN (SELECT addr FROM ioc_matches)
       OR pkt_srcaddr IN (SELECT addr FROM ioc_matches)
       OR pkt_dstaddr IN (SELECT addr FROM ioc_matches)
),
k AS (
    -- the interface's own source address; via_pkt when pkt_srcaddr is the same address or
    -- another address inside the same indicator
    SELECT f.*,
           'source' AS ioc_side, true AS on_interface,
           coalesce(f.pkt_srcaddr = f.srcaddr, false) OR mp.addr IS NOT NULL AS via_pkt,
           coalesce(mp.addr, f.srcaddr) AS ioc_address, m.list_id AS ioc_list_id, m.indicator AS ioc_indicator
    FROM hit f
    JOIN ioc_matches m ON m.addr = f.srcaddr
    LEFT JOIN ioc_matches mp ON mp.addr = f.pkt_srcaddr AND mp.addr <> f.srcaddr
                            AND mp.list_id = m.list_id AND mp.indicator = m.indicator
    UNION ALL
    -- pkt_srcaddr alone: the original source of traffic a NAT gateway or load balancer relays
    SELECT f.*,
           'source', false, true, f.pkt_srcaddr, m.list_id, m.indicator
    FROM hit f
    JOIN ioc_matches m ON m.addr = f.pkt_srcaddr
    WHERE f.pkt_srcaddr IS DISTINCT FROM f.srcaddr
      AND NOT EXISTS (SELECT 1 FROM ioc_matches m2
                      WHERE m2.addr = f.srcaddr AND m2.list_id = m.list_id AND m2.indicator = m.indicator)
    UNION ALL
    SELECT f.*,
           'destination', true,
           coalesce(f.pkt_dstaddr = f.dstaddr, false) OR mp.addr IS NOT NULL,
           coalesce(mp.addr, f.dstaddr), m.list_id, m.indicator
    FROM hit f
    JOIN ioc_matches m ON m.addr = f.dstaddr
    LEFT JOIN ioc_matches mp ON mp.addr = f.pkt_dstaddr AND mp.addr <> f.dstaddr
                            AND mp.list_id = m.list_id AND mp.indicator = m.indicator
    UNION ALL
    SELECT f.*,
           'destination', false, true, f.pkt_dstaddr, m.list_id, m.indicator
    FROM hit f
    JOIN ioc_matches m ON m.addr = f.pkt_dstaddr
    WHERE f.pkt_dstaddr IS DISTINCT FROM f.dstaddr
      AND NOT EXISTS (SELECT 1 FROM ioc_matches m2
                      WHERE m2.addr = f.dstaddr AND m2.list_id = m.list_id AND m2.indicator = m.indicator)
)
SELECT k.ioc_indicator                         AS indicator,
       l.name                                  AS list,
       i.comment,
       k.ioc_side,
       CASE
           WHEN k.on_interface AND k.via_pkt THEN CASE k.ioc_side WHEN 'source' THEN 'srcaddr+pkt_srcaddr' ELSE 'dstaddr+pkt_dstaddr' END
           WHEN k.on_interface               THEN CASE k.ioc_side WHEN 'source' THEN 'srcaddr' ELSE 'dstaddr' END
           ELSE CASE k.ioc_side WHEN 'source' THEN 'pkt_srcaddr' ELSE 'pkt_dstaddr' END
       END                                     AS matched_on,
       k.ioc_address,
       CASE
           WHEN k.on_interface AND k.flow_direction = 'egress'  THEN 'outbound'
           WHEN k.on_interface AND k.flow_direction = 'ingress' THEN 'inbound'
           WHEN k.ioc_side = 'destination'                      THEN 'outbound'
           ELSE 'inbound'
       END                                     AS direction,
       CASE
           WHEN k.ioc_side = 'destination' AND k.on_interface THEN k.srcaddr
           WHEN k.ioc_side = 'destination'                    THEN coalesce(k.pkt_srcaddr, k.srcaddr)
           WHEN k.on_interface                                THEN k.dstaddr
           ELSE coalesce(k.pkt_dstaddr, k.dstaddr)
       END                                     AS internal_address,
       CASE WHEN k.ioc_side = 'destination' THEN k.srcport ELSE k.dstport END AS internal_port,
       CASE WHEN k.ioc_side = 'destination' THEN k.dstport ELSE k.srcport END AS ioc_port,
       k.protocol,
       k.action,
       k.bytes,
       k.packets,
       to_timestamp(k.start)                   AS start_time,
       to_timestamp(k."end")                   AS end_time,
       k.flow_direction,
       k.traffic_path,
       k.interface_id,
       coalesce(k.account_id, fd_part_account(k.part_id)) AS account,
       coalesce(k.region, fd_part_region(k.part_id))       AS region,
       k.vpc_id,
       k.log_status,
       k.tcp_flags,
       k.srcaddr, k.srcport, k.dstaddr, k.dstport, k.pkt_srcaddr, k.pkt_dstaddr,
       a.country                               AS ioc_country,
       a.asn                                   AS ioc_asn,
       a.as_org                                AS ioc_as_org,
       k.start, k."end",
       k.ioc_list_id                           AS list_id,
       k.source_id,
       k.line_no
FROM k
JOIN ioc_lists l ON l.list_id = k.ioc_list_id
JOIN ioc_indicators i ON i.list_id = k.ioc_list_id AND i.indicator = k.ioc_indicator
LEFT JOIN (SELECT addr, country, asn, as_org FROM address_info WHERE addr IN (SELECT addr FROM ioc_matches)) a
       ON a.addr = k.ioc_address;

-- ioc_summary: one row per listed indicator, seen or not (absence is an answer too). bytes_out
-- is what our side sent to the indicator, bytes_in what it sent to us; a connection logged on
-- several interfaces (an instance and its NAT gateway) is counted on each.
CREATE OR REPLACE VIEW ioc_summary AS
SELECT l.name                                             AS list,
       i.indicator,
       i.comment,
       count(h.source_id) > 0                             AS seen,
       min(h.start_time)                                  AS first_seen,
       max(h.end_time)                                    AS last_seen,
       count(h.source_id)                                 AS records,
       count(DISTINCT h.internal_address)                 AS internal_hosts,
       coalesce(sum(h.bytes) FILTER (WHERE h.direction = 'outbound'), 0) AS bytes_out,
       coalesce(sum(h.bytes) FILTER (WHERE h.direction = 'inbound'), 0)  AS bytes_in,
       count(h.source_id) FILTER (WHERE h.action = 'ACCEPT') AS accepted,
       count(h.source_id) FILTER (WHERE h.action = 'REJECT') AS rejected,
       count(DISTINCT h.ioc_address)                      AS ioc_addresses,
       list_slice(list_sort(list(DISTINCT h.internal_address) FILTER (WHERE h.internal_address IS NOT NULL)), 1, 10) AS hosts,
       i.list_id,
       i.line_no
FROM ioc_indicators i
JOIN ioc_lists l USING (list_id)
LEFT JOIN ioc_hits h ON h.list_id = i.list_id AND h.indicator = i.indicator
GROUP BY l.name, i.indicator, i.comment, i.list_id, i.line_no;
