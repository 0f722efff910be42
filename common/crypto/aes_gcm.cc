#include "common/crypto/aes_gcm.h"

#include <openssl/evp.h>

#include <climits>

#include "absl/strings/str_cat.h"
#include "common/crypto/openssl_util.h"

namespace careledger::crypto {
namespace {

using CipherCtxPtr = internal::Owned<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>;

const EVP_CIPHER* Aes256Gcm() {
  static const EVP_CIPHER* cipher = [] {
    EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    if (c == nullptr) std::abort();  // an OpenSSL without AES-GCM cannot run the vault at all
    return c;
  }();
  return cipher;
}

absl::Status CheckSizes(std::string_view key, std::string_view nonce, size_t data_size) {
  if (key.size() != kAes256KeySize) {
    return absl::InvalidArgumentError(absl::StrCat("AES-256 key must be 32 bytes, got ", key.size()));
  }
  if (nonce.size() != kGcmNonceSize) {
    return absl::InvalidArgumentError(absl::StrCat("GCM nonce must be 12 bytes, got ", nonce.size()));
  }
  if (data_size > static_cast<size_t>(INT_MAX) - kGcmTagSize) {
    return absl::InvalidArgumentError("data too large for a single AES-GCM operation (2 GiB)");
  }
  return absl::OkStatus();
}

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

absl::StatusOr<std::string> Aes256GcmSeal(std::string_view key, std::string_view nonce, std::string_view plaintext,
                                          std::string_view associated_data) {
  if (absl::Status st = CheckSizes(key, nonce, plaintext.size()); !st.ok()) return st;
  if (associated_data.size() > INT_MAX) return absl::InvalidArgumentError("associated data too large");
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  std::string out(plaintext.size() + kGcmTagSize, '\0');
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  int len = 0;
  if (ctx == nullptr || EVP_EncryptInit_ex2(ctx.get(), Aes256Gcm(), Bytes(key), Bytes(nonce), nullptr) != 1 ||
      (!associated_data.empty() &&
       EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(associated_data), static_cast<int>(associated_data.size())) !=
           1) ||
      EVP_EncryptUpdate(ctx.get(), dst, &len, Bytes(plaintext), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), dst + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kGcmTagSize, dst + plaintext.size()) != 1) {
    return internal::OpenSslError(absl::StatusCode::kInternal, "AES-256-GCM encryption failed");
  }
  return out;
}

absl::StatusOr<std::string> Aes256GcmOpen(std::string_view key, std::string_view nonce, std::string_view sealed,
                                          std::string_view associated_data) {
  if (absl::Status st = CheckSizes(key, nonce, sealed.size()); !st.ok()) return st;
  if (sealed.size() < kGcmTagSize) {
    return absl::InvalidArgumentError(absl::StrCat("sealed data of ", sealed.size(), " bytes is shorter than a tag"));
  }
  if (associated_data.size() > INT_MAX) return absl::InvalidArgumentError("associated data too large");
  const std::string_view ciphertext = sealed.substr(0, sealed.size() - kGcmTagSize);
  std::string tag(sealed.substr(ciphertext.size()));
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  std::string out(ciphertext.size(), '\0');
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  int len = 0;
  if (ctx == nullptr || EVP_DecryptInit_ex2(ctx.get(), Aes256Gcm(), Bytes(key), Bytes(nonce), nullptr) != 1 ||
      (!associated_data.empty() &&
       EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(associated_data), static_cast<int>(associated_data.size())) !=
           1) ||
      EVP_DecryptUpdate(ctx.get(), dst, &len, Bytes(ciphertext), static_cast<int>(ciphertext.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kGcmTagSize, tag.data()) != 1) {
    return internal::OpenSslError(absl::StatusCode::kInternal, "AES-256-GCM decryption failed");
  }
  if (EVP_DecryptFinal_ex(ctx.get(), dst + len, &len) != 1) {
    internal::ClearOpenSslErrors();
    OPENSSL_cleanse(out.data(), out.size());  // never let unauthenticated plaintext escape
    return absl::DataLossError("AES-GCM authentication failed: the data was altered or the key is wrong");
  }
  return out;
}

}  // namespace careledger::crypto
