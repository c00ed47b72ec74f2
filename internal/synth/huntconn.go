package synth

import "net/netip"

// conn describes one connection (or one unanswered attempt) as the flow log
// of the ENI e records it: per aggregation interval, one record for the
// request direction and, unless the request went unanswered, one for the
// reply. The hunt scenarios are built from these so that every one of them
// has the two-records-per-connection shape real flow logs have.
type conn struct {
	e            *eni
	req          rec   // endpoints, ports, protocol, action; counters are set per interval
	start, dur   int64 // first packet and duration, seconds
	step         int64 // aggregation interval: 60 or 600 (0: 60)
	outPk, outBy int64 // request direction, whole connection
	inPk, inBy   int64 // reply direction, whole connection; 0 packets: no reply record
	replyAct     action
	egress       bool // the request leaves e (e is the client's ENI)
	tcp          bool // set SYN/SYN-ACK on the first interval and FIN on the last
}

// records returns the connection's records, interval by interval.
func (c conn) records() []rec {
	step := c.step
	if step == 0 {
		step = 60
	}
	n := c.dur/step + 1
	if c.dur > 0 && c.dur%step == 0 {
		n = c.dur / step
	}
	var out []rec
	for i := range n {
		s := c.start + i*step
		e := min(s+step-1, c.start+c.dur)
		var cf, sf int32
		if c.tcp {
			if i == 0 {
				cf, sf = flagSYN, flagSYNACK
			}
			if i == n-1 {
				cf, sf = cf|flagFIN, sf|flagFIN
			}
		}
		q := c.req
		q.eni, q.start, q.end, q.flags, q.egress = c.e, s, e, cf, c.egress
		q.packets, q.bytes = share(c.outPk, n, i), share(c.outBy, n, i)
		q.packets = max(q.packets, 1)
		if c.egress {
			q.path = pathTo(q.dst)
		}
		out = append(out, q)
		if c.inPk == 0 {
			continue
		}
		r := rec{eni: c.e, src: q.dst, dst: q.src, sport: q.dport, dport: q.sport, proto: q.proto,
			packets: max(share(c.inPk, n, i), 1), bytes: share(c.inBy, n, i), start: s, end: e,
			flags: sf, act: c.replyAct, egress: !c.egress}
		if r.egress {
			r.path = pathTo(r.dst)
		}
		out = append(out, r)
	}
	return out
}

// pathTo is the traffic-path of an egress record: through the internet
// gateway to a public address, else to another resource in the VPC.
func pathTo(dst netip.Addr) int8 {
	if dst.IsPrivate() {
		return 1
	}
	return 8
}

// share splits total into n near-equal integer parts and returns part i.
func share(total, n, i int64) int64 {
	return total/n + boolInt64(i < total%n)
}

func boolInt64(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
