package enrich

import (
	"net/netip"
	"testing"
)

func TestClassify(t *testing.T) {
	c := NewClassifier()
	for _, tc := range []struct{ addr, class, name string }{
		{"10.0.0.1", Private, "RFC 1918"},
		{"172.16.0.1", Private, "RFC 1918"},
		{"172.31.255.255", Private, "RFC 1918"},
		{"172.32.0.1", Public, ""},
		{"192.168.10.10", Private, "RFC 1918"},
		{"100.64.0.1", Private, "CGNAT (RFC 6598)"},
		{"100.127.255.254", Private, "CGNAT (RFC 6598)"},
		{"100.128.0.1", Public, ""},
		{"169.254.169.254", Special, "link-local (RFC 3927)"},
		{"127.0.0.1", Special, "loopback"},
		{"0.0.0.0", Special, "this network (RFC 791)"},
		{"224.0.0.251", Special, "multicast"},
		{"239.255.255.250", Special, "multicast"},
		{"192.0.2.1", Special, "documentation (RFC 5737)"},
		{"198.51.100.7", Special, "documentation (RFC 5737)"},
		{"203.0.113.200", Special, "documentation (RFC 5737)"},
		{"198.18.0.1", Special, "benchmarking (RFC 2544)"},
		{"240.0.0.1", Special, "reserved (RFC 1112)"},
		{"255.255.255.255", Special, "limited broadcast"},
		{"8.8.8.8", Public, ""},
		{"52.216.8.1", Public, ""},
		{"::", Special, "unspecified"},
		{"::1", Special, "loopback"},
		{"fe80::1", Special, "link-local"},
		{"ff02::1", Special, "multicast"},
		{"fd00:ec2::254", Private, "unique local (RFC 4193)"},
		{"2001:db8::1", Special, "documentation (RFC 3849)"},
		{"3fff::1", Special, "documentation (RFC 9637)"},
		{"64:ff9b::808:808", Special, "NAT64 (RFC 6052)"},
		{"2600:1f18::10", Public, ""},
		{"4000::1", Special, "reserved (outside 2000::/3)"},
		{"::ffff:10.1.2.3", Private, "RFC 1918"},
		{"::ffff:8.8.8.8", Public, ""},
	} {
		class, name := c.Class(netip.MustParseAddr(tc.addr))
		if class != tc.class || name != tc.name {
			t.Errorf("%s: %s %q, want %s %q", tc.addr, class, name, tc.class, tc.name)
		}
	}
	if class, _ := c.Class(netip.Addr{}); class != Invalid {
		t.Errorf("zero address: %s", class)
	}
}

func TestBuiltinRanges(t *testing.T) {
	r, err := BuiltinRanges()
	if err != nil {
		t.Fatal(err)
	}
	if r.CreateDate != "2026-08-22-15-17-05" || len(r.Entries) != 10668+6160 || r.URI != Builtin {
		t.Fatalf("builtin ranges: %s, %d entries, %s", r.CreateDate, len(r.Entries), r.URI)
	}
	for _, tc := range []struct{ addr, service, region, prefix string }{
		// 3.5.0.0/19 is listed for AMAZON, S3 and EC2: the specific service wins.
		{"3.5.0.10", "S3", "us-east-1", "3.5.0.0/19"},
		{"52.216.8.1", "S3", "us-east-1", "52.216.0.0/15"},
		{"2600:1f18::10", "EC2", "us-east-1", "2600:1f18::/33"},
		{"::ffff:52.216.8.1", "S3", "us-east-1", "52.216.0.0/15"},
	} {
		got, ok := r.Lookup(netip.MustParseAddr(tc.addr))
		if !ok || got.Service != tc.service || got.Region != tc.region || got.Prefix.String() != tc.prefix {
			t.Errorf("%s: %+v %v, want %s %s %s", tc.addr, got, ok, tc.service, tc.region, tc.prefix)
		}
	}
	for _, a := range []string{"8.8.8.8", "10.0.0.1", "2001:db8::1"} {
		if got, ok := r.Lookup(netip.MustParseAddr(a)); ok {
			t.Errorf("%s: tagged %+v", a, got)
		}
	}
}

func TestParseRanges(t *testing.T) {
	r, err := ParseRanges([]byte(`{"syncToken":"1","createDate":"2030-01-01-00-00-00",
		"prefixes":[{"ip_prefix":"192.0.2.0/24","region":"eu-west-1","service":"AMAZON","network_border_group":"eu-west-1"},
		            {"ip_prefix":"192.0.2.128/25","region":"eu-west-1","service":"EC2","network_border_group":"eu-west-1"},
		            {"ip_prefix":"192.0.2.0/24","region":"eu-west-1","service":"S3","network_border_group":"eu-west-1"}],
		"ipv6_prefixes":[{"ipv6_prefix":"2001:db8::/32","region":"GLOBAL","service":"CLOUDFRONT","network_border_group":"GLOBAL"}]}`), "test.json")
	if err != nil {
		t.Fatal(err)
	}
	// The specific service on the /24 beats EC2 on the longer /25.
	if got, _ := r.Lookup(netip.MustParseAddr("192.0.2.200")); got.Service != "S3" || got.Prefix.Bits() != 24 {
		t.Errorf("192.0.2.200: %+v", got)
	}
	if got, _ := r.Lookup(netip.MustParseAddr("2001:db8::1")); got.Service != "CLOUDFRONT" || got.Region != "GLOBAL" {
		t.Errorf("2001:db8::1: %+v", got)
	}
	for _, bad := range []string{
		`not json`,
		`{"prefixes":[{"ip_prefix":"192.0.2.0/24","service":"S3"}]}`,
		`{"createDate":"x","prefixes":[]}`,
		`{"createDate":"x","prefixes":[{"ip_prefix":"192.0.2.0/33","service":"S3"}]}`,
	} {
		if _, err := ParseRanges([]byte(bad), "bad.json"); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}
