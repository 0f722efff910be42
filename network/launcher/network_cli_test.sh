#!/usr/bin/env bash
# End-to-end test of `careledger network`: up on a fresh folder (3 orderers, two hospitals' endorsing peers,
# the regulator's audit peer, healthchannel, bench defined through the lifecycle), every node running as
# a detached process, status, a transaction round trip through a hospital peer's Gateway (network check),
# logs, each node's /healthz and a peer's and an orderer's /metrics (as an operator reads them, with curl), the
# official Node Gateway client pointed at the network with client-env, up again (already running, nothing
# changed), one peer stopped and one orderer SIGKILLed then restarted by up (the network heals and commits
# again), down (no process left, by PID), up after down (restarts, skips what is done), down --purge.
# Usage: network_cli_test.sh <careledger> <careledger-peer> <careledger-orderer> [<node> <gateway_node dir>]
# (without the last two, the Node client step is skipped).
set -euo pipefail
careledger=$(realpath "$1")
peer_binary=$(realpath "$2")
orderer_binary=$(realpath "$3")
node_binary=${4:-}
node_dir=${5:-}
work=$(mktemp -d)
net=$work/net

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_in() { grep -qF -- "$1" <<<"$2" || fail "expected '$1' in output:\n$2"; }
recorded_pids() { grep -o '"pid": [0-9]*' "$net/network.json" 2>/dev/null | awk '$2 > 0 {print $2}'; }
# Alive and not a zombie.
alive() { [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f1)" != Z ]; }

# Whatever happens, no node outlives the test.
all_pids=()
cleanup() {
  if [ -f "$net/network.json" ]; then
    "$careledger" network down --dir "$net" --grace 5s >/dev/null 2>&1 || true
  fi
  for pid in "${all_pids[@]}"; do
    if alive "$pid" && grep -q careledger "/proc/$pid/cmdline" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
remember_pids() { for pid in $(recorded_pids); do all_pids+=("$pid"); done; }

# Ports: 6 nodes take base..base+59.
source "$(dirname "$0")/free_ports.sh"
base=$(free_port_base 60)
cat > "$work/consortium.yaml" <<YAML
network:
  basePort: $base
organizations:
  - name: Hospital1
  - name: Hospital2
  - name: Regulator
    type: regulator
  - name: Orderer
    type: orderer
    orderers: [{name: orderer0}, {name: orderer1}, {name: orderer2}]
YAML

# From the network's parent folder with a relative --dir: the nodes must still find their files.
up() {
  (cd "$work" && "$careledger" network up --config consortium.yaml --dir net --peer-binary "$peer_binary" \
     --orderer-binary "$orderer_binary" --timeout 120s 2>&1)
}

out=$(up) || { remember_pids; fail "network up failed:\n$out"; }
remember_pids
echo "$out"
expect_in "generating identities" "$out"
expect_in "orderer0.orderer.example.org is ready" "$out"
expect_in "peer0.hospital2.example.org joined healthchannel" "$out"
expect_in "audit0.regulator.example.org joined healthchannel" "$out"
expect_in "healthchannel: Raft leader" "$out"
expect_in "approved by Hospital1" "$out"
expect_in "approved by Hospital2" "$out"
expect_in "committed by Hospital1" "$out"
expect_in "network up in" "$out"
pids=$(recorded_pids)
[ "$(wc -w <<<"$pids")" -eq 6 ] || fail "expected 6 recorded PIDs, got: $pids"
for pid in $pids; do alive "$pid" || fail "node $pid is not running"; done

out=$("$careledger" network status --dir "$net")
echo "$out"
[ "$(grep -c ' running ' <<<"$out")" -eq 6 ] || fail "expected 6 running nodes:\n$out"
expect_in "healthchannel height" "$out"
expect_in "leader orderer" "$out"

# Every node says it is healthy (orderers once they know the Raft leader: wait for it, bounded).
wait_healthy() {
  local deadline=$((SECONDS + 60))
  while true; do
    out=$("$careledger" network status --dir "$net")
    [ "$(grep -c ' running .* OK ' <<<"$out")" -eq 6 ] && return 0
    [ $SECONDS -lt $deadline ] || fail "not every node became healthy:\n$out"
    sleep 0.5
  done
}
wait_healthy

out=$("$careledger" network check --dir "$net" --peer peer0.hospital1)
echo "$out"
expect_in "through peer0.hospital1.example.org" "$out"
expect_in "VALID in block" "$out"
expect_in "evaluated get network-check" "$out"
out=$("$careledger" network check --dir "$net" --peer peer0.hospital2)
expect_in "VALID in block" "$out"

# The operations endpoints, as an operator's monitoring reads them. Node k listens on base+10k..+3; the
# orderers come first, so peer0.hospital1 is node 3 (operations on base+32) and orderer0 node 0 (base+3).
peer_ops=$((base + 32))
orderer_ops=$((base + 3))
health=$(curl -sS --max-time 10 "http://127.0.0.1:$orderer_ops/healthz") || fail "orderer0 /healthz unreachable"
expect_in '"status":"OK"' "$health"
metrics=$(curl -sS --max-time 10 "http://127.0.0.1:$peer_ops/metrics") || fail "peer0.hospital1 /metrics unreachable"
expect_in 'ledger_transaction_count{channel="healthchannel",validation_code="VALID"}' "$metrics"
expect_in 'grpc_server_unary_requests_completed{service="gateway.Gateway",method="Submit",code="OK"}' "$metrics"
expect_in 'endorser_proposals_received{mode="endorse"}' "$metrics"
metrics=$(curl -sS --max-time 10 "http://127.0.0.1:$orderer_ops/metrics") || fail "orderer0 /metrics unreachable"
expect_in 'consensus_etcdraft_is_leader{channel="healthchannel"}' "$metrics"
expect_in 'grpc_server_stream_requests_received{service="orderer.AtomicBroadcast",method="Broadcast"}' "$metrics"

# Fabric's official Node client, pointed at the network in one line.
node_client() {
  [ -n "$node_binary" ] || { echo "(Node client step skipped: no node given)"; return 0; }
  out=$( (eval "$("$careledger" network client-env --dir "$net")" && "$node_binary" "$node_dir/network_smoke.js" 20) 2>&1) ||
    fail "the Node client failed:\n$out"
  echo "$out"
  expect_in "PASS node client: 20 transactions VALID" "$out"
}
node_client

out=$("$careledger" network logs orderer0 --dir "$net" -n 2)
[ "$(wc -l <<<"$out")" -eq 2 ] || fail "expected 2 log lines:\n$out"
expect_in "orderer.server orderer ready" "$("$careledger" network logs orderer0 --dir "$net")"
set +e
msg=$("$careledger" network logs peer0 --dir "$net" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "an ambiguous node name exited $rc: $msg"; expect_in "could be any of" "$msg"
msg=$("$careledger" network logs nobody --dir "$net" 2>&1); rc=$?
[ $rc -eq 1 ] || fail "an unknown node exited $rc: $msg"; expect_in "no node \"nobody\"" "$msg"
msg=$("$careledger" network status --dir "$work/none" 2>&1); rc=$?
[ $rc -eq 1 ] || fail "status of no network exited $rc: $msg"; expect_in "network up" "$msg"
set -e

# Up again: says so, changes nothing.
before=$(cat "$net/network.json")
out=$(up) || fail "up on a running network failed:\n$out"
expect_in "already running (6 nodes)" "$out"
[ "$(cat "$net/network.json")" = "$before" ] || fail "up on a running network changed network.json"

# One peer stopped, one orderer crashed (SIGKILL): up starts just those two; the network heals.
out=$("$careledger" network stop peer0.hospital2 --dir "$net")
echo "$out"
expect_in "peer0.hospital2.example.org stopped" "$out"
out=$("$careledger" network status --dir "$net")
grep -qE '^peer0\.hospital2\.example\.org +endorsing +stopped' <<<"$out" || fail "peer0.hospital2 is not stopped:\n$out"
orderer2_pid=$(awk '$1 ~ /^orderer2\./ {print $4}' <<<"$out")
[ -n "$orderer2_pid" ] && [ "$orderer2_pid" != "-" ] || fail "no PID for orderer2:\n$out"
kill -9 "$orderer2_pid"
for _ in $(seq 1 100); do alive "$orderer2_pid" || break; sleep 0.1; done  # SIGKILL is delivered asynchronously
alive "$orderer2_pid" && fail "orderer2 ($orderer2_pid) survived SIGKILL"
out=$(up) || { remember_pids; fail "up after a stop and a crash failed:\n$out"; }
remember_pids
echo "$out"
expect_in "starting the stopped nodes (" "$out"
expect_in "orderer2.orderer.example.org is ready" "$out"
expect_in "peer0.hospital2.example.org is ready" "$out"
wait_healthy
out=$("$careledger" network check --dir "$net" --peer peer0.hospital2)
expect_in "VALID in block" "$out"
node_client
pids=$(recorded_pids)

out=$("$careledger" network down --dir "$net")
echo "$out"
expect_in "data kept" "$out"
for pid in $pids; do alive "$pid" && fail "node $pid still runs after down"; done
[ -z "$(recorded_pids)" ] || fail "down left PIDs in network.json"
out=$("$careledger" network status --dir "$net")
[ "$(grep -c ' stopped ' <<<"$out")" -eq 6 ] || fail "expected 6 stopped nodes:\n$out"

# Up after down: the same network, nothing joined or defined twice.
out=$(up) || { remember_pids; fail "up after down failed:\n$out"; }
remember_pids
expect_in "using the network generated in" "$out"
expect_in "already serves healthchannel" "$out"
expect_in "already defined" "$out"
out=$("$careledger" network check --dir "$net")
expect_in "VALID in block" "$out"
pids=$(recorded_pids)
out=$("$careledger" network down --dir "$net" --purge)
expect_in "removed $net" "$out"
for pid in $pids; do alive "$pid" && fail "node $pid still runs after down --purge"; done
[ ! -e "$net" ] || fail "down --purge left $net"
echo "network CLI: all checks passed"
