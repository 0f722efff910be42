// AES-256-GCM authenticated encryption, for the document vault: documents are sealed under per-document keys,
// and those keys are sealed under the vault's master key.
#ifndef CARELEDGER_COMMON_CRYPTO_AES_GCM_H_
#define CARELEDGER_COMMON_CRYPTO_AES_GCM_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace careledger::crypto {

inline constexpr size_t kAes256KeySize = 32;
inline constexpr size_t kGcmNonceSize = 12;
inline constexpr size_t kGcmTagSize = 16;

// Encrypts `plaintext` and authenticates it together with `associated_data`; returns ciphertext || tag
// (plaintext size + 16 bytes). A (key, nonce) pair must never be used twice: draw nonces with RandomBytes.
// InvalidArgument for a key that is not 32 bytes or a nonce that is not 12 bytes.
absl::StatusOr<std::string> Aes256GcmSeal(std::string_view key, std::string_view nonce, std::string_view plaintext,
                                          std::string_view associated_data);

// Reverses Aes256GcmSeal. DataLoss if the tag does not verify: the ciphertext, the associated data or the
// nonce was altered, or the key is wrong; nothing of the plaintext is returned then. InvalidArgument for bad
// key or nonce sizes or input shorter than a tag.
absl::StatusOr<std::string> Aes256GcmOpen(std::string_view key, std::string_view nonce, std::string_view sealed,
                                          std::string_view associated_data);

}  // namespace careledger::crypto

#endif  // CARELEDGER_COMMON_CRYPTO_AES_GCM_H_
