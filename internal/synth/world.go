package synth

import (
	"math/rand/v2"
	"net/netip"
	"path"
	"strconv"
	"time"
)

// Layout is one of the four S3 key layouts AWS can write.
type Layout string

// The S3 key layouts.
const (
	LayoutPlain       Layout = "plain"        // AWSLogs/<acct>/vpcflowlogs/<region>/YYYY/MM/DD/
	LayoutPlainHourly Layout = "plain-hourly" // ... /YYYY/MM/DD/HH/
	LayoutHive        Layout = "hive"         // AWSLogs/aws-account-id=<acct>/aws-service=vpcflowlogs/aws-region=<region>/year=YYYY/month=MM/day=DD/
	LayoutHiveHourly  Layout = "hive-hourly"  // ... /hour=HH/
)

// flowLog is one flow log subscription and its S3 destination options.
type flowLog struct {
	id       string
	vpc      *vpc
	layout   Layout
	prefix   string // user prefix before AWSLogs/, with a trailing slash
	format   string // header line
	fields   []field
	version  int
	parquet  bool
	share    float64 // share of the benign record budget
	describe string
}

// objectKey is the S3 key (slash-separated, relative to the bucket) of the
// file covering the 5-minute window starting at t.
func objectKey(prefix, account, region, flID string, layout Layout, t time.Time, hash, ext string) string {
	y, m, d, h := t.Format("2006"), t.Format("01"), t.Format("02"), t.Format("15")
	var dir string
	switch layout {
	case LayoutHive, LayoutHiveHourly:
		dir = path.Join("AWSLogs", "aws-account-id="+account, "aws-service=vpcflowlogs",
			"aws-region="+region, "year="+y, "month="+m, "day="+d)
		if layout == LayoutHiveHourly {
			dir = path.Join(dir, "hour="+h)
		}
	default:
		dir = path.Join("AWSLogs", account, "vpcflowlogs", region, y, m, d)
		if layout == LayoutPlainHourly {
			dir = path.Join(dir, h)
		}
	}
	name := account + "_vpcflowlogs_" + region + "_" + flID + "_" + t.Format("20060102T1504Z") + "_" + hash + ext
	return prefix + dir + "/" + name
}

// world holds everything drawn once per dataset: topology, flow logs and the
// pools of external addresses. It is read-only once built, so the file
// writers share it without locks.
type world struct {
	vpcs     []*vpc
	flowLogs []*flowLog
	prodUSE1 *vpc
	dev      *vpc
	shared   *vpc
	tgw      *tgwTopology

	clients  []netip.Addr // internet clients of the web tier (skewed popularity)
	clients6 []netip.Addr
	saas     []netip.Addr // external APIs hosts call out to
	ntp      []netip.Addr
	dns      []netip.Addr
	scanners []netip.Addr // persistent internet scanners
	office   []netip.Addr // administrators' egress addresses
	blocked  []netip.Prefix
}

func newWorld(seed int64, bench bool) (*world, error) {
	rng := rand.New(rand.NewPCG(mix64(uint64(seed), 0x746f706f), 0x9e3779b97f4a7c15))
	g := idgen{rng: rng}
	w := &world{}
	w.prodUSE1 = prodUSE1(g)
	flProd := &flowLog{id: g.id("fl"), vpc: w.prodUSE1, layout: LayoutPlain, format: formatDefault, share: 0.40,
		describe: "prod us-east-1, default format, plain layout"}
	if bench {
		flProd.share = 1
		w.vpcs = []*vpc{w.prodUSE1}
		w.flowLogs = []*flowLog{flProd}
	} else {
		euw1 := prodEUW1(g)
		w.dev = devUSW2(g)
		w.shared = sharedUSE1(g, w.prodUSE1)
		w.vpcs = []*vpc{w.prodUSE1, euw1, w.dev, w.shared}
		w.flowLogs = []*flowLog{
			flProd,
			{id: g.id("fl"), vpc: euw1, layout: LayoutHiveHourly, format: formatV5, share: 0.25,
				describe: "prod eu-west-1, custom v5 format, Hive hourly layout"},
			{id: g.id("fl"), vpc: w.dev, layout: LayoutPlainHourly, prefix: "central-logs/dev/", format: formatV3, share: 0.15,
				describe: "dev us-west-2, custom v3 format, plain hourly layout under a user prefix"},
			{id: g.id("fl"), vpc: w.shared, layout: LayoutHive, format: formatAllV5, parquet: true, share: 0.20,
				describe: "shared us-east-1, all v2-v5 fields, Parquet, Hive daily layout"},
		}
		w.tgw = newTGWTopology(g, w.prodUSE1, w.shared)
	}
	for _, fl := range w.flowLogs {
		f, v, err := parseFormat(fl.format)
		if err != nil {
			return nil, err
		}
		fl.fields, fl.version = f, v
	}
	for _, v := range w.vpcs {
		v.aws = rangesFor(v.region)
	}
	w.blocked = prefixes(
		// private, shared, loopback, link-local, documentation and benchmark ranges
		"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
		"192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
		"224.0.0.0/3",
		// large AWS blocks: random clients never need a pkt-*-aws-service label
		"3.0.0.0/8", "13.0.0.0/8", "15.0.0.0/8", "18.0.0.0/8", "34.0.0.0/8", "35.0.0.0/8", "43.0.0.0/8",
		"44.0.0.0/8", "50.0.0.0/8", "52.0.0.0/8", "54.0.0.0/8", "99.0.0.0/8",
		// every planted indicator, so benign traffic never touches one by chance
		"74.85.207.0/24", "45.137.21.0/24", "185.220.101.0/24", "193.42.33.0/24", "91.215.85.0/24", "162.33.177.0/24",
	)
	w.clients = w.publicPool(rng, 4000)
	w.saas = w.publicPool(rng, 150)
	w.ntp = w.publicPool(rng, 6)
	w.scanners = w.publicPool(rng, 300)
	w.office = w.publicPool(rng, 3)
	w.dns = []netip.Addr{netip.MustParseAddr("1.1.1.1"), netip.MustParseAddr("8.8.8.8"), netip.MustParseAddr("8.8.4.4")}
	for range 300 {
		w.clients6 = append(w.clients6, randomV6(rng))
	}
	return w, nil
}

// publicAddr draws a routable public IPv4 address outside w.blocked.
func (w *world) publicAddr(rng *rand.Rand) netip.Addr {
	for {
		var b [4]byte
		v := rng.Uint32()
		b[0], b[1], b[2], b[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
		a := netip.AddrFrom4(b)
		ok := b[3] != 0 && b[3] != 255
		for _, p := range w.blocked {
			if !ok {
				break
			}
			ok = !p.Contains(a)
		}
		if ok {
			return a
		}
	}
}

func (w *world) publicPool(rng *rand.Rand, n int) []netip.Addr {
	out := make([]netip.Addr, n)
	for i := range out {
		out[i] = w.publicAddr(rng)
	}
	return out
}

// skewed picks from a pool with a heavy head: a few addresses carry most of
// the traffic, as real client and destination sets do.
func skewed(rng *rand.Rand, pool []netip.Addr) netip.Addr {
	u := rng.Float64()
	return pool[int(u*u*u*float64(len(pool)))]
}

func randomV6(rng *rand.Rand) netip.Addr {
	heads := [...]uint16{0x2a01, 0x2a02, 0x2605, 0x2406, 0x2003, 0x2804, 0x2001}
	var b [16]byte
	h := heads[rng.IntN(len(heads))]
	b[0], b[1] = byte(h>>8), byte(h)
	for i := 2; i < 16; i++ {
		b[i] = byte(rng.IntN(256))
	}
	if h == 0x2001 && b[2] == 0x0d && b[3] == 0xb8 { // keep clear of 2001:db8::/32
		b[2] = 0x4c
	}
	return netip.AddrFrom16(b)
}

// inPrefix draws an address inside one of ps.
func inPrefix(rng *rand.Rand, ps []netip.Prefix) netip.Addr {
	p := ps[rng.IntN(len(ps))]
	b := p.Addr().As4()
	host := 32 - p.Bits()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	v |= uint32(rng.Uint64N(1<<host)) | 1
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// mix64 is SplitMix64 over a combination of inputs: every file gets its own
// independent RNG stream, so output does not depend on scheduling.
func mix64(vs ...uint64) uint64 {
	var h uint64 = 0x243f6a8885a308d3
	for _, v := range vs {
		h ^= v + 0x9e3779b97f4a7c15 + (h << 6) + (h >> 2)
		h += 0x9e3779b97f4a7c15
		z := h
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		h = z ^ (z >> 31)
	}
	return h
}

func hash8(rng *rand.Rand) string {
	s := strconv.FormatUint(uint64(rng.Uint32()), 16)
	for len(s) < 8 {
		s = "0" + s
	}
	return s
}
