#!/usr/bin/env bash
# The healthcare scenario on a running local network (`careledger network up`), step by step, each step saying
# what it shows and what happened:
#   a patient registers and grants a doctor at their hospital access; the doctor uploads a report to the
#   hospital's vault and anchors it on the ledger; a doctor at another hospital is refused, then granted, fetches
#   the report and verifies it against the ledger; the patient revokes and the next fetch is refused; an altered
#   copy of the file fails verification; an emergency (break-glass) access is opened and recorded; the
#   regulator's audit peer verifies the whole chain and prints the patient's audit report.
# Usage: scripts/healthcare_scenario.sh [--careledger PATH] [--dir NETWORK_DIR] [--work DIR]
# Exits 0 only if every step did what it should (a refusal that should happen is a success).
set -euo pipefail

careledger=build/network/careledger
net=out/network
work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --careledger) careledger=$2; shift 2 ;;
    --dir) net=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "usage: $0 [--careledger PATH] [--dir NETWORK_DIR] [--work DIR]" >&2; exit 2 ;;
  esac
done
[ -n "$work" ] || work=$(mktemp -d)
mkdir -p "$work"

# Unique IDs per run, so that the scenario can run again on the same network.
run=$(date +%s)
record="R-$run"
step=0
say() { step=$((step + 1)); printf '\n== %d. %s\n' "$step" "$*"; }
cl() { "$careledger" "$@" --dir "$net"; }
fail() { echo "SCENARIO FAILED at step $step: $*" >&2; exit 1; }
# Runs a command that must be refused; prints the refusal; fails the scenario if it succeeds or the refusal
# does not say `expected`.
refused() {
  local expected=$1; shift
  local out
  if out=$(cl "$@" 2>&1); then fail "expected a refusal, got:\n$out"; fi
  echo "$out"
  grep -qF -- "$expected" <<<"$out" || fail "the refusal does not say '$expected'"
  echo "(refused, as it should be)"
}

say "pat.bob (patient P-2001 of Hospital1) registers himself"
cl patient register --user pat.bob --profile "hospital1/patients/P-2001" ||
  refused "already registered" patient register --user pat.bob --profile "hospital1/patients/P-2001"

say "pat.bob grants dr.alice (Hospital1) read and write access to his records for 30 days"
cl patient grant --user pat.bob --to dr.alice --scope readwrite --expires 30d

say "dr.alice uploads a lab report for pat.bob to Hospital1's vault and anchors its hash on the ledger"
printf 'Full blood count, P-2001, %s\nHb 14.1 g/dL  WBC 6.2  PLT 250\n' "$(date -u +%FT%TZ)" > "$work/report.txt"
cl document upload --user dr.alice --patient P-2001 --record "$record" --category lab --file "$work/report.txt" \
   --media-type text/plain

say "dr.carol (Hospital2) asks for the report without consent: refused"
refused "no consent" document fetch --user dr.carol --record "$record" --out "$work/fetched.txt"

say "pat.bob grants dr.carol read access to his lab records for 7 days"
cl patient grant --user pat.bob --to dr.carol --scope read --categories lab --expires 7d

say "dr.carol fetches the report from Hospital1's vault (the access is logged on the ledger) and checks it"
cl document fetch --user dr.carol --record "$record" --out "$work/fetched.txt"
cmp -s "$work/report.txt" "$work/fetched.txt" || fail "the fetched report differs from the uploaded one"
cl document verify --user dr.carol --record "$record" --file "$work/fetched.txt"

say "pat.bob revokes dr.carol's consent; her next fetch is refused"
cl patient revoke --user pat.bob --from dr.carol
refused "no consent" document fetch --user dr.carol --record "$record" --out "$work/fetched-again.txt"

say "someone alters a copy of the report: verification against the ledger detects it"
sed 's/Hb 14.1/Hb 11.1/' "$work/fetched.txt" > "$work/altered.txt"
if out=$(cl document verify --user dr.carol --record "$record" --file "$work/altered.txt" 2>&1); then
  fail "the altered file verified:\n$out"
fi
echo "$out"
echo "(the altered copy does not match the registered document, as it should not)"

say "dr.carol opens an emergency (break-glass) access to pat.bob's records, with a reason; it is recorded"
cl emergency open --user dr.carol --patient P-2001 --reason "unconscious in A&E, Leeds" --duration 1h
cl document fetch --user dr.carol --record "$record" --out "$work/emergency.txt"
cl emergency list --user inspector

say "the regulator's audit peer verifies the whole chain, from the genesis block"
cl audit verify --user inspector

say "the regulator's audit report for pat.bob (also as an HL7 FHIR R4 bundle)"
cl audit report --user inspector --patient P-2001 --fhir "$work/P-2001-fhir.json"
echo "FHIR bundle: $work/P-2001-fhir.json"

printf '\nscenario complete: %d steps, each as expected\n' "$step"
