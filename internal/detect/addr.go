package detect

import (
	"context"
	"database/sql"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/flowdig/flowdig/internal/enrich"
	"github.com/flowdig/flowdig/internal/ipset"
	"github.com/flowdig/flowdig/internal/store"
)

// The allow-list bits of hunt_addr.allow, bound in the SQL as $allow_<name>.
const (
	allowScanners = 1 << iota
	allowAdminSources
	allowBackup
	allowTrusted
	allowIgnore
)

var allowBits = map[string]int64{
	"allow_scanners": allowScanners, "allow_admin_sources": allowAdminSources, "allow_backup": allowBackup,
	"allow_trusted": allowTrusted, "allow_ignore": allowIgnore,
}

// addrTable is the hunt's view of every address in the case: hunt_addr in the database, and
// the id → text mapping in Go to name the entities of findings.
type addrTable struct {
	addrs []string // addrs[id-1]
	nets  []string // the new-talker network of each address ("" if not external)
}

func (t *addrTable) name(id int64) string {
	if id < 1 || int(id) > len(t.addrs) {
		return ""
	}
	return t.addrs[id-1]
}

// loadAddresses describes every address of address_info for this hunt, in Go: whether it is
// internal (private, or in networks.internal), external (neither internal nor link-scoped), an
// AWS endpoint to ignore, which allow-lists contain it, and its network for novelty; then loads
// that as the temporary table hunt_addr on conn. Work is per distinct address, never per record.
func loadAddresses(ctx context.Context, conn *sql.Conn, r Rules) (*addrTable, error) {
	internal := index(r.Networks.Internal, 1)
	var ab ipset.Builder[int32]
	for _, l := range []struct {
		list []CIDR
		bit  int32
	}{{r.Allow.Scanners, allowScanners}, {r.Allow.AdminSources, allowAdminSources},
		{r.Allow.BackupDestinations, allowBackup}, {r.Allow.TrustedDestinations, allowTrusted}, {r.Allow.Ignore, allowIgnore}} {
		for _, c := range l.list {
			ab.Add(c.Prefix(), l.bit)
		}
	}
	allow := ab.Build()
	cls := enrich.NewClassifier()
	nt := r.Detectors.NewTalker

	schema := arrow.NewSchema([]arrow.Field{
		{Name: "addr", Type: arrow.BinaryTypes.String},
		{Name: "id", Type: arrow.PrimitiveTypes.Int32},
		{Name: "internal", Type: arrow.FixedWidthTypes.Boolean},
		{Name: "external", Type: arrow.FixedWidthTypes.Boolean},
		{Name: "aws", Type: arrow.FixedWidthTypes.Boolean},
		{Name: "allow", Type: arrow.PrimitiveTypes.Int32},
		{Name: "net", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	t := &addrTable{}
	var batches []arrow.RecordBatch
	err := store.QueryArrow(ctx, conn, `SELECT addr, aws_service FROM address_info ORDER BY addr`, func(rec arrow.RecordBatch) error {
		for i := 0; i < int(rec.NumRows()); i++ {
			s, _ := store.StringAt(rec.Column(0), i)
			s = strings.Clone(s)
			svc, _ := store.StringAt(rec.Column(1), i)
			t.addrs = append(t.addrs, s)
			a, perr := netip.ParseAddr(s)
			valid := perr == nil && a.Zone() == ""
			var isInt, isExt, isAWS bool
			var bits int32
			net := ""
			if valid {
				a = a.Unmap()
				class, _ := cls.Class(a)
				isInt = class == enrich.Private || internal.has(a)
				isExt = !isInt && !localScope(a)
				isAWS = svc != "" && r.Networks.AWSServices.Ignore && !slices.Contains(r.Networks.AWSServices.Except, svc)
				allow.Lookup(a, func(_ netip.Prefix, vals []int32) bool {
					for _, v := range vals {
						bits |= v
					}
					return true
				})
				if isExt {
					bitsLen := int(nt.PrefixV4)
					if a.Is6() {
						bitsLen = int(nt.PrefixV6)
					}
					p, _ := a.Prefix(bitsLen)
					net = p.String()
				}
			}
			t.nets = append(t.nets, net)
			b.Field(0).(*array.StringBuilder).Append(s)
			b.Field(1).(*array.Int32Builder).Append(int32(len(t.addrs)))
			b.Field(2).(*array.BooleanBuilder).Append(isInt)
			b.Field(3).(*array.BooleanBuilder).Append(isExt)
			b.Field(4).(*array.BooleanBuilder).Append(isAWS)
			b.Field(5).(*array.Int32Builder).Append(bits)
			if net == "" {
				b.Field(6).(*array.StringBuilder).AppendNull()
			} else {
				b.Field(6).(*array.StringBuilder).Append(net)
			}
		}
		batches = append(batches, b.NewRecordBatch())
		return nil
	})
	if err != nil {
		for _, x := range batches {
			x.Release()
		}
		return nil, fmt.Errorf("hunt: read addresses: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE hunt_addr (addr VARCHAR, id INTEGER, internal BOOLEAN,
		external BOOLEAN, aws BOOLEAN, allow INTEGER, net VARCHAR)`); err != nil {
		return nil, fmt.Errorf("hunt: create hunt_addr: %w", err)
	}
	if err := store.InsertArrow(ctx, conn, "hunt_addr", batches...); err != nil {
		return nil, fmt.Errorf("hunt: %w", err)
	}
	return t, nil
}

// localScope reports addresses that never come from or go to the internet.
func localScope(a netip.Addr) bool {
	if a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsMulticast() || a.IsUnspecified() {
		return true
	}
	if a.Is4() {
		b := a.As4()
		return b[0] == 0 || a == netip.AddrFrom4([4]byte{255, 255, 255, 255})
	}
	return false
}

type prefixIndex struct{ ix *ipset.Index[int32] }

func index(list []CIDR, v int32) prefixIndex {
	var b ipset.Builder[int32]
	for _, c := range list {
		b.Add(c.Prefix(), v)
	}
	return prefixIndex{b.Build()}
}

func (p prefixIndex) has(a netip.Addr) bool {
	_, _, ok := p.ix.Most(a)
	return ok
}
