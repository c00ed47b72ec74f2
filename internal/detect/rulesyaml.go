package detect

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"reflect"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Duration is a window or span, written in YAML as "10m", "6h" or "1d".
type Duration time.Duration

func minutes(n int) Duration { return Duration(time.Duration(n) * time.Minute) }
func seconds(n int) Duration { return Duration(time.Duration(n) * time.Second) }

// Seconds is the duration in whole seconds, as the SQL binds it.
func (d Duration) Seconds() int64 { return int64(time.Duration(d) / time.Second) }

func (d Duration) String() string {
	t := time.Duration(d)
	switch {
	case t%(24*time.Hour) == 0 && t > 0:
		return fmt.Sprintf("%dd", t/(24*time.Hour))
	case t%time.Hour == 0 && t > 0:
		return fmt.Sprintf("%dh", t/time.Hour)
	case t%time.Minute == 0 && t > 0:
		return fmt.Sprintf("%dm", t/time.Minute)
	}
	return fmt.Sprintf("%ds", t/time.Second)
}

// UnmarshalYAML reads "90s", "10m", "6h", "1d".
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	var t time.Duration
	var err error
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var k int
		if _, err = fmt.Sscanf(days, "%d", &k); err == nil && fmt.Sprint(k) == days {
			t = time.Duration(k) * 24 * time.Hour
		} else {
			err = errors.New("bad day count")
		}
	} else {
		t, err = time.ParseDuration(s)
	}
	if err != nil || t <= 0 || t%time.Second != 0 {
		return fmt.Errorf("line %d: %q is not a duration such as 90s, 10m, 6h or 1d", n.Line, s)
	}
	*d = Duration(t)
	return nil
}

// MarshalYAML writes the short form.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// CIDR is an allow-list or network entry: an address or a prefix.
type CIDR netip.Prefix

// Prefix returns the entry as a prefix.
func (c CIDR) Prefix() netip.Prefix { return netip.Prefix(c) }

// UnmarshalYAML reads "203.0.113.0/24" or "203.0.113.7".
func (c *CIDR) UnmarshalYAML(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	if p, err := netip.ParsePrefix(s); err == nil {
		*c = CIDR(p.Masked())
		return nil
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		*c = CIDR(netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		return nil
	}
	return fmt.Errorf("line %d: %q is not an IP address or CIDR", n.Line, s)
}

// MarshalYAML writes the prefix, or the address alone for a single address.
func (c CIDR) MarshalYAML() (any, error) {
	p := netip.Prefix(c)
	if p.Bits() == p.Addr().BitLen() {
		return p.Addr().String(), nil
	}
	return p.String(), nil
}

// LoadRules reads a rules file over the defaults: keys it leaves out keep their default, an
// unknown key is an error naming its line, and values are checked (Validate).
func LoadRules(data []byte, name string) (Rules, error) {
	r := Default()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return r, fmt.Errorf("rules %s: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return r, r.Validate()
	}
	if err := checkKeys(doc.Content[0], reflect.TypeOf(r), ""); err != nil {
		return r, fmt.Errorf("rules %s: %w", name, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&r); err != nil && !errors.Is(err, io.EOF) {
		return r, fmt.Errorf("rules %s: %w", name, err)
	}
	if err := r.Validate(); err != nil {
		return r, fmt.Errorf("rules %s: %w", name, err)
	}
	return r, nil
}

// checkKeys walks a mapping against the struct type t and reports the first unknown key with
// its line, the keys that are allowed there and the closest one.
func checkKeys(n *yaml.Node, t reflect.Type, at string) error {
	if t.Kind() != reflect.Struct || n.Kind != yaml.MappingNode {
		if t.Kind() == reflect.Struct && n.Kind != yaml.MappingNode && !(n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
			return fmt.Errorf("line %d: %s must be a mapping of keys", n.Line, where(at))
		}
		return nil
	}
	fields := map[string]reflect.StructField{}
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
		fields[tag] = f
		names = append(names, tag)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f, ok := fields[k.Value]
		if !ok {
			msg := fmt.Sprintf("line %d: unknown key %q in %s", k.Line, k.Value, where(at))
			if s := closest(k.Value, names); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return errors.New(msg + "; known keys: " + strings.Join(names, ", "))
		}
		path := k.Value
		if at != "" {
			path = at + "." + k.Value
		}
		if err := checkKeys(v, f.Type, path); err != nil {
			return err
		}
	}
	return nil
}

func where(at string) string {
	if at == "" {
		return "the top level"
	}
	return at
}

// closest returns the name within edit distance 3 of s, if any.
func closest(s string, names []string) string {
	best, bestD := "", 4
	for _, n := range names {
		if d := editDistance(s, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// Print writes the rules as YAML with each key's doc (what it does, where the default comes
// from) as a comment: the output of `flowdig hunt --print-rules`, and a valid rules file.
func Print(w io.Writer, r Rules, header string) error {
	n, err := docNode(reflect.ValueOf(r))
	if err != nil {
		return err
	}
	n.HeadComment = header
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return fmt.Errorf("print rules: %w", err)
	}
	return enc.Close()
}

func docNode(v reflect.Value) (*yaml.Node, error) {
	if v.Kind() != reflect.Struct || v.Type() == reflect.TypeOf(Duration(0)) {
		n := &yaml.Node{}
		if err := n.Encode(v.Interface()); err != nil {
			return nil, err
		}
		if n.Kind == yaml.SequenceNode {
			n.Style = yaml.FlowStyle
		}
		return n, nil
	}
	m := &yaml.Node{Kind: yaml.MappingNode}
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		key := &yaml.Node{Kind: yaml.ScalarNode, Value: strings.Split(f.Tag.Get("yaml"), ",")[0]}
		if doc := f.Tag.Get("doc"); doc != "" {
			key.HeadComment = wrap(doc, 96)
		}
		val, err := docNode(v.Field(i))
		if err != nil {
			return nil, err
		}
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(Duration(0)) && val.Kind == yaml.MappingNode {
			key.HeadComment = strings.TrimSpace(key.HeadComment)
		}
		m.Content = append(m.Content, key, val)
	}
	return m, nil
}

// wrap cuts a comment into lines of at most width characters.
func wrap(s string, width int) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return strings.Join(append(lines, line), "\n")
}
