// Package ipset answers "which of these prefixes contain this address?" for many addresses and
// many prefixes (threat lists, AWS ip-ranges, special-purpose ranges) without looping over the
// prefixes.
//
// CIDR prefixes are laminar: two prefixes are either disjoint or one contains the other. Sorted by
// first address (and, for equal first addresses, shortest prefix first), the prefixes containing
// an address are exactly the ancestors-or-self of the last prefix that starts at or before it, so
// a lookup is one binary search plus a walk up a parent chain of at most 33 (IPv4) or 129 (IPv6)
// links. Building costs one sort.
package ipset

import (
	"encoding/binary"
	"net/netip"
	"sort"
)

// u128 is an IPv6 address (or an IPv4 address in the low 32 bits) as a number.
type u128 struct{ hi, lo uint64 }

func (a u128) less(b u128) bool { return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo) }

func fromAddr(a netip.Addr) u128 {
	if a.Is4() {
		b := a.As4()
		return u128{lo: uint64(binary.BigEndian.Uint32(b[:]))}
	}
	b := a.As16()
	return u128{hi: binary.BigEndian.Uint64(b[:8]), lo: binary.BigEndian.Uint64(b[8:])}
}

// last returns the highest address of the prefix starting at lo with the given length in a
// family of width bits (32 or 128).
func last(lo u128, bits, width int) u128 {
	host := width - bits // host bits set to one
	switch {
	case host <= 0:
		return lo
	case host >= 128:
		return u128{^uint64(0), ^uint64(0)}
	case host >= 64:
		return u128{hi: lo.hi | (^uint64(0) >> (128 - host)), lo: ^uint64(0)}
	default:
		return u128{hi: lo.hi, lo: lo.lo | (^uint64(0) >> (64 - host))}
	}
}

// Builder collects prefixes and their values. The zero value is ready to use.
type Builder[V any] struct {
	entries []entry[V]
}

type entry[V any] struct {
	p netip.Prefix
	v V
}

// Add records v for prefix p. The prefix is masked (host bits cleared); an IPv4-mapped IPv6
// prefix (::ffff:a.b.c.d/n, n >= 96) is stored as the IPv4 prefix it maps. Invalid prefixes are
// ignored.
func (b *Builder[V]) Add(p netip.Prefix, v V) {
	if !p.IsValid() {
		return
	}
	p = Canonical(p)
	b.entries = append(b.entries, entry[V]{p, v})
}

// Len is the number of values added.
func (b *Builder[V]) Len() int { return len(b.entries) }

// Canonical masks p and maps IPv4-mapped IPv6 prefixes of length 96 or more to IPv4.
func Canonical(p netip.Prefix) netip.Prefix {
	a := p.Addr().WithZone("")
	bits := p.Bits()
	if a.Is4In6() && bits >= 96 {
		a, bits = a.Unmap(), bits-96
	}
	return netip.PrefixFrom(a, bits).Masked()
}

// Build returns the index. The builder may be reused afterwards.
func (b *Builder[V]) Build() *Index[V] {
	ix := &Index[V]{}
	var v4, v6 []entry[V]
	for _, e := range b.entries {
		if e.p.Addr().Is4() {
			v4 = append(v4, e)
		} else {
			v6 = append(v6, e)
		}
	}
	ix.v4 = build(v4, 32)
	ix.v6 = build(v6, 128)
	ix.n = len(b.entries)
	return ix
}

// Index is an immutable prefix index, safe for concurrent lookups.
type Index[V any] struct {
	v4, v6 table[V]
	n      int
}

type table[V any] struct {
	los   []u128 // nodes[i].lo, kept apart so the binary search touches little memory
	nodes []node[V]
}

type node[V any] struct {
	lo, hi u128
	parent int32 // index of the smallest prefix containing this one, or -1
	prefix netip.Prefix
	vals   []V // every value added for this exact prefix, in insertion order
}

func build[V any](es []entry[V], width int) table[V] {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i].p, es[j].p
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c < 0
		}
		return a.Bits() < b.Bits()
	})
	t := table[V]{nodes: make([]node[V], 0, len(es))}
	var stack []int32 // open prefixes, outermost first
	for _, e := range es {
		if n := len(t.nodes); n > 0 && t.nodes[n-1].prefix == e.p {
			t.nodes[n-1].vals = append(t.nodes[n-1].vals, e.v)
			continue
		}
		lo := fromAddr(e.p.Addr())
		nd := node[V]{lo: lo, hi: last(lo, e.p.Bits(), width), parent: -1, prefix: e.p, vals: []V{e.v}}
		for len(stack) > 0 && t.nodes[stack[len(stack)-1]].hi.less(lo) {
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 {
			nd.parent = stack[len(stack)-1]
		}
		t.nodes = append(t.nodes, nd)
		t.los = append(t.los, lo)
		stack = append(stack, int32(len(t.nodes)-1))
	}
	return t
}

// Len is the number of values in the index.
func (ix *Index[V]) Len() int { return ix.n }

// Prefixes is the number of distinct prefixes in the index.
func (ix *Index[V]) Prefixes() int { return len(ix.v4.nodes) + len(ix.v6.nodes) }

// Lookup calls fn for each prefix containing a, most specific first, with the values added for
// it, until fn returns false. An IPv4-mapped IPv6 address is looked up as its IPv4 address.
func (ix *Index[V]) Lookup(a netip.Addr, fn func(p netip.Prefix, vals []V) bool) {
	if !a.IsValid() {
		return
	}
	a = a.Unmap()
	t := &ix.v6
	if a.Is4() {
		t = &ix.v4
	}
	x := fromAddr(a)
	// The last node whose first address is <= x.
	lo, hi := 0, len(t.los)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if x.less(t.los[m]) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	i := lo - 1
	for i >= 0 {
		n := &t.nodes[i]
		if !n.hi.less(x) {
			if !fn(n.prefix, n.vals) {
				return
			}
		}
		i = int(n.parent)
	}
}

// Most returns the values of the most specific prefix containing a, and that prefix.
func (ix *Index[V]) Most(a netip.Addr) (netip.Prefix, []V, bool) {
	var (
		p    netip.Prefix
		vals []V
		ok   bool
	)
	ix.Lookup(a, func(q netip.Prefix, v []V) bool {
		p, vals, ok = q, v, true
		return false
	})
	return p, vals, ok
}

// Contains reports whether any prefix contains a.
func (ix *Index[V]) Contains(a netip.Addr) bool {
	_, _, ok := ix.Most(a)
	return ok
}
