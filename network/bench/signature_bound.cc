#include "network/bench/signature_bound.h"

#include <sched.h>

#include <string>

#include "absl/time/clock.h"
#include "common/crypto/ecdsa.h"
#include "common/status_macros.h"

namespace careledger::bench {
namespace {

int AvailableCores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 1;
  return std::max(1, CPU_COUNT(&set));
}

// Runs `op` repeatedly for `each` and returns how many times per second it ran, or its first error.
template <typename Op>
absl::StatusOr<double> RatePerSecond(absl::Duration each, Op op) {
  const absl::Time start = absl::Now();
  const absl::Time end = start + each;
  uint64_t count = 0;
  absl::Time now = start;
  do {
    for (int i = 0; i < 16; ++i) RETURN_IF_ERROR(op());  // amortises the clock reads
    count += 16;
    now = absl::Now();
  } while (now < end);
  return static_cast<double>(count) / absl::ToDoubleSeconds(now - start);
}

}  // namespace

SignatureBound SignatureBoundOf(double verify_per_second, double sign_per_second, int cores) {
  SignatureBound bound;
  bound.verify_per_second = verify_per_second;
  bound.sign_per_second = sign_per_second;
  bound.cores = cores;
  if (verify_per_second > 0 && sign_per_second > 0) {
    bound.tx_per_second =
        cores / (kVerificationsPerTransaction / verify_per_second + kSignaturesPerTransaction / sign_per_second);
  }
  return bound;
}

absl::StatusOr<SignatureBound> MeasureSignatureBound(absl::Duration each, int cores) {
  ASSIGN_OR_RETURN(const crypto::PrivateKey key, crypto::PrivateKey::Generate());
  const std::string message(32, 'm');
  std::string signature;
  ASSIGN_OR_RETURN(const double sign, RatePerSecond(each, [&]() -> absl::Status {
                     ASSIGN_OR_RETURN(signature, key.Sign(message));
                     return absl::OkStatus();
                   }));
  ASSIGN_OR_RETURN(const double verify,
                   RatePerSecond(each, [&] { return key.public_key().Verify(message, signature); }));
  return SignatureBoundOf(verify, sign, cores > 0 ? cores : AvailableCores());
}

}  // namespace careledger::bench
