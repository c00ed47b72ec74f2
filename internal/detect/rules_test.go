package detect

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Every rule documents what it does, and every threshold where its default comes from.
func TestRulesAreDocumented(t *testing.T) {
	var walk func(t reflect.Type, at string)
	walk = func(typ reflect.Type, at string) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			key := strings.Split(f.Tag.Get("yaml"), ",")[0]
			path := at + key
			if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(Duration(0)) {
				walk(f.Type, path+".")
				continue
			}
			doc := f.Tag.Get("doc")
			if doc == "" {
				t.Errorf("%s has no doc tag", path)
			}
			if strings.HasPrefix(path, "detectors.") && key != "enabled" && !strings.Contains(doc, "Source: ") {
				t.Errorf("%s does not say where its default comes from", path)
			}
		}
	}
	walk(reflect.TypeOf(Rules{}), "")
	if err := Default().Validate(); err != nil {
		t.Fatalf("the defaults are invalid: %v", err)
	}
	// The figures the issue names.
	d := Default().Detectors
	if d.ExfilVolume.MinBytes != 5_000_000 || d.ExfilVolume.Window != minutes(15) || d.DoSVolume.MinPackets != 100_000 {
		t.Errorf("exfil %d/%s, dos %d", d.ExfilVolume.MinBytes, d.ExfilVolume.Window, d.DoSVolume.MinPackets)
	}
}

// --print-rules output is a rules file: read back, it gives the same rules.
func TestPrintRoundTrip(t *testing.T) {
	r := Default()
	r.Allow.Scanners = []CIDR{mustCIDR(t, "192.0.2.0/24"), mustCIDR(t, "198.51.100.7")}
	r.Detectors.PortScan.InternetMinPorts = 77
	r.Detectors.Beaconing.Window = minutes(720)
	var b bytes.Buffer
	if err := Print(&b, r, "header"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"# header", "internet_min_ports: 77", "window: 12h", "- 192.0.2.0/24", "Source: Panther"} {
		if !strings.Contains(out, want) && !strings.Contains(out, strings.TrimPrefix(want, "- ")) {
			t.Errorf("printed rules lack %q:\n%s", want, out)
		}
	}
	back, err := LoadRules(b.Bytes(), "printed")
	if err != nil {
		t.Fatalf("printed rules do not load: %v\n%s", err, out)
	}
	var again bytes.Buffer
	if err := Print(&again, back, "header"); err != nil {
		t.Fatal(err)
	}
	if again.String() != out || !reflect.DeepEqual(back.Detectors, r.Detectors) {
		t.Errorf("round trip changed the rules:\n%s\n%s", again.String(), out)
	}
}

func mustCIDR(t *testing.T, s string) CIDR {
	t.Helper()
	var c CIDR
	r, err := LoadRules([]byte("allow:\n  ignore: ["+s+"]\n"), "t")
	if err != nil {
		t.Fatal(err)
	}
	c = r.Allow.Ignore[0]
	return c
}

func TestLoadRules(t *testing.T) {
	r, err := LoadRules([]byte(`
# only what changes
detectors:
  port-scan:
    internet_min_ports: 30
  beaconing:
    window: 1d
allow:
  backup_destinations: [203.0.113.0/24, 198.51.100.9]
`), "mine.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d := Default()
	if r.Detectors.PortScan.InternetMinPorts != 30 || r.Detectors.PortScan.InternalMinPorts != d.Detectors.PortScan.InternalMinPorts {
		t.Errorf("port-scan: %+v", r.Detectors.PortScan)
	}
	if time.Duration(r.Detectors.Beaconing.Window) != 24*time.Hour || r.Detectors.Beaconing.MinConnections != 12 {
		t.Errorf("beaconing: %+v", r.Detectors.Beaconing)
	}
	if len(r.Allow.BackupDestinations) != 2 || r.Allow.BackupDestinations[1].Prefix().Bits() != 32 {
		t.Errorf("backup destinations: %v", r.Allow.BackupDestinations)
	}
	if p := r.Params("port-scan"); p["internet_min_ports"] != int64(30) || p["internet_window"] != int64(600) {
		t.Errorf("params: %v", p)
	}
}

func TestLoadRulesErrors(t *testing.T) {
	for _, c := range []struct {
		name, yaml string
		want       []string
	}{
		{"unknown key", "detectors:\n  port-scan:\n    internet_min_port: 30\n",
			[]string{"line 3", `unknown key "internet_min_port" in detectors.port-scan`, `did you mean "internet_min_ports"`, "known keys: enabled"}},
		{"unknown detector", "detectors:\n  portscan: {}\n", []string{"line 2", `unknown key "portscan" in detectors`, `"port-scan"`}},
		{"unknown top", "alow: {}\n", []string{"line 1", `unknown key "alow" in the top level`}},
		{"bad type", "detectors:\n  port-scan:\n    internet_min_ports: many\n", []string{"line 3", "many"}},
		{"bad duration", "detectors:\n  beaconing:\n    window: soon\n", []string{"line 3", "not a duration"}},
		{"short window", "detectors:\n  port-scan:\n    internet_window: 1m\n", []string{"detectors.port-scan.internet_window", "shorter than 10m"}},
		{"bad cidr", "allow:\n  scanners: [example.com]\n", []string{"line 2", "not an IP address or CIDR"}},
		{"share", "detectors:\n  brute-force:\n    min_attempt_share: 3\n", []string{"between 0 and 1"}},
		{"port", "detectors:\n  unusual-port:\n    expected_ports: [70000]\n", []string{"70000 is out of range"}},
		{"baseline", "detectors:\n  new-talker:\n    baseline_until: yesterday-ish\n", []string{"baseline_until"}},
		{"not a mapping", "detectors: 3\n", []string{"line 1", "detectors must be a mapping"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadRules([]byte(c.yaml), "r.yaml")
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestDetectorsParse(t *testing.T) {
	ds, err := Detectors()
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != len(IDs()) {
		t.Fatalf("%d detectors", len(ds))
	}
	r := Default()
	for _, d := range ds {
		if _, ok := r.section(d.Section); !ok {
			t.Errorf("%s: no rules section %q", d.ID, d.Section)
		}
		// Every parameter of the detection query has a value from the rules or the hunt.
		vals := map[string]any{"baseline_until": int64(0), "lookback_windows": int64(24)}
		for k, v := range allowBits {
			vals[k] = v
		}
		if d.Uses != "" {
			for k, v := range r.Params(d.Uses) {
				vals[k] = v
			}
		}
		for k, v := range r.Params(d.Section) {
			vals[k] = v
		}
		if _, err := render(d.query, vals, nil); err != nil {
			t.Errorf("%s: %v", d.ID, err)
		}
		if !strings.Contains(d.evidence, "{{columns}}") || !strings.Contains(d.evidence, "FROM flows") {
			t.Errorf("%s: the evidence query must list flows records", d.ID)
		}
	}
	if _, err := Select(ds, []string{"port-scan", "nope"}); err == nil || !strings.Contains(err.Error(), `no detector "nope"`) {
		t.Errorf("select: %v", err)
	}
	if got, _ := Select(ds, []string{"dos-volume", "port-scan"}); len(got) != 2 || got[0].ID != "port-scan" {
		t.Errorf("select keeps run order: %v", got)
	}
}
