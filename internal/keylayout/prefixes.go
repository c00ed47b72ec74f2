package keylayout

import (
	"fmt"
	"strings"
	"time"
)

// DayPrefixes returns the S3 key prefixes (each ending in "/") under which objects for account
// and region on the UTC days [from, to] live in layout l, given the part before AWSLogs ("" or
// "some/prefix"; a trailing "/" is tolerated). Hourly layouts get one prefix per day folder, not
// per hour: one LIST per day covers all 24 hour folders. It returns nil for None, an unknown
// layout, or to before from. The caller bounds the range; the result has one entry per day.
// Organization (o-…) folders are not produced: AWS documents none for flow logs.
func DayPrefixes(prefix string, l Layout, account, region string, from, to time.Time) []string {
	if l != Plain && l != PlainHourly && l != Hive && l != HiveHourly {
		return nil
	}
	start, end := utcDay(from), utcDay(to)
	if end.Before(start) {
		return nil
	}
	base := prefix
	if base != "" && !strings.HasSuffix(base, "/") {
		base += "/"
	}
	base += awsLogs + "/"
	if l.IsHive() {
		base += fmt.Sprintf("aws-account-id=%s/aws-service=%s/aws-region=%s/", account, FlowLogService, region)
	} else {
		base += fmt.Sprintf("%s/%s/%s/", account, FlowLogService, region)
	}

	var out []string
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		if l.IsHive() {
			out = append(out, base+fmt.Sprintf("year=%04d/month=%02d/day=%02d/", d.Year(), int(d.Month()), d.Day()))
		} else {
			out = append(out, base+fmt.Sprintf("%04d/%02d/%02d/", d.Year(), int(d.Month()), d.Day()))
		}
	}
	return out
}

// utcDay is the UTC midnight of t's UTC date: AWS partitions by UTC, whatever zone t carries.
func utcDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
