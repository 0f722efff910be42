// Cryptographically secure random bytes (OpenSSL's DRBG), for nonces, serial numbers and vault keys.
#ifndef CARELEDGER_COMMON_CRYPTO_RANDOM_H_
#define CARELEDGER_COMMON_CRYPTO_RANDOM_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"

namespace careledger::crypto {

// Returns `n` random bytes. Internal error only if the DRBG cannot be seeded, in which case nothing that
// needs secrecy may proceed. Thread-safe.
absl::StatusOr<std::string> RandomBytes(size_t n);

}  // namespace careledger::crypto

#endif  // CARELEDGER_COMMON_CRYPTO_RANDOM_H_
