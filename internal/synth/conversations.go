package synth

import (
	"math/rand/v2"
	"net/netip"
)

// The benign conversation types. Each emits the records one connection
// leaves in one aggregation interval on every ENI of the VPC it crosses.

func (g *gen) inboundWeb(v6 bool) {
	host := g.v.pick(g.rng, roleWeb)
	if host == nil || (v6 && !host.ip6.IsValid()) {
		return
	}
	var client, dst netip.Addr
	switch {
	case v6:
		client, dst = g.w.clients6[g.rng.IntN(len(g.w.clients6))], host.ip6
	case g.rng.IntN(100) < 85:
		client, dst = skewed(g.rng, g.w.clients), host.ip4
	default:
		client, dst = g.w.publicAddr(g.rng), host.ip4
	}
	port := int32(443)
	if g.rng.IntN(10) == 0 {
		port = 80
	}
	p := g.phase(0.6, 0.15, 0.15)
	cf, sf := p.flags()
	start, end := g.times(g.duration(p))
	qpk, qb := g.tcpCounts(p, 4, 300, 60, 420)
	rpk, rb := g.tcpCounts(p, qpk, qpk*2, 400, 1400)
	g.pair(host,
		rec{src: client, dst: dst, sport: ephemeral(g.rng), dport: port, proto: 6, packets: qpk, bytes: qb,
			start: start, end: end, flags: cf},
		rec{packets: rpk, bytes: rb, flags: sf, path: 8})
}

// eastWest is one connection inside the VPC: it is seen on both ENIs, in
// both directions, so it yields four records.
func (g *gen) eastWest(src, dst *eni, port int32) {
	if src == nil || dst == nil {
		return
	}
	p := g.phase(0.2, 0.05, 0.7)
	cf, sf := p.flags()
	start, end := g.times(g.duration(p))
	qpk, qb := g.tcpCounts(p, 2, 900, 80, 700)
	rpk, rb := g.tcpCounts(p, qpk/2+1, qpk*3, 200, 8000)
	if g.rng.IntN(50) == 0 { // no listener: the server answers with RST
		cf, sf, qpk, qb, rpk, rb = flagSYN, flagRST, 1, 60, 1, 40
	}
	req := rec{src: src.ip4, dst: dst.ip4, sport: ephemeral(g.rng), dport: port, proto: 6,
		packets: qpk, bytes: qb, start: start, end: end, flags: cf, egress: true, path: 1}
	resp := rec{packets: rpk, bytes: rb, flags: sf}
	g.pair(src, req, resp)
	req.egress, req.path = false, 0
	req.start, req.end = g.reply(start, end)
	resp.path = 1
	g.pair(dst, req, resp)
}

func (g *gen) aws() {
	v := g.v
	host := v.pick(g.rng, roleApp, roleBatch, roleDB, roleDev, roleCollector)
	if host == nil {
		return
	}
	svc, ranges := svcS3, v.aws.s3
	switch u := g.rng.IntN(100); {
	case u >= 85:
		svc, ranges = svcAmazon, v.aws.amazon
	case u >= 60:
		svc, ranges = svcDynamoDB, v.aws.dynamodb
	}
	var path int8
	switch {
	case v.gatewayEndpoint && svc != svcAmazon:
		path = 7
	case host.public:
		path = 8
	case v.nat != nil:
		g.natOut(host, inPrefix(g.rng, ranges), 443, svc)
		return
	default:
		path = 1 // interface endpoint ENI in the VPC
	}
	p := g.phase(0.5, 0.1, 0.3)
	cf, sf := p.flags()
	start, end := g.times(g.duration(p))
	qpk, qb := g.tcpCounts(p, 3, 2000, 60, 1400)
	rpk, rb := g.tcpCounts(p, 3, 2000, 60, 1400)
	g.pair(host,
		rec{src: host.ip4, dst: inPrefix(g.rng, ranges), sport: ephemeral(g.rng), dport: 443, proto: 6,
			packets: qpk, bytes: qb, start: start, end: end, flags: cf, egress: true, path: path, dstSvc: svc},
		rec{packets: rpk, bytes: rb, flags: sf, srcSvc: svc})
}

func (g *gen) outbound() {
	host := g.v.pick(g.rng, roleApp, roleDev, roleBatch, roleCollector)
	if host == nil {
		return
	}
	port := int32(443)
	if host.role == roleDev && g.rng.IntN(8) == 0 {
		port = 22 // git over SSH
	}
	dst := skewed(g.rng, g.w.saas)
	switch {
	case !host.public && g.v.nat != nil:
		g.natOut(host, dst, port, svcNone)
		return
	case !host.public:
		return // no route to the internet
	}
	p := g.phase(0.55, 0.15, 0.2)
	cf, sf := p.flags()
	start, end := g.times(g.duration(p))
	qpk, qb := g.tcpCounts(p, 4, 200, 60, 900)
	rpk, rb := g.tcpCounts(p, 4, 400, 200, 1400)
	g.pair(host,
		rec{src: host.ip4, dst: dst, sport: ephemeral(g.rng), dport: port, proto: 6,
			packets: qpk, bytes: qb, start: start, end: end, flags: cf, egress: true, path: 8},
		rec{packets: rpk, bytes: rb, flags: sf})
}

// natOut is a connection from a private host through the NAT gateway: two
// records on the host's ENI and four on the NAT gateway's ENI, where srcaddr
// and dstaddr show the NAT's private address and pkt-* the real endpoints.
func (g *gen) natOut(host *eni, dst netip.Addr, port int32, svc service) {
	nat := g.v.nat
	p := g.phase(0.55, 0.15, 0.2)
	cf, sf := p.flags()
	start, end := g.times(g.duration(p))
	qpk, qb := g.tcpCounts(p, 4, 200, 60, 900)
	rpk, rb := g.tcpCounts(p, 4, 400, 200, 1400)
	sport, natPort := ephemeral(g.rng), 1024+g.rng.Int32N(64511)
	// On the instance: it believes it talks to dst directly.
	g.pair(host,
		rec{src: host.ip4, dst: dst, sport: sport, dport: port, proto: 6, packets: qpk, bytes: qb,
			start: start, end: end, flags: cf, egress: true, path: 1, dstSvc: svc},
		rec{packets: rpk, bytes: rb, flags: sf, srcSvc: svc})
	s2, e2 := g.reply(start, end)
	// On the NAT gateway: instance side ...
	g.add(rec{eni: nat, src: host.ip4, dst: nat.ip4, pktSrc: host.ip4, pktDst: dst, sport: sport, dport: port,
		proto: 6, packets: qpk, bytes: qb, start: s2, end: e2, flags: cf, dstSvc: svc})
	g.add(rec{eni: nat, src: nat.ip4, dst: host.ip4, pktSrc: dst, pktDst: host.ip4, sport: port, dport: sport,
		proto: 6, packets: rpk, bytes: rb, start: s2, end: e2, flags: sf, egress: true, path: 1, srcSvc: svc})
	// ... and internet side, translated.
	g.add(rec{eni: nat, src: nat.ip4, dst: dst, sport: natPort, dport: port, proto: 6, packets: qpk, bytes: qb,
		start: s2, end: e2, flags: cf, egress: true, path: 8, dstSvc: svc})
	g.add(rec{eni: nat, src: dst, dst: nat.ip4, sport: port, dport: natPort, proto: 6, packets: rpk, bytes: rb,
		start: s2, end: e2, flags: sf, srcSvc: svc})
}

// udpOut is a small UDP exchange with a public server. Hosts without a
// public address and without a NAT gateway are skipped: they use the Amazon
// DNS and Time Sync services, which flow logs do not record.
func (g *gen) udpOut(server netip.Addr, port int32) {
	host := g.v.pick(g.rng, roleWeb, roleApp, roleDev, roleBatch, roleMon, roleCollector)
	if host == nil || !host.public {
		return
	}
	sport := ephemeral(g.rng)
	if port == 123 && g.rng.IntN(2) == 0 {
		sport = 123 // ntpd binds the NTP port; chrony uses an ephemeral one
	}
	pk := between(g.rng, 1, 2)
	qsz, rsz := int64(76), int64(76)
	if port == 53 {
		qsz, rsz = between(g.rng, 58, 90), between(g.rng, 90, 320)
	}
	start, end := g.times(g.rng.Int64N(3))
	g.pair(host,
		rec{src: host.ip4, dst: server, sport: sport, dport: port, proto: 17, packets: pk, bytes: pk * qsz,
			start: start, end: end, egress: true, path: 8},
		rec{packets: pk, bytes: pk * rsz})
}

func (g *gen) icmp() {
	mon := g.v.pick(g.rng, roleMon)
	dst := g.v.pick(g.rng, roleWeb, roleApp, roleDB, roleBatch, roleCollector, roleDev)
	if dst == nil {
		return
	}
	pk := between(g.rng, 1, 5)
	start, end := g.times(between(g.rng, pk-1, 59))
	if mon == nil || (dst.public && g.rng.IntN(8) == 0) {
		// An internet ping allowed in, and the reply denied by a stateless
		// network ACL: ACCEPT then REJECT, as in the AWS examples.
		if !dst.public {
			return
		}
		g.pair(dst,
			rec{src: g.w.publicAddr(g.rng), dst: dst.ip4, proto: 1, packets: pk, bytes: pk * 84,
				start: start, end: end, flags: 0},
			rec{packets: pk, bytes: pk * 84, act: actReject, path: 8})
		return
	}
	req := rec{src: mon.ip4, dst: dst.ip4, proto: 1, packets: pk, bytes: pk * 84, start: start, end: end,
		egress: true, path: 1}
	resp := rec{packets: pk, bytes: pk * 84}
	g.pair(mon, req, resp)
	req.egress, req.path = false, 0
	resp.path = 1
	g.pair(dst, req, resp)
}

// scanPorts are the ports internet scanners probe most.
func scanPort(rng *rand.Rand) (int32, int32) {
	if rng.IntN(100) < 15 {
		udp := [...]int32{53, 123, 161, 1900, 5060, 11211, 137, 500}
		return udp[rng.IntN(len(udp))], 17
	}
	if rng.IntN(100) < 70 {
		tcp := [...]int32{22, 23, 445, 3389, 8080, 21, 25, 1433, 3306, 5432, 6379, 5900, 8443, 9200, 2375, 27017, 8888, 81, 7547, 135}
		return tcp[rng.IntN(len(tcp))], 6
	}
	return 1 + rng.Int32N(65535), 6
}

func (g *gen) scan() {
	host := g.v.pick(g.rng, roleWeb, roleApp, roleDev, roleBatch, roleBastion)
	if host == nil || !host.public {
		return
	}
	src := g.w.publicAddr(g.rng)
	if g.rng.IntN(10) < 3 {
		src = skewed(g.rng, g.w.scanners)
	}
	port, proto := scanPort(g.rng)
	if (host.role == roleWeb && (port == 443 || port == 80)) || (host.role == roleBastion && port == 22) {
		port = 8081 // open ports would be accepted; keep the noise rejected
	}
	pk := int64(1)
	if g.rng.IntN(5) == 0 {
		pk = 2 // retransmitted probe
	}
	size := [...]int64{40, 44, 60}[g.rng.IntN(3)]
	var flags int32
	if proto == 6 {
		flags = flagSYN
	} else {
		size = between(g.rng, 40, 120)
	}
	start, end := g.times(g.rng.Int64N(pk * 3))
	g.add(rec{eni: host, src: src, dst: host.ip4, sport: 1024 + g.rng.Int32N(64511), dport: port, proto: proto,
		packets: pk, bytes: pk * size, start: start, end: end, flags: flags, act: actReject})
}

func (g *gen) tgwIn() {
	host := g.v.pick(g.rng, roleCollector)
	if host == nil || len(g.v.peers) == 0 {
		return
	}
	peer := g.v.peers[g.rng.IntN(len(g.v.peers))]
	p := g.phase(0.05, 0.05, 0.85)
	cf, sf := p.flags()
	start, end := g.times(g.duration(p))
	qpk, qb := g.tcpCounts(p, 2, 600, 200, 1400)
	rpk := qpk/2 + 1
	g.pair(host,
		rec{src: peer, dst: host.ip4, sport: ephemeral(g.rng), dport: g.v.appPort, proto: 6,
			packets: qpk, bytes: qb, start: start, end: end, flags: cf},
		rec{packets: rpk, bytes: rpk * 52, flags: sf, path: 1})
}

// tgwOut is the sending side of tgwIn, as the source VPC's flow log sees it.
func (g *gen) tgwOut() {
	host := g.v.pick(g.rng, roleApp, roleWeb)
	if host == nil || len(g.v.remotes) == 0 {
		return
	}
	p := g.phase(0.05, 0.05, 0.85)
	cf, sf := p.flags()
	start, end := g.times(g.duration(p))
	qpk, qb := g.tcpCounts(p, 2, 600, 200, 1400)
	rpk := qpk/2 + 1
	g.pair(host,
		rec{src: host.ip4, dst: g.v.remotes[g.rng.IntN(len(g.v.remotes))], sport: ephemeral(g.rng), dport: 6514, proto: 6,
			packets: qpk, bytes: qb, start: start, end: end, flags: cf, egress: true, path: 1},
		rec{packets: rpk, bytes: rpk * 52, flags: sf})
}

// status emits a NODATA or SKIPDATA record; idle ENIs get most NODATA.
func (g *gen) status(st status) {
	var e *eni
	if st == stNoData && g.rng.IntN(10) < 7 {
		e = g.v.pick(g.rng, roleIdle)
	}
	if e == nil {
		e = g.v.enis[g.rng.IntN(len(g.v.enis))]
	}
	start, end := g.times(between(g.rng, 45, 60))
	g.add(rec{eni: e, start: start, end: end, st: st, flags: -1})
}

// scheduled emits the nightly backup: one connection to S3 for the first
// half hour after the job's hour, with more than 2^31 bytes per interval.
func (g *gen) scheduled() {
	b := g.v.backup
	if b == nil {
		return
	}
	sec := g.w0 % 86400
	if sec/3600 != int64(b.hour) || sec%3600 >= 1800 {
		return
	}
	first, last := sec%3600 == 0, sec%3600 == 1800-window
	// One connection per night: the same endpoint in every window of the run.
	night := rand.New(rand.NewPCG(uint64(g.w0/86400), uint64(b.host.ip4.As4()[3])))
	dst := inPrefix(night, g.v.aws.s3)
	sport := ephemeral(night)
	for i := range int64(5) {
		start := g.w0 + i*60 + 1
		end := start + 58
		by := between(g.rng, 2_200_000_000, 3_800_000_000)
		pk := by/1448 + g.rng.Int64N(500)
		var cf, sf int32
		switch {
		case first && i == 0:
			cf, sf = flagSYN, flagSYNACK
		case last && i == 4:
			cf, sf = flagFIN, flagFIN
		}
		g.pair(b.host,
			rec{src: b.host.ip4, dst: dst, sport: sport, dport: 443, proto: 6, packets: pk, bytes: by,
				start: start, end: end, flags: cf, egress: true, path: 7, dstSvc: svcS3},
			rec{packets: pk / 2, bytes: pk / 2 * 52, flags: sf, srcSvc: svcS3})
	}
}

// adminSSH is an administrator's interactive session on a bastion, or a hop
// from a bastion to an app host.
func (g *gen) adminSSH() {
	bastion := g.v.pick(g.rng, roleBastion)
	if bastion == nil {
		return
	}
	p := g.phase(0.1, 0.1, 0.7)
	cf, sf := p.flags()
	start, end := g.times(g.duration(p))
	qpk, qb := g.tcpCounts(p, 10, 300, 60, 140)
	rpk, rb := g.tcpCounts(p, 10, 400, 80, 900)
	if g.rng.IntN(3) == 0 {
		g.eastWest(bastion, g.v.pick(g.rng, roleApp), 22)
		return
	}
	g.pair(bastion,
		rec{src: g.w.office[g.rng.IntN(len(g.w.office))], dst: bastion.ip4, sport: ephemeral(g.rng), dport: 22, proto: 6,
			packets: qpk, bytes: qb, start: start, end: end, flags: cf},
		rec{packets: rpk, bytes: rb, flags: sf, path: 8})
}
