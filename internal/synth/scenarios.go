package synth

import (
	"bytes"
	"encoding/csv"
	"math/rand/v2"
	"net/netip"
	"slices"
	"time"
)

// plantedSet is one scenario's records and the flow log that carries them.
type plantedSet struct {
	fl    *flowLog
	recs  []rec
	truth Scenario
}

// story places the incident on the dataset's days: reconnaissance, brute
// force and exfiltration on day 2, the beacon from the afternoon of day 1,
// the mining-pool contact on day 3 (earlier days when the dataset is shorter).
type story struct {
	start, end int64 // dataset bounds, Unix seconds
	days       int
}

func (s story) at(day int, hh, mm, ss int) int64 {
	day = min(day, s.days-1)
	return s.start + int64(day)*86400 + int64(hh*3600+mm*60+ss)
}

// plantScenarios builds every planted incident. Each scenario has its own RNG
// stream so that adding one never changes the others.
func plantScenarios(seed int64, w *world, s story) []plantedSet {
	prod, dev := w.flowLogs[0], w.flowLogs[2]
	rngFor := func(tag uint64) *rand.Rand { return rand.New(rand.NewPCG(mix64(uint64(seed), tag), tag)) }
	sets := []plantedSet{
		portScan(rngFor(1), prod, s),
		bruteForce(rngFor(2), prod, s),
		exfiltration(rngFor(3), prod, s),
		beaconing(rngFor(4), prod, s),
		miningPool(rngFor(5), dev, s),
	}
	for i := range sets {
		p := &sets[i]
		// Keep only what fits in the dataset (a short dataset cuts the beacon).
		p.recs = slices.DeleteFunc(p.recs, func(r rec) bool { return r.end >= s.end || r.start < s.start })
		summarize(p)
	}
	return sets
}

func summarize(p *plantedSet) {
	t := &p.truth
	t.FlowLogID, t.Account, t.Region = p.fl.id, p.fl.vpc.account, p.fl.vpc.region
	src := netip.MustParseAddr(t.SrcAddr)
	var first, last int64
	for i, r := range p.recs {
		if i == 0 || r.start < first {
			first = r.start
		}
		last = max(last, r.end)
		t.Records++
		t.Packets += r.packets
		if r.src == src {
			t.SrcToDstBytes += r.bytes
		} else {
			t.DstToSrcBytes += r.bytes
		}
	}
	t.Start, t.End = time.Unix(first, 0).UTC(), time.Unix(last, 0).UTC()
}

// portScan: ~1,000 distinct ports of 10.0.1.15 in about three minutes, all
// rejected by the security group except SSH.
func portScan(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.1.15")
	scanner := netip.MustParseAddr("198.51.100.23")
	ports := []int32{21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 443, 445, 993, 995, 1433, 1521, 1723,
		2049, 3306, 3389, 5432, 5900, 6379, 8080, 8443, 9200, 11211, 27017}
	seen := map[int32]bool{}
	for _, p := range ports {
		seen[p] = true
	}
	for len(ports) < 1000 {
		p := 1 + rng.Int32N(65535)
		if rng.IntN(3) > 0 {
			p = 1 + rng.Int32N(10000) // scanners favour low ports
		}
		if !seen[p] {
			seen[p] = true
			ports = append(ports, p)
		}
	}
	rng.Shuffle(len(ports), func(i, j int) { ports[i], ports[j] = ports[j], ports[i] })
	t0 := s.at(1, 3, 12, 7)
	sport := ephemeral(rng) // a SYN scan keeps one source port
	p := plantedSet{fl: fl, truth: Scenario{
		Name:          "port-scan",
		Description:   "vertical TCP SYN scan of 10.0.1.15 from 198.51.100.23: ~1,000 ports in about 3 minutes, rejected except SSH",
		SrcAddr:       scanner.String(),
		DstAddr:       host.ip4.String(),
		DistinctPorts: len(ports),
		AcceptedPorts: []int{22},
	}}
	for i, port := range ports {
		at := t0 + int64(i)*180/int64(len(ports)) + rng.Int64N(2)
		if port == 22 {
			// open: SYN, SYN-ACK, then the scanner's RST
			p.recs = append(p.recs,
				rec{eni: host, src: scanner, dst: host.ip4, sport: sport, dport: 22, proto: 6, packets: 2, bytes: 84,
					start: at, end: at, flags: flagSYN | flagRST},
				rec{eni: host, src: host.ip4, dst: scanner, sport: 22, dport: sport, proto: 6, packets: 1, bytes: 44,
					start: at, end: at, flags: flagSYNACK, egress: true, path: 8})
			continue
		}
		pk := int64(1)
		if rng.IntN(10) < 3 {
			pk = 2 // no answer, so the scanner retransmits once
		}
		p.recs = append(p.recs, rec{eni: host, src: scanner, dst: host.ip4, sport: sport, dport: port, proto: 6,
			packets: pk, bytes: pk * 44, start: at, end: at + pk - 1, flags: flagSYN, act: actReject})
		p.truth.RejectedRecords++
	}
	return p
}

// bruteForce: hundreds of short SSH sessions against 10.0.1.20, then one
// long session that pulls data out.
func bruteForce(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.1.20")
	attacker := netip.MustParseAddr("185.220.101.4")
	p := plantedSet{fl: fl, truth: Scenario{
		Name:        "ssh-brute-force",
		Description: "SSH password guessing from 185.220.101.4 against 10.0.1.20:22, then one long session with a large download",
		SrcAddr:     attacker.String(), DstAddr: host.ip4.String(), DstPort: 22,
	}}
	t := s.at(1, 3, 41, 30)
	const attempts = 420
	for range attempts {
		t += 4 + rng.Int64N(2)
		end := t + 1 + rng.Int64N(3)
		sport := ephemeral(rng)
		pk, rpk := between(rng, 11, 19), between(rng, 10, 16)
		p.recs = append(p.recs,
			rec{eni: host, src: attacker, dst: host.ip4, sport: sport, dport: 22, proto: 6, packets: pk,
				bytes: pk * between(rng, 110, 190), start: t, end: end, flags: flagSYN | flagFIN},
			rec{eni: host, src: host.ip4, dst: attacker, sport: 22, dport: sport, proto: 6, packets: rpk,
				bytes: rpk * between(rng, 160, 260), start: t, end: end, flags: flagSYNACK | flagFIN, egress: true, path: 8})
	}
	p.truth.Attempts = attempts
	// The session that worked: 47 one-minute intervals.
	sess := &Session{SrcPort: int(ephemeral(rng))}
	t += 40
	const intervals = 47
	for i := range intervals {
		start := t + int64(i)*60
		end := start + 59
		var cf, sf int32
		switch i {
		case 0:
			cf, sf = flagSYN, flagSYNACK
		case intervals - 1:
			cf, sf = flagFIN, flagFIN
		}
		out := between(rng, 5_000_000, 12_000_000) // server -> attacker
		inPk := between(rng, 40, 400)
		q := rec{eni: host, src: attacker, dst: host.ip4, sport: int32(sess.SrcPort), dport: 22, proto: 6,
			packets: inPk + out/1448/2, bytes: inPk*90 + out/1448/2*52, start: start, end: end, flags: cf}
		r := rec{eni: host, src: host.ip4, dst: attacker, sport: 22, dport: int32(sess.SrcPort), proto: 6,
			packets: out/1448 + 1, bytes: out, start: start, end: end, flags: sf, egress: true, path: 8}
		p.recs = append(p.recs, q, r)
		sess.Records += 2
		sess.SrcToDstBytes += q.bytes
		sess.DstToSrcBytes += r.bytes
		if i == 0 {
			sess.Start = time.Unix(start, 0).UTC()
		}
		sess.End = time.Unix(end, 0).UTC()
	}
	p.truth.Session = sess
	return p
}

// exfiltration: several GB from 10.0.33.64 to 74.85.207.89:443 in about
// 30 minutes over four parallel connections.
func exfiltration(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.33.64")
	dst := netip.MustParseAddr("74.85.207.89")
	const conns, intervals = 4, 30
	p := plantedSet{fl: fl, truth: Scenario{
		Name:        "exfiltration",
		Description: "bulk upload from 10.0.33.64 to 74.85.207.89:443 (several GB in ~30 minutes, 4 connections)",
		SrcAddr:     host.ip4.String(), DstAddr: dst.String(), DstPort: 443, Connections: conns,
	}}
	t0 := s.at(1, 5, 30, 20)
	for c := range conns {
		sport := ephemeral(rng)
		off := int64(c) * 3
		for i := range intervals {
			start := t0 + off + int64(i)*60
			end := start + 58
			var cf, sf int32
			switch i {
			case 0:
				cf, sf = flagSYN, flagSYNACK
			case intervals - 1:
				cf, sf = flagFIN, flagFIN
			}
			by := between(rng, 30_000_000, 45_000_000)
			pk := by/1448 + rng.Int64N(50)
			p.recs = append(p.recs,
				rec{eni: host, src: host.ip4, dst: dst, sport: sport, dport: 443, proto: 6, packets: pk, bytes: by,
					start: start, end: end, flags: cf, egress: true, path: 8},
				rec{eni: host, src: dst, dst: host.ip4, sport: 443, dport: sport, proto: 6, packets: pk / 2,
					bytes: pk / 2 * 52, start: start, end: end, flags: sf})
		}
	}
	return p
}

// beaconing: a short HTTPS callback from 10.0.2.31 to 45.137.21.9 every
// 60 s ± 2 s for about fourteen hours.
func beaconing(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.2.31")
	c2 := netip.MustParseAddr("45.137.21.9")
	p := plantedSet{fl: fl, truth: Scenario{
		Name:        "beaconing",
		Description: "C2 beacon from 10.0.2.31 to 45.137.21.9:443 every 60 s ± 2 s with small payloads",
		SrcAddr:     host.ip4.String(), DstAddr: c2.String(), DstPort: 443,
		IntervalSeconds: 60, JitterSeconds: 2,
	}}
	t := s.at(0, 13, 30, 11)
	stop := min(t+14*3600+30*60, s.end-600)
	for ; t < stop; t += 58 + rng.Int64N(5) {
		sport := ephemeral(rng)
		end := t + rng.Int64N(2)
		pk, rpk := between(rng, 9, 11), between(rng, 7, 9)
		p.recs = append(p.recs,
			rec{eni: host, src: host.ip4, dst: c2, sport: sport, dport: 443, proto: 6, packets: pk,
				bytes: between(rng, 1100, 1400), start: t, end: end, flags: flagSYN | flagFIN, egress: true, path: 8},
			rec{eni: host, src: c2, dst: host.ip4, sport: 443, dport: sport, proto: 6, packets: rpk,
				bytes: between(rng, 3900, 4600), start: t, end: end, flags: flagSYNACK | flagFIN})
		p.truth.Beacons++
	}
	return p
}

// miningPool: a dev host keeps a stratum connection to an address in the
// IOC /24, then fails over to a second address in it.
func miningPool(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.50.12.7")
	pools := []netip.Addr{netip.MustParseAddr("193.42.33.14"), netip.MustParseAddr("193.42.33.20")}
	p := plantedSet{fl: fl, truth: Scenario{
		Name:        "ioc-cidr-contact",
		Description: "dev host 10.50.12.7 holds stratum connections (TCP 3333) to two addresses in the IOC range 193.42.33.0/24",
		SrcAddr:     host.ip4.String(), DstAddr: "193.42.33.0/24", DstPort: 3333,
		Contacted: []string{pools[0].String(), pools[1].String()},
	}}
	t := s.at(2, 1, 2, 41)
	for ci, dst := range pools {
		sport := ephemeral(rng)
		n := 68 - ci*14
		for i := range n {
			start := t + int64(i)*60
			var cf, sf int32
			switch i {
			case 0:
				cf, sf = flagSYN, flagSYNACK
			case n - 1:
				cf, sf = flagFIN, flagFIN
			}
			pk, rpk := between(rng, 10, 30), between(rng, 8, 24)
			p.recs = append(p.recs,
				rec{eni: host, src: host.ip4, dst: dst, sport: sport, dport: 3333, proto: 6, packets: pk,
					bytes: pk * between(rng, 90, 130), start: start, end: start + 59, flags: cf, egress: true, path: 8},
				rec{eni: host, src: dst, dst: host.ip4, sport: 3333, dport: sport, proto: 6, packets: rpk,
					bytes: rpk * between(rng, 100, 160), start: start, end: start + 59, flags: sf})
		}
		t += int64(n)*60 + 45
	}
	return p
}

// iocList returns the indicator file in the playbook's CSV shape and the
// manifest entries describing it.
func iocList() ([]byte, []IOC) {
	iocs := []IOC{
		{Indicator: "74.85.207.89", Comment: "Exfiltration endpoint, reported by partner CERT", Present: true, Scenario: "exfiltration"},
		{Indicator: "45.137.21.9", Comment: "C2 beacon (HTTPS)", Present: true, Scenario: "beaconing"},
		{Indicator: "185.220.101.4", Comment: "Tor exit relay, SSH brute force", Present: true, Scenario: "ssh-brute-force"},
		{Indicator: "193.42.33.0/24", Comment: "Mining pool range, stratum on 3333", Present: true, Scenario: "ioc-cidr-contact"},
		{Indicator: "91.215.85.17", Comment: "Phishing kit host", Present: false},
		{Indicator: "162.33.177.40", Comment: "Old C2 server, not expected in these logs", Present: false},
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf) // quotes exactly the comments that contain commas
	_ = cw.Write([]string{"threat_ip", "threat_comment"})
	for _, i := range iocs {
		_ = cw.Write([]string{i.Indicator, i.Comment})
	}
	cw.Flush()
	return buf.Bytes(), iocs
}
