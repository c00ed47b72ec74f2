package enrich

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"

	"github.com/flowdig/flowdig/internal/ipset"
)

//go:embed data/aws-ip-ranges.json
var builtinRanges []byte

// Builtin is the URI recorded for the ip-ranges copy embedded in flowdig.
const Builtin = "builtin"

// AWSRange is one entry of AWS's ip-ranges.json.
type AWSRange struct {
	Prefix             netip.Prefix
	Service            string
	Region             string
	NetworkBorderGroup string
}

// Ranges is a parsed ip-ranges.json.
type Ranges struct {
	CreateDate string // as AWS writes it: 2026-08-22-15-17-05
	SyncToken  string
	SHA256     string
	URI        string // Builtin or the file as given
	Entries    []AWSRange
	ix         *ipset.Index[int32] // -> Entries
}

type rangesJSON struct {
	SyncToken  string `json:"syncToken"`
	CreateDate string `json:"createDate"`
	Prefixes   []struct {
		IPPrefix           string `json:"ip_prefix"`
		Region             string `json:"region"`
		Service            string `json:"service"`
		NetworkBorderGroup string `json:"network_border_group"`
	} `json:"prefixes"`
	IPv6Prefixes []struct {
		IPv6Prefix         string `json:"ipv6_prefix"`
		Region             string `json:"region"`
		Service            string `json:"service"`
		NetworkBorderGroup string `json:"network_border_group"`
	} `json:"ipv6_prefixes"`
}

// BuiltinRanges parses the ip-ranges.json shipped in the binary.
func BuiltinRanges() (*Ranges, error) { return ParseRanges(builtinRanges, Builtin) }

// ParseRanges parses AWS's ip-ranges.json. A file with no createDate or no valid prefix is not
// accepted: replacing the case's ranges with it would silently drop AWS tagging.
func ParseRanges(data []byte, uri string) (*Ranges, error) {
	var j rangesJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("aws ip-ranges %s: not an ip-ranges.json file: %w", uri, err)
	}
	if j.CreateDate == "" {
		return nil, fmt.Errorf("aws ip-ranges %s: no createDate: not an ip-ranges.json file", uri)
	}
	sum := sha256.Sum256(data)
	r := &Ranges{CreateDate: j.CreateDate, SyncToken: j.SyncToken, SHA256: hex.EncodeToString(sum[:]), URI: uri}
	var bad []string
	add := func(p, service, region, nbg string) {
		pfx, err := netip.ParsePrefix(strings.TrimSpace(p))
		if err != nil || service == "" {
			bad = append(bad, p)
			return
		}
		r.Entries = append(r.Entries, AWSRange{Prefix: ipset.Canonical(pfx), Service: service, Region: region, NetworkBorderGroup: nbg})
	}
	for _, p := range j.Prefixes {
		add(p.IPPrefix, p.Service, p.Region, p.NetworkBorderGroup)
	}
	for _, p := range j.IPv6Prefixes {
		add(p.IPv6Prefix, p.Service, p.Region, p.NetworkBorderGroup)
	}
	if len(r.Entries) == 0 {
		return nil, fmt.Errorf("aws ip-ranges %s: no valid prefixes", uri)
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("aws ip-ranges %s: %d invalid entries, e.g. %q", uri, len(bad), bad[0])
	}
	r.index()
	return r, nil
}

func (r *Ranges) index() {
	var b ipset.Builder[int32]
	for i, e := range r.Entries {
		b.Add(e.Prefix, int32(i))
	}
	r.ix = b.Build()
}

// serviceRank orders services from generic to specific: AMAZON covers every AWS address and EC2
// covers most; a prefix that is also listed for S3, DYNAMODB, CLOUDFRONT… is tagged with that.
func serviceRank(s string) int {
	switch s {
	case "AMAZON":
		return 0
	case "EC2":
		return 1
	}
	return 2
}

// Lookup returns the AWS range that best describes a: among the prefixes containing it, the
// most specific service (S3 before EC2 before AMAZON), then the longest prefix, then the
// service name.
func (r *Ranges) Lookup(a netip.Addr) (AWSRange, bool) {
	if r == nil || r.ix == nil {
		return AWSRange{}, false
	}
	best, found := AWSRange{}, false
	r.ix.Lookup(a, func(p netip.Prefix, ids []int32) bool {
		for _, id := range ids {
			e := r.Entries[id]
			if !found || better(e, best) {
				best, found = e, true
			}
		}
		return true
	})
	return best, found
}

func better(a, b AWSRange) bool {
	if ra, rb := serviceRank(a.Service), serviceRank(b.Service); ra != rb {
		return ra > rb
	}
	if a.Prefix.Bits() != b.Prefix.Bits() {
		return a.Prefix.Bits() > b.Prefix.Bits()
	}
	return a.Service < b.Service
}
