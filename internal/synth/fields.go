package synth

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// field is one VPC flow-log field (versions 2 to 5). The generator keeps its
// own small catalog rather than importing the parser's: the two must agree
// only through the files on disk, which is what the tests compare.
type field uint8

const (
	fVersion field = iota
	fAccountID
	fInterfaceID
	fSrcAddr
	fDstAddr
	fSrcPort
	fDstPort
	fProtocol
	fPackets
	fBytes
	fStart
	fEnd
	fAction
	fLogStatus
	fVpcID
	fSubnetID
	fInstanceID
	fTCPFlags
	fType
	fPktSrcAddr
	fPktDstAddr
	fRegion
	fAzID
	fSublocationType
	fSublocationID
	fPktSrcAWSService
	fPktDstAWSService
	fFlowDirection
	fTrafficPath
	numFields
)

// name is the hyphenated name used in format strings and S3 header lines.
func (f field) name() string {
	switch f {
	case fVersion:
		return "version"
	case fAccountID:
		return "account-id"
	case fInterfaceID:
		return "interface-id"
	case fSrcAddr:
		return "srcaddr"
	case fDstAddr:
		return "dstaddr"
	case fSrcPort:
		return "srcport"
	case fDstPort:
		return "dstport"
	case fProtocol:
		return "protocol"
	case fPackets:
		return "packets"
	case fBytes:
		return "bytes"
	case fStart:
		return "start"
	case fEnd:
		return "end"
	case fAction:
		return "action"
	case fLogStatus:
		return "log-status"
	case fVpcID:
		return "vpc-id"
	case fSubnetID:
		return "subnet-id"
	case fInstanceID:
		return "instance-id"
	case fTCPFlags:
		return "tcp-flags"
	case fType:
		return "type"
	case fPktSrcAddr:
		return "pkt-srcaddr"
	case fPktDstAddr:
		return "pkt-dstaddr"
	case fRegion:
		return "region"
	case fAzID:
		return "az-id"
	case fSublocationType:
		return "sublocation-type"
	case fSublocationID:
		return "sublocation-id"
	case fPktSrcAWSService:
		return "pkt-src-aws-service"
	case fPktDstAWSService:
		return "pkt-dst-aws-service"
	case fFlowDirection:
		return "flow-direction"
	case fTrafficPath:
		return "traffic-path"
	}
	return "unknown"
}

// version is the flow-log version that introduced the field.
func (f field) version() int {
	switch {
	case f <= fLogStatus:
		return 2
	case f <= fPktDstAddr:
		return 3
	case f <= fSublocationID:
		return 4
	default:
		return 5
	}
}

// colKind is the Parquet physical type AWS documents for a field.
type colKind uint8

const (
	kindString colKind = iota
	kindInt32
	kindInt64
)

func (f field) kind() colKind {
	switch f {
	case fVersion, fSrcPort, fDstPort, fProtocol, fTCPFlags, fTrafficPath:
		return kindInt32
	case fPackets, fBytes, fStart, fEnd:
		return kindInt64
	}
	return kindString
}

// column is the Athena/Parquet column name: hyphens become underscores.
func (f field) column() string { return strings.ReplaceAll(f.name(), "-", "_") }

// Formats used by the dataset. Each is a real, valid flow-log format string
// in header form (hyphenated names separated by single spaces).
const (
	// formatDefault is the fixed default (version 2) format.
	formatDefault = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
	// formatV3 is the order of the AWS "TCP flag sequence" example: note
	// bytes before packets.
	formatV3 = "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status"
	// formatV5 is the order of the AWS "Service name, traffic path, and flow
	// direction" example.
	formatV5 = "version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status"
	// formatAllV5 lists every v2..v5 field in the documented table order;
	// used for the Parquet flow log.
	formatAllV5 = formatDefault + " vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path"
)

// parseFormat turns a header-form format into fields and the version value
// AWS writes for it (the highest version among the fields).
func parseFormat(s string) ([]field, int, error) {
	names := strings.Fields(s)
	out := make([]field, 0, len(names))
	ver := 2
	for _, n := range names {
		f := fVersion
		for ; f < numFields; f++ {
			if f.name() == n {
				break
			}
		}
		if f == numFields {
			return nil, 0, fmt.Errorf("synth: unknown field %q in format", n)
		}
		out = append(out, f)
		ver = max(ver, f.version())
	}
	return out, ver, nil
}

// action and status of a record.
type action uint8

const (
	actAccept action = iota
	actReject
)

type status uint8

const (
	stOK status = iota
	stNoData
	stSkipData
)

// AWS service labels for pkt-*-aws-service; svcNone prints "-".
type service uint8

const (
	svcNone service = iota
	svcS3
	svcDynamoDB
	svcAmazon
	svcEC2
)

func (s service) String() string {
	switch s {
	case svcS3:
		return "S3"
	case svcDynamoDB:
		return "DYNAMODB"
	case svcAmazon:
		return "AMAZON"
	case svcEC2:
		return "EC2"
	}
	return "-"
}

// rec is one flow-log record: one direction of one flow on one ENI during
// one aggregation interval.
type rec struct {
	eni            *eni
	src, dst       netip.Addr
	pktSrc, pktDst netip.Addr // zero: same as src/dst
	start, end     int64
	packets, bytes int64
	sport, dport   int32
	proto          int32
	flags          int32 // -1 prints "-"
	path           int8  // traffic-path; 0 prints "-"
	act            action
	st             status
	egress         bool
	srcSvc, dstSvc service
}

// packetless reports whether the packet-derived fields print "-".
func (r *rec) packetless() bool { return r.st != stOK }

func appendDash(b []byte) []byte { return append(b, '-') }

func appendAddr(b []byte, a netip.Addr) []byte { return a.AppendTo(b) }

// appendField appends the text value of f for r. version is the flow log's
// version value.
func appendField(b []byte, r *rec, f field, version int) []byte {
	e := r.eni
	if r.packetless() {
		switch f {
		case fSrcAddr, fDstAddr, fSrcPort, fDstPort, fProtocol, fPackets, fBytes,
			fAction, fTCPFlags, fType, fPktSrcAddr, fPktDstAddr,
			fPktSrcAWSService, fPktDstAWSService, fFlowDirection, fTrafficPath:
			return appendDash(b)
		}
	}
	switch f {
	case fVersion:
		return strconv.AppendInt(b, int64(version), 10)
	case fAccountID:
		return append(b, e.account...)
	case fInterfaceID:
		return append(b, e.id...)
	case fSrcAddr:
		return appendAddr(b, r.src)
	case fDstAddr:
		return appendAddr(b, r.dst)
	case fSrcPort:
		return strconv.AppendInt(b, int64(r.sport), 10)
	case fDstPort:
		return strconv.AppendInt(b, int64(r.dport), 10)
	case fProtocol:
		return strconv.AppendInt(b, int64(r.proto), 10)
	case fPackets:
		return strconv.AppendInt(b, r.packets, 10)
	case fBytes:
		return strconv.AppendInt(b, r.bytes, 10)
	case fStart:
		return strconv.AppendInt(b, r.start, 10)
	case fEnd:
		return strconv.AppendInt(b, r.end, 10)
	case fAction:
		if r.act == actReject {
			return append(b, "REJECT"...)
		}
		return append(b, "ACCEPT"...)
	case fLogStatus:
		switch r.st {
		case stNoData:
			return append(b, "NODATA"...)
		case stSkipData:
			return append(b, "SKIPDATA"...)
		}
		return append(b, "OK"...)
	case fVpcID:
		return append(b, e.vpc...)
	case fSubnetID:
		return append(b, e.subnet...)
	case fInstanceID:
		return append(b, e.instance...)
	case fTCPFlags:
		if r.flags < 0 {
			return appendDash(b)
		}
		return strconv.AppendInt(b, int64(r.flags), 10)
	case fType:
		if r.src.Is6() {
			return append(b, "IPv6"...)
		}
		return append(b, "IPv4"...)
	case fPktSrcAddr:
		if r.pktSrc.IsValid() {
			return appendAddr(b, r.pktSrc)
		}
		return appendAddr(b, r.src)
	case fPktDstAddr:
		if r.pktDst.IsValid() {
			return appendAddr(b, r.pktDst)
		}
		return appendAddr(b, r.dst)
	case fRegion:
		return append(b, e.region...)
	case fAzID:
		return append(b, e.az...)
	case fSublocationType, fSublocationID:
		return appendDash(b)
	case fPktSrcAWSService:
		return append(b, r.srcSvc.String()...)
	case fPktDstAWSService:
		return append(b, r.dstSvc.String()...)
	case fFlowDirection:
		if r.egress {
			return append(b, "egress"...)
		}
		return append(b, "ingress"...)
	case fTrafficPath:
		if r.path <= 0 {
			return appendDash(b)
		}
		return strconv.AppendInt(b, int64(r.path), 10)
	}
	return appendDash(b)
}

// appendRecord appends one text line (with its newline) for r.
func appendRecord(b []byte, r *rec, fields []field, version int) []byte {
	for i, f := range fields {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendField(b, r, f, version)
	}
	return append(b, '\n')
}
