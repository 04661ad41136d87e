#!/usr/bin/env bash
# bench-analytics.sh - `make bench-analytics`: the analytics worker over
# BENCH_MESSAGES (default 10 000 000) messages spread over a year
# (bench/analytics.sql): how long the data set takes to build, each
# statistics endpoint driven by wrk at BENCH_CONCURRENCY (default 16)
# connections for BENCH_SECONDS, and the CSV export of about BENCH_CSV_ROWS
# (default 1 000 000) rows beside psql running the same COPY; the heat
# maps (sql/046's cells) and the rating page's requests too. Prints a table
# and writes it to var/bench/analytics.md; reported, not asserted, and not
# part of `make test` or `make bench` (the build alone takes minutes).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
MESSAGES=${BENCH_MESSAGES:-10000000}
CSV_ROWS=${BENCH_CSV_ROWS:-1000000}
DURATION=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONCURRENCY:-16}

# shellcheck source=scripts/private-stack.sh
. "$ROOT/scripts/private-stack.sh"
private_stack_env bench-analytics
export OTKLIK_PROCESSES=${OTKLIK_PROCESSES:-2} OTKLIK_THREADS=${OTKLIK_THREADS:-4}
private_stack_start
PSQL=(/usr/lib/postgresql/15/bin/psql "$OTKLIK_DATABASE_URL" -XAtq -v ON_ERROR_STOP=1)

echo "bench-analytics: building $MESSAGES messages" >&2
start=$(date +%s)
"${PSQL[@]}" -v messages="$MESSAGES" -f bench/analytics.sql >"$VAR/load.log"
built=$(($(date +%s) - start))
facts=$("${PSQL[@]}" -c "SELECT count(*) FROM analytics_facts")
cells=$("${PSQL[@]}" -c "SELECT (SELECT count(*) FROM heatmap_staff_cells) || ' staff, ' || (SELECT count(*) FROM heatmap_area_cells) || ' area and ' || (SELECT count(*) FROM heatmap_public_cells) || ' public'")
areas=$("${PSQL[@]}" -c "SELECT count(*) FROM analytics_area_facts")
start=$(date +%s)
"${PSQL[@]}" -c "SELECT rating_refresh()" >/dev/null  # what the tick does
rated=$(($(date +%s) - start))
MUNICIPALITY=$("${PSQL[@]}" -c "SELECT t.code FROM territories t JOIN organisations o ON o.territory_id = t.id WHERE o.code = 'bench-o1-1'")
bin/otklikctl token --esia-oid moderator1 >"$VAR/region.txt"  # demo-cur: the whole region
bin/otklikctl token --esia-oid curator1 >"$VAR/org.txt"       # demo-admin and the bench's
YEAR_AGO=$(date -u -d '364 days ago' +%F) MONTH_AGO=$(date -u -d '29 days ago' +%F) TODAY=$(date -u +%F)
RUBRIC=$("${PSQL[@]}" -c "SELECT id FROM rubrics WHERE code = 'roads'")
YEAR="from=$YEAR_AGO&to=$TODAY"
# bench/analytics.sql's locations: 37.0-37.5 east, 55.0-55.5 north
CITY=37,55,37.5,55.5 DISTRICT=37.2,55.2,37.3,55.26 STREET=37.25,55.25,37.26,55.255

# name | path | token file
ENDPOINTS=(
  "summary, region, a year|/api/v1/analytics/summary?$YEAR|region"
  "summary, region, 30 days|/api/v1/analytics/summary?from=$MONTH_AGO&to=$TODAY|region"
  "summary, region, a year, one rubric tree|/api/v1/analytics/summary?$YEAR&rubric=$RUBRIC|region"
  "summary, one organisation, a year|/api/v1/analytics/summary?$YEAR&org=bench-o1-1|org"
  "series, region, a year|/api/v1/analytics/series?$YEAR|region"
  "orgs, region, a year|/api/v1/analytics/orgs?$YEAR|region"
  "heat map, staff, the city at zoom 11, 30 days|/api/v1/analytics/heatmap?bbox=$CITY&zoom=11&from=$MONTH_AGO&to=$TODAY|region"
  "heat map, staff, the city at zoom 11, a year|/api/v1/analytics/heatmap?bbox=$CITY&zoom=11&$YEAR|region"
  "heat map, staff, a district at zoom 13, a year|/api/v1/analytics/heatmap?bbox=$DISTRICT&zoom=13&$YEAR|region"
  "heat map, public, the city at zoom 11|/api/v1/public/heatmap?bbox=$CITY&zoom=11|region"
  "heat map, public, a district at zoom 13, one status|/api/v1/public/heatmap?bbox=$DISTRICT&zoom=13&status=closed|region"
  "heat map, public, a district at zoom 14|/api/v1/public/heatmap?bbox=$DISTRICT&zoom=14|region"
  "heat map, public, a street at zoom 17 (counted from the messages)|/api/v1/public/heatmap?bbox=$STREET&zoom=17|region"
  "rating page: the list|/api/v1/rating|region"
  "rating page: the regions|/api/v1/rating?kind=region|region"
  "rating page: one municipality|/api/v1/rating/$MUNICIPALITY|region"
)
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
mkdir -p var/bench
OUT=var/bench/analytics.md
{
  echo "# make bench-analytics — $(date -u +%Y-%m-%dT%H:%MZ), $MESSAGES messages, $(nproc) cores"
  echo
  echo "Data set built in ${built} s (bench/analytics.sql: load with triggers off, then analytics_rebuild); $facts rows of analytics_facts, $areas of analytics_area_facts; heat-map cells: $cells; the rating recomputed (rating_refresh, as the tick does) in ${rated} s."
  echo
  echo "| endpoint | conn | req/s | p50 ms | p99 ms | 2xx | 5xx |"
  echo "|---|---|---|---|---|---|---|"
} >"$OUT"
failed=0
for endpoint in "${ENDPOINTS[@]}"; do
  IFS='|' read -r name path who <<<"$endpoint"
  result=$(BENCH_METHOD=GET BENCH_TOKENS="$VAR/$who.txt" \
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/request.lua "$OTKLIK_BASE_URL$path" 2>/dev/null | grep '^BENCH')
  printf '| %s | %s | %.0f | %s | %s | %s | %s |\n' "$name" "$CONNECTIONS" "$(field rps "$result")" \
    "$(field p50_ms "$result")" "$(field p99_ms "$result")" "$(field ok "$result")" "$(field server_errors "$result")" >>"$OUT"
  [ "$(field server_errors "$result")" = 0 ] && [ "$(field ok "$result")" != 0 ] || failed=1
done

# the export: the curator's newest days holding about CSV_ROWS messages
DAYS=$(( (CSV_ROWS * 365 + MESSAGES - 1) / MESSAGES ))
FROM=$(date -u -d "$((DAYS - 1)) days ago" +%F)
start=$(date +%s.%N)
curl -s -H "Authorization: Bearer $(cat "$VAR/org.txt")" "$OTKLIK_BASE_URL/api/v1/staff/messages.csv?from=$FROM" -o "$VAR/export.csv"
http=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
rows=$(($(wc -l <"$VAR/export.csv") - 1))
USER_ID=$("${PSQL[@]}" -c "SELECT id FROM users WHERE esia_oid = 'curator1'")
SETTINGS="{\"user\": \"$USER_ID\", \"roles\": \"{moderator,coordinator,executor,manager,curator,admin}\", \"from\": \"${FROM}T00:00:00Z\"}"
start=$(date +%s.%N)
"${PSQL[@]}" -c "BEGIN" -c "SELECT set_config('otklik.export', '$SETTINGS', true)" \
  -c "$(bin/otklikctl sql analytics export_messages_csv)" -c "COMMIT" >"$VAR/psql.csv"
direct=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
{
  echo
  echo "CSV export of $rows rows ($(du -m "$VAR/export.csv" | cut -f1) MB): ${http} s through nginx and the worker, ${direct} s by psql running the same COPY ($(awk -v h="$http" -v d="$direct" 'BEGIN { printf "%.0f", 100 * d / h }') % of psql's speed)."
  echo "Resident memory of the analytics worker after the export: $(for p in $(pgrep -P "$(cat "$VAR/run/analytics.pid")"); do awk '/VmHWM/ {printf "%.1f MB peak ", $2 / 1024}' "/proc/$p/status"; done)"
} >>"$OUT"
cat "$OUT"
exit $failed
