package detect

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/flowdig/flowdig/internal/catalog"
)

// minWindow is the shortest detection window: one record can span a 10-minute aggregation
// interval, so a shorter window would split what one record summarises.
const minWindow = 10 * time.Minute

// Validate checks every value: windows of at least 10 minutes, positive counts, shares
// between 0 and 1, ports and protocols in range, a readable baseline.
func (r Rules) Validate() error {
	v := reflect.ValueOf(r.Detectors)
	t := v.Type()
	for i := range t.NumField() {
		sec := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		sv := v.Field(i)
		for j := range sv.NumField() {
			f := sv.Type().Field(j)
			key := strings.Split(f.Tag.Get("yaml"), ",")[0]
			at := "detectors." + sec + "." + key
			switch x := sv.Field(j).Interface().(type) {
			case Duration:
				if (key == "window" || strings.HasSuffix(key, "_window")) && time.Duration(x) < minWindow {
					return fmt.Errorf("%s: %s is shorter than 10m: a record can span a 10-minute aggregation interval", at, x)
				}
				if x <= 0 {
					return fmt.Errorf("%s must be positive", at)
				}
			case int64:
				if strings.HasPrefix(key, "min_") || strings.HasPrefix(key, "high_") || strings.HasSuffix(key, "_packets") {
					if x < 1 {
						return fmt.Errorf("%s must be at least 1", at)
					}
				}
			case float64:
				if x < 0 || (strings.Contains(key, "share") || strings.HasPrefix(key, "trim_")) && x > 1 {
					return fmt.Errorf("%s must be between 0 and 1", at)
				}
			case []int64:
				top := int64(65535)
				if strings.Contains(key, "protocol") {
					top = 255
				}
				for _, p := range x {
					if p < 0 || p > top {
						return fmt.Errorf("%s: %d is out of range (0-%d)", at, p, top)
					}
				}
			}
		}
	}
	d := r.Detectors
	switch {
	case d.Beaconing.TrimLow >= d.Beaconing.TrimHigh:
		return fmt.Errorf("detectors.beaconing: trim_low must be below trim_high")
	case d.Beaconing.MaxRelStdev <= 0:
		return fmt.Errorf("detectors.beaconing.max_rel_stdev must be positive")
	case d.RejectSpike.Lookback < d.RejectSpike.Window:
		return fmt.Errorf("detectors.reject-spike: lookback must be at least one window")
	case d.NewTalker.PrefixV4 < 1 || d.NewTalker.PrefixV4 > 32:
		return fmt.Errorf("detectors.new-talker.prefix_v4 must be 1-32")
	case d.NewTalker.PrefixV6 < 1 || d.NewTalker.PrefixV6 > 128:
		return fmt.Errorf("detectors.new-talker.prefix_v6 must be 1-128")
	}
	if s := d.NewTalker.BaselineUntil; s != "" {
		if _, err := catalog.ParseTime(s, time.Now(), false); err != nil {
			return fmt.Errorf("detectors.new-talker.baseline_until: %w", err)
		}
	}
	return nil
}

// section returns the rules section of a detector as a struct value.
func (r Rules) section(name string) (reflect.Value, bool) {
	v := reflect.ValueOf(r.Detectors)
	for i := range v.NumField() {
		if strings.Split(v.Type().Field(i).Tag.Get("yaml"), ",")[0] == name {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

// Enabled reports whether a detector's section enables it.
func (r Rules) Enabled(name string) bool {
	s, ok := r.section(name)
	return ok && s.FieldByName("Enabled").Bool()
}

// Params returns a section's values by key, as the SQL binds them: durations in seconds.
// The enabled flag and text values are left out.
func (r Rules) Params(name string) map[string]any {
	out := map[string]any{}
	s, ok := r.section(name)
	if !ok {
		return out
	}
	for i := range s.NumField() {
		key := strings.Split(s.Type().Field(i).Tag.Get("yaml"), ",")[0]
		switch x := s.Field(i).Interface().(type) {
		case Duration:
			out[key] = x.Seconds()
		case int64, float64:
			out[key] = x
		case []int64:
			out[key] = append([]int64(nil), x...)
		}
	}
	return out
}

// Thresholds returns a section's values as written in YAML (durations as "10m"), for findings.
func (r Rules) Thresholds(name string) map[string]any {
	out := map[string]any{}
	s, ok := r.section(name)
	if !ok {
		return out
	}
	for i := range s.NumField() {
		key := strings.Split(s.Type().Field(i).Tag.Get("yaml"), ",")[0]
		switch x := s.Field(i).Interface().(type) {
		case bool:
		case Duration:
			out[key] = x.String()
		case string:
			if x != "" {
				out[key] = x
			}
		default:
			out[key] = x
		}
	}
	return out
}
