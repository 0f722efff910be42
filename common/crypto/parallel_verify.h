// Verifying many signatures at once on all cores: the committer checks every creator and endorsement
// signature of a block this way, the orderer every envelope of a batch.
#ifndef CARELEDGER_COMMON_CRYPTO_PARALLEL_VERIFY_H_
#define CARELEDGER_COMMON_CRYPTO_PARALLEL_VERIFY_H_

#include <span>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "common/concurrency/thread_pool.h"
#include "common/crypto/ecdsa.h"

namespace careledger::crypto {

// One signature to check. Views only: the caller keeps the key and bytes alive until VerifyAll returns.
struct SignatureCheck {
  const PublicKey* key;
  std::string_view message;    // hashed with SHA-256 before verification
  std::string_view signature;  // DER, low-S
};

// Verifies every check on `pool` (and the calling thread). Returns one status per check, in order, with the
// same meaning as PublicKey::Verify. The result does not depend on scheduling.
std::vector<absl::Status> VerifyAll(std::span<const SignatureCheck> checks, ThreadPool& pool);

}  // namespace careledger::crypto

#endif  // CARELEDGER_COMMON_CRYPTO_PARALLEL_VERIFY_H_
