#include "common/crypto/ecdsa.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/pem.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "common/crypto/openssl_util.h"
#include "common/strings.h"

namespace careledger::crypto {

using internal::BignumPtr;
using internal::EcdsaSigPtr;
using internal::OpenSslError;
using internal::PkeyCtxPtr;
using internal::PkeyPtr;

struct PublicKey::Impl {
  PkeyPtr pkey;
  std::string raw_point;
  // Initialised for verification once; each call duplicates it, which skips OpenSSL 3's provider lookup
  // (EVP_PKEY_verify_init) that otherwise costs several microseconds and takes a global lock per verify.
  PkeyCtxPtr verify_prototype;
};

struct PrivateKey::Impl {
  PkeyPtr pkey;
  PublicKey public_key;
  PkeyCtxPtr sign_prototype;  // initialised once, duplicated per signature (see PublicKey::Impl)
};

namespace internal {
EVP_PKEY* PkeyOf(const PublicKey& key) { return key.impl().pkey.get(); }
EVP_PKEY* PkeyOf(const PrivateKey& key) { return key.impl().pkey.get(); }
}  // namespace internal

namespace {

// n/2 for P-256, the largest S a signature may carry. n = FFFFFFFF 00000000 FFFFFFFF FFFFFFFF BCE6FAAD A7179E84
// F3B9CAC2 FC632551 (SEC 2, section 2.4.2).
const BIGNUM* P256Order() {
  static const BIGNUM* n = [] {
    BIGNUM* bn = nullptr;
    if (BN_hex2bn(&bn, "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551") == 0) std::abort();
    return bn;
  }();
  return n;
}

const BIGNUM* P256HalfOrder() {
  static const BIGNUM* half = [] {
    BIGNUM* bn = BN_new();
    if (bn == nullptr || BN_rshift1(bn, P256Order()) != 1) std::abort();
    return bn;
  }();
  return half;
}

// PEM callbacks that refuse to prompt for a passphrase: a node must never block on a terminal.
int NoPassphrase(char*, int, int, void*) { return -1; }

absl::StatusOr<std::string> RawPoint(EVP_PKEY* pkey) {
  unsigned char* point = nullptr;
  const size_t len = EVP_PKEY_get1_encoded_public_key(pkey, &point);
  if (len == 0) return OpenSslError(absl::StatusCode::kInvalidArgument, "cannot encode public key point");
  std::string out(reinterpret_cast<char*>(point), len);
  OPENSSL_free(point);
  return out;
}

// Parses a DER ECDSA-Sig-Value strictly: no trailing bytes, and the canonical re-encoding must be identical,
// so that a BER variant of a valid signature is not a second valid signature.
absl::StatusOr<EcdsaSigPtr> ParseStrictDerSignature(std::string_view signature) {
  if (signature.empty()) return absl::InvalidArgumentError("signature is empty");
  if (signature.size() > 80) {  // 2 + 2 * (2 + 33) is the longest P-256 DER signature (72)
    return absl::InvalidArgumentError(absl::StrCat("signature of ", signature.size(), " bytes is too long for P-256"));
  }
  const auto* p = reinterpret_cast<const unsigned char*>(signature.data());
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(signature.size())));
  if (sig == nullptr) return OpenSslError(absl::StatusCode::kInvalidArgument, "signature is not DER ECDSA");
  if (p != reinterpret_cast<const unsigned char*>(signature.data()) + signature.size()) {
    return absl::InvalidArgumentError("signature has trailing bytes after its DER encoding");
  }
  unsigned char* der = nullptr;
  const int der_len = i2d_ECDSA_SIG(sig.get(), &der);
  const bool canonical = der_len == static_cast<int>(signature.size()) &&
                         std::string_view(reinterpret_cast<char*>(der), der_len) == signature;
  OPENSSL_free(der);
  if (!canonical) return absl::InvalidArgumentError("signature is not in canonical DER form");
  return sig;
}

}  // namespace

// ---- PublicKey ----

namespace {

absl::StatusOr<std::shared_ptr<const PublicKey::Impl>> MakePublicKeyImpl(PkeyPtr pkey, std::string_view what) {
  if (!internal::IsP256Key(pkey.get())) {
    return absl::InvalidArgumentError(absl::StrCat(AsAbsl(what), " is not an ECDSA P-256 key"));
  }
  auto impl = std::make_shared<PublicKey::Impl>();
  auto point = RawPoint(pkey.get());
  if (!point.ok()) return point.status();
  impl->raw_point = *std::move(point);
  impl->verify_prototype.reset(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (impl->verify_prototype == nullptr || EVP_PKEY_verify_init(impl->verify_prototype.get()) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "cannot set up ECDSA verification");
  }
  impl->pkey = std::move(pkey);
  return impl;
}

// The public half of a private key as its own EVP_PKEY, so that verification never touches private material.
absl::StatusOr<PublicKey> PublicHalf(EVP_PKEY* private_key) {
  unsigned char* spki = nullptr;
  const int spki_len = i2d_PUBKEY(private_key, &spki);
  if (spki_len <= 0) return OpenSslError(absl::StatusCode::kInvalidArgument, "private key has no public half");
  auto public_key = PublicKey::FromDer(std::string_view(reinterpret_cast<char*>(spki), spki_len));
  OPENSSL_free(spki);
  return public_key;
}

}  // namespace

absl::StatusOr<PublicKey> PublicKey::FromPem(std::string_view pem) {
  internal::BioPtr bio = internal::MemoryBio(pem);
  if (bio == nullptr) return absl::InvalidArgumentError("public key PEM is too large");
  PkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, NoPassphrase, nullptr));
  if (pkey == nullptr) return OpenSslError(absl::StatusCode::kInvalidArgument, "not a PEM PUBLIC KEY");
  auto impl = MakePublicKeyImpl(std::move(pkey), "PEM public key");
  if (!impl.ok()) return impl.status();
  return PublicKey(*std::move(impl));
}

absl::StatusOr<PublicKey> PublicKey::FromDer(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  PkeyPtr pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (pkey == nullptr) return OpenSslError(absl::StatusCode::kInvalidArgument, "not a DER SubjectPublicKeyInfo");
  if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return absl::InvalidArgumentError("DER public key has trailing bytes");
  }
  auto impl = MakePublicKeyImpl(std::move(pkey), "DER public key");
  if (!impl.ok()) return impl.status();
  return PublicKey(*std::move(impl));
}

std::string PublicKey::ToPem() const {
  internal::BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_PUBKEY(bio.get(), impl_->pkey.get()) != 1) std::abort();
  return internal::BioContents(bio.get());
}

std::string PublicKey::ToDer() const {
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(impl_->pkey.get(), &der);
  if (len <= 0) std::abort();  // encoding a key we hold cannot fail short of memory exhaustion
  std::string out(reinterpret_cast<char*>(der), len);
  OPENSSL_free(der);
  return out;
}

const std::string& PublicKey::raw_point() const { return impl_->raw_point; }

absl::Status PublicKey::Verify(std::string_view message, std::string_view signature) const {
  return VerifyDigest(Sha256(message), signature);
}

absl::Status PublicKey::VerifyDigest(const Sha256Digest& digest, std::string_view signature) const {
  auto sig = ParseStrictDerSignature(signature);
  if (!sig.ok()) return sig.status();
  const BIGNUM* r = ECDSA_SIG_get0_r(sig->get());
  const BIGNUM* s = ECDSA_SIG_get0_s(sig->get());
  if (BN_is_zero(r) || BN_is_negative(r) || BN_cmp(r, P256Order()) >= 0 || BN_is_zero(s) || BN_is_negative(s)) {
    return absl::InvalidArgumentError("signature has r or s outside [1, n-1]");
  }
  if (BN_cmp(s, P256HalfOrder()) > 0) {
    return absl::InvalidArgumentError("signature has a high S value (malleable form); low-S is required");
  }
  PkeyCtxPtr ctx(EVP_PKEY_CTX_dup(impl_->verify_prototype.get()));
  if (ctx == nullptr) return OpenSslError(absl::StatusCode::kInternal, "cannot set up ECDSA verification");
  const int rc = EVP_PKEY_verify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                                 signature.size(), digest.data(), digest.size());
  if (rc == 1) return absl::OkStatus();
  internal::ClearOpenSslErrors();
  if (rc == 0) return absl::UnauthenticatedError("signature does not match the key and message");
  return absl::InternalError("ECDSA verification failed inside OpenSSL");
}

// ---- PrivateKey ----

namespace {

absl::StatusOr<std::shared_ptr<const PrivateKey::Impl>> MakePrivateKeyImpl(PkeyPtr pkey, PublicKey public_key) {
  PkeyCtxPtr prototype(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (prototype == nullptr || EVP_PKEY_sign_init(prototype.get()) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "cannot set up ECDSA signing");
  }
  return std::make_shared<const PrivateKey::Impl>(
      PrivateKey::Impl{std::move(pkey), std::move(public_key), std::move(prototype)});
}

}  // namespace

absl::StatusOr<PrivateKey> PrivateKey::Generate() {
  PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (pkey == nullptr) return OpenSslError(absl::StatusCode::kInternal, "cannot generate a P-256 key");
  auto public_key = PublicHalf(pkey.get());
  if (!public_key.ok()) return public_key.status();
  auto impl = MakePrivateKeyImpl(std::move(pkey), *std::move(public_key));
  if (!impl.ok()) return impl.status();
  return PrivateKey(*std::move(impl));
}

absl::StatusOr<PrivateKey> PrivateKey::FromPem(std::string_view pem) {
  if (pem.find("ENCRYPTED") != std::string_view::npos) {
    return absl::InvalidArgumentError("encrypted private keys are not supported; store the key unencrypted with "
                                      "restrictive file permissions");
  }
  internal::BioPtr bio = internal::MemoryBio(pem);
  if (bio == nullptr) return absl::InvalidArgumentError("private key PEM is too large");
  PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  if (pkey == nullptr) {
    return OpenSslError(absl::StatusCode::kInvalidArgument, "not a PEM PRIVATE KEY or EC PRIVATE KEY");
  }
  if (!internal::IsP256Key(pkey.get())) return absl::InvalidArgumentError("private key is not an ECDSA P-256 key");
  auto public_key = PublicHalf(pkey.get());
  if (!public_key.ok()) return public_key.status();
  auto impl = MakePrivateKeyImpl(std::move(pkey), *std::move(public_key));
  if (!impl.ok()) return impl.status();
  return PrivateKey(*std::move(impl));
}

std::string PrivateKey::ToPem() const {
  internal::BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr ||
      PEM_write_bio_PKCS8PrivateKey(bio.get(), impl_->pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    std::abort();
  }
  return internal::BioContents(bio.get());
}

const PublicKey& PrivateKey::public_key() const { return impl_->public_key; }

absl::StatusOr<std::string> PrivateKey::Sign(std::string_view message) const { return SignDigest(Sha256(message)); }

absl::StatusOr<std::string> PrivateKey::SignDigest(const Sha256Digest& digest) const {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_dup(impl_->sign_prototype.get()));
  if (ctx == nullptr) return OpenSslError(absl::StatusCode::kInternal, "cannot set up ECDSA signing");
  unsigned char der[80];
  size_t der_len = sizeof(der);
  if (EVP_PKEY_sign(ctx.get(), der, &der_len, digest.data(), digest.size()) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "ECDSA signing failed");
  }
  const unsigned char* p = der;
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len)));
  if (sig == nullptr) return OpenSslError(absl::StatusCode::kInternal, "cannot parse our own signature");
  const BIGNUM* s = ECDSA_SIG_get0_s(sig.get());
  if (BN_cmp(s, P256HalfOrder()) <= 0) return std::string(reinterpret_cast<char*>(der), der_len);

  // High S: replace s by n - s, the other valid signature, which is low.
  BignumPtr low_s(BN_new());
  BignumPtr r(BN_dup(ECDSA_SIG_get0_r(sig.get())));
  if (low_s == nullptr || r == nullptr || BN_sub(low_s.get(), P256Order(), s) != 1 ||
      ECDSA_SIG_set0(sig.get(), r.get(), low_s.get()) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "cannot normalise signature to low S");
  }
  r.release();  // owned by sig now
  low_s.release();
  unsigned char* out = nullptr;
  const int out_len = i2d_ECDSA_SIG(sig.get(), &out);
  if (out_len <= 0) return OpenSslError(absl::StatusCode::kInternal, "cannot encode signature");
  std::string result(reinterpret_cast<char*>(out), out_len);
  OPENSSL_free(out);
  return result;
}

}  // namespace careledger::crypto
