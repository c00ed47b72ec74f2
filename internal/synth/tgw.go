package synth

import (
	"math/rand/v2"
	"net/netip"
	"strconv"
)

// formatTGW is the default Transit Gateway flow-log format (all version 2
// to 6 fields, in the documented table order).
const formatTGW = "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags region flow-direction pkt-src-aws-service pkt-dst-aws-service"

// tgwConns is the number of connections in the one TGW file; each gives
// four records, plus one record for a packet dropped for lack of a route.
const (
	tgwConns   = 11
	tgwRecords = tgwConns*4 + 1
)

// tgwSide is one VPC attachment of the transit gateway.
type tgwSide struct {
	vpc                    *vpc
	attachment, subnet, id string // id: the attachment's ENI in the VPC
	az                     string
}

// tgwTopology is the prod transit gateway between the prod us-east-1 VPC
// and the shared-services VPC; its flow log belongs to the prod account.
type tgwTopology struct {
	flowLogID string
	tgwID     string
	prod      tgwSide
	shared    tgwSide
}

func newTGWTopology(g idgen, prod, shared *vpc) *tgwTopology {
	side := func(v *vpc, az string) tgwSide {
		return tgwSide{vpc: v, attachment: g.id("tgw-attach"), subnet: g.id("subnet"), id: g.id("eni"), az: az}
	}
	return &tgwTopology{
		flowLogID: g.id("fl"),
		tgwID:     g.id("tgw"),
		prod:      side(prod, "use1-az1"),
		shared:    side(shared, "use1-az2"),
	}
}

// tgwRec is one TGW record; capture is the attachment that observed it.
type tgwRec struct {
	capture, pair *tgwSide
	from, to      *tgwSide // nil "to": no route
	src, dst      netip.Addr
	sport, dport  int32
	packets       int64
	bytes         int64
	start, end    int64
	flags         int32
	lostNoRoute   int64
	egress        bool
}

// tgwBody generates the records of the TGW file for the window at w0 and
// appends their text lines to b.
func tgwBody(b []byte, rng *rand.Rand, t *tgwTopology, w0 int64) []byte {
	var recs []tgwRec
	for range tgwConns {
		app := t.prod.vpc.pick(rng, roleApp, roleWeb)
		coll := t.shared.vpc.pick(rng, roleCollector, roleDB)
		port := t.shared.vpc.appPort
		if coll.role == roleDB {
			port = t.shared.vpc.dbPort
		}
		end := w0 + rng.Int64N(window)
		start := end - 50 - rng.Int64N(10)
		pk := between(rng, 20, 900)
		by := pk * between(rng, 300, 1400)
		rpk := pk/2 + 1
		sport := ephemeral(rng)
		req := tgwRec{from: &t.prod, to: &t.shared, src: app.ip4, dst: coll.ip4, sport: sport, dport: port,
			packets: pk, bytes: by, start: start, end: end}
		resp := tgwRec{from: &t.shared, to: &t.prod, src: coll.ip4, dst: app.ip4, sport: port, dport: sport,
			packets: rpk, bytes: rpk * 52, start: start, end: end}
		// Each direction is seen entering the TGW on one attachment and
		// leaving it on the other.
		for _, r := range []tgwRec{req, resp} {
			in, out := r, r
			in.capture, in.pair = r.from, r.to
			out.capture, out.pair, out.egress = r.to, r.from, true
			recs = append(recs, in, out)
		}
	}
	app := t.prod.vpc.pick(rng, roleApp)
	end := w0 + rng.Int64N(window)
	recs = append(recs, tgwRec{capture: &t.prod, from: &t.prod, src: app.ip4,
		dst: netip.MustParseAddr("10.90.4.17"), sport: ephemeral(rng), dport: 443, packets: 3, bytes: 180,
		start: end - 3, end: end, flags: flagSYN, lostNoRoute: 3})
	rng.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
	for i := range recs {
		b = appendTGW(b, t, &recs[i])
	}
	return b
}

func appendTGW(b []byte, t *tgwTopology, r *tgwRec) []byte {
	str := func(s string) { b = append(b, s...); b = append(b, ' ') }
	num := func(v int64) { b = strconv.AppendInt(b, v, 10); b = append(b, ' ') }
	addr := func(a netip.Addr) { b = a.AppendTo(b); b = append(b, ' ') }
	side := func(s *tgwSide, f func(*tgwSide) string) {
		if s == nil {
			str("-")
			return
		}
		str(f(s))
	}
	num(6)
	str("TransitGatewayAttachment")
	str(AccountProd)
	str(t.tgwID)
	str(r.capture.attachment)
	side(r.from, func(s *tgwSide) string { return s.vpc.account })
	side(r.to, func(s *tgwSide) string { return s.vpc.account })
	side(r.from, func(s *tgwSide) string { return s.vpc.id })
	side(r.to, func(s *tgwSide) string { return s.vpc.id })
	side(r.from, func(s *tgwSide) string { return s.subnet })
	side(r.to, func(s *tgwSide) string { return s.subnet })
	side(r.from, func(s *tgwSide) string { return s.id })
	side(r.to, func(s *tgwSide) string { return s.id })
	side(r.from, func(s *tgwSide) string { return s.az })
	side(r.to, func(s *tgwSide) string { return s.az })
	side(r.pair, func(s *tgwSide) string { return s.attachment })
	addr(r.src)
	addr(r.dst)
	num(int64(r.sport))
	num(int64(r.dport))
	num(6)
	num(r.packets)
	num(r.bytes)
	num(r.start)
	num(r.end)
	str("OK")
	str("IPv4")
	num(r.lostNoRoute)
	num(0)
	num(0)
	num(0)
	num(int64(r.flags))
	str("us-east-1")
	if r.egress {
		str("egress")
	} else {
		str("ingress")
	}
	str("-")
	b = append(b, "-\n"...)
	return b
}
