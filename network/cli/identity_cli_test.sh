#!/usr/bin/env bash
# End-to-end test of the identity tooling: `careledger crypto generate` on the example consortium, re-run,
# `identity issue`, `identity revoke`, `identity list`, and the errors a user sees.
# Usage: identity_cli_test.sh <careledger binary> <consortium yaml>
set -euo pipefail
source "$(dirname "$0")/cli_test_lib.sh" "$@"

out=$("$careledger" crypto generate --config "$config" --out "$work/net")
expect_in "4 organisations" "$out"
expect_in "dr.alice@hospital1.example.org" "$out"
expect_in "doctor" "$out"
expect_in "D-1001" "$out"
expect_in "peer0.hospital1.example.org" "$out"
expect_in "audit0.regulator.example.org" "$out"
expect_in "orderer2.orderer.example.org" "$out"
created=$(grep -c ' created$' <<<"$out")
[ "$created" -ge 15 ] || fail "expected at least 15 created identities, got $created"

key=$work/net/organizations/hospital1.example.org/users/dr.alice@hospital1.example.org/msp/keystore/priv_sk
[ "$(stat -c %a "$key")" = 600 ] || fail "private key mode is $(stat -c %a "$key"), want 600"
before=$(sha256sum "$key")

# Re-running keeps every key.
out=$("$careledger" crypto generate --config "$config" --out "$work/net")
expect_in "0 created" "$out"
[ "$(sha256sum "$key")" = "$before" ] || fail "re-running replaced a private key"

# Enrol a new doctor, then revoke her.
out=$("$careledger" identity issue --dir "$work/net" --org Hospital2 --name dr.erin --role doctor --person-id D-2002)
expect_in "Issued dr.erin@hospital2.example.org" "$out"
out=$("$careledger" identity revoke --dir "$work/net" --org Hospital2MSP --name dr.erin)
expect_in "Revoked dr.erin@hospital2.example.org" "$out"
out=$("$careledger" identity verify --dir "$work/net")
expect_in "16 identities accepted by their organisation's MSP, 1 rejected" "$out"
grep -F "dr.erin@hospital2.example.org" <<<"$out" | grep -qF "has been revoked" || fail "revoked identity not rejected:\n$out"
out=$("$careledger" identity list --dir "$work/net")
grep -F "dr.erin@hospital2.example.org" <<<"$out" | grep -qF revoked || fail "dr.erin not listed as revoked:\n$out"
grep -F "dr.carol@hospital2.example.org" <<<"$out" | grep -qF kept || fail "dr.carol not listed as kept"

# Errors: a precise message and a non-zero exit code, never a crash.
set +e
msg=$("$careledger" identity issue --dir "$work/net" --org Hospital2 --name dr.erin 2>&1); rc=$?
[ $rc -eq 1 ] || fail "issuing an existing identity exited $rc"; expect_in "already exists" "$msg"
msg=$("$careledger" identity issue --dir "$work/net" --org Regulator --name x --role doctor 2>&1); rc=$?
[ $rc -eq 2 ] || fail "doctor in regulator exited $rc"; expect_in "belongs to a hospital" "$msg"
msg=$("$careledger" identity revoke --dir "$work/net" --org Hospital9 --name x 2>&1); rc=$?
[ $rc -eq 1 ] || fail "unknown org exited $rc"; expect_in "no organisation 'Hospital9'" "$msg"
printf 'organizations:\n  - name: H1\n    colour: blue\n' > "$work/bad.yaml"
msg=$("$careledger" crypto generate --config "$work/bad.yaml" --out "$work/bad" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "unknown key exited $rc"; expect_in "bad.yaml:3:5: organizations[0].colour: unknown key" "$msg"
msg=$("$careledger" crypto generate --config "$work/missing.yaml" --out "$work/x" 2>&1); rc=$?
[ $rc -eq 1 ] || fail "missing config exited $rc"; expect_in "missing.yaml" "$msg"
msg=$("$careledger" crypto 2>&1); rc=$?
[ $rc -eq 2 ] || fail "missing subcommand exited $rc"
set -e
echo "identity CLI: all checks passed"
