#!/usr/bin/env bash
# Installs what dianpu needs on Debian: only what is missing, `apt-get update` first
# when something is. Works as root; uses sudo otherwise. Then the console's npm packages.
set -euo pipefail

PKGS=(
  build-essential pkg-config meson ninja-build
  libsqlite3-dev sqlite3 libpq-dev libmicrohttpd-dev libjansson-dev libsodium-dev
  libcmocka-dev clang libclang-rt-14-dev
  postgresql python3 curl
  wrk nginx-light
  libcairo2-dev libpango1.0-dev fonts-noto-cjk libzint-dev poppler-utils
  libxlsxwriter-dev libzip-dev libexpat1-dev
  chromium
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "deps: all Debian packages present"
fi

# The console is built with Node.js; machines of this kind come with it, a bare
# Debian gets the distribution's.
if ! command -v npm >/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi

if [ -f web/package.json ]; then
  if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules ]; then
    (cd web && npm ci --no-audit --no-fund)
  fi
fi
