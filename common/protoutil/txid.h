// Transaction IDs and nonces, computed exactly as Fabric computes them.
//
// A transaction ID is the lower-case hex SHA-256 of (nonce || creator), where nonce and creator are the
// SignatureHeader's fields. Binding the ID to a random nonce and to the creator lets every peer recompute it,
// so nobody can reuse another transaction's ID, and duplicate IDs can be detected on the ledger.
#ifndef CARELEDGER_COMMON_PROTOUTIL_TXID_H_
#define CARELEDGER_COMMON_PROTOUTIL_TXID_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace careledger::protoutil {

// The nonce length Fabric's SDKs and peers use.
inline constexpr size_t kNonceSize = 24;

// Returns the transaction ID for `nonce` and `creator` (the serialized identity): 64 lower-case hex digits.
std::string ComputeTxId(std::string_view nonce, std::string_view creator);

// OK if `tx_id` is exactly ComputeTxId(nonce, creator) (case matters, as in Fabric). Otherwise InvalidArgument
// naming the expected and the received ID (the received one escaped and shortened, since it is untrusted).
absl::Status CheckTxId(std::string_view tx_id, std::string_view nonce, std::string_view creator);

// Returns kNonceSize fresh random bytes. Internal only if the system's random generator fails. Thread-safe.
absl::StatusOr<std::string> CreateNonce();

}  // namespace careledger::protoutil

#endif  // CARELEDGER_COMMON_PROTOUTIL_TXID_H_
