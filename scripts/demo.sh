#!/usr/bin/env bash
# The main job, from a fresh Debian bookworm machine: install dependencies, build, and show CareLedger working.
# The identity layer of the example healthcare consortium (certificate authorities, nodes, doctors, patients
# and a regulator, generated, printed, and each checked against its organisation's MSP), then the whole
# consortium as a running network (`careledger network up`: three Raft orderers, each hospital's endorsing peer
# with its document vault and the regulator's audit peer, joined to healthchannel with the healthcare and
# bench chaincodes defined), the healthcare scenario on it (scripts/healthcare_scenario.sh: consent, a clinical
# report in the vault and on the ledger, refusals, revocation, tamper detection, break-glass access, the
# regulator's chain verification and audit report), and `careledger network down`.
# The network uses 127.0.0.1 ports 7050-7102 (docs/network.md) and lives in out/network while it runs.
# Usage: scripts/demo.sh [identities folder, default out/healthnet]
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-out/healthnet}
scripts/install-deps.sh
scripts/build.sh careledger careledger-peer careledger-orderer
careledger=build/network/careledger
network=out/network

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
echo "== Starting the consortium's network from network/examples/healthnet.yaml (careledger network up)"
# A fresh network each time: a previous demo's, if any, is stopped and deleted first.
if [ -f "$network/network.json" ]; then "$careledger" network down --dir "$network" --purge; fi
trap '"$careledger" network down --dir "$network" >/dev/null 2>&1 || true' EXIT
"$careledger" network up --config network/examples/healthnet.yaml --dir "$network"

echo
echo "== Its nodes (careledger network status)"
"$careledger" network status --dir "$network"

echo
echo "== A transaction round trip through each hospital's peer Gateway (careledger network check)"
"$careledger" network check --dir "$network" --peer peer0.hospital1
"$careledger" network check --dir "$network" --peer peer0.hospital2

echo
echo "== The healthcare scenario (scripts/healthcare_scenario.sh)"
scripts/healthcare_scenario.sh --careledger "$careledger" --dir "$network" --work out/scenario
"$careledger" network status --dir "$network"

echo
echo "== Stopping the network (careledger network down; the data stays in $network until --purge)"
"$careledger" network down --dir "$network"
trap - EXIT
