#!/usr/bin/env bash
# The main job, from a fresh Debian bookworm machine: install dependencies, build, and show CareLedger working.
# Today that is the identity layer of the example healthcare consortium (certificate authorities, nodes,
# doctors, patients and a regulator, generated, printed, and each checked against its organisation's MSP)
# and its Raft ordering service (three orderer processes ordering signed envelopes into blocks).
# Usage: scripts/demo.sh [output folder, default out/healthnet]
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-out/healthnet}
scripts/install-deps.sh
scripts/build.sh careledger
careledger=build/network/careledger

echo
echo "== Generating identities for the consortium in network/examples/healthnet.yaml"
"$careledger" crypto generate --config network/examples/healthnet.yaml --out "$out"

echo
echo "== Enrolling a new doctor at Hospital2, then revoking a former one"
"$careledger" identity issue --dir "$out" --org Hospital2 --name dr.erin --role doctor --person-id D-2002 \
  || echo "(dr.erin already enrolled in $out)"
"$careledger" identity issue --dir "$out" --org Hospital2 --name dr.former --role doctor --person-id D-2999 \
  >/dev/null 2>&1 || true
"$careledger" identity revoke --dir "$out" --org Hospital2 --name dr.former || true

echo
echo "== Checking every identity against its organisation's MSP (chain, CRL, node OU, signature)"
"$careledger" identity verify --dir "$out"

echo
echo "== A three-node Raft ordering service on 127.0.0.1: join a channel, order signed envelopes for 5 s,"
echo "   read every block back on Deliver (scripts/bench-orderer.sh; its own identities in a temporary folder)"
scripts/bench-orderer.sh --warmup 1 --duration 5 --streams 4 --in-flight 200
