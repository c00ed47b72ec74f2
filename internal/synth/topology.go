package synth

import (
	"math/rand/v2"
	"net/netip"
)

// The fixed accounts of the dataset.
const (
	AccountProd   = "128580493817" // prod: us-east-1 (plain, default format) and eu-west-1 (Hive hourly, custom v5)
	AccountDev    = "604193825502" // dev: us-west-2 (plain hourly, custom v3, user prefix)
	AccountShared = "311725640964" // shared services: us-east-1 Parquet, Hive daily
)

// role is what a host does; conversations pick hosts by role.
type role uint8

const (
	roleWeb role = iota
	roleApp
	roleDB
	roleBatch
	roleDev
	roleMon
	roleNAT
	roleIdle
	roleCollector
	roleBastion
	numRoles
)

// eni is one network interface and the metadata AWS prints for it.
type eni struct {
	id, account, vpc, subnet, instance, region, az string
	ip4                                            netip.Addr
	ip6                                            netip.Addr // zero when the ENI has no IPv6 address
	public                                         bool       // reachable from the internet (public IP / EIP)
	role                                           role
}

// awsRanges are the ip-ranges.json subsets the generator draws service
// addresses from, per region.
type awsRanges struct {
	s3, dynamodb, amazon, ec2 []netip.Prefix
}

// backupJob is a nightly bulk transfer to S3, the source of the records with
// more than 2^31 bytes.
type backupJob struct {
	host *eni
	hour int // UTC hour the job starts
}

// vpc is one VPC with its hosts and its traffic mix.
type vpc struct {
	id, account, region string
	enis                []*eni
	byRole              [numRoles][]*eni
	appPort, dbPort     int32
	nat                 *eni // hosts without public IPs reach the internet through it
	gatewayEndpoint     bool // S3 and DynamoDB through a gateway endpoint (traffic-path 7)
	mix                 [numKinds]float64
	aws                 awsRanges
	backup              *backupJob
	diurnalAmp          int64        // ‰: 0 = flat, 600 = strong day/night swing
	weekend             int64        // ‰: weekend traffic factor
	peers               []netip.Addr // remote hosts reaching this VPC through the transit gateway
	remotes             []netip.Addr // remote log collectors this VPC sends to through the transit gateway
}

// pick returns hosts of the first listed role that has any.
func (v *vpc) pick(rng *rand.Rand, roles ...role) *eni {
	n := 0
	for _, r := range roles {
		n += len(v.byRole[r])
	}
	if n == 0 {
		return nil
	}
	i := rng.IntN(n)
	for _, r := range roles {
		if i < len(v.byRole[r]) {
			return v.byRole[r][i]
		}
		i -= len(v.byRole[r])
	}
	return nil
}

// host looks an ENI up by its IPv4 address.
func (v *vpc) host(ip string) *eni {
	a := netip.MustParseAddr(ip)
	for _, e := range v.enis {
		if e.ip4 == a {
			return e
		}
	}
	return nil
}

// idgen draws AWS-looking resource IDs.
type idgen struct{ rng *rand.Rand }

func (g idgen) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[g.rng.IntN(16)]
	}
	return string(b)
}

func (g idgen) id(prefix string) string { return prefix + "-" + g.hex(17) }

// subnetSpec declares hosts of one role in one subnet.
type subnetSpec struct {
	az     string
	cidr   string // /24; hosts get .first .. .first+count-1
	first  int
	count  int
	role   role
	public bool
	v6     string // optional /64 for IPv6 addresses
}

func buildVPC(g idgen, account, region string, specs []subnetSpec) *vpc {
	v := &vpc{id: g.id("vpc"), account: account, region: region}
	subnets := map[string]string{}
	for _, s := range specs {
		sub, ok := subnets[s.cidr]
		if !ok {
			sub = g.id("subnet")
			subnets[s.cidr] = sub
		}
		base := netip.MustParsePrefix(s.cidr).Addr().As4()
		for i := range s.count {
			a := base
			a[3] = byte(s.first + i)
			e := &eni{
				id: g.id("eni"), account: account, vpc: v.id, subnet: sub,
				instance: g.id("i"), region: region, az: s.az,
				ip4: netip.AddrFrom4(a), public: s.public, role: s.role,
			}
			if s.role == roleNAT {
				e.instance = "-" // requester-managed ENI
			}
			if s.v6 != "" {
				p := netip.MustParsePrefix(s.v6).Addr().As16()
				for j := 8; j < 16; j++ {
					p[j] = byte(g.rng.IntN(256))
				}
				e.ip6 = netip.AddrFrom16(p)
			}
			v.enis = append(v.enis, e)
			v.byRole[s.role] = append(v.byRole[s.role], e)
		}
	}
	if len(v.byRole[roleNAT]) > 0 {
		v.nat = v.byRole[roleNAT][0]
	}
	return v
}

func prefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

func rangesFor(region string) awsRanges {
	switch region {
	case "eu-west-1":
		return awsRanges{
			s3: prefixes("52.218.0.0/17", "3.5.64.0/21"), dynamodb: prefixes("52.94.24.0/23"),
			amazon: prefixes("52.95.244.0/24", "52.46.240.0/22"), ec2: prefixes("34.240.0.0/13"),
		}
	case "us-west-2":
		return awsRanges{
			s3: prefixes("52.218.128.0/17", "3.5.76.0/22"), dynamodb: prefixes("52.94.10.0/24"),
			amazon: prefixes("52.94.208.0/21"), ec2: prefixes("34.208.0.0/12"),
		}
	}
	return awsRanges{
		s3: prefixes("52.216.0.0/15", "3.5.0.0/19"), dynamodb: prefixes("3.218.180.0/22", "52.94.0.0/22"),
		amazon: prefixes("52.46.128.0/19", "54.239.8.0/21"), ec2: prefixes("3.80.0.0/12"),
	}
}

// Topology of the four VPCs. Host addresses named in the planted scenarios
// (10.0.1.15, 10.0.1.20, 10.0.2.31, 10.0.33.64, 10.50.12.7) exist here.
func prodUSE1(g idgen) *vpc {
	v := buildVPC(g, AccountProd, "us-east-1", []subnetSpec{
		{az: "use1-az1", cidr: "10.0.1.0/24", first: 10, count: 5, role: roleWeb, public: true, v6: "2600:1f18:6b3:a401::/64"},
		{az: "use1-az1", cidr: "10.0.1.0/24", first: 15, count: 1, role: roleBastion, public: true},
		{az: "use1-az1", cidr: "10.0.1.0/24", first: 16, count: 4, role: roleWeb, public: true, v6: "2600:1f18:6b3:a401::/64"},
		{az: "use1-az1", cidr: "10.0.1.0/24", first: 20, count: 1, role: roleBastion, public: true},
		{az: "use1-az1", cidr: "10.0.1.0/24", first: 21, count: 5, role: roleWeb, public: true, v6: "2600:1f18:6b3:a401::/64"},
		{az: "use1-az2", cidr: "10.0.2.0/24", first: 11, count: 30, role: roleApp, public: true},
		{az: "use1-az4", cidr: "10.0.3.0/24", first: 10, count: 3, role: roleDB},
		{az: "use1-az6", cidr: "10.0.33.0/24", first: 64, count: 8, role: roleBatch, public: true},
		{az: "use1-az1", cidr: "10.0.4.0/24", first: 10, count: 1, role: roleMon},
		{az: "use1-az1", cidr: "10.0.4.0/24", first: 200, count: 2, role: roleIdle},
	})
	v.appPort, v.dbPort = 8080, 5432
	v.gatewayEndpoint = true
	v.backup = &backupJob{host: v.byRole[roleDB][0], hour: 2}
	v.diurnalAmp, v.weekend = 450, 800
	v.mix = mixOf(map[kind]float64{
		kInboundWeb: 26, kInboundWeb6: 2, kWebToApp: 9, kAppToDB: 9, kAWS: 9, kOutbound: 5,
		kNTP: 2.5, kICMP: 1.5, kScan: 8, kAdminSSH: 1.5, kTGWOut: 3, kNoData: 0.6, kSkipData: 0.06,
	})
	return v
}

func prodEUW1(g idgen) *vpc {
	v := buildVPC(g, AccountProd, "eu-west-1", []subnetSpec{
		{az: "euw1-az1", cidr: "10.20.0.0/24", first: 37, count: 1, role: roleNAT, public: true},
		{az: "euw1-az1", cidr: "10.20.1.0/24", first: 10, count: 12, role: roleWeb, public: true, v6: "2a05:d018:1a2:8c00::/64"},
		{az: "euw1-az2", cidr: "10.20.2.0/24", first: 10, count: 20, role: roleApp},
		{az: "euw1-az3", cidr: "10.20.3.0/24", first: 10, count: 2, role: roleDB},
		{az: "euw1-az2", cidr: "10.20.4.0/24", first: 10, count: 1, role: roleMon},
		{az: "euw1-az2", cidr: "10.20.4.0/24", first: 200, count: 1, role: roleIdle},
	})
	v.appPort, v.dbPort = 8443, 5432
	v.gatewayEndpoint = true
	v.diurnalAmp, v.weekend = 500, 750
	v.mix = mixOf(map[kind]float64{
		kInboundWeb: 24, kInboundWeb6: 3, kWebToApp: 9, kAppToDB: 8, kAWS: 8, kOutbound: 6,
		kNTP: 2, kICMP: 1.5, kScan: 7, kNoData: 0.6, kSkipData: 0.05,
	})
	return v
}

func devUSW2(g idgen) *vpc {
	v := buildVPC(g, AccountDev, "us-west-2", []subnetSpec{
		{az: "usw2-az1", cidr: "10.50.12.0/24", first: 5, count: 20, role: roleDev, public: true},
		{az: "usw2-az2", cidr: "10.50.14.0/24", first: 10, count: 8, role: roleApp, public: true},
		{az: "usw2-az3", cidr: "10.50.13.0/24", first: 10, count: 1, role: roleDB},
		{az: "usw2-az3", cidr: "10.50.13.0/24", first: 200, count: 2, role: roleIdle},
	})
	v.appPort, v.dbPort = 8080, 3306
	v.diurnalAmp, v.weekend = 700, 300
	v.mix = mixOf(map[kind]float64{
		kAppToDB: 10, kAWS: 10, kOutbound: 25, kNTP: 3, kDNS: 5, kICMP: 0.5, kScan: 8,
		kNoData: 1, kSkipData: 0.05,
	})
	return v
}

func sharedUSE1(g idgen, prod *vpc) *vpc {
	v := buildVPC(g, AccountShared, "us-east-1", []subnetSpec{
		{az: "use1-az1", cidr: "10.80.1.0/24", first: 10, count: 2, role: roleDB},
		{az: "use1-az2", cidr: "10.80.2.0/24", first: 10, count: 4, role: roleCollector},
		{az: "use1-az4", cidr: "10.80.3.0/24", first: 10, count: 1, role: roleMon},
		{az: "use1-az4", cidr: "10.80.3.0/24", first: 200, count: 1, role: roleIdle},
	})
	v.appPort, v.dbPort = 6514, 636
	v.gatewayEndpoint = true
	v.backup = &backupJob{host: v.byRole[roleCollector][0], hour: 3}
	v.diurnalAmp, v.weekend = 300, 850
	v.mix = mixOf(map[kind]float64{
		kAppToDB: 8, kAWS: 10, kTGWIn: 30, kICMP: 3, kNoData: 0.8, kSkipData: 0.05,
	})
	for _, r := range []role{roleWeb, roleApp} {
		for _, e := range prod.byRole[r] {
			v.peers = append(v.peers, e.ip4)
		}
	}
	for _, e := range v.byRole[roleCollector] {
		prod.remotes = append(prod.remotes, e.ip4)
	}
	return v
}

func mixOf(m map[kind]float64) [numKinds]float64 {
	var out [numKinds]float64
	for k := range numKinds {
		out[k] = m[k] // indexed reads only: map order never matters
	}
	return out
}
