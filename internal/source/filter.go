package source

import (
	"slices"
	"time"

	"github.com/flowdig/flowdig/internal/keylayout"
	"github.com/flowdig/flowdig/internal/timewindow"
)

// Filter is what a listing keeps: objects of the given accounts and regions (empty: any) whose
// folders or file name can hold records of the window. What a key does not say (a hand-made
// folder without account or date) is never a reason to leave an object out.
type Filter struct {
	Accounts []string
	Regions  []string
	Window   timewindow.Window
}

// Keeps reports whether the filter keeps an object with key facts k, and if not, why.
func (f Filter) Keeps(k keylayout.Info) (bool, string) {
	if len(f.Accounts) > 0 && k.AccountID != "" && !slices.Contains(f.Accounts, k.AccountID) {
		return false, "account " + k.AccountID + " not selected"
	}
	if len(f.Regions) > 0 && k.Region != "" && !slices.Contains(f.Regions, k.Region) {
		return false, "region " + k.Region + " not selected"
	}
	if !InReach(f.Window, k) {
		return false, "outside the time window"
	}
	return true, ""
}

// InReach reports whether an object with key facts k can hold records selected by w: its file
// name timestamp, else its hour or day folder, must fall within w.Reach() (a little before the
// window, one hour after it for late delivery). Keys without time facts are always in reach.
func InReach(w timewindow.Window, k keylayout.Info) bool {
	if w.IsAll() {
		return true
	}
	r := w.Reach()
	if !k.FileTime.IsZero() {
		return r.Contains(k.FileTime.Unix())
	}
	d := k.Date()
	if d.IsZero() {
		return true
	}
	span := 24 * time.Hour
	if k.Hour >= 0 {
		d, span = d.Add(time.Duration(k.Hour)*time.Hour), time.Hour
	}
	return SpanInReach(w, d, span)
}

// SpanInReach reports whether the folder covering [start, start+span) can hold objects in reach
// of w, so listers can skip whole year, month, day or hour folders.
func SpanInReach(w timewindow.Window, start time.Time, span time.Duration) bool {
	r := w.Reach()
	return r.Overlaps(start.Unix(), start.Add(span).Unix()-1)
}
