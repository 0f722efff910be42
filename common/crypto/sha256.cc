#include "common/crypto/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace careledger::crypto {
namespace {

// Fetched once: an implicit EVP_sha256() lookup on every call costs a provider search in OpenSSL 3.
const EVP_MD* Sha256Md() {
  static const EVP_MD* md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) std::abort();  // OpenSSL without SHA-256 cannot run CareLedger at all
    return fetched;
  }();
  return md;
}

}  // namespace

struct Sha256Hasher::Context {
  EVP_MD_CTX* ctx = nullptr;
  ~Context() { EVP_MD_CTX_free(ctx); }
};

Sha256Digest Sha256(std::string_view data) {
  Sha256Digest out;
  if (EVP_Digest(data.data(), data.size(), out.data(), nullptr, Sha256Md(), nullptr) != 1) std::abort();
  return out;
}

std::string Sha256Bytes(std::string_view data) { return std::string(AsBytes(Sha256(data))); }

// Allocation or init failures here mean OpenSSL itself is unusable (out of memory), not bad input.
Sha256Hasher::Sha256Hasher() : ctx_(std::make_unique<Context>()) {
  ctx_->ctx = EVP_MD_CTX_new();
  if (ctx_->ctx == nullptr || EVP_DigestInit_ex(ctx_->ctx, Sha256Md(), nullptr) != 1) std::abort();
}

Sha256Hasher::~Sha256Hasher() = default;

void Sha256Hasher::Update(std::string_view data) {
  if (EVP_DigestUpdate(ctx_->ctx, data.data(), data.size()) != 1) std::abort();
}

Sha256Digest Sha256Hasher::Finish() {
  Sha256Digest out;
  if (EVP_DigestFinal_ex(ctx_->ctx, out.data(), nullptr) != 1) std::abort();
  return out;
}

}  // namespace careledger::crypto
