package synth

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Manifest describes a generated dataset: every file, the flow logs, the
// planted scenarios with their ground truth and the deliberate damage. It is
// written to dir/manifest.json; every slice is in a fixed order, so the JSON
// is as deterministic as the data files.
type Manifest struct {
	Seed           int64      `json:"seed"`
	Start          time.Time  `json:"start"` // first second covered (UTC midnight)
	End            time.Time  `json:"end"`   // first second after the covered days
	BenchOnly      bool       `json:"bench_only"`
	RecordsPerFile int        `json:"records_per_file"`
	FlowLogs       []FlowLog  `json:"flow_logs"`
	Files          []File     `json:"files"`
	Totals         Totals     `json:"totals"`
	Scenarios      []Scenario `json:"scenarios,omitempty"`
	IOCFile        string     `json:"ioc_file,omitempty"` // relative path of iocs.csv
	IOCs           []IOC      `json:"iocs,omitempty"`
	Hunt           bool       `json:"hunt,omitempty"`
	Exposures      []Exposure `json:"exposures,omitempty"` // hunt datasets: benign exposures detectors report
	Damaged        []Damage   `json:"damaged,omitempty"`
	// ExpectedQuarantinedLines is the number of lines a correct ingester
	// must quarantine: the bad lines plus one partial line per truncated
	// object.
	ExpectedQuarantinedLines int `json:"expected_quarantined_lines"`
}

// FlowLog is one flow-log subscription in the dataset.
type FlowLog struct {
	ID          string `json:"id"`
	Account     string `json:"account"`
	Region      string `json:"region"`
	Resource    string `json:"resource"`    // vpc-… or tgw-…
	Kind        string `json:"kind"`        // "vpc" or "transit-gateway"
	FileFormat  string `json:"file_format"` // "plain-text" or "parquet"
	Layout      Layout `json:"layout"`
	Prefix      string `json:"prefix,omitempty"` // user prefix before AWSLogs/
	Format      string `json:"format"`           // field names in header order
	Version     int    `json:"version"`          // value of the version field
	Description string `json:"description"`
	Files       int    `json:"files"`
	Records     int    `json:"records"`
}

// File is one object written under dir, in S3 key form.
type File struct {
	Path      string    `json:"path"` // slash-separated, relative to dir (= the S3 key)
	FlowLogID string    `json:"flow_log_id"`
	Format    string    `json:"format"` // "text" or "parquet"
	Layout    Layout    `json:"layout"`
	Window    time.Time `json:"window"` // start of the 5-minute window in the file name
	// Records is what a correct ingester loads from the file: valid lines
	// (text) or rows (Parquet).
	Records int `json:"records"`
	// DataLines counts the lines after the header line (text), including
	// damaged ones and a truncated tail; rows for Parquet.
	DataLines int    `json:"data_lines"`
	Planted   int    `json:"planted,omitempty"` // scenario records among Records
	Bytes     int64  `json:"bytes"`             // size on disk
	Damage    string `json:"damage,omitempty"`  // "bad-lines" or "truncated"
}

// Totals sums the files.
type Totals struct {
	Files        int   `json:"files"`
	TextFiles    int   `json:"text_files"`
	ParquetFiles int   `json:"parquet_files"`
	Records      int   `json:"records"`      // loadable records, planted included
	Planted      int   `json:"planted"`      // scenario records
	DataLines    int   `json:"data_lines"`   // text lines after headers plus Parquet rows
	LostRecords  int   `json:"lost_records"` // generated but unreadable after the truncation
	Bytes        int64 `json:"bytes"`
}

// Scenario is the ground truth of one planted incident. Byte counts are
// sums of the bytes field over the scenario's records: SrcToDstBytes over
// records whose srcaddr is SrcAddr, DstToSrcBytes over the replies.
type Scenario struct {
	Name          string    `json:"name"`
	Description   string    `json:"description"`
	FlowLogID     string    `json:"flow_log_id"`
	Account       string    `json:"account"`
	Region        string    `json:"region"`
	SrcAddr       string    `json:"src_addr"`
	DstAddr       string    `json:"dst_addr"` // an address, or the CIDR for an IOC range; empty for a sweep of many hosts
	DstPort       int       `json:"dst_port,omitempty"`
	Start         time.Time `json:"start"` // earliest record start
	End           time.Time `json:"end"`   // latest record end
	Records       int       `json:"records"`
	Packets       int64     `json:"packets"`
	SrcToDstBytes int64     `json:"src_to_dst_bytes"`
	DstToSrcBytes int64     `json:"dst_to_src_bytes"`

	DistinctPorts   int      `json:"distinct_ports,omitempty"`   // port scan
	RejectedRecords int      `json:"rejected_records,omitempty"` // port scan
	AcceptedPorts   []int    `json:"accepted_ports,omitempty"`   // port scan
	Attempts        int      `json:"attempts,omitempty"`         // brute force: short failed sessions
	Session         *Session `json:"session,omitempty"`          // brute force: the session after success
	Connections     int      `json:"connections,omitempty"`      // exfiltration: parallel connections
	Beacons         int      `json:"beacons,omitempty"`          // beaconing: callbacks
	IntervalSeconds int      `json:"interval_seconds,omitempty"` // beaconing: nominal period
	JitterSeconds   int      `json:"jitter_seconds,omitempty"`   // beaconing: max deviation
	Contacted       []string `json:"contacted,omitempty"`        // IOC range: addresses seen

	// Hunt datasets (Config.Hunt) only: what `flowdig hunt` must make of
	// the scenario. Expect lists the detectors that must report it; Silent
	// those that must not ("*": none may). A near-miss is benign traffic
	// shaped to come close to a detector's thresholds.
	Expect   []string `json:"expect,omitempty"`
	Silent   []string `json:"silent,omitempty"`
	NearMiss bool     `json:"near_miss,omitempty"`
	// NearMissFor names the detectors a near-miss is shaped to come close to.
	NearMissFor []string `json:"near_miss_for,omitempty"`
}

// Exposure is a benign fact of a hunt dataset's environment that a
// detector rightly reports, such as a bastion host accepting SSH from the
// internet: a finding about it is correct, not a false positive.
type Exposure struct {
	Detector    string `json:"detector"`
	Addr        string `json:"addr"`
	Port        int    `json:"port"`
	Description string `json:"description"`
}

// Session is one long connection inside a scenario.
type Session struct {
	SrcPort       int       `json:"src_port"`
	Start         time.Time `json:"start"`
	End           time.Time `json:"end"`
	Records       int       `json:"records"`
	SrcToDstBytes int64     `json:"src_to_dst_bytes"`
	DstToSrcBytes int64     `json:"dst_to_src_bytes"`
}

// IOC is one line of iocs.csv and whether the data contains it.
type IOC struct {
	Indicator string `json:"indicator"` // address or CIDR
	Comment   string `json:"comment"`
	Present   bool   `json:"present"`            // appears in some record
	Scenario  string `json:"scenario,omitempty"` // which planted scenario it belongs to
}

// Damage describes one deliberately damaged object.
type Damage struct {
	Path string `json:"path"`
	Kind string `json:"kind"` // "bad-lines" or "truncated"
	// QuarantinedLines is what a correct ingester quarantines from it.
	QuarantinedLines int    `json:"quarantined_lines"`
	Detail           string `json:"detail"`
	// For "truncated": the object's size before the cut and the number of
	// records that were written but are no longer readable.
	OriginalBytes int64 `json:"original_bytes,omitempty"`
	LostRecords   int   `json:"lost_records,omitempty"`
}

// ReadManifest loads dir/manifest.json.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("synth: read manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("synth: parse manifest %s: %w", dir, err)
	}
	return &m, nil
}

func writeManifest(dir string, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("synth: encode manifest: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("synth: write manifest: %w", err)
	}
	return nil
}
