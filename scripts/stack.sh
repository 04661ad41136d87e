#!/usr/bin/env bash
# stack.sh - starts and stops Otklik's whole stack from a checkout: a private
# PostgreSQL cluster, every worker under spawn-fcgi + multiwatch, and nginx.
#
#   stack.sh run        start, then stay in the foreground; Ctrl-C / SIGTERM stops all
#   stack.sh start      start in the background
#   stack.sh stop       stop what start started
#   stack.sh pg-stop | pg-start   stop or start only PostgreSQL (fault tests)
#   stack.sh nginx-reload         render nginx's configuration again and reload it
#   stack.sh nginx-start | nginx-stop   only nginx (a test's own, with other settings)
#   stack.sh env        print the environment the workers get (for tools and tests)
#   stack.sh host-start | host-stop   only the workers, the scheduler and nginx of
#                       one worker host, against the database OTKLIK_DATABASE_URL
#                       names (scripts/cluster.sh: several hosts, one PostgreSQL cluster)
#
# Everything lives under OTKLIK_VAR (default: var/ in the checkout). Settings
# come from the environment; README.md lists them. When run as root,
# PostgreSQL runs as the system user "postgres" (it refuses root).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VAR=${OTKLIK_VAR:-$ROOT/var}
mkdir -p "$VAR"
VAR=$(cd "$VAR" && pwd)
BIN=${OTKLIK_BIN:-$ROOT/bin}
PORT=${PORT:-8080}
DEMO_PORT=${OTKLIK_DEMO_PORT:-8081}
PG_PORT=${OTKLIK_PG_PORT:-5480}
PROCESSES=${OTKLIK_PROCESSES:-2}
# nginx's limits (OTKLIK_*_RATE, OTKLIK_*_BURST, OTKLIK_METRICS_ALLOW) are read
# by scripts/nginx-render.sh
PGBIN=/usr/lib/postgresql/15/bin
MODULES=(widget esia cabinet voting admin analytics open311 channels)
ESIA_DEV_PORT=${OTKLIK_ESIA_DEV_PORT:-8090}
ESIA_GOST_PORT=${OTKLIK_ESIA_GOST_PORT:-8091}

log() { printf 'stack: %s\n' "$*" >&2; }

as_root=0
[ "$(id -u)" -eq 0 ] && as_root=1

# PostgreSQL's data directory: under VAR, unless (as root) the postgres user
# cannot reach VAR - e.g. a checkout in a mode-700 directory.
PGDATA=$VAR/pg
if ((as_root)) && ! runuser -u postgres -- test -x "$VAR" 2>/dev/null; then
  PGDATA=/var/lib/otklik/pg-$(printf '%s' "$VAR" | cksum | cut -d' ' -f1)
fi
PGSOCK=$PGDATA.sock
pg() { if ((as_root)); then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

# a worker host (host-start) uses the database it is given; the rest, the private one
case "${1:-}" in
  host-*) : "${OTKLIK_DATABASE_URL:?host-start and host-stop need OTKLIK_DATABASE_URL}" ;;
  *) export OTKLIK_DATABASE_URL="host=$PGSOCK port=$PG_PORT dbname=otklik user=otklik" ;;
esac
export OTKLIK_TOKEN_KEY_FILE=$VAR/secrets/token.key
export OTKLIK_PUBLIC_ORIGIN=${OTKLIK_PUBLIC_ORIGIN:-http://127.0.0.1:$PORT}
export OTKLIK_SQL_DIR=$ROOT/sql
# every process's counters, shared by a program's processes (core/ok_metrics.h)
export OTKLIK_METRICS_DIR=${OTKLIK_METRICS_DIR:-$VAR/run/metrics}
export OTKLIK_WIDGET_DIR=$ROOT/widget-js/dist
export OTKLIK_MAX_JSON_BYTES=${OTKLIK_MAX_JSON_BYTES:-262144}
export OTKLIK_MAX_ATTACHMENT_BYTES=${OTKLIK_MAX_ATTACHMENT_BYTES:-5242880}
# modules/channels and the notifier: the accounts' secret and token files, the
# monitoring webhook's key (README: connecting official pages)
export OTKLIK_CHANNELS_SECRETS_DIR=${OTKLIK_CHANNELS_SECRETS_DIR:-$VAR/secrets/channels}
export OTKLIK_MONITORING_SECRET_FILE=${OTKLIK_MONITORING_SECRET_FILE:-$VAR/secrets/monitoring.key}
# The identity provider: the local one (tools/esia-dev) unless OTKLIK_ESIA_ISSUER
# points elsewhere (the real ESIA: see README.md).
if [ -z "${OTKLIK_ESIA_ISSUER:-}" ]; then
  LOCAL_IDP=1
  export OTKLIK_ESIA_ISSUER=http://127.0.0.1:$ESIA_DEV_PORT
  export OTKLIK_ESIA_AUTHORIZE_URL=$OTKLIK_ESIA_ISSUER/auth
  export OTKLIK_ESIA_TOKEN_URL=${OTKLIK_ESIA_TOKEN_URL:-$OTKLIK_ESIA_ISSUER/token}
  export OTKLIK_ESIA_JWKS_URL=$OTKLIK_ESIA_ISSUER/jwks
  export OTKLIK_ESIA_CLIENT_ID=otklik
  export OTKLIK_ESIA_CLIENT_SECRET_FILE=$VAR/secrets/esia-client.secret
  # ESIA's newer protocol with GOST (tools/esia-dev/gost.mjs): its keys and the
  # platform's are made at start in $VAR/secrets, never committed
  export OTKLIK_ESIA_GOST_URL=http://127.0.0.1:$ESIA_GOST_PORT
  if [ "${OTKLIK_ESIA_PROTOCOL:-v1}" = v2 ]; then
    export OTKLIK_ESIA_ISSUER=$OTKLIK_ESIA_GOST_URL/
    export OTKLIK_ESIA_AUTHORIZE_URL=$OTKLIK_ESIA_GOST_URL/aas/oauth2/v2/ac
    export OTKLIK_ESIA_TOKEN_URL=$OTKLIK_ESIA_GOST_URL/aas/oauth2/v3/te
    export OTKLIK_ESIA_PERSON_URL=$OTKLIK_ESIA_GOST_URL/rs/prns
    export OTKLIK_ESIA_CERT_FILE=$VAR/secrets/client-gost.crt
    export OTKLIK_ESIA_KEY_FILE=$VAR/secrets/client-gost.key
    export OTKLIK_ESIA_VERIFY_CERTS=esia-dev=$VAR/secrets/esia-gost.crt
  fi
fi

# a GOST R 34.10-2012 (256) key and a self-signed certificate: NAME.key, NAME.crt
gost_pair() {
  local d=$VAR/secrets
  [ -s "$d/$1.crt" ] && return 0
  (umask 077
   openssl genpkey -engine gost -algorithm gost2012_256 -pkeyopt paramset:A -out "$d/$1.key" 2>/dev/null
   openssl req -engine gost -x509 -new -key "$d/$1.key" -md_gost12_256 -days 30 -subj "/CN=$2" \
     -out "$d/$1.crt" 2>/dev/null)
}

secrets() {
  mkdir -p "$VAR/secrets"
  chmod 700 "$VAR/secrets"
  if [ ! -s "$VAR/secrets/token.key" ]; then
    (umask 077; head -c 48 /dev/urandom | base64 -w0 >"$VAR/secrets/token.key")
  fi
  if [ ! -s "$VAR/secrets/esia-client.secret" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 -w0 >"$VAR/secrets/esia-client.secret")
  fi
  mkdir -p "$OTKLIK_CHANNELS_SECRETS_DIR"
  if [ ! -s "$OTKLIK_MONITORING_SECRET_FILE" ]; then
    (umask 077; head -c 32 /dev/urandom | base64 -w0 >"$OTKLIK_MONITORING_SECRET_FILE")
  fi
  if [ ! -s "$VAR/secrets/pg.pass" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 -w0 >"$VAR/secrets/pg.pass")
  fi
  if [ "${LOCAL_IDP:-0}" = 1 ] && [ -e /usr/lib/x86_64-linux-gnu/engines-3/gost.so ]; then
    gost_pair esia-gost "ESIA (local)"
    gost_pair client-gost "Otklik (local)"
  fi
}

pg_start() {
  mkdir -p "$(dirname "$PGDATA")" "$VAR/log"
  if ((as_root)); then chown postgres: "$(dirname "$PGDATA")" 2>/dev/null || true; fi
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    log "initialising PostgreSQL in $PGDATA"
    local pwfile
    pwfile=$(mktemp)
    cp "$VAR/secrets/pg.pass" "$pwfile"
    chmod 644 "$pwfile"
    mkdir -p "$PGDATA"
    if ((as_root)); then chown postgres: "$PGDATA"; fi
    pg "$PGBIN/initdb" -D "$PGDATA" -U otklik --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$VAR/log/initdb.log" 2>&1 \
      || { rm -f "$pwfile"; cat "$VAR/log/initdb.log" >&2; exit 1; }
    rm -f "$pwfile"
  fi
  mkdir -p "$PGSOCK"
  if ((as_root)); then chown postgres: "$PGSOCK"; fi
  touch "$VAR/log/postgresql.log"
  if ((as_root)); then chown postgres: "$VAR/log/postgresql.log"; fi
  local fast=""
  [ "${OTKLIK_PG_FAST:-0}" = 1 ] && fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$VAR/log/postgresql.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$PGSOCK \
        -c max_connections=${OTKLIK_PG_MAX_CONNECTIONS:-300} -c shared_buffers=256MB $fast" \
    start >/dev/null
}

pg_stop() {
  [ -s "$PGDATA/postmaster.pid" ] || return 0
  pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop >/dev/null || true
}

db_setup() {
  if ! "$PGBIN/psql" -h "$PGSOCK" -p "$PG_PORT" -U otklik -d postgres -Atqc \
      "SELECT 1 FROM pg_database WHERE datname = 'otklik'" | grep -q 1; then
    "$PGBIN/createdb" -h "$PGSOCK" -p "$PG_PORT" -U otklik -E UTF8 -T template0 otklik
  fi
  "$BIN/otklikctl" migrate
  # OTKLIK_DEMO_DATA=0: an empty platform, as a new installation starts
  [ "${OTKLIK_DEMO_DATA:-1}" = 0 ] || "$BIN/otklikctl" seed-demo
}

workers_start() {
  mkdir -p "$VAR/run" "$VAR/log"
  rm -f "$OTKLIK_METRICS_DIR"/*.metrics # counters start at zero with the stack
  for m in "${MODULES[@]}"; do
    [ -x "$BIN/otklik-$m" ] || { log "missing $BIN/otklik-$m (run make)"; exit 1; }
    # spawn-fcgi binds the socket (fd 0) and execs multiwatch, which forks the
    # processes and restarts any that dies, at once. GnuTLS is loaded only as
    # libldap's dependency (libpq's) and never used: not initialising it when it
    # loads saves 0.7 MB a process (LDAP's TLS would initialise it itself).
    GNUTLS_NO_IMPLICIT_INIT=1 spawn-fcgi -n -s "$VAR/run/$m.sock" -M 0600 -- \
      /usr/bin/multiwatch -f "$PROCESSES" -r 100000 -t 1000 -s TERM -- "$BIN/otklik-$m" \
      >>"$VAR/log/$m.log" 2>&1 &
    echo $! >"$VAR/run/$m.pid"
  done
  for m in "${MODULES[@]}"; do
    for _ in $(seq 100); do [ -S "$VAR/run/$m.sock" ] && break; sleep 0.05; done
  done
}

# The scheduler (otklikctl tick) and, when a webhook or a network's API is
# configured, the notifier (the outbox's dispatcher): one process each under multiwatch, restarted if they die.
daemons_start() {
  /usr/bin/multiwatch -f 1 -r 100000 -t 1000 -s TERM -- "$BIN/otklikctl" tick --every "${OTKLIK_TICK_SECONDS:-60}" \
    >>"$VAR/log/scheduler.log" 2>&1 &
  echo $! >"$VAR/run/scheduler.pid"
  if [ -n "${OTKLIK_WEBHOOK_URL:-}${OTKLIK_VK_API_URL:-}${OTKLIK_TELEGRAM_API_URL:-}${OTKLIK_SMTP_URL:-}" ]; then
    /usr/bin/multiwatch -f 1 -r 100000 -t 1000 -s TERM -- "$BIN/otklik-notifier" \
      >>"$VAR/log/notifier.log" 2>&1 &
    echo $! >"$VAR/run/notifier.pid"
  fi
}

workers_stop() {
  for m in "${MODULES[@]}" scheduler notifier; do
    local f=$VAR/run/$m.pid
    [ -s "$f" ] || continue
    local pid
    pid=$(cat "$f")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$f" "$VAR/run/$m.sock"
  done
}

idp_start() {
  [ "${LOCAL_IDP:-0}" = 1 ] || return 0
  local issuer=http://127.0.0.1:$ESIA_DEV_PORT
  ESIA_DEV_PORT=$ESIA_DEV_PORT ESIA_DEV_ISSUER=$issuer ESIA_DEV_CLIENT_ID=otklik \
  ESIA_DEV_CLIENT_SECRET=$(cat "$VAR/secrets/esia-client.secret") \
  ESIA_DEV_REDIRECT_URIS=$OTKLIK_PUBLIC_ORIGIN/auth/esia/callback \
  ESIA_DEV_JWKS_FILE=$VAR/secrets/esia-dev-jwks.json \
    node "$ROOT/tools/esia-dev/server.mjs" >>"$VAR/log/esia-dev.log" 2>&1 &
  echo $! >"$VAR/run/esia-dev.pid"
  for _ in $(seq 100); do
    curl -fsS -o /dev/null "$issuer/.well-known/openid-configuration" 2>/dev/null && return 0
    sleep 0.1
  done
  log "the local identity provider did not start; see $VAR/log/esia-dev.log"
  exit 1
}

# the stand-in for ESIA's newer protocol (GOST), beside the OpenID provider
gost_idp_start() {
  [ "${LOCAL_IDP:-0}" = 1 ] && [ -s "$VAR/secrets/esia-gost.key" ] || return 0
  ESIA_GOST_PORT=$ESIA_GOST_PORT ESIA_GOST_ISSUER=$OTKLIK_ESIA_GOST_URL/ ESIA_GOST_CLIENT_ID=otklik \
  ESIA_GOST_REDIRECT_URIS=$OTKLIK_PUBLIC_ORIGIN/auth/esia/callback ESIA_GOST_KID=esia-dev \
  ESIA_GOST_KEY=$VAR/secrets/esia-gost.key ESIA_GOST_CLIENT_CERT=$VAR/secrets/client-gost.crt \
    node "$ROOT/tools/esia-dev/gost.mjs" >>"$VAR/log/esia-gost.log" 2>&1 &
  echo $! >"$VAR/run/esia-gost.pid"
  for _ in $(seq 100); do
    curl -fsS -o /dev/null "$OTKLIK_ESIA_GOST_URL/healthz" 2>/dev/null && return 0
    sleep 0.1
  done
  log "the local GOST identity provider did not start; see $VAR/log/esia-gost.log"
  exit 1
}

idp_stop() {
  local f
  for f in "$VAR/run/esia-dev.pid" "$VAR/run/esia-gost.pid"; do
    [ -s "$f" ] || continue
    kill -TERM "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
}

nginx_render() {
  mkdir -p "$VAR/nginx"/{body,fastcgi,proxy,uwsgi,scgi,results} "$VAR/run" "$VAR/log" "$ROOT/widget-js/dist"
  local user=() f
  ((as_root)) && user=(--user root)
  # the demo agency site (another origin) that embeds the widget
  mkdir -p "$VAR/demo"
  for f in "$ROOT"/widget-js/demo/*.html; do
    sed -e "s|@PLATFORM@|$OTKLIK_PUBLIC_ORIGIN|g" "$f" >"$VAR/demo/$(basename "$f")"
  done
  "$ROOT/scripts/nginx-render.sh" --out "$VAR/nginx" --root "$ROOT" --var "$VAR" --run "$VAR/run" \
    --log "$VAR/log" --listen "${OTKLIK_NGINX_LISTEN:-127.0.0.1:$PORT}" --demo-port "$DEMO_PORT" "${user[@]}"
}

nginx_start() {
  nginx_render
  /usr/sbin/nginx -q -t -c "$VAR/nginx/otklik.conf" -p "$VAR/nginx" 2>&1 | grep -v 'test is successful' >&2 || true
  /usr/sbin/nginx -c "$VAR/nginx/otklik.conf" -p "$VAR/nginx"
}

nginx_stop() {
  local f=$VAR/run/nginx.pid
  [ -s "$f" ] || return 0
  local pid
  pid=$(cat "$f")
  kill -QUIT "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
}

start() {
  secrets
  pg_start
  db_setup
  mkdir -p "$VAR/run"
  idp_start
  gost_idp_start
  workers_start
  daemons_start
  nginx_start
  for _ in $(seq 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break
    sleep 0.1
  done
  log "serving http://127.0.0.1:$PORT/ and the demo agency page http://127.0.0.1:$DEMO_PORT/ (logs in $VAR/log)"
}

stop() {
  nginx_stop
  workers_stop
  idp_stop
  pg_stop
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  run)
    trap 'stop; exit 0' INT TERM
    start
    log "press Ctrl-C to stop"
    while sleep 1; do :; done
    ;;
  host-start)
    secrets
    workers_start
    daemons_start
    nginx_start
    ;;
  host-stop) nginx_stop; workers_stop ;;
  nginx-reload) nginx_render; /usr/sbin/nginx -c "$VAR/nginx/otklik.conf" -p "$VAR/nginx" -s reload ;;
  nginx-start) nginx_start ;;
  nginx-stop) nginx_stop ;;
  pg-stop) pg_stop ;;
  pg-start) pg_start ;;
  env)
    export OTKLIK_BASE_URL=http://127.0.0.1:$PORT OTKLIK_PGDATA=$PGDATA OTKLIK_VAR=$VAR
    export OTKLIK_DEMO_URL=http://127.0.0.1:$DEMO_PORT
    while IFS='=' read -r name value; do
      printf 'export %s=%q\n' "$name" "$value"
    done < <(env | grep -E '^OTKLIK_' | sort)
    ;;
  *) echo "usage: $0 run|start|stop|host-start|host-stop|pg-stop|pg-start|nginx-reload|nginx-start|nginx-stop|env" >&2; exit 2 ;;
esac
