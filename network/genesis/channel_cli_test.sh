#!/usr/bin/env bash
# End-to-end test of `careledger channel genesis | inspect` on the example consortium, and of the errors a user
# sees from them and from `careledger bench broadcast` (which needs running orderers to do more; the
# integration tests run it against real ones).
# Usage: channel_cli_test.sh <careledger binary> <consortium yaml>
set -euo pipefail
source "$(dirname "$0")/../cli/cli_test_lib.sh" "$@"

"$careledger" crypto generate --config "$config" --out "$work/net" >/dev/null
orderers=(--orderer orderer0=127.0.0.1:7050,127.0.0.1:7052 orderer1=127.0.0.1:8050,127.0.0.1:8052
          --orderer orderer2=127.0.0.1:9050,127.0.0.1:9052)

out=$("$careledger" channel genesis --dir "$work/net" --channel healthchannel "${orderers[@]}" \
      --batch-timeout 250ms --max-message-count 100 --preferred-max-bytes 1MB --out "$work/genesis.block")
expect_in "genesis block of channel healthchannel" "$out"
expect_in "3 application organisation(s), 1 orderer organisation(s), 3 consenter(s)" "$out"

out=$("$careledger" channel inspect --block "$work/genesis.block")
expect_in "Block 0 of $work/genesis.block" "$out"
expect_in "Channel healthchannel (config sequence 0)" "$out"
expect_in "  Hospital2  Hospital2MSP" "$out"
expect_in "  Regulator  RegulatorMSP" "$out"
expect_in "endpoints: 127.0.0.1:7050, 127.0.0.1:8050, 127.0.0.1:9050" "$out"
expect_in "  3  OrdererMSP  127.0.0.1:9052" "$out"
expect_in "Batch: timeout 250ms, max 100 messages, preferred 1 MiB, absolute 10 MiB" "$out"
expect_in "Signature OR('Hospital2MSP.admin', 'Hospital2MSP.client')" "$out"
# The regulator never writes: its Writers policy names an identity that no certificate is.
grep -qE "/Channel/Application/Regulator/Writers +Signature AND\(\[IDENTITY RegulatorMSP" <<<"$out" ||
  fail "the regulator's Writers policy is not the unsatisfiable one:\n$out"

# The same inputs and timestamp give the same block.
for i in 1 2; do
  "$careledger" channel genesis --dir "$work/net" "${orderers[@]}" --timestamp 1790000000 \
    --out "$work/fixed$i.block" >/dev/null
done
cmp -s "$work/fixed1.block" "$work/fixed2.block" || fail "the same inputs gave different genesis blocks"

# Errors: a precise message and a non-zero exit code, never a crash.
set +e
msg=$("$careledger" channel genesis --dir "$work/net" "${orderers[@]}" --orderer orderer7=127.0.0.1:7150 \
      --out "$work/x.block" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "unknown orderer exited $rc"; expect_in "unknown orderer node 'orderer7'" "$msg"
msg=$("$careledger" channel genesis --dir "$work/net" --orderer orderer0=127.0.0.1:7050 --out "$work/x.block" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "missing orderer exited $rc"; expect_in "no address given for orderer node orderer1" "$msg"
msg=$("$careledger" channel genesis --dir "$work/none" "${orderers[@]}" --out "$work/x.block" 2>&1); rc=$?
[ $rc -eq 1 ] || fail "missing folder exited $rc"; expect_in "holds no consortium.yaml" "$msg"
msg=$("$careledger" channel genesis --dir "$work/net" "${orderers[@]}" --batch-timeout 2 --out "$work/x.block" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "bad batch timeout exited $rc"; expect_in "--batch-timeout" "$msg"
msg=$("$careledger" channel genesis --dir "$work/net" "${orderers[@]}" --preferred-max-bytes 20MB --out "$work/x.block" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "preferred above absolute exited $rc"; expect_in "preferred_max_bytes" "$msg"
[ ! -e "$work/x.block" ] || fail "a failed genesis left a block behind"
echo "not a block" > "$work/junk.block"
msg=$("$careledger" channel inspect --block "$work/junk.block" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "junk block exited $rc"; expect_in "junk.block" "$msg"
msg=$("$careledger" channel inspect --block "$work/missing.block" 2>&1); rc=$?
[ $rc -eq 1 ] || fail "missing block exited $rc"; expect_in "missing.block" "$msg"

user=$work/net/organizations/hospital1.example.org/users/dr.alice@hospital1.example.org/msp
tlsca=$work/net/organizations/orderer.example.org/tlsca/tlsca-cert.pem
msg=$("$careledger" bench broadcast --orderer 127.0.0.1:1 --msp-dir "$user" --msp-id Hospital1MSP 2>&1); rc=$?
[ $rc -eq 2 ] || fail "bench without --tls-ca exited $rc"; expect_in "--tls-ca" "$msg"
msg=$("$careledger" bench broadcast --orderer 127.0.0.1:1 --tls-ca "$tlsca" --msp-dir "$user" --msp-id Hospital1MSP \
      --streams 0 2>&1); rc=$?
[ $rc -eq 2 ] || fail "bench with 0 streams exited $rc"; expect_in "--streams must be in 1..1024" "$msg"
msg=$("$careledger" bench broadcast --orderer 127.0.0.1:1 --tls-ca "$tlsca" --msp-dir "$user" --msp-id Hospital1MSP \
      --pids orderer0 2>&1); rc=$?
[ $rc -eq 2 ] || fail "bench with bad --pids exited $rc"; expect_in "--pids" "$msg"
msg=$("$careledger" bench broadcast --orderer 127.0.0.1:1 --tls-ca "$tlsca" --msp-dir "$user" --msp-id Hospital1MSP \
      --connect-timeout 1 --json "$work/bench.json" 2>&1); rc=$?
[ $rc -eq 1 ] || fail "bench against nothing exited $rc"; expect_in "cannot connect to orderer 127.0.0.1:1" "$msg"
[ ! -e "$work/bench.json" ] || fail "a bench that never ran wrote a report"
echo "PASS"
