package cli

import (
	"github.com/spf13/cobra"

	"github.com/flowdig/flowdig/internal/demo"
)

type demoOptions struct {
	dir    string
	format string
}

func newDemoCmd(e *env) *cobra.Command {
	o := &demoOptions{}
	cmd := &cobra.Command{
		Use:   "demo [flags]",
		Short: "Generate a synthetic incident, ingest it, walk through the playbook's first queries and hunt",
		Long: `Generate a realistic, deterministic VPC Flow Logs dataset in the real S3 key layout (three
accounts, three regions, three days; default and custom formats; gzip text and Parquet; a Transit
Gateway log; a port scan, SSH brute force, exfiltration, beaconing and IOC contacts planted among
benign traffic; one file with bad lines and one truncated), ingest it into a fresh case, print
what the playbook's first queries find, and run every hunt detector (findings stored in the case).
The workspace (--dir) is recreated on every run.`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := (&outputOptions{format: o.format}).resolve(e.io.Out)
			if err != nil {
				return err
			}
			opt := demo.Options{Dir: o.dir, Out: e.io.Out, Err: e.io.Err, Format: format, Version: version()}
			if isTTY(e.io.Err) {
				opt.Progress = newBarProgress(e.io.Err)
			}
			return demo.Run(cmd.Context(), opt)
		},
	}
	cmd.Flags().StringVar(&o.dir, "dir", "flowdig-demo", "workspace for the generated data and the case database")
	cmd.Flags().StringVarP(&o.format, "format", "f", "table", "output format: table, csv, json, ndjson, markdown")
	return cmd
}
