#!/usr/bin/env bash
# Installs whatever the build, tests and demo need and is missing, from Debian's
# packages (and npm, with the lock file, where package.json exists). Idempotent:
# a machine that has everything runs no installer.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git ca-certificates tzdata
  libgtest-dev libgmock-dev
  libyaml-cpp-dev libgeographiclib-dev libgeos-dev libhowardhinnant-date-dev
  libsqlite3-dev sqlite3 libpq-dev nlohmann-json3-dev libcli11-dev libicu-dev libssl-dev libboost-dev
  python3 python3-pandas python3-matplotlib
  postgresql postgresql-15-postgis-3
  nodejs python3-icu python3-ahocorasick clang libclang-rt-14-dev
  chromium python3-jsonschema wrk nginx-light
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: need root to install packages (run as root or install: ${missing[*]})" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -f "$root/package.json" ]; then
  if [ ! -d "$root/node_modules" ] || [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
    echo "setup: npm ci" >&2
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
# The dashboard bundle (web/dist, served by `truce serve`): rebuilt when missing or
# older than any source under web/ or the lock file.
if [ -f "$root/web/build.mjs" ]; then
  if [ ! -f "$root/web/dist/index.html" ] \
     || [ -n "$(find "$root/web/src" "$root/web/index.html" "$root/web/build.mjs" "$root/package-lock.json" -newer "$root/web/dist/index.html" -print -quit)" ]; then
    echo "setup: npm run build (web/dist)" >&2
    (cd "$root" && npm run build --silent)
  fi
fi
