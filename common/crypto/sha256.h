// SHA-256 (OpenSSL EVP), the hash of every Fabric structure CareLedger computes.
#ifndef CARELEDGER_COMMON_CRYPTO_SHA256_H_
#define CARELEDGER_COMMON_CRYPTO_SHA256_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace careledger::crypto {

inline constexpr size_t kSha256Size = 32;
using Sha256Digest = std::array<uint8_t, kSha256Size>;

// Returns SHA-256(data).
Sha256Digest Sha256(std::string_view data);

// Returns SHA-256(data) as a 32-byte string (the form protobuf `bytes` fields take).
std::string Sha256Bytes(std::string_view data);

// Views a digest as bytes.
inline std::string_view AsBytes(const Sha256Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

// Incremental SHA-256 over several pieces, without concatenating them first.
// Not thread-safe; one hasher per computation.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(std::string_view data);
  // Returns the digest of everything updated so far; the hasher must not be used afterwards.
  Sha256Digest Finish();

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
};

}  // namespace careledger::crypto

#endif  // CARELEDGER_COMMON_CRYPTO_SHA256_H_
