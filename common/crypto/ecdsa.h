// ECDSA over NIST P-256 with SHA-256: the only signature scheme of CareLedger (as of Fabric's default MSP).
//
// Signatures are ASN.1 DER ECDSA-Sig-Value. As in Fabric, signing always produces a low-S signature
// (s <= n/2) and verification rejects high-S ones, so that a third party cannot turn one valid signature
// into a second, different valid signature of the same message (malleability).
#ifndef CARELEDGER_COMMON_CRYPTO_ECDSA_H_
#define CARELEDGER_COMMON_CRYPTO_ECDSA_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/crypto/sha256.h"

namespace careledger::crypto {

// A P-256 public key. Cheap to copy (shared, immutable); thread-safe.
class PublicKey {
 public:
  // Parses a PEM "PUBLIC KEY" (SubjectPublicKeyInfo) or its DER form. InvalidArgument if the text is not
  // such a key, or the key is not ECDSA on P-256.
  static absl::StatusOr<PublicKey> FromPem(std::string_view pem);
  static absl::StatusOr<PublicKey> FromDer(std::string_view der);

  std::string ToPem() const;
  std::string ToDer() const;  // SubjectPublicKeyInfo
  // The uncompressed point 0x04 || X || Y (65 bytes); Fabric derives key identifiers from it.
  const std::string& raw_point() const;

  // OK if `signature` is a valid low-S DER signature by this key over SHA-256(message).
  // InvalidArgument: the signature is not strict DER, or has r or s out of range, or high S.
  // Unauthenticated: well-formed but does not match this key and message.
  absl::Status Verify(std::string_view message, std::string_view signature) const;
  // Same, over a precomputed SHA-256 digest.
  absl::Status VerifyDigest(const Sha256Digest& digest, std::string_view signature) const;

  friend bool operator==(const PublicKey& a, const PublicKey& b) { return a.raw_point() == b.raw_point(); }

  struct Impl;  // defined in ecdsa.cc (holds the OpenSSL key)
  const Impl& impl() const { return *impl_; }  // for careledger_crypto's own .cc files

 private:
  explicit PublicKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// A P-256 private key. Cheap to copy (shared, immutable); thread-safe.
class PrivateKey {
 public:
  // A fresh key from OpenSSL's CSPRNG. Internal error only if OpenSSL cannot generate keys.
  static absl::StatusOr<PrivateKey> Generate();
  // Parses an unencrypted PEM "PRIVATE KEY" (PKCS#8, as Fabric writes) or "EC PRIVATE KEY" (SEC1).
  // InvalidArgument for anything else, for encrypted keys, or for keys not on P-256.
  static absl::StatusOr<PrivateKey> FromPem(std::string_view pem);

  // Unencrypted PKCS#8 PEM. Protect the file that holds it (mode 0600).
  std::string ToPem() const;
  const PublicKey& public_key() const;

  // A low-S DER signature over SHA-256(message). Internal error only if OpenSSL fails.
  absl::StatusOr<std::string> Sign(std::string_view message) const;
  absl::StatusOr<std::string> SignDigest(const Sha256Digest& digest) const;

  struct Impl;
  const Impl& impl() const { return *impl_; }  // for careledger_crypto's own .cc files

 private:
  explicit PrivateKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace careledger::crypto

#endif  // CARELEDGER_COMMON_CRYPTO_ECDSA_H_
