-- Views over flow_records, recreated on every read-write open.

-- flows: the records with Athena/Parquet column names plus the derived columns. log_account_id,
-- log_region and flow_log_id come from the S3 key (the Athena partition values); they are looked
-- up from log_partitions by fd_part_* macros instead of being stored per row.
CREATE OR REPLACE VIEW flows AS
SELECT * EXCLUDE (part_id, date, extra, source_id, line_no),
       date,
       fd_part_account(part_id) AS log_account_id,
       fd_part_region(part_id)  AS log_region,
       fd_part_flow_log(part_id) AS flow_log_id,
       extra,
       source_id,
       line_no
FROM flow_records;

-- vpc_flow_logs: the name the AWS documentation's Athena table uses, same columns as flows.
CREATE OR REPLACE VIEW vpc_flow_logs AS SELECT * FROM flows;

-- vpcflow: the column names of the "Analyzing VPC Flow Logs" playbook's own DDL, so its queries
-- run unchanged. The playbook's hyphenated v5 names are offered quoted and without hyphens.
CREATE OR REPLACE VIEW vpcflow AS
SELECT version,
       account_id          AS account,
       interface_id        AS interfaceid,
       srcaddr             AS sourceaddress,
       dstaddr             AS destinationaddress,
       srcport             AS sourceport,
       dstport             AS destinationport,
       protocol,
       packets             AS numpackets,
       bytes               AS numbytes,
       start               AS starttime,
       "end"               AS endtime,
       action,
       log_status          AS logstatus,
       vpc_id              AS vpcid,
       type,
       tcp_flags           AS tcpflags,
       subnet_id           AS subnetid,
       sublocation_type    AS sublocationtype,
       sublocation_id      AS sublocationid,
       region,
       pkt_srcaddr         AS pktsrcaddr,
       pkt_dstaddr         AS pktdstaddr,
       instance_id         AS instanceid,
       az_id               AS azid,
       pkt_src_aws_service AS "pkt-src-aws-service",
       pkt_dst_aws_service AS "pkt-dst-aws-service",
       flow_direction      AS "flow-direction",
       traffic_path        AS "traffic-path",
       pkt_src_aws_service AS pktsrcawsservice,
       pkt_dst_aws_service AS pktdstawsservice,
       flow_direction      AS flowdirection,
       traffic_path        AS trafficpath,
       strftime(date, '%Y/%m/%d') AS date_partition,
       log_region          AS region_partition,
       log_account_id      AS account_partition,
       date,
       source_id,
       line_no
FROM flows;
