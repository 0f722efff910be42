#!/usr/bin/env bash
# The ordering service's load benchmark: three careledger-orderer processes on 127.0.0.1 (the example
# consortium's orderer0..2, one Raft cluster), one channel, and `careledger bench broadcast` against them:
# signed envelopes of a given size, pipelined over several Broadcast streams spread over the three nodes,
# blocks followed on Deliver. Prints throughput, broadcast-to-block latency, errors, CPU and peak RSS per node.
#
# Usage: scripts/bench-orderer.sh [--size BYTES] [--streams N] [--in-flight N] [--duration S] [--warmup S]
#                                 [--batch-timeout DURATION] [--max-message-count N] [--targets "0 1 2"]
#                                 [--base-port P] [--keep]
# Defaults: 1 KiB envelopes, 500-message batches, 2 s batch timeout, 8 streams x 500 in flight spread over
# all three nodes, 5 s warm-up, 30 s window. BENCH_LOG_SPEC sets the orderers' log spec; BENCH_BUILD_DIR
# runs binaries built elsewhere (to compare a change with the commit before it).
# Builds what it needs first (scripts/build.sh). The network lives in a fresh temporary folder that is
# removed at the end unless --keep; every process it starts is stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

log_spec=${BENCH_LOG_SPEC:-warn:orderer.server=info}
targets="0 1 2"  # the orderers the Broadcast streams go to, round-robin
size=1024 streams=8 in_flight=500 duration=30 warmup=5 batch_timeout=2s max_count=500 keep=0 base_port=27050
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size=$2; shift 2 ;;
    --streams) streams=$2; shift 2 ;;
    --in-flight) in_flight=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --batch-timeout) batch_timeout=$2; shift 2 ;;
    --max-message-count) max_count=$2; shift 2 ;;
    --base-port) base_port=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "bench-orderer.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

# BENCH_BUILD_DIR: measure binaries built elsewhere (e.g. a worktree of the commit before a change).
build_dir=${BENCH_BUILD_DIR:-}
if [ -z "$build_dir" ]; then
  scripts/build.sh careledger careledger-orderer >/dev/null
  build_dir=$root/build
fi
cli=$build_dir/network/careledger
orderer_bin=$build_dir/orderer/server/careledger-orderer

work=$(mktemp -d /tmp/careledger-bench-orderer.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "$keep" = 1 ]; then echo "Kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

"$cli" crypto generate --config network/examples/healthnet.yaml --out "$work/crypto" >/dev/null
orgs=$work/crypto/organizations
tls_ca=$orgs/orderer.example.org/tlsca/tlsca-cert.pem

port() { echo $((base_port + 1000 * $1 + $2)); }  # node, offset: 0 public, 2 cluster, 3 admin, 4 operations
orderer_flags=()
for i in 0 1 2; do orderer_flags+=(--orderer "orderer$i=127.0.0.1:$(port $i 0),127.0.0.1:$(port $i 2)"); done
"$cli" channel genesis --dir "$work/crypto" "${orderer_flags[@]}" --batch-timeout "$batch_timeout" \
  --max-message-count "$max_count" --out "$work/genesis.block" >/dev/null

mkdir -p "$work/pids"
for i in 0 1 2; do
  node=$orgs/orderer.example.org/orderers/orderer$i.orderer.example.org
  mkdir -p "$work/orderer$i"
  cat >"$work/orderer$i/orderer.yaml" <<EOF
General:
  ListenAddress: 127.0.0.1
  ListenPort: $(port $i 0)
  TLS:
    PrivateKey: $node/tls/server.key
    Certificate: $node/tls/server.crt
    RootCAs: [$tls_ca]
  Cluster:
    ListenPort: $(port $i 2)
  LocalMSPDir: $node/msp
  LocalMSPID: OrdererMSP
FileLedger:
  Location: $work/orderer$i/data
Admin:
  ListenAddress: 127.0.0.1:$(port $i 3)
Operations:
  ListenAddress: 127.0.0.1:$(port $i 4)
Logging:
  Spec: ${log_spec}
EOF
  "$orderer_bin" --config "$work/orderer$i/orderer.yaml" 2>"$work/orderer$i/orderer.log" &
  pids+=($!)
  echo $! >"$work/pids/orderer$i.pid"
done
for i in 0 1 2; do
  for _ in $(seq 300); do grep -q "orderer ready" "$work/orderer$i/orderer.log" && break; sleep 0.1; done
  grep -q "orderer ready" "$work/orderer$i/orderer.log" || { cat "$work/orderer$i/orderer.log" >&2; exit 1; }
done

admin=$orgs/orderer.example.org/users/Admin@orderer.example.org/tls
for i in 0 1 2; do
  "$cli" orderer channel join --admin "127.0.0.1:$(port $i 3)" --ca-file "$tls_ca" --client-cert "$admin/client.crt" \
    --client-key "$admin/client.key" --config-block "$work/genesis.block" >/dev/null
done

# Sign before the run more than the run can consume (15,000 per second), so that the load tool's own signing
# does not take the orderers' CPU; the report says how long senders waited if the pool ran dry.
presign=$(( (warmup + duration) * 15000 ))
json=
[ "$keep" = 1 ] && json=$work/report.json  # the folder outlives the run only with --keep
user=$orgs/hospital1.example.org/users/dr.alice@hospital1.example.org/msp
echo "3 orderers, 1 channel; batch timeout $batch_timeout, max $max_count messages; $size-byte payloads," \
     "$streams streams x $in_flight in flight"
target_flags=()
for i in $targets; do target_flags+=(--orderer "127.0.0.1:$(port "$i" 0)"); done
"$cli" bench broadcast "${target_flags[@]}" --tls-ca "$tls_ca" --msp-dir "$user" --msp-id Hospital1MSP \
  --size "$size" --streams "$streams" --in-flight "$in_flight" --warmup "$warmup" --duration "$duration" \
  --presign "$presign" --sign-threads 0 --deliver --pids-dir "$work/pids" \
  ${json:+--json "$json"}
