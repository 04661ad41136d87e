#!/usr/bin/env bash
# deb.sh - make deb: the Debian package (debian/) built by dpkg-buildpackage
# -us -uc -b into build/deb/otklik_<version>_<arch>.deb, then checked:
# lintian reports no error, the package depends on Debian's nginx,
# PostgreSQL 15 with PostGIS and the libraries the programs link, and holds the
# programs, units and settings where README.md's "Installing" says.
# Installs what the build needs beyond make test's packages (debhelper,
# lintian) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for p in debhelper lintian fakeroot dpkg-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deb: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

out=$PWD/build/deb
rm -rf "$out"
mkdir -p "$out"
version=$(dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
deb=$out/otklik_${version}_${arch}.deb
OTKLIK_DEB_OUT=$out nice dpkg-buildpackage -us -uc -b -j2 \
  --buildinfo-option=-u"$out" --changes-option=-u"$out" \
  --buildinfo-file="$out/otklik_${version}_${arch}.buildinfo" \
  --changes-file="$out/otklik_${version}_${arch}.changes" >"$out/build.log" 2>&1 \
  || { tail -40 "$out/build.log" >&2; echo "deb: dpkg-buildpackage failed (build/deb/build.log)" >&2; exit 1; }
echo "deb: built $deb"

fail() { echo "deb: $*" >&2; exit 1; }

# lintian: no error (warnings are printed, for the record)
lintian --fail-on error --tag-display-limit 0 "$deb" | tee "$out/lintian.log" \
  || fail "lintian reports errors (above)"

# the dependencies the brief names, and the libraries shlibs found
depends=$(dpkg-deb -f "$deb" Depends)
for d in nginx postgresql-15 postgresql-15-postgis-3 multiwatch adduser libfcgi0ldbl libpq5 \
         libjansson4 libjwt0 libcurl4 libjpeg62-turbo libpng16-16 libcsv3; do
  grep -Eq "(^|[ ,|])$d( |,|$)" <<<"$depends" || fail "Depends lacks $d: $depends"
done

# what it holds
contents=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|')
for f in /usr/bin/otklikctl /usr/libexec/otklik/otklik-widget /usr/libexec/otklik/otklik-notifier \
         /usr/share/otklik/sql/001_core.sql /usr/share/otklik/widget-js/dist/otklik.js \
         /usr/share/otklik/web/dist/portal/index.html /usr/share/otklik/docs/dist/openapi.json \
         /etc/otklik/otklik.env /etc/otklik/nginx/otklik.conf /lib/systemd/system/otklik-widget.socket \
         /lib/systemd/system/otklik-widget.service /lib/systemd/system/otklik-tick.timer \
         /lib/systemd/system/otklik.target /usr/share/doc/otklik/README.md; do
  grep -qx "$f" <<<"$contents" || fail "the package lacks $f"
done
! grep -q '^/usr/local' <<<"$contents" || fail "the package has files under /usr/local"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/otklik/otklik.env \
  || fail "/etc/otklik/otklik.env is not a conffile"
# the programs look for their files under /usr and /etc
tmp=$(mktemp -d)
dpkg-deb -x "$deb" "$tmp"
grep -q '/usr/share/otklik' "$tmp/usr/bin/otklikctl" || fail "otklikctl does not look in /usr/share/otklik"
grep -q '/etc/otklik/token.key' "$tmp/usr/bin/otklikctl" || fail "otklikctl does not look in /etc/otklik"
grep -q 'ExecStart=/usr/bin/multiwatch .* /usr/libexec/otklik/otklik-widget' "$tmp/lib/systemd/system/otklik-widget.service" \
  || fail "otklik-widget.service does not run /usr/libexec/otklik/otklik-widget"
rm -rf "$tmp"
echo "deb: $deb passes lintian and the package checks"
