// Command duckbench times DuckDB itself on flow-log files, as the baseline flowdig's benchmark
// compares against: read_csv(...) into CREATE TABLE AS, and a query over a table or view.
//
//	duckbench ctas  -db base.duckdb -files 'DIR/**/*.log.gz' [-typed]
//	duckbench query -db case.duckdb -sql 'SELECT …' [-repeat 3]
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

// typedColumns is read_csv told the default format's types and that '-' is NULL, the best a
// DuckDB user can do by hand; without it read_csv infers VARCHAR for any column holding '-'.
const typedColumns = `, nullstr = '-', columns = {'version': 'INTEGER', 'account_id': 'VARCHAR',
 'interface_id': 'VARCHAR', 'srcaddr': 'VARCHAR', 'dstaddr': 'VARCHAR', 'srcport': 'INTEGER',
 'dstport': 'INTEGER', 'protocol': 'INTEGER', 'packets': 'BIGINT', 'bytes': 'BIGINT',
 'start': 'BIGINT', 'end': 'BIGINT', 'action': 'VARCHAR', 'log_status': 'VARCHAR'}`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: duckbench ctas|query [flags]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	db := fs.String("db", "", "database file")
	files := fs.String("files", "", "ctas: glob of the flow-log files")
	typed := fs.Bool("typed", false, "ctas: give read_csv the column types and nullstr '-'")
	q := fs.String("sql", "", "query: SQL to time")
	repeat := fs.Int("repeat", 3, "query: runs (the best is reported)")
	_ = fs.Parse(os.Args[2:])
	conn, err := sql.Open("duckdb", *db)
	if err != nil {
		fail(err)
	}
	defer conn.Close()
	ctx := context.Background()
	switch os.Args[1] {
	case "ctas":
		opts := ""
		if *typed {
			opts = typedColumns
		}
		stmt := fmt.Sprintf(`CREATE TABLE flows AS SELECT * FROM read_csv('%s', delim = ' ', header = true%s)`, *files, opts)
		began := time.Now()
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			fail(err)
		}
		if _, err := conn.ExecContext(ctx, "CHECKPOINT"); err != nil {
			fail(err)
		}
		fmt.Printf("%.2f\n", time.Since(began).Seconds())
	case "query":
		best := time.Duration(1<<63 - 1)
		for range *repeat {
			began := time.Now()
			rows, err := conn.QueryContext(ctx, *q)
			if err != nil {
				fail(err)
			}
			for rows.Next() {
			}
			if err := rows.Err(); err != nil {
				fail(err)
			}
			rows.Close()
			best = min(best, time.Since(began))
		}
		fmt.Printf("%.3f\n", best.Seconds())
	default:
		fail(fmt.Errorf("unknown mode %q", os.Args[1]))
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "duckbench:", err)
	os.Exit(1)
}
