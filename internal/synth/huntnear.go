package synth

import (
	"math/rand/v2"
	"net/netip"
)

// The near-misses: benign traffic shaped to come close to one detector's
// thresholds, or to look like an attack in a way the detector must see
// through. No detector may report any of them.

func nearMiss(fl *flowLog, name, desc, src, dst string, port int, near ...string) plantedSet {
	return plantedSet{fl: fl, truth: Scenario{Name: name, Description: desc, SrcAddr: src, DstAddr: dst, DstPort: port,
		NearMiss: true, Silent: []string{"*"}, NearMissFor: near}}
}

// scanNearMiss: an internet address probes 40 ports of one host in eight
// minutes (port-scan wants 50 within ten).
func scanNearMiss(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.1.16")
	p := nearMiss(fl, "scan-near-miss", "203.0.113.150 probes 40 ports of 10.0.1.16 in 8 minutes, all rejected",
		"203.0.113.150", host.ip4.String(), 0, DetPortScan)
	t0, sport := s.at(1, 12, 30, 0), ephemeral(rng)
	seen := map[int32]bool{}
	for len(seen) < 40 {
		port := 1 + rng.Int32N(10000)
		if seen[port] {
			continue
		}
		seen[port] = true
		p.add(conn{e: host, start: t0 + int64(len(seen))*12, dur: 0,
			req:   rec{src: addr("203.0.113.150"), dst: host.ip4, sport: sport, dport: port, proto: 6, act: actReject},
			outPk: 1, outBy: 44})
	}
	return p
}

// repliesNearMiss: a connection-hungry app opens 3,000 short connections to
// PostgreSQL in ten minutes; the database's replies reach 3,000 ephemeral
// ports of the app host, on both ENIs.
func repliesNearMiss(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	app, db := fl.vpc.host("10.0.2.11"), fl.vpc.host("10.0.3.10")
	p := nearMiss(fl, "ephemeral-replies-near-miss", "10.0.2.11 opens 3,000 short connections to 10.0.3.10:5432 in 10 minutes; the replies touch 3,000 ephemeral ports",
		app.ip4.String(), db.ip4.String(), 5432, DetPortScan, DetPortSweep, DetDoSVolume)
	t0 := s.at(1, 13, 0, 0)
	for i := range int64(3000) {
		c := conn{e: app, egress: true, start: t0 + i/5, dur: rng.Int64N(2), tcp: true,
			req:   rec{src: app.ip4, dst: db.ip4, sport: ephemeral(rng), dport: 5432, proto: 6},
			outPk: between(rng, 4, 10), outBy: between(rng, 400, 1000), inPk: between(rng, 3, 8), inBy: between(rng, 1800, 4800)}
		p.add(c)
		c.e, c.egress = db, false
		p.add(c)
	}
	return p
}

// sweepNearMiss: the monitoring host checks SSH on 90 hosts in ten minutes
// and a metrics port on 200 hosts within the hour (port-sweep wants 100 and
// 250).
func sweepNearMiss(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	mon := fl.vpc.host("10.0.4.10")
	p := nearMiss(fl, "sweep-near-miss", "10.0.4.10 checks TCP 22 on 90 hosts in 10 minutes and TCP 9100 on 200 hosts within the hour",
		mon.ip4.String(), "", 22, DetPortSweep)
	t0 := s.at(1, 8, 0, 0)
	for i := range 90 {
		dst := netip.AddrFrom4([4]byte{10, 0, 200, byte(1 + i)})
		p.add(conn{e: mon, egress: true, start: t0 + int64(i)*6, dur: 1,
			req: rec{src: mon.ip4, dst: dst, sport: ephemeral(rng), dport: 22, proto: 6}, outPk: 3, outBy: 180})
	}
	for i := range 200 {
		dst := netip.AddrFrom4([4]byte{10, 0, byte(201 + i/100), byte(1 + i%100)})
		p.add(conn{e: mon, egress: true, start: t0 + 1800 + int64(i)*17, dur: 1,
			req: rec{src: mon.ip4, dst: dst, sport: ephemeral(rng), dport: 9100, proto: 6}, outPk: 3, outBy: 180})
	}
	return p
}

// bruteNearMiss: nine short failed SSH logins an hour against a bastion, for
// three hours (brute-force wants ten an hour).
func bruteNearMiss(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.1.15")
	p := nearMiss(fl, "brute-force-near-miss", "203.0.113.120 makes 9 short SSH connections an hour to 10.0.1.15 for 3 hours",
		"203.0.113.120", host.ip4.String(), 22, DetBruteForce)
	t0 := s.at(1, 3, 0, 0)
	for h := range int64(3) {
		for i := range int64(9) {
			pk := between(rng, 12, 18)
			p.add(conn{e: host, start: t0 + h*3600 + i*390 + rng.Int64N(60), dur: between(rng, 1, 3), tcp: true,
				req:   rec{src: addr("203.0.113.120"), dst: host.ip4, sport: ephemeral(rng), dport: 22, proto: 6},
				outPk: pk, outBy: pk * 150, inPk: pk - 2, inBy: (pk - 2) * 200})
		}
	}
	return p
}

// exfilNearMiss: a log shipper holds one connection to an external
// collector for the whole dataset and sends 3.5 MB every 15 minutes
// (exfil-volume's NAT-alarm tier is 5 MB).
func exfilNearMiss(_ *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.33.65")
	p := nearMiss(fl, "exfil-near-miss", "10.0.33.65 ships 3.5 MB of logs every 15 minutes to 198.51.100.150:443 over one long-lived connection",
		host.ip4.String(), "198.51.100.150", 443, DetExfilVolume, DetLargeFlow, DetBeaconing)
	start := s.at(0, 0, 5, 0)
	dur := (s.end - 700 - start) / 60 * 60
	p.add(conn{e: host, egress: true, start: start, dur: dur - 1,
		req:   rec{src: host.ip4, dst: addr("198.51.100.150"), sport: 41004, dport: 443, proto: 6},
		outPk: dur / 60 * 170, outBy: dur / 60 * 233_000, inPk: dur / 60 * 85, inBy: dur / 60 * 85 * 52})
	return p
}

// largeFlowNearMiss: 2 GB of database replication between two private hosts
// in 20 minutes: large, but not leaving the VPC.
func largeFlowNearMiss(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	a, b := fl.vpc.host("10.0.3.11"), fl.vpc.host("10.0.3.12")
	p := nearMiss(fl, "large-flow-near-miss", "2 GB of replication from 10.0.3.11 to 10.0.3.12:5432 in 20 minutes (east-west)",
		a.ip4.String(), b.ip4.String(), 5432, DetLargeFlow, DetExfilVolume, DetDoSVolume)
	c := conn{e: a, egress: true, start: s.at(1, 4, 0, 0), dur: 20*60 - 1, tcp: true,
		req:   rec{src: a.ip4, dst: b.ip4, sport: ephemeral(rng), dport: 5432, proto: 6},
		outPk: 2_000_000_000 / 1448, outBy: 2_000_000_000, inPk: 700_000, inBy: 700_000 * 52}
	p.add(c)
	c.e, c.egress = b, false
	p.add(c)
	return p
}

// beaconNearMiss: a poller calls an API every 5 minutes with ±2 minutes of
// jitter for the whole dataset: periodic, but not regular enough.
func beaconNearMiss(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.2.35")
	dst := addr("198.51.100.140")
	p := nearMiss(fl, "beacon-near-miss", "10.0.2.35 polls 198.51.100.140:443 every 300 s ± 120 s",
		host.ip4.String(), dst.String(), 443, DetBeaconing)
	for t := s.at(0, 0, 2, 0); t < s.end-900; t += 300 {
		// Each call lands anywhere in a 240-second slot: periods of 60 to 540 s.
		p.add(conn{e: host, egress: true, start: t + rng.Int64N(241), dur: between(rng, 0, 2), tcp: true,
			req:   rec{src: host.ip4, dst: dst, sport: ephemeral(rng), dport: 443, proto: 6},
			outPk: between(rng, 6, 20), outBy: between(rng, 800, 3000), inPk: between(rng, 6, 20), inBy: between(rng, 2000, 9000)})
	}
	return p
}

// protocolNearMiss: GRE inside the VPC, and GRE from the internet that the
// security group rejects.
func protocolNearMiss(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	a, b, c := fl.vpc.host("10.0.2.24"), fl.vpc.host("10.0.2.25"), fl.vpc.host("10.0.2.26")
	p := nearMiss(fl, "unusual-protocol-near-miss", "GRE between 10.0.2.24 and 10.0.2.25 (inside the VPC), and GRE from 203.0.113.91 to 10.0.2.26, rejected",
		a.ip4.String(), b.ip4.String(), 0, DetUnusualProtocol)
	p.add(conn{e: a, egress: true, start: s.at(1, 15, 0, 0), dur: 30*60 - 1,
		req:   rec{src: a.ip4, dst: b.ip4, proto: 47},
		outPk: between(rng, 20_000, 30_000), outBy: 9_000_000, inPk: between(rng, 20_000, 30_000), inBy: 7_000_000})
	for i := range int64(10) {
		p.add(conn{e: c, start: s.at(1, 15, 40, 0) + i*30, req: rec{src: addr("203.0.113.91"), dst: c.ip4, proto: 47, act: actReject},
			outPk: 2, outBy: 180})
	}
	return p
}

// portNearMiss: five attempts to an unusual port that the egress rules deny.
func portNearMiss(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.2.26")
	p := nearMiss(fl, "unusual-port-near-miss", "10.0.2.26 tries 203.0.113.78:4444 five times; egress is denied",
		host.ip4.String(), "203.0.113.78", 4444, DetUnusualPort)
	for i := range int64(5) {
		p.add(conn{e: host, egress: true, start: s.at(1, 17, 0, 0) + i*40, dur: 1,
			req:   rec{src: host.ip4, dst: addr("203.0.113.78"), sport: ephemeral(rng), dport: 4444, proto: 6, act: actReject},
			outPk: 2, outBy: 120})
	}
	return p
}

// adminNearMiss: internet addresses probe MySQL on an app host; the security
// group rejects every probe, so nothing was exposed.
func adminNearMiss(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.2.20")
	p := nearMiss(fl, "admin-port-near-miss", "six internet addresses probe 10.0.2.20:3306 twenty times; all rejected",
		"203.0.113.140", host.ip4.String(), 3306, DetExposedAdmin)
	for i := range int64(20) {
		src := netip.AddrFrom4([4]byte{203, 0, 113, byte(140 + i%6)})
		p.add(conn{e: host, start: s.at(1, 18, 0, 0) + i*45, dur: 1,
			req:   rec{src: src, dst: host.ip4, sport: ephemeral(rng), dport: 3306, proto: 6, act: actReject},
			outPk: 2, outBy: 88})
	}
	return p
}

// rejectNearMiss: a stateless network ACL drops the replies of one web
// host to internet clients, about 300 an hour, steadily for the whole
// dataset: many rejects, but no spike.
func rejectNearMiss(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.2.38")
	p := nearMiss(fl, "reject-spike-near-miss", "about 300 replies an hour from 10.0.2.38:443 to internet clients are rejected by a network ACL, steadily",
		host.ip4.String(), "", 443, DetRejectSpike)
	for h := s.start; h+3600 < s.end-600; h += 3600 {
		n := between(rng, 250, 350)
		for i := range n {
			client := netip.AddrFrom4([4]byte{198, 51, 100, byte(1 + rng.IntN(100))})
			pk := between(rng, 5, 20)
			p.add(conn{e: host, start: h + i*3600/n, dur: between(rng, 0, 3),
				req:   rec{src: client, dst: host.ip4, sport: ephemeral(rng), dport: 443, proto: 6},
				outPk: pk, outBy: pk * 120, inPk: pk, inBy: pk * 900, replyAct: actReject})
		}
	}
	return p
}

// newTalkerNearMiss: on the last day an app host calls an address it never
// used, in a network the VPC talked to during the first day (the same host
// used HTTPS that day too).
func newTalkerNearMiss(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.2.17")
	p := nearMiss(fl, "new-talker-near-miss", "10.0.2.17 calls 198.51.100.141:443 on the last day; 198.51.100.0/24 was contacted on the first",
		host.ip4.String(), "198.51.100.141", 443, DetNewTalker)
	https := func(t int64, dst string) conn {
		return conn{e: host, egress: true, start: t, dur: between(rng, 2, 20), tcp: true,
			req:   rec{src: host.ip4, dst: addr(dst), sport: ephemeral(rng), dport: 443, proto: 6},
			outPk: between(rng, 8, 30), outBy: between(rng, 1500, 9000), inPk: between(rng, 8, 40), inBy: between(rng, 4000, 40000)}
	}
	p.add(https(s.at(0, 6, 0, 0), "198.51.100.142"))
	for range 20 {
		p.add(https(s.at(2, 8, 0, 0)+rng.Int64N(6*3600), "198.51.100.141"))
	}
	return p
}

// dosNearMiss: a partner uploads 420 MB to a web host in ten minutes (many
// packets, but full-size ones), and a burst of 60,000 small packets to
// another (below 100,000).
func dosNearMiss(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	a, b := fl.vpc.host("10.0.1.13"), fl.vpc.host("10.0.1.14")
	p := nearMiss(fl, "dos-near-miss", "203.0.113.60 uploads 420 MB to 10.0.1.13:443 in 10 minutes (300,000 full-size packets); 203.0.113.61 sends 60,000 small packets to 10.0.1.14:443",
		"203.0.113.60", a.ip4.String(), 443, DetDoSVolume, DetExfilVolume)
	t0 := s.at(1, 19, 0, 1)
	p.add(conn{e: a, start: t0, dur: 9*60 + 50, tcp: true,
		req:   rec{src: addr("203.0.113.60"), dst: a.ip4, sport: ephemeral(rng), dport: 443, proto: 6},
		outPk: 300_000, outBy: 300_000 * 1400, inPk: 150_000, inBy: 150_000 * 52})
	for i := range int64(20) {
		p.add(conn{e: b, start: t0 + i*29, dur: 20,
			req:   rec{src: addr("203.0.113.61"), dst: b.ip4, sport: ephemeral(rng), dport: 443, proto: 6},
			outPk: 3000, outBy: 3000 * 60, inPk: 1, inBy: 40})
	}
	return p
}
