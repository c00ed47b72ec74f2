// Package cli is flowdig's command line: one file per command, each an options struct, a cobra
// command that binds flags to it, and a run function. Exit codes are decided here, in one place.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/flowdig/flowdig/internal/store"
	"golang.org/x/term"
)

// Exit codes.
const (
	ExitOK          = 0
	ExitError       = 1   // the command could not do its job (bad SQL, unusable database, strict quarantine…)
	ExitUsage       = 2   // bad flags or arguments
	ExitInterrupted = 130 // Ctrl-C (128 + SIGINT)
)

// version identifies this build in the ledger and in reports: the module version when built
// from a tagged module, else the VCS revision (with "+dirty" for uncommitted changes).
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty"
	}
	return "dev-" + rev
}

// Stdio is the process's standard streams, injectable for tests.
type Stdio struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// usageError marks errors caused by how the command was invoked.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// exitError carries a specific exit code with a message already printed (or to print).
type exitError struct {
	code int
	err  error
}

func (e exitError) Error() string { return e.err.Error() }
func (e exitError) Unwrap() error { return e.err }

// env is what every command shares: streams and the global --db flag.
type env struct {
	io     Stdio
	dbPath string
}

// isTTY reports whether w is a terminal.
func isTTY(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Run executes flowdig with args (without the program name) and returns the exit code.
func Run(ctx context.Context, args []string, stdio Stdio) int {
	e := &env{io: stdio}
	root := newRoot(e)
	root.SetArgs(args)
	root.SetIn(stdio.In)
	root.SetOut(stdio.Out)
	root.SetErr(stdio.Err)
	err := root.ExecuteContext(ctx)
	return exitCode(err, ctx, stdio.Err)
}

func exitCode(err error, ctx context.Context, stderr io.Writer) int {
	if err == nil {
		return ExitOK
	}
	var ee exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(stderr, "flowdig:", ee.err)
		}
		return ee.code
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		fmt.Fprintln(stderr, "flowdig: interrupted")
		return ExitInterrupted
	}
	fmt.Fprintln(stderr, "flowdig:", err)
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, "Run 'flowdig --help' for usage.")
		return ExitUsage
	}
	return ExitError
}

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "flowdig",
		Short: "Incident response on AWS VPC Flow Logs: ingest, query, hunt, report",
		Long: `flowdig turns the AWS playbook "Analyzing VPC Flow Logs" into one tool: it ingests
flow logs (any S3 layout, any field order, gzip text or Parquet) into a local DuckDB case
database with a chain-of-custody ledger, and answers the playbook's questions in SQL.`,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.SuggestionsMinimumDistance = 2
	// Without subcommand, arguments are a mistyped command: a usage error with cobra's suggestion.
	root.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		msg := fmt.Sprintf("unknown command %q", args[0])
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			msg += "\nDid you mean this? " + strings.Join(s, ", ")
		}
		return usageError{errors.New(msg)}
	}
	root.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	root.PersistentFlags().StringVar(&e.dbPath, "db", "",
		"case database file (default $FLOWDIG_DB, then ./flowdig.duckdb)")
	root.AddCommand(
		newIngestCmd(e),
		newQueryCmd(e),
		newSourcesCmd(e),
		newCatalogCmd(e),
		newRunCmd(e),
		newPlaybookCmd(e),
		newDemoCmd(e),
		newGenerateCmd(e),
		newIOCCmd(e),
		newEnrichCmd(e),
		newHuntCmd(e),
		newFindingCmd(e),
		newCoverageCmd(e),
	)
	return root
}

// casePath resolves --db, then $FLOWDIG_DB, then ./flowdig.duckdb.
func (e *env) casePath() string {
	if e.dbPath != "" {
		return e.dbPath
	}
	if p := os.Getenv("FLOWDIG_DB"); p != "" {
		return p
	}
	return "flowdig.duckdb"
}

// noArgs and friends turn cobra's argument errors into usage errors.
func argsUsage(v cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := v(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}

// openCase opens the existing case at --db: read-only for commands that only report, read-write
// for those that add to it (lists, enrichment). Neither creates an empty case from a mistyped
// --db; only ingest creates cases.
func (e *env) openCase(ctx context.Context, readOnly bool) (*store.DB, error) {
	return e.openCaseWith(ctx, store.Options{ReadOnly: readOnly})
}

// openCaseWith is openCase with other store options (a memory limit); the version is set here.
func (e *env) openCaseWith(ctx context.Context, opt store.Options) (*store.DB, error) {
	path := e.casePath()
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open case database %s: %w (run flowdig ingest first)", path, store.ErrNoCase)
	}
	opt.Version = version()
	return store.Open(ctx, path, opt)
}
