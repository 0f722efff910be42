#!/usr/bin/env bash
# Crypto benchmark against OpenSSL's own figure, in the same run: single-core ECDSA P-256 verification of
# careledger_crypto vs `openssl speed ecdsap256`, and how VerifyAll scales with threads.
# Usage: scripts/bench-crypto.sh   (run on an otherwise idle machine)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh crypto_benchmark >/dev/null

speed=$(openssl speed -seconds 3 ecdsap256 2>/dev/null | awk '/nistp256/ {print $(NF-1), $NF}')
openssl_sign=${speed% *}
openssl_verify=${speed#* }

json=$(mktemp)
trap 'rm -f "$json"' EXIT
build/common/crypto/crypto_benchmark --benchmark_min_time=3 --benchmark_format=console \
  --benchmark_out="$json" --benchmark_out_format=json

python3 - "$json" "$openssl_sign" "$openssl_verify" <<'PY'
import json, sys
runs = {b["name"]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
o_sign, o_verify = float(sys.argv[2]), float(sys.argv[3])
ours = runs["BM_EcdsaVerifyDigest"]["items_per_second"]
sign = runs["BM_EcdsaSign"]["items_per_second"]
print()
print(f"openssl speed ecdsap256 (1 core): sign {o_sign:,.0f}/s, verify {o_verify:,.0f}/s")
print(f"careledger (1 core):              sign {sign:,.0f}/s, verify {ours:,.0f}/s"
      f"  -> verify at {100 * ours / o_verify:.1f}% of OpenSSL")
one = runs.get("BM_VerifyAllBatch/1/real_time", {}).get("items_per_second")
for t in (1, 2, 4):
    r = runs.get(f"BM_VerifyAllBatch/{t}/real_time")
    if r and one:
        print(f"VerifyAll, {t} thread(s): {r['items_per_second']:,.0f} verifications/s  ({r['items_per_second'] / one:.2f}x)")
PY
