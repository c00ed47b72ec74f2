package synth

import (
	"math/rand/v2"
	"net/netip"
	"slices"
)

// The detector names of `flowdig hunt`. synth only writes them into the
// ground truth (Scenario.Expect, Scenario.Silent, Exposure.Detector); it
// knows nothing of how they work.
const (
	DetPortScan        = "port-scan"
	DetPortSweep       = "port-sweep"
	DetBruteForce      = "brute-force"
	DetBruteSuccess    = "brute-force-success"
	DetExfilVolume     = "exfil-volume"
	DetLargeFlow       = "large-flow"
	DetBeaconing       = "beaconing"
	DetUnusualProtocol = "unusual-protocol"
	DetUnusualPort     = "unusual-port"
	DetExposedAdmin    = "exposed-admin-port"
	DetRejectSpike     = "reject-spike"
	DetNewTalker       = "new-talker"
	DetDoSVolume       = "dos-volume"
)

// expectations of the incident's scenarios when a dataset is made for
// hunting (Config.Hunt).
var incidentExpect = map[string][]string{
	"port-scan":        {DetPortScan, DetRejectSpike},
	"ssh-brute-force":  {DetBruteForce, DetBruteSuccess},
	"exfiltration":     {DetExfilVolume, DetLargeFlow},
	"beaconing":        {DetBeaconing},
	"ioc-cidr-contact": {DetUnusualPort},
}

// huntSets returns every scenario of a hunt dataset: the incident's
// scenarios that fit the world (the mining-pool contact lives in the dev
// VPC, which the benchmark world lacks), then the attacks each detector must
// report and the near-misses none may. The incident's scenarios use the same
// RNG streams as plantScenarios, so their records are identical.
func huntSets(seed int64, w *world, s story) []plantedSet {
	rngFor := func(tag uint64) *rand.Rand { return rand.New(rand.NewPCG(mix64(uint64(seed), tag), tag)) }
	prod := w.flowLogs[0]
	var sets []plantedSet
	if len(w.flowLogs) > 2 {
		sets = plantScenarios(seed, w, s)
	} else {
		sets = []plantedSet{
			portScan(rngFor(1), prod, s),
			bruteForce(rngFor(2), prod, s),
			exfiltration(rngFor(3), prod, s),
			beaconing(rngFor(4), prod, s),
		}
		for i := range sets {
			keep(&sets[i], s)
		}
	}
	for i := range sets {
		sets[i].truth.Expect = incidentExpect[sets[i].truth.Name]
	}
	build := []func(*rand.Rand, *flowLog, story) plantedSet{
		sweep, dbExposed, rejectBurst, newTalker, greTunnel, reverseShell, synFlood, slowBeacon,
		exfilTenMinute, failedBruteForce,
		scanNearMiss, repliesNearMiss, sweepNearMiss, bruteNearMiss, exfilNearMiss, largeFlowNearMiss,
		beaconNearMiss, protocolNearMiss, portNearMiss, adminNearMiss, rejectNearMiss, newTalkerNearMiss,
		dosNearMiss,
	}
	for i, f := range build {
		p := f(rngFor(100+uint64(i)), prod, s)
		keep(&p, s)
		sets = append(sets, p)
	}
	return sets
}

// keep drops records outside the dataset and fills in the ground truth.
func keep(p *plantedSet, s story) {
	p.recs = slices.DeleteFunc(p.recs, func(r rec) bool { return r.end >= s.end || r.start < s.start })
	summarize(p)
}

// exposures are the benign exposures of the hunt world: the bastions accept
// SSH from the administrators' office addresses, which is what
// exposed-admin-port reports and a correct finding.
func exposures(w *world) []Exposure {
	var out []Exposure
	for _, e := range w.prodUSE1.byRole[roleBastion] {
		out = append(out, Exposure{Detector: DetExposedAdmin, Addr: e.ip4.String(), Port: 22,
			Description: "bastion host: administrators' SSH from the office egress addresses"})
	}
	return out
}

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

// add appends the records of connections to p.
func (p *plantedSet) add(cs ...conn) {
	for _, c := range cs {
		p.recs = append(p.recs, c.records()...)
	}
}

// sweep: a compromised app host probes 400 addresses of 10.0.0.0/16 on SMB
// in six minutes; almost none exist, so its ENI logs unanswered attempts.
func sweep(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.2.15")
	p := plantedSet{fl: fl, truth: Scenario{
		Name: "horizontal-sweep", Description: "10.0.2.15 probes 400 addresses of 10.0.0.0/16 on TCP 445 in six minutes (worm-like spread)",
		SrcAddr: host.ip4.String(), DstPort: 445, Expect: []string{DetPortSweep},
	}}
	t0 := s.at(1, 9, 40, 0)
	seen := map[netip.Addr]bool{}
	for i := 0; len(seen) < 400; i++ {
		dst := netip.AddrFrom4([4]byte{10, 0, byte(100 + rng.IntN(150)), byte(1 + rng.IntN(254))})
		if seen[dst] {
			continue
		}
		seen[dst] = true
		pk := between(rng, 1, 2)
		p.add(conn{e: host, egress: true, start: t0 + int64(len(seen))*360/400, dur: pk - 1,
			req:   rec{src: host.ip4, dst: dst, sport: ephemeral(rng), dport: 445, proto: 6},
			outPk: pk, outBy: pk * 60})
	}
	return p
}

// dbExposed: Redis on a public app host accepts connections from three
// internet addresses.
func dbExposed(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.2.19")
	p := plantedSet{fl: fl, truth: Scenario{
		Name: "db-port-exposed", Description: "Redis on 10.0.2.19:6379 accepts sessions from three internet addresses (203.0.113.160-162)",
		SrcAddr: "203.0.113.160", DstAddr: host.ip4.String(), DstPort: 6379, Expect: []string{DetExposedAdmin},
	}}
	t := s.at(1, 14, 5, 0)
	for i := range 3 {
		src := netip.AddrFrom4([4]byte{203, 0, 113, byte(160 + i)})
		for range between(rng, 3, 5) {
			t += between(rng, 30, 400)
			p.add(conn{e: host, start: t, dur: between(rng, 30, 200), tcp: true,
				req:   rec{src: src, dst: host.ip4, sport: ephemeral(rng), dport: 6379, proto: 6},
				outPk: between(rng, 20, 60), outBy: between(rng, 1600, 4800),
				inPk: between(rng, 20, 80), inBy: between(rng, 4000, 16000)})
		}
	}
	return p
}

// rejectBurst: an app host suddenly tries 600 connections to 100 external
// addresses in an hour, all denied by its security group's egress rules.
func rejectBurst(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.2.40")
	p := plantedSet{fl: fl, truth: Scenario{
		Name: "rejected-egress-spike", Description: "10.0.2.40 makes 600 connection attempts to 100 external addresses in an hour, all rejected (egress denied)",
		SrcAddr: host.ip4.String(), Expect: []string{DetRejectSpike},
	}}
	t0 := s.at(1, 20, 3, 0)
	for i := range 600 {
		last := byte(200 + rng.IntN(50))
		dst := netip.AddrFrom4([4]byte{203, 0, 113, last})
		if rng.IntN(2) == 0 {
			dst = netip.AddrFrom4([4]byte{198, 51, 100, last})
		}
		port := int32(443)
		if rng.IntN(3) == 0 {
			port = 8080
		}
		pk := between(rng, 1, 2)
		p.add(conn{e: host, egress: true, start: t0 + int64(i)*3300/600, dur: pk - 1,
			req:   rec{src: host.ip4, dst: dst, sport: ephemeral(rng), dport: port, proto: 6, act: actReject},
			outPk: pk, outBy: pk * 60})
	}
	return p
}

// newTalker: on the last day an app host starts calling an HTTPS endpoint in
// a network nobody in the VPC talked to before.
func newTalker(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.2.14")
	dst := addr("192.0.2.55")
	p := plantedSet{fl: fl, truth: Scenario{
		Name: "new-talker", Description: "10.0.2.14 calls 192.0.2.55:443 on the last day; no host contacted 192.0.2.0/24 before",
		SrcAddr: host.ip4.String(), DstAddr: dst.String(), DstPort: 443, Expect: []string{DetNewTalker},
	}}
	t0 := s.at(2, 9, 0, 0)
	for range 40 {
		p.add(conn{e: host, egress: true, start: t0 + rng.Int64N(8*3600), dur: between(rng, 2, 30), tcp: true,
			req:   rec{src: host.ip4, dst: dst, sport: ephemeral(rng), dport: 443, proto: 6},
			outPk: between(rng, 8, 30), outBy: between(rng, 1500, 9000),
			inPk: between(rng, 8, 40), inBy: between(rng, 4000, 40000)})
	}
	return p
}

// greTunnel: an app host keeps a GRE (IP protocol 47) tunnel to an internet
// address for half an hour.
func greTunnel(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.2.24")
	p := plantedSet{fl: fl, truth: Scenario{
		Name: "unusual-protocol", Description: "GRE (IP protocol 47) between 10.0.2.24 and 203.0.113.90 for 30 minutes",
		SrcAddr: host.ip4.String(), DstAddr: "203.0.113.90", Expect: []string{DetUnusualProtocol},
	}}
	p.add(conn{e: host, egress: true, start: s.at(1, 10, 12, 0), dur: 30*60 - 1,
		req:   rec{src: host.ip4, dst: addr("203.0.113.90"), proto: 47},
		outPk: between(rng, 20_000, 30_000), outBy: between(rng, 8_000_000, 12_000_000),
		inPk: between(rng, 20_000, 30_000), inBy: between(rng, 6_000_000, 9_000_000)})
	return p
}

// reverseShell: an app host holds a 20-minute TCP session to port 4444 of an
// internet address.
func reverseShell(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.2.22")
	p := plantedSet{fl: fl, truth: Scenario{
		Name: "unusual-port", Description: "10.0.2.22 holds a 20-minute session to 203.0.113.77:4444 (reverse shell)",
		SrcAddr: host.ip4.String(), DstAddr: "203.0.113.77", DstPort: 4444, Expect: []string{DetUnusualPort},
	}}
	p.add(conn{e: host, egress: true, start: s.at(1, 11, 7, 0), dur: 20*60 - 5, tcp: true,
		req:   rec{src: host.ip4, dst: addr("203.0.113.77"), sport: ephemeral(rng), dport: 4444, proto: 6},
		outPk: between(rng, 300, 500), outBy: between(rng, 40_000, 80_000),
		inPk: between(rng, 200, 400), inBy: between(rng, 12_000, 30_000)})
	return p
}

// synFlood: one internet address sends 225,000 small packets to a web
// host's HTTPS port in 15 minutes.
func synFlood(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.1.12")
	p := plantedSet{fl: fl, truth: Scenario{
		Name: "dos-flood", Description: "203.0.113.50 floods 10.0.1.12:443 with ~225,000 60-byte packets in 15 minutes",
		SrcAddr: "203.0.113.50", DstAddr: host.ip4.String(), DstPort: 443, Expect: []string{DetDoSVolume},
	}}
	t := s.at(1, 16, 20, 0)
	for m := range int64(15) {
		for range 10 { // ten source ports a minute
			pk := between(rng, 1400, 1600)
			p.add(conn{e: host, start: t + m*60 + rng.Int64N(30), dur: between(rng, 20, 29),
				req:   rec{src: addr("203.0.113.50"), dst: host.ip4, sport: ephemeral(rng), dport: 443, proto: 6},
				outPk: pk, outBy: pk * 60, inPk: 1, inBy: 40})
		}
	}
	return p
}

// slowBeacon: a callback every 15 minutes (± 20 s) for a day.
func slowBeacon(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.2.33")
	c2 := addr("198.51.100.160")
	p := plantedSet{fl: fl, truth: Scenario{
		Name: "slow-beacon", Description: "10.0.2.33 calls 198.51.100.160:443 every 15 minutes ± 20 s for a day",
		SrcAddr: host.ip4.String(), DstAddr: c2.String(), DstPort: 443, IntervalSeconds: 900, JitterSeconds: 20,
		Expect: []string{DetBeaconing},
	}}
	for t := s.at(0, 12, 0, 0); t < s.at(1, 12, 0, 0); t += 900 {
		p.add(conn{e: host, egress: true, start: t + rng.Int64N(41) - 20, dur: between(rng, 0, 1), tcp: true,
			req:   rec{src: host.ip4, dst: c2, sport: ephemeral(rng), dport: 443, proto: 6},
			outPk: between(rng, 9, 11), outBy: between(rng, 1100, 1400),
			inPk: between(rng, 7, 9), inBy: between(rng, 3900, 4600)})
		p.truth.Beacons++
	}
	return p
}

// exfilTenMinute: an upload of ~1.6 GB in 40 minutes recorded with the
// 10-minute aggregation interval (a non-Nitro instance): four records per
// direction.
func exfilTenMinute(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.33.67")
	dst := addr("198.51.100.170")
	p := plantedSet{fl: fl, truth: Scenario{
		Name: "exfiltration-10min", Description: "10.0.33.67 uploads ~1.6 GB to 198.51.100.170:443 in 40 minutes, logged in 10-minute intervals",
		SrcAddr: host.ip4.String(), DstAddr: dst.String(), DstPort: 443, Connections: 1,
		Expect: []string{DetExfilVolume, DetLargeFlow},
	}}
	by := between(rng, 1_500_000_000, 1_700_000_000)
	p.add(conn{e: host, egress: true, start: s.at(1, 22, 0, 30), dur: 40*60 - 31, step: 600, tcp: true,
		req:   rec{src: host.ip4, dst: dst, sport: ephemeral(rng), dport: 443, proto: 6},
		outPk: by / 1448, outBy: by, inPk: by / 1448 / 2, inBy: by / 1448 / 2 * 52})
	return p
}

// failedBruteForce: 30 SSH password guesses in ten minutes that never get
// in: a brute force without success.
func failedBruteForce(rng *rand.Rand, fl *flowLog, s story) plantedSet {
	host := fl.vpc.host("10.0.1.20")
	p := plantedSet{fl: fl, truth: Scenario{
		Name: "ssh-brute-force-failed", Description: "30 SSH login attempts from 203.0.113.130 against 10.0.1.20 in ten minutes; none succeeds",
		SrcAddr: "203.0.113.130", DstAddr: host.ip4.String(), DstPort: 22, Attempts: 30,
		Expect: []string{DetBruteForce}, Silent: []string{DetBruteSuccess},
	}}
	t0 := s.at(2, 2, 10, 0)
	for i := range int64(30) {
		pk, rpk := between(rng, 12, 18), between(rng, 10, 14)
		p.add(conn{e: host, start: t0 + i*20, dur: between(rng, 1, 3), tcp: true,
			req:   rec{src: addr("203.0.113.130"), dst: host.ip4, sport: ephemeral(rng), dport: 22, proto: 6},
			outPk: pk, outBy: pk * between(rng, 110, 190), inPk: rpk, inBy: rpk * between(rng, 160, 260)})
	}
	return p
}

// attachPlanted adds the planted records to the benchmark's jobs: a
// window's records go to its first file, and windows without a file get one
// of their own, planned after the benign files so that those keep their
// names and bytes.
func (p *planner) attachPlanted(jobs []job, sets []plantedSet) []job {
	byWin := map[int][]rec{}
	var wins []int
	for _, s := range sets {
		for _, r := range s.recs {
			wi := int((r.end - p.start) / window)
			if _, ok := byWin[wi]; !ok {
				wins = append(wins, wi)
			}
			byWin[wi] = append(byWin[wi], r)
		}
	}
	for i := range jobs {
		wi := int((jobs[i].w0 - p.start) / window)
		if recs, ok := byWin[wi]; ok {
			jobs[i].planted = recs
			delete(byWin, wi)
		}
	}
	slices.Sort(wins)
	for _, wi := range wins {
		if recs, ok := byWin[wi]; ok {
			j := p.newJob(p.w.flowLogs[0], wi, 0)
			j.planted = recs
			jobs = append(jobs, j)
		}
	}
	return jobs
}
