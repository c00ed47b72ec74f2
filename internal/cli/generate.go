package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/flowdig/flowdig/internal/synth"
)

type generateOptions struct {
	out     string
	records int
	days    int
	seed    int64
	start   string
	bench   bool
}

func newGenerateCmd(e *env) *cobra.Command {
	o := &generateOptions{}
	d := synth.DemoConfig()
	cmd := &cobra.Command{
		Use:   "generate --out DIR [flags]",
		Short: "Write a synthetic flow-log dataset in the S3 key layout (for tests and benchmarks)",
		Long: `Write a deterministic synthetic VPC Flow Logs dataset under DIR, laid out as a copied S3 bucket,
with DIR/manifest.json describing every file and the planted ground truth. --bench writes only
default-format gzip text for one account and region (the benchmark dataset: about 2,300 files per
10 million records).`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.out == "" {
				return usagef("--out is required")
			}
			start, err := time.Parse("2006-01-02", o.start)
			if err != nil {
				return usagef("--start: want YYYY-MM-DD: %v", err)
			}
			cfg := synth.Config{Seed: o.seed, Start: start, Days: o.days, Records: o.records, BenchOnly: o.bench, RecordsPerFile: d.RecordsPerFile}
			began := time.Now()
			m, err := synth.Generate(cmd.Context(), o.out, cfg)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.io.Err, "wrote %d files, %d records, %.1f MB in %.1fs\n",
				m.Totals.Files, m.Totals.Records, float64(m.Totals.Bytes)/1e6, time.Since(began).Seconds())
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "", "empty or new directory to write into")
	f.IntVar(&o.records, "records", d.Records, "number of benign records")
	f.IntVar(&o.days, "days", d.Days, "number of days")
	f.Int64Var(&o.seed, "seed", d.Seed, "random seed (same seed, same bytes)")
	f.StringVar(&o.start, "start", d.Start.Format("2006-01-02"), "first day (UTC)")
	f.BoolVar(&o.bench, "bench", false, "benchmark dataset: default format only, one account and region, no scenarios")
	return cmd
}
