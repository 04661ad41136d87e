#!/usr/bin/env bash
# nginx-render.sh - renders nginx/*.conf and nginx/*.conf.in into a directory,
# filling their @NAME@ placeholders. The one renderer of nginx's configuration:
# scripts/stack.sh renders a whole configuration (nginx -c) for its private
# stack; `make install` renders a snippet (--snippet) to include inside the
# http block of the system's nginx: no pid, error log, temporary paths, events,
# MIME types or demo site (lines between "# -- standalone only" and
# "# -- end of standalone only" in nginx/otklik.conf.in), which nginx.conf has.
#
#   nginx-render.sh [--snippet] --out DIR [--conf DIR] --root DIR --run DIR --log DIR
#                   [--var DIR] [--listen ADDRESS] [--demo-port PORT] [--user USER]
#
#   --out     where the files are written
#   --conf    where nginx reads them (@CONF@; default --out; differs under DESTDIR)
#   --root    where widget-js/dist, web/dist and docs/dist are (@ROOT@)
#   --run     the workers' sockets, <module>.sock (@VAR@/run/)
#   --log     nginx's access log, nginx-access.log (@VAR@/log/)
#   --var     the rest of @VAR@ (standalone: pid, temporary files, the demo site)
#   --listen  nginx's listen address (@LISTEN@; default 127.0.0.1:8080)
#   --cache   the cache of anonymous voting results (@CACHE@; default
#             @VAR@/nginx/results standalone, /var/cache/otklik-results for a
#             snippet: nginx creates it for its workers)
#
# nginx's limits come from the environment, as README.md lists them:
# OTKLIK_{USER,ANON,INTAKE,ADDRESS}_{RATE,BURST}, OTKLIK_METRICS_ALLOW,
# OTKLIK_MAX_JSON_BYTES, OTKLIK_MAX_ATTACHMENT_BYTES; and OTKLIK_MAP_TILES_URL's origin.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../nginx" && pwd)

snippet=0 out="" conf="" root="" run="" log="" var="" listen=127.0.0.1:8080 demo_port=8081 user="" cache=""
while (($#)); do
  case "$1" in
    --snippet) snippet=1; shift ;;
    --out) out=$2; shift 2 ;;
    --conf) conf=$2; shift 2 ;;
    --root) root=$2; shift 2 ;;
    --run) run=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    --var) var=$2; shift 2 ;;
    --listen) listen=$2; shift 2 ;;
    --cache) cache=$2; shift 2 ;;
    --demo-port) demo_port=$2; shift 2 ;;
    --user) user="user $2;"; shift 2 ;;
    *) echo "nginx-render: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$out" ] || [ -z "$root" ] || [ -z "$run" ] || [ -z "$log" ]; then
  echo "nginx-render: --out, --root, --run and --log are needed" >&2
  exit 2
fi
[ -n "$conf" ] || conf=$out
if [ -z "$cache" ]; then
  if ((snippet)) || [ -z "$var" ]; then cache=/var/cache/otklik-results; else cache=$var/nginx/results; fi
fi
[ -n "$var" ] || var=/nonexistent # only standalone lines use the rest of @VAR@

# write limits: per session for writes with a credential, per address for
# the others and for logins; OTKLIK_INTAKE_* is the default of both
INTAKE_RATE=${OTKLIK_INTAKE_RATE:-10r/s}
INTAKE_BURST=${OTKLIK_INTAKE_BURST:-40}
USER_RATE=${OTKLIK_USER_RATE:-$INTAKE_RATE}
USER_BURST=${OTKLIK_USER_BURST:-$INTAKE_BURST}
ANON_RATE=${OTKLIK_ANON_RATE:-$INTAKE_RATE}
ANON_BURST=${OTKLIK_ANON_BURST:-$INTAKE_BURST}
# and every write of one address together, sized for a carrier NAT: a ceiling
# that keeps forged credentials (a new bucket each) from escaping all limits
ADDRESS_RATE=${OTKLIK_ADDRESS_RATE:-1000r/s}
ADDRESS_BURST=${OTKLIK_ADDRESS_BURST:-5000}
# who may read GET /metrics: addresses or networks (CIDR), space-separated
METRICS_ALLOW=${OTKLIK_METRICS_ALLOW:-127.0.0.1 ::1}
if [[ ! "$METRICS_ALLOW" =~ ^[0-9A-Fa-f.:/\ ]+$ ]]; then
  printf 'nginx-render: OTKLIK_METRICS_ALLOW holds something other than addresses: %s\n' "$METRICS_ALLOW" >&2
  exit 1
fi
# the load balancers in front of this nginx (scripts/cluster.sh): the client's
# address, for the limits and the log, is the one they put in X-Forwarded-For
TRUSTED_PROXIES=${OTKLIK_TRUSTED_PROXIES:-}
if [[ ! "$TRUSTED_PROXIES" =~ ^[0-9A-Fa-f.:/\ ]*$ ]]; then
  printf 'nginx-render: OTKLIK_TRUSTED_PROXIES holds something other than addresses: %s\n' "$TRUSTED_PROXIES" >&2
  exit 1
fi
proxies=""
for a in $TRUSTED_PROXIES; do proxies+="set_real_ip_from $a; "; done
[ -z "$proxies" ] || proxies+="real_ip_header X-Forwarded-For; real_ip_recursive on;"
MAX_JSON_BYTES=${OTKLIK_MAX_JSON_BYTES:-262144}
MAX_ATTACHMENT_BYTES=${OTKLIK_MAX_ATTACHMENT_BYTES:-5242880}
# the maps' tile server (OTKLIK_MAP_TILES_URL): its origin may serve images
# to the cabinet and the portal (CSP img-src); unset, nothing is added
TILES_ORIGIN=""
if [ -n "${OTKLIK_MAP_TILES_URL:-}" ]; then
  if [[ ! "$OTKLIK_MAP_TILES_URL" =~ ^(https?://[A-Za-z0-9.-]+(:[0-9]+)?)/[^[:space:]\"\'\;|]*$ ]]; then
    printf 'nginx-render: OTKLIK_MAP_TILES_URL is not an http(s) URL of a tile server: %s\n' "$OTKLIK_MAP_TILES_URL" >&2
    exit 1
  fi
  TILES_ORIGIN=" ${BASH_REMATCH[1]}"
fi
allow="" a=""
for a in $METRICS_ALLOW; do allow+="allow $a; "; done

# a snippet: what is inside http { }, without the standalone lines
cut_snippet() {
  if ((snippet)); then
    sed -e '/^http {$/,$!d' -e '/^http {$/d' -e '$d' \
        -e '/# -- standalone only/,/# -- end of standalone only/d'
  else
    cat
  fi
}

mkdir -p "$out"
for f in "$SRC"/*.conf "$SRC"/*.conf.in; do
  name=$(basename "${f%.in}")
  filter="cat"
  [ "$name" = otklik.conf ] && filter=cut_snippet
  $filter <"$f" | sed \
    -e "s|@CACHE@|$cache|g" -e "s|@VAR@/run/|$run/|g" -e "s|@VAR@/log/|$log/|g" \
    -e "s|@VAR@|$var|g" -e "s|@ROOT@|$root|g" -e "s|@CONF@|$conf|g" \
    -e "s|@LISTEN@|$listen|g" -e "s|@DEMO_PORT@|$demo_port|g" -e "s|@USER_DIRECTIVE@|$user|" \
    -e "s|@USER_RATE@|$USER_RATE|g" -e "s|@USER_BURST@|$USER_BURST|g" \
    -e "s|@ANON_RATE@|$ANON_RATE|g" -e "s|@ANON_BURST@|$ANON_BURST|g" \
    -e "s|@ADDRESS_RATE@|$ADDRESS_RATE|g" -e "s|@ADDRESS_BURST@|$ADDRESS_BURST|g" \
    -e "s|@MAX_JSON_BYTES@|$MAX_JSON_BYTES|g" -e "s|@METRICS_ALLOW@|$allow|g" -e "s|@TRUSTED_PROXIES@|$proxies|g" \
    -e "s|@MAX_ATTACHMENT_BYTES@|$MAX_ATTACHMENT_BYTES|g" -e "s|@TILES_ORIGIN@|$TILES_ORIGIN|g" \
    >"$out/$name"
done
