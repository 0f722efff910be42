# Sourced by the `careledger` command-line tests: their arguments, a scratch folder removed on exit, and
# the two assertions they use.
# Usage (from a test script): source "<this file>" "$@"   with arguments <careledger binary> <consortium yaml>
careledger=$1
config=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_in() { grep -qF -- "$1" <<<"$2" || fail "expected '$1' in output:\n$2"; }
