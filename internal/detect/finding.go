package detect

import (
	"bytes"
	"fmt"
	"math/big"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"time"
)

// Finding is one thing a detector found: an entity whose traffic crossed the detector's
// thresholds in a window (adjacent windows merged), with everything needed to judge it.
type Finding struct {
	ID          string // "F-12": stable across re-runs of the same hunt on the same data
	No          int
	Key         string // what the id is derived from: detector, entity, peer, port, protocol, window start
	Detector    string
	Title       string // the detector's title
	Severity    string // low | medium | high
	Tier        string // which of the detector's conditions fired
	Summary     string // one line
	Entity      string // the address whose behaviour was measured
	EntityKind  string // ip
	Peer        string // the other side, when there is one (address or network)
	Port        *int64
	Protocol    *int64
	Interfaces  []string // the ENIs (or TGW attachments) that logged the records
	Instances   []string // their instances, when the flow logs record instance-id
	WindowStart time.Time
	WindowEnd   time.Time
	FirstSeen   time.Time
	LastSeen    time.Time
	Thresholds  map[string]any // the rules the detector used
	Measured    map[string]any // what it measured
	Explanation string         // one paragraph
	EvidenceSQL string         // lists the flow records behind the finding
	// EvidenceParams are the evidence query's named parameters: $name in EvidenceSQL; a list
	// named n is bound as n_1, n_2, …
	EvidenceParams map[string]any
}

// severityRank orders severities for sorting and merging.
func severityRank(s string) int {
	switch s {
	case "high":
		return 3
	case "medium":
		return 2
	case "low":
		return 1
	}
	return 0
}

// row is one result row of a detection query, normalised.
type row map[string]any

// standard result columns; every other column is a measured value.
var standard = map[string]bool{
	"entity_id": true, "entity": true, "peer_id": true, "peer": true, "port": true, "protocol": true,
	"w_start": true, "w_end": true, "first_seen": true, "last_seen": true, "severity": true, "tier": true, "enis": true,
}

// norm turns driver values into plain Go values: integers as int64, *big.Int (HUGEINT sums)
// as int64 when they fit, lists element by element.
func norm(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		return int64(x)
	case *big.Int:
		if x.IsInt64() {
			return x.Int64()
		}
		f, _ := new(big.Float).SetInt(x).Float64()
		return f
	case float32:
		return float64(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = norm(e)
		}
		return out
	}
	return v
}

func asInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case float64:
		return int64(x), true
	}
	return 0, false
}

// mergeRows joins a detector's rows that share entity, peer, port, protocol and key columns
// and whose windows touch or overlap: a port scan spanning two windows is one finding.
// Measured values named in sum are added up, the others keep their maximum (lists are joined).
func mergeRows(d *Detector, rows []row) []row {
	keyOf := func(r row) string {
		var b strings.Builder
		for _, k := range append([]string{"entity_id", "entity", "peer_id", "peer", "port", "protocol"}, d.Key...) {
			fmt.Fprintf(&b, "%v|", r[k])
		}
		return b.String()
	}
	sort.SliceStable(rows, func(i, j int) bool {
		ki, kj := keyOf(rows[i]), keyOf(rows[j])
		if ki != kj {
			return ki < kj
		}
		a, _ := asInt(rows[i]["w_start"])
		b, _ := asInt(rows[j]["w_start"])
		return a < b
	})
	sum := map[string]bool{}
	for _, s := range d.Sum {
		sum[s] = true
	}
	var out []row
	for _, r := range rows {
		if n := len(out); n > 0 && keyOf(out[n-1]) == keyOf(r) {
			cur := out[n-1]
			end, _ := asInt(cur["w_end"])
			start, _ := asInt(r["w_start"])
			if start <= end {
				mergeInto(cur, r, sum)
				continue
			}
		}
		out = append(out, r)
	}
	return out
}

func mergeInto(cur, r row, sum map[string]bool) {
	for k, v := range r {
		old := cur[k]
		switch {
		case k == "w_start" || k == "first_seen":
			if a, ok := asInt(v); ok {
				if b, ok := asInt(old); !ok || a < b {
					cur[k] = a
				}
			}
		case k == "w_end" || k == "last_seen":
			if a, ok := asInt(v); ok {
				if b, ok := asInt(old); !ok || a > b {
					cur[k] = a
				}
			}
		case k == "severity" || k == "tier":
			if k == "severity" && severityRank(v.(string)) > severityRank(old.(string)) {
				cur["severity"], cur["tier"] = v, r["tier"]
			}
		case sum[k]:
			a, _ := asInt(v)
			b, _ := asInt(old)
			cur[k] = a + b
		default:
			switch x := v.(type) {
			case []any:
				cur[k] = unionList(old, x)
			case int64:
				if b, ok := old.(int64); !ok || x > b {
					cur[k] = x
				}
			case float64:
				if b, ok := old.(float64); !ok || x > b {
					cur[k] = x
				}
			}
		}
	}
}

func unionList(old any, add []any) []any {
	prev, _ := old.([]any)
	seen := map[string]bool{}
	var out []any
	for _, e := range append(append([]any{}, prev...), add...) {
		k := fmt.Sprint(e)
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

// templateFuncs format values in explanations.
var templateFuncs = template.FuncMap{
	"time": func(v any) string {
		n, ok := asInt(v)
		if !ok {
			return fmt.Sprint(v)
		}
		return time.Unix(n, 0).UTC().Format("2006-01-02 15:04:05Z")
	},
	"dur": func(v any) string {
		n, _ := asInt(v)
		return (time.Duration(n) * time.Second).String()
	},
	"bytes": func(v any) string { n, _ := asInt(v); return humanBytes(n) },
	"pct": func(v any) string {
		switch x := v.(type) {
		case float64:
			return strconv.FormatFloat(x*100, 'f', -1, 64) + "%"
		}
		return fmt.Sprint(v)
	},
	"proto": protoName,
	"addrs": func(v any) string {
		var parts []string
		switch x := v.(type) {
		case []string:
			parts = x
		case []any:
			for _, e := range x {
				parts = append(parts, fmt.Sprint(e))
			}
		}
		if len(parts) > 5 {
			return strings.Join(parts[:5], ", ") + fmt.Sprintf(" and %d more", len(parts)-5)
		}
		return strings.Join(parts, ", ")
	},
}

func humanBytes(n int64) string {
	switch {
	case n >= 1e9:
		return strconv.FormatFloat(float64(n)/1e9, 'f', 2, 64) + " GB"
	case n >= 1e6:
		return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB"
	case n >= 1e3:
		return strconv.FormatFloat(float64(n)/1e3, 'f', 1, 64) + " kB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

func protoName(v any) string {
	n, ok := asInt(v)
	if !ok {
		return fmt.Sprint(v)
	}
	switch n {
	case 1:
		return "ICMP"
	case 6:
		return "TCP"
	case 17:
		return "UDP"
	case 47:
		return "GRE (47)"
	case 50:
		return "ESP (50)"
	case 58:
		return "ICMPv6"
	}
	return "protocol " + strconv.FormatInt(n, 10)
}

// explain renders the detector's paragraph for one finding.
func (d *Detector) explainFinding(data map[string]any) (string, error) {
	var b bytes.Buffer
	if err := d.explain.Execute(&b, data); err != nil {
		return "", fmt.Errorf("detect: %s: explanation: %w", d.ID, err)
	}
	return strings.Join(strings.Fields(b.String()), " "), nil
}

// summary is the one-line description of a finding: who, to whom, the headline value, the tier.
func summary(f *Finding, headline string) string {
	var b strings.Builder
	b.WriteString(f.Entity)
	if f.Peer != "" {
		b.WriteString(" → " + f.Peer)
	}
	if f.Port != nil {
		fmt.Fprintf(&b, ":%d", *f.Port)
	}
	if f.Protocol != nil && *f.Protocol != 6 {
		b.WriteString("/" + protoName(*f.Protocol))
	}
	if v, ok := f.Measured[headline]; ok {
		n, _ := asInt(v)
		val := strconv.FormatInt(n, 10)
		if strings.Contains(headline, "bytes") {
			val = humanBytes(n)
		}
		fmt.Fprintf(&b, "; %s %s", strings.ReplaceAll(headline, "_", " "), val)
	}
	if f.Tier != "" {
		b.WriteString(" (" + f.Tier + ")")
	}
	return b.String()
}

// entityKind names what an entity string is.
func entityKind(s string) string {
	if _, err := netip.ParseAddr(s); err == nil {
		return "ip"
	}
	if strings.HasPrefix(s, "eni-") {
		return "eni"
	}
	if strings.HasPrefix(s, "i-") {
		return "instance"
	}
	return "other"
}
