#!/usr/bin/env bash
# The whole test suite from a fresh Debian bookworm machine: installs dependencies, builds, and runs every
# test twice: in the optimised build (build/) and in the AddressSanitizer + UBSan build (build-sanitize/).
# Usage: scripts/test.sh [--fast]   (--fast: the optimised build only)
set -euo pipefail
cd "$(dirname "$0")/.."

fast=0
[ "${1:-}" = "--fast" ] && fast=1

scripts/install-deps.sh

run_suite() {  # run_suite <build dir> [build.sh args]
  local dir=$1
  shift
  local start=$SECONDS
  scripts/build.sh "$@"
  ctest --test-dir "$dir" --output-on-failure -j "$(nproc)" --timeout 600
  echo "test.sh: $dir built and tested in $((SECONDS - start)) s"
}

run_suite build
if [ $fast -eq 0 ]; then
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
  run_suite build-sanitize --sanitize
fi
