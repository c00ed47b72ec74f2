// Package store owns the DuckDB case database: opening it with the per-connection settings that
// make Athena SQL behave, applying the embedded schema, the chain-of-custody ledger, and the single
// writer that bulk-loads Arrow batches. Nothing else in flowdig writes to the database.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/flowdig/flowdig/internal/catalog"
	"github.com/flowdig/flowdig/internal/trino"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

// Migrations are the files sql/NNN_name.sql, applied in order; a case's schema version is the
// highest NNN applied. Views and macros (sql/views.sql, Trino macros) are recreated on every
// read-write open instead, so they always match the binary.
type migration struct {
	version int
	file    string
}

func migrations() ([]migration, error) {
	names, err := fs.Glob(sqlFiles, "sql/[0-9][0-9][0-9]_*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]migration, 0, len(names))
	for i, n := range names {
		v, err := strconv.Atoi(path.Base(n)[:3])
		if err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s: versions must run 001, 002, … without gaps", n)
		}
		out = append(out, migration{version: v, file: n})
	}
	return out, nil
}

// SchemaVersion is the schema this build writes: the number of migrations.
func SchemaVersion() int {
	m, _ := migrations()
	return len(m)
}

// Options control how a case database is opened.
type Options struct {
	ReadOnly    bool   // open without write access (queries, reports)
	MemoryLimit string // DuckDB memory_limit, e.g. "512MB"; empty keeps DuckDB's default
	Threads     int    // DuckDB threads; 0 keeps DuckDB's default (all cores)
	Version     string // flowdig version recorded in the ledger
	upgraded    bool   // internal: a read-only open already upgraded the schema once
}

// DB is an open case database.
type DB struct {
	SQL      *sql.DB
	Path     string
	ReadOnly bool
	version  string
}

// ErrNoCase means a read-only open found no case database at the path.
var ErrNoCase = errors.New("no case database")

// Open opens (creating if needed, unless read-only) the case database at path and brings its
// schema up to date.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("open case database %s: is a directory", path)
	} else if err != nil && opt.ReadOnly {
		return nil, fmt.Errorf("open case database %s: %w (run flowdig ingest first)", path, ErrNoCase)
	}
	if !opt.ReadOnly {
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, fmt.Errorf("open case database %s: %w", path, err)
			}
		}
	}
	q := url.Values{}
	// New case files use DuckDB's current storage format (faster string compression).
	q.Set("storage_compatibility_version", "latest")
	if opt.ReadOnly {
		q.Set("access_mode", "READ_ONLY")
	}
	if opt.Threads > 0 {
		q.Set("threads", strconv.Itoa(opt.Threads))
	}
	if opt.MemoryLimit != "" {
		q.Set("memory_limit", opt.MemoryLimit)
	}
	settings := trino.ConnSettings()
	connector, err := duckdb.NewConnector(path+"?"+q.Encode(), func(ex driver.ExecerContext) error {
		for _, s := range settings {
			if _, err := ex.ExecContext(context.Background(), s, nil); err != nil {
				return fmt.Errorf("connection setting %q: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("open case database %s: %w", path, explainOpenError(err))
	}
	db := &DB{SQL: sql.OpenDB(connector), Path: path, ReadOnly: opt.ReadOnly, version: opt.Version}
	if err := db.SQL.PingContext(ctx); err != nil {
		db.SQL.Close()
		return nil, fmt.Errorf("open case database %s: %w", path, explainOpenError(err))
	}
	if opt.ReadOnly {
		err = db.checkSchema(ctx)
	} else {
		err = db.migrate(ctx)
	}
	if err != nil {
		db.SQL.Close()
		if errors.Is(err, errOlderSchema) && !opt.upgraded {
			// A case written by an older flowdig gets this version's tables and views once (the
			// records are not touched), then opens read-only as asked.
			rw := opt
			rw.ReadOnly = false
			up, uerr := Open(ctx, path, rw)
			if uerr != nil {
				return nil, uerr
			}
			if uerr = up.Close(); uerr != nil {
				return nil, fmt.Errorf("open case database %s: upgrade: %w", path, uerr)
			}
			opt.upgraded = true
			return Open(ctx, path, opt)
		}
		return nil, fmt.Errorf("open case database %s: %w", path, err)
	}
	return db, nil
}

// errOlderSchema marks a case written by an older flowdig.
var errOlderSchema = errors.New("case schema is older than this flowdig")

// Close closes the database, checkpointing the write-ahead log when it was opened for writing.
func (d *DB) Close() error {
	if !d.ReadOnly {
		_, _ = d.SQL.ExecContext(context.Background(), "CHECKPOINT")
	}
	return d.SQL.Close()
}

func explainOpenError(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "Could not set lock"):
		return fmt.Errorf("the case database is in use by another process: %w", err)
	case strings.Contains(msg, "not a valid DuckDB database"), strings.Contains(msg, "Invalid Input Error"):
		return fmt.Errorf("not a flowdig case database: %w", err)
	}
	return err
}

func (d *DB) schemaVersion(ctx context.Context) (int, error) {
	var n int
	err := d.SQL.QueryRowContext(ctx,
		`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'flowdig_schema' AND schema_name = 'main'`).Scan(&n)
	if err != nil || n == 0 {
		return 0, err
	}
	var v sql.NullInt64
	if err := d.SQL.QueryRowContext(ctx, `SELECT max(version) FROM flowdig_schema`).Scan(&v); err != nil {
		return 0, err
	}
	return int(v.Int64), nil
}

func (d *DB) checkSchema(ctx context.Context) error {
	v, err := d.schemaVersion(ctx)
	if err != nil {
		return err
	}
	if v == 0 {
		return fmt.Errorf("%w: no flowdig schema in this file", ErrNoCase)
	}
	if want := SchemaVersion(); v > want {
		return fmt.Errorf("case schema version %d is newer than this flowdig (%d); upgrade flowdig", v, want)
	} else if v < want {
		return fmt.Errorf("%w (version %d, this flowdig writes %d)", errOlderSchema, v, want)
	}
	return nil
}

// migrate applies the schema files this database lacks, then (re)creates the macros and views,
// each in one transaction.
func (d *DB) migrate(ctx context.Context) error {
	v, err := d.schemaVersion(ctx)
	if err != nil {
		return err
	}
	steps, err := migrations()
	if err != nil {
		return err
	}
	if v > len(steps) {
		return fmt.Errorf("case schema version %d is newer than this flowdig (%d); upgrade flowdig", v, len(steps))
	}
	tx, err := d.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if v == 0 {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE flowdig_schema (version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL, flowdig_version VARCHAR NOT NULL)`); err != nil {
			return fmt.Errorf("apply schema: %w", err)
		}
	}
	for _, m := range steps[v:] {
		text, err := sqlFiles.ReadFile(m.file)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(text)); err != nil {
			return fmt.Errorf("apply %s: %w", path.Base(m.file), err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO flowdig_schema VALUES (?, now(), ?)`, m.version, d.version); err != nil {
			return fmt.Errorf("record schema version: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, trino.Macros()); err != nil {
		return fmt.Errorf("create Trino compatibility macros: %w", err)
	}
	if err := refreshPartitionMacros(ctx, tx); err != nil {
		return err
	}
	if err := refreshRecordsView(ctx, tx); err != nil {
		return err
	}
	views, err := sqlFiles.ReadFile("sql/views.sql")
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(views)); err != nil {
		return fmt.Errorf("create views: %w", err)
	}
	if err := createDirectionalView(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// createDirectionalView makes the playbook's incident_vpc_flow_directional view from the
// catalogue's ioc-directional entry, so the SQL exists once, and the playbook's
// "SELECT … FROM incident_vpc_flow_directional" runs as written.
func createDirectionalView(ctx context.Context, ex execer) error {
	cat, err := catalog.Load()
	if err != nil {
		return err
	}
	e, ok := cat.Find("ioc-directional")
	if !ok {
		return fmt.Errorf("create view incident_vpc_flow_directional: no catalogue entry ioc-directional")
	}
	q, err := e.Render(catalog.DuckDB, catalog.LocalTarget(), nil, catalog.Filters{})
	if err != nil {
		return fmt.Errorf("create view incident_vpc_flow_directional: %w", err)
	}
	if _, err := ex.ExecContext(ctx, "CREATE OR REPLACE VIEW incident_vpc_flow_directional AS "+q.SQL); err != nil {
		return fmt.Errorf("create view incident_vpc_flow_directional: %w", err)
	}
	return nil
}

// execer is what both *sql.Tx and *sql.Conn offer.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// refreshPartitionMacros rewrites the fd_part_* macros as list lookups over log_partitions, so
// that flows can show the key-derived account, region and flow-log id without storing them per
// row or joining on every query.
func refreshPartitionMacros(ctx context.Context, ex execer) error {
	rows, err := ex.QueryContext(ctx, `SELECT part_id, log_account_id, log_region, flow_log_id FROM log_partitions ORDER BY part_id`)
	if err != nil {
		return fmt.Errorf("read log partitions: %w", err)
	}
	defer rows.Close()
	var acct, region, fl []string
	for rows.Next() {
		var id int
		var a, r, f sql.NullString
		if err := rows.Scan(&id, &a, &r, &f); err != nil {
			return fmt.Errorf("read log partitions: %w", err)
		}
		if id != len(acct)+1 {
			return fmt.Errorf("log partitions: ids are not dense (found %d after %d)", id, len(acct))
		}
		acct, region, fl = append(acct, sqlString(a)), append(region, sqlString(r)), append(fl, sqlString(f))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read log partitions: %w", err)
	}
	for _, m := range []struct {
		name string
		vals []string
	}{{"fd_part_account", acct}, {"fd_part_region", region}, {"fd_part_flow_log", fl}} {
		body := "CAST(NULL AS VARCHAR)"
		if len(m.vals) > 0 {
			body = "CAST([" + strings.Join(m.vals, ",") + "][p] AS VARCHAR)"
		}
		if _, err := ex.ExecContext(ctx, "CREATE OR REPLACE MACRO "+m.name+"(p) AS "+body); err != nil {
			return fmt.Errorf("create macro %s: %w", m.name, err)
		}
	}
	return nil
}

// sqlString renders a nullable string as a SQL literal.
func sqlString(s sql.NullString) string {
	if !s.Valid {
		return "NULL"
	}
	return QuoteString(s.String)
}

// QuoteString renders s as a SQL string literal.
func QuoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// QuoteIdent renders s as a SQL identifier.
func QuoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
