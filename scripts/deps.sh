#!/usr/bin/env bash
# Installs what Tonghu needs from Debian 12 packages (apt) when it is missing. Sourced by run.sh
# and test.sh. Nothing is downloaded from anywhere but Debian's and npm's registries.
set -euo pipefail

TH_APT_BUILD=(cmake ninja-build g++ pkg-config ccache mold
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libpq-dev libsodium-dev libicu-dev
  libxlsxwriter-dev libzip-dev libexpat1-dev libspdlog-dev libfmt-dev libcli11-dev)
TH_APT_TEST=(libgtest-dev libgmock-dev libbenchmark-dev postgresql postgresql-contrib chromium fonts-wqy-microhei)

th_sudo() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# th_install_missing PKG... : apt-get install the packages that dpkg does not report installed.
th_install_missing() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> apt-get install ${missing[*]}"
    th_sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    th_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# th_install_node : Node.js and npm from Debian unless some node is already on PATH.
th_install_node() {
  command -v node >/dev/null && command -v npm >/dev/null && return 0
  th_install_missing nodejs npm
}

# th_build_cpp BUILD_DIR [TARGET...] : configure (once) and build the C++ part: everything, or only
# the targets named (./run.sh builds just the `tonghu` binary, not the tests and benchmarks).
th_build_cpp() {
  local dir="$1"
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  ninja -C "$dir" -j"$(nproc)" "$@"
}

# th_build_web : npm ci (when node_modules is missing or stale) and vite build (when sources changed).
th_build_web() {
  (
    cd web
    if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
      npm ci --no-audit --no-fund --loglevel=error
    fi
    if [ ! -f dist/index.html ] || [ -n "$(find src index.html public vite.config.ts package.json -newer dist/index.html 2>/dev/null | head -1)" ]; then
      npm run build --silent
    fi
  )
}
