-- The hunt's working copy of the records, built once per hunt on the hunt's connection.
--
-- hunt_eni numbers the interfaces (a Transit Gateway record has no interface: its attachment
-- stands in) and notes their account and region. hunt_flows holds the records with log-status OK (or without that field) inside
-- the hunt's --from/--to, with integer address ids and each side's class and allow-list bits
-- from hunt_addr (built in Go), so every detector groups on integers instead of text.
--
-- reply marks the answering side of a connection: a record is a reply when the reverse
-- 5-tuple was seen too and the record's own source port is not above its destination port
-- (the service port answering an ephemeral one). Replies are what make a busy database look
-- like it "scans" its clients' ephemeral ports; detectors that count a source's requests
-- leave them out. A probe that nobody answered (rejected, or no listener) is never a reply.
-- The reverse test runs on a 64-bit hash of the 5-tuple (of the text addresses, so the set of
-- answered tuples is built straight from the records): one integer per record to look up.
CREATE OR REPLACE TEMP TABLE hunt_eni AS
SELECT (row_number() OVER (ORDER BY e))::INTEGER AS id, e AS interface_id, scope
FROM (SELECT coalesce(interface_id, tgw_attachment_id) AS e,
             -- the account and region an interface belongs to: hosts are compared with their
             -- neighbours (reject-spike), whose traffic follows the same daily and weekly cycle
             any_value(coalesce(account_id, fd_part_account(part_id), '-') || '/' || coalesce(region, fd_part_region(part_id), '-')) AS scope
      FROM flow_records WHERE {{time}} GROUP BY 1) AS t
WHERE e IS NOT NULL;

CREATE OR REPLACE TEMP TABLE hunt_answered AS
SELECT DISTINCT hash(srcaddr, dstaddr, srcport, dstport, protocol) AS k
FROM flow_records
WHERE srcport >= dstport AND coalesce(log_status, 'OK') = 'OK' AND start IS NOT NULL AND {{time}};

CREATE OR REPLACE TEMP TABLE hunt_flows AS
SELECT s.id AS src, d.id AS dst, e.id AS eni,
       coalesce(f.srcport, 0)::USMALLINT AS srcport, coalesce(f.dstport, 0)::USMALLINT AS dstport,
       coalesce(f.protocol, 0)::UTINYINT AS protocol,
       coalesce(f.packets, 0) AS packets, coalesce(f.bytes, 0) AS bytes,
       f.start::UINTEGER AS start, greatest(f."end", f.start)::UINTEGER AS "end",
       coalesce(f.action = 'REJECT', false) AS rejected,
       s.internal AS src_int, d.internal AS dst_int, s.external AS src_ext, d.external AS dst_ext,
       s.aws AS src_aws, d.aws AS dst_aws, s.allow::UTINYINT AS src_allow, d.allow::UTINYINT AS dst_allow,
       (f.srcport <= f.dstport
        AND hash(f.dstaddr, f.srcaddr, f.dstport, f.srcport, f.protocol) IN (SELECT k FROM hunt_answered)) AS reply
FROM flow_records f
JOIN hunt_addr s ON s.addr = f.srcaddr
JOIN hunt_addr d ON d.addr = f.dstaddr
LEFT JOIN hunt_eni e ON e.interface_id = coalesce(f.interface_id, f.tgw_attachment_id)
WHERE coalesce(f.log_status, 'OK') = 'OK' AND f.start IS NOT NULL AND {{time}};

DROP TABLE hunt_answered;
