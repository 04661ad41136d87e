#!/usr/bin/env bash
# install-deps.sh - installs what Otklik needs and this machine lacks: Debian
# packages with apt-get (as root, or through sudo), then npm packages from the
# committed lock files. Quiet and quick when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential pkg-config
  libfcgi-dev libpq-dev libjansson-dev libjwt-dev libcurl4-openssl-dev libssl-dev libcsv-dev libxml2-dev
  libjpeg62-turbo-dev libpng-dev libxlsxwriter-dev
  libcmocka-dev clang libfuzzer-14-dev
  postgresql-15 postgresql-contrib postgresql-15-postgis-3
  postgresql-15-auto-failover iproute2 # scripts/cluster.sh: the monitor and keepers, network namespaces
  nginx-light spawn-fcgi multiwatch wrk
  nodejs npm curl ca-certificates openssl libfcgi-bin libengine-gost-openssl libxml2-utils
  chromium
  prometheus # for promtool (tests: promtool check metrics); the service is not started
  systemd # for systemd-analyze (tests/install: verify the units); not started in a container
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# nodejs may come from outside Debian (a newer Node with its own npm)
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/#nodejs/}"); missing=("${missing[@]/#npm/}")
fi
read -r -a missing <<<"${missing[*]}"

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # the packaged default cluster and nginx site are not used: keep them from starting
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ] && [ -z "$sudo" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; trap 'rm -f "$policy"' EXIT
  fi
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# libfcgi before 2.4.2-2+deb12u1 has CVE-2025-23016 (overflow in ReadParams)
v=$(dpkg-query -W -f='${Version}' libfcgi0ldbl 2>/dev/null || dpkg-query -W -f='${Version}' libfcgi-bin 2>/dev/null || true)
if [ -n "$v" ] && dpkg --compare-versions "$v" lt "2.4.2-2+deb12u1"; then
  echo "install-deps: libfcgi $v is vulnerable (CVE-2025-23016); upgrade it" >&2
  exit 1
fi

for lock in $(git ls-files '*package-lock.json' 2>/dev/null); do
  dir=$(dirname "$lock")
  if [ ! -d "$dir/node_modules" ] || [ "$lock" -nt "$dir/node_modules" ]; then
    echo "install-deps: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$dir/node_modules"
  fi
done
