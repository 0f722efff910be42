#!/usr/bin/env bash
# Installs CareLedger's build and test dependencies from Debian bookworm packages.
# Idempotent: packages already present are left alone; safe to run on every build.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libleveldb-dev libsnappy-dev libssl-dev openssl libabsl-dev libyaml-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libraft-dev libuv1-dev
  nlohmann-json3-dev libcli11-dev libcpp-httplib-dev
)

# Node.js runs the tests that check our wire format against Fabric's own client libraries (npm packages).
# Install Debian's only when no node/npm is on the PATH: a machine may carry a newer Node.js of its own.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
