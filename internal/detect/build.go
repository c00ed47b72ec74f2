package detect

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/flowdig/flowdig/internal/catalog"
	"github.com/flowdig/flowdig/internal/store"
)

// finding turns one merged result row into a Finding: names instead of ids, the measured
// values, the explanation and the evidence query with its parameters.
func (h *hunting) finding(d *Detector, rw row, thresholds, vals map[string]any) (*Finding, error) {
	f := &Finding{Detector: d.ID, Title: d.Title, Thresholds: thresholds, Measured: map[string]any{}}
	f.Entity, _ = rw["entity"].(string)
	if id, ok := asInt(rw["entity_id"]); ok {
		f.Entity = h.addrs.name(id)
	}
	f.EntityKind = entityKind(f.Entity)
	f.Peer, _ = rw["peer"].(string)
	if id, ok := asInt(rw["peer_id"]); ok {
		f.Peer = h.addrs.name(id)
	}
	if n, ok := asInt(rw["port"]); ok {
		f.Port = &n
	}
	if n, ok := asInt(rw["protocol"]); ok {
		f.Protocol = &n
	}
	f.Severity, _ = rw["severity"].(string)
	f.Tier, _ = rw["tier"].(string)
	at := func(k string) time.Time { n, _ := asInt(rw[k]); return time.Unix(n, 0).UTC() }
	f.WindowStart, f.WindowEnd, f.FirstSeen, f.LastSeen = at("w_start"), at("w_end"), at("first_seen"), at("last_seen")
	if l, ok := rw["enis"].([]any); ok {
		for _, e := range l {
			if id, ok := asInt(e); ok && h.enis[id] != "" {
				f.Interfaces = append(f.Interfaces, h.enis[id])
			}
		}
		slices.Sort(f.Interfaces)
		for _, e := range f.Interfaces {
			if inst := h.instances[e]; inst != "" && !slices.Contains(f.Instances, inst) {
				f.Instances = append(f.Instances, inst)
			}
		}
	}
	for k, v := range rw {
		if standard[k] {
			continue
		}
		if strings.HasSuffix(k, "_addrs") {
			var names []string
			if l, ok := v.([]any); ok {
				for _, e := range l {
					if id, ok := asInt(e); ok {
						names = append(names, h.addrs.name(id))
					}
				}
			}
			f.Measured[k] = names
			continue
		}
		f.Measured[k] = v
	}

	data := map[string]any{"t": thresholds, "entity": f.Entity, "peer": f.Peer, "tier": f.Tier, "severity": f.Severity,
		"port": rw["port"], "protocol": rw["protocol"], "w_start": rw["w_start"], "w_end": rw["w_end"],
		"first_seen": rw["first_seen"], "last_seen": rw["last_seen"]}
	for k, v := range f.Measured {
		data[k] = v
	}
	var err error
	if f.Explanation, err = d.explainFinding(data); err != nil {
		return nil, err
	}
	f.Summary = summary(f, d.Headline)

	// The evidence query: its placeholders take the finding's values first, then the rules'.
	ev := map[string]any{}
	for k, v := range vals {
		ev[k] = v
	}
	for k, v := range data {
		if k == "t" {
			continue
		}
		ev[k] = evidenceValue(v)
	}
	cols := catalog.RecordColumns(h.have)
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = store.QuoteIdent(c)
	}
	q, err := render(d.evidence, ev, map[string]string{"columns": strings.Join(quoted, ", "), "provenance": "source_id, line_no"})
	if err != nil {
		return nil, fmt.Errorf("hunt: %s: evidence: %w", d.ID, err)
	}
	f.EvidenceSQL, f.EvidenceParams = q.SQL, q.Used

	key := []string{d.ID, f.Entity, f.Peer, ptrString(f.Port), ptrString(f.Protocol)}
	for _, k := range d.Key {
		key = append(key, fmt.Sprint(data[k]))
	}
	f.Key = strings.Join(append(key, strconv.FormatInt(f.WindowStart.Unix(), 10)), "|")
	return f, nil
}

// evidenceValue converts a finding value to a bindable one: lists of text stay text, other
// lists become integers.
func evidenceValue(v any) any {
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		var out []int64
		for _, e := range x {
			if n, ok := asInt(e); ok {
				out = append(out, n)
			}
		}
		return out
	}
	return v
}

func ptrString(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}
