package enrich

import (
	"net/netip"

	"github.com/flowdig/flowdig/internal/ipset"
)

// Address classes.
const (
	Private = "private" // RFC 1918, CGNAT shared space, IPv6 unique local: inside some network
	Public  = "public"  // globally routed unicast
	Special = "special" // loopback, link-local, multicast, documentation, reserved, …
	Invalid = "invalid" // not an IP address
)

// rangeClass is one private or special-purpose range (IANA's special-purpose registries).
type rangeClass struct {
	class, name string
}

var specialRanges = []struct {
	prefix string
	rangeClass
}{
	{"0.0.0.0/8", rangeClass{Special, "this network (RFC 791)"}},
	{"10.0.0.0/8", rangeClass{Private, "RFC 1918"}},
	{"100.64.0.0/10", rangeClass{Private, "CGNAT (RFC 6598)"}},
	{"127.0.0.0/8", rangeClass{Special, "loopback"}},
	{"169.254.0.0/16", rangeClass{Special, "link-local (RFC 3927)"}},
	{"172.16.0.0/12", rangeClass{Private, "RFC 1918"}},
	{"192.0.0.0/24", rangeClass{Special, "IETF protocol assignments (RFC 6890)"}},
	{"192.0.2.0/24", rangeClass{Special, "documentation (RFC 5737)"}},
	{"192.88.99.0/24", rangeClass{Special, "6to4 relay anycast (RFC 7526)"}},
	{"192.168.0.0/16", rangeClass{Private, "RFC 1918"}},
	{"198.18.0.0/15", rangeClass{Special, "benchmarking (RFC 2544)"}},
	{"198.51.100.0/24", rangeClass{Special, "documentation (RFC 5737)"}},
	{"203.0.113.0/24", rangeClass{Special, "documentation (RFC 5737)"}},
	{"224.0.0.0/4", rangeClass{Special, "multicast"}},
	{"240.0.0.0/4", rangeClass{Special, "reserved (RFC 1112)"}},
	{"255.255.255.255/32", rangeClass{Special, "limited broadcast"}},

	{"::/128", rangeClass{Special, "unspecified"}},
	{"::1/128", rangeClass{Special, "loopback"}},
	{"64:ff9b::/96", rangeClass{Special, "NAT64 (RFC 6052)"}},
	{"64:ff9b:1::/48", rangeClass{Special, "local-use NAT64 (RFC 8215)"}},
	{"100::/64", rangeClass{Special, "discard-only (RFC 6666)"}},
	{"2001::/23", rangeClass{Special, "IETF protocol assignments (RFC 2928)"}},
	{"2001:db8::/32", rangeClass{Special, "documentation (RFC 3849)"}},
	{"2002::/16", rangeClass{Special, "6to4 (RFC 3056)"}},
	{"3fff::/20", rangeClass{Special, "documentation (RFC 9637)"}},
	{"fc00::/7", rangeClass{Private, "unique local (RFC 4193)"}},
	{"fe80::/10", rangeClass{Special, "link-local"}},
	{"ff00::/8", rangeClass{Special, "multicast"}},
}

var globalUnicast6 = netip.MustParsePrefix("2000::/3")

// Classifier classes addresses as private, public or special.
type Classifier struct {
	ix *ipset.Index[rangeClass]
}

// NewClassifier builds the classifier over IANA's special-purpose ranges.
func NewClassifier() *Classifier {
	var b ipset.Builder[rangeClass]
	for _, r := range specialRanges {
		b.Add(netip.MustParsePrefix(r.prefix), r.rangeClass)
	}
	return &Classifier{ix: b.Build()}
}

// Class returns the class of a and, for private and special addresses, the range's name. An
// IPv4-mapped IPv6 address is classed as the IPv4 address it maps.
func (c *Classifier) Class(a netip.Addr) (class, name string) {
	if !a.IsValid() {
		return Invalid, ""
	}
	if _, v, ok := c.ix.Most(a); ok {
		return v[0].class, v[0].name
	}
	if a = a.Unmap(); a.Is6() && !globalUnicast6.Contains(a) {
		return Special, "reserved (outside 2000::/3)"
	}
	return Public, ""
}
