package detect

// Rules are every threshold, window and allow-list of a hunt: one YAML file (flowdig hunt
// --rules FILE) over these defaults. Each field's doc tag says what it does and where its
// default comes from; `flowdig hunt --print-rules` prints them as comments. "peers.md (c)" is
// the peer survey's table of the detection heuristics peers use
// (../shared/docs/peers.md, section (c)).
type Rules struct {
	Networks  Networks      `yaml:"networks"`
	Allow     Allow         `yaml:"allow"`
	Detectors DetectorRules `yaml:"detectors"`
}

// Networks say which addresses are yours.
type Networks struct {
	Internal    []CIDR      `yaml:"internal" doc:"address ranges that are yours besides the private ones (RFC 1918, CGNAT, IPv6 unique local), e.g. public ranges you own; everything that is neither yours nor link-scoped (loopback, link-local, multicast) is 'the internet'"`
	AWSServices AWSServices `yaml:"aws_services"`
}

// AWSServices controls how AWS's own endpoints are treated.
type AWSServices struct {
	Ignore bool     `yaml:"ignore" doc:"destinations in AWS's published ranges (ip-ranges.json, as 'flowdig enrich' tags them) are AWS endpoints such as S3 and DynamoDB, not exfiltration targets: exfil-volume, large-flow, beaconing, unusual-port and new-talker ignore them (the issue: 'excluding AWS service ranges')"`
	Except []string `yaml:"except" doc:"services not ignored: EC2 ranges hold customers' instances, attackers' included"`
}

// Allow lists are addresses a detector does not report. Entries are addresses or CIDRs.
type Allow struct {
	Scanners            []CIDR `yaml:"scanners" doc:"known scanners (vulnerability scanners, monitoring): port-scan, port-sweep, brute-force and reject-spike do not report them as sources"`
	AdminSources        []CIDR `yaml:"admin_sources" doc:"where administrators connect from (office, VPN egress): exposed-admin-port, brute-force and brute-force-success ignore these sources"`
	BackupDestinations  []CIDR `yaml:"backup_destinations" doc:"backup and replication targets outside AWS: exfil-volume and large-flow ignore these destinations"`
	TrustedDestinations []CIDR `yaml:"trusted_destinations" doc:"external services your hosts are meant to call: beaconing, unusual-port, unusual-protocol and new-talker ignore them"`
	Ignore              []CIDR `yaml:"ignore" doc:"addresses no detector reports, on either side"`
}

// DetectorRules has one section per detector.
type DetectorRules struct {
	PortScan         PortScanRules         `yaml:"port-scan"`
	PortSweep        PortSweepRules        `yaml:"port-sweep"`
	BruteForce       BruteForceRules       `yaml:"brute-force"`
	BruteSuccess     BruteSuccessRules     `yaml:"brute-force-success"`
	ExfilVolume      ExfilVolumeRules      `yaml:"exfil-volume"`
	LargeFlow        LargeFlowRules        `yaml:"large-flow"`
	Beaconing        BeaconingRules        `yaml:"beaconing"`
	UnusualProtocol  UnusualProtocolRules  `yaml:"unusual-protocol"`
	UnusualPort      UnusualPortRules      `yaml:"unusual-port"`
	ExposedAdminPort ExposedAdminPortRules `yaml:"exposed-admin-port"`
	RejectSpike      RejectSpikeRules      `yaml:"reject-spike"`
	NewTalker        NewTalkerRules        `yaml:"new-talker"`
	DoSVolume        DoSVolumeRules        `yaml:"dos-volume"`
}

// PortScanRules: vertical scans.
type PortScanRules struct {
	Enabled               bool     `yaml:"enabled" doc:"run this detector"`
	InternalWindow        Duration `yaml:"internal_window" doc:"window for scans by your own hosts. Source: Panther AWS.VPC.PortScanning, 60 min (peers.md (c))"`
	InternalMinPorts      int64    `yaml:"internal_min_ports" doc:"distinct destination ports of one host, from one of your hosts. Source: Panther AWS.VPC.PortScanning, >= 10 per 60 min (peers.md (c))"`
	InternalMinAdminPorts int64    `yaml:"internal_min_admin_ports" doc:"or this many distinct admin_ports. Source: Elastic 'Potential Network Scan Detected', >= 5 sensitive ports (peers.md (c))"`
	AdminPorts            []int64  `yaml:"admin_ports" doc:"the sensitive ports. Source: Elastic's list (peers.md (c))"`
	InternetWindow        Duration `yaml:"internet_window" doc:"window for scans from the internet. Source: Elastic uses 1-minute buckets; widened to 10 minutes, the longest aggregation interval, so 1- and 10-minute logs measure the same thing"`
	InternetMinPorts      int64    `yaml:"internet_min_ports" doc:"distinct ports of one host from one internet address. Source: Elastic 'Potential Network Scan Detected', >= 50 (peers.md (c)); Panther's 10 fires on internet background scanning (measured: up to 13 ports an hour per scanner and host on the benchmark data)"`
	HighPorts             int64    `yaml:"high_ports" doc:"an internet scan this wide is medium severity, not low. Source: Elastic SYN scan, >= 250 ports (peers.md (c))"`
	MinProbeShare         float64  `yaml:"min_probe_share" doc:"share of the source's records that are probes (REJECT, or at most probe_max_packets packets). Source: the issue ('mostly REJECT'); Elastic's SYN scan counts flows of <= 2 packets as probes"`
	ProbeMaxPackets       int64    `yaml:"probe_max_packets" doc:"a record with at most this many packets is a probe. Source: Elastic SYN scan, packets <= 2 (peers.md (c))"`
}

// PortSweepRules: horizontal sweeps.
type PortSweepRules struct {
	Enabled         bool     `yaml:"enabled" doc:"run this detector"`
	Window          Duration `yaml:"window" doc:"window for sweeps of the sweep ports. Source: Elastic 'Potential Network Sweep Detected', 9-minute lookback, rounded to 10 (peers.md (c))"`
	MinHosts        int64    `yaml:"min_hosts" doc:"distinct destinations on one sweep port. Source: Elastic, >= 100 (peers.md (c))"`
	Ports           []int64  `yaml:"ports" doc:"the sweep ports. Source: Elastic's list (peers.md (c))"`
	AnyPortWindow   Duration `yaml:"any_port_window" doc:"window for sweeps of any port or protocol. Source: Splunk 'Internal Horizontal Port Scan', 1 h (peers.md (c))"`
	AnyPortMinHosts int64    `yaml:"any_port_min_hosts" doc:"distinct destinations on one port and protocol. Source: Splunk, >= 250 (peers.md (c))"`
	ProbeMaxPackets int64    `yaml:"probe_max_packets" doc:"an internet destination counts only when probed: a rejected request or one of at most this many packets (clients complete connections to hundreds of CDN addresses an hour; measured: up to 268 an hour on 443 on the benchmark data). Source: Elastic SYN scan, packets <= 2 (peers.md (c))"`
}

// BruteForceRules: password guessing against remote-access ports.
type BruteForceRules struct {
	Enabled           bool     `yaml:"enabled" doc:"run this detector"`
	Ports             []int64  `yaml:"ports" doc:"remote-access ports: SSH, RDP, WinRM. Source: AWS ProServe landing-zone alarms (22, 3389) and GuardDuty's SSH/RDP/WinRM brute-force findings (peers.md (c))"`
	Window            Duration `yaml:"window" doc:"window. Source: AWS ProServe landing-zone sample, per hour (peers.md (c))"`
	MinAttempts       int64    `yaml:"min_attempts" doc:"short connections (attempts) from one source to one host and port. Source: AWS ProServe landing-zone sample, >= 10 per hour (peers.md (c)); counted per connection (source port), so 1- and 10-minute logs count alike"`
	AttemptMaxPackets int64    `yaml:"attempt_max_packets" doc:"an attempt sends at most this many packets (a failed SSH or RDP login is 10-40). Source: flowdig"`
	AttemptMaxSeconds Duration `yaml:"attempt_max_seconds" doc:"and lasts at most this long: a failed login takes seconds; interactive sessions, even short ones, last longer (measured: bastion hops of 50-60 s on the benchmark data). Source: flowdig"`
	MinAttemptShare   float64  `yaml:"min_attempt_share" doc:"attempts must be this share of the source's connections to that port: interactive administration is mostly long sessions (measured: at most 0.6 on the benchmark's bastions). Source: flowdig"`
}

// BruteSuccessRules: a brute force followed by a long, heavy session.
type BruteSuccessRules struct {
	Enabled           bool     `yaml:"enabled" doc:"run this detector; it finds brute forces with the brute-force section's thresholds"`
	Within            Duration `yaml:"within" doc:"the session must start before the brute force's window ends plus this. Source: flowdig (peers.md (c) proposes the signal; no peer implements it)"`
	MinSessionBytes   int64    `yaml:"min_session_bytes" doc:"a session moving this many bytes (both directions) is a success. Source: flowdig"`
	MinSessionSeconds Duration `yaml:"min_session_seconds" doc:"or lasting this long. Source: flowdig"`
}

// ExfilVolumeRules: bytes from one of your hosts to one internet address.
type ExfilVolumeRules struct {
	Enabled       bool     `yaml:"enabled" doc:"run this detector"`
	Window        Duration `yaml:"window" doc:"window. Source: the AWS NAT gateway alarm example of the playbook, BytesOutToDestination per 15 minutes (peers.md (c))"`
	MinBytes      int64    `yaml:"min_bytes" doc:"bytes sent per window. Source: the same alarm, Sum >= 5,000,000 bytes (peers.md (c))"`
	HighBytes     int64    `yaml:"high_bytes" doc:"high severity from this many bytes in the window. Source: Tailpipe large_data_transfer, 500 MB (peers.md (c))"`
	MinOutInRatio float64  `yaml:"min_out_in_ratio" doc:"bytes sent over bytes received in the window: exfiltration is mostly outbound; a host receiving a big upload sends megabytes of acknowledgements (about 2% of what it receives). Source: flowdig, after the playbook's data-ratio query"`
}

// LargeFlowRules: one connection moving a lot of data out.
type LargeFlowRules struct {
	Enabled  bool     `yaml:"enabled" doc:"run this detector"`
	Window   Duration `yaml:"window" doc:"window. Source: flowdig: Tailpipe tests one record, whose span is the aggregation interval (1 or 10 minutes); summing one connection's records over an hour makes 1- and 10-minute logs agree"`
	MinBytes int64    `yaml:"min_bytes" doc:"bytes one connection sends out in the window. Source: Tailpipe large_data_transfer, > 500 MB (peers.md (c))"`
}

// BeaconingRules: regular callbacks.
type BeaconingRules struct {
	Enabled        bool     `yaml:"enabled" doc:"run this detector"`
	Window         Duration `yaml:"window" doc:"window. Source: Elastic beaconing transform, 6 h (peers.md (c))"`
	MinConnections int64    `yaml:"min_connections" doc:"connections to one destination and port in the window. Source: Elastic asks for >= 6 periods; flowdig asks for 12 because each connection is one sample here, and random arrivals pass the regularity test with few samples (measured on the 10M benchmark data: 130 false findings with 6, none with 12)"`
	MaxRelStdev    float64  `yaml:"max_rel_stdev" doc:"the trimmed intervals' standard deviation over their mean. Source: Elastic, <= 0.1 (peers.md (c))"`
	TrimLow        float64  `yaml:"trim_low" doc:"intervals below this quantile are left out. Source: Elastic, 10-80 percentile trimming (peers.md (c))"`
	TrimHigh       float64  `yaml:"trim_high" doc:"intervals above this quantile are left out. Source: Elastic (peers.md (c))"`
	MinPeriod      Duration `yaml:"min_period" doc:"shortest median interval. Source: Elastic's 60-second buckets"`
	SessionGap     Duration `yaml:"session_gap" doc:"records of one 5-tuple less than this apart are one connection, so a long-lived connection, logged once per aggregation interval, is not a beacon. Source: flowdig: the 10-minute interval plus the documented 60 s start lag"`
}

// UnusualProtocolRules: IP protocols other than the usual ones, with the internet.
type UnusualProtocolRules struct {
	Enabled  bool     `yaml:"enabled" doc:"run this detector"`
	Window   Duration `yaml:"window" doc:"findings group traffic per day. Source: flowdig"`
	Expected []int64  `yaml:"expected_protocols" doc:"IP protocols not reported. Source: Tailpipe, protocol not in {1, 6, 17} (peers.md (c)); 58 (ICMPv6) added, IPv6 needs it"`
}

// UnusualPortRules: connections from your hosts to uncommon internet ports.
type UnusualPortRules struct {
	Enabled        bool     `yaml:"enabled" doc:"run this detector"`
	Window         Duration `yaml:"window" doc:"findings group traffic per day. Source: flowdig"`
	ExpectedPorts  []int64  `yaml:"expected_ports" doc:"destination ports hosts use on the internet every day: SSH (git), DNS, HTTP, NTP, HTTPS, DNS over TLS. Source: flowdig"`
	MinConnections int64    `yaml:"min_connections" doc:"accepted connections to one address and port. Source: flowdig"`
}

// ExposedAdminPortRules: admin and database ports that accepted internet traffic.
type ExposedAdminPortRules struct {
	Enabled       bool     `yaml:"enabled" doc:"run this detector"`
	Window        Duration `yaml:"window" doc:"findings group traffic per day. Source: flowdig"`
	AdminPorts    []int64  `yaml:"admin_ports" doc:"remote administration: SSH, Telnet, RDP, VNC, WinRM, Docker API, Kubernetes API. Source: Panther AWS.VPC.SSHAllowedSignal and blocklist (22, 3389), Tailpipe ssh/rdp traffic; the rest from flowdig's admin-port-traffic catalogue entry (peers.md (c))"`
	DatabasePorts []int64  `yaml:"database_ports" doc:"databases and caches; high severity. Source: Tailpipe database_traffic (peers.md (c)); the ports are the engines' defaults (MSSQL, Oracle, MySQL, PostgreSQL, Redis, Elasticsearch, memcached, MongoDB, CouchDB, Cassandra)"`
}

// RejectSpikeRules: sudden rises in rejected traffic.
type RejectSpikeRules struct {
	Enabled    bool     `yaml:"enabled" doc:"run this detector"`
	Window     Duration `yaml:"window" doc:"rejected records are counted per host and window. Source: Splunk 'Detect Spike in blocked Outbound Traffic', hourly (peers.md (c))"`
	Lookback   Duration `yaml:"lookback" doc:"the mean and standard deviation come from this much history before the window. Source: flowdig"`
	Sigma      float64  `yaml:"sigma" doc:"a spike exceeds mean + sigma standard deviations. Source: Splunk, 3 (peers.md (c))"`
	MinHistory int64    `yaml:"min_history" doc:"windows of history needed. Source: Splunk, more than 5 data points (peers.md (c))"`
	MinCount   int64    `yaml:"min_count" doc:"and at least this many rejected records: mean + 3 sigma of a quiet host is a handful. Source: flowdig"`
	MinRatio   float64  `yaml:"min_ratio" doc:"and at least this multiple of the mean, so a host that always rejects a lot does not fire on its noise; multiplied by the typical rise of the hosts of the same account and region in that window when they rose too (measured: dev hosts' rejects triple from a weekend Sunday to Monday on the benchmark data). Source: flowdig"`
}

// NewTalkerRules: first seen after the baseline.
type NewTalkerRules struct {
	Enabled         bool     `yaml:"enabled" doc:"run this detector"`
	BaselineUntil   string   `yaml:"baseline_until" doc:"end of the baseline: a date or RFC 3339 time (flowdig hunt --baseline-until overrides). Empty: the first default_baseline of the data. Source: peers.md (b) 5, GuardDuty NetworkPortUnusual ('no prior history')"`
	DefaultBaseline Duration `yaml:"default_baseline" doc:"baseline length when baseline_until is empty. Source: flowdig"`
	PrefixV4        int64    `yaml:"prefix_v4" doc:"novelty of an internet destination is judged per network of this length, so a provider rotating addresses inside a known network is not new. Source: flowdig (peers.md (b) 5 asks for IP, ASN and country novelty; /24 stands in for the AS when no GeoIP ASN data is loaded)"`
	PrefixV6        int64    `yaml:"prefix_v6" doc:"the same for IPv6. Source: flowdig"`
}

// DoSVolumeRules: packet floods.
type DoSVolumeRules struct {
	Enabled               bool     `yaml:"enabled" doc:"run this detector"`
	Window                Duration `yaml:"window" doc:"window. Source: the AWS DoS playbook leaves the attack window to the analyst; 10 minutes is the longest aggregation interval"`
	MinPackets            int64    `yaml:"min_packets" doc:"accepted packets per flow key (source, destination, destination port, protocol). Source: AWS DoS playbook query 3.1, SUM(packets) > 100,000 (peers.md (c))"`
	BulkMinAvgPacketBytes int64    `yaml:"bulk_min_avg_packet_bytes" doc:"TCP keys averaging at least this many bytes per packet are bulk transfers (full-size segments), not floods (exfil-volume and large-flow cover them). Source: flowdig"`
}

// Default returns the rules a hunt uses when no file changes them.
func Default() Rules {
	return Rules{
		Networks: Networks{AWSServices: AWSServices{Ignore: true, Except: []string{"EC2"}}},
		Detectors: DetectorRules{
			PortScan: PortScanRules{Enabled: true, InternalWindow: minutes(60), InternalMinPorts: 10, InternalMinAdminPorts: 5,
				AdminPorts:     []int64{21, 22, 23, 53, 88, 139, 389, 445, 3389, 5900, 5985, 5986, 9389},
				InternetWindow: minutes(10), InternetMinPorts: 50, HighPorts: 250, MinProbeShare: 0.5, ProbeMaxPackets: 2},
			PortSweep: PortSweepRules{Enabled: true, Window: minutes(10), MinHosts: 100,
				Ports:         []int64{21, 22, 23, 25, 139, 445, 3389, 5985, 5986},
				AnyPortWindow: minutes(60), AnyPortMinHosts: 250, ProbeMaxPackets: 2},
			BruteForce: BruteForceRules{Enabled: true, Ports: []int64{22, 3389, 5985, 5986}, Window: minutes(60),
				MinAttempts: 10, AttemptMaxPackets: 50, AttemptMaxSeconds: seconds(30), MinAttemptShare: 0.8},
			BruteSuccess: BruteSuccessRules{Enabled: true, Within: minutes(60), MinSessionBytes: 1_000_000,
				MinSessionSeconds: minutes(5)},
			ExfilVolume: ExfilVolumeRules{Enabled: true, Window: minutes(15), MinBytes: 5_000_000, HighBytes: 500_000_000, MinOutInRatio: 1},
			LargeFlow:   LargeFlowRules{Enabled: true, Window: minutes(60), MinBytes: 500_000_000},
			Beaconing: BeaconingRules{Enabled: true, Window: minutes(360), MinConnections: 12, MaxRelStdev: 0.1,
				TrimLow: 0.1, TrimHigh: 0.8, MinPeriod: seconds(60), SessionGap: minutes(11)},
			UnusualProtocol: UnusualProtocolRules{Enabled: true, Window: minutes(1440), Expected: []int64{1, 6, 17, 58}},
			UnusualPort: UnusualPortRules{Enabled: true, Window: minutes(1440), ExpectedPorts: []int64{22, 53, 80, 123, 443, 853},
				MinConnections: 1},
			ExposedAdminPort: ExposedAdminPortRules{Enabled: true, Window: minutes(1440),
				AdminPorts:    []int64{22, 23, 2375, 2376, 3389, 5900, 5985, 5986, 6443},
				DatabasePorts: []int64{1433, 1521, 3306, 5432, 5984, 6379, 9042, 9200, 11211, 27017}},
			RejectSpike: RejectSpikeRules{Enabled: true, Window: minutes(60), Lookback: minutes(1440), Sigma: 3,
				MinHistory: 6, MinCount: 100, MinRatio: 2},
			NewTalker: NewTalkerRules{Enabled: true, DefaultBaseline: minutes(1440), PrefixV4: 24, PrefixV6: 48},
			DoSVolume: DoSVolumeRules{Enabled: true, Window: minutes(10), MinPackets: 100_000, BulkMinAvgPacketBytes: 1000},
		},
	}
}
