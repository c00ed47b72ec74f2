package trino

import (
	"fmt"
	"testing"
)

func TestDateFormatSpecifiers(t *testing.T) {
	conn := openConn(t)
	refs := referenceTimestamps()
	for _, s := range specifiers() {
		for i, ts := range refs {
			expr := fmt.Sprintf("date_format(%s, %s)", ts, sqlString("%"+string(s.spec)))
			c := exprCase{expr: expr, want: s.want[i], wantType: "VARCHAR"}
			if s.format == "" {
				c = exprCase{expr: expr, wantErr: fmt.Sprintf("%%%c not supported in date format string", s.spec)}
			}
			runExprCases(t, conn, []exprCase{c})
		}
	}
}

func TestDateFormat(t *testing.T) {
	runExprCases(t, openConn(t), []exprCase{
		// The playbook's data-ratio query.
		{expr: "date_format(from_unixtime(1566848875), '%Y/%m/%d %H:%i:%s')", want: "2019/08/26 19:47:55", wantType: "VARCHAR"},
		// A translation is never translated again: %i becomes %M, which must
		// not then turn into a month name, and %M's %B stays a month name.
		{expr: "date_format(from_unixtime(1566848875), '%i %M %s %S')", want: "47 August 55 55"},
		{expr: "date_format(from_unixtime(1566848875), '%%i=%i %%%M')", want: "%i=47 %August"},
		{expr: "date_format(from_unixtime(1566848875), '%T %r')", want: "19:47:55 07:47:55 PM"},
		// Literal text, an unknown specifier (printed as its character), and
		// a trailing lone % (dropped), as in Trino.
		{expr: "date_format(from_unixtime(1566848875), 'at %H h, day %Q 50%')", want: "at 19 h, day Q 50"},
		{expr: "date_format(from_unixtime(1566848875), NULL)", want: "NULL"},
		{expr: "date_format(CAST(NULL AS TIMESTAMPTZ), '%Y')", want: "NULL"},
		{expr: "date_format(DATE '2019-08-26', '%Y-%m-%d %H:%i')", want: "2019-08-26 00:00"},
		{expr: "date_format(from_unixtime(1566848875), '%D')", wantErr: "%D not supported in date format string"},
		// from_unixtime values are in UTC whatever offset an input had.
		{expr: "date_format(TIMESTAMPTZ '2019-08-26 21:47:55+02', '%H:%i')", want: "19:47"},
	})
}

func TestDateParse(t *testing.T) {
	runExprCases(t, openConn(t), []exprCase{
		{expr: "date_parse('2019/08/26 19:47:55', '%Y/%m/%d %H:%i:%s')", want: "2019-08-26 19:47:55", wantType: tsType},
		{expr: "date_parse('Aug 26 2019 7:47:55 PM', '%b %e %Y %l:%i:%s %p')", want: "2019-08-26 19:47:55"},
		{expr: "date_parse('Monday, August 26, 2019', '%W, %M %d, %Y')", want: "2019-08-26 00:00:00"},
		{expr: "date_parse('2019-238', '%Y-%j')", want: "2019-08-26 00:00:00"},
		{expr: "date_parse('8/6/19 9:07', '%c/%e/%y %k:%i')", want: "2019-08-06 09:07:00"},
		{expr: "date_parse('2019-08-26 07:47:55 PM', '%Y-%m-%d %r')", want: "2019-08-26 19:47:55"},
		{expr: "date_parse('2019-08-26 07:47:55 pm', '%Y-%m-%d %h:%i:%S %p')", want: "2019-08-26 19:47:55"},
		// Fractions parse from 1 to 6 digits and keep milliseconds, as
		// Trino's timestamp(3) does.
		{expr: "date_parse('2019-08-26 19:47:55.5', '%Y-%m-%d %T.%f')", want: "2019-08-26 19:47:55.5"},
		{expr: "date_parse('2019-08-26 19:47:55.123456', '%Y-%m-%d %T.%f')", want: "2019-08-26 19:47:55.123"},
		// Trino's two-digit-year pivot: 70 is 1970, 69 is 2069.
		{expr: "date_parse('1/1/70', '%c/%e/%y')", want: "1970-01-01 00:00:00"},
		{expr: "date_parse('1/1/69', '%c/%e/%y')", want: "2069-01-01 00:00:00"},
		{expr: "date_parse('1/1/00', '%c/%e/%y')", want: "2000-01-01 00:00:00"},
		// Fields that are not parsed default to 1970-01-01 00:00:00.
		{expr: "date_parse('19:47:55', '%H:%i:%s')", want: "1970-01-01 19:47:55"},
		{expr: "date_parse('Aug 26', '%b %e')", want: "1970-08-26 00:00:00"},
		{expr: "date_parse('2019', '%Y')", want: "2019-01-01 00:00:00"},
		{expr: "date_parse('2019 35', '%x %v')", want: "2019-08-26 00:00:00"},
		{expr: "date_parse('50% at 2019', '50%% at %Y')", want: "2019-01-01 00:00:00"},
		{expr: "date_parse(NULL, '%Y')", want: "NULL"},
		{expr: "date_parse('2019', '%U')", wantErr: "%U not supported in date format string"},
		{expr: "date_parse('2019/08', '%Y-%m')", wantErr: "Could not parse"},
		// Round trip through date_format.
		{expr: "date_parse(date_format(TIMESTAMP '2019-08-26 19:47:55.123', '%Y-%m-%d %H:%i:%s.%f'), '%Y-%m-%d %H:%i:%s.%f')", want: "2019-08-26 19:47:55.123"},
	})
}
