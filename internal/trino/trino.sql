-- Trino (Athena engine v3) functions for DuckDB 1.5, as SQL macros.
--
-- Run once per database: every statement is CREATE OR REPLACE, so running it
-- again is harmless. The macros rely on the connection settings from
-- ConnSettings(): TimeZone 'UTC' (Athena's session zone) and integer_division
-- (Trino divides bigint by bigint as integers). No typed macro parameters are
-- used, because a database file in DuckDB's default storage version (older
-- than v1.4) cannot store them.
--
-- NATIVE in DuckDB with Trino's behaviour (no macro, pinned by TestNative):
--   date(x)                      varchar, timestamp, timestamptz -> date. A
--                                column named date still works beside it.
--   current_date - interval '7' day, and other interval literals
--   CAST(x AS VARCHAR)           for numbers and strings
--   year month day hour minute second quarter week, date_trunc on
--   timestamps, regexp_extract, strpos, count, sum, min, max, ||
--
-- MACROS (Trino name -> DuckDB implementation):
--   from_unixtime(x)             make_timestamptz, rounded to milliseconds as
--                                in Trino. Returns timestamp with time zone.
--   to_unixtime(ts)              epoch(ts), double seconds
--   date_format(ts, fmt)         strftime with fmt translated from Trino's
--                                MySQL specifiers (the generated block below)
--   date_parse(s, fmt)           strptime with fmt translated, truncated to
--                                milliseconds, missing year 1970 and %y 69 =
--                                2069 (Trino's pivot), as in Trino
--   from_iso8601_timestamp(s)    CAST AS TIMESTAMPTZ, milliseconds
--   from_iso8601_date(s)         CAST AS DATE
--   to_iso8601(x)                timestamp with time zone ->
--                                2019-08-26T19:47:55.000Z (always UTC, Z),
--                                timestamp -> 2019-08-26T19:47:55.000 (no
--                                zone), date -> 2019-08-26. Always three
--                                fraction digits, truncated (Athena's
--                                timestamp(3)), where Trino prints as many as
--                                the type's precision.
--   date_add(unit, n, x)         x + n units. REPLACES DuckDB's date_add,
--                                whose (date, interval) form is kept.
--   date_diff(unit, a, b)        DuckDB date_sub: whole units elapsed, as in
--                                Trino. REPLACES DuckDB's date_diff, which
--                                counts unit boundaries crossed (23:00 to
--                                01:00 next day is 1 day there, 0 in Trino).
--                                DuckDB's version remains as datediff.
--   day_of_week(x), dow(x)       isodow: 1 = Monday .. 7 = Sunday
--   day_of_year(x), doy(x)       dayofyear
--   day_of_month(x)              dayofmonth
--   week_of_year(x)              weekofyear (ISO week)
--   year_of_week(x), yow(x)      isoyear
--   approx_distinct(x [, e])     count(DISTINCT x), exact. DuckDB's HLL
--                                approx_count_distinct was 10 to 25 percent
--                                off on small sets, Trino's standard error is
--                                2.3 percent and an exact count satisfies it.
--   cardinality(x)               array or map size via to_json. REPLACES
--                                DuckDB's cardinality, which takes maps only.
--   regexp_like(s, pattern)      regexp_matches (RE2, partial match)
--   split_part(s, delim, i)      NULL when i is past the last field and an
--                                error when i < 1, as in Trino. REPLACES
--                                DuckDB's split_part, which returns '' and
--                                counts a negative i from the end.
-- Helpers: trino_format_tokens, trino_format_literal, trino_format_error,
-- trino_strftime_pattern, trino_strptime_pattern, trino_parsed_year,
-- trino_unit_interval.
--
-- KNOWN DIFFERENCES (pinned by TestKnownDifferences):
--   * SUM(bigint) is HUGEINT (int128) in DuckDB, bigint in Trino, so
--     SUM(x)/count(*) is a HUGEINT (Go: *big.Int) with the right value.
--   * Integer division by zero yields NULL, Trino raises an error.
--   * current_date - interval '7' day is a TIMESTAMP (Trino: date). It still
--     compares correctly with a date column.
--   * date_add on a date returns a timestamp at midnight (Trino: a date),
--     and accepts hour and smaller units, which Trino refuses for dates.
--   * CAST(timestamp AS VARCHAR) prints 2019-08-26 19:47:55 (and +00 for a
--     timestamptz), Trino prints 2019-08-26 19:47:55.000 (and UTC). Use
--     date_format or to_iso8601 for stable text.
--   * millisecond(x) is the millisecond of the minute in DuckDB, of the second
--     in Trino. date_trunc('day', date) returns a timestamp. Neither is
--     replaced: the AWS queries do not use them.
--   * from_unixtime(x, zone) and from_unixtime(x, h, m) are not provided: a
--     DuckDB timestamptz carries no zone of its own.
--   * date_format: %D %U %u %V %X fail, as in Trino, but with a conversion
--     error that quotes Trino's message. %w is accepted with its MySQL
--     meaning (0 = Sunday) although Trino rejects it. An empty format fails.
--   * date_format and date_parse need a constant format, as strftime and
--     strptime do (Trino accepts a column). date_parse: %f takes at most 6
--     digits (Trino 9), and %x %v without a weekday gives the Monday of the
--     week (Trino: the Thursday).
--   * from_iso8601_timestamp accepts what DuckDB's cast accepts:
--     YYYY-MM-DD[THH:MM:SS[.fff]][Z or +HH[:MM]], not reduced forms such as
--     2019-08-26T19 or week and ordinal dates.
--   * regexp_like uses RE2 (no backreferences or lookaround), Trino Java regex.

-- Splits a Trino date format into tokens: a % with the character after it,
-- a trailing lone %, or a run of literal text. Translating whole tokens in
-- one pass means a translation is never translated again (%i -> %M must not
-- then become a month name).
CREATE OR REPLACE MACRO trino_format_tokens(fmt) AS
    regexp_extract_all(fmt, '(?s)%.|%$|[^%]+');

-- Trino prints %x for an unknown x as x, drops a trailing lone %, and copies
-- literal text.
CREATE OR REPLACE MACRO trino_format_literal(tok) AS
    CASE WHEN tok[1] = '%' THEN tok[2:] ELSE tok END;

-- An unsupported specifier must fail the query, but error() would make the
-- translated format non-constant, which strftime and strptime refuse. A cast
-- of the message to a number fails instead, quoting the message:
-- Could not convert string '%D not supported in date format string' to INT32.
CREATE OR REPLACE MACRO trino_format_error(message) AS
    CAST(CAST(message AS INTEGER) AS VARCHAR);

-- BEGIN GENERATED from specifiers_test.go. Refresh: go test ./internal/trino -run TestGeneratedMacros -update
CREATE OR REPLACE MACRO trino_strftime_pattern(fmt) AS array_to_string(list_transform(
    trino_format_tokens(fmt),
    lambda tok: CASE tok
        WHEN '%a' THEN '%a' -- abbreviated weekday name
        WHEN '%b' THEN '%b' -- abbreviated month name
        WHEN '%c' THEN '%-m' -- month, 1..12
        WHEN '%D' THEN trino_format_error('%D not supported in date format string') -- day of month with English suffix
        WHEN '%d' THEN '%d' -- day of month, 01..31
        WHEN '%e' THEN '%-d' -- day of month, 1..31
        WHEN '%f' THEN '%g000' -- fraction of second
        WHEN '%H' THEN '%H' -- hour, 00..23
        WHEN '%h' THEN '%I' -- hour, 01..12
        WHEN '%I' THEN '%I' -- hour, 01..12
        WHEN '%i' THEN '%M' -- minutes, 00..59
        WHEN '%j' THEN '%j' -- day of year, 001..366
        WHEN '%k' THEN '%-H' -- hour, 0..23
        WHEN '%l' THEN '%-I' -- hour, 1..12
        WHEN '%M' THEN '%B' -- month name
        WHEN '%m' THEN '%m' -- month, 01..12
        WHEN '%p' THEN '%p' -- AM or PM
        WHEN '%r' THEN '%I:%M:%S %p' -- time, 12-hour, hh:mm:ss AM
        WHEN '%S' THEN '%S' -- seconds, 00..59
        WHEN '%s' THEN '%S' -- seconds, 00..59
        WHEN '%T' THEN '%H:%M:%S' -- time, 24-hour, hh:mm:ss
        WHEN '%U' THEN trino_format_error('%U not supported in date format string') -- week, Sunday first, 00..53
        WHEN '%u' THEN trino_format_error('%u not supported in date format string') -- week, Monday first, 00..53
        WHEN '%V' THEN trino_format_error('%V not supported in date format string') -- week, Sunday first, 01..53, with %X
        WHEN '%v' THEN '%V' -- ISO week, 01..53, with %x
        WHEN '%W' THEN '%A' -- weekday name
        WHEN '%w' THEN '%w' -- day of week, 0 = Sunday
        WHEN '%X' THEN trino_format_error('%X not supported in date format string') -- year of %V week, four digits
        WHEN '%x' THEN '%G' -- ISO week-year, four digits
        WHEN '%Y' THEN '%Y' -- year, four digits
        WHEN '%y' THEN '%y' -- year, two digits
        WHEN '%%' THEN '%%' -- a literal %
        ELSE trino_format_literal(tok)
    END), '');

CREATE OR REPLACE MACRO trino_strptime_pattern(fmt) AS array_to_string(list_transform(
    trino_format_tokens(fmt),
    lambda tok: CASE tok
        WHEN '%a' THEN '%a' -- abbreviated weekday name
        WHEN '%b' THEN '%b' -- abbreviated month name
        WHEN '%c' THEN '%-m' -- month, 1..12
        WHEN '%D' THEN trino_format_error('%D not supported in date format string') -- day of month with English suffix
        WHEN '%d' THEN '%d' -- day of month, 01..31
        WHEN '%e' THEN '%-d' -- day of month, 1..31
        WHEN '%f' THEN '%f' -- fraction of second
        WHEN '%H' THEN '%H' -- hour, 00..23
        WHEN '%h' THEN '%I' -- hour, 01..12
        WHEN '%I' THEN '%I' -- hour, 01..12
        WHEN '%i' THEN '%M' -- minutes, 00..59
        WHEN '%j' THEN '%j' -- day of year, 001..366
        WHEN '%k' THEN '%-H' -- hour, 0..23
        WHEN '%l' THEN '%-I' -- hour, 1..12
        WHEN '%M' THEN '%B' -- month name
        WHEN '%m' THEN '%m' -- month, 01..12
        WHEN '%p' THEN '%p' -- AM or PM
        WHEN '%r' THEN '%I:%M:%S %p' -- time, 12-hour, hh:mm:ss AM
        WHEN '%S' THEN '%S' -- seconds, 00..59
        WHEN '%s' THEN '%S' -- seconds, 00..59
        WHEN '%T' THEN '%H:%M:%S' -- time, 24-hour, hh:mm:ss
        WHEN '%U' THEN trino_format_error('%U not supported in date format string') -- week, Sunday first, 00..53
        WHEN '%u' THEN trino_format_error('%u not supported in date format string') -- week, Monday first, 00..53
        WHEN '%V' THEN trino_format_error('%V not supported in date format string') -- week, Sunday first, 01..53, with %X
        WHEN '%v' THEN '%V' -- ISO week, 01..53, with %x
        WHEN '%W' THEN '%A' -- weekday name
        WHEN '%w' THEN '%w' -- day of week, 0 = Sunday
        WHEN '%X' THEN trino_format_error('%X not supported in date format string') -- year of %V week, four digits
        WHEN '%x' THEN '%G' -- ISO week-year, four digits
        WHEN '%Y' THEN '%Y' -- year, four digits
        WHEN '%y' THEN '%y' -- year, two digits
        WHEN '%%' THEN '%%' -- a literal %
        ELSE trino_format_literal(tok)
    END), '');
-- END GENERATED

CREATE OR REPLACE MACRO from_unixtime(unixtime) AS
    make_timestamptz(CAST(round(CAST(unixtime AS DOUBLE) * 1000) AS BIGINT) * 1000);

CREATE OR REPLACE MACRO to_unixtime(ts) AS epoch(ts);

CREATE OR REPLACE MACRO date_format(ts, fmt) AS
    strftime(ts, trino_strftime_pattern(fmt));

-- Joda, under Trino's date_parse, starts from 1970-01-01 where strptime
-- starts from 1900-01-01, and reads %y 69 as 2069 where strptime says 1969.
CREATE OR REPLACE MACRO trino_parsed_year(ts, tokens) AS
    ts + CASE
        WHEN NOT list_has_any(tokens, ['%Y', '%y', '%x']) THEN INTERVAL 70 YEAR
        WHEN list_contains(tokens, '%y') AND year(ts) < 1970 THEN INTERVAL 100 YEAR
        ELSE INTERVAL 0 YEAR
    END;

-- strptime insists on a constant format, and DuckDB binds a macro body when
-- the macro is created, with parameters of unknown type, so strptime(s,
-- trino_strptime_pattern(fmt)) cannot be created. fmt || '' keeps the type
-- unknown there (|| is overloaded), which postpones binding to the call, where
-- a literal fmt folds to a constant.
CREATE OR REPLACE MACRO date_parse(s, fmt) AS
    trino_parsed_year(
        date_trunc('millisecond', strptime(s, trino_strptime_pattern(fmt || ''))),
        trino_format_tokens(fmt));

CREATE OR REPLACE MACRO from_iso8601_timestamp(s) AS
    date_trunc('millisecond', CAST(s AS TIMESTAMPTZ));

CREATE OR REPLACE MACRO from_iso8601_date(s) AS CAST(s AS DATE);

-- Typed macro parameters would pick the branch more directly, but a database
-- file in DuckDB's default storage version (older than v1.4) cannot store
-- them. typeof() folds to a constant, so only one branch runs.
CREATE OR REPLACE MACRO to_iso8601(x) AS
    CASE typeof(x)
        WHEN 'DATE' THEN strftime(x, '%Y-%m-%d')
        WHEN 'TIMESTAMP WITH TIME ZONE'
            THEN strftime(timezone('UTC', x), '%Y-%m-%dT%H:%M:%S.%gZ')
        ELSE strftime(x, '%Y-%m-%dT%H:%M:%S.%g')
    END;

CREATE OR REPLACE MACRO trino_unit_interval(unit) AS
    CASE lower(unit)
        WHEN 'millisecond' THEN INTERVAL 1 MILLISECOND
        WHEN 'second' THEN INTERVAL 1 SECOND
        WHEN 'minute' THEN INTERVAL 1 MINUTE
        WHEN 'hour' THEN INTERVAL 1 HOUR
        WHEN 'day' THEN INTERVAL 1 DAY
        WHEN 'week' THEN INTERVAL 7 DAY
        WHEN 'month' THEN INTERVAL 1 MONTH
        WHEN 'quarter' THEN INTERVAL 3 MONTH
        WHEN 'year' THEN INTERVAL 1 YEAR
        ELSE error('''' || unit || ''' is not a valid Timestamp field')
    END;

-- The two-argument form is DuckDB's own date_add, kept because this macro
-- replaces it. A date comes back as a timestamp at midnight: without typed
-- parameters (see to_iso8601) a macro cannot return a date for a date and a
-- timestamp for a timestamp.
CREATE OR REPLACE MACRO date_add(x, delta) AS x + delta,
    (unit, value, x) AS x + trino_unit_interval(unit) * value;

CREATE OR REPLACE MACRO date_diff(unit, x1, x2) AS date_sub(unit, x1, x2);

CREATE OR REPLACE MACRO day_of_week(x) AS isodow(x);
CREATE OR REPLACE MACRO dow(x) AS isodow(x);
CREATE OR REPLACE MACRO day_of_year(x) AS dayofyear(x);
CREATE OR REPLACE MACRO doy(x) AS dayofyear(x);
CREATE OR REPLACE MACRO day_of_month(x) AS dayofmonth(x);
CREATE OR REPLACE MACRO week_of_year(x) AS weekofyear(x);
CREATE OR REPLACE MACRO year_of_week(x) AS isoyear(x);
CREATE OR REPLACE MACRO yow(x) AS isoyear(x);

CREATE OR REPLACE MACRO approx_distinct(x) AS count(DISTINCT x),
    (x, max_standard_error) AS count(DISTINCT x);

-- A macro parameter cannot be typed "any list" or "any map", and len()
-- rejects maps, so the size is read from the JSON form: an array for a list,
-- an object for a map. About ten times slower than len(), still under a
-- microsecond per row.
CREATE OR REPLACE MACRO cardinality(x) AS
    CAST(CASE WHEN json_type(to_json(x)) = 'OBJECT'
        THEN len(json_keys(to_json(x)))
        ELSE json_array_length(to_json(x))
    END AS BIGINT);

CREATE OR REPLACE MACRO regexp_like(s, pattern) AS regexp_matches(s, pattern);

CREATE OR REPLACE MACRO split_part(s, delimiter, idx) AS
    CASE WHEN idx < 1 THEN error('Index must be greater than zero')
        ELSE string_split(s, delimiter)[idx]
    END;
