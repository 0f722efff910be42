// The signature bound B of a transaction on this machine (../shared/bench/README.md, "The bound set by
// signatures"): a transaction through two endorsing peers, the ordering service and an audit peer costs at
// least 13 ECDSA P-256 verifications and 5 signatures, so `cores` cores cannot pass
//   B = cores / (13 / V + 5 / S)  transactions per second,
// V and S being one core's verifications and signatures per second. Measured here with careledger's own
// crypto (common/crypto, within a few percent of `openssl speed ecdsap256`), on one thread.
#ifndef CARELEDGER_NETWORK_BENCH_SIGNATURE_BOUND_H_
#define CARELEDGER_NETWORK_BENCH_SIGNATURE_BOUND_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace careledger::bench {

inline constexpr int kVerificationsPerTransaction = 13;
inline constexpr int kSignaturesPerTransaction = 5;

struct SignatureBound {
  double verify_per_second = 0;  // V, one core
  double sign_per_second = 0;    // S, one core
  int cores = 0;
  double tx_per_second = 0;  // B
};

// B from V, S and the number of cores.
SignatureBound SignatureBoundOf(double verify_per_second, double sign_per_second, int cores);

// Measures V and S for `each` (signing, then verifying, a 32-byte message with a fresh P-256 key) and
// returns B for `cores` (0: the cores this process may run on). Internal if the crypto fails.
absl::StatusOr<SignatureBound> MeasureSignatureBound(absl::Duration each, int cores = 0);

}  // namespace careledger::bench

#endif  // CARELEDGER_NETWORK_BENCH_SIGNATURE_BOUND_H_
