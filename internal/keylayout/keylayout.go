// Package keylayout reads where a VPC flow-log object sits in an S3 key, or in a local path copied
// from a bucket: which of the four AWS delivery layouts (plain or Hive, daily or hourly), which
// account, service, region and day, and what the file name says (flow-log id, file timestamp).
// It is pure, so the S3 lister, the local walker and the ledger all read a key the same way.
package keylayout

import (
	"strings"
	"time"
)

// Layout is the folder scheme AWS used when it delivered an object under AWSLogs/.
type Layout string

// The four layouts AWS documents for S3 delivery (HiveCompatiblePartitions × PerHourPartition),
// plus None for keys that fit none of them.
const (
	None        Layout = "none"         // not under any AWSLogs/…/<service>/… layout
	Plain       Layout = "plain"        // prefix/AWSLogs/<acct>/vpcflowlogs/<region>/YYYY/MM/DD/
	PlainHourly Layout = "plain-hourly" // …/YYYY/MM/DD/HH/
	Hive        Layout = "hive"         // prefix/AWSLogs/aws-account-id=<acct>/aws-service=vpcflowlogs/aws-region=<r>/year=YYYY/month=MM/day=DD/
	HiveHourly  Layout = "hive-hourly"  // …/hour=HH/
)

// FlowLogService is the service folder AWS delivers VPC and Transit Gateway flow logs under.
const FlowLogService = "vpcflowlogs"

// awsLogs is matched case-sensitively: AWS always writes it this way and reserves the name, so a
// user folder spelled "awslogs" is just part of the prefix.
const awsLogs = "AWSLogs"

// IsHive reports whether l uses key=value folders.
func (l Layout) IsHive() bool { return l == Hive || l == HiveHourly }

// IsHourly reports whether l has an hour folder below the day folder.
func (l Layout) IsHourly() bool { return l == PlainHourly || l == HiveHourly }

// Info is everything the key tells about one object. The layout is matched structurally, so other
// services that use the same scheme under AWSLogs (CloudTrail, elasticloadbalancing) parse too and
// are told apart by Service.
type Info struct {
	Layout    Layout
	Bucket    string // from a leading "s3://bucket/", else ""
	Prefix    string // everything before the AWSLogs folder, original separators, without the trailing one; "" if none
	OrgID     string // AWS Organizations id folder "o-…" right after AWSLogs/, else ""
	AccountID string // 12 digits; from the folders, or from the file name when Layout is None
	Service   string // "vpcflowlogs" for VPC and Transit Gateway flow logs, else e.g. "CloudTrail"
	Region    string
	Year      int // folder date; 0 if unknown
	Month     int
	Day       int
	Hour      int       // -1 unless the layout has an hour folder
	FileName  string    // last element of the key, "" when the key ends with a separator
	FlowLogID string    // "fl-…" from the file name, "" if not present
	FileTime  time.Time // UTC YYYYMMDDTHHmmZ stamp from the file name; zero if absent

	// UnderAWSLogs is true when the key has an exact "AWSLogs" folder, even if the rest of the
	// key fits no layout; IsFlowLogService needs it to tell "outside AWSLogs" from "unreadable".
	UnderAWSLogs bool
}

// Date is the UTC midnight of the folder day, or the zero time when the key has no folder date.
func (i Info) Date() time.Time {
	if i.Year == 0 {
		return time.Time{}
	}
	return time.Date(i.Year, time.Month(i.Month), i.Day, 0, 0, 0, 0, time.UTC)
}

// IsFlowLogService reports whether a tree walker should read the object as flow logs: yes for
// the vpcflowlogs service and for keys outside AWSLogs altogether (hand-made folders); no for
// other services under AWSLogs and for AWSLogs keys whose service cannot be made out, because
// AWS writes nothing under AWSLogs/ except its own service folders.
func (i Info) IsFlowLogService() bool {
	if i.Service != "" {
		return i.Service == FlowLogService
	}
	return !i.UnderAWSLogs
}

// segment is one path element and its byte offset in the key, kept so Prefix can be cut from the
// original text with its own separators.
type segment struct {
	text  string
	start int
}

// Parse reads key, which may be an S3 key, an "s3://bucket/key" URL or a local path with "/" or
// "\" separators. The last element is the file name unless the key ends with a separator. Parse
// never fails: a key that fits no layout gets Layout None, Hour -1 and whatever the file name
// alone gives (account, region, flow-log id, file time), plus the service folder when one can be
// made out under AWSLogs.
func Parse(key string) Info {
	info := Info{Layout: None, Hour: -1}
	if len(key) >= 5 && strings.EqualFold(key[:5], "s3://") {
		bucket, rest, _ := strings.Cut(key[5:], "/")
		info.Bucket, key = bucket, rest
	}
	segs := splitKey(key)
	folders := segs[:len(segs)-1]
	info.FileName = segs[len(segs)-1].text
	file, fileOK := parseFileName(info.FileName)

	// AWS reserves AWSLogs as a prefix name, but a local copy can sit below a folder of that name
	// (/cases/AWSLogs/AWSLogs/…), so try every occurrence; a full match must reach the last folder,
	// so at most one occurrence can match.
	lastAWSLogs := -1
	for n, s := range folders {
		if s.text != awsLogs {
			continue
		}
		info.UnderAWSLogs, lastAWSLogs = true, n
		m, ok := matchFolders(texts(folders[n+1:]))
		if !ok {
			continue
		}
		info.Prefix = trimOneSep(key[:s.start])
		info.Layout, info.OrgID, info.AccountID, info.Service, info.Region = m.layout, m.orgID, m.account, m.service, m.region
		info.Year, info.Month, info.Day, info.Hour = m.year, m.month, m.day, m.hour
		if fileOK {
			info.FlowLogID, info.FileTime = file.flowLogID, file.time
		}
		return info
	}

	if fileOK {
		info.AccountID, info.Region, info.FlowLogID, info.FileTime = file.account, file.region, file.flowLogID, file.time
		info.Service = FlowLogService
	}
	// A folder that names another service outranks the file name: it is what AWS wrote.
	if lastAWSLogs >= 0 {
		if svc := guessService(texts(folders[lastAWSLogs+1:])); svc != "" {
			info.Service = svc
		}
	}
	return info
}

// splitKey cuts key at every "/" and "\"; it always returns at least one (possibly empty) element.
func splitKey(key string) []segment {
	segs := make([]segment, 0, strings.Count(key, "/")+strings.Count(key, `\`)+1)
	start := 0
	for i := 0; i <= len(key); i++ {
		if i == len(key) || key[i] == '/' || key[i] == '\\' {
			segs = append(segs, segment{text: key[start:i], start: start})
			start = i + 1
		}
	}
	return segs
}

func texts(segs []segment) []string {
	out := make([]string, len(segs))
	for i, s := range segs {
		out[i] = s.text
	}
	return out
}

// trimOneSep drops the single separator that joins the prefix to AWSLogs; only one, so a prefix
// that really ends in an empty S3 folder ("a//AWSLogs") keeps it.
func trimOneSep(s string) string {
	if strings.HasSuffix(s, "/") || strings.HasSuffix(s, `\`) {
		return s[:len(s)-1]
	}
	return s
}

// match is the outcome of reading the folders below AWSLogs.
type match struct {
	layout                          Layout
	orgID, account, service, region string
	year, month, day, hour          int
}

// matchFolders reads the folders after AWSLogs (file name excluded). It must consume all of them:
// AWS writes nothing deeper than the day or hour folder, and a stricter match keeps user folders
// that merely look like dates from being taken as partitions.
func matchFolders(f []string) (match, bool) {
	m := match{hour: -1}
	if len(f) > 0 && ValidOrgID(f[0]) {
		m.orgID, f = f[0], f[1:]
	}
	if len(f) < 6 {
		return m, false
	}
	hive := strings.HasPrefix(f[0], "aws-account-id=")
	names := [...]string{"aws-account-id", "aws-service", "aws-region", "year", "month", "day", "hour"}
	vals := make([]string, 0, len(names))
	for i, s := range f {
		if i == len(names) {
			return m, false
		}
		if hive {
			v, ok := strings.CutPrefix(s, names[i]+"=")
			if !ok {
				return m, false
			}
			s = v
		}
		vals = append(vals, s)
	}

	m.account, m.service, m.region = vals[0], vals[1], vals[2]
	if !ValidAccountID(m.account) || !validServiceName(m.service) || !ValidRegion(m.region) {
		return m, false
	}
	var ok bool
	if m.year, m.month, m.day, ok = parseDateFolders(vals[3], vals[4], vals[5]); !ok {
		return m, false
	}
	if len(vals) == 7 {
		if m.hour, ok = fixedDigits(vals[6], 2); !ok || m.hour > 23 {
			return m, false
		}
	}
	switch {
	case hive && m.hour >= 0:
		m.layout = HiveHourly
	case hive:
		m.layout = Hive
	case m.hour >= 0:
		m.layout = PlainHourly
	default:
		m.layout = Plain
	}
	return m, true
}

// guessService names the service folder of a key under AWSLogs that did not match a layout, so a
// CloudTrail or Config object with odd date folders (Config writes 2026/1/2) is still skipped.
// It trusts the position only after a well-formed account folder.
func guessService(f []string) string {
	if len(f) > 0 && ValidOrgID(f[0]) {
		f = f[1:]
	}
	if len(f) < 2 {
		return ""
	}
	if acct, ok := strings.CutPrefix(f[0], "aws-account-id="); ok {
		svc, ok := strings.CutPrefix(f[1], "aws-service=")
		if ValidAccountID(acct) && ok && validServiceName(svc) {
			return svc
		}
		return ""
	}
	if ValidAccountID(f[0]) && validServiceName(f[1]) {
		return f[1]
	}
	return ""
}
