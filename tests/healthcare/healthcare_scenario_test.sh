#!/usr/bin/env bash
# The README's healthcare scenario (scripts/healthcare_scenario.sh) end to end on a network of real processes:
# `careledger network up` of the example consortium on ports of its own, the scenario, `network down`; every
# node started is stopped (by PID) whatever happens.
# Usage: healthcare_scenario_test.sh <careledger> <careledger-peer> <careledger-orderer> <repository root>
set -euo pipefail
careledger=$(realpath "$1")
peer_binary=$(realpath "$2")
orderer_binary=$(realpath "$3")
root=$(realpath "$4")
work=$(mktemp -d)
net=$work/net

recorded_pids() { grep -o '"pid": [0-9]*' "$net/network.json" 2>/dev/null | awk '$2 > 0 {print $2}'; }
cleanup() {
  local pids
  pids=$(recorded_pids || true)
  if [ -f "$net/network.json" ]; then "$careledger" network down --dir "$net" --grace 5s >/dev/null 2>&1 || true; fi
  for pid in $pids; do
    if grep -q careledger "/proc/$pid/cmdline" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$work"
}
trap cleanup EXIT

# The example consortium on a free port range (6 nodes take base..base+59).
source "$root/network/launcher/free_ports.sh"
base=$(free_port_base 60)
sed "s/^  basePort: 7050 .*/  basePort: $base/; s/^\( *\)port: 7[0-9]*\( *#.*\)\?$/\1# port: default/; \
     s/^\( *\)\(clusterPort\|adminPort\|operationsPort\): 7[0-9]*.*$/\1# \2: default/" \
    "$root/network/examples/healthnet.yaml" > "$work/healthnet.yaml"
grep -q "basePort: $base" "$work/healthnet.yaml" || { echo "FAIL: could not set the base port" >&2; exit 1; }

"$careledger" network up --config "$work/healthnet.yaml" --dir "$net" --peer-binary "$peer_binary" \
  --orderer-binary "$orderer_binary" --timeout 120s
"$root/scripts/healthcare_scenario.sh" --careledger "$careledger" --dir "$net" --work "$work/scenario"
"$careledger" network down --dir "$net"
echo "healthcare scenario: passed"
