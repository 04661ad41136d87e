#!/usr/bin/env bash
# bench-cluster.sh - `make bench-cluster` (root): the write and read endpoints
# through the load balancer of a cluster of its own (scripts/cluster.sh), with
# the load generator of make bench (wrk, bench/request.lua, bench/tokens.mjs,
# bench/data.sql), in three layouts:
#   two worker hosts, primary + synchronous standby (the deployment)
#   one worker host (B stopped): how far worker hosts scale
#   two worker hosts, the standby stopped: the primary alone commits without
#     waiting for a standby (pg_auto_failover's wait_primary), the cost of
#     synchronous replication
# Prints a table and writes it to var/bench/cluster.md. BENCH_SECONDS (10),
# BENCH_CONCURRENCY (32), BENCH_MESSAGES (50000) and BENCH_CITIZENS (100000).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DURATION=${BENCH_SECONDS:-10}
CONN=${BENCH_CONCURRENCY:-32}
MESSAGES=${BENCH_MESSAGES:-50000}
CITIZENS=${BENCH_CITIZENS:-100000}

STATE=$(mktemp -d /tmp/otklik-cluster.XXXXXX)
chmod 755 "$STATE"
export OTKLIK_CLUSTER_DIR=$STATE
# one client machine drives everything: lift the per-address write limit
export OTKLIK_INTAKE_RATE=10000000r/s OTKLIK_INTAKE_BURST=10000000
export OTKLIK_ADDRESS_RATE=10000000r/s OTKLIK_ADDRESS_BURST=10000000
# shellcheck disable=SC2317 # called by the trap
stop() { scripts/cluster.sh stop >/dev/null 2>&1 || true; rm -rf "$STATE"; }
trap stop EXIT
scripts/cluster.sh start 2>&1 | grep '^cluster:' >&2
eval "$(scripts/cluster.sh env)"
PSQL=(/usr/lib/postgresql/15/bin/psql "$OTKLIK_DATABASE_URL" -XAtq -v ON_ERROR_STOP=1)

echo "bench-cluster: loading $MESSAGES messages, $CITIZENS citizens" >&2
"${PSQL[@]}" -v citizens="$CITIZENS" -v messages="$MESSAGES" -v ballots=0 -v sessions="$CITIZENS" \
  -f bench/data.sql >/dev/null
node bench/tokens.mjs 0 20000 >"$STATE/tokens.txt"
read -r VOTING RUBRIC PROJECTS <<<"$("${PSQL[@]}" -F ' ' -c "
  SELECT (SELECT max(id) FROM votings), (SELECT id FROM rubrics WHERE code = 'roads-potholes'),
   (SELECT string_agg(id::text, ',') FROM voting_projects WHERE voting_id = (SELECT max(id) FROM votings))")"
TEXT="Сообщение нагрузочного теста: яма во дворе дома у подъезда, просим заделать"

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
run_wrk() { # path, method, body, tokens
  BENCH_METHOD=$2 BENCH_BODY=$3 BENCH_TOKENS=$4 BENCH_PROJECTS=$PROJECTS BENCH_THREADS=2 \
    wrk -t2 -c"$CONN" -d"${DURATION}s" --latency -s bench/request.lua "$OTKLIK_BASE_URL$1" 2>/dev/null | grep '^BENCH'
}

# layout name, then a row per endpoint: name | req/s | p50 | p99 | 5xx
declare -A RPS
measure() { # layout, its voters' first citizen
  node bench/tokens.mjs "$2" 25000 >"$STATE/voters.txt"
  local endpoint name method path body tokens result
  for endpoint in \
    "POST /api/v1/messages|POST|/api/v1/messages|{\"rubric_id\": $RUBRIC, \"text\": \"$TEXT\"}|$STATE/tokens.txt" \
    "POST /api/v1/votings/{id}/ballots|POST|/api/v1/votings/$VOTING/ballots|{\"project_ids\": [{project}]}|$STATE/voters.txt" \
    "GET /api/v1/my/messages|GET|/api/v1/my/messages||$STATE/tokens.txt" \
    "GET /api/v1/votings/{id}/results|GET|/api/v1/votings/$VOTING/results||" \
    "GET /api/v1/rubrics|GET|/api/v1/rubrics||"; do
    IFS='|' read -r name method path body tokens <<<"$endpoint"
    result=$(run_wrk "$path" "$method" "$body" "$tokens")
    RPS[$1|$name]=$(field rps "$result")
    printf '| %s | %s | %.0f | %s | %s | %s |\n' "$1" "$name" "$(field rps "$result")" "$(field p50_ms "$result")" \
      "$(field p99_ms "$result")" "$(field server_errors "$result")" >>"$OUT"
  done
}

mkdir -p var/bench
OUT=var/bench/cluster.md
{
  echo "# make bench-cluster — $(date -u +%Y-%m-%dT%H:%MZ), $MESSAGES messages, $CITIZENS citizens, $CONN connections, ${DURATION} s, $(nproc) cores"
  echo
  echo "| layout | endpoint | req/s | p50 ms | p99 ms | 5xx |"
  echo "|---|---|---|---|---|---|"
} >"$OUT"
echo "bench-cluster: two worker hosts, synchronous standby" >&2
measure "2 hosts, sync standby" 25000
echo "bench-cluster: one worker host" >&2
scripts/cluster.sh host-stop b
sleep 6 # the load balancer's fail_timeout: B is known down
measure "1 host, sync standby" 50000
scripts/cluster.sh host-start b
echo "bench-cluster: two worker hosts, the standby stopped" >&2
scripts/cluster.sh node-stop pg2
for _ in $(seq 60); do
  scripts/cluster.sh states | grep -q '^pg1 wait_primary wait_primary' && break
  sleep 1
done
measure "2 hosts, primary alone" 75000
{
  echo
  echo "Two hosts against one: $(awk -v a="${RPS[2 hosts, sync standby|POST /api/v1/messages]}" -v b="${RPS[1 host, sync standby|POST /api/v1/messages]}" 'BEGIN { printf "%.2f", a / b }') (messages),"
  echo "$(awk -v a="${RPS[2 hosts, sync standby|GET /api/v1/my/messages]}" -v b="${RPS[1 host, sync standby|GET /api/v1/my/messages]}" 'BEGIN { printf "%.2f", a / b }') (my messages);"
  echo "synchronous standby against the primary alone: $(awk -v a="${RPS[2 hosts, sync standby|POST /api/v1/messages]}" -v b="${RPS[2 hosts, primary alone|POST /api/v1/messages]}" 'BEGIN { printf "%.2f", a / b }') (messages),"
  echo "$(awk -v a="${RPS[2 hosts, sync standby|POST /api/v1/votings/{id}/ballots]}" -v b="${RPS[2 hosts, primary alone|POST /api/v1/votings/{id}/ballots]}" 'BEGIN { printf "%.2f", a / b }') (ballots)."
  echo "Load average when measured (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)."
} >>"$OUT"
cat "$OUT"
