-- title: Known IOCs (the list in incident_iocs, addresses and CIDRs): who talked to them, when, how much each way, and which never appear
SELECT indicator, comment, seen, first_seen, last_seen, records,
       internal_hosts, hosts, bytes_out, bytes_in, accepted, rejected
FROM ioc_summary
ORDER BY seen DESC, first_seen NULLS LAST, line_no;
