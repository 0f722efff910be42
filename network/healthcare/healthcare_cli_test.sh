#!/usr/bin/env bash
# End-to-end test of the role commands (`careledger patient|record|emergency|accesslog`) on a network `careledger
# network up` starts: a patient registers and grants a doctor of the other hospital read consent; a doctor without
# consent is refused with the chaincode's reason; the consents are listed; another doctor opens emergency access,
# which the regulator lists and finds in the access log; the regulator cannot write; the patient revokes the
# consent and the doctor is refused again. The network always goes down (trap), every command is bounded.
# Usage: healthcare_cli_test.sh <careledger> <careledger-peer> <careledger-orderer>
set -euo pipefail
# careledger, work (a scratch folder), fail and expect_in.
source "$(dirname "$0")/../cli/cli_test_lib.sh" "$(realpath "$1")" ""
peer_binary=$(realpath "$2")
orderer_binary=$(realpath "$3")
net=$work/net

expect_line() { grep -qxF -- "$1" <<<"$2" || fail "expected the line '$1' in output:\n$2"; }
expect_not_in() { ! grep -qF -- "$1" <<<"$2" || fail "did not expect '$1' in output:\n$2"; }

cleanup() {
  if [ -f "$net/network.json" ]; then
    timeout 60 "$careledger" network down --dir "$net" --grace 5s >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Its own ports: 4 nodes take base..base+39. 17300 is used by no other test; look further if something listens.
base=""
for candidate in $(seq 17300 100 18200); do
  if ! ss -Hltn 2>/dev/null | awk '{print $4}' | sed 's/.*://' |
       awk -v lo="$candidate" -v hi=$((candidate + 39)) '$1 >= lo && $1 <= hi {found=1} END {exit !found}'; then
    base=$candidate
    break
  fi
done
[ -n "$base" ] || fail "no free port range from 17300"
cat > "$work/consortium.yaml" <<YAML
network:
  basePort: $base
organizations:
  - name: Hospital1
    users:
      - {name: dr.alice, role: doctor, personId: D-1001}
      - {name: pat.bob, role: patient, personId: P-2001}
      - {name: gina, role: guardian, personId: G-3001}
  - name: Hospital2
    users:
      - {name: dr.carol, role: doctor, personId: D-2001}
  - name: Regulator
    type: regulator
    users:
      - {name: inspector, role: regulator, personId: R-0001}
  - name: Orderer
    type: orderer
YAML

out=$(timeout 180 "$careledger" network up --config "$work/consortium.yaml" --dir "$net" \
        --peer-binary "$peer_binary" --orderer-binary "$orderer_binary" --timeout 90s 2>&1) ||
  fail "network up failed:\n$out"
expect_in "network up in" "$out"

# cl ARGS...: a role command on this network, bounded; its stdout and stderr in $out, its exit code in $rc.
cl() {
  set +e
  out=$(timeout 60 "$careledger" "$@" --dir "$net" 2>&1)
  rc=$?
  set -e
  echo "\$ careledger $*  -> $rc"
  echo "$out"
}
ok() { cl "$@"; [ "$rc" -eq 0 ] || fail "careledger $* exited $rc"; }
refused() { cl "$@"; [ "$rc" -eq 1 ] || fail "careledger $* exited $rc, expected 1"; }

ok patient register --user pat.bob --profile profile-ref-bob
expect_in "registered patient P-2001 at Hospital1MSP (pat.bob@hospital1.example.org through peer0.hospital1" "$out"
expect_in "committed in block" "$out"
refused patient register --user pat.bob
expect_line "careledger: refused by the healthcare chaincode: patient P-2001 is already registered" "$out"

ok patient grant --user pat.bob --to dr.carol --scope read --categories lab,imaging --expires 30d
expect_in "patient P-2001 granted read consent to doctor D-2001 (Hospital2MSP)" "$out"
expect_in "categories: imaging,lab" "$out"
expect_in "committed in block" "$out"

# Consent took effect: dr.carol reads; dr.alice (no consent) is refused with the chaincode's reason.
ok patient show --user dr.carol --patient P-2001
expect_in "profile:       profile-ref-bob" "$out"
refused patient show --user dr.alice --patient P-2001
expect_line "careledger: refused by the healthcare chaincode: no consent: doctor D-1001 (Hospital1MSP) has no consent from patient P-2001" "$out"

ok patient consents --user pat.bob
expect_in "doctor D-2001 (Hospital2MSP)" "$out"
expect_in "imaging,lab" "$out"
ok patient consents --user inspector --patient P-2001 --output json
expect_in '"scope":"read"' "$out"

# A whole hospital, and a guardian, named by MSP and person ID or as a user.
ok patient grant --user pat.bob --to-hospital Hospital2MSP --scope readwrite --expires 2099-01-01T00:00:00Z
expect_in "patient P-2001 granted readwrite consent to every doctor of Hospital2MSP" "$out"
expect_in "expires at: 2099-01-01T00:00:00Z (unix 4070908800)" "$out"
ok patient guardian add --user pat.bob --guardian gina
expect_in "patient P-2001 added guardian G-3001 (Hospital1MSP)" "$out"
ok patient show --user gina --patient P-2001
expect_in "guardians:     G-3001 (Hospital1MSP)" "$out"
refused patient guardian add --user pat.bob --guardian-msp Hospital1MSP --guardian-person G-3001
expect_line "careledger: refused by the healthcare chaincode: G-3001 (Hospital1MSP) is already a guardian of patient P-2001" "$out"
ok patient guardian remove --user pat.bob --guardian-msp Hospital1MSP --guardian-person G-3001
expect_in "patient P-2001 removed guardian G-3001 (Hospital1MSP)" "$out"
ok patient revoke --user pat.bob --from-hospital Hospital2MSP
expect_in "revoked the consent of every doctor of Hospital2MSP" "$out"
refused record show --user pat.bob --record R-404
expect_line "careledger: refused by the healthcare chaincode: unknown record R-404" "$out"

# Arguments refused before any call: exit 2.
cl patient grant --user pat.bob --to pat.bob --scope read --expires 30d
[ "$rc" -eq 2 ] || fail "a grant to a patient exited $rc"; expect_in "pat.bob has role patient, not doctor" "$out"
cl patient grant --user pat.bob --to dr.carol --scope read --expires soon
[ "$rc" -eq 2 ] || fail "an invalid --expires exited $rc"; expect_in "invalid expiry" "$out"
cl accesslog --user inspector
[ "$rc" -eq 2 ] || fail "accesslog without --patient or --doctor exited $rc"

ok emergency open --user dr.alice --patient P-2001 --reason "unconscious in A&E" --duration 2h
expect_in "opened emergency access to patient P-2001 for 7200 s" "$out"
expect_in "flagged for review: true" "$out"
expect_in "committed in block" "$out"
ok emergency list --user inspector
expect_in "unconscious in A&E" "$out"
expect_in "doctor D-1001 (Hospital1MSP)" "$out"
ok accesslog --user inspector --patient P-2001
expect_in "access log of patient P-2001" "$out"
expect_in "emergency accesses: 1" "$out"
ok accesslog --user dr.alice --doctor dr.alice
expect_in "access log of doctor D-1001 (Hospital1MSP)" "$out"
ok accesslog --user inspector --doctor Hospital1MSP:D-1001 --output json
expect_in '"reason":"unconscious in A&E"' "$out"
ok record list --user dr.alice --patient P-2001
expect_in "RECORD" "$out"

# The regulator writes nothing: its audit peer refuses, and a hospital's peer refuses to endorse for it (the
# channel's Writers policy leaves the regulator out).
refused patient register --user inspector --patient P-9001
expect_in "audit peer" "$out"
refused patient register --user inspector --patient P-9001 --peer peer0.hospital1
expect_in "creator of RegulatorMSP is not allowed by /Channel/Application/Writers" "$out"

ok patient revoke --user pat.bob --from dr.carol
expect_in "patient P-2001 revoked the consent of doctor D-2001 (Hospital2MSP)" "$out"
expect_in "committed in block" "$out"
ok patient consents --user pat.bob
expect_not_in "D-2001" "$out"
refused patient show --user dr.carol --patient P-2001
expect_line "careledger: refused by the healthcare chaincode: no consent: doctor D-2001 (Hospital2MSP) has no consent from patient P-2001" "$out"
refused patient revoke --user pat.bob --from dr.carol
expect_in "no consent to revoke:" "$out"

out=$(timeout 60 "$careledger" network down --dir "$net" --grace 5s 2>&1) || fail "network down failed:\n$out"
echo "healthcare CLI: all checks passed"
