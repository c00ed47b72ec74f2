package keylayout

import (
	"strings"
	"time"
)

// fileFacts is what a flow-log file name gives; each field is kept only if it validates, so one
// odd part (a new flow-log id shape, say) does not throw away the rest.
type fileFacts struct {
	account, region, flowLogID string
	time                       time.Time
}

// parseFileName reads <acct>_vpcflowlogs_<region>_<fl-id>_<YYYYMMDDTHHmmZ>_<hash><suffix>. The
// suffix is not checked (.log.gz, .parquet, .gz.parquet, or a local rename) because callers sniff
// content by magic bytes. ok is false unless the name has the "_vpcflowlogs_" shape.
func parseFileName(name string) (fileFacts, bool) {
	parts := strings.SplitN(name, "_", 6)
	if len(parts) != 6 || parts[1] != FlowLogService || parts[5] == "" {
		return fileFacts{}, false
	}
	var f fileFacts
	if ValidAccountID(parts[0]) {
		f.account = parts[0]
	}
	if ValidRegion(parts[2]) {
		f.region = parts[2]
	}
	if validFlowLogID(parts[3]) {
		f.flowLogID = parts[3]
	}
	f.time, _ = parseFileStamp(parts[4])
	return f, true
}

// parseFileStamp reads the YYYYMMDDTHHmmZ stamp by hand: time.Parse would accept a literal "Z"
// layout but also non-padded numbers, and the stamp is fixed-width.
func parseFileStamp(s string) (time.Time, bool) {
	if len(s) != 14 || s[8] != 'T' || s[13] != 'Z' {
		return time.Time{}, false
	}
	y, ok1 := fixedDigits(s[0:4], 4)
	mo, ok2 := fixedDigits(s[4:6], 2)
	d, ok3 := fixedDigits(s[6:8], 2)
	h, ok4 := fixedDigits(s[9:11], 2)
	mi, ok5 := fixedDigits(s[11:13], 2)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !validDate(y, mo, d) || h > 23 || mi > 59 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, 0, 0, time.UTC), true
}

// parseDateFolders checks the zero-padded YYYY, MM, DD AWS writes; a folder such as 2026/13/40 or
// 2026/1/2 is not one of its partitions.
func parseDateFolders(ys, ms, ds string) (y, m, d int, ok bool) {
	y, ok1 := fixedDigits(ys, 4)
	m, ok2 := fixedDigits(ms, 2)
	d, ok3 := fixedDigits(ds, 2)
	if !ok1 || !ok2 || !ok3 || !validDate(y, m, d) {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// validDate bounds the year at the Unix epoch: flow logs started in 2015, and anything earlier
// in a folder name is not a delivery date.
func validDate(y, m, d int) bool {
	if y < 1970 || m < 1 || m > 12 || d < 1 {
		return false
	}
	// Day 0 of the next month is the last day of this one.
	return d <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// fixedDigits parses exactly n ASCII digits; strconv.Atoi would also take signs.
func fixedDigits(s string, n int) (int, bool) {
	if len(s) != n {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// ValidAccountID reports whether s is a 12-digit AWS account id.
func ValidAccountID(s string) bool {
	_, ok := fixedDigits(s, 12)
	return ok
}

// ValidRegion reports whether s is shaped like an AWS region name: a two-letter area, one to three
// lowercase words and a number (us-east-1, us-gov-west-1, cn-north-1, us-isob-east-1). It checks
// shape, not membership, so regions AWS opens later still parse.
func ValidRegion(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 3 || len(parts) > 5 {
		return false
	}
	if len(parts[0]) != 2 || !isLower(parts[0]) {
		return false
	}
	for _, p := range parts[1 : len(parts)-1] {
		if p == "" || len(p) > 16 || !isLower(p) {
			return false
		}
	}
	last := parts[len(parts)-1]
	if _, ok := fixedDigits(last, len(last)); !ok || last == "" || len(last) > 2 {
		return false
	}
	return true
}

// ValidOrgID reports whether s is an AWS Organizations id (o- and 10 to 32 lowercase letters or
// digits), the folder that organization-wide delivery puts between AWSLogs and the account.
func ValidOrgID(s string) bool {
	rest, ok := strings.CutPrefix(s, "o-")
	return ok && len(rest) >= 10 && len(rest) <= 32 && isLowerAlnum(rest)
}

// validFlowLogID accepts "fl-" plus lowercase letters and digits; AWS ids are hex today, but the
// check stays loose enough for a longer or differently encoded id.
func validFlowLogID(s string) bool {
	rest, ok := strings.CutPrefix(s, "fl-")
	return ok && rest != "" && len(rest) <= 32 && isLowerAlnum(rest)
}

// validServiceName accepts folder names AWS uses for services (vpcflowlogs, CloudTrail,
// CloudTrail-Digest, elasticloadbalancing), and rejects anything with dots so a file name is
// never mistaken for a service folder.
func validServiceName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func isLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

func isLowerAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !(s[i] >= 'a' && s[i] <= 'z' || s[i] >= '0' && s[i] <= '9') {
			return false
		}
	}
	return true
}
