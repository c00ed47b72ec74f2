package synth

import (
	"math/bits"
	"math/rand/v2"
)

// kind is a type of benign conversation.
type kind uint8

const (
	kInboundWeb  kind = iota // internet client -> web:443
	kInboundWeb6             // same over IPv6
	kWebToApp                // web -> app (east-west)
	kAppToDB                 // app -> db (east-west)
	kAWS                     // host -> S3 / DynamoDB / other AWS endpoints
	kOutbound                // host -> external API (directly or through the NAT gateway)
	kNTP                     // UDP 123 to public NTP servers
	kDNS                     // UDP 53 to public resolvers
	kICMP                    // monitoring pings
	kScan                    // internet background scanning, rejected
	kTGWIn                   // peers in another VPC through the transit gateway
	kTGWOut                  // hosts shipping logs to another VPC through the transit gateway
	kAdminSSH                // administrators through the bastions
	kNoData                  // NODATA record
	kSkipData                // SKIPDATA record
	numKinds
)

const window = 300 // seconds in one S3 delivery window

// TCP flag values as AWS reports them (OR-ed over the interval).
const (
	flagFIN    = 1
	flagSYN    = 2
	flagRST    = 4
	flagSYNACK = 18
)

// phase of a TCP connection within one aggregation interval.
type phase uint8

const (
	phShort phase = iota // opened and closed inside the interval
	phOpen               // opened, still running
	phMid                // neither opened nor closed
	phClose              // closed
)

func (p phase) flags() (client, server int32) {
	switch p {
	case phShort:
		return flagSYN | flagFIN, flagSYNACK | flagFIN
	case phOpen:
		return flagSYN, flagSYNACK
	case phClose:
		return flagFIN, flagFIN
	}
	return 0, 0
}

// gen fills one file's worth of benign records for one VPC and window.
type gen struct {
	rng *rand.Rand
	w   *world
	v   *vpc
	w0  int64 // window start, Unix seconds
	n   int   // record budget
	out []rec
	cum [numKinds]float64
}

func newGen(rng *rand.Rand, w *world, v *vpc, w0 int64, n int, out []rec) *gen {
	g := &gen{rng: rng, w: w, v: v, w0: w0, n: n, out: out[:0]}
	var s float64
	for k := range numKinds {
		s += v.mix[k]
		g.cum[k] = s
	}
	return g
}

func (g *gen) add(r rec) {
	if len(g.out) < g.n {
		g.out = append(g.out, r)
	}
}

// fill generates exactly g.n records. A conversation cut off by the budget
// is the same as one whose remaining records land in the next file.
func (g *gen) fill() []rec {
	g.scheduled()
	misses := 0
	for len(g.out) < g.n {
		before := len(g.out)
		g.conversation(g.pickKind())
		if len(g.out) == before {
			if misses++; misses > 50 {
				g.status(stNoData)
			}
		}
	}
	return g.out
}

func (g *gen) pickKind() kind {
	u := g.rng.Float64() * g.cum[numKinds-1]
	for k := range numKinds {
		if u < g.cum[k] {
			return k
		}
	}
	return kNoData
}

func (g *gen) conversation(k kind) {
	v := g.v
	switch k {
	case kInboundWeb:
		g.inboundWeb(false)
	case kInboundWeb6:
		g.inboundWeb(true)
	case kWebToApp:
		g.eastWest(v.pick(g.rng, roleWeb), v.pick(g.rng, roleApp), v.appPort)
	case kAppToDB:
		g.eastWest(v.pick(g.rng, roleApp, roleDev), v.pick(g.rng, roleDB), v.dbPort)
	case kAWS:
		g.aws()
	case kOutbound:
		g.outbound()
	case kNTP:
		g.udpOut(g.w.ntp[g.rng.IntN(len(g.w.ntp))], 123)
	case kDNS:
		g.udpOut(g.w.dns[g.rng.IntN(len(g.w.dns))], 53)
	case kICMP:
		g.icmp()
	case kScan:
		g.scan()
	case kTGWIn:
		g.tgwIn()
	case kTGWOut:
		g.tgwOut()
	case kAdminSSH:
		g.adminSSH()
	case kNoData:
		g.status(stNoData)
	case kSkipData:
		g.status(stSkipData)
	}
}

// times returns the start and end of a record lasting dur seconds whose end
// falls inside the window.
func (g *gen) times(dur int64) (int64, int64) {
	end := g.w0 + g.rng.Int64N(window)
	return end - dur, end
}

// reply shifts a reply record's times by up to a second, staying in the window.
func (g *gen) reply(start, end int64) (int64, int64) {
	d := g.rng.Int64N(2)
	e := min(end+d, g.w0+window-1)
	return min(start+d, e), e
}

func (g *gen) phase(short, open, mid float64) phase {
	u := g.rng.Float64()
	switch {
	case u < short:
		return phShort
	case u < short+open:
		return phOpen
	case u < short+open+mid:
		return phMid
	}
	return phClose
}

func (g *gen) duration(p phase) int64 {
	switch p {
	case phShort:
		return g.rng.Int64N(5)
	case phMid:
		return 50 + g.rng.Int64N(10)
	}
	return 1 + g.rng.Int64N(58)
}

// ephemeral draws a client source port (Linux or Windows default ranges).
func ephemeral(rng *rand.Rand) int32 {
	if rng.IntN(10) < 7 {
		return 32768 + rng.Int32N(28232)
	}
	return 49152 + rng.Int32N(16384)
}

func between(rng *rand.Rand, lo, hi int64) int64 { return lo + rng.Int64N(hi-lo+1) }

// pair emits the request record on e and its reply, filling in the reply's
// swapped endpoints, protocol, times and direction; the caller sets each
// record's counters, flags, traffic-path and services.
func (g *gen) pair(e *eni, req rec, resp rec) {
	req.eni, resp.eni = e, e
	resp.src, resp.dst = req.dst, req.src
	resp.sport, resp.dport = req.dport, req.sport
	resp.proto = req.proto
	resp.start, resp.end = g.reply(req.start, req.end)
	resp.egress = !req.egress
	g.add(req)
	g.add(resp)
}

// tcpCounts draws packets (log-uniform: most flows are small) and bytes.
// A connection that closes inside the interval carries few packets.
func (g *gen) tcpCounts(p phase, minPk, maxPk, minSz, maxSz int64) (int64, int64) {
	if p == phShort || p == phClose {
		maxPk = max(minPk, min(maxPk, 60))
	}
	pk := logUniform(g.rng, minPk, maxPk)
	return pk, pk * between(g.rng, minSz, maxSz)
}

// logUniform draws from [lo, hi] with a log-uniform-like spread, using
// integers only: pick a power-of-two band, then a value inside it.
func logUniform(rng *rand.Rand, lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	e := rng.IntN(bits.Len64(uint64(hi/lo)) + 1)
	base := lo << e
	if v := base + rng.Int64N(base); v <= hi {
		return v
	}
	return lo + rng.Int64N(hi-lo+1)
}
