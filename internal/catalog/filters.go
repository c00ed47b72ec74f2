package catalog

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Filters are the options every entry accepts. Zero values mean "no filter".
type Filters struct {
	From, To  time.Time // records whose [start, end] overlaps [From, To)
	Account   string    // the account of the key (log_account_id) or of the ENI (account_id)
	Region    string    // the region of the key (log_region) or the record's region field
	VPC       string
	Interface string
	Limit     int64 // overrides the entry's limit parameter
}

// ParseTime reads --from/--to values: a date (2026-11-01), an RFC 3339 time, or a duration
// before now ("24h", "90m", "7d"). A date given as the end of a range (end=true) includes that
// whole day, so --from 2026-11-01 --to 2026-11-01 is one day.
func ParseTime(s string, now time.Time, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("2006-01-02", s); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if d, ok := parseAgo(s); ok {
		return now.Add(-d).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date (2026-11-01), an RFC 3339 time (2026-11-01T10:00:00Z) or a duration ago (24h, 7d)", s)
}

func parseAgo(s string) (time.Duration, bool) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 0 {
			return 0, false
		}
		return time.Duration(days) * 24 * time.Hour, true
	}
	d, err := time.ParseDuration(s)
	return d, err == nil && d >= 0
}

// needs lists the columns the filters read.
func (f Filters) needs() []string {
	var out []string
	if !f.From.IsZero() || !f.To.IsZero() {
		out = append(out, "start", "end")
	}
	if f.VPC != "" {
		out = append(out, "vpc_id")
	}
	if f.Interface != "" {
		out = append(out, "interface_id")
	}
	return out
}

// clauses renders the filters as SQL conditions on the flows columns; values go through bind.
// Time conditions compare start and end directly, so DuckDB pushes them into the table scan
// and skips row groups whose min/max start and end lie outside the window. On Athena the
// account, region and day also restrict the partitions read (date_partition, region_partition,
// account_partition: the playbook's partition-projection names, which flowdig's Athena table
// uses too).
func (f Filters) clauses(d Dialect, bind func(name string, v any) string) []string {
	var out []string
	if !f.To.IsZero() {
		out = append(out, `start < `+bind("f_to", f.To.Unix()))
	}
	if !f.From.IsZero() {
		out = append(out, `"end" >= `+bind("f_from", f.From.Unix()))
	}
	if d == Athena && (!f.From.IsZero() || !f.To.IsZero()) {
		// Files are delivered after their records (up to an hour later), into the folder of
		// their delivery time, so the last partition read is the day of To plus one hour.
		from, to := "0000/01/01", "9999/12/31"
		if !f.From.IsZero() {
			from = f.From.UTC().Format("2006/01/02")
		}
		if !f.To.IsZero() {
			to = f.To.UTC().Add(time.Hour - time.Second).Format("2006/01/02")
		}
		out = append(out, "date_partition BETWEEN "+bind("f_day_from", from)+" AND "+bind("f_day_to", to))
	}
	if f.Account != "" {
		a := bind("f_account", f.Account)
		if d == Athena {
			out = append(out, "account_partition = "+a)
		} else {
			out = append(out, "(log_account_id = "+a+" OR account_id = "+a+")")
		}
	}
	if f.Region != "" {
		r := bind("f_region", f.Region)
		if d == Athena {
			out = append(out, "region_partition = "+r)
		} else {
			out = append(out, "(log_region = "+r+" OR region = "+r+")")
		}
	}
	if f.VPC != "" {
		out = append(out, "vpc_id = "+bind("f_vpc", f.VPC))
	}
	if f.Interface != "" {
		out = append(out, "interface_id = "+bind("f_interface", f.Interface))
	}
	return out
}

// Validate checks the filter values like parameters.
func (f Filters) Validate() error {
	checks := []struct{ typ, v, flag string }{
		{"account", f.Account, "--account"}, {"region", f.Region, "--region"},
		{"vpc", f.VPC, "--vpc"}, {"eni", f.Interface, "--interface"},
	}
	for _, c := range checks {
		if c.v == "" {
			continue
		}
		if _, err := validator(c.typ)(c.v); err != nil {
			return fmt.Errorf("%s: %w", c.flag, err)
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return fmt.Errorf("--from %s is not before --to %s", f.From.Format(time.RFC3339), f.To.Format(time.RFC3339))
	}
	if f.Limit < 0 {
		return fmt.Errorf("--limit must not be negative")
	}
	return nil
}
