#!/usr/bin/env bash
# End-to-end ingest benchmark: generate N million default-format records in the S3 layout
# (about 2,300 files per 10 million), then in the same run time `flowdig ingest` and DuckDB's own
# read_csv(...) CREATE TABLE AS on the same files, and the top-50 talkers query on both results.
#
#   scripts/bench.sh [MILLIONS]        (default 10; needs about 1 GB of disk per million)
set -euo pipefail
cd "$(dirname "$0")/.."
millions=${1:-10}
work=${BENCH_DIR:-$(mktemp -d)}
trap '[ -z "${BENCH_DIR:-}" ] && rm -rf "$work"' EXIT
tags=duckdb_arrow
go build -tags $tags -o "$work/flowdig" ./cmd/flowdig
go build -o "$work/duckbench" ./scripts/duckbench

timed() { # timed LABEL CMD... -> prints "LABEL seconds peak_rss_mb"
  local label=$1; shift
  local start end rss
  start=$(date +%s.%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$work/rss" "$@" >"$work/out" 2>"$work/err" || { cat "$work/err"; exit 1; }
    rss=$(( $(tail -n 1 "$work/rss") / 1024 ))
  else
    "$@" >"$work/out" 2>"$work/err" || { cat "$work/err"; exit 1; }
    rss=-1
  fi
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f\n", e - s }' >"$work/secs"
  printf '%-34s %7.2f s  %6s MB peak RSS\n' "$label" "$(cat "$work/secs")" "$rss"
}

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
echo "records: ${millions} million"
if [ ! -d "$work/data" ]; then
  "$work/flowdig" generate --bench --records $((millions * 1000000)) --out "$work/data" 2>&1 | tail -1
fi
files="$work/data/AWSLogs/**/*.log.gz"
echo "files: $(find "$work/data/AWSLogs" -name '*.log.gz' | wc -l), $(du -sm "$work/data/AWSLogs" | cut -f1) MB"

rm -f "$work"/case.duckdb* "$work"/auto.duckdb* "$work"/typed.duckdb*
sync
timed "flowdig ingest" "$work/flowdig" ingest --progress none --db "$work/case.duckdb" "$work/data/AWSLogs"
t_flowdig=$(cat "$work/secs")
grep -E "^(ingested|described)" "$work/err"
timed "duckdb read_csv CTAS (auto)" "$work/duckbench" ctas -db "$work/auto.duckdb" -files "$files"
t_auto=$(cat "$work/secs")
timed "duckdb read_csv CTAS (typed)" "$work/duckbench" ctas -db "$work/typed.duckdb" -files "$files" -typed
t_typed=$(cat "$work/secs")
awk -v a="$t_auto" -v t="$t_typed" -v f="$t_flowdig" \
  'BEGIN { printf "speed-up vs read_csv (auto): %.2fx\nspeed-up vs read_csv (typed): %.2fx\n", a / f, t / f }' 

top50='SELECT srcaddr, dstaddr, SUM(bytes) AS total_bytes FROM flows GROUP BY srcaddr, dstaddr ORDER BY total_bytes DESC LIMIT 50'
q_case=$("$work/duckbench" query -db "$work/case.duckdb" -sql "$top50")
q_typed=$("$work/duckbench" query -db "$work/typed.duckdb" -sql "$top50")
q_auto=$("$work/duckbench" query -db "$work/auto.duckdb" -sql "${top50/SUM(bytes)/SUM(TRY_CAST(bytes AS BIGINT))}")
echo "top-50 talkers (best of 3): flowdig case ${q_case}s, read_csv typed table ${q_typed}s, read_csv auto table ${q_auto}s"
