package synth

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func testConfig() Config {
	return Config{Seed: 7, Start: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Days: 1, Records: 8000, Workers: 2}
}

// TestDataset generates one small multi-account dataset and checks it from
// several angles; generation dominates the cost, so it happens once.
func TestDataset(t *testing.T) {
	dir := t.TempDir()
	m, err := Generate(context.Background(), dir, testConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Run("manifest", func(t *testing.T) { checkManifest(t, dir, m) })
	t.Run("determinism", func(t *testing.T) {
		cfg := testConfig()
		cfg.Workers = 1 // a different schedule must not change a byte
		dir2 := t.TempDir()
		if _, err := Generate(context.Background(), dir2, cfg); err != nil {
			t.Fatal(err)
		}
		a, b := hashTree(t, dir), hashTree(t, dir2)
		if len(a) != len(m.Files)+2 {
			t.Fatalf("%d files on disk, manifest lists %d (+ manifest.json, iocs.csv)", len(a), len(m.Files))
		}
		if !maps.Equal(a, b) {
			for k, v := range a {
				if b[k] != v {
					t.Errorf("%s differs between runs", k)
				}
			}
		}
	})
	t.Run("layout", func(t *testing.T) { checkLayout(t, m) })
	t.Run("text", func(t *testing.T) { checkText(t, dir, m) })
	t.Run("scenarios", func(t *testing.T) { checkScenarios(t, dir, m) })
	t.Run("iocs", func(t *testing.T) { checkIOCs(t, dir, m) })
	t.Run("damage", func(t *testing.T) { checkDamage(t, dir, m) })
	t.Run("parquet", func(t *testing.T) { checkParquet(t, dir, m) })
}

func checkManifest(t *testing.T, dir string, m *Manifest) {
	back, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(m)
	b, _ := json.Marshal(back)
	if string(a) != string(b) {
		t.Error("manifest.json differs from the returned manifest")
	}
	benign := m.Totals.Records - m.Totals.Planted + m.Totals.LostRecords
	if benign != testConfig().Records {
		t.Errorf("benign records = %d, want %d", benign, testConfig().Records)
	}
	if len(m.FlowLogs) != 5 || m.Totals.ParquetFiles == 0 {
		t.Errorf("flow logs %d, parquet files %d", len(m.FlowLogs), m.Totals.ParquetFiles)
	}
	planted := 0
	for _, s := range m.Scenarios {
		planted += s.Records
	}
	if planted != m.Totals.Planted {
		t.Errorf("scenario records %d, planted in files %d", planted, m.Totals.Planted)
	}
}

func flowLogs(m *Manifest) map[string]FlowLog {
	out := map[string]FlowLog{}
	for _, fl := range m.FlowLogs {
		out[fl.ID] = fl
	}
	return out
}

func checkLayout(t *testing.T, m *Manifest) {
	reName := regexp.MustCompile(`^(\d{12})_vpcflowlogs_([a-z0-9-]+)_(fl-[0-9a-f]{17})_(\d{8}T\d{4}Z)_([0-9a-f]{8})\.log\.(gz|parquet)$`)
	reLayout := map[Layout]*regexp.Regexp{
		LayoutPlain:       regexp.MustCompile(`^(.*)AWSLogs/(\d{12})/vpcflowlogs/([a-z0-9-]+)/(\d{4})/(\d{2})/(\d{2})()/[^/]+$`),
		LayoutPlainHourly: regexp.MustCompile(`^(.*)AWSLogs/(\d{12})/vpcflowlogs/([a-z0-9-]+)/(\d{4})/(\d{2})/(\d{2})/(\d{2})/[^/]+$`),
		LayoutHive:        regexp.MustCompile(`^(.*)AWSLogs/aws-account-id=(\d{12})/aws-service=vpcflowlogs/aws-region=([a-z0-9-]+)/year=(\d{4})/month=(\d{2})/day=(\d{2})()/[^/]+$`),
		LayoutHiveHourly:  regexp.MustCompile(`^(.*)AWSLogs/aws-account-id=(\d{12})/aws-service=vpcflowlogs/aws-region=([a-z0-9-]+)/year=(\d{4})/month=(\d{2})/day=(\d{2})/hour=(\d{2})/[^/]+$`),
	}
	fls := flowLogs(m)
	names := map[string]bool{}
	for _, f := range m.Files {
		fl := fls[f.FlowLogID]
		if f.Layout != fl.Layout {
			t.Fatalf("%s: layout %s, flow log has %s", f.Path, f.Layout, fl.Layout)
		}
		d := reLayout[f.Layout].FindStringSubmatch(f.Path)
		n := reName.FindStringSubmatch(f.Path[strings.LastIndexByte(f.Path, '/')+1:])
		if d == nil || n == nil {
			t.Fatalf("%s: does not match layout %s / file name pattern", f.Path, f.Layout)
		}
		w := f.Window
		want := []string{fl.Prefix, fl.Account, fl.Region, w.Format("2006"), w.Format("01"), w.Format("02")}
		if strings.HasSuffix(string(f.Layout), "hourly") {
			want = append(want, w.Format("15"))
		} else {
			want = append(want, "")
		}
		if !slices.Equal(d[1:], want) {
			t.Errorf("%s: key parts %q, want %q", f.Path, d[1:], want)
		}
		ext := map[string]string{"text": "gz", "parquet": "parquet"}[f.Format]
		if n[1] != fl.Account || n[2] != fl.Region || n[3] != fl.ID || n[4] != w.Format("20060102T1504Z") || n[6] != ext {
			t.Errorf("%s: name parts %q", f.Path, n[1:])
		}
		if w.Minute()%5 != 0 || w.Second() != 0 || w.Before(m.Start) || !w.Before(m.End) {
			t.Errorf("%s: window %v", f.Path, w)
		}
		if names[f.Path] {
			t.Errorf("duplicate key %s", f.Path)
		}
		names[f.Path] = true
	}
	if fl := m.FlowLogs[2]; fl.Prefix != "central-logs/dev/" || fl.Layout != LayoutPlainHourly {
		t.Errorf("dev flow log: %+v", fl)
	}
}

// checkText reads every text object and checks headers, field counts,
// windows and the traffic features a realistic dataset must have.
func checkText(t *testing.T, dir string, m *Manifest) {
	fls := flowLogs(m)
	seen := map[string]int{}
	flags := map[string]bool{}
	replyPorts := map[string]bool{}
	for _, f := range m.Files {
		if f.Format != "text" {
			continue
		}
		fl := fls[f.FlowLogID]
		tf := readText(t, filepath.Join(dir, f.Path))
		if strings.Join(tf.header, " ") != fl.Format {
			t.Fatalf("%s: header %q, want %q", f.Path, tf.header, fl.Format)
		}
		if len(tf.lines) != f.DataLines-boolInt(tf.tail != "") {
			t.Errorf("%s: %d lines, manifest says %d data lines", f.Path, len(tf.lines), f.DataLines)
		}
		if f.Damage != "" {
			continue
		}
		if tf.err != nil || len(tf.lines) != f.Records {
			t.Fatalf("%s: %d records (%v), want %d", f.Path, len(tf.lines), tf.err, f.Records)
		}
		w0 := f.Window.Unix()
		for _, l := range tf.lines {
			if len(l) != len(tf.header) {
				t.Fatalf("%s: %d fields, header has %d: %q", f.Path, len(l), len(tf.header), l)
			}
			end, _ := strconv.ParseInt(tf.get(l, "end"), 10, 64)
			start, _ := strconv.ParseInt(tf.get(l, "start"), 10, 64)
			if end < w0 || end >= w0+300 || start > end || end-start > 60 {
				t.Fatalf("%s: start %d end %d outside window %d", f.Path, start, end, w0)
			}
			if v := tf.get(l, "version"); v != strconv.Itoa(fl.Version) {
				t.Fatalf("%s: version %s, want %d", f.Path, v, fl.Version)
			}
			if fl.Kind == "transit-gateway" {
				seen["tgw"]++
				continue
			}
			status, src, by := tf.get(l, "log-status"), tf.get(l, "srcaddr"), tf.get(l, "bytes")
			switch {
			case status == "NODATA" || status == "SKIPDATA":
				seen[status]++
				if src != "-" || by != "-" || tf.get(l, "action") != "-" || tf.get(l, "dstport") != "-" {
					t.Errorf("%s: %s record with values: %q", f.Path, status, l)
				}
				continue
			case status != "OK":
				t.Fatalf("%s: log-status %q", f.Path, status)
			}
			seen[tf.get(l, "action")]++
			if strings.Contains(src, ":") {
				seen["ipv6"]++
			}
			if n, _ := strconv.ParseInt(by, 10, 64); n > 1<<31 {
				seen["bytes>2^31"]++
			}
			if fl := tf.get(l, "tcp-flags"); fl != "" {
				flags[fl] = true
			}
			dir, path := tf.get(l, "flow-direction"), tf.get(l, "traffic-path")
			if dir == "ingress" && path != "-" {
				t.Errorf("%s: ingress record with traffic-path %s", f.Path, path)
			}
			if dir == "egress" {
				seen["path "+path]++
			}
			if tf.get(l, "pkt-dst-aws-service") == "S3" {
				seen["S3"]++
			}
			if p := tf.get(l, "pkt-srcaddr"); p != "" && p != src {
				seen["nat"]++
			}
			if tf.get(l, "srcport") == "5432" {
				replyPorts[tf.get(l, "dstport")] = true
			}
			if tf.get(l, "protocol") == "1" {
				seen["icmp"]++
			}
			if tf.get(l, "protocol") == "17" {
				seen["udp"]++
			}
		}
	}
	for _, k := range []string{"tgw", "NODATA", "SKIPDATA", "ACCEPT", "REJECT", "ipv6", "bytes>2^31",
		"path 1", "path 7", "path 8", "S3", "nat", "icmp", "udp"} {
		if seen[k] == 0 {
			t.Errorf("no %s records", k)
		}
	}
	if seen["tgw"] != tgwRecords {
		t.Errorf("tgw records = %d", seen["tgw"])
	}
	for f := range flags {
		if !slices.Contains([]string{"0", "1", "2", "3", "4", "6", "18", "19"}, f) {
			t.Errorf("unexpected tcp-flags %s", f)
		}
	}
	if len(replyPorts) < 100 {
		t.Errorf("replies from :5432 reach only %d ephemeral ports", len(replyPorts))
	}
}

// scenarioLines returns the text lines of a flow log that involve addr (an
// address, or a /24 written as "a.b.c.0/24").
func scenarioLines(t *testing.T, dir string, m *Manifest, flID, addr string) (*textFile, [][]string) {
	var hdr *textFile
	var out [][]string
	match := func(a string) bool {
		if p, ok := strings.CutSuffix(addr, "0/24"); ok {
			return strings.HasPrefix(a, p)
		}
		return a == addr
	}
	for _, f := range m.Files {
		if f.FlowLogID != flID {
			continue
		}
		tf := readText(t, filepath.Join(dir, f.Path))
		hdr = &tf
		for _, l := range tf.lines {
			if match(tf.get(l, "srcaddr")) || match(tf.get(l, "dstaddr")) {
				out = append(out, l)
			}
		}
	}
	return hdr, out
}

func checkScenarios(t *testing.T, dir string, m *Manifest) {
	if len(m.Scenarios) != 5 {
		t.Fatalf("%d scenarios", len(m.Scenarios))
	}
	for _, s := range m.Scenarios {
		t.Run(s.Name, func(t *testing.T) {
			other := s.DstAddr
			if s.Name == "port-scan" || s.Name == "ssh-brute-force" {
				other = s.SrcAddr
			}
			tf, lines := scenarioLines(t, dir, m, s.FlowLogID, other)
			var out, in int64
			ports := map[string]int{}
			accepted, rejected := map[string]bool{}, 0
			var starts []int64
			for _, l := range lines {
				by, _ := strconv.ParseInt(tf.get(l, "bytes"), 10, 64)
				if tf.get(l, "srcaddr") == s.SrcAddr {
					out += by
					ports[tf.get(l, "dstport")]++
					st, _ := strconv.ParseInt(tf.get(l, "start"), 10, 64)
					starts = append(starts, st)
					if tf.get(l, "action") == "ACCEPT" {
						accepted[tf.get(l, "dstport")] = true
					}
				} else {
					in += by
				}
				if tf.get(l, "action") == "REJECT" {
					rejected++
				}
			}
			if len(lines) != s.Records || out != s.SrcToDstBytes || in != s.DstToSrcBytes {
				t.Fatalf("records %d bytes %d/%d, manifest %d %d/%d",
					len(lines), out, in, s.Records, s.SrcToDstBytes, s.DstToSrcBytes)
			}
			switch s.Name {
			case "port-scan":
				keys := slices.Collect(maps.Keys(accepted))
				if len(ports) != s.DistinctPorts || s.DistinctPorts < 950 || rejected != s.RejectedRecords ||
					!slices.Equal(keys, []string{"22"}) || s.End.Sub(s.Start) > 4*time.Minute {
					t.Errorf("ports %d rejected %d accepted %v span %v", len(ports), rejected, keys, s.End.Sub(s.Start))
				}
			case "ssh-brute-force":
				if s.Attempts < 200 || s.Session == nil || s.Session.DstToSrcBytes < 100_000_000 {
					t.Errorf("attempts %d session %+v", s.Attempts, s.Session)
				}
			case "exfiltration":
				if s.SrcToDstBytes < 2_000_000_000 || s.End.Sub(s.Start) > 35*time.Minute || s.FlowLogID != m.FlowLogs[0].ID {
					t.Errorf("%d bytes in %v", s.SrcToDstBytes, s.End.Sub(s.Start))
				}
			case "beaconing":
				slices.Sort(starts)
				for i := 1; i < len(starts); i++ {
					if d := starts[i] - starts[i-1]; d < 58 || d > 62 {
						t.Fatalf("beacon gap %d s", d)
					}
				}
				if len(starts) != s.Beacons || s.Beacons < 300 {
					t.Errorf("%d beacons, manifest %d", len(starts), s.Beacons)
				}
			case "ioc-cidr-contact":
				var got []string
				for _, l := range lines {
					if d := tf.get(l, "dstaddr"); strings.HasPrefix(d, "193.42.33.") && !slices.Contains(got, d) {
						got = append(got, d)
					}
				}
				if !slices.Equal(got, s.Contacted) {
					t.Errorf("contacted %v, manifest %v", got, s.Contacted)
				}
			}
		})
	}
}

func checkIOCs(t *testing.T, dir string, m *Manifest) {
	raw, err := os.ReadFile(filepath.Join(dir, m.IOCFile))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(raw))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], []string{"threat_ip", "threat_comment"}) || len(rows) != len(m.IOCs)+1 ||
		!strings.Contains(string(raw), `,"`) {
		t.Fatalf("iocs.csv: %q", rows)
	}
	// Indicators marked absent must not occur anywhere in the text data.
	for _, ioc := range m.IOCs {
		if ioc.Present {
			continue
		}
		for _, f := range m.Files {
			if f.Format != "text" {
				continue
			}
			tf := readText(t, filepath.Join(dir, f.Path))
			for _, l := range tf.lines {
				if slices.Contains(l, ioc.Indicator) {
					t.Fatalf("%s appears in %s", ioc.Indicator, f.Path)
				}
			}
		}
	}
}

// validDefault is a strict check of a default-format line, as an ingester
// would do it.
func validDefault(l []string) bool {
	if len(l) != 14 {
		return false
	}
	for _, i := range []int{5, 6, 7, 8, 9, 10, 11} {
		if l[i] == "-" {
			continue
		}
		n, err := strconv.ParseInt(l[i], 10, 64)
		if err != nil || ((i == 5 || i == 6) && (n < 0 || n > 65535)) {
			return false
		}
	}
	return true
}

func checkDamage(t *testing.T, dir string, m *Manifest) {
	if len(m.Damaged) != 2 || m.ExpectedQuarantinedLines != 4 {
		t.Fatalf("damaged %+v, expected quarantine %d", m.Damaged, m.ExpectedQuarantinedLines)
	}
	for _, d := range m.Damaged {
		tf := readText(t, filepath.Join(dir, d.Path))
		switch d.Kind {
		case damageBadLines:
			bad := 0
			for _, l := range tf.lines {
				if !validDefault(l) {
					bad++
				}
			}
			if bad != 3 || tf.err != nil {
				t.Errorf("%s: %d bad lines (%v)", d.Path, bad, tf.err)
			}
		case damageTruncated:
			if !errors.Is(tf.err, io.ErrUnexpectedEOF) || tf.tail == "" ||
				len(strings.Split(tf.tail, " ")) >= len(tf.header) {
				t.Errorf("%s: err %v, tail %q", d.Path, tf.err, tf.tail)
			}
			for _, f := range m.Files {
				if f.Path == d.Path && (f.Records != len(tf.lines) || f.Bytes >= d.OriginalBytes) {
					t.Errorf("%s: %d readable lines, manifest %d", d.Path, len(tf.lines), f.Records)
				}
			}
		}
	}
}

func TestBenchOnly(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{Seed: 1, Days: 1, Records: 20_000, RecordsPerFile: 60, BenchOnly: true}
	m, err := Generate(context.Background(), dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := (cfg.Records + cfg.RecordsPerFile - 1) / cfg.RecordsPerFile
	if len(m.Files) != want || m.Totals.Records != cfg.Records {
		t.Fatalf("%d files / %d records, want %d / %d", len(m.Files), m.Totals.Records, want, cfg.Records)
	}
	if len(m.Scenarios) != 0 || len(m.Damaged) != 0 || m.ExpectedQuarantinedLines != 0 || len(m.FlowLogs) != 1 {
		t.Fatalf("bench dataset has extras: %+v", m.FlowLogs)
	}
	if _, err := os.Stat(filepath.Join(dir, "iocs.csv")); !os.IsNotExist(err) {
		t.Error("iocs.csv in a bench dataset")
	}
	for _, f := range m.Files {
		if !strings.HasPrefix(f.Path, "AWSLogs/"+AccountProd+"/vpcflowlogs/us-east-1/") || f.Records > cfg.RecordsPerFile {
			t.Fatalf("%s: %d records", f.Path, f.Records)
		}
	}
	tf := readText(t, filepath.Join(dir, m.Files[len(m.Files)/2].Path))
	if strings.Join(tf.header, " ") != formatDefault || len(tf.lines) != cfg.RecordsPerFile {
		t.Errorf("header %q, %d lines", tf.header, len(tf.lines))
	}
}

func TestGenerateErrors(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Generate(ctx, t.TempDir(), Config{Days: 1, Records: 5000, BenchOnly: true}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(context.Background(), dir, Config{BenchOnly: true}); err == nil {
		t.Error("non-empty directory accepted")
	}
	if _, err := Generate(context.Background(), t.TempDir(), Config{Days: -1}); err == nil {
		t.Error("negative days accepted")
	}
}

func TestDemoConfig(t *testing.T) {
	c := DemoConfig()
	if c.Days != 3 || c.Records != 200_000 || !c.Start.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)) || c.BenchOnly {
		t.Errorf("%+v", c)
	}
}
