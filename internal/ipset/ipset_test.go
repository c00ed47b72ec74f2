package ipset

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
)

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

// all returns the prefixes containing a, as Lookup yields them, with their values.
func all[V any](ix *Index[V], a netip.Addr) (ps []string, vs []V) {
	ix.Lookup(a, func(p netip.Prefix, vals []V) bool {
		ps = append(ps, p.String())
		vs = append(vs, vals...)
		return true
	})
	return ps, vs
}

func TestLookupEdgeCases(t *testing.T) {
	var b Builder[string]
	for _, p := range []string{
		"0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.3/32", "10.1.2.0/24", "10.1.2.0/24",
		"192.0.2.255/32", "255.255.255.255/32", "::/0", "2001:db8::/32", "2001:db8::1/128",
		"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff/128", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
		"10.9.9.9/8", // host bits set: stored as 10.0.0.0/8
	} {
		b.Add(pfx(p), p)
	}
	ix := b.Build()
	cases := []struct {
		addr string
		want []string
	}{
		{"10.1.2.3", []string{"10.1.2.3/32", "10.1.2.0/24", "10.1.0.0/16", "10.0.0.0/8", "0.0.0.0/0"}},
		{"10.1.2.4", []string{"10.1.2.0/24", "10.1.0.0/16", "10.0.0.0/8", "0.0.0.0/0"}},
		{"10.1.3.0", []string{"10.1.0.0/16", "10.0.0.0/8", "0.0.0.0/0"}},
		{"10.2.0.0", []string{"10.0.0.0/8", "0.0.0.0/0"}},
		{"11.0.0.0", []string{"0.0.0.0/0"}},
		{"0.0.0.0", []string{"0.0.0.0/0"}},
		{"192.0.2.255", []string{"192.0.2.255/32", "0.0.0.0/0"}},
		{"192.0.2.254", []string{"0.0.0.0/0"}},
		{"255.255.255.255", []string{"255.255.255.255/32", "0.0.0.0/0"}},
		{"::ffff:10.1.2.3", []string{"10.1.2.3/32", "10.1.2.0/24", "10.1.0.0/16", "10.0.0.0/8", "0.0.0.0/0"}},
		{"2001:db8::1", []string{"2001:db8::1/128", "2001:db8::/32", "::/0"}},
		{"2001:db8::2", []string{"2001:db8::/32", "::/0"}},
		{"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", []string{"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff/128", "2001:db8::/32", "::/0"}},
		{"2001:db9::", []string{"::/0"}},
		{"::", []string{"::/0"}},
		{"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", []string{"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "::/0"}},
	}
	for _, c := range cases {
		got, _ := all(ix, addr(c.addr))
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.addr, got, c.want)
		}
	}
	if _, vals := all(ix, addr("10.1.2.9")); !slices.Equal(vals[:2], []string{"10.1.2.0/24", "10.1.2.0/24"}) {
		t.Errorf("duplicate prefix: values %v, want both", vals)
	}
	if _, vals := all(ix, addr("10.200.0.1")); !slices.Contains(vals, "10.9.9.9/8") {
		t.Errorf("prefix with host bits: values %v", vals)
	}
	if p, _, ok := ix.Most(addr("10.1.2.200")); !ok || p != pfx("10.1.2.0/24") {
		t.Errorf("Most: %v %v", p, ok)
	}
	if ix.Len() != 14 || ix.Prefixes() != 12 {
		t.Errorf("Len %d, Prefixes %d", ix.Len(), ix.Prefixes())
	}
}

func TestEmptyAndInvalid(t *testing.T) {
	var b Builder[int]
	b.Add(netip.Prefix{}, 1)
	ix := b.Build()
	if ix.Contains(addr("1.2.3.4")) || ix.Contains(addr("::1")) || ix.Contains(netip.Addr{}) {
		t.Error("empty index matched")
	}
	b.Add(pfx("1.2.3.0/24"), 1)
	if ix := b.Build(); ix.Contains(netip.Addr{}) || !ix.Contains(addr("1.2.3.4")) {
		t.Error("invalid address handling")
	}
}

// TestAgainstBruteForce compares every lookup with a scan over all prefixes, on random nested
// and overlapping prefixes of every length in both families.
func TestAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	randAddr := func(v6 bool) netip.Addr {
		if v6 {
			var b [16]byte
			// Few distinct high bytes, so prefixes nest and collide often.
			b[0] = byte(0x20 + rng.IntN(2))
			for i := 1; i < 16; i++ {
				b[i] = byte(rng.IntN(4))
			}
			return netip.AddrFrom16(b)
		}
		return netip.AddrFrom4([4]byte{byte(10 + rng.IntN(2)), byte(rng.IntN(4)), byte(rng.IntN(4)), byte(rng.IntN(8))})
	}
	var b Builder[int]
	var ps []netip.Prefix
	for i := range 3000 {
		v6 := i%2 == 1
		width := 32
		if v6 {
			width = 128
		}
		p := netip.PrefixFrom(randAddr(v6), rng.IntN(width+1)).Masked()
		ps = append(ps, p)
		b.Add(p, i)
	}
	ix := b.Build()
	for range 20000 {
		a := randAddr(rng.IntN(2) == 1)
		var want []int
		for i, p := range ps {
			if p.Contains(a) {
				want = append(want, i)
			}
		}
		_, got := all(ix, a)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("%s: got %v, want %v", a, got, want)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	var bl Builder[int32]
	for i := range 100_000 {
		a := netip.AddrFrom4([4]byte{byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256))})
		bits := 32
		if i%10 == 0 {
			bits = 8 + rng.IntN(25)
		}
		bl.Add(netip.PrefixFrom(a, bits), int32(i))
	}
	ix := bl.Build()
	addrs := make([]netip.Addr, 1<<16)
	for i := range addrs {
		addrs[i] = netip.AddrFrom4([4]byte{byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256))})
	}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for i := 0; b.Loop(); i++ {
		ix.Lookup(addrs[i&(len(addrs)-1)], func(netip.Prefix, []int32) bool { n++; return true })
	}
	_ = n
}
