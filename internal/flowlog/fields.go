// Package flowlog is the domain model of AWS VPC and Transit Gateway flow-log records: the
// catalogue of every documented field (versions 2 to 8 and Transit Gateway), format strings and
// header lines, and a header-driven, allocation-free line parser that validates each value. It
// does no I/O: callers hand it lines and receive typed records or a FieldError naming the field.
package flowlog

// Kind is how a field's text value is validated and stored.
type Kind uint8

// The kinds. Numbers are stored as 64-bit integers while parsing; Int32 kinds are range-checked
// so they fit the Parquet INT_32 / DuckDB INTEGER column AWS documents for them.
const (
	KindString    Kind = iota // free text (IDs, ARNs, names)
	KindAddr                  // an IPv4 or IPv6 address, kept as text
	KindInt32                 // non-negative integer < 2^31
	KindInt64                 // non-negative integer < 2^63
	KindPort                  // 0..65535
	KindProtocol              // 0..255 (IANA protocol number)
	KindAction                // ACCEPT | REJECT
	KindLogStatus             // OK | NODATA | SKIPDATA
)

// Field describes one documented flow-log field.
type Field struct {
	Name        string // text name as in format strings and header lines, e.g. "pkt-srcaddr"
	Column      string // Athena/Parquet column name, e.g. "pkt_srcaddr"
	Kind        Kind
	Version     int    // format version that introduced the field (6 = Transit Gateway)
	ParquetType string // type AWS documents for Parquet delivery
}

// IsInteger reports whether values of the field are stored as integers.
func (f Field) IsInteger() bool {
	switch f.Kind {
	case KindInt32, KindInt64, KindPort, KindProtocol:
		return true
	}
	return false
}

// Is64 reports whether an integer field needs 64 bits (packets, bytes, start, end, TGW counters).
func (f Field) Is64() bool { return f.Kind == KindInt64 }

// catalog lists every field of the spec's tables 1.2 (VPC, v2-v8) and 2 (Transit Gateway), VPC
// fields first in AWS's documented order. It is read-only; use Fields or Lookup.
var catalog = [...]Field{
	{"version", "version", KindInt32, 2, "INT_32"},
	{"account-id", "account_id", KindString, 2, "STRING"},
	{"interface-id", "interface_id", KindString, 2, "STRING"},
	{"srcaddr", "srcaddr", KindAddr, 2, "STRING"},
	{"dstaddr", "dstaddr", KindAddr, 2, "STRING"},
	{"srcport", "srcport", KindPort, 2, "INT_32"},
	{"dstport", "dstport", KindPort, 2, "INT_32"},
	{"protocol", "protocol", KindProtocol, 2, "INT_32"},
	{"packets", "packets", KindInt64, 2, "INT_64"},
	{"bytes", "bytes", KindInt64, 2, "INT_64"},
	{"start", "start", KindInt64, 2, "INT_64"},
	{"end", "end", KindInt64, 2, "INT_64"},
	{"action", "action", KindAction, 2, "STRING"},
	{"log-status", "log_status", KindLogStatus, 2, "STRING"},
	{"vpc-id", "vpc_id", KindString, 3, "STRING"},
	{"subnet-id", "subnet_id", KindString, 3, "STRING"},
	{"instance-id", "instance_id", KindString, 3, "STRING"},
	{"tcp-flags", "tcp_flags", KindInt32, 3, "INT_32"},
	{"type", "type", KindString, 3, "STRING"},
	{"pkt-srcaddr", "pkt_srcaddr", KindAddr, 3, "STRING"},
	{"pkt-dstaddr", "pkt_dstaddr", KindAddr, 3, "STRING"},
	{"region", "region", KindString, 4, "STRING"},
	{"az-id", "az_id", KindString, 4, "STRING"},
	{"sublocation-type", "sublocation_type", KindString, 4, "STRING"},
	{"sublocation-id", "sublocation_id", KindString, 4, "STRING"},
	{"pkt-src-aws-service", "pkt_src_aws_service", KindString, 5, "STRING"},
	{"pkt-dst-aws-service", "pkt_dst_aws_service", KindString, 5, "STRING"},
	{"flow-direction", "flow_direction", KindString, 5, "STRING"},
	{"traffic-path", "traffic_path", KindInt32, 5, "INT_32"},
	{"ecs-cluster-arn", "ecs_cluster_arn", KindString, 7, "STRING"},
	{"ecs-cluster-name", "ecs_cluster_name", KindString, 7, "STRING"},
	{"ecs-container-instance-arn", "ecs_container_instance_arn", KindString, 7, "STRING"},
	{"ecs-container-instance-id", "ecs_container_instance_id", KindString, 7, "STRING"},
	{"ecs-container-id", "ecs_container_id", KindString, 7, "STRING"},
	{"ecs-second-container-id", "ecs_second_container_id", KindString, 7, "STRING"},
	{"ecs-service-name", "ecs_service_name", KindString, 7, "STRING"},
	{"ecs-task-definition-arn", "ecs_task_definition_arn", KindString, 7, "STRING"},
	{"ecs-task-arn", "ecs_task_arn", KindString, 7, "STRING"},
	{"ecs-task-id", "ecs_task_id", KindString, 7, "STRING"},
	{"reject-reason", "reject_reason", KindString, 8, "STRING"},
	// Transit Gateway flow logs (spec section 2). They share version..log-status, type,
	// tcp-flags, region, flow-direction and pkt-*-aws-service with VPC records.
	{"resource-type", "resource_type", KindString, 6, "STRING"},
	{"tgw-id", "tgw_id", KindString, 6, "STRING"},
	{"tgw-attachment-id", "tgw_attachment_id", KindString, 6, "STRING"},
	{"tgw-src-vpc-account-id", "tgw_src_vpc_account_id", KindString, 6, "STRING"},
	{"tgw-dst-vpc-account-id", "tgw_dst_vpc_account_id", KindString, 6, "STRING"},
	{"tgw-src-vpc-id", "tgw_src_vpc_id", KindString, 6, "STRING"},
	{"tgw-dst-vpc-id", "tgw_dst_vpc_id", KindString, 6, "STRING"},
	{"tgw-src-subnet-id", "tgw_src_subnet_id", KindString, 6, "STRING"},
	{"tgw-dst-subnet-id", "tgw_dst_subnet_id", KindString, 6, "STRING"},
	{"tgw-src-eni", "tgw_src_eni", KindString, 6, "STRING"},
	{"tgw-dst-eni", "tgw_dst_eni", KindString, 6, "STRING"},
	{"tgw-src-az-id", "tgw_src_az_id", KindString, 6, "STRING"},
	{"tgw-dst-az-id", "tgw_dst_az_id", KindString, 6, "STRING"},
	{"tgw-pair-attachment-id", "tgw_pair_attachment_id", KindString, 6, "STRING"},
	{"packets-lost-no-route", "packets_lost_no_route", KindInt64, 6, "INT_64"},
	{"packets-lost-blackhole", "packets_lost_blackhole", KindInt64, 6, "INT_64"},
	{"packets-lost-mtu-exceeded", "packets_lost_mtu_exceeded", KindInt64, 6, "INT_64"},
	{"packets-lost-ttl-expired", "packets_lost_ttl_expired", KindInt64, 6, "INT_64"},
}

// NumFields is the number of documented fields; field indexes run from 0 to NumFields-1.
const NumFields = len(catalog)

// Field indexes used by code that needs a specific field.
const (
	FVersion   = 0
	FSrcAddr   = 3
	FDstAddr   = 4
	FSrcPort   = 5
	FDstPort   = 6
	FProtocol  = 7
	FPackets   = 8
	FBytes     = 9
	FStart     = 10
	FEnd       = 11
	FAction    = 12
	FLogStatus = 13
)

// DefaultFormat is the 14-field default format, in AWS's fixed order.
const DefaultFormat = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"

// Fields returns a copy of the field catalogue in index order.
func Fields() []Field {
	out := make([]Field, NumFields)
	copy(out, catalog[:])
	return out
}

// FieldAt returns the field with index i.
func FieldAt(i int) Field { return catalog[i] }

// Lookup finds a field by its text name ("pkt-srcaddr") or column name ("pkt_srcaddr").
func Lookup(name string) (int, bool) {
	for i := range catalog {
		if catalog[i].Name == name || catalog[i].Column == name {
			return i, true
		}
	}
	return -1, false
}

// ActionValues and LogStatusValues are the documented enumerations, in the order the database
// ENUM types declare them.
func ActionValues() []string    { return []string{"ACCEPT", "REJECT"} }
func LogStatusValues() []string { return []string{"OK", "NODATA", "SKIPDATA"} }
