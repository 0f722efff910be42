#!/usr/bin/env bash
# Configures and builds CareLedger into build/ (or build-sanitize/ with --sanitize), using ccache.
# Usage: scripts/build.sh [--sanitize] [ninja targets...]
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build
cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [ "${1:-}" = "--sanitize" ]; then
  shift
  build_dir=build-sanitize
  cmake_args=(-DCMAKE_BUILD_TYPE=Debug -DCARELEDGER_SANITIZE=ON -DCARELEDGER_BUILD_BENCHMARKS=OFF)
fi

# ccache keeps rebuilds of unchanged files (generated protobuf code above all) out of CI's time.
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/careledger-ccache}"
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-5G}"

if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S . -B "$build_dir" -G Ninja "${cmake_args[@]}"
fi
ninja -C "$build_dir" "$@"
