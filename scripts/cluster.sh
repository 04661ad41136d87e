#!/usr/bin/env bash
# cluster.sh - Otklik on several hosts, built on one machine in Linux network
# namespaces on a private bridge (README.md, "Beyond one machine"):
#
#   lb      nginx balancing over the two worker hosts          10.231.N.2
#   web-a   worker host A: nginx + the workers (stack.sh)      10.231.N.11
#   web-b   worker host B: the same                            10.231.N.12
#   mon     the pg_auto_failover monitor                       10.231.N.20
#   pg1     PostgreSQL data node (primary at first) + keeper   10.231.N.21
#   pg2     PostgreSQL data node (synchronous standby) + keeper 10.231.N.22
#
#   cluster.sh start    build it all (root); migrations and demo data once, on the primary
#   cluster.sh stop     stop every process and remove the namespaces, the bridge
#   cluster.sh status   the namespaces and pg_autoctl's view of the data nodes
#   cluster.sh env      the variables a tool or test needs (OTKLIK_BASE_URL, the
#                       database URL, OTKLIK_CLUSTER_* names of namespaces and addresses)
#   cluster.sh states   "NAME REPORTED GOAL" of each data node per the monitor: the
#                       state it last reported (primary, secondary...) and the one assigned
#   cluster.sh host-start|host-stop|node-start|node-stop NAME   one worker host
#                       (a|b) or data node (pg1|pg2) again, or down (SIGTERM)
#
# Everything lives under OTKLIK_CLUSTER_DIR (default /var/lib/otklik/cluster-<checkout>):
# several clusters (checkouts, test runs) may run at once, each taking a free
# 10.231.N.0/24 and the namespace prefix okcN-. The host (the root namespace)
# is 10.231.N.1 on the bridge and reaches every node.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${OTKLIK_BIN:-$ROOT/bin}
STATE=${OTKLIK_CLUSTER_DIR:-/var/lib/otklik/cluster-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)}
PGBIN=/usr/lib/postgresql/15/bin
PG_PORT=5432
HOSTS=(a b)
NODES=(pg1 pg2)

log() { printf 'cluster: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "network namespaces need root"

# the subnet's third byte, chosen at start and kept in the state directory
net_index() { cat "$STATE/net" 2>/dev/null; }

# names and addresses, once the index is known
names() {
  N=$(net_index)
  [ -n "$N" ] || die "no cluster in $STATE (cluster.sh start)"
  P=okc$N
  SUBNET=10.231.$N
  BRIDGE=$P-br
  declare -gA ADDR=([lb]=$SUBNET.2 [web-a]=$SUBNET.11 [web-b]=$SUBNET.12 [mon]=$SUBNET.20
    [pg1]=$SUBNET.21 [pg2]=$SUBNET.22)
  # libpq tries both data nodes and keeps the one that takes writes (primary:
  # not in recovery; read-write would refuse every session, for the workers
  # make their sessions read only by default, core/ok_db.c); a node cut
  # off the network is given up after 3 s to connect (ok_db_connect) and 5 s
  # without an answer to what was sent (tcp_user_timeout, keepalives)
  DB_URL="host=${ADDR[pg1]},${ADDR[pg2]} port=$PG_PORT dbname=otklik user=otklik"
  DB_URL+=" target_session_attrs=primary keepalives_idle=2 keepalives_interval=1"
  DB_URL+=" keepalives_count=3 tcp_user_timeout=5000 passfile=$STATE/secrets/pgpass"
  MONITOR_URL="postgres://autoctl_node@${ADDR[mon]}:$PG_PORT/pg_auto_failover?sslmode=disable"
}

# a free 10.231.N.0/24: no interface of this machine has an address in it
pick_net() {
  local n
  for n in $(seq 0 254); do
    ip -4 -o addr show | grep -q " 10\.231\.$n\." && continue
    ip link show "okc$n-br" >/dev/null 2>&1 && continue
    echo "$n"
    return 0
  done
  die "no free 10.231.N.0/24"
}

in_ns() { local ns=$1; shift; ip netns exec "$P-$ns" "$@"; }

# the namespace NAME, its end of a veth pair plugged into the bridge
ns_add() {
  local name=$1 ns=$P-$1 veth=$P-$1
  ip netns add "$ns"
  ip link add "$veth" type veth peer name eth0 netns "$ns"
  ip link set "$veth" master "$BRIDGE" up
  in_ns "$name" ip addr add "${ADDR[$name]}/24" dev eth0
  in_ns "$name" ip link set eth0 up
  in_ns "$name" ip link set lo up
}

network_up() {
  mkdir -p "$STATE"
  chmod 755 "$STATE"
  exec 9>/run/otklik-cluster.lock
  flock 9
  [ -s "$STATE/net" ] || pick_net >"$STATE/net"
  names
  # a cluster started again keeps its addresses (the monitor knows its nodes by them)
  if ip link show "$BRIDGE" >/dev/null 2>&1 || ip -4 -o addr show | grep -q " $SUBNET\."; then
    die "$SUBNET.0/24 is taken by another cluster; this one's data is in $STATE"
  fi
  ip link add "$BRIDGE" type bridge
  ip addr add "$SUBNET.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  flock -u 9
  local name
  for name in lb web-a web-b mon pg1 pg2; do ns_add "$name"; done
}

# ---- PostgreSQL: the monitor and the data nodes, each under its pg_autoctl

# pg_autoctl as the postgres user in namespace NAME, its files under STATE/NAME
autoctl() {
  local name=$1; shift
  in_ns "$name" runuser -u postgres -- env -C / HOME="$STATE/$name" XDG_CONFIG_HOME="$STATE/$name/config" \
    XDG_DATA_HOME="$STATE/$name/share" XDG_RUNTIME_DIR="$STATE/$name/run" PG_REGRESS_SOCK_DIR="$STATE/$name/sock" PATH="$PGBIN:$PATH" \
    pg_autoctl "$@"
}

node_dir() {
  mkdir -p "$STATE/$1/sock" "$STATE/$1/config" "$STATE/$1/share" "$STATE/$1/run"
  chown -R postgres: "$STATE/$1"
}

# pg_autoctl run NAME in the background (it keeps PostgreSQL running)
autoctl_run() {
  local name=$1
  # a pid file left by a keeper that was killed (nothing runs in the namespace yet)
  [ -n "$(ip netns pids "$P-$name")" ] || rm -rf "$STATE/$name/run/pg_autoctl"
  autoctl "$name" run --pgdata "$STATE/$name/data" >>"$STATE/$name/autoctl.log" 2>&1 &
  echo $! >"$STATE/$name/autoctl.pid"
}

monitor_start() {
  node_dir mon
  if [ ! -s "$STATE/mon/data/PG_VERSION" ]; then
    autoctl mon create monitor --pgdata "$STATE/mon/data" --pgport "$PG_PORT" \
      --pgctl "$PGBIN/pg_ctl" --hostname "${ADDR[mon]}" --auth trust --no-ssl >>"$STATE/mon/autoctl.log" 2>&1 \
      || { tail -20 "$STATE/mon/autoctl.log" >&2; die "the monitor was not created"; }
  fi
  autoctl_run mon
  wait_sql mon pg_auto_failover "SELECT 1" 1 || die "the monitor did not start (see $STATE/mon/autoctl.log)"
  # failure detection as pg_auto_failover ships it (a node unanswering for 20 s,
  # pgautofailover.node_considered_unhealthy_timeout): shorter, a PostgreSQL its
  # keeper restarts at once (a crash, kill -9) could be failed over while it
  # comes back, and it would take writes asynchronously meanwhile
}

# psql as postgres on node NAME's socket
sql() {
  local name=$1 db=$2; shift 2
  in_ns "$name" runuser -u postgres -- env -C / "$PGBIN/psql" -h "$STATE/$name/sock" -p "$PG_PORT" -d "$db" \
    -XAtq -v ON_ERROR_STOP=1 -c "$@"
}

# waits (at most 90 s) until query on NAME answers WANT
wait_sql() {
  local name=$1 db=$2 query=$3 want=$4
  for _ in $(seq 180); do
    [ "$(sql "$name" "$db" "$query" 2>/dev/null)" = "$want" ] && return 0
    sleep 0.5
  done
  return 1
}

# a data node: created once (the first becomes the primary, the second a
# standby by pg_basebackup), then run under its keeper
node_create() {
  local name=$1
  node_dir "$name"
  autoctl "$name" create postgres --pgdata "$STATE/$name/data" --pgport "$PG_PORT" --pghost "$STATE/$name/sock" \
    --pgctl "$PGBIN/pg_ctl" --hostname "${ADDR[$name]}" --name "$name" --dbname otklik \
    --monitor "$MONITOR_URL" --auth trust --no-ssl >>"$STATE/$name/autoctl.log" 2>&1 \
    || { tail -20 "$STATE/$name/autoctl.log" >&2; die "data node $name was not created"; }
}

node_start() {
  local name=$1
  if [ ! -s "$STATE/$name/data/PG_VERSION" ]; then node_create "$name"; fi
  autoctl_run "$name"
}

# SIGTERM to every process of namespace NAME (the processes cluster.sh started
# there, whatever became of their pid files), then SIGKILL to what is left after 30 s
ns_stop() {
  local name=$1 pid
  ip netns list | grep -q "^$P-$name\b" || return 0
  for pid in $(ip netns pids "$P-$name"); do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 300); do [ -z "$(ip netns pids "$P-$name")" ] && return 0; sleep 0.1; done
  for pid in $(ip netns pids "$P-$name"); do kill -KILL "$pid" 2>/dev/null || true; done
}

node_stop() {
  ns_stop "$1"
  rm -f "$STATE/$1/autoctl.pid"
}

# the node in STATE (primary, secondary, ...) per the monitor
node_state() {
  sql mon pg_auto_failover "SELECT reportedstate FROM pgautofailover.node WHERE nodename = '$1'" 2>/dev/null
}

# "NAME STATE" per data node, as the monitor sees them
states() {
  sql mon pg_auto_failover "SELECT nodename || ' ' || reportedstate || ' ' || goalstate
    FROM pgautofailover.node ORDER BY nodename"
}


# pg_hba.conf beyond pg_auto_failover's own rules: the workers (user otklik,
# with its password) from any host of the subnet, and the replication user
# from the other data node also to the database "postgres" (pg_rewind: a
# failed primary rejoins by rewinding, not by copying everything again). The
# standby gets them with the rest of the data directory.
hba_lan() {
  local f=$STATE/$1/data/pg_hba.conf
  grep -q '^host otklik otklik' "$f" && return 0
  printf 'host otklik otklik %s.0/24 scram-sha-256\n' "$SUBNET" >>"$f"
  printf 'host postgres pgautofailover_replicator %s/32 trust\n' "${ADDR[pg1]}" "${ADDR[pg2]}" >>"$f"
  wait_sql "$1" postgres "SELECT 1" 1 || die "$1 does not answer"
  sql "$1" postgres "SELECT pg_reload_conf()" >/dev/null
}

# the otklik role and database (the workers' owner), the schema and demo data: once
database_setup() {
  local pass
  pass=$(cat "$STATE/secrets/pg.pass")
  sql pg1 otklik "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'otklik') THEN
        CREATE ROLE otklik SUPERUSER LOGIN PASSWORD '$pass';
      END IF;
    END \$\$; ALTER DATABASE otklik OWNER TO otklik;" >/dev/null
  OTKLIK_DATABASE_URL=$DB_URL OTKLIK_SQL_DIR=$ROOT/sql "$BIN/otklikctl" migrate >>"$STATE/setup.log" 2>&1 \
    || { tail -20 "$STATE/setup.log" >&2; die "migrations failed"; }
  OTKLIK_DATABASE_URL=$DB_URL OTKLIK_SQL_DIR=$ROOT/sql "$BIN/otklikctl" seed-demo >>"$STATE/setup.log" 2>&1 \
    || { tail -20 "$STATE/setup.log" >&2; die "demo data failed"; }
}

# ---- the worker hosts (scripts/stack.sh host-start in their namespaces)

# the environment of worker host H's stack.sh, in HOST_ENV
host_env() {
  local h=$1
  HOST_ENV=(OTKLIK_VAR="$STATE/web-$h" OTKLIK_BIN="$BIN" OTKLIK_DATABASE_URL="$DB_URL"
    OTKLIK_NGINX_LISTEN="${ADDR[web-$h]}:80" PORT=80 OTKLIK_DEMO_PORT=8081
    OTKLIK_PUBLIC_ORIGIN="http://${ADDR[lb]}" OTKLIK_TRUSTED_PROXIES="${ADDR[lb]}"
    OTKLIK_PROCESSES="${OTKLIK_PROCESSES:-2}")
}

host_start() {
  local h=$1
  mkdir -p "$STATE/web-$h"
  [ -e "$STATE/web-$h/secrets" ] || ln -s ../secrets "$STATE/web-$h/secrets"
  host_env "$h"
  in_ns "web-$h" env "${HOST_ENV[@]}" "$ROOT/scripts/stack.sh" host-start
}

host_stop() {
  local h=$1
  [ -d "$STATE/web-$h" ] || return 0
  # its nginx, supervisors, workers and scheduler all at once (stack.sh
  # host-stop would stop them one by one); a host whose processes were
  # killed left its pid files and sockets
  ns_stop "web-$h"
  rm -f "$STATE/web-$h"/run/*.pid "$STATE/web-$h"/run/*.sock
}

# ---- the load balancer: nginx over the worker hosts

lb_render() {
  mkdir -p "$STATE/lb"/{body,proxy,fastcgi,uwsgi,scgi,log}
  sed -e "s|@STATE@|$STATE/lb|g" -e "s|@LISTEN@|${ADDR[lb]}:80|g" \
    -e "s|@HOST_A@|${ADDR[web-a]}:80|g" -e "s|@HOST_B@|${ADDR[web-b]}:80|g" \
    "$ROOT/nginx/cluster/lb.conf.in" >"$STATE/lb/nginx.conf"
}

lb_start() {
  lb_render
  in_ns lb /usr/sbin/nginx -q -t -c "$STATE/lb/nginx.conf" -p "$STATE/lb" 2>&1 | grep -v 'test is successful' >&2 || true
  in_ns lb /usr/sbin/nginx -c "$STATE/lb/nginx.conf" -p "$STATE/lb"
}

lb_stop() {
  local f=$STATE/lb/nginx.pid pid
  [ -s "$f" ] || return 0
  pid=$(cat "$f")
  kill -QUIT "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
}

secrets_make() {
  mkdir -p "$STATE/secrets"
  chmod 700 "$STATE/secrets"
  [ -s "$STATE/secrets/pg.pass" ] || (umask 077; head -c 24 /dev/urandom | base64 -w0 | tr -d '/+=' >"$STATE/secrets/pg.pass")
  (umask 077; printf '*:*:otklik:otklik:%s\n' "$(cat "$STATE/secrets/pg.pass")" >"$STATE/secrets/pgpass")
}

start() {
  [ -x "$BIN/otklikctl" ] || die "missing $BIN/otklikctl (run make)"
  command -v pg_autoctl >/dev/null || die "pg_autoctl is missing (scripts/install-deps.sh)"
  if [ -s "$STATE/net" ] && ip netns list | grep -q "^okc$(net_index)-lb\b"; then
    die "already running in $STATE (cluster.sh stop first)"
  fi
  network_up
  secrets_make
  log "the monitor on ${ADDR[mon]}"
  monitor_start
  local fresh=0
  [ -s "$STATE/pg1/data/PG_VERSION" ] || fresh=1
  log "data node pg1 on ${ADDR[pg1]}"
  node_start pg1
  if ((fresh)); then
    wait_sql mon pg_auto_failover "SELECT reportedstate FROM pgautofailover.node WHERE nodename = 'pg1'" single \
      || die "pg1 did not become the primary (see $STATE/pg1/autoctl.log)"
    hba_lan pg1
  fi
  log "data node pg2 on ${ADDR[pg2]} (a synchronous standby)"
  node_start pg2
  wait_sql mon pg_auto_failover "SELECT string_agg(reportedstate::text, ' ' ORDER BY reportedstate::text)
    FROM pgautofailover.node WHERE reportedstate = goalstate" "primary secondary" \
    || die "no primary and standby (see $STATE/pg*/autoctl.log)"
  if ((fresh)); then
    database_setup
  else # started again, maybe from a newer checkout
    OTKLIK_DATABASE_URL=$DB_URL OTKLIK_SQL_DIR=$ROOT/sql "$BIN/otklikctl" migrate >>"$STATE/setup.log" 2>&1 \
      || { tail -20 "$STATE/setup.log" >&2; die "migrations failed"; }
  fi
  for h in "${HOSTS[@]}"; do
    log "worker host $h on ${ADDR[web-$h]}"
    host_start "$h"
  done
  lb_start
  for _ in $(seq 100); do
    curl -fsS -o /dev/null "http://${ADDR[lb]}/healthz" 2>/dev/null && break
    sleep 0.1
  done
  log "serving http://${ADDR[lb]}/ (state in $STATE; cluster.sh status)"
}

stop() {
  [ -s "$STATE/net" ] || return 0
  names
  lb_stop
  for h in "${HOSTS[@]}"; do host_stop "$h"; done
  for n in "${NODES[@]}"; do node_stop "$n" & done
  wait
  node_stop mon
  # whatever is left in the namespaces (a PostgreSQL whose keeper was killed)
  local ns pid
  for ns in lb web-a web-b mon pg1 pg2; do
    ip netns list | grep -q "^$P-$ns\b" || continue
    for pid in $(ip netns pids "$P-$ns"); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns del "$P-$ns"
  done
  ip link del "$BRIDGE" 2>/dev/null || true
  log "stopped; the data stays in $STATE"
}

status() {
  names
  ip netns list | grep "^$P-" || true
  autoctl mon show state --pgdata "$STATE/mon/data" 2>/dev/null || log "the monitor does not answer"
}

env_print() {
  names
  local name
  printf 'export OTKLIK_BASE_URL=%q\n' "http://${ADDR[lb]}"
  printf 'export OTKLIK_DATABASE_URL=%q\n' "$DB_URL"
  printf 'export OTKLIK_BIN=%q OTKLIK_SQL_DIR=%q\n' "$BIN" "$ROOT/sql"
  printf 'export OTKLIK_TOKEN_KEY_FILE=%q\n' "$STATE/secrets/token.key"
  printf 'export OTKLIK_CLUSTER_DIR=%q OTKLIK_CLUSTER_PREFIX=%q\n' "$STATE" "$P"
  for name in "${!ADDR[@]}"; do
    printf 'export OTKLIK_CLUSTER_ADDR_%s=%q\n' "${name/-/_}" "${ADDR[$name]}"
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) env_print ;;
  host-start) names; host_start "${2:?a or b}" ;;
  host-stop) names; host_stop "${2:?a or b}" ;;
  node-start) names; node_start "${2:?pg1 or pg2}" ;;
  node-stop) names; node_stop "${2:?pg1 or pg2}" ;;
  states) names; states ;;
  *) echo "usage: $0 start|stop|status|env|states|host-start|host-stop|node-start|node-stop" >&2; exit 2 ;;
esac
