#include "common/crypto/parallel_verify.h"

namespace careledger::crypto {

std::vector<absl::Status> VerifyAll(std::span<const SignatureCheck> checks, ThreadPool& pool) {
  std::vector<absl::Status> results(checks.size());
  // Each index writes only its own slot, so no synchronisation beyond ParallelFor's completion is needed.
  pool.ParallelFor(checks.size(), [&](size_t i) {
    const SignatureCheck& c = checks[i];
    results[i] = c.key->Verify(c.message, c.signature);
  });
  return results;
}

}  // namespace careledger::crypto
