#!/usr/bin/env bash
# bench.sh - `make bench`: each hot endpoint driven by wrk through nginx, beside
# its ceilings measured in the same run on the same machine: nginx serving a
# static file of the same size (the HTTP path), and pgbench running the very
# SQL the endpoint runs (the database path, from `otklikctl sql`). Prints a
# table and writes it to var/bench/results.md.
#
# BENCH_SIZE=full (default: 1 000 000 messages, 1 200 000 citizens of whom
# 1 000 000 have voted), national (10 000 000 messages, 20 000 000 citizens
# eligible in one voting, 5 000 000 ballots already cast; 16, 64 and 256
# connections) or tiny (make test: a few thousand rows, one-second runs; proves
# the benchmark still works, asserts no timing). Every size ends by checking
# the voting's counters against a count over its ballots.
# BENCH_ONLY=REGEX drives only the endpoints whose name matches (e.g. overdue).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SIZE=${BENCH_SIZE:-full}
case "$SIZE" in
  tiny) MESSAGES=2000 BALLOTS=1000 SPARE=4000 DURATION=1 CONCURRENCY="4" ;;
  national) MESSAGES=10000000 BALLOTS=5000000 SPARE=15000000 DURATION=${BENCH_SECONDS:-10}
    CONCURRENCY=${BENCH_CONCURRENCY:-"16 64 256"} ;;
  *) MESSAGES=1000000 BALLOTS=1000000 SPARE=200000 DURATION=${BENCH_SECONDS:-10} CONCURRENCY=${BENCH_CONCURRENCY:-"16 64"} ;;
esac
CITIZENS=$((BALLOTS + SPARE))
# the citizens driven (with live sessions), per group: the first (messages),
# the first not to have voted (wrk's ballots), the last (pgbench's ballots)
SESSIONS=$((SPARE / 2 < 300000 ? SPARE / 2 : 300000))
[ "$SIZE" = national ] || SESSIONS=$CITIZENS
DRIVEN=$((BALLOTS < SESSIONS ? BALLOTS : SESSIONS))
POOL=$((SPARE / 2 < SESSIONS ? SPARE / 2 : SESSIONS)) # wrk's and pgbench's voters each

# shellcheck source=scripts/private-stack.sh
. "$ROOT/scripts/private-stack.sh"
private_stack_env bench
# one client machine drives everything: lift the per-address write limit
export OTKLIK_INTAKE_RATE=10000000r/s OTKLIK_INTAKE_BURST=10000000
export OTKLIK_ADDRESS_RATE=10000000r/s OTKLIK_ADDRESS_BURST=10000000
export OTKLIK_PROCESSES=${OTKLIK_PROCESSES:-2} OTKLIK_THREADS=${OTKLIK_THREADS:-4}
private_stack_start
PSQL=(/usr/lib/postgresql/15/bin/psql "$OTKLIK_DATABASE_URL" -XAtq -v ON_ERROR_STOP=1)
BASE=$OTKLIK_BASE_URL

echo "bench: loading $MESSAGES messages, $CITIZENS citizens, $BALLOTS ballots ($SIZE)" >&2
LOAD_START=$(date +%s)
"${PSQL[@]}" -v citizens="$CITIZENS" -v messages="$MESSAGES" -v ballots="$BALLOTS" -v sessions="$SESSIONS" \
  -f bench/data.sql
LOAD_SECONDS=$(($(date +%s) - LOAD_START))
echo "bench: loaded in $LOAD_SECONDS s" >&2
# wrk's voters: a share of the pool per connection count, so no run reuses a citizen who voted
LEVELS=$(wc -w <<<"$CONCURRENCY")
i=0
for c in $CONCURRENCY; do
  node bench/tokens.mjs $((BALLOTS + i * POOL / LEVELS / 2)) $((POOL / LEVELS / 2)) >"$VAR/spare-tokens-$c.txt"
  node bench/tokens.mjs $((BALLOTS + POOL / 2 + i * POOL / LEVELS / 2)) $((POOL / LEVELS / 2)) >"$VAR/during-tokens-$c.txt"
  i=$((i + 1))
done
node bench/tokens.mjs 0 20000 >"$VAR/tokens.txt"
bin/otklikctl token --esia-oid coordinator1 >"$VAR/staff-token.txt"

read -r VOTING TERRITORY RUBRIC FIRST LAST COORDINATOR PROJECTS <<<"$("${PSQL[@]}" -F ' ' -c "
  SELECT (SELECT max(id) FROM votings), (SELECT territory_id FROM organisations WHERE code = 'demo-admin'),
   (SELECT id FROM rubrics WHERE code = 'roads-potholes'),
   (SELECT min(id) FROM users WHERE esia_oid LIKE 'bench-%'), (SELECT max(id) FROM users WHERE esia_oid LIKE 'bench-%'),
   (SELECT id FROM users WHERE esia_oid = 'coordinator1'),
   (SELECT string_agg(id::text, ',') FROM voting_projects WHERE voting_id = (SELECT max(id) FROM votings))")"
SPARE_FIRST=$((LAST - POOL + 1)) # pgbench's voters; wrk's come before them
TEXT="Сообщение нагрузочного теста: яма во дворе дома у подъезда, просим заделать"
mkdir -p "$VAR/demo/bench" var/bench

sql() { OTKLIK_BIN=$ROOT/bin node bench/pgbench-script.mjs "$@"; }
session() { echo "core:ok_session"; echo "{\"1\": \"md5('bench' || $1)\", \"2\": \"$1\"}"; }
mapfile -t MESSAGE_SQL < <(printf '%s\n' "\\set uid random($FIRST, $((DRIVEN + FIRST - 1)))"; session :uid; echo BEGIN;
  echo widget:messages_context; echo "{\"1\": \":uid\", \"2\": \"$RUBRIC\", \"3\": \"NULL\", \"4\": \"'$TEXT'\", \"5\": \"NULL\", \"6\": \"NULL\", \"7\": \"NULL\"}"
  echo widget:messages_insert; echo "{\"1\": \":uid::bigint\", \"2\": \"$RUBRIC\", \"3\": \"'$TEXT'\", \"4\": \"NULL\", \"5\": \"NULL\", \"6\": \"NULL\", \"7\": \"'[]'\", \"8\": \"$TERRITORY\", \"9\": \"NULL\", \"10\": \"NULL\", \"11\": \"NULL\", \"12\": \"'{}'\", \"13\": \"'api'\"}"
  echo COMMIT)
sql "${MESSAGE_SQL[@]}" >"$VAR/messages.sql"
# the session check and the list in one pipeline, as the worker sends them
mapfile -t MINE_SQL < <(printf '%s\n' "\\set uid random($FIRST, $((DRIVEN + FIRST - 1)))" '\startpipeline'; session :uid
  echo cabinet:messages_mine; echo '{"1": "false", "2": ":uid", "3": "NULL", "4": "0", "5": "20"}'; echo '\endpipeline')
sql "${MINE_SQL[@]}" >"$VAR/mine.sql"
# the staff's lists (no filter: generic plans, ok_plan_generic), as the coordinator
staff_sql() { # statement, overdue
  mapfile -t STAFF_SQL < <(echo '\startpipeline'; session "$COORDINATOR"; echo core:ok_plan_generic; echo '{}'
    echo "cabinet:$1"; echo "{\"1\": \"true\", \"2\": \"$COORDINATOR\", \"3\": \"'{moderator,coordinator,executor,manager,curator,admin}'\", \"4\": \"NULL\", \"5\": \"$2\", \"6\": \"false\", \"7\": \"0\", \"8\": \"50\", \"9\": \"NULL\"}"
    echo '\endpipeline')
  sql "${STAFF_SQL[@]}" | sed "s/md5('bench' || $COORDINATOR)/(SELECT id FROM sessions WHERE user_id = $COORDINATOR ORDER BY created_at DESC LIMIT 1)/"
}
staff_sql messages_staff false >"$VAR/staff.sql"
staff_sql messages_staff_overdue true >"$VAR/overdue.sql"
# the search (custom plan, ok_plan_custom) for the words $1
search_sql() {
  mapfile -t SEARCH_SQL < <(echo '\startpipeline'; session "$COORDINATOR"; echo core:ok_plan_custom; echo '{}'
    echo cabinet:messages_staff_search; echo "{\"1\": \"true\", \"2\": \"$COORDINATOR\", \"3\": \"'{moderator,coordinator,executor,manager,curator,admin}'\", \"4\": \"NULL\", \"5\": \"false\", \"6\": \"false\", \"7\": \"0\", \"8\": \"50\", \"9\": \"NULL\", \"10\": \"'$1'\", \"11\": \"NULL\", \"12\": \"NULL\", \"13\": \"NULL\", \"14\": \"NULL\", \"15\": \"NULL\", \"16\": \"NULL\"}"
    echo '\endpipeline')
  sql "${SEARCH_SQL[@]}" | sed "s/md5('bench' || $COORDINATOR)/(SELECT id FROM sessions WHERE user_id = $COORDINATOR ORDER BY created_at DESC LIMIT 1)/"
}
search_sql 'яма' >"$VAR/search-common.sql"
search_sql '12345' >"$VAR/search-rare.sql"
mapfile -t BALLOT_SQL < <(printf '%s\n' "\\set uid random($SPARE_FIRST, $LAST)"; session :uid; echo BEGIN
  echo voting:ballots_cast; echo "{\"1\": \"$VOTING\", \"2\": \":uid\", \"3\": \"'{${PROJECTS%%,*}}'\"}"
  echo COMMIT)
sql "${BALLOT_SQL[@]}" >"$VAR/ballots.sql"
sql voting:results_show "{\"1\": \"$VOTING\"}" >"$VAR/results.sql"

# name | method | path | body | tokens | pgbench script (or -)
ENDPOINTS=(
  "GET /api/v1/rubrics|GET|/api/v1/rubrics|||-"
  "POST /api/v1/messages|POST|/api/v1/messages|{\"rubric_id\": $RUBRIC, \"text\": \"$TEXT\"}|$VAR/tokens.txt|$VAR/messages.sql"
  "GET /api/v1/my/messages|GET|/api/v1/my/messages||$VAR/tokens.txt|$VAR/mine.sql"
  "GET /api/v1/staff/messages|GET|/api/v1/staff/messages||$VAR/staff-token.txt|$VAR/staff.sql"
  "GET /api/v1/staff/messages?overdue=true|GET|/api/v1/staff/messages?overdue=true||$VAR/staff-token.txt|$VAR/overdue.sql"
  "GET /api/v1/staff/messages?q=яма (every message)|GET|/api/v1/staff/messages?q=%D1%8F%D0%BC%D0%B0||$VAR/staff-token.txt|$VAR/search-common.sql"
  "GET /api/v1/staff/messages?q=12345 (one message)|GET|/api/v1/staff/messages?q=12345||$VAR/staff-token.txt|$VAR/search-rare.sql"
  "POST /api/v1/votings/{id}/ballots|POST|/api/v1/votings/$VOTING/ballots|{\"project_ids\": [{project}]}|$VAR/spare-tokens-{c}.txt|$VAR/ballots.sql"
  "GET /api/v1/votings/{id}/results|GET|/api/v1/votings/$VOTING/results|||$VAR/results.sql"
)

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
run_wrk() { # connections, url, method, body, tokens
  BENCH_METHOD=$3 BENCH_BODY=$4 BENCH_TOKENS=$5 BENCH_PROJECTS=$PROJECTS BENCH_THREADS=2 \
    wrk -t2 -c"$1" -d"${DURATION}s" --latency -s bench/request.lua "$2" 2>/dev/null | grep '^BENCH'
}
rss_mb() { # the largest resident set of a module's processes, in MB
  local max=0 pid kb
  for pid in $(pgrep -P "$(cat "$VAR/run/$1.pid")"); do
    kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ "${kb:-0}" -gt "$max" ] && max=$kb
  done
  awk -v kb="$max" 'BEGIN { printf "%.1f", kb / 1024 }'
}

OUT=var/bench/results.md
{
  echo "# make bench — $(date -u +%Y-%m-%dT%H:%MZ), $SIZE data set ($MESSAGES messages, $CITIZENS citizens, $BALLOTS ballots), $(nproc) cores"
  echo
  echo "Load average before measuring (1, 5, 15 min): $(cut -d" " -f1-3 /proc/loadavg)."
  echo
  echo "| endpoint | conn | req/s | p50 ms | p99 ms | static nginx req/s | pgbench tps | pgbench p99 ms | ratio to ceiling | 2xx | 4xx | 5xx |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
} >"$OUT"
failed=0
for endpoint in "${ENDPOINTS[@]}"; do
  IFS='|' read -r name method path body tokens script <<<"$endpoint"
  [[ $name =~ ${BENCH_ONLY:-.} ]] || continue
  for c in $CONCURRENCY; do
    level_tokens=${tokens//\{c\}/$c}
    result=$(run_wrk "$c" "$BASE$path" "$method" "$body" "$level_tokens")
    # the nginx ceiling: a static file as large as this endpoint's answer
    size=$(curl -s -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $(head -1 "${level_tokens:-/dev/null}" 2>/dev/null)" "$BASE$path" || echo 100)
    head -c "$size" /dev/zero | tr '\0' 'x' >"$VAR/demo/bench/answer-$size.json"
    static=$(field rps "$(run_wrk "$c" "$OTKLIK_DEMO_URL/bench/answer-$size.json" GET "" "")")
    tps="-" tps_p99="-"
    if [ "$script" != "-" ]; then
      # -l: a line per transaction, its latency in µs third
      rm -f "$VAR"/pgbench-log.*
      tps=$(PGOPTIONS="-c jit=off" /usr/lib/postgresql/15/bin/pgbench -n -M prepared -c "$c" -j 2 -T "$DURATION" \
              -l --log-prefix="$VAR/pgbench-log" -f "$script" "$OTKLIK_DATABASE_URL" 2>/dev/null \
            | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
      tps_p99=$({ cat "$VAR"/pgbench-log.* 2>/dev/null || true; } | awk '{print $3}' | sort -n \
                | awk '{ v[NR] = $1 } END { i = int(NR * 0.99); if (i < 1) i = 1; if (NR) printf "%.3f", v[i] / 1000; else print "-" }')
    fi
    rps=$(field rps "$result")
    ceiling=$(awk -v s="$static" -v t="$tps" 'BEGIN { c = s; if (t != "-" && t + 0 < c) c = t; print c }')
    ratio=$(awk -v r="$rps" -v c="$ceiling" 'BEGIN { if (c > 0) printf "%.0f %%", 100 * r / c; else print "-" }')
    ok=$(field ok "$result"); client=$(field client_errors "$result"); server=$(field server_errors "$result")
    printf '| %s | %s | %.0f | %s | %s | %.0f | %s | %s | %s | %s | %s | %s |\n' "$name" "$c" "$rps" "$(field p50_ms "$result")" \
      "$(field p99_ms "$result")" "$static" "${tps%.*}" "$tps_p99" "$ratio" "$ok" "$client" "$server" >>"$OUT"
    if [ "${server:-1}" != 0 ] || [ "${ok:-0}" = 0 ]; then
      echo "bench: $name at $c connections: ${ok:-0} answers 2xx, ${server:-?} 5xx" >&2
      failed=1
    fi
  done
done
# live results read while ballots pour in: wrk casting at each connection
# count, and beside it 8 connections reading the results
if [[ "POST /api/v1/votings/{id}/ballots" =~ ${BENCH_ONLY:-.} ]]; then
  {
    echo
    echo "Results read while ballots are cast (8 connections reading):"
    echo
    echo "| ballot conn | ballots/s | ballot p50 ms | ballot p99 ms | results req/s | results p50 ms | results p99 ms | 5xx |"
    echo "|---|---|---|---|---|---|---|---|"
  } >>"$OUT"
  for c in $CONCURRENCY; do
    run_wrk "$c" "$BASE/api/v1/votings/$VOTING/ballots" POST '{"project_ids": [{project}]}' \
      "$VAR/during-tokens-$c.txt" >"$VAR/during-ballots.txt" &
    reads=$(run_wrk 8 "$BASE/api/v1/votings/$VOTING/results" GET "" "")
    wait
    cast=$(cat "$VAR/during-ballots.txt")
    printf '| %s | %.0f | %s | %s | %.0f | %s | %s | %s |\n' "$c" "$(field rps "$cast")" "$(field p50_ms "$cast")" \
      "$(field p99_ms "$cast")" "$(field rps "$reads")" "$(field p50_ms "$reads")" "$(field p99_ms "$reads")" \
      "$(($(field server_errors "$cast") + $(field server_errors "$reads")))" >>"$OUT"
  done
fi

# no lost or doubled ballot: the counters against a count over the ballots
mismatch=$("${PSQL[@]}" -c "
  SELECT count(*) FROM (
    SELECT p, count(*) AS n FROM ballots b, unnest(array_prepend(0::bigint, b.project_ids)) p
    WHERE b.voting_id = $VOTING GROUP BY p) counted
  FULL JOIN (SELECT project_id, votes FROM voting_counts WHERE voting_id = $VOTING AND votes > 0) kept
    ON kept.project_id = counted.p
  WHERE kept.votes IS DISTINCT FROM counted.n")
read -r ballots_now <<<"$("${PSQL[@]}" -c "SELECT count(*) FROM ballots WHERE voting_id = $VOTING")"
if [ "$mismatch" != 0 ]; then
  echo "bench: the voting's counters disagree with its ballots on $mismatch rows" >&2
  failed=1
fi
{
  echo
  echo "Loading the data set took $LOAD_SECONDS s. Ballots at the end: $ballots_now; counters that disagree with a count over them: $mismatch."
  echo "Load average when measured (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Resident memory, largest process: widget $(rss_mb widget) MB, cabinet $(rss_mb cabinet) MB, voting $(rss_mb voting) MB, esia $(rss_mb esia) MB."
  echo "Widget, gzipped: $(node -e "const s=require('./widget-js/dist/sizes.json'); console.log((s.total/1024).toFixed(1) + ' KB (loader ' + s['otklik.js'] + ' B)')")."
  echo "The ratio is to the lower ceiling; 4xx on ballots are citizens who had already voted."
} >>"$OUT"
cat "$OUT"
exit $failed
