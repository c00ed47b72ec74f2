// Package trino makes the Trino (Athena engine v3) functions that the AWS
// VPC Flow Logs documentation and the aws-samples incident-response playbook
// use work in DuckDB, so SQL written for Athena runs locally unchanged apart
// from the table name.
//
// The functions are SQL macros kept in trino.sql, which also lists which
// Trino functions DuckDB already provides natively and the differences that
// remain. The macros are data, not Go: a query engine only needs to run
// Macros once per database and ConnSettings on every connection.
package trino

import _ "embed" // for trino.sql

//go:embed trino.sql
var macros string

// Macros returns the SQL script that defines the Trino functions as DuckDB
// macros: a sequence of CREATE OR REPLACE MACRO statements, to be run as one
// multi-statement Exec. It is idempotent, so it is safe to run on every open.
//
// The macros are created in the current database's default schema, so they
// persist with a database file and are visible to every connection. Four of
// them (date_add, date_diff, split_part, cardinality) deliberately replace
// DuckDB built-ins of the same name whose semantics differ from Trino's.
func Macros() string {
	return macros
}

// ConnSettings returns the SET statements that every connection must run
// before it uses the macros. DuckDB settings are per connection, and the
// macros (like Athena) assume UTC, and Trino divides bigint by bigint as
// integers: SUM(numbytes)/count(*) truncates, it does not yield a double.
func ConnSettings() []string {
	return []string{
		"SET TimeZone = 'UTC'",
		"SET integer_division = true",
	}
}
