package demo

import (
	"context"
	"fmt"

	"github.com/flowdig/flowdig/internal/detect"
	"github.com/flowdig/flowdig/internal/report"
	"github.com/flowdig/flowdig/internal/store"
)

// hunt runs every detector with the default rules, stores the findings in the case as
// `flowdig hunt` does, and prints those of medium and high severity; the low ones (mostly
// networks first contacted after the baseline day) are counted.
func hunt(ctx context.Context, db *store.DB, opt Options) (*detect.Result, error) {
	res, err := detect.Hunt(ctx, db, detect.Options{Rules: detect.Default(), Version: opt.Version, Args: "flowdig demo"})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(opt.Out, "\n== Hunt: findings of medium and high severity (every detector, default rules)\n")
	w, err := report.NewWriter(opt.Out, opt.Format, report.Options{MaxWidth: 72, Footer: opt.Format == report.Table})
	if err != nil {
		return nil, err
	}
	if err := w.Begin([]report.Column{{Name: "id"}, {Name: "severity"}, {Name: "detector"}, {Name: "summary"}}); err != nil {
		return nil, err
	}
	low := 0
	for _, f := range res.Findings {
		if f.Severity == "low" {
			low++
			continue
		}
		if err := w.Row([]any{f.ID, f.Severity, f.Detector, f.Summary}); err != nil {
			return nil, err
		}
	}
	if err := w.End(); err != nil {
		return nil, err
	}
	fmt.Fprintf(opt.Out, "%d findings in all, %d of low severity not shown; %d detectors over %d records in %.1fs.\n",
		len(res.Findings), low, len(res.Runs), res.Records, res.Elapsed.Seconds())
	return res, nil
}
