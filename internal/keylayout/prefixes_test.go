package keylayout

import (
	"slices"
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestDayPrefixes(t *testing.T) {
	tokyo := time.FixedZone("UTC+9", 9*3600)
	tests := []struct {
		name     string
		prefix   string
		layout   Layout
		from, to time.Time
		want     []string
	}{
		{"plain one day", "", Plain, day(2026, 1, 2), day(2026, 1, 2),
			[]string{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/01/02/"}},
		{"plain hourly has no hour folder", "flow/prod", PlainHourly, day(2026, 1, 2), day(2026, 1, 2).Add(23 * time.Hour),
			[]string{"flow/prod/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/01/02/"}},
		{"hive across leap day and month end", "", Hive, day(2024, 2, 28), day(2024, 3, 1), []string{
			"AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2024/month=02/day=28/",
			"AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2024/month=02/day=29/",
			"AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2024/month=03/day=01/",
		}},
		{"hive hourly across year end, trailing slash on prefix", "a/b/", HiveHourly, day(2025, 12, 31).Add(22 * time.Hour), day(2026, 1, 1).Add(time.Hour), []string{
			"a/b/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2025/month=12/day=31/",
			"a/b/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=01/day=01/",
		}},
		// 2026-01-02 08:00 in Tokyo is still 2026-01-01 in UTC, which is how AWS names the folder.
		{"non-UTC input uses the UTC day", "", Plain, time.Date(2026, 1, 2, 8, 0, 0, 0, tokyo), time.Date(2026, 1, 2, 8, 0, 0, 0, tokyo),
			[]string{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/01/01/"}},
		{"to before from", "", Plain, day(2026, 1, 2), day(2026, 1, 1), nil},
		{"layout none", "", None, day(2026, 1, 2), day(2026, 1, 2), nil},
		{"unknown layout", "", Layout("daily"), day(2026, 1, 2), day(2026, 1, 2), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DayPrefixes(tt.prefix, tt.layout, acct, "us-east-1", tt.from, tt.to)
			if !slices.Equal(got, tt.want) {
				t.Errorf("DayPrefixes() =\n %q\nwant\n %q", got, tt.want)
			}
		})
	}
}

// TestDayPrefixesRoundTrip checks that objects placed under the generated prefixes parse back to
// the layout, account, region and day they were generated for, so listing and parsing agree.
func TestDayPrefixesRoundTrip(t *testing.T) {
	from, to := day(2025, 12, 30), day(2026, 1, 2)
	for _, l := range []Layout{Plain, PlainHourly, Hive, HiveHourly} {
		prefixes := DayPrefixes("org/vpc", l, acct, "ap-southeast-7", from, to)
		if len(prefixes) != 4 {
			t.Fatalf("%s: got %d prefixes, want 4", l, len(prefixes))
		}
		for n, p := range prefixes {
			key := p
			if l == PlainHourly {
				key += "23/"
			} else if l == HiveHourly {
				key += "hour=23/"
			}
			key += fileName
			got := Parse(key)
			wantDay := from.AddDate(0, 0, n)
			if got.Layout != l || got.Prefix != "org/vpc" || got.AccountID != acct || got.Region != "ap-southeast-7" ||
				!got.Date().Equal(wantDay) || got.Service != FlowLogService {
				t.Errorf("Parse(%q) = %+v, want layout %s on %s", key, got, l, wantDay.Format(time.DateOnly))
			}
		}
	}
}
